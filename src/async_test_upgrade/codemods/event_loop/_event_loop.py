"""What the event-loop codemods share: who is a test or fixture, and the loop parameter.

pytest-asyncio 1.0 removed the ``event_loop`` fixture and pytest-aiohttp 1.1 its ``loop``
fixture; both were the running loop of the test. The helpers here find a test's or a
fixture's loop parameter, decide from scope analysis how its uses can be served by
``asyncio.get_running_loop()`` (or whether they cannot), and rewrite the function. They
take the parameter name, so a codemod for pytest-aiohttp's ``loop`` reuses them as they are.

A transformer using them must declare :data:`LOOP_METADATA` as its metadata dependencies.
"""

from __future__ import annotations

import itertools
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import PurePosixPath
from typing import TYPE_CHECKING, ClassVar, Literal

import libcst as cst
from libcst.metadata import (
    Access,
    Assignment,
    MetadataWrapper,
    ProviderT,
    QualifiedNameProvider,
    Scope,
    ScopeProvider,
)

from async_test_upgrade.cst import (
    CodemodTransformer,
    FileContext,
    Transformer,
    Visitor,
    callee,
    string_value,
)
from async_test_upgrade.cst import (
    fixture_decorator as fixture_decorator,  # shared by the family's codemods
)
from async_test_upgrade.facts import ProjectFacts
from async_test_upgrade.model import EventLoopOverride
from async_test_upgrade.providers import ParentProvider

if TYPE_CHECKING:
    from async_test_upgrade.gate import CodeIndex

LOOP_METADATA: tuple[ProviderT, ...] = (
    QualifiedNameProvider,
    ScopeProvider,
    ParentProvider,
)

PARAMETRIZE = "pytest.mark.parametrize"
ASYNCIO_MARK = "pytest.mark.asyncio"
GET_EVENT_LOOP = ("asyncio.get_event_loop", "asyncio.events.get_event_loop")
GET_RUNNING_LOOP = ("asyncio.get_running_loop", "asyncio.events.get_running_loop")
ASYNCIO_RUN = ("asyncio.run", "asyncio.runners.run")

Role = Literal["test", "fixture"]

_LOOP_KWARG_GROUPS = {
    "tasks": ("sleep", "gather", "wait_for", "wait", "as_completed", "shield"),
    "streams": ("open_connection", "start_server"),
    "subprocess": ("create_subprocess_exec", "create_subprocess_shell"),
}
_LOOP_KWARG_PRIMITIVE_GROUPS = {
    "locks": ("Lock", "Event", "Condition", "Semaphore", "BoundedSemaphore"),
    "queues": ("Queue", "PriorityQueue", "LifoQueue"),
}


def _qualified(groups: dict[str, tuple[str, ...]]) -> dict[str, str]:
    """``asyncio.X`` and ``asyncio.<submodule>.X`` -> ``X``."""
    names: dict[str, str] = {}
    for submodule, members in groups.items():
        for member in members:
            names[f"asyncio.{member}"] = member
            names[f"asyncio.{submodule}.{member}"] = member
    return names


#: The asyncio callables whose ``loop=`` Python 3.10 removed (qualified name -> name).
LOOP_KWARG_FUNCTIONS = _qualified(_LOOP_KWARG_GROUPS)
LOOP_KWARG_PRIMITIVES = _qualified(_LOOP_KWARG_PRIMITIVE_GROUPS)
REMOVE_LOOP_KWARG = "remove-loop-kwarg"

#: Nodes that open a scope of their own: code inside them does not run where it is written.
NESTED_SCOPES = (cst.FunctionDef, cst.Lambda, cst.ClassDef)
COMPREHENSIONS = (cst.ListComp, cst.SetComp, cst.DictComp, cst.GeneratorExp)


