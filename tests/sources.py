"""Every Python file of the golden cases and the corpus: real code to check LibCST
stand-ins against LibCST on."""

from __future__ import annotations

from pathlib import Path

import libcst as cst
import pytest

ROOT = Path(__file__).resolve().parent.parent
SOURCES = sorted(
    p
    for base in (ROOT / "tests" / "cases", ROOT / "corpus")
    for p in base.rglob("*.py")
    if ".venv" not in p.parts
)


def source_id(path: Path) -> str:
    return str(path.relative_to(ROOT))


def parsable_source(path: Path) -> str:
    """The file's text; the test is skipped for the cases about unparsable input."""
    try:
        source = path.read_text(encoding="utf-8")
        cst.parse_module(source)
    except (UnicodeDecodeError, cst.ParserSyntaxError):
        pytest.skip("not parsable: a case about unparsable input")
    return source
