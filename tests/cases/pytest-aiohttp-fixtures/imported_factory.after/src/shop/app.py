from aiohttp import web


def create_app(loop=None):
    app = web.Application()
    app["loop_given"] = loop is not None
    return app


def create_legacy_app(loop):
    app = web.Application()
    return app