class EnclosingTracker(CodemodTransformer):
    """A transformer that knows the classes and functions around the current node."""

    METADATA_DEPENDENCIES: ClassVar[Collection[ProviderT]] = LOOP_METADATA

    def __init__(self, ctx: FileContext) -> None:
        super().__init__(ctx)
        self.enclosing: list[cst.ClassDef | cst.FunctionDef] = []

    def visit_ClassDef(self, node: cst.ClassDef) -> None:
        self.enclosing.append(node)

    def leave_ClassDef(
        self, original_node: cst.ClassDef, updated_node: cst.ClassDef
    ) -> cst.ClassDef:
        self.enclosing.pop()
        return updated_node

    def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
        self.enclosing.append(node)

    def leave_FunctionDef(
        self, original_node: cst.FunctionDef, updated_node: cst.FunctionDef
    ) -> cst.FunctionDef:
        self.enclosing.pop()
        return updated_node

    def outer(self) -> list[cst.ClassDef | cst.FunctionDef]:
        """The definitions around the function being visited (itself excluded)."""
        return self.enclosing[:-1]

    def role(self, func: cst.FunctionDef) -> Role | None:
        return role(self, func, self.outer())

    def innermost_function(self) -> cst.FunctionDef | None:
        for node in reversed(self.enclosing):
            if isinstance(node, cst.FunctionDef):
                return node
        return None


# --- tests and fixtures -------------------------------------------------------------------


def is_test_function(
    t: CodemodTransformer, func: cst.FunctionDef, outer: Sequence[cst.CSTNode]
) -> bool:
    """A function pytest collects as a test with the default naming rules."""
    if not func.name.value.startswith("test") or t.ctx.is_conftest:
        return False
    if fixture_decorator(t, func) is not None:
        return False
    return all(isinstance(n, cst.ClassDef) and n.name.value.startswith("Test") for n in outer)


def role(t: CodemodTransformer, func: cst.FunctionDef, outer: Sequence[cst.CSTNode]) -> Role | None:
    if any(isinstance(n, cst.FunctionDef) for n in outer):
        return None  # a nested function is neither collected nor registered
    if fixture_decorator(t, func) is not None:
        return "fixture"
    return "test" if is_test_function(t, func, outer) else None


def parametrized_names(
    t: CodemodTransformer, func: cst.FunctionDef, outer: Sequence[cst.CSTNode]
) -> set[str]:
    """Argument names given by ``pytest.mark.parametrize`` on the function or its classes."""
    names: set[str] = set()
    owners: list[cst.FunctionDef | cst.ClassDef] = [
        func,
        *(n for n in outer if isinstance(n, cst.ClassDef)),
    ]
    for owner in owners:
        for decorator in owner.decorators:
            mark = decorator.decorator
            if not isinstance(mark, cst.Call) or not t.is_name(mark.func, PARAMETRIZE):
                continue
            if not mark.args:
                continue
            first = mark.args[0].value
            values: list[cst.BaseExpression] = [first]
            if isinstance(first, cst.List | cst.Tuple):
                values = [e.value for e in first.elements]
            for value in values:
                text = string_value(value)
                if text:
                    names.update(part.strip() for part in text.split(","))
    return names


def is_asyncio_marked(
    t: CodemodTransformer,
    func: cst.FunctionDef,
    outer: Sequence[cst.CSTNode],
    module: cst.Module | None = None,
) -> bool:
    """Whether an asyncio mark already reaches ``func`` (decorator, class, ``pytestmark``)."""
    owners: list[cst.FunctionDef | cst.ClassDef] = [
        func,
        *(n for n in outer if isinstance(n, cst.ClassDef)),
    ]
    for owner in owners:
        for decorator in owner.decorators:
            if t.is_name(callee(decorator.decorator), ASYNCIO_MARK):
                return True
    bodies: list[Sequence[cst.CSTNode]] = [
        n.body.body for n in outer if isinstance(n, cst.ClassDef)
    ]
    if module is not None:
        bodies.append(module.body)
    finder = _MarkFinder(t)
    for body in bodies:
        for statement in body:
            if not isinstance(statement, cst.SimpleStatementLine):
                continue
            for small in statement.body:
                if isinstance(small, cst.Assign) and any(
                    isinstance(target.target, cst.Name) and target.target.value == "pytestmark"
                    for target in small.targets
                ):
                    small.value.visit(finder)
    return finder.found


