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

import ast
import builtins
import symtable
from collections.abc import Collection, Iterator, Sequence

import libcst as cst
from libcst.helpers import get_full_name_for_node

from async_test_upgrade.providers import SourceView


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
    if isinstance(statement.names, cst.ImportStar):
        return set()
    aliases: list[tuple[str, str | None]] = []
    for alias in statement.names:
        real = dotted_name(alias.name)
        if real:
            aliases.append((real, alias.evaluated_alias if alias.asname is not None else None))
    return _imported_names(module, aliases, full_name)


def _imported_names(
    module: str, aliases: Sequence[tuple[str, str | None]], full_name: str
) -> set[str]:
    """What an import from ``module`` (``""`` for ``import x``) of ``aliases`` (each its
    dotted name and its ``as`` name) gives for ``full_name``, as LibCST spells it."""
    results: set[str] = set()
    for real, alias_name in aliases:
        parts = real.split(".")
        for prefix in (".".join(parts[:i]) for i in range(len(parts), 0, -1)):
            as_name = prefix
            if module and module.endswith("."):
                real_name = f"{module}{prefix}"
            elif module:
                real_name = f"{module}.{prefix}"
            else:
                real_name = prefix
            if alias_name is not None:
                as_name = alias_name
            if full_name.startswith(as_name):
                remaining = full_name.split(as_name, 1)[1]
                if remaining and not remaining.startswith("."):
                    continue
                remaining = remaining.lstrip(".")
                results.add(f"{real_name}.{remaining}" if remaining else real_name)
                break
    return results


# --- where a node stands: scopes by line -------------------------------------------------------
#
# The provider places every node in a scope (module, class body, function, lambda,
# comprehension) and names a function's locals ``f.<locals>.x``. Python's ``ast`` knows the
# same scopes with their lines; a node is placed by the line it starts on. A line that a
# scope starts or ends on, or that holds a lambda, a comprehension, an f-string, or a
# function's decorators, parameters or return annotation (evaluated in the enclosing scope),
# places nothing: the caller asks the provider about a node there.

#: What an identifier spelled on a line is: a read, an assignment target, the label of an
#: attribute or keyword, a function's or class's name, a parameter, or something else
#: (an import's, an ``except ... as``'s, a match pattern's).
_LOAD, _STORE, _LABEL, _DEF, _PARAM, _OTHER = "load", "store", "label", "def", "param", "other"
_VALUE = frozenset({_LOAD, _STORE})

#: An import statement as the provider reads it: its module and its (name, as name) pairs.
_ImportFrom = tuple[str, tuple[tuple[str, str | None], ...]]


class _Scope:
    """One function, class or module scope as the provider sees it."""

    __slots__ = ("bindings", "inline", "is_class", "parent", "prefix")

    def __init__(self, parent: _Scope | None, prefix: str, is_class: bool) -> None:
        #: A lambda's or comprehension's (nothing in it is answered).
        self.inline = False
        self.parent = parent
        self.prefix = prefix
        self.is_class = is_class
        #: Name -> its assignments in this scope: the line after which each counts (the
        #: provider ignores an assignment for a use that comes before it), and for an
        #: import, the module and the statement's names (see :func:`_imported_names`).
        self.bindings: dict[str, list[tuple[int, _ImportFrom | None]]] = {}

    def bind(self, name: str, line: int, source: _ImportFrom | None = None) -> None:
        self.bindings.setdefault(name, []).append((line, source))

    def names(self, name: str, full_name: str, before: int = 0) -> set[str]:
        """The provider's names for ``full_name`` through this scope's assignments of
        ``name`` (only those that count before line ``before``, if given)."""
        found: set[str] = set()
        for line, source in self.bindings[name]:
            if before and line >= before:
                continue
            if source is None:
                found.add(f"{self.prefix}.{full_name}")
            else:
                found |= _imported_names(source[0], source[1], full_name)
        return found

    def visible_parent(self) -> _Scope | None:
        """The next enclosing scope whose names this one sees (class bodies are skipped)."""
        scope = self.parent
        while scope is not None and scope.is_class:
            scope = scope.parent
        return scope


def _first_line(node: ast.stmt) -> int:
    decorators: list[ast.expr] = getattr(node, "decorator_list", None) or []
    return min([node.lineno, *(d.lineno for d in decorators)])


def _end(node: ast.AST | None) -> int:
    end: int | None = getattr(node, "end_lineno", None)
    return end or 0


