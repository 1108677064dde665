"""
**What it does**

Moves the global inline flags of a regular expression (``(?s)``, ``(?i)``, ``(?x)``, ...)
that are not at the start of the pattern to its start, in the literal patterns given to
the ``re`` module's functions (``re.compile``, ``search``, ``match``, ``fullmatch``,
``findall``, ``finditer``, ``sub``, ``subn``, ``split``; resolved through imports)::

    re.search("started.*done(?s)", out)

becomes::

    re.search("(?s)started.*done", out)

Several flag groups are merged into one, in the order they appeared; the rest of the
literal (its prefix, quotes and escapes) is kept as it was written.

**Why**

Python 3.11 rejects them: ``re.error: global flags not at the start of the expression at
position 12`` (deprecated since 3.6, with a ``DeprecationWarning`` a suite running with
``-W error`` already failed on). Before 3.11 a global flag applied to the whole pattern
wherever it stood, so at the start it is the same regular expression.

**Example**

Before::

    import re

    def test_log(capsys):
        out = capsys.readouterr().out
        assert re.search(r"begin.+end(?s)", out)

After::

    import re

    def test_log(capsys):
        out = capsys.readouterr().out
        assert re.search(r"(?s)begin.+end", out)

**When it refuses**

Only a pattern this Python rejects for that reason is touched: one that compiles is left
as it is. A pattern that is not one string literal (a name, an f-string, an expression) is
not looked at: which text it holds is not known. A pattern made of several literals side by
side, one where removing the flag group would join what surrounds it into another token
(``\\1(?i)0``, a quantifier after it), or one whose flag group is written with escapes, is
reported, not rewritten.
"""

from __future__ import annotations

import ast
import re
from typing import TYPE_CHECKING

import libcst as cst

from async_test_upgrade.cst import CodemodTransformer, FileContext, keyword
from async_test_upgrade.registry import codemod

if TYPE_CHECKING:
    from async_test_upgrade.facts import ProjectFacts
    from async_test_upgrade.gate import CodeIndex

#: The ``re`` functions taking a pattern first (or as ``pattern=``).
PATTERN_FUNCTIONS = frozenset(
    f"re.{name}"
    for name in [
        "compile",
        "search",
        "match",
        "fullmatch",
        "findall",
        "finditer",
        "sub",
        "subn",
        "split",
    ]
)
#: Where each function takes its ``flags`` positionally.
FLAGS_POSITION = {"compile": 1, "sub": 4, "subn": 4, "split": 3}
FLAG_LETTERS = "aiLmsux"
#: ``re.I``, ``re.IGNORECASE``, ``re.RegexFlag.I``, ... (aliases included).
RE_FLAGS = dict(re.RegexFlag.__members__)
MISPLACED = "global flags not at the start"


def _escape_units(body: str, prefix: str) -> list[tuple[int, int, str]] | None:
    """The literal's body cut into units: (source start, source end, the text it
    stands for), one per character or escape sequence. None if it cannot be decoded."""
    if "r" in prefix.lower():
        return [(i, i + 1, c) for i, c in enumerate(body)]
    units: list[tuple[int, int, str]] = []
    kind = "b" if "b" in prefix.lower() else ""
    for match in _ESCAPE_OR_CHAR.finditer(body):
        text = match.group()
        if text.startswith("\\"):
            try:
                value = ast.literal_eval(f"{kind}'{text}'")
            except (SyntaxError, ValueError):
                return None
            text = value.decode("latin-1") if isinstance(value, bytes) else value
        units.append((match.start(), match.end(), text))
    return units


_ESCAPE_OR_CHAR = re.compile(
    r"\\(?:\r\n|[0-7]{1,3}|x[0-9a-fA-F]{2}|N\{[^}]*\}|u[0-9a-fA-F]{4}|U[0-9a-fA-F]{8}|.)|.",
    re.DOTALL,
)


