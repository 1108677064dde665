"""What every codemod transformer stands on: its context, and LibCST helpers.

A codemod is a :class:`CodemodTransformer`: a LibCST transformer that reads the
project facts and the user's options from ``self.ctx`` and reports what it did through
it (changes with their evidence, notes, imports to add or drop, settings to request).
It never reads or writes files.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Sequence
from dataclasses import dataclass, field
from pathlib import PurePosixPath
from typing import Any, ClassVar

import libcst as cst
import libcst.matchers as m
from libcst.metadata import (
    MetadataWrapper,
    ProviderT,
    QualifiedName,
    QualifiedNameProvider,
)

from async_test_upgrade.facts import ProjectFacts
from async_test_upgrade.model import Change, ConfigEdit, Note, Options
from async_test_upgrade.names import NameResolver
from async_test_upgrade.providers import SourceView
from async_test_upgrade.pytest_api import FIXTURE_DECORATORS


@dataclass(frozen=True)
class ImportRequest:
    module: str
    obj: str | None = None
    asname: str | None = None


@dataclass
class FileContext:
    """One file as one codemod sees it, and the sink for what the codemod reports."""

    path: str  # relative posix path, for display
    module_name: str
    facts: ProjectFacts
    options: Options
    codemod: str = ""
    changes: list[Change] = field(default_factory=list)
    notes: list[Note] = field(default_factory=list)
    config_edits: list[ConfigEdit] = field(default_factory=list)
    imports_to_add: list[ImportRequest] = field(default_factory=list)
    imports_to_drop: list[ImportRequest] = field(default_factory=list)
    #: The metadata wrapper of the tree being transformed (metadata resolved on demand).
    wrapper: MetadataWrapper | None = None
    #: Qualified names of imported names, answered without the scope analysis.
    names: NameResolver | None = None
    #: The tree's code and its nodes' lines.
    view: SourceView | None = None

    @property
    def is_conftest(self) -> bool:
        return PurePosixPath(self.path).name == "conftest.py"

    @property
    def is_test_module(self) -> bool:
        name = PurePosixPath(self.path).name
        return name.startswith("test_") or name.endswith("_test.py")


# --- visiting ------------------------------------------------------------------------------
#
# LibCST finds a visitor's ``visit_<Node>``/``leave_<Node>`` method by formatting its
# name and calling getattr, for every node, and does the same for ``visit_<Node>_<field>``
# hooks on every field of every node. These bases look each method up once per visitor
# class and node type, and skip the field hooks entirely for classes that define none.

_UNSET: object = object()
_FIELD_HOOK = re.compile(r"(?:visit|leave)_[A-Z][A-Za-z]*_[A-Za-z_]+$")


def _no_field_hook(self: object, node: cst.CSTNode, attribute: str) -> None:
    pass


def _visit_field_hook(self: object, node: cst.CSTNode, attribute: str) -> None:
    method = getattr(self, f"visit_{type(node).__name__}_{attribute}", None)
    if method is not None:
        method(node)


def _leave_field_hook(self: object, node: cst.CSTNode, attribute: str) -> None:
    method = getattr(self, f"leave_{type(node).__name__}_{attribute}", None)
    if method is not None:
        method(node)


def has_field_hooks(visitor: object) -> bool:
    """Whether ``visitor`` defines any ``visit_<Node>_<field>``/``leave_...`` hook."""
    return getattr(type(visitor), "on_visit_attribute", None) is not _no_field_hook


class _FastDispatch:
    """The lookups shared by :class:`Visitor` and :class:`Transformer` (put first in
    the bases, before LibCST's class)."""

    _visit_table: ClassVar[dict[type, Any]]
    _leave_table: ClassVar[dict[type, Any]]

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        cls._visit_table = {}
        cls._leave_table = {}
        # LibCST's own base classes declare a stub for every hook: look at ours only.
        hooks = any(
            _FIELD_HOOK.match(name)
            for klass in cls.__mro__
            if not klass.__module__.startswith("libcst")
            for name in vars(klass)
        )
        type.__setattr__(cls, "on_visit_attribute", _visit_field_hook if hooks else _no_field_hook)
        type.__setattr__(cls, "on_leave_attribute", _leave_field_hook if hooks else _no_field_hook)

    def _method(self, table: dict[type, Any], prefix: str, node_type: type) -> Any:
        found = table.get(node_type, _UNSET)
        if found is _UNSET:
            found = table[node_type] = getattr(type(self), prefix + node_type.__name__, None)
        return found

    def on_visit(self, node: cst.CSTNode) -> bool:
        method = self._visit_table.get(type(node), _UNSET)
        if method is _UNSET:
            method = self._method(self._visit_table, "visit_", type(node))
        return True if method is None else method(self, node) is not False


class Visitor(_FastDispatch, cst.CSTVisitor):
    """A CSTVisitor with cached method lookup (same behaviour)."""

    def on_leave(self, original_node: cst.CSTNode) -> None:
        method = self._leave_table.get(type(original_node), _UNSET)
        if method is _UNSET:
            method = self._method(self._leave_table, "leave_", type(original_node))
        if method is not None:
            method(self, original_node)


class Transformer(_FastDispatch, cst.CSTTransformer):
    """A CSTTransformer with cached method lookup (same behaviour)."""

    def on_leave(  # type: ignore[override]
        self, original_node: cst.CSTNode, updated_node: cst.CSTNode
    ) -> Any:
        method = self._leave_table.get(type(original_node), _UNSET)
        if method is _UNSET:
            method = self._method(self._leave_table, "leave_", type(original_node))
        return updated_node if method is None else method(self, original_node, updated_node)


class CodemodTransformer(Transformer):
    """Base class of every source-rewriting codemod."""

    #: Declared metadata is resolved on the first question that needs it. Line numbers
    #: of changes and notes come from ``ctx.view``, not from PositionProvider.
    METADATA_DEPENDENCIES: ClassVar[Collection[ProviderT]] = (QualifiedNameProvider,)
    #: Set by the ``@codemod`` decorator.
    codemod_name: ClassVar[str] = ""

    def __init__(self, ctx: FileContext) -> None:
        super().__init__()
        self.ctx = ctx

    # --- reporting ------------------------------------------------------------------------

    def line(self, node: cst.CSTNode) -> int:
        """The line ``node`` starts on (as PositionProvider counts it), 0 if unknown."""
        view = self.ctx.view
        return view.line(node) if view is not None else 0

    def changed(self, node: cst.CSTNode, description: str) -> None:
        """Record one rewrite; ``description`` says what and on which evidence."""
        self.ctx.changes.append(
            Change(self.ctx.path, self.line(node), self.codemod_name, description)
        )

    def review(self, node: cst.CSTNode, reason: str) -> None:
        """A "needs review" note at ``node``'s line."""
        self.ctx.notes.append(Note(self.ctx.path, self.line(node), self.codemod_name, reason))

    def request_setting(self, key: str, value: str | None, reason: str, node: cst.CSTNode) -> None:
        origin = f"{self.ctx.path}:{self.line(node)}"
        self.ctx.config_edits.append(ConfigEdit(key, value, self.codemod_name, reason, origin))

    def add_import(self, module: str, obj: str | None = None, asname: str | None = None) -> None:
        self.ctx.imports_to_add.append(ImportRequest(module, obj, asname))

    def drop_import_if_unused(
        self, module: str, obj: str | None = None, asname: str | None = None
    ) -> None:
        self.ctx.imports_to_drop.append(ImportRequest(module, obj, asname))

    # --- names ------------------------------------------------------------------------------

    def qualified_names(self, node: cst.CSTNode) -> set[str]:
        """What ``node`` may refer to, resolved through imports (as QualifiedNameProvider
        gives it; the common cases without paying for the scope analysis)."""
        if self.ctx.names is not None:
            fast = self.ctx.names.qualified_names(node)
            if fast is not None:
                return self._absolute_names(fast)
        try:
            names: Collection[QualifiedName] = self.get_metadata(QualifiedNameProvider, node)
        except KeyError:
            return set()
        return self._absolute_names({q.name for q in names})

    def import_source(self, node: cst.ImportFrom) -> str:
        """The module a ``from ... import`` reads, spelled from the project root."""
        module = cst.Module([]).code_for_node(node.module) if node.module is not None else ""
        dots = "." * len(node.relative)
        return absolute_name(dots + module, self.ctx.module_name, self.ctx.path)

    def _absolute_names(self, names: set[str]) -> set[str]:
        """Relative-import names (``..base.Case``) spelled from the project root."""
        if not any(name.startswith(".") for name in names):
            return names
        return {absolute_name(name, self.ctx.module_name, self.ctx.path) for name in names}

    def names_among(self, node: cst.CSTNode, wanted: Collection[str]) -> set[str]:
        """The qualified names of ``node`` that are in ``wanted`` (cheaply settled when
        the spelling rules every one of them out)."""
        if self.ctx.names is not None and self.ctx.names.cannot_be_any_of(node, wanted):
            return set()
        return self.qualified_names(node) & set(wanted)

    def is_name(self, node: cst.CSTNode, *qualified: str) -> bool:
        """Whether ``node`` refers to one of ``qualified``, resolved through imports."""
        return bool(self.names_among(node, qualified))


def absolute_name(name: str, module: str, path: str) -> str:
    """``..base.Case`` as seen from ``module`` (the file at ``path``): ``pkg.base.Case``."""
    stripped = name.lstrip(".")
    level = len(name) - len(stripped)
    if not level:
        return name
    package = module.split(".") if module else []
    if not path.endswith("__init__.py"):
        package = package[:-1]
    if level > 1:
        package = package[: max(0, len(package) - (level - 1))]
    return ".".join([*package, *([stripped] if stripped else [])])


# --- small tree helpers ---------------------------------------------------------------------


def callee(node: cst.BaseExpression) -> cst.BaseExpression:
    """The thing called, for a decorator or mark that may or may not be called."""
    return node.func if isinstance(node, cst.Call) else node


def fixture_decorator(t: CodemodTransformer, node: cst.FunctionDef) -> cst.Decorator | None:
    """The decorator that makes ``node`` a fixture (``pytest.fixture``,
    ``pytest_asyncio.fixture``, or the ``pytest.yield_fixture`` alias), called or not."""
    for decorator in node.decorators:
        if t.is_name(callee(decorator.decorator), *FIXTURE_DECORATORS):
            return decorator
    return None


def is_fixture(t: CodemodTransformer, node: cst.FunctionDef) -> bool:
    return fixture_decorator(t, node) is not None


def keyword(call: cst.Call, name: str) -> cst.Arg | None:
    for arg in call.args:
        if arg.keyword is not None and arg.keyword.value == name:
            return arg
    return None


def string_value(node: cst.BaseExpression | None) -> str | None:
    """The value of a plain string literal, else None."""
    if isinstance(node, cst.SimpleString):
        value = node.evaluated_value
        return value if isinstance(value, str) else None
    return None


def set_keyword(call: cst.Call, name: str, value: cst.BaseExpression) -> cst.Call:
    """``call`` with keyword ``name`` set to ``value`` (replaced in place or appended)."""
    args = list(call.args)
    for index, arg in enumerate(args):
        if arg.keyword is not None and arg.keyword.value == name:
            args[index] = arg.with_changes(value=value)
            return call.with_changes(args=args)
    new_arg = cst.Arg(
        keyword=cst.Name(name),
        value=value,
        equal=cst.AssignEqual(
            whitespace_before=cst.SimpleWhitespace(""), whitespace_after=cst.SimpleWhitespace("")
        ),
    )
    if args:
        last = args[-1]
        if last.comma is cst.MaybeSentinel.DEFAULT:
            args[-1] = last.with_changes(
                comma=cst.Comma(whitespace_after=cst.SimpleWhitespace(" "))
            )
        elif isinstance(last.comma, cst.Comma):
            # Keep a trailing comma (and the layout after it) on the new last argument.
            new_arg = new_arg.with_changes(comma=last.comma)
            args[-1] = last.with_changes(
                comma=cst.Comma(whitespace_after=cst.SimpleWhitespace(" "))
            )
    return call.with_changes(args=[*args, new_arg])


def without_args(call: cst.Call, drop: Sequence[cst.Arg]) -> cst.Call:
    """``call`` minus the given arguments, with commas tidied."""
    kept = [a for a in call.args if not any(a is d for d in drop)]
    if kept and kept[-1].comma is not cst.MaybeSentinel.DEFAULT and len(kept) < len(call.args):
        last_original = call.args[-1]
        kept[-1] = kept[-1].with_changes(comma=last_original.comma)
        if not isinstance(last_original.comma, cst.Comma):
            kept[-1] = kept[-1].with_changes(comma=cst.MaybeSentinel.DEFAULT)
    return call.with_changes(args=kept)


def string_literal(value: str) -> cst.SimpleString:
    return cst.SimpleString(f'"{value}"')


def is_decorated_with(node: cst.FunctionDef | cst.ClassDef, matcher: m.BaseMatcherNode) -> bool:
    return any(m.matches(d.decorator, matcher) for d in node.decorators)


# --- removing statements without losing the comments above them ----------------------------


class CommentKeepingRemoval(CodemodTransformer):
    """A codemod that deletes statements without deleting the comments written above
    them: they move to the next statement of the same block (or to the block's end).

    ``leave_SimpleStatementLine`` returns :meth:`drop` of the updated line instead of
    ``RemoveFromParent()``; the blocks holding dropped lines are rebuilt on the way out."""

    def __init__(self, ctx: FileContext) -> None:
        super().__init__(ctx)
        # The dropped lines themselves are held until their block is rebuilt, so that no
        # node made later in the traversal can reuse one of their ids.
        self._dropped: dict[int, cst.SimpleStatementLine] = {}

    def drop(self, line: cst.SimpleStatementLine) -> cst.SimpleStatementLine:
        self._dropped[id(line)] = line
        return line

    def dropping(self, node: object) -> bool:
        """Whether ``node`` is a line this codemod has dropped (gone once its block is
        rebuilt)."""
        return self._dropped.get(id(node)) is node

    def _kept(
        self, body: Sequence[cst.BaseStatement]
    ) -> tuple[list[cst.BaseStatement], list[cst.EmptyLine]]:
        kept: list[cst.BaseStatement] = []
        pending: list[cst.EmptyLine] = []
        for statement in body:
            if self._dropped.pop(id(statement), None) is statement:
                pending.extend(
                    line
                    for line in getattr(statement, "leading_lines", ())
                    if line.comment is not None
                )
                trailing = getattr(statement, "trailing_whitespace", None)
                if trailing is not None and trailing.comment is not None:
                    pending.append(cst.EmptyLine(comment=trailing.comment))
                continue
            if pending:
                statement = statement.with_changes(
                    leading_lines=[*pending, *statement.leading_lines]  # type: ignore[attr-defined]
                )
                pending = []
            kept.append(statement)
        return kept, pending

    def leave_IndentedBlock(
        self, original_node: cst.IndentedBlock, updated_node: cst.IndentedBlock
    ) -> cst.IndentedBlock:
        if not self._dropped:
            return updated_node
        kept, pending = self._kept(updated_node.body)
        if not kept:
            kept = [cst.SimpleStatementLine(body=[cst.Pass()], leading_lines=pending)]
            pending = []
        return updated_node.with_changes(body=kept, footer=[*pending, *updated_node.footer])

    def leave_Module(self, original_node: cst.Module, updated_node: cst.Module) -> cst.Module:
        if not self._dropped:
            return updated_node
        kept, pending = self._kept(updated_node.body)
        return updated_node.with_changes(body=kept, footer=[*pending, *updated_node.footer])
