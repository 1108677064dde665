"""The second, cheaper gate: can a codemod apply to this file at all?

The byte prefilter lets through every file that *mentions* a trigger, in a comment, a
docstring or as part of a longer name. Before paying for a LibCST parse (and its
metadata, several times the parse), the file is compiled (in C, an order of magnitude
cheaper) and its *code words* are read off the code objects: identifiers, attribute
names, parameter and keyword names, imported names, string constants that are not
docstrings, and phrases for the async statements (``async def``, ``await``, ``async
with``, ``async for``; present wherever an ``async def`` is). A trigger passes when
every identifier in it occurs in those words; comments and docstrings can no longer
trigger anything.

A codemod may also declare a ``gate`` of its own (a predicate on :class:`CodeIndex` and
the project facts), for triggers too common to decide anything (``Mock``, ``loop``); it
is evaluated once the facts of every file are known. The gate is only ever
a cheaper "no": a test checks that it lets every golden case a codemod changes through.
"""

from __future__ import annotations

import keyword
import re
import types
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from async_test_upgrade.facts import ProjectFacts
    from async_test_upgrade.registry import Codemod

_IDENTIFIER = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


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
        if text in _ASYNC_PHRASES or text in _YIELD_PHRASES:
            return text in self.words
        for phrase in ("async def", "async with", "async for", "await"):
            if phrase in text and not self.has(phrase):
                return False
        runs = [r for r in _IDENTIFIER.findall(text) if not keyword.iskeyword(r)]
        # Punctuation or keywords only leave nothing more to judge by.
        return all(self.mentions(run) for run in runs)


class TextIndex(CodeIndex):
    """A cheap superset of :class:`CodeIndex`, read off the raw text (comments and
    docstrings included): a word is there when it occurs anywhere in the text. A gate
    that says "no" to it says "no" to the code's own words too (gates only ever ask
    whether words are there), so it can turn files away before they are compiled. Its
    set of words is only built if a gate asks for it."""

    __slots__ = ("_all_words", "_phrases")

    def __init__(self, source: bytes, path: str = "") -> None:
        self.path = path
        self._text = source.decode("utf-8", "replace")
        self._all_words: frozenset[str] | None = None
        self._phrases: frozenset[str] | None = None

    @property
    def words(self) -> frozenset[str]:  # type: ignore[override]
        if self._all_words is None:
            self._all_words = frozenset(_IDENTIFIER.findall(self.text)) | self.phrases
        return self._all_words

    @property
    def phrases(self) -> frozenset[str]:
        """The async and yield phrases the code may hold (as :func:`index` adds them)."""
        if self._phrases is None:
            found: set[str] = set()
            if ("async" in self.text or "await" in self.text) and _ASYNC_WORD.search(self.text):
                found.update(_ASYNC_PHRASES)
            if _YIELD_WORD.search(self.text):  # a generator expression is a generator
                found.update(_YIELD_PHRASES)
            if "->" in self.text:  # a return annotation compiles to a "return" key
                found.add("return")
            self._phrases = frozenset(found)
        return self._phrases

    def has(self, word: str) -> bool:
        if word in _ASYNC_PHRASES or word in _YIELD_PHRASES:
            return word in self.phrases
        return word in self.text or word in self.phrases


class WithProducts(CodeIndex):
    """A file's words together with what the codemods before a gate may write into it
    (their declared ``produces``): an ``async def`` that event-loop-sync-to-async makes
    is there for strict-to-auto's gate, without that gate naming who makes it."""

    __slots__ = ("base", "extra")

    def __init__(self, base: CodeIndex, extra: frozenset[str]) -> None:
        self.base = base
        self.extra = extra
        self.path = base.path
        self._text = None

    @property
    def words(self) -> frozenset[str]:  # type: ignore[override]
        return self.base.words | self.extra

    def has(self, word: str) -> bool:
        return word in self.extra or self.base.has(word)

    def mentions(self, fragment: str) -> bool:
        return any(fragment in word for word in self.extra) or self.base.mentions(fragment)


def with_products(code: CodeIndex, produced: frozenset[str]) -> CodeIndex:
    return WithProducts(code, produced) if produced else code


_ASYNC_WORD = re.compile(r"\b(?:async|await)\b")
_YIELD_WORD = re.compile(r"\b(?:yield|for)\b")


_CO_OPTIMIZED = 0x1
_CO_GENERATOR = 0x20
_CO_ASYNC = 0x80 | 0x100 | 0x200  # coroutine, iterable coroutine, async generator
_ASYNC_PHRASES = ("async def", "await", "async with", "async for")
_YIELD_PHRASES = ("yield", "yield from")


def _docstring_index(code: types.CodeType) -> int | None:
    """Where a code object keeps its docstring among its constants, if it has one."""
    if code.co_name.startswith("<") and code.co_name != "<module>":
        return None  # lambdas and comprehensions have none
    if code.co_flags & _CO_OPTIMIZED:  # a function: slot 0, None when there is none
        return 0
    if "__doc__" not in code.co_names:
        return None
    return 0 if code.co_name == "<module>" else 1  # a class body starts with its name


def index(top: types.CodeType) -> CodeIndex:
    """The words of compiled code: every name it loads, stores, imports or passes as a
    keyword, every string constant but docstrings, and the async and yield phrases.
    Comments, docstrings and local variable annotations (never evaluated) are not code."""
    words: set[str] = set()
    stack = [top]
    while stack:
        code = stack.pop()
        words.update(code.co_names, code.co_varnames, code.co_cellvars, code.co_freevars)
        words.add(code.co_name)
        if code.co_flags & _CO_ASYNC:
            # await/async with/async for can only stand in an async def: a superset.
            words.update(_ASYNC_PHRASES)
        if code.co_flags & (_CO_GENERATOR | 0x200):
            words.update(_YIELD_PHRASES)
        skip = _docstring_index(code)
        constants = [c for i, c in enumerate(code.co_consts) if i != skip]
        while constants:
            constant = constants.pop()
            if isinstance(constant, str):
                words.add(constant)
            elif isinstance(constant, tuple | frozenset):
                constants.extend(constant)
            elif isinstance(constant, types.CodeType):
                stack.append(constant)
    return CodeIndex(frozenset(words))


def parse_index(source: bytes, path: str = "") -> CodeIndex | None:
    """The index of ``source``, or None when it does not compile (let LibCST report).

    Compiling is done in C and leaves a handful of code objects to read, where walking
    an ``ast`` tree in Python costs several times as much."""
    try:
        top = compile(source, path or "<source>", "exec", dont_inherit=True)
    except (SyntaxError, ValueError):
        return None
    code = index(top)
    code.path = path
    return code


def triggers_in_code(record: Codemod, code: CodeIndex) -> bool:
    """Whether one of ``record``'s triggers is in the code itself (or it has none)."""
    return not record.triggers or any(code.allows(t) for t in record.triggers)


def lets_through(record: Codemod, code: CodeIndex, facts: ProjectFacts) -> bool:
    """Whether ``record`` can apply to a file with this code, given the project facts."""
    return triggers_in_code(record, code) and own_gate_passes(record, code, facts)


def own_gate_passes(record: Codemod, code: CodeIndex, facts: ProjectFacts) -> bool:
    """The codemod's own gate alone (its triggers aside)."""
    return record.gate is None or record.gate(code, facts)
