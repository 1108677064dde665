"""Names of the pytest and plugin APIs the codemods and the index recognise, in one place.

Every "is this a fixture decorator?" question, in the ``ast`` index and in the LibCST
codemods, is answered from these tuples of qualified names.
"""

from __future__ import annotations

#: Decorators that make a function a fixture. ``pytest.yield_fixture`` is a deprecated
#: alias of ``pytest.fixture`` (``pytest-removed-apis`` rewrites it; until then it is one).
FIXTURE_DECORATORS = ("pytest.fixture", "pytest_asyncio.fixture", "pytest.yield_fixture")
#: pytest-asyncio's own fixture decorator.
ASYNCIO_FIXTURE = "pytest_asyncio.fixture"
#: The asyncio mark.
ASYNCIO_MARK = "pytest.mark.asyncio"
#: What a codemod that turns sync code driving a loop into async tests and fixtures may
#: write (its ``produces``): the async statements, the running loop, and the asyncio
#: marks and pytest-asyncio fixture decorators the converted code needs.
MADE_ASYNC = (
    "async def",
    "await",
    "async with",
    "async for",
    "asyncio",
    "get_running_loop",
    "pytest_asyncio",
    "fixture",
    "mark",
)