class _MarkFinder(Visitor):
    def __init__(self, t: CodemodTransformer) -> None:
        super().__init__()
        self.t = t
        self.found = False

    def visit_Attribute(self, node: cst.Attribute) -> bool:
        if self.t.is_name(node, ASYNCIO_MARK):
            self.found = True
        return not self.found


def blocking_override(facts: ProjectFacts, path: str, name: str) -> EventLoopOverride | None:
    """A project fixture called ``name`` that reaches ``path`` and is not an event loop.

    Such a fixture is the user's own object: the test's parameter means it, not a loop.
    A conftest reaches its directory and below, a test module only itself, any other
    module (a plugin listed in ``pytest_plugins``) everything.
    """
    here = PurePosixPath(path)
    for override in facts.event_loop_overrides:
        if override.name != name or override.makes_loop:
            continue
        where = PurePosixPath(override.path)
        if override.path == path:
            return override
        if override.is_conftest:
            directory = where.parent
            if str(directory) in ("", ".") or directory in here.parents:
                return override
            continue
        if not (where.name.startswith("test_") or where.name.endswith("_test.py")):
            return override
    return None


# --- parameters ---------------------------------------------------------------------------


def find_param(func: cst.FunctionDef, name: str) -> cst.Param | None:
    params = func.params
    for param in (*params.posonly_params, *params.params, *params.kwonly_params):
        if param.name.value == name:
            return param
    return None


def without_param(func: cst.FunctionDef, name: str) -> cst.FunctionDef:
    """``func`` minus its parameter ``name``, the commas and layout of the rest kept."""
    params = func.params
    groups = [list(params.posonly_params), list(params.params), list(params.kwonly_params)]
    flat = [p for group in groups for p in group]
    target = next((p for p in flat if p.name.value == name), None)
    if target is None:
        return func
    was_last = flat[-1] is target
    for group in groups:
        group[:] = [p for p in group if p is not target]
    new = params.with_changes(posonly_params=groups[0], params=groups[1], kwonly_params=groups[2])
    positional = [*groups[0], *groups[1]]
    if params.kwonly_params and not groups[2] and isinstance(params.star_arg, cst.ParamStar):
        # ``def f(a, *, loop)`` -> ``def f(a)``: a bare star needs a keyword after it.
        new = new.with_changes(star_arg=cst.MaybeSentinel.DEFAULT)
        if positional and params.star_kwarg is None:
            new = _with_comma(new, positional[-1], target.comma)
    elif was_last and params.star_kwarg is None and not isinstance(params.star_arg, cst.Param):
        remaining = [*positional, *groups[2]]
        if remaining:
            # The removed last parameter carried the list's trailing comma (or none).
            new = _with_comma(new, remaining[-1], target.comma)
    return func.with_changes(params=new)


def _with_comma(
    params: cst.Parameters, param: cst.Param, comma: cst.Comma | cst.MaybeSentinel
) -> cst.Parameters:
    fixed = param.with_changes(comma=comma)

    def swap(group: Sequence[cst.Param]) -> list[cst.Param]:
        return [fixed if p is param else p for p in group]

    return params.with_changes(
        posonly_params=swap(params.posonly_params),
        params=swap(params.params),
        kwonly_params=swap(params.kwonly_params),
    )


# --- how a loop parameter is used ---------------------------------------------------------


@dataclass
class LoopUses:
    """The references to a loop parameter inside its function, or why they cannot be seen."""

    #: Name nodes (of the original tree) that read the parameter.
    accesses: list[cst.Name] = field(default_factory=list)
    #: The accesses made from a nested function, lambda, class or comprehension.
    nested: list[cst.Name] = field(default_factory=list)
    #: Why the uses cannot be rewritten (the parameter is rebound, deleted, ...).
    problem: str | None = None


