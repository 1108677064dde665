"""The notes and refusals of the web-framework codemods (httpx, pytest-aiohttp, ASGI)."""

from __future__ import annotations

from async_test_upgrade.model import Options
from tests import golden

CASES = golden.CASES


def notes_for(codemod: str, case_file: str, relpath: str = "test_case.py") -> list[str]:
    source = (CASES / codemod / case_file).read_bytes()
    options = Options(selected=frozenset({codemod}))
    result = golden.run_file(codemod, source, relpath, options)
    assert result.error is None, result.error
    return [n.render() for n in result.notes]


def test_httpx_refusals_are_reported_with_their_lines() -> None:
    notes = notes_for("httpx-app-to-transport", "refused_untouched.py")
    assert len(notes) == 3, notes
    assert notes[0].startswith("test_case.py:9: httpx-app-to-transport: ")
    assert "both app= and transport=" in notes[0]
    assert notes[1].startswith("test_case.py:14: ") and "through a mapping" in notes[1]
    assert notes[2].startswith("test_case.py:21: ") and "through a mapping" in notes[2]


def test_httpx_lookalikes_get_no_notes() -> None:
    assert notes_for("httpx-app-to-transport", "lookalikes_untouched.py") == []


def test_unittest_run_loop_other_uses_are_reported() -> None:
    notes = notes_for("remove-unittest-run-loop", "lookalikes_untouched.py")
    assert len(notes) == 1, notes
    assert notes[0].startswith("test_case.py:20: remove-unittest-run-loop: ")
    assert "other than as a plain decorator" in notes[0]