class _Layout:
    """Every line's scope, every name's assignments per scope, and what each identifier
    spelled on a line is (a read, an assignment target, an attribute or keyword label)."""

    def __init__(self, tree: ast.Module, lines: int) -> None:
        self.module = _Scope(None, "", False)
        #: Index: line number. None where the line places nothing.
        self.owner: list[_Scope | None] = [self.module] * (lines + 2)
        self.kinds: dict[tuple[int, str], set[str]] = {}
        #: Each function's and class's scope, by the line and spelling of its name.
        self.defs: dict[tuple[int, str], _Scope] = {}
        #: Lines holding a lambda or a comprehension: the scope they stand in, and the
        #: names their own scopes bind.
        self.mixed: dict[int, tuple[_Scope, set[str]]] = {}
        #: Names whose resolution this reader does not model (global/nonlocal, imported or
        #: captured by a match pattern in a function, bound by a walrus in a comprehension).
        self.unmodelled: set[str] = set()
        self._walk_body(tree.body, self.module)

    # -- recording -------------------------------------------------------------------------

    def _kind(self, line: int, name: str, kind: str) -> None:
        self.kinds.setdefault((line, name), set()).add(kind)

    def _blank(self, first: int, last: int) -> None:
        for line in range(max(first, 0), min(last, len(self.owner) - 1) + 1):
            self.owner[line] = None
            self.mixed.pop(line, None)

    def _own(self, first: int, last: int, scope: _Scope) -> None:
        for line in range(max(first, 0), min(last, len(self.owner) - 1) + 1):
            self.owner[line] = scope
            self.mixed.pop(line, None)

    def _mix(self, node: ast.expr, scope: _Scope) -> None:
        """Lines of a lambda or comprehension (and any nested in it) standing in ``scope``:
        a node there is in ``scope`` or in the lambda's or comprehension's own."""
        bound: set[str] = set()
        for inner in ast.walk(node):
            if isinstance(inner, ast.Lambda):
                arguments = inner.args
                params = [*arguments.posonlyargs, *arguments.args, *arguments.kwonlyargs]
                params.extend(p for p in (arguments.vararg, arguments.kwarg) if p is not None)
                bound.update(p.arg for p in params)
            elif isinstance(inner, ast.comprehension):
                bound.update(n.id for n in ast.walk(inner.target) if isinstance(n, ast.Name))
            elif isinstance(inner, ast.NamedExpr) and isinstance(inner.target, ast.Name):
                self.unmodelled.add(inner.target.id)
        for line in range(max(node.lineno, 0), min(_end(node), len(self.owner) - 1) + 1):
            if self.owner[line] is scope:
                self.owner[line] = None
                self.mixed[line] = (scope, set(bound))
            elif line in self.mixed and self.mixed[line][0] is scope:
                self.mixed[line][1].update(bound)
            else:
                self._blank(line, line)

    # -- walking ---------------------------------------------------------------------------

    def _walk_body(self, body: Sequence[ast.stmt], scope: _Scope) -> None:
        for statement in body:
            self._walk(statement, scope, 0)

    def _walk(self, node: ast.AST, scope: _Scope, store_line: int) -> None:
        """``store_line``: where an assignment target under ``node`` takes effect."""
        if isinstance(node, ast.Name):
            if isinstance(node.ctx, ast.Store):
                self._kind(node.lineno, node.id, _STORE)
                scope.bind(node.id, store_line or node.end_lineno or node.lineno)
            else:
                self._kind(node.lineno, node.id, _LOAD)
            return
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            self._definition(node, scope)
            return
        if isinstance(
            node, (ast.Lambda, ast.ListComp, ast.SetComp, ast.DictComp, ast.GeneratorExp)
        ):
            if not scope.inline:
                self._mix(node, scope)
            self._lambda_or_comprehension(node, scope)
            return
        if isinstance(node, ast.JoinedStr):
            if _end(node) != node.lineno:
                # Before Python 3.12, the lines of names in a multi-line f-string may be
                # off: place nothing there.
                self._blank(node.lineno, _end(node))
        elif isinstance(node, ast.Attribute):
            self._kind(_end(node), node.attr, _LABEL)
        elif isinstance(node, ast.keyword):
            if node.arg is not None:
                self._kind(node.lineno, node.arg, _LABEL)
        elif isinstance(node, (ast.Import, ast.ImportFrom)):
            self._import(node, scope)
            return
        elif isinstance(node, (ast.Global, ast.Nonlocal)):
            self.unmodelled.update(node.names)
            return
        elif isinstance(node, ast.ExceptHandler) and node.name:
            line = _end(node.type) or node.lineno
            for at in range(node.lineno, line + 1):
                self._kind(at, node.name, _OTHER)
            scope.bind(node.name, line)
        elif isinstance(node, (ast.MatchAs, ast.MatchStar)) and node.name:
            self.unmodelled.add(node.name)
        elif isinstance(node, ast.MatchMapping) and node.rest:
            self.unmodelled.add(node.rest)
        elif isinstance(node, ast.MatchClass):
            for attr in node.kwd_attrs:
                for at in range(node.lineno, _end(node) + 1):
                    self._kind(at, attr, _OTHER)
        elif isinstance(node, (ast.Assign, ast.AnnAssign, ast.AugAssign, ast.NamedExpr)):
            store_line = _end(node)
        elif isinstance(node, (ast.For, ast.AsyncFor)):
            self._walk(node.target, scope, _end(node.target))
            for child in (node.iter, *node.body, *node.orelse):
                self._walk(child, scope, 0)
            return
        elif isinstance(node, ast.withitem):
            self._walk(node.context_expr, scope, 0)
            if node.optional_vars is not None:
                self._walk(node.optional_vars, scope, _end(node.optional_vars))
            return
        elif isinstance(node, ast.stmt):
            store_line = 0
        for child in ast.iter_child_nodes(node):
            self._walk(child, scope, store_line)

    def _import(self, node: ast.Import | ast.ImportFrom, scope: _Scope) -> None:
        last = _end(node) or node.lineno
        spelled: list[str] = []
        if isinstance(node, ast.ImportFrom) and node.module:
            spelled.extend(node.module.split("."))
        module = ""
        if isinstance(node, ast.ImportFrom):
            module = "." * node.level + (node.module or "")
        source: _ImportFrom = (module, tuple((a.name, a.asname) for a in node.names))
        for alias in node.names:
            spelled.extend(alias.name.split("."))
            if alias.asname:
                spelled.append(alias.asname)
            if scope is self.module or alias.name == "*":
                continue
            if alias.asname is None and "." in alias.name:
                # ``import a.b`` binds ``a.b`` too, which dotted names are looked up by.
                self.unmodelled.add(alias.name.split(".")[0])
            else:
                scope.bind(alias.asname or alias.name, last, source)
        for name in spelled:
            for line in range(node.lineno, last + 1):
                self._kind(line, name, _OTHER)

    def _definition(
        self, node: ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef, scope: _Scope
    ) -> None:
        first, end = _first_line(node), _end(node)
        self._kind(node.lineno, node.name, _DEF)
        scope.bind(node.name, end)
        header = node.lineno
        outer: list[ast.AST] = list(node.decorator_list)
        if isinstance(node, ast.ClassDef):
            inner = _Scope(scope, ".".join(filter(None, [scope.prefix, node.name])), True)
            outer.extend([*node.bases, *node.keywords])
        else:
            inner = _Scope(
                scope, ".".join(filter(None, [scope.prefix, node.name, "<locals>"])), False
            )
            arguments = node.args
            params = [*arguments.posonlyargs, *arguments.args, *arguments.kwonlyargs]
            params.extend(p for p in (arguments.vararg, arguments.kwarg) if p is not None)
            for param in params:
                self._kind(param.lineno, param.arg, _PARAM)
                if param.annotation is not None:
                    outer.append(param.annotation)
                header = max(header, _end(param))
            outer.extend(d for d in (*arguments.defaults, *arguments.kw_defaults) if d)
            if node.returns is not None:
                outer.append(node.returns)
        header = max([header, *(_end(o) for o in outer)])
        self.defs[(node.lineno, node.name)] = inner
        self._own(first, end, inner)
        if _first_line(node.body[0]) > header:
            # Decorators, bases, defaults and annotations are evaluated in the enclosing
            # scope; the names defined on these lines are told apart by their kinds.
            self._own(first, header, scope)
        else:
            self._blank(first, header)
        for expression in outer:
            self._walk(expression, scope, 0)
        if not isinstance(node, ast.ClassDef):
            for param in params:
                inner.bind(param.arg, header)
        self._walk_body(node.body, inner)

    def _lambda_or_comprehension(self, node: ast.AST, scope: _Scope) -> None:
        # Nothing on these lines is answered; only the identifiers' kinds are recorded
        # (a lambda's parameters and a comprehension's targets are not this scope's).
        inner = _Scope(scope, "", False)
        inner.inline = True
        for child in ast.iter_child_nodes(node):
            self._walk(child, inner, 0)
        if isinstance(node, ast.Lambda):
            arguments = node.args
            params = [*arguments.posonlyargs, *arguments.args, *arguments.kwonlyargs]
            params.extend(p for p in (arguments.vararg, arguments.kwarg) if p is not None)
            for param in params:
                self._kind(param.lineno, param.arg, _PARAM)