def function_scopes(
    t: CodemodTransformer, func: cst.FunctionDef
) -> Mapping[cst.CSTNode, Scope | None]:
    """Scope analysis of ``func`` alone, on the tree's own nodes. What its parameters and
    locals refer to never depends on the rest of the module, and analysing one function
    costs its size, not the file's (nor again after each codemod that changed the file)."""
    cache: dict[int, Mapping[cst.CSTNode, Scope | None]] = t.__dict__.setdefault(
        "_function_scopes", {}
    )
    found = cache.get(id(func))
    if found is None:
        wrapper = MetadataWrapper(cst.Module(body=[func]), unsafe_skip_copy=True)
        found = cache[id(func)] = wrapper.resolve(ScopeProvider)
    return found


def loop_uses(t: CodemodTransformer, func: cst.FunctionDef, param: cst.Param) -> LoopUses:
    """Scope analysis of ``param`` of ``func`` (nodes of the original tree)."""
    uses = LoopUses()
    scope = function_scopes(t, func).get(param.name)
    if scope is None:
        uses.problem = "cannot analyse the scope"
        return uses
    name = param.name.value
    assignments = list(scope.assignments[name])
    if len(assignments) != 1 or not isinstance(assignments[0], Assignment):
        uses.problem = f"{name} is rebound inside the function (or a nested one)"
        return uses
    access: Access
    for access in assignments[0].references:
        node = access.node
        if not isinstance(node, cst.Name):
            uses.problem = f"{name} is used in a string annotation or an import"
            return uses
        uses.accesses.append(node)
        if access.scope is not scope:
            uses.nested.append(node)
    # A nested ``nonlocal`` rebinding counts as a second assignment above, so it is refused.
    return uses


def parent(t: CodemodTransformer, node: cst.CSTNode) -> cst.CSTNode | None:
    try:
        return t.get_metadata(ParentProvider, node)
    except KeyError:
        return None


def ancestors(t: CodemodTransformer, node: cst.CSTNode, stop: cst.CSTNode) -> list[cst.CSTNode]:
    """Parents of ``node`` up to (excluding) ``stop``, innermost first."""
    chain: list[cst.CSTNode] = []
    current = parent(t, node)
    while current is not None and current is not stop:
        chain.append(current)
        current = parent(t, current)
    return chain


def in_own_body(t: CodemodTransformer, node: cst.CSTNode, func: cst.FunctionDef) -> bool:
    """``node`` runs in ``func``'s own frame: not in a nested def, lambda, class or
    comprehension, and not in a parameter default or decorator."""
    chain = ancestors(t, node, func)
    if not chain or chain[-1] is not func.body:
        return False
    return not any(isinstance(n, NESTED_SCOPES + COMPREHENSIONS) for n in chain)


def run_until_complete_call(t: CodemodTransformer, name: cst.Name) -> cst.Call | None:
    """The call ``name.run_until_complete(X)`` (one positional argument) around ``name``."""
    attribute = parent(t, name)
    if not (
        isinstance(attribute, cst.Attribute)
        and attribute.value is name
        and attribute.attr.value == "run_until_complete"
    ):
        return None
    call = parent(t, attribute)
    if not isinstance(call, cst.Call) or call.func is not attribute:
        return None
    return call if single_positional(call) is not None else None


def single_positional(call: cst.Call) -> cst.BaseExpression | None:
    if len(call.args) != 1:
        return None
    arg = call.args[0]
    if arg.keyword is not None or arg.star:
        return None
    return arg.value


def used_as_primary(t: CodemodTransformer, node: cst.CSTNode) -> bool:
    """Whether ``node`` sits where ``await node`` would bind wrongly without parentheses."""
    above = parent(t, node)
    if isinstance(above, cst.Attribute) and above.value is node:
        return True
    if isinstance(above, cst.Subscript) and above.value is node:
        return True
    return isinstance(above, cst.Call) and above.func is node


# --- building the replacement -------------------------------------------------------------

_ATOMS = (
    cst.Name,
    cst.Attribute,
    cst.Call,
    cst.Subscript,
    cst.SimpleString,
    cst.ConcatenatedString,
    cst.FormattedString,
    cst.Integer,
    cst.Float,
    cst.List,
    cst.Tuple,
    cst.Dict,
    cst.Set,
)


