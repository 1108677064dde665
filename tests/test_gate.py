"""The code gate may only ever say a cheaper "no": never to a file a codemod changes."""

from __future__ import annotations

from pathlib import Path

import pytest

from async_test_upgrade import engine, gate, registry
from async_test_upgrade.facts import ProjectFacts, index_file
from async_test_upgrade.model import Options
from tests import golden
from tests.sources import SOURCES, source_id

CHANGING = [c for c in golden.collect() if c.after is not None and not c.is_project]
SINGLE_FILES = [c for c in golden.collect() if not c.is_project]
PROJECTS = [c for c in golden.collect() if c.is_project]


@pytest.mark.parametrize("case", CHANGING, ids=[c.id for c in CHANGING])
def test_gate_lets_every_changing_golden_case_through(case: golden.Case) -> None:
    source = case.before.read_bytes()
    if case.after is not None and case.after.read_bytes() == source:
        pytest.skip("the case shows no change")
    code = gate.parse_index(source, golden.relpath_for(case))
    assert code is not None
    record = registry.by_name()[case.codemod]
    facts = ProjectFacts()
    index_file(facts, golden.relpath_for(case), source)
    assert gate.lets_through(record, code, facts), f"the gate would hide {case.id}"
    rough = gate.TextIndex(source, golden.relpath_for(case))
    assert gate.lets_through(record, rough, facts), f"the text gate would hide {case.id}"


@pytest.mark.parametrize("case", SINGLE_FILES, ids=[c.id for c in SINGLE_FILES])
def test_gate_lets_every_golden_file_with_a_change_or_note_through(case: golden.Case) -> None:
    """Notes count as much as changes: a gated-out file never gets its "needs review"."""
    source = case.before.read_bytes()
    relpath = golden.relpath_for(case)
    result = golden.run_file(case.codemod, source, relpath, case.options())
    if not result.notes and not result.changes and not result.config_edits:
        pytest.skip("the codemod reports nothing here")
    code = gate.parse_index(source, relpath)
    assert code is not None
    facts = ProjectFacts()
    index_file(facts, relpath, source)
    record = registry.by_name()[case.codemod]
    assert gate.lets_through(record, code, facts), f"the gate would hide {case.id}"
    rough = gate.TextIndex(source, relpath)
    assert gate.lets_through(record, rough, facts), f"the text gate would hide {case.id}"


@pytest.mark.parametrize("case", PROJECTS, ids=[c.id for c in PROJECTS])
def test_gate_lets_every_project_file_with_a_change_or_note_through(case: golden.Case) -> None:
    """In a project case the gate sees the merged facts of every file (as in the engine)."""
    files = {
        p.relative_to(case.before).as_posix(): p.read_bytes()
        for p in sorted(case.before.rglob("*.py"))
    }
    facts = ProjectFacts()
    for relpath, source in files.items():
        index_file(facts, relpath, source)
    record = registry.by_name()[case.codemod]
    options = case.options()
    reported = 0
    for relpath, source in files.items():
        result = engine.transform_source(source, relpath, [record], facts, options)
        if not (result.notes or result.changes or result.config_edits):
            continue
        reported += 1
        code = gate.parse_index(source, relpath)
        assert code is not None
        assert gate.lets_through(record, code, facts), f"the gate would hide {relpath}"
        rough = gate.TextIndex(source, relpath)
        assert gate.lets_through(record, rough, facts), f"the text gate would hide {relpath}"
    if not reported:
        pytest.skip("the codemod reports nothing on any file alone")


@pytest.mark.parametrize("path", SOURCES, ids=source_id)
def test_the_text_gate_never_refuses_what_the_code_gate_allows(path: Path) -> None:
    """Every codemod, every golden and corpus file (facts of that file alone and of an
    empty project): the words of the text are a superset of the code's."""
    source = path.read_bytes()
    code = gate.parse_index(source, path.name)
    if code is None:
        pytest.skip("does not compile")
    rough = gate.TextIndex(source, path.name)
    # Compiling adds names of its own (``<module>``, ``__qualname__``, ``.0``, ...), and
    # postponed annotations become their source re-quoted, and string constants written
    # with escapes differ from their text (no gate asks for any of those).
    written = {
        w
        for w in code.words
        if not w.startswith(("<", "__", ".")) and "'" not in w and '"' not in w
        if w.isprintable()
    }
    assert {w for w in written if not rough.has(w)} == set()
    own = ProjectFacts()
    index_file(own, path.name, source)
    for facts in (ProjectFacts(), own):
        for record in registry.catalogue():
            if gate.own_gate_passes(record, code, facts):
                assert gate.own_gate_passes(record, rough, facts), record.name


