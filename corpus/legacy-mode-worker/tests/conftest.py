import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from jobqueue import JobQueue, RetryPolicy  # noqa: E402


@pytest.fixture
async def queue():
    # Legacy mode ran async fixtures under a bare @pytest.fixture.
    q = JobQueue(retry=RetryPolicy(attempts=3, delay=0))
    yield q
    q.jobs.clear()