def _has_comment(ws: cst.BaseParenthesizableWhitespace | cst.MaybeSentinel) -> bool:
    return not (isinstance(ws, cst.SimpleWhitespace) and not ws.value.strip())


def await_of_call(call: cst.Call, parenthesize: bool) -> cst.Await:
    """``call`` (``something.run_until_complete(X)`` / ``asyncio.run(X)``) as ``await X``.

    Layout inside the call's parentheses (line breaks, comments) is kept by keeping a pair
    of parentheses around ``X``; the call's own parentheses stay on the ``await``.
    """
    arg = call.args[0]
    value = arg.value
    keep_layout = _has_comment(call.whitespace_before_args) or _has_comment(
        arg.whitespace_after_arg
    )
    if keep_layout or not (isinstance(value, _ATOMS) or value.lpar):
        value = value.with_changes(
            lpar=[cst.LeftParen(whitespace_after=call.whitespace_before_args), *value.lpar],
            rpar=[*value.rpar, cst.RightParen(whitespace_before=arg.whitespace_after_arg)],
        )
    lpar, rpar = list(call.lpar), list(call.rpar)
    if parenthesize and not lpar:
        lpar, rpar = [cst.LeftParen()], [cst.RightParen()]
    return cst.Await(expression=value, lpar=lpar, rpar=rpar)


def running_loop_call() -> cst.Call:
    return cst.Call(
        func=cst.Attribute(value=cst.Name("asyncio"), attr=cst.Name("get_running_loop"))
    )


def is_docstring(statement: cst.BaseStatement) -> bool:
    return (
        isinstance(statement, cst.SimpleStatementLine)
        and len(statement.body) == 1
        and isinstance(statement.body[0], cst.Expr)
        and isinstance(statement.body[0].value, cst.SimpleString | cst.ConcatenatedString)
    )


def bind_first(func: cst.FunctionDef, statement: cst.SimpleStatementLine) -> cst.FunctionDef:
    """``func`` with ``statement`` first in its body, after the docstring."""
    body = func.body
    if isinstance(body, cst.SimpleStatementSuite):
        block = cst.IndentedBlock(
            body=[statement, cst.SimpleStatementLine(body=body.body)],
            header=body.trailing_whitespace,
        )
        return func.with_changes(body=block)
    if not isinstance(body, cst.IndentedBlock):
        return func
    statements: list[cst.BaseStatement] = list(body.body)
    # After the docstring; comments above the first statement stay with that statement.
    at = 1 if statements and is_docstring(statements[0]) else 0
    statements.insert(at, statement)
    return func.with_changes(body=body.with_changes(body=statements))


Plan = Literal["unused", "inline", "bind"]


def is_removed_loop_kwarg(t: CodemodTransformer, name: cst.Name) -> bool:
    """``name`` is the value of ``loop=`` in a call that ``remove-loop-kwarg`` deletes."""
    arg = parent(t, name)
    if not (isinstance(arg, cst.Arg) and arg.value is name and arg.keyword is not None):
        return False
    call = parent(t, arg)
    if arg.keyword.value != "loop" or not isinstance(call, cst.Call):
        return False
    return bool(t.names_among(call.func, LOOP_KWARG_FUNCTIONS.keys() | LOOP_KWARG_PRIMITIVES))


def without_doomed_loop_kwargs(t: CodemodTransformer, uses: LoopUses) -> LoopUses:
    """``uses`` minus the ``loop=`` arguments that ``remove-loop-kwarg`` will delete later
    in the same run, so that a loop only passed there needs no binding at all."""
    if not t.ctx.options.runs(REMOVE_LOOP_KWARG):
        return uses
    kept = [n for n in uses.accesses if not is_removed_loop_kwarg(t, n)]
    return LoopUses(
        accesses=kept,
        nested=[n for n in uses.nested if any(n is k for k in kept)],
        problem=uses.problem,
    )


def running_loop_plan(uses: LoopUses) -> Plan:
    """How the uses of a removed loop parameter get the running loop.

    One use in the function's own frame: inline ``asyncio.get_running_loop()``. Several,
    or any in a nested function (a callback may run in another thread or later, where
    there is no running loop): bind the name once, first thing in the body.
    """
    if not uses.accesses:
        return "unused"
    if len(uses.accesses) == 1 and not uses.nested:
        return "inline"
    return "bind"


