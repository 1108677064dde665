from myservice.loops import TracingPolicy


def pytest_asyncio_loop_factories(config, item):
    return {"TracingPolicy": TracingPolicy().new_event_loop}
