"""Qualified names of ``a.b.c`` expressions, without LibCST's scope analysis where possible.

LibCST's :class:`~libcst.metadata.QualifiedNameProvider` costs about ten parses of the
file, and every codemod that rewrites something makes the next one pay it again. Yet
almost every question a codemod asks is "is this ``pytest.mark.asyncio`` / ``MagicMock``
/ ``asyncio.run``?", about a name the file imports at module level and binds nowhere
else. Those are answered here from the module's import statements and Python's own
symbol table (``symtable``, a fraction of a millisecond), with exactly the answer the
provider would give. Anything else (a name bound in a function or class, assigned at
module level, a star import, an expression that is not a plain dotted name) returns
``None``, and the caller asks the provider.
"""

from __future__ import annotations

import builtins
import symtable
from collections.abc import Collection, Iterator, Sequence

import libcst as cst
from libcst.helpers import get_full_name_for_node

from async_test_upgrade.providers import SourceView

_BUILTINS = frozenset(dir(builtins))


def dotted_name(node: cst.CSTNode) -> str | None:
    """``a.b.c`` for a chain of names and attributes, spelled as LibCST spells it for
    its scope lookups (``f().x`` is ``f.x``, ``d[k].x`` is ``d.x``); else None."""
    if isinstance(node, (cst.Name, cst.Attribute, cst.Call, cst.Subscript)):
        return get_full_name_for_node(node)
    return None


def _module_level_imports(body: Sequence[cst.CSTNode]) -> Iterator[cst.CSTNode]:
    """Import statements that run in module scope (also inside if/try/with/for/while)."""
    for statement in body:
        if isinstance(statement, cst.SimpleStatementLine):
            for small in statement.body:
                if isinstance(small, (cst.Import, cst.ImportFrom)):
                    yield small
        elif isinstance(statement, (cst.FunctionDef, cst.ClassDef)):
            continue
        elif isinstance(statement, cst.BaseCompoundStatement):
            for block in _blocks(statement):
                yield from _module_level_imports(block)


def _all_imports(body: Sequence[cst.CSTNode]) -> Iterator[cst.Import | cst.ImportFrom]:
    """Import statements anywhere in the module, in any scope."""
    pending = [body]
    while pending:
        for statement in pending.pop():
            if isinstance(statement, cst.SimpleStatementLine):
                for small in statement.body:
                    if isinstance(small, (cst.Import, cst.ImportFrom)):
                        yield small
            elif isinstance(statement, (cst.FunctionDef, cst.ClassDef)):
                pending.append(list(statement.body.body))
            elif isinstance(statement, cst.BaseCompoundStatement):
                pending.extend(_blocks(statement))


def _blocks(statement: cst.BaseCompoundStatement) -> Iterator[list[cst.CSTNode]]:
    """The statement lists of a compound statement and its else/except/finally parts."""
    pending: list[cst.CSTNode | None] = [statement]
    while pending:
        node = pending.pop()
        if node is None:
            continue
        body = getattr(node, "body", None)
        if isinstance(body, cst.IndentedBlock | cst.SimpleStatementSuite):
            yield list(body.body)
        for name in ("orelse", "finalbody"):
            pending.append(getattr(node, name, None))
        pending.extend(getattr(node, "handlers", ()))
        pending.extend(getattr(node, "cases", ()))


def _chain_ids(node: cst.BaseExpression) -> Iterator[int]:
    while isinstance(node, cst.Attribute):
        yield id(node)
        yield id(node.attr)
        node = node.value
    yield id(node)


def _bound_name(alias: cst.ImportAlias) -> str | None:
    if alias.asname is not None:
        return alias.evaluated_alias
    full = dotted_name(alias.name)
    return full.split(".")[0] if full else None


def _import_qualified_names(statement: cst.Import | cst.ImportFrom, full_name: str) -> set[str]:
    """What LibCST's ImportAssignment gives for ``full_name`` bound by ``statement``."""
    module = ""
    if isinstance(statement, cst.ImportFrom):
        if statement.module is not None:
            module = dotted_name(statement.module) or ""
        if statement.relative:
            module = "." * len(statement.relative) + module
    results: set[str] = set()
    if isinstance(statement.names, cst.ImportStar):
        return results
    for alias in statement.names:
        real = dotted_name(alias.name)
        if not real:
            continue
        parts = real.split(".")
        for prefix in (".".join(parts[:i]) for i in range(len(parts), 0, -1)):
            as_name = prefix
            if module and module.endswith("."):
                real_name = f"{module}{prefix}"
            elif module:
                real_name = f"{module}.{prefix}"
            else:
                real_name = prefix
            if alias.asname is not None:
                evaluated = alias.evaluated_alias
                if evaluated is not None:
                    as_name = evaluated
            if full_name.startswith(as_name):
                remaining = full_name.split(as_name, 1)[1]
                if remaining and not remaining.startswith("."):
                    continue
                remaining = remaining.lstrip(".")
                results.add(f"{real_name}.{remaining}" if remaining else real_name)
                break
    return results


