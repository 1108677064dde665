"""regex-global-flags-first: the moved patterns are the same regular expressions."""

from __future__ import annotations

import ast
import json
import re
import subprocess
from pathlib import Path

import pytest

from async_test_upgrade.harness import envs
from async_test_upgrade.model import Options
from tests import golden

CASE = Path(__file__).parents[2] / "cases" / "regex-global-flags-first" / "misplaced_flags"

#: Compiles each pattern the way Python before 3.11 did (a misplaced global flag applies
#: to the whole pattern) and prints the compiled code of each.
COMPILED_CODE = """
import json, sre_compile, sre_parse, sys, warnings
warnings.simplefilter("ignore")
out = []
for text, is_bytes in json.load(sys.stdin):
    pattern = text.encode("latin-1") if is_bytes else text
    parsed = sre_parse.parse(pattern, 0)
    out.append([parsed.state.flags, sre_compile._code(parsed, parsed.state.flags)])
print(json.dumps(out))
"""


def test_the_moved_patterns_compile_and_the_originals_do_not() -> None:
    before = CASE.with_name(CASE.name + ".before.py").read_text()
    case = next(c for c in golden.collect() if c.id == "regex-global-flags-first/misplaced_flags")
    after, _notes = golden.file_result(case, before.encode())
    old = _pattern_calls(before)
    new = _pattern_calls(after.decode())
    assert len(old) == len(new) == 9
    for pattern in old:
        with pytest.raises(re.error, match="global flags not at the start"):
            re.compile(pattern)
    for pattern in new:
        re.compile(pattern)


def test_the_moved_patterns_are_the_regexes_python_3_10_compiled() -> None:
    try:
        python = envs.resolve_python("3.10")
    except envs.MissingInterpreterError:
        pytest.skip("Python 3.10 is not installed here (pyenv or PATH)")
    before = CASE.with_name(CASE.name + ".before.py").read_text()
    case = next(c for c in golden.collect() if c.id == "regex-global-flags-first/misplaced_flags")
    after, _notes = golden.file_result(case, before.encode())
    pairs = list(zip(_pattern_calls(before), _pattern_calls(after.decode()), strict=True))

    def compiled(patterns: list[str | bytes]) -> object:
        given = [
            [p.decode("latin-1"), True] if isinstance(p, bytes) else [p, False] for p in patterns
        ]
        run = subprocess.run(
            [str(python), "-c", COMPILED_CODE],
            input=json.dumps(given),
            capture_output=True,
            text=True,
            check=True,
        )
        return json.loads(run.stdout)

    assert compiled([old for old, _new in pairs]) == compiled([new for _old, new in pairs])


def _pattern_calls(source: str) -> list[str | bytes]:
    """The literal patterns of the ``re`` calls (first argument or ``pattern=``), in the
    order they are written."""
    found: list[tuple[int, int, str | bytes]] = []
    for node in ast.walk(ast.parse(source)):
        if not isinstance(node, ast.Call):
            continue
        arguments = [*node.args[:1], *(k.value for k in node.keywords if k.arg == "pattern")]
        for argument in arguments:
            if (
                isinstance(argument, ast.Constant)
                and isinstance(argument.value, str | bytes)
                and (
                    "(?" in argument.value
                    if isinstance(argument.value, str)
                    else b"(?" in argument.value
                )
            ):
                found.append((argument.lineno, argument.col_offset, argument.value))
    return [value for _line, _col, value in sorted(found)]


def test_a_pattern_of_several_literals_is_reported_not_rewritten() -> None:
    # (Not a golden case: compiling joins the literals into one constant that the text
    # gate's words, read from the source, cannot hold.)
    source = (
        b"import re\n\n\n"
        b"def test_split_literal(out):\n"
        b'    assert re.search("begin.+" "end(?s)", out)\n'
    )
    result = golden.run_file("regex-global-flags-first", source, "test_split.py", Options())
    assert result.new_source is None
    assert [n.render() for n in result.notes] == [
        "test_split.py:5: regex-global-flags-first: a global regex flag not at the start of "
        "this pattern (Python 3.11 rejects it): move it to the start of the first literal "
        "by hand"
    ]