def global_flag_groups(pattern: str, verbose: bool) -> list[tuple[int, int, str]]:
    """Where the global inline flag groups of ``pattern`` are: (start, end, letters),
    skipping escapes, character classes, ``(?#...)`` comments and, in verbose mode,
    ``#`` comments."""
    found: list[tuple[int, int, str]] = []
    i, n = 0, len(pattern)
    while i < n:
        char = pattern[i]
        if char == "\\":
            i += 2
        elif char == "[":
            i += 1
            if pattern.startswith("^", i):
                i += 1
            if pattern.startswith("]", i):
                i += 1
            while i < n and pattern[i] != "]":
                i += 2 if pattern[i] == "\\" else 1
            i += 1
        elif verbose and char == "#":
            end = pattern.find("\n", i)
            i = n if end < 0 else end + 1
        elif pattern.startswith("(?#", i):
            end = pattern.find(")", i)
            i = n if end < 0 else end + 1
        elif pattern.startswith("(?", i):
            j = i + 2
            while j < n and pattern[j] in FLAG_LETTERS:
                j += 1
            if j > i + 2 and pattern.startswith(")", j):
                found.append((i, j + 1, pattern[i + 2 : j]))
                i = j + 1
            else:
                i += 2
        else:
            i += 1
    return found


def _misplaced_at(pattern: str | bytes, flags: int) -> int | None:
    """The position this Python reports for a misplaced global flag, or None when the
    pattern compiles (or fails for another reason)."""
    try:
        re.compile(pattern, flags)
    except re.error as error:
        if MISPLACED in error.msg and error.pos is not None:
            return error.pos
    except (TypeError, ValueError, RecursionError, OverflowError):
        return None
    return None


@codemod(
    name="regex-global-flags-first",
    summary="global regex flags not at the start of a literal pattern -> moved to its start",
    safety="safe",
    triggers=("(?",),
    library_note="Python 3.11 rejects global regex flags not at the start",
)
class RegexGlobalFlagsFirst(CodemodTransformer):
    @staticmethod
    def gate(code: CodeIndex, facts: ProjectFacts) -> bool:
        """The ``re`` module in the file."""
        return code.has("re")

    def __init__(self, ctx: FileContext) -> None:
        super().__init__(ctx)

    def leave_Call(self, original_node: cst.Call, updated_node: cst.Call) -> cst.BaseExpression:
        names = self.names_among(original_node.func, PATTERN_FUNCTIONS)
        if not names:
            return updated_node
        function = min(names).rpartition(".")[2]
        argument = _pattern_argument(updated_node)
        if argument is None:
            return updated_node
        flags = self._flags(updated_node, function)
        literal = argument.value
        if isinstance(literal, cst.ConcatenatedString):
            value = literal.evaluated_value
            if value is not None and self._rejected(value, flags) is not None:
                self.review(
                    original_node,
                    "a global regex flag not at the start of this pattern (Python 3.11 "
                    "rejects it): move it to the start of the first literal by hand",
                )
            return updated_node
        if not isinstance(literal, cst.SimpleString):
            return updated_node
        value = literal.evaluated_value
        if not isinstance(value, str | bytes):
            return updated_node
        position = self._rejected(value, flags)
        if position is None:
            return updated_node
        moved = _moved_to_start(literal, flags, position)
        if isinstance(moved, str):
            self.review(
                original_node,
                "a global regex flag not at the start of this pattern (Python 3.11 rejects "
                f"it) is left where it is ({moved}): move it to the start by hand",
            )
            return updated_node
        self.changed(
            original_node,
            "global regex flags not at the start of the pattern -> moved to its start "
            "(Python 3.11 rejects them elsewhere)",
        )
        return updated_node.with_changes(
            args=[
                arg.with_changes(value=moved) if arg is argument else arg
                for arg in updated_node.args
            ]
        )

    @staticmethod
    def _rejected(value: str | bytes, flags: int | None) -> int | None:
        """Where this Python rejects a misplaced global flag, under the call's flags (both
        with and without verbose mode when they are not known)."""
        if flags is not None:
            return _misplaced_at(value, flags)
        plain = _misplaced_at(value, 0)
        return plain if plain is not None and _misplaced_at(value, re.X) is not None else None

    def _flags(self, call: cst.Call, function: str) -> int | None:
        """The call's ``flags`` when written with the ``re`` constants (0 when absent),
        None when they cannot be known."""
        argument = keyword(call, "flags")
        if argument is None:
            position = FLAGS_POSITION.get(function, 2)
            positional = [a for a in call.args if a.keyword is None and not a.star]
            if any(a.star for a in call.args):
                return None
            if len(positional) <= position:
                return 0
            argument = positional[position]
        return self._flag_value(argument.value)

    def _flag_value(self, node: cst.BaseExpression) -> int | None:
        if isinstance(node, cst.BinaryOperation) and isinstance(node.operator, cst.BitOr):
            left, right = self._flag_value(node.left), self._flag_value(node.right)
            return None if left is None or right is None else left | right
        if isinstance(node, cst.Integer) and node.value == "0":
            return 0
        for name in self.qualified_names(node):
            module, _, attr = name.rpartition(".")
            if module in ("re", "re.RegexFlag") and attr in RE_FLAGS:
                return int(RE_FLAGS[attr])
        return None


