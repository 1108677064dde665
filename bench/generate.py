"""A synthetic repository for the benchmark, deterministic from a seed.

Most files are ordinary library code and synchronous tests (some of which use sync
mocks or mention asyncio in comments, as real code does); about 3% are async test
modules (each with one to three of the legacy patterns the codemods target, among
ordinary tests) and conftests overriding ``event_loop``. Sizes follow a
log-normal distribution (median about 3 KB, long tail to 60 KB), which is what
``find . -name '*.py' | xargs wc -c`` shows on typical application repositories.
"""

from __future__ import annotations

import argparse
import random
import shutil
from pathlib import Path

LIB_FUNCTION = '''

def {name}(items, limit={limit}):
    """Return the first {limit} items that pass the {name} filter."""
    result = []
    for index, item in enumerate(items):
        if index >= limit:
            break
        if item is not None and str(item).strip():
            result.append(item)  # keep order stable for callers
    return result
'''

LIB_CLASS = '''

class {name}:
    """A small value object used by the {module} module."""

    def __init__(self, key, value=None):
        self.key = key
        self.value = value
        self._history = []

    def update(self, value):
        self._history.append(self.value)
        self.value = value
        return self

    def __repr__(self):
        return f"{name}({{self.key!r}}, {{self.value!r}})"
'''

LIB_ASYNC_FUNCTION = '''

async def {name}(client, key):
    """Fetch {name} data through the given client."""
    response = await client.get(f"/{name}/{{key}}")
    return response.json()
'''

SYNC_TEST = """

def test_{name}():
    obj = {cls}("k{n}", {n})
    obj.update({n} + 1)
    assert obj.value == {n} + 1
    assert repr(obj).startswith("{cls}(")
"""

SYNC_MOCK_TEST = """

def test_{name}_with_mock():
    from unittest.mock import MagicMock

    source = MagicMock()
    source.read.return_value = [{n}, None, {n}]
    assert [x for x in source.read() if x] == [{n}, {n}]
    source.read.assert_called_once_with()
"""

COMMENT_MENTION = """
# Note: this module used to run an event_loop of its own before the asyncio rewrite;
# see the MagicMock helpers in the test suite. Nothing async happens here any more.
"""

ASYNC_TEST_HEADER = """import asyncio
from unittest.mock import MagicMock, patch

import httpx
import pytest

from {package}.service import fetch_{n}, make_app
"""

#: The legacy patterns, one per snippet; an async test module carries one to three.
LEGACY_PATTERNS = [
    """

@pytest.mark.asyncio(scope="module")
async def test_scoped_{n}():
    assert await fetch_{n}() is not None
""",
    """

@pytest.mark.asyncio
async def test_loop_argument_{n}(event_loop):
    done = event_loop.create_future()
    event_loop.call_soon(done.set_result, {n})
    assert await done == {n}
""",
    """

def test_sync_driver_{n}(event_loop):
    value = event_loop.run_until_complete(asyncio.sleep(0, result={n}))
    assert value == {n}
""",
    """

@pytest.mark.asyncio
async def test_awaited_mock_{n}():
    repo = MagicMock()
    fut = asyncio.Future()
    fut.set_result({{"id": {n}}})
    repo.get = MagicMock(return_value=fut)
    assert await repo.get({n}) == {{"id": {n}}}
    repo.get.assert_called_once_with({n})
""",
    """

@pytest.fixture
async def client_{n}():
    async with httpx.AsyncClient(app=make_app(), base_url="http://test") as c:
        yield c
""",
    """

@pytest.mark.asyncio
async def test_current_loop_{n}():
    loop = asyncio.get_event_loop()
    assert loop.is_running()
""",
    """

@pytest.mark.asyncio
async def test_sleep_with_loop_{n}(event_loop):
    await asyncio.wait_for(asyncio.sleep(0), 1, loop=event_loop)
""",
]

CONFTEST = """import asyncio

import pytest


@pytest.fixture(scope="session")
def event_loop():
    loop = asyncio.get_event_loop_policy().new_event_loop()
    yield loop
    loop.close()
"""


def _body(
    rng: random.Random, target: int, module: str, parts: list[str], header: bool = True
) -> str:
    chunks = [f'"""The {module} module."""\n\nimport os\nimport re\n' if header else ""]
    size = len(chunks[0])
    index = 0
    while size < target:
        template = parts[index % len(parts)]
        text = template.format(
            name=f"{module}_{index}",
            cls=f"Thing{index}",
            limit=rng.randint(2, 50),
            module=module,
            n=index,
            package="app",
        )
        chunks.append(text)
        size += len(text)
        index += 1
    return "".join(chunks)


def generate(
    root: Path, files: int, seed: int, async_share: float = 0.03, async_code: bool = True
) -> dict[str, int]:
    """Write ``files`` Python files under ``root``; return counts by kind."""
    if root.exists():
        shutil.rmtree(root)
    rng = random.Random(seed)
    counts = {"library": 0, "library_async": 0, "sync_test": 0, "async_test": 0, "conftest": 0}
    (root / "pytest.ini").parent.mkdir(parents=True, exist_ok=True)
    (root / "pytest.ini").write_text("[pytest]\nasyncio_mode = strict\n")
    for number in range(files):
        package = root / f"pkg{number % 40}" / f"sub{number % 7}"
        package.mkdir(parents=True, exist_ok=True)
        size = min(60_000, int(rng.lognormvariate(8.0, 0.8)))
        roll = rng.random()
        if roll < async_share * 0.8:
            name = f"test_async_{number}.py"
            chosen = rng.sample(LEGACY_PATTERNS, rng.randint(1, 3))
            text = ASYNC_TEST_HEADER.format(n=number, package="app")
            text += "".join(p.format(n=number) for p in chosen)
            text += _body(rng, size // 2, f"a{number}", [SYNC_TEST], header=False)
            counts["async_test"] += 1
        elif roll < async_share:
            name, text = "conftest.py", CONFTEST
            counts["conftest"] += 1
        elif roll < 0.45:
            parts = [SYNC_TEST, SYNC_TEST, SYNC_MOCK_TEST] if rng.random() < 0.3 else [SYNC_TEST]
            name, text = f"test_mod{number}.py", _body(rng, size, f"t{number}", parts)
            counts["sync_test"] += 1
        elif roll < 0.50:
            parts = [LIB_FUNCTION, LIB_ASYNC_FUNCTION if async_code else LIB_CLASS]
            name, text = f"mod{number}.py", _body(rng, size, f"m{number}", parts)
            counts["library_async"] += 1
        else:
            parts = [LIB_FUNCTION, LIB_CLASS]
            name, text = f"mod{number}.py", _body(rng, size, f"m{number}", parts)
            if rng.random() < 0.05:
                text = COMMENT_MENTION + text
            counts["library"] += 1
        path = package / name
        if path.exists():  # a second conftest in one directory: make it a module instead
            path = package / f"mod{number}.py"
        path.write_text(text)
    return counts


def generate_sync_only(root: Path, files: int, seed: int) -> dict[str, int]:
    """The same shape with no async code at all (no triggers but incidental mentions)."""
    return generate(root, files, seed, async_share=0.0, async_code=False)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("root", type=Path)
    parser.add_argument("--files", type=int, default=5000)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    print(generate(args.root, args.files, args.seed))


if __name__ == "__main__":
    main()
