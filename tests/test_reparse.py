"""The guard that keeps a codemod bug from ever being written."""

from __future__ import annotations

from async_test_upgrade.engine import reparse_error


def test_valid_python_passes() -> None:
    assert reparse_error(b"import os\n\nasync def f():\n    await g()\n") is None


def test_broken_output_is_caught() -> None:
    assert reparse_error(b"def f(:\n    pass\n") is not None
    assert reparse_error(b"x = (1,\n") is not None


def test_syntax_newer_than_the_interpreter_is_left_to_libcst() -> None:
    # PEP 695 (Python 3.12); LibCST parses it whatever runs the tool.
    assert reparse_error(b"type Pair = tuple[int, int]\n") is None


def test_encoding_cookie_and_bom() -> None:
    assert reparse_error("# -*- coding: latin-1 -*-\nx = 'é'\n".encode("latin-1")) is None
    assert reparse_error(b"\xef\xbb\xbfx = 1\n") is None
