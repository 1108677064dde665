import threading


def test_loop_escapes(loop):
    thread = threading.Thread(target=loop.run_forever)
    thread.start()
    loop.call_soon_threadsafe(loop.stop)
    thread.join()


def test_nested_use(loop):
    def run(coro):
        return loop.run_until_complete(coro)

    assert run(coro()) is None


async def coro():
    return None


def test_proactor(proactor_loop):
    assert proactor_loop
