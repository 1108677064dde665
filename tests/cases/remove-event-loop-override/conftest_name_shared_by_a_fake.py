import pytest


class RecordingLoop:
    def __init__(self):
        self.calls = []

    def call_soon(self, callback, *args):
        self.calls.append((callback, args))


@pytest.fixture
def event_loop():
    """A recording stand-in the scheduler tests pass around; not an asyncio loop."""
    return RecordingLoop()
