"""The imports a codemod asked for: added when missing, dropped when nothing uses them.

LibCST's AddImportsVisitor and RemoveImportsVisitor each run a scope analysis of their
own (RemoveImportsVisitor costs about fifteen parses of the file). Most requests need
neither: an import the file already has is not added again, and an unused alias in a
module-level import statement is taken out here directly. LibCST's visitors still do
the rest (new imports, and removals involving comments or nested imports), so the
output is the same as theirs.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

import libcst as cst
from libcst.codemod import CodemodContext
from libcst.codemod.visitors import AddImportsVisitor, RemoveImportsVisitor

from async_test_upgrade.cst import ImportRequest, Visitor


def top_level_imports(module: cst.Module) -> set[tuple[str, str | None]]:
    """(module, name) pairs the file imports at top level without an alias."""
    found: set[tuple[str, str | None]] = set()
    for statement in module.body:
        if not isinstance(statement, cst.SimpleStatementLine):
            continue
        for small in statement.body:
            if isinstance(small, cst.Import):
                for alias in small.names:
                    if alias.asname is None:
                        found.add((module.code_for_node(alias.name), None))
            elif (
                isinstance(small, cst.ImportFrom)
                and not small.relative
                and small.module is not None
                and not isinstance(small.names, cst.ImportStar)
            ):
                source = module.code_for_node(small.module)
                for alias in small.names:
                    if alias.asname is None and isinstance(alias.name, cst.Name):
                        found.add((source, alias.name.value))
    return found


class _NamesInUse(Visitor):
    """Every name the code refers to outside import statements (words of the strings in
    annotations and in ``__all__`` included), and every import statement."""

    def __init__(self) -> None:
        self.names: set[str] = set()
        self.imports: list[cst.Import | cst.ImportFrom] = []
        self._strings_refer = 0

    def visit_Import(self, node: cst.Import) -> bool:
        self.imports.append(node)
        return False

    def visit_ImportFrom(self, node: cst.ImportFrom) -> bool:
        self.imports.append(node)
        return False

    def visit_Attribute(self, node: cst.Attribute) -> bool:
        node.value.visit(self)  # ``x.name`` refers to x, not to a binding called name
        return False

    def visit_Arg(self, node: cst.Arg) -> bool:
        node.value.visit(self)  # a keyword's name is not a reference
        return False

    def visit_Name(self, node: cst.Name) -> None:
        self.names.add(node.value)

    def visit_Annotation(self, node: cst.Annotation) -> None:
        self._strings_refer += 1

    def leave_Annotation(self, original_node: cst.Annotation) -> None:
        self._strings_refer -= 1

    def visit_Assign(self, node: cst.Assign) -> None:
        if any(_is_all(t.target) for t in node.targets):
            self._strings_refer += 1

    def leave_Assign(self, original_node: cst.Assign) -> None:
        if any(_is_all(t.target) for t in original_node.targets):
            self._strings_refer -= 1

    def visit_AugAssign(self, node: cst.AugAssign) -> None:
        if _is_all(node.target):
            self._strings_refer += 1

    def leave_AugAssign(self, original_node: cst.AugAssign) -> None:
        if _is_all(original_node.target):
            self._strings_refer -= 1

    def visit_SimpleString(self, node: cst.SimpleString) -> None:
        if self._strings_refer:
            value = node.evaluated_value
            if isinstance(value, str):
                self.names.update(_WORD.findall(value))


_WORD = re.compile(r"[A-Za-z_][A-Za-z_0-9]*")


def _is_all(target: cst.BaseExpression) -> bool:
    return isinstance(target, cst.Name) and target.value == "__all__"


def _request_matches(request: ImportRequest, statement: cst.Import | cst.ImportFrom) -> list[int]:
    """Indexes of the aliases in ``statement`` that bind what ``request`` names."""
    if isinstance(statement.names, cst.ImportStar):
        return []
    if isinstance(statement, cst.Import):
        if request.obj is not None:
            return []
        return [
            i
            for i, alias in enumerate(statement.names)
            if alias.evaluated_name == request.module and alias.evaluated_alias == request.asname
        ]
    if request.obj is None or statement.relative or statement.module is None:
        return []
    module = cst.Module([]).code_for_node(statement.module)
    if module != request.module:
        return []
    return [
        i
        for i, alias in enumerate(statement.names)
        if alias.evaluated_name == request.obj and alias.evaluated_alias == request.asname
    ]


def _has_comment(alias: cst.ImportAlias) -> bool:
    comma = alias.comma
    if not isinstance(comma, cst.Comma):
        return False
    after = comma.whitespace_after
    return isinstance(after, cst.ParenthesizedWhitespace) and (
        after.first_line.comment is not None
        or any(line.comment is not None for line in after.empty_lines)
    )


def _without_aliases(
    statement: cst.Import | cst.ImportFrom, drop: set[int]
) -> cst.Import | cst.ImportFrom | None:
    names = statement.names
    assert not isinstance(names, cst.ImportStar)
    kept = [alias for i, alias in enumerate(names) if i not in drop]
    if not kept:
        return None
    if kept[-1] is not names[-1]:
        # The new last alias ends the way the old last one did: a trailing comma and
        # the line break before ``)`` stay, a bare list gets no comma.
        last_comma = names[-1].comma
        kept[-1] = kept[-1].with_changes(
            comma=last_comma if isinstance(last_comma, cst.Comma) else cst.MaybeSentinel.DEFAULT
        )
    return statement.with_changes(names=kept)


def _drop_top_level(
    module: cst.Module, requests: Sequence[ImportRequest], imports: list[cst.CSTNode]
) -> tuple[cst.Module, bool] | None:
    """``module`` without the requested module-level aliases, and whether its first
    statement went; None where the case needs LibCST's visitor (a nested import, an
    alias carrying a comment)."""
    top: dict[int, tuple[int, int]] = {}  # id(import) -> (statement index, small index)
    for index, statement in enumerate(module.body):
        if isinstance(statement, cst.SimpleStatementLine):
            for position, small in enumerate(statement.body):
                if isinstance(small, cst.Import | cst.ImportFrom):
                    top[id(small)] = (index, position)
    drops: dict[int, set[int]] = {}
    for node in imports:
        assert isinstance(node, cst.Import | cst.ImportFrom)
        for request in requests:
            matched = _request_matches(request, node)
            if not matched:
                continue
            if id(node) not in top:
                return None
            assert not isinstance(node.names, cst.ImportStar)
            if any(_has_comment(node.names[i]) for i in matched):
                return None
            drops.setdefault(id(node), set()).update(matched)
    if not drops:
        return module, False
    body: list[cst.BaseStatement | None] = list(module.body)
    by_line: dict[int, dict[int, set[int]]] = {}
    for node_id, aliases in drops.items():
        index, position = top[node_id]
        by_line.setdefault(index, {})[position] = aliases
    for index, edits in by_line.items():
        line = module.body[index]
        assert isinstance(line, cst.SimpleStatementLine)
        remaining: list[cst.BaseSmallStatement] = []
        for position, small in enumerate(line.body):
            if position in edits:
                assert isinstance(small, cst.Import | cst.ImportFrom)
                replaced = _without_aliases(small, edits[position])
                if replaced is None:
                    continue
                small = replaced
            remaining.append(small)
        if not remaining:
            body[index] = None  # the line goes, with its leading blank lines
            continue
        if len(remaining) < len(line.body):
            remaining[-1] = remaining[-1].with_changes(semicolon=line.body[-1].semicolon)
        body[index] = line.with_changes(body=remaining)
    return module.with_changes(body=[s for s in body if s is not None]), body[0] is None


def _leading_imports(module: cst.Module) -> list[cst.Import | cst.ImportFrom]:
    """The one-import lines that open the module (after a docstring or ``__strict__``):
    where AddImportsVisitor looks for an import to extend."""
    body = list(module.body)
    if body and isinstance(body[0], cst.SimpleStatementLine) and len(body[0].body) == 1:
        first = body[0].body[0]
        docstring = isinstance(first, cst.Expr) and isinstance(first.value, cst.SimpleString)
        strict = (
            isinstance(first, cst.Assign)
            and len(first.targets) == 1
            and isinstance(first.targets[0].target, cst.Name)
            and first.targets[0].target.value == "__strict__"
        )
        if docstring or strict:
            body = body[1:]
    found: list[cst.Import | cst.ImportFrom] = []
    for statement in body:
        if not (
            isinstance(statement, cst.SimpleStatementLine)
            and len(statement.body) == 1
            and isinstance(statement.body[0], cst.Import | cst.ImportFrom)
        ):
            break
        found.append(statement.body[0])
    return found


def _merge_into_leading_from_imports(
    module: cst.Module, requests: Sequence[ImportRequest]
) -> cst.Module | None:
    """What AddImportsVisitor makes of ``from m import x`` requests when the module opens
    with a ``from m import ...`` to extend (the new names go first, sorted); None when
    any request needs a new statement (that placement is left to the visitor)."""
    wanted: dict[str, set[str]] = {}
    for request in requests:
        if request.obj is None or request.asname is not None:
            return None
        wanted.setdefault(request.module, set()).add(request.obj)
    targets: dict[str, cst.ImportFrom] = {}
    for statement in _leading_imports(module):
        if (
            isinstance(statement, cst.ImportFrom)
            and not statement.relative
            and statement.module is not None
            and not isinstance(statement.names, cst.ImportStar)
        ):
            name = cst.Module([]).code_for_node(statement.module)
            if name in wanted and name not in targets:
                targets[name] = statement
    if set(targets) != set(wanted):
        return None
    replacements: dict[cst.CSTNode, cst.ImportFrom] = {}
    for name, statement in targets.items():
        assert not isinstance(statement.names, cst.ImportStar)
        new = [cst.ImportAlias(name=cst.Name(obj)) for obj in sorted(wanted[name])]
        replacements[statement] = statement.with_changes(names=[*new, *statement.names])
    body = []
    for line in module.body:
        small = line.body[0] if isinstance(line, cst.SimpleStatementLine) and line.body else None
        if small is not None and small in replacements:
            assert isinstance(line, cst.SimpleStatementLine)
            line = line.with_changes(body=[replacements[small]])
        body.append(line)
    return module.with_changes(body=body)


def fix_imports(
    module: cst.Module,
    imports_to_add: Sequence[ImportRequest],
    imports_to_drop: Sequence[ImportRequest],
) -> cst.Module:
    present = top_level_imports(module) if imports_to_add else set()
    to_add = [r for r in imports_to_add if r.asname is not None or (r.module, r.obj) not in present]
    merged = _merge_into_leading_from_imports(module, to_add) if to_add else None
    if merged is not None:
        module, to_add = merged, []
    if to_add:
        context = CodemodContext()
        for request in to_add:
            AddImportsVisitor.add_needed_import(
                context, request.module, request.obj, request.asname
            )
        # It declares no metadata: visiting directly spares transform_module's deep copy
        # of the tree into a MetadataWrapper.
        module = module.visit(AddImportsVisitor(context))
    if not imports_to_drop:
        return module
    # A name still referred to keeps its import.
    usage = _NamesInUse()
    module.visit(usage)
    to_drop = [
        r
        for r in imports_to_drop
        if (r.asname or r.obj or r.module.split(".")[0]) not in usage.names
    ]
    if not to_drop:
        return module
    first = module.body[0] if module.body else None
    done = _drop_top_level(module, to_drop, list(usage.imports))
    if done is None:
        context = CodemodContext()
        for request in to_drop:
            RemoveImportsVisitor.remove_unused_import(
                context, request.module, request.obj, request.asname
            )
        dropped = RemoveImportsVisitor(context).transform_module(module)
        first_went = bool(dropped.body) and first is not None and dropped.body[0] is not first
    else:
        dropped, first_went = done
        first_went = first_went and bool(dropped.body)
    module = dropped
    if first_went:
        # The removed import opened the file: the blank lines that separated it from
        # the next statement would now open the file instead.
        head = module.body[0]
        if all(line.comment is None for line in head.leading_lines):
            module = module.with_changes(
                body=[head.with_changes(leading_lines=[]), *module.body[1:]]
            )
    return module