def to_running_loop(func: cst.FunctionDef, name: str, plan: Plan) -> cst.FunctionDef:
    """Rewrite ``func`` (the updated node) so it no longer takes the loop parameter
    ``name``; reads of ``name`` get the running loop instead (see :func:`running_loop_plan`)."""
    func = without_param(func, name)
    if plan == "inline":
        return func.with_changes(body=func.body.visit(_InlineLoop(name)))
    if plan == "bind":
        statement = cst.SimpleStatementLine(
            body=[
                cst.Assign(
                    targets=[cst.AssignTarget(target=cst.Name(name))],
                    value=running_loop_call(),
                )
            ]
        )
        return bind_first(func, statement)
    return func


class _InlineLoop(Transformer):
    """Replace reads of one local name in the function's own frame by the running loop.

    The caller established that there is exactly one such read and none in nested scopes;
    attribute names and keyword names that merely spell the same word are not reads.
    """

    def __init__(self, name: str) -> None:
        super().__init__()
        self.name = name

    def visit_FunctionDef(self, node: cst.FunctionDef) -> bool:
        return False

    def visit_Lambda(self, node: cst.Lambda) -> bool:
        return False

    def visit_ClassDef(self, node: cst.ClassDef) -> bool:
        return False

    # A comprehension is a scope of its own too: a read there was not the one counted.
    def visit_ListComp(self, node: cst.ListComp) -> bool:
        return False

    def visit_SetComp(self, node: cst.SetComp) -> bool:
        return False

    def visit_DictComp(self, node: cst.DictComp) -> bool:
        return False

    def visit_GeneratorExp(self, node: cst.GeneratorExp) -> bool:
        return False

    def leave_Attribute(
        self, original_node: cst.Attribute, updated_node: cst.Attribute
    ) -> cst.Attribute:
        return updated_node.with_changes(attr=original_node.attr)

    def leave_Arg(self, original_node: cst.Arg, updated_node: cst.Arg) -> cst.Arg:
        return updated_node.with_changes(keyword=original_node.keyword)

    def leave_Name(self, original_node: cst.Name, updated_node: cst.Name) -> cst.BaseExpression:
        if original_node.value == self.name:
            return running_loop_call().with_changes(
                lpar=original_node.lpar, rpar=original_node.rpar
            )
        return updated_node


# --- what is the running loop -------------------------------------------------------------


def is_loop_getter(t: CodemodTransformer, node: cst.BaseExpression) -> bool:
    """``asyncio.get_event_loop()`` or ``asyncio.get_running_loop()`` (through imports)."""
    return (
        isinstance(node, cst.Call)
        and not node.args
        and t.is_name(node.func, *GET_EVENT_LOOP, *GET_RUNNING_LOOP)
    )


def is_running_loop(
    t: CodemodTransformer,
    node: cst.BaseExpression,
    func: cst.FunctionDef,
    loop_params: Collection[str] = (),
) -> bool:
    """Whether ``node``, evaluated in the coroutine ``func``'s own frame, is its running loop.

    True for a loop getter called right there, and for a local name every binding of which
    is such a call or one of ``loop_params`` (a test's ``event_loop`` / ``loop`` fixture,
    which was the running loop). Anything else (``self.loop``, a module global, a loop the
    function made with ``new_event_loop()``) is not known to be it.
    """
    if is_loop_getter(t, node):
        return True
    if not isinstance(node, cst.Name):
        return False
    scopes = function_scopes(t, func)
    scope, func_scope = scopes.get(node), scopes.get(func.body)
    if scope is None or scope is not func_scope:
        return False
    assignments = list(scope.assignments[node.value])
    if not assignments:
        return False
    for assignment in assignments:
        if not isinstance(assignment, Assignment):
            return False
        bound = assignment.node
        if isinstance(bound, cst.Param):
            if bound.name.value not in loop_params or find_param(func, bound.name.value) is None:
                return False
            continue
        target = parent(t, bound)
        statement = parent(t, target) if isinstance(target, cst.AssignTarget) else None
        if not (
            isinstance(statement, cst.Assign)
            and len(statement.targets) == 1
            and statement.targets[0].target is bound
            and is_loop_getter(t, statement.value)
        ):
            return False
    return True