def test_comments_and_docstrings_do_not_count() -> None:
    source = b'''"""Uses event_loop and MagicMock, in prose."""
# TODO: event_loop, asyncio(scope="module")


def helper():
    """The event_loop fixture was removed."""
    return 1
'''
    code = gate.parse_index(source)
    assert code is not None
    assert not code.allows(b"event_loop")
    assert not code.allows(b"asyncio(")
    assert code.allows(b"helper")


def test_code_words_keep_substring_semantics() -> None:
    code = gate.parse_index(
        b"import asyncio\n\n\nasync def test_x(event_loop):\n"
        b"    m.assert_called_once_with(1)\n    await asyncio.sleep(0)\n"
        b'    pytest_plugins = "aiohttp.pytest_plugin"\n'
    )
    assert code is not None
    assert code.allows(b"assert_called")  # a prefix of assert_called_once_with
    assert code.allows(b"event_loop")
    assert code.allows(b"async def")
    assert code.allows(b"await")
    assert code.allows(b"aiohttp.pytest_plugin")
    assert not code.allows(b"get_event_loop")
    # The async statement phrases stand wherever an async def is (a superset) ...
    assert code.allows(b"async with")
    # ... and nowhere else.
    sync = gate.parse_index(b"def test_y():\n    return [x for x in range(3)]\n")
    assert sync is not None
    for phrase in (b"async def", b"await", b"async with", b"async for", b"yield"):
        assert not sync.allows(phrase)


def test_unparsable_source_has_no_index() -> None:
    assert gate.parse_index(b"def (:\n") is None


# --- each gate says "no" to a realistic look-alike its triggers let through ------------------

SYNC_MOCK_TEST = b"""from unittest.mock import MagicMock, patch

from shop.cart import Cart


def test_total_asks_the_price_of_each_item():
    prices = MagicMock(return_value=3)
    cart = Cart(prices)
    assert cart.total(["a", "b"]) == 6
    prices.assert_called_with("b")
    assert prices.call_count == 2


def test_checkout_sends_mail():
    with patch("shop.cart.send_mail") as send:
        Cart(MagicMock()).checkout()
    send.assert_called_once()
"""

ASYNC_LIBRARY = b'''"""A client for the stock service."""

import asyncio


class StockClient:
    def __init__(self, session, loop=None):
        self.session = session

    async def fetch(self, sku):
        await asyncio.sleep(0)
        return await self.session.get(f"/stock/{sku}")
'''

SYNC_LOOP_SCRIPT = b"""import asyncio

from service import serve


def main():
    loop = asyncio.new_event_loop()
    policy = asyncio.get_event_loop_policy()
    try:
        loop.run_until_complete(serve(port=8080, loop=loop))
    finally:
        loop.close()


if __name__ == "__main__":
    asyncio.run(serve(port=8080))
"""

FLASK_TEST = b"""from unittest import TestCase

from starlette.testclient import TestClient

from web import create_app


class IndexTests(TestCase):
    def test_index(self):
        app = create_app()
        client = TestClient(app)
        assert client.get("/").status_code == 200
"""

HTTPX_ASGI_TEST = b"""import httpx
import pytest

from web import app


@pytest.mark.asyncio
async def test_index():
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://t") as client:
        assert (await client.get("/")).status_code == 200
"""

REQUESTS_APP_TEST = b"""import requests

from web import app_url


def test_app_is_up():
    assert requests.get(app_url()).ok
    legacy_unittest_run_loop_count = 0
    assert legacy_unittest_run_loop_count == 0
"""

