import pytest


class CallRecorder:
    def __init__(self):
        self.calls = []

    def close(self):
        self.calls.clear()


@pytest.fixture
def event_loop():
    loop = CallRecorder()
    yield loop
    loop.close()
