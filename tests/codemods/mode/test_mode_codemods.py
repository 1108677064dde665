"""The asyncio mode decision, and strict-to-auto / strict-markers never both applying."""

from __future__ import annotations

from pathlib import Path

import pytest

from async_test_upgrade import engine, registry
from async_test_upgrade.codemods.mode._mode import target_mode
from async_test_upgrade.facts import ProjectFacts
from async_test_upgrade.files import InputError
from async_test_upgrade.model import AsyncioMode, Options

BOTH = frozenset({"strict-to-auto", "strict-markers"})


def _facts(mode: str | None, anyio: bool = False) -> ProjectFacts:
    facts = ProjectFacts(asyncio_mode=mode)
    if anyio:
        facts.anyio_trio_signals.append("tests/test_a.py:3: marked pytest.mark.anyio")
    return facts


@pytest.mark.parametrize(
    ("configured", "anyio", "chosen", "selected", "expected"),
    [
        (None, False, None, BOTH, "auto"),
        ("strict", False, None, BOTH, "auto"),
        ("strict", False, "strict", BOTH, "strict"),
        ("strict", True, None, BOTH, "strict"),
        # The guard wins over the user's auto: auto would take over anyio's fixtures.
        ("strict", True, "auto", BOTH, "strict"),
        # Nobody writes auto without strict-to-auto, so the suite stays strict.
        ("strict", False, "auto", frozenset({"strict-markers"}), "strict"),
        ("auto", True, None, BOTH, "auto"),
        ("auto", False, "strict", BOTH, "strict"),
        ("legacy", False, None, frozenset({"legacy-asyncio-mode"}), "auto"),
        ("legacy", True, None, frozenset({"legacy-asyncio-mode"}), "strict"),
    ],
)
def test_target_mode(
    configured: str | None,
    anyio: bool,
    chosen: AsyncioMode | None,
    selected: frozenset[str],
    expected: str,
) -> None:
    options = Options(asyncio_mode=chosen, selected=selected)
    assert target_mode(_facts(configured, anyio), options) == expected


UNMARKED = (
    "import pytest\n\n\n"
    "@pytest.fixture\nasync def value():\n    return 1\n\n\n"
    "@pytest.mark.asyncio\nasync def test_marked(value):\n    assert value\n\n\n"
    "async def test_unmarked(value):\n    assert value\n"
)
ANYIO = "import pytest\n\n\n@pytest.mark.anyio\nasync def test_other_plugin():\n    assert True\n"


def _project(tmp_path: Path, anyio: bool) -> Path:
    (tmp_path / "pytest.ini").write_text("[pytest]\nasyncio_mode = strict\n")
    (tmp_path / "test_values.py").write_text(UNMARKED)
    if anyio:
        (tmp_path / "test_anyio.py").write_text(ANYIO)
    return tmp_path


@pytest.mark.parametrize(
    ("anyio", "chosen", "applied", "mode"),
    [
        (False, None, "strict-to-auto", "auto"),
        (True, None, "strict-markers", "strict"),
        (False, "strict", "strict-markers", "strict"),
    ],
)
def test_exactly_one_mode_codemod_applies(
    tmp_path: Path, anyio: bool, chosen: AsyncioMode | None, applied: str, mode: str
) -> None:
    root = _project(tmp_path, anyio)
    result = engine.migrate(
        [root], registry.select(sorted(BOTH)), Options(asyncio_mode=chosen), jobs=1
    )
    assert not result.errors
    assert {c.codemod for c in result.changes} == {applied}
    engine.write_result(result)
    assert f"asyncio_mode = {mode}" in (root / "pytest.ini").read_text()
    source = (root / "test_values.py").read_text()
    if mode == "auto":
        assert "mark.asyncio" not in source
    else:
        assert source.count("@pytest.mark.asyncio") == 2
        assert "@pytest_asyncio.fixture" in source
    if anyio:
        assert (root / "test_anyio.py").read_text() == ANYIO
    again = engine.migrate(
        [root], registry.select(sorted(BOTH)), Options(asyncio_mode=chosen), jobs=1
    )
    assert not again.anything_changed


def test_guard_note_is_given_once_at_the_config(tmp_path: Path) -> None:
    root = _project(tmp_path, anyio=True)
    (root / "test_more_anyio.py").write_text(ANYIO)
    result = engine.migrate([root], registry.select(["strict-to-auto"]), Options(), jobs=1)
    notes = [n for n in result.notes if n.codemod == "strict-to-auto"]
    assert len(notes) == 1
    assert notes[0].path == "pytest.ini"
    assert "anyio" in notes[0].message
    assert not result.anything_changed


def test_fixture_used_by_anyio_tests_through_another_fixture_is_left_alone(
    tmp_path: Path,
) -> None:
    (tmp_path / "conftest.py").write_text(
        "import pytest\n\n\n"
        "@pytest.fixture\nasync def conn():\n    return 1\n\n\n"
        "@pytest.fixture\nasync def session(conn):\n    return conn\n\n\n"
        "@pytest.fixture\nasync def cache():\n    return {}\n"
    )
    (tmp_path / "test_a.py").write_text(
        "import pytest\n\npytestmark = pytest.mark.anyio\n\n\n"
        "async def test_session(session):\n    assert session\n"
    )
    result = engine.migrate([tmp_path], registry.select(["strict-markers"]), Options(), jobs=1)
    (conftest,) = [o for o in result.changed_files if o.relpath == "conftest.py"]
    new = conftest.new.decode()
    assert new.count("@pytest.fixture") == 2  # conn and session stay with anyio
    assert "@pytest_asyncio.fixture\nasync def cache" in new
    reported = {n.message.split()[2] for n in result.notes if n.codemod == "strict-markers"}
    assert reported == {"conn", "session"}


def test_auto_mode_lists_the_bare_async_fixtures_that_start_running(tmp_path: Path) -> None:
    root = _project(tmp_path, anyio=False)
    (root / "conftest.py").write_text(
        "import pytest\n\n\n@pytest.fixture\nasync def token():\n    return 'x'\n"
    )
    result = engine.migrate([root], registry.select(["strict-to-auto"]), Options(), jobs=1)
    started = sorted(
        (n.path, n.line) for n in result.notes if "never ran in strict mode" in n.message
    )
    assert started == [("conftest.py", 5), ("test_values.py", 5)]  # the def lines


def test_auto_asked_over_anyio_tests_is_refused_not_downgraded(tmp_path: Path) -> None:
    # Auto mode would take over the anyio tests' async fixtures; the default's strict
    # output would not be what was asked for either.
    root = _project(tmp_path, anyio=True)
    with pytest.raises(InputError, match="anyio/trio tests found"):
        engine.migrate([root], registry.select(sorted(BOTH)), Options(asyncio_mode="auto"), jobs=1)