EVENT_LOOP_TEST = b"""import pytest


@pytest.mark.asyncio
async def test_schedules_on_the_running_loop(event_loop):
    assert event_loop.is_running()
"""

#: An async test elsewhere in the project: the project has asyncio tests.
ASYNC_TEST = b"import pytest\n\n\n@pytest.mark.asyncio\nasync def test_x():\n    pass\n"

LOOK_ALIKES = [
    ("mock-to-asyncmock", "a sync test module using MagicMock only", SYNC_MOCK_TEST),
    ("future-mock-to-asyncmock", "a sync test module using MagicMock only", SYNC_MOCK_TEST),
    ("assert-called-to-awaited", "a sync test module using MagicMock only", SYNC_MOCK_TEST),
    ("strict-markers", "a library module with async defs and no tests", ASYNC_LIBRARY),
    ("strict-to-auto", "a library module with async defs and no tests", ASYNC_LIBRARY),
    ("remove-asyncio-mark-from-fixtures", "a library module importing asyncio", ASYNC_LIBRARY),
    ("marker-scope-to-loop-scope", "a library module importing asyncio", ASYNC_LIBRARY),
    ("unittest-async-to-isolated", "a sync TestCase with a TestClient", FLASK_TEST),
    ("testclient-in-async-test", "a sync TestCase with a TestClient", FLASK_TEST),
    ("event-loop-arg-to-running-loop", "sync code with new_event_loop", SYNC_LOOP_SCRIPT),
    ("event-loop-sync-to-async", "sync code with new_event_loop", SYNC_LOOP_SCRIPT),
    ("asyncio-run-in-async-to-await", "asyncio.run in a sync script", SYNC_LOOP_SCRIPT),
    ("get-event-loop-in-async", "get_event_loop_policy only", SYNC_LOOP_SCRIPT),
    ("remove-loop-kwarg", "loop= given to a function of the project", SYNC_LOOP_SCRIPT),
    ("httpx-app-to-transport", "app in names of a requests test", REQUESTS_APP_TEST),
    ("remove-unittest-run-loop", "a longer name containing it", REQUESTS_APP_TEST),
    ("pytest-aiohttp-fixtures", "pytest-asyncio's event_loop, not aiohttp's loop", EVENT_LOOP_TEST),
    ("asgi-lifespan", "an ASGITransport test of an app without a lifespan", HTTPX_ASGI_TEST),
]


@pytest.mark.parametrize(
    ("name", "source"),
    [(n, s) for n, _, s in LOOK_ALIKES],
    ids=[f"{n}: {why}" for n, why, _ in LOOK_ALIKES],
)
def test_gate_rejects_a_look_alike_its_triggers_let_through(name: str, source: bytes) -> None:
    code = gate.parse_index(source)
    assert code is not None
    record = registry.by_name()[name]
    assert record.gate is not None
    assert gate.triggers_in_code(record, code), "not a look-alike"
    facts = ProjectFacts()
    index_file(facts, "tests/test_async.py", ASYNC_TEST)
    index_file(facts, "pkg/look_alike.py", source)
    # Nothing in these files would change or be reported: the gate may say no.
    result = engine.transform_source(
        source, "tests/test_look_alike.py", [record], facts, Options(selected=frozenset({name}))
    )
    assert result.new_source is None and not result.notes, "not a look-alike after all"
    assert not record.gate(code, facts)


def test_gate_sees_the_async_def_behind_a_patch_target() -> None:
    """A sync test patching an async def of the project needs mock-to-asyncmock."""
    source = (
        b"from unittest.mock import MagicMock, patch\n\n\n"
        b"def test_sync_patch():\n"
        b'    with patch("shop.repo.load", new_callable=MagicMock) as load:\n'
        b"        load.return_value = 1\n"
    )
    code = gate.parse_index(source)
    assert code is not None
    facts = ProjectFacts()
    index_file(facts, "shop/repo.py", b"async def load():\n    return 1\n")
    record = registry.by_name()["mock-to-asyncmock"]
    assert record.gate is not None
    assert record.gate(code, facts)
    assert not record.gate(code, ProjectFacts())
