"""The second, cheaper gate: can a codemod apply to this file at all?

The byte prefilter lets through every file that *mentions* a trigger, in a comment, a
docstring or as part of a longer name. Before paying for a LibCST parse (and its
metadata, several times the parse), the file is parsed with ``ast`` (C speed, an order
of magnitude cheaper) and its *code words* are collected: identifiers, attribute names,
parameter and keyword names, imported names, string constants that are not docstrings,
and phrases for the async statements (``async def``, ``await``, ``async with``,
``async for``). A trigger passes when every identifier in it occurs in those words;
comments and docstrings can no longer trigger anything.

A codemod may also declare a ``gate`` of its own (a predicate on :class:`CodeIndex` and
the project facts), for triggers too common to decide anything (``Mock``, ``loop``); it
is evaluated once the facts of every file are known. The gate is only ever
a cheaper "no": a test checks that it lets every golden case a codemod changes through.
"""

from __future__ import annotations

import ast
import keyword
import re
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from async_test_upgrade.facts import ProjectFacts
    from async_test_upgrade.registry import Codemod

_IDENTIFIER = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")

_PHRASES: dict[type[ast.AST], str] = {
    ast.AsyncFunctionDef: "async def",
    ast.Await: "await",
    ast.AsyncWith: "async with",
    ast.AsyncFor: "async for",
    ast.Yield: "yield",
    ast.YieldFrom: "yield from",
}


class CodeIndex:
    """What a module's code (not its comments or docstrings) mentions."""

    __slots__ = ("_text", "path", "words")

    def __init__(self, words: frozenset[str], path: str = "") -> None:
        self.words = words
        #: The file's project-relative posix path, for gates that depend on where it is.
        self.path = path
        self._text: str | None = None

    def __getstate__(self) -> tuple[frozenset[str], str]:
        return self.words, self.path

    def __setstate__(self, state: tuple[frozenset[str], str]) -> None:
        self.words, self.path = state
        self._text = None

    @property
    def text(self) -> str:
        """The words joined, for substring tests."""
        if self._text is None:
            self._text = "\n".join(self.words)
        return self._text

    def has(self, word: str) -> bool:
        return word in self.words

    def mentions(self, fragment: str) -> bool:
        """``fragment`` occurs inside some code word (substring semantics)."""
        return fragment in self.text

    def allows(self, trigger: bytes) -> bool:
        text = trigger.decode("utf-8", "replace")
        if text in _PHRASES.values():
            return text in self.words
        for phrase in ("async def", "async with", "async for", "await"):
            if phrase in text and not self.has(phrase):
                return False
        runs = [r for r in _IDENTIFIER.findall(text) if not keyword.iskeyword(r)]
        # Punctuation or keywords only leave nothing more to judge by.
        return all(self.mentions(run) for run in runs)


def _is_docstring(node: ast.AST) -> bool:
    return (
        isinstance(node, ast.Expr)
        and isinstance(node.value, ast.Constant)
        and isinstance(node.value.value, str)
    )


def index(tree: ast.AST) -> CodeIndex:
    words: set[str] = set()
    add = words.add
    skip: set[int] = set()
    for node in ast.walk(tree):
        if id(node) in skip:
            continue
        phrase = _PHRASES.get(type(node))
        if phrase is not None:
            add(phrase)
        if isinstance(node, ast.Name):
            add(node.id)
        elif isinstance(node, ast.Attribute):
            add(node.attr)
        elif isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            add(node.name)
        elif isinstance(node, ast.arg):
            add(node.arg)
        elif isinstance(node, ast.keyword):
            if node.arg:
                add(node.arg)
        elif isinstance(node, ast.alias):
            add(node.name)
            if node.asname:
                add(node.asname)
        elif isinstance(node, ast.ImportFrom):
            if node.module:
                add(node.module)
        elif isinstance(node, ast.Global | ast.Nonlocal):
            words.update(node.names)
        elif isinstance(node, ast.Constant) and isinstance(node.value, str):
            add(node.value)
        elif _is_docstring(node):
            # A bare string statement documents; it is not code. Skip its constant.
            skip.add(id(node.value))  # type: ignore[attr-defined]
    return CodeIndex(frozenset(words))


def parse_index(source: bytes, path: str = "") -> CodeIndex | None:
    """The index of ``source``, or None when ``ast`` cannot parse it (let LibCST report)."""
    try:
        tree = ast.parse(source)
    except (SyntaxError, ValueError):
        return None
    code = index(tree)
    code.path = path
    return code


def triggered(names: Sequence[str], codemods: Mapping[str, Codemod], code: CodeIndex) -> list[str]:
    """The codemods among ``names`` with a trigger in the code itself."""
    return [
        name
        for name in names
        if not codemods[name].triggers or any(code.allows(t) for t in codemods[name].triggers)
    ]


def lets_through(record: Codemod, code: CodeIndex, facts: ProjectFacts) -> bool:
    """Whether ``record`` can apply to a file with this code, given the project facts."""
    if record.triggers and not any(code.allows(t) for t in record.triggers):
        return False
    return record.gate is None or record.gate(code, facts)