def _pattern_argument(call: cst.Call) -> cst.Arg | None:
    named = keyword(call, "pattern")
    if named is not None:
        return named
    first = call.args[0] if call.args else None
    return first if first is not None and first.keyword is None and not first.star else None


def _moved_to_start(
    literal: cst.SimpleString, flags: int | None, rejected_at: int
) -> cst.SimpleString | str:
    """``literal`` with its global flag groups moved to the start of the pattern, the
    rest of its code as written; why not, when that cannot be done plainly and checked.
    ``rejected_at``: where Python's own parser found a misplaced group, which must be one
    of those found here."""
    value = literal.evaluated_value
    is_bytes = isinstance(value, bytes)
    pattern = value.decode("latin-1") if isinstance(value, bytes) else value
    if not isinstance(pattern, str):
        return "the literal could not be read"
    prefix, quote = literal.prefix, literal.quote
    body = literal.value[len(prefix) + len(quote) : len(literal.value) - len(quote)]
    units = _escape_units(body, prefix)
    if units is None or "".join(text for _s, _e, text in units) != pattern:
        return "the literal could not be read"
    verbose = bool((flags or 0) & re.X)
    groups = global_flag_groups(pattern, verbose)
    if not verbose and any("x" in letters for _s, _e, letters in groups):
        groups = global_flag_groups(pattern, True)
    if not any(start == rejected_at for start, _e, _l in groups):
        return "Python rejects a group this tool did not find"
    # Where each character of the pattern is written in the literal's body.
    source_of: list[tuple[int, int, bool]] = []
    for start, end, text in units:
        plain = end - start == 1
        source_of.extend((start, end, plain) for _ in text)
    removed: list[tuple[int, int]] = []
    for start, end, _letters in groups:
        if not all(source_of[i][2] for i in range(start, end)):
            return "the flag group is written with escapes"
        following = pattern[end : end + 1]
        if following and following in "*+?{0123456789":
            return f"removing it would join what surrounds it, before {following!r}"
        removed.append((source_of[start][0], source_of[end - 1][1]))
    letters = "".join(dict.fromkeys("".join(letters for _s, _e, letters in groups)))
    new_body = f"(?{letters})"
    cursor = 0
    for start, end in removed:
        new_body += body[cursor:start]
        cursor = end
    new_body += body[cursor:]
    candidate = literal.with_changes(value=f"{prefix}{quote}{new_body}{quote}")
    stripped = "".join(
        pattern[previous_end:start]
        for (previous_end, start) in zip(
            [0, *(end for _s, end, _l in groups)],
            [*(start for start, _e, _l in groups), len(pattern)],
            strict=True,
        )
    )
    wanted = f"(?{letters}){stripped}"
    expected: str | bytes = wanted.encode("latin-1") if is_bytes else wanted
    try:
        written = ast.literal_eval(candidate.value)
        re.compile(expected, flags or 0)
    except (SyntaxError, ValueError, re.error):
        return "the moved pattern does not compile"
    if written != expected:
        return "the literal could not be rewritten plainly"
    return candidate
