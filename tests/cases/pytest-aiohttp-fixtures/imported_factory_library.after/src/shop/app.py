from aiohttp import web


def create_app(loop=None):
    app = web.Application()
    app["loop_given"] = loop is not None
    return app


def create_legacy_app(loop):
    app = web.Application()
    return app


def create_wired_app(loop):
    app = web.Application()
    app["loop"] = loop
    return app


def create_shared_app(loop):
    return web.Application()


def serve():
    web.run_app(create_shared_app(None))