def expects_failure(t: CodemodTransformer, node: cst.CSTNode, func: cst.FunctionDef) -> bool:
    """``node`` sits in a ``with pytest.raises(...)`` block or a ``try`` with handlers: the
    code may mean the call to fail, so rewriting it would change what the test checks."""
    chain = [node, *ancestors(t, node, func)]
    for inner, outer in itertools.pairwise(chain):
        if isinstance(outer, cst.Try) and inner is outer.body and outer.handlers:
            return True
        if isinstance(outer, cst.TryStar) and inner is outer.body:
            return True
        if isinstance(outer, cst.With) and inner is outer.body and _checks_outcome(t, outer):
            return True
    return False


#: Context managers whose block is expected to raise or warn.
EXPECTATIONS = ("pytest.raises", "pytest.warns", "pytest.deprecated_call")
UNITTEST_EXPECTATIONS = ("assertRaises", "assertRaisesRegex", "assertWarns", "assertWarnsRegex")


def _checks_outcome(t: CodemodTransformer, with_node: cst.With) -> bool:
    for item in with_node.items:
        target = callee(item.item)
        if t.is_name(target, *EXPECTATIONS):
            return True
        if isinstance(target, cst.Attribute) and target.attr.value in UNITTEST_EXPECTATIONS:
            return True
    return False


def in_expectation_block(
    t: CodemodTransformer, node: cst.CSTNode, catches_api_misuse: bool = False
) -> bool:
    """``node`` runs inside ``with pytest.raises/warns(...)`` or ``self.assertRaises/Warns``:
    the code may be there to show that an API fails or warns.

    ``catches_api_misuse``: only count expectations that a wrong argument could meet
    (``TypeError``, a deprecation or any warning, a catch-all ``Exception``, anything not
    spelled as one plain name, or a ``match=``); ``pytest.raises(asyncio.TimeoutError)``
    checks the code's own behaviour, not how it is called."""
    inner: cst.CSTNode | None = node
    outer = parent(t, node)
    while outer is not None and inner is not None:
        if (
            isinstance(outer, cst.With)
            and inner is outer.body
            and _checks_outcome(t, outer)
            and (not catches_api_misuse or _may_expect_api_misuse(t, outer))
        ):
            return True
        inner, outer = outer, parent(t, outer)
    return False


#: What a call with a removed or deprecated argument raises or warns (or a base of it).
API_MISUSE = frozenset(
    {
        "builtins.TypeError",
        "builtins.Exception",
        "builtins.BaseException",
        "builtins.Warning",
        "builtins.DeprecationWarning",
        "builtins.PendingDeprecationWarning",
        "builtins.FutureWarning",
    }
)


def _may_expect_api_misuse(t: CodemodTransformer, with_node: cst.With) -> bool:
    for item in with_node.items:
        call = item.item
        if not isinstance(call, cst.Call):
            return True
        function = call.func
        if t.is_name(function, "pytest.deprecated_call"):
            return True
        if not (t.is_name(function, *EXPECTATIONS) or isinstance(function, cst.Attribute)):
            continue
        positional = [a for a in call.args if a.keyword is None]
        if any(a.keyword is not None and a.keyword.value == "match" for a in call.args):
            return True
        if len(positional) < 1 or not isinstance(positional[0].value, cst.Name | cst.Attribute):
            return True
        names = t.qualified_names(positional[0].value)
        if not names or names & API_MISUSE:
            return True
    return False


# --- gates: necessary conditions on a file's code words (see ``gate.py``) -------------------


def may_be_test_or_fixture(code: CodeIndex) -> bool:
    """Whether the file may define a test (``test*``) or a fixture (any ``*fixture``
    decorator): :func:`role` is None for every function otherwise."""
    return code.mentions("test") or code.mentions("fixture")