_Role = tuple[str, "cst.FunctionDef | None"]


def _roles(node: cst.CSTNode, line: int, lines: SourceView, found: dict[int, _Role]) -> None:
    """What the names of ``node`` that are no plain reads or assignments are (labels,
    definitions' names, parameters), looking only into the statements of blocks that
    may hold ``line``."""
    pending: list[cst.CSTNode] = [node]
    while pending:
        current = pending.pop()
        if isinstance(current, cst.IndentedBlock | cst.Module):
            candidate = None
            for statement in current.body:
                decorators = getattr(statement, "decorators", None)
                start = lines.line(decorators[0] if decorators else statement)
                if start > line:
                    break
                candidate = statement
            if candidate is not None:
                pending.append(candidate)
            continue
        if isinstance(current, cst.Attribute):
            found[id(current.attr)] = (_LABEL, None)
            pending.append(current.value)
            continue
        if isinstance(current, cst.Arg) and current.keyword is not None:
            found[id(current.keyword)] = (_LABEL, None)
        elif isinstance(current, cst.FunctionDef | cst.ClassDef):
            found[id(current.name)] = (_DEF, None)
            if isinstance(current, cst.FunctionDef):
                for param in _parameters(current.params):
                    found[id(param.name)] = (_PARAM, current)
        elif isinstance(current, cst.Lambda):
            for param in _parameters(current.params):
                found[id(param.name)] = (_PARAM, None)
        pending.extend(current.children)


