import pytest


class Recorder:
    """Collects events the tests emit; unrelated to asyncio despite its fixture name."""

    def __init__(self):
        self.events = []

    def record(self, event):
        self.events.append(event)


@pytest.fixture
def event_loop():
    return Recorder()