class NameResolver:
    """Qualified names for one version of one module's tree.

    Built lazily: a codemod that asks nothing pays nothing. :meth:`qualified_names`
    returns None where only the scope analysis can answer.
    """

    def __init__(self, view: SourceView, path: str = "<file>") -> None:
        self.module = view.module
        self.view = view
        self.path = path
        self._ready = False
        self._usable = False
        #: Names bound at module level by imports only, and the statements binding them.
        self._imported: dict[str, list[cst.Import | cst.ImportFrom]] = {}
        #: Names bound at module level by anything else.
        self._other: set[str] = set()
        #: Names bound (or declared global/nonlocal) in any function, class or
        #: comprehension scope.
        self._nested: set[str] = set()
        #: The name nodes inside module-level import statements (the provider treats
        #: them as the bindings they are, not as uses).
        self._in_imports: set[int] = set()
        #: Every name an import binds, in any scope.
        self._imported_anywhere: set[str] = set()

    def _prepare(self) -> None:
        self._ready = True
        try:
            table = symtable.symtable(self.view.code, self.path, "exec")
        except (SyntaxError, ValueError):
            return
        for symbol in table.get_symbols():
            name = symbol.get_name()
            if symbol.is_imported():
                self._imported_anywhere.add(name)
            if symbol.is_imported() and not symbol.is_assigned() and not symbol.is_annotated():
                self._imported[name] = []
            elif symbol.is_local() or symbol.is_assigned() or symbol.is_annotated():
                self._other.add(name)
        pending = list(table.get_children())
        while pending:
            scope = pending.pop()
            pending.extend(scope.get_children())
            for symbol in scope.get_symbols():
                if symbol.is_imported():
                    self._imported_anywhere.add(symbol.get_name())
                if symbol.is_local() or symbol.is_declared_global() or symbol.is_nonlocal():
                    self._nested.add(symbol.get_name())
        for anywhere in _all_imports(self.module.body):
            if isinstance(anywhere, cst.ImportFrom) and anywhere.module is not None:
                self._in_imports.update(_chain_ids(anywhere.module))
            if isinstance(anywhere.names, cst.ImportStar):
                continue
            for alias in anywhere.names:
                self._in_imports.update(_chain_ids(alias.name))
                if alias.asname is not None:
                    self._in_imports.update(_chain_ids(alias.asname.name))
        for statement in _module_level_imports(self.module.body):
            assert isinstance(statement, (cst.Import, cst.ImportFrom))
            if isinstance(statement.names, cst.ImportStar):
                return  # any name may come from it: leave everything to the provider
            for alias in statement.names:
                bound = _bound_name(alias)
                if bound in self._imported:
                    self._imported[bound].append(statement)
        self._usable = True

    def cannot_be_any_of(self, node: cst.CSTNode, wanted: Collection[str]) -> bool:
        """True when no qualified name of ``node`` can be in ``wanted``, for sure.

        The provider names ``a.b.c`` in one of three ways: through an import of ``a``
        (the rest of the chain is kept, so the name ends in ``c``, unless ``c`` is a bare
        name bound by ``import x as c``), as a local name (``a.b.c`` itself, or with the
        enclosing function's or class's prefix), or as the builtin ``builtins.a``. A
        spelling none of whose possible names is wanted is settled without any analysis.
        """
        full_name = dotted_name(node)
        if full_name is None:
            return False
        if not self._ready:
            self._prepare()
        if not self._usable:
            return False
        head, _, _ = full_name.partition(".")
        builtin = f"builtins.{head}"
        suffix = f".{full_name}"
        if any(w in (full_name, builtin) or w.endswith(suffix) for w in wanted):
            return False
        if head not in self._imported_anywhere:
            return True  # only local or builtin names are possible
        if "." not in full_name:
            return False  # may be an alias: ``from m import x as head``
        last = full_name.rpartition(".")[2]
        return not any(w.rpartition(".")[2] == last for w in wanted)

    def may_bind(self, name: str) -> bool:
        """False when no scope of the file binds ``name`` (no assignment, definition,
        import, parameter or annotation anywhere), for sure."""
        if not self._ready:
            self._prepare()
        if not self._usable:
            return True
        return name in self._imported or name in self._other or name in self._nested

    def imported_only_from(self, name: str, modules: Collection[str]) -> bool:
        """True when ``name`` is bound nowhere but by module-level ``from m import name``
        statements, every ``m`` among ``modules``."""
        if not self._ready:
            self._prepare()
        statements = self._imported.get(name)
        if not self._usable or not statements or name in self._other or name in self._nested:
            return False
        for statement in statements:
            if not isinstance(statement, cst.ImportFrom) or statement.relative:
                return False
            if statement.module is None or dotted_name(statement.module) not in modules:
                return False
            assert not isinstance(statement.names, cst.ImportStar)
            for alias in statement.names:
                if _bound_name(alias) == name and dotted_name(alias.name) != name:
                    return False  # ``from m import other as name``
        return True

    def is_local(self, node: cst.CSTNode) -> bool:
        """True when ``node``'s first name is bound by no import and not at module level:
        whatever the provider gives for it is a function's or class's local (or a
        builtin), never a name another module defines."""
        full_name = dotted_name(node)
        if full_name is None:
            return False
        if not self._ready:
            self._prepare()
        head = full_name.partition(".")[0]
        return (
            self._usable
            and head in self._nested
            and head not in self._imported_anywhere
            and head not in self._imported
            and head not in self._other
        )

    def qualified_names(self, node: cst.CSTNode) -> set[str] | None:
        """The provider's answer for ``node``, or None if only the provider can give it."""
        full_name = dotted_name(node)
        if full_name is None:
            return None
        if not self._ready:
            self._prepare()
        if not self._usable or id(node) in self._in_imports:
            return None
        head = full_name.split(".", 1)[0]
        if head in self._nested or head.startswith("__"):
            return None  # a local; a private name (mangled) or a dunder (``__class__``)
        if head in self._other:
            if head in self._imported_anywhere or head in self._imported:
                return None
            # Bound only by module-level code other than imports (a class, a function,
            # an assignment, wherever it stands): the provider names it as spelled.
            return {full_name}
        statements = self._imported.get(head)
        if statements is not None:
            if not statements:
                return None  # bound by an import this reader does not see
            found: set[str] = set()
            for statement in statements:
                found |= _import_qualified_names(statement, full_name)
            return found
        return {f"builtins.{head}"} if head in _BUILTINS else set()