def _parameters(params: cst.Parameters) -> list[cst.Param]:
    every = [*params.posonly_params, *params.params, *params.kwonly_params]
    for star in (params.star_arg, params.star_kwarg):
        if isinstance(star, cst.Param):
            every.append(star)
    return every


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
        #: Names a module-level import binds, and the statements binding them.
        self._imported_at_module_level: set[str] = set()
        self._module_imports: dict[str, list[cst.Import | cst.ImportFrom]] = {}
        #: First names of dotted imports (``import a.b`` binds ``a.b`` as well as ``a``).
        self._dotted_heads: set[str] = set()
        #: Per line: the names there that are labels, definitions' names or parameters.
        self._roles: dict[int, dict[int, _Role]] = {}
        #: Scopes by line, built on the first question that needs them.
        self._layout: _Layout | None = None
        self._layout_failed = False

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
                self._imported_at_module_level.add(name)
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
                if isinstance(alias.name, cst.Attribute) and alias.asname is None:
                    self._dotted_heads.add((dotted_name(alias.name) or "").split(".")[0])
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
                if bound is not None:
                    self._module_imports.setdefault(bound, []).append(statement)
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

    def _layout_of(self) -> _Layout | None:
        if self._layout is None and not self._layout_failed:
            try:
                tree = ast.parse(self.view.code, self.path)
            except (SyntaxError, ValueError):
                self._layout_failed = True
                return None
            self._layout = _Layout(tree, self.view.code.count("\n") + 1)
        return self._layout

    def qualified_names(self, node: cst.CSTNode) -> set[str] | None:
        """The provider's answer for ``node``, or None if only the provider can give it."""
        full_name = dotted_name(node)
        if full_name is None:
            # Nothing the provider names either (a list, a lambda's call), unless it reads
            # a string as an annotation or names a definition by its name.
            named = cst.BaseString | cst.FunctionDef | cst.ClassDef | cst.Decorator
            return None if isinstance(node, named) else set()
        if not self._ready:
            self._prepare()
        if not self._usable or id(node) in self._in_imports:
            return None
        head = full_name.split(".", 1)[0]
        if head.startswith("__") and not head.endswith("__"):
            return None  # a private name: the symbol table knows it mangled
        line = self.view.line(node)
        if not line:
            # A node a codemod built (not in this version of the tree): answered by its
            # spelling where that cannot depend on the scope it will stand in.
            return None if head in self._nested else self._module_answer(full_name)
        kinds: set[str] | None = None
        is_name = isinstance(node, cst.Name)
        if is_name:
            layout = self._layout_of()
            if layout is None:
                return None
            kinds = layout.kinds.get((line, head))
            if kinds and not kinds <= _VALUE:
                role = self._roles_on(line).get(id(node))
                if role is not None:
                    return self._role_answer(role, head, line, layout)
                if _OTHER in kinds or not kinds & _VALUE:
                    return None
                kinds = kinds & _VALUE
        if head not in self._nested and not (
            is_name and head in self._other and head in self._module_imports
        ):
            # Only module-level assignments and builtins: the same from every scope (a
            # name's read at module level aside: the provider's order rule applies there).
            return self._module_answer(full_name, nested=not is_name)
        # Bound in some function or class, or imported and assigned at module level:
        # answer from the scope the node stands in.
        layout = self._layout_of()
        if layout is None or line >= len(layout.owner):
            return None
        if head in layout.unmodelled or head in self._dotted_heads:
            return None
        if is_name and not kinds:
            return None
        scope = layout.owner[line]
        if scope is not None:
            return self._answer(scope, head, full_name, kinds, line)
        if line not in layout.mixed:
            return None
        outer, bound = layout.mixed[line]
        if head in bound:
            return None
        # In the scope the lambda or comprehension stands in, or in its own: where the
        # answers agree, it does not matter which.
        here = self._answer(outer, head, full_name, kinds, line)
        if kinds == {_STORE}:
            return here
        inside = self._lookup(outer.visible_parent() if outer.is_class else outer, head, full_name)
        return here if here == inside else None

    def _roles_on(self, line: int) -> dict[int, _Role]:
        found = self._roles.get(line)
        if found is None:
            found = self._roles[line] = {}
            _roles(self.module, line, self.view, found)
        return found

    def _role_answer(self, role: _Role, head: str, line: int, layout: _Layout) -> set[str] | None:
        """The provider's answer for a label (nothing), a definition's name (the
        scope it is defined in names it) or a parameter (its function names it)."""
        kind, function = role
        if kind == _LABEL:
            return set()
        if head in layout.unmodelled or head in self._dotted_heads:
            return None
        if kind == _DEF:
            scope = layout.owner[line]
            return None if scope is None else self._lookup(scope, head, head)
        if function is None:
            return None  # a lambda's
        inner = layout.defs.get((self.view.line(function.name), function.name.value))
        if inner is None or head not in inner.bindings:
            return None
        return inner.names(head, head)

    def _answer(
        self, scope: _Scope, head: str, full_name: str, kinds: set[str] | None, line: int
    ) -> set[str] | None:
        """The provider's answer for a node on ``line`` in ``scope``: a name read or
        assigned (``kinds``), or else an attribute, call or subscript."""
        if kinds is None:
            return self._lookup(scope, head, full_name)
        answers: list[set[str] | None] = []
        for kind in kinds:
            if kind == _STORE:
                answers.append({f"{scope.prefix}.{head}" if scope.prefix else head})
            elif scope.parent is None:
                answers.append(self._module_answer(head))
            else:
                answers.append(self._read(scope, head, line))
        return answers[0] if all(a == answers[0] for a in answers) else None

    def _lookup(self, scope: _Scope | None, head: str, full_name: str) -> set[str] | None:
        """What ``full_name`` names in ``scope`` (through every assignment of its head in
        the nearest scope that has one), from a function or class."""
        while scope is not None and scope.parent is not None:
            if head in scope.bindings:
                return scope.names(head, full_name)
            scope = scope.visible_parent()
        return self._module_answer(full_name, nested=True)

    def _read(self, scope: _Scope, name: str, line: int) -> set[str] | None:
        """What a read of ``name`` on ``line`` in ``scope`` names: the provider counts an
        assignment in the reading scope only when it comes before the read, and with none
        before, reads the enclosing scope's (a class body's included)."""
        if name not in scope.bindings:
            return self._lookup(scope.visible_parent(), name, name)
        lines = [at for at, _ in scope.bindings[name]]
        if any(at < line for at in lines):
            return scope.names(name, name, before=line)
        if any(at == line for at in lines):
            return None
        parent = scope.parent
        if parent is not None and parent.parent is not None and name in parent.bindings:
            return parent.names(name, name)
        return self._lookup(parent, name, name)

    def _module_answer(self, full_name: str, nested: bool = False) -> set[str] | None:
        """What ``full_name`` names when its head is looked up in module scope (from a
        function or class if ``nested``: then every module-level assignment counts)."""
        head = full_name.split(".", 1)[0]
        if head in self._other:
            if nested:
                # Every module-level assignment: imports and others alike (``try: import
                # ssl`` / ``except ImportError: ssl = None``).
                imports = self._module_imports.get(head) or []
                if head in self._imported_at_module_level and not imports:
                    return None
                spelled = {full_name}
                for statement in imports:
                    spelled |= _import_qualified_names(statement, full_name)
                return spelled
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
        # As the provider decides it (``__class__`` is the builtins module's attribute).
        return {f"builtins.{head}"} if hasattr(builtins, head) else set()
