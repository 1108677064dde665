"""Side effects that asynctest awaited and ``unittest.mock.AsyncMock`` does not.

asynctest's ``CoroutineMock`` called its ``side_effect`` and, when the result was
awaitable (a coroutine object, a Future), awaited it. ``AsyncMock`` awaits only a side
effect that is itself an ``async def``; a sync function's result is returned as it is,
so ``side_effect=lambda: asyncio.sleep(0)`` hands the test an un-awaited coroutine (and
a polling loop that relied on it to yield spins forever). Such a side effect is rewritten
into an ``async def`` that awaits what it returned, placed just before the statement
that uses it.
"""

from __future__ import annotations

import builtins
from collections.abc import Callable
from typing import Any, Literal

import libcst as cst
from libcst.metadata import Assignment, ScopeProvider

from async_test_upgrade.cst import CodemodTransformer, FileContext, Visitor

Kind = Literal["plain", "awaitable", "unknown"]

#: Callables whose result is always awaitable.
AWAITABLE_MAKERS = frozenset(
    {
        "asyncio.sleep",
        "asyncio.Future",
        "asyncio.ensure_future",
        "asyncio.create_task",
        "asyncio.gather",
        "asyncio.wait_for",
        "asyncio.wait",
        "asyncio.shield",
        "asyncio.tasks.sleep",
        "asyncio.futures.Future",
    }
)
#: Builtins whose result is never awaitable.
PLAIN_BUILTINS = frozenset(
    {
        "str",
        "int",
        "float",
        "bool",
        "bytes",
        "dict",
        "list",
        "tuple",
        "set",
        "frozenset",
        "len",
        "repr",
        "sorted",
        "min",
        "max",
        "sum",
        "abs",
        "round",
    }
)
_LITERALS = (
    cst.Integer,
    cst.Float,
    cst.Imaginary,
    cst.SimpleString,
    cst.ConcatenatedString,
    cst.FormattedString,
)


def classify(t: CodemodTransformer, value: cst.BaseExpression, params: set[str]) -> Kind:
    """Whether what ``value`` (a side effect's result) evaluates to can be awaitable.

    ``params``: the side effect's own parameters (their values are whatever the code
    under test passes: plain data as far as the mock is concerned)."""
    if isinstance(value, _LITERALS):
        return "plain"
    if isinstance(value, cst.Name):
        return (
            "plain"
            if value.value in params or value.value in ("None", "True", "False")
            else ("unknown")
        )
    if isinstance(value, cst.List | cst.Tuple | cst.Set):
        kinds = [classify(t, e.value, params) for e in value.elements]
        return "plain" if all(k == "plain" for k in kinds) else "unknown"
    if isinstance(value, cst.Dict):
        return "plain"  # a dict is never awaitable, whatever it holds
    if isinstance(value, cst.BinaryOperation):
        return _worst(classify(t, value.left, params), classify(t, value.right, params))
    if isinstance(value, cst.UnaryOperation | cst.Comparison | cst.BooleanOperation):
        return "plain"
    if isinstance(value, cst.ListComp | cst.SetComp | cst.DictComp):
        return "plain"
    if isinstance(value, cst.Call):
        names = t.qualified_names(value.func)
        if names & AWAITABLE_MAKERS:
            return "awaitable"
        facts = t.ctx.facts
        if any(facts.is_async_function(name) for name in names):
            return "awaitable"
        if isinstance(value.func, cst.Attribute) and value.func.attr.value == "create_future":
            return "awaitable"
        if names & {f"builtins.{b}" for b in PLAIN_BUILTINS}:
            return "plain"
        return "unknown"
    return "unknown"


def _worst(*kinds: Kind) -> Kind:
    if "awaitable" in kinds:
        return "awaitable"
    return "unknown" if "unknown" in kinds else "plain"


def _await_result(value: cst.BaseExpression, kind: Kind) -> list[cst.BaseStatement]:
    """``return await value``, or, when it may not be awaitable, await it only if it is."""
    if kind == "awaitable":
        return [cst.SimpleStatementLine([cst.Return(value=cst.Await(expression=value))])]
    assign = cst.parse_statement("result = None")
    assert isinstance(assign, cst.SimpleStatementLine)
    assign = assign.with_changes(
        body=[assign.body[0].with_changes(value=value)]  # type: ignore[union-attr]
    )
    return [
        assign,
        cst.parse_statement("return (await result) if inspect.isawaitable(result) else result"),
    ]


def from_lambda(name: str, function: cst.Lambda, kind: Kind) -> cst.FunctionDef:
    """``async def name(<the lambda's parameters>):`` awaiting what the lambda returned."""
    return cst.FunctionDef(
        name=cst.Name(name),
        params=function.params,
        body=cst.IndentedBlock(body=_await_result(function.body, kind)),
        asynchronous=cst.Asynchronous(),
    )


def wrapping(name: str, function: cst.BaseExpression, kind: Kind) -> cst.FunctionDef:
    """``async def name(*args, **kwargs):`` calling ``function`` and awaiting its result."""
    call = cst.Call(
        func=function,
        args=[
            cst.Arg(cst.Name("args"), star="*"),
            cst.Arg(cst.Name("kwargs"), star="**"),
        ],
    )
    params = cst.Parameters(
        star_arg=cst.Param(cst.Name("args")), star_kwarg=cst.Param(cst.Name("kwargs"))
    )
    return cst.FunctionDef(
        name=cst.Name(name),
        params=params,
        body=cst.IndentedBlock(body=_await_result(call, kind)),
        asynchronous=cst.Asynchronous(),
    )


def lambda_params(function: cst.Lambda) -> set[str]:
    params = function.params
    found = {p.name.value for p in (*params.posonly_params, *params.params, *params.kwonly_params)}
    for star in (params.star_arg, params.star_kwarg):
        if isinstance(star, cst.Param):
            found.add(star.name.value)
    return found


def returned_values(function: cst.FunctionDef) -> list[cst.BaseExpression] | None:
    """The values a plain function returns (``None`` for a bare ``return`` or falling
    off the end), or None when it is not a plain function (a generator, nested returns
    that cannot be read)."""
    found: list[cst.BaseExpression] = []

    class Returns(cst.CSTVisitor):
        generator = False

        def visit_FunctionDef(self, node: cst.FunctionDef) -> bool:
            return node is function

        def visit_Lambda(self, node: cst.Lambda) -> bool:
            return False

        def visit_ClassDef(self, node: cst.ClassDef) -> bool:
            return False

        def visit_Yield(self, node: cst.Yield) -> None:
            self.generator = True

        def visit_Return(self, node: cst.Return) -> None:
            found.append(node.value if node.value is not None else cst.Name("None"))

    visitor = Returns()
    function.visit(visitor)
    if visitor.generator:
        return None
    return found or [cst.Name("None")]


# --- planning: where a new ``async def`` can go -------------------------------------------

_COMPREHENSIONS = (cst.ListComp, cst.SetComp, cst.DictComp, cst.GeneratorExp)


class StatementTracker(Visitor):
    """A read-only visitor that knows the statements around the current node: the one a
    new definition can be put right before (not in a class body, not an ``elif``), and
    whether the node sits in a comprehension (whose variables the definition would not
    see)."""

    def __init__(self) -> None:
        super().__init__()
        self.statements: list[tuple[cst.BaseStatement, bool]] = []
        self.comprehensions = 0

    def on_visit(self, node: cst.CSTNode) -> bool:
        if isinstance(node, cst.BaseStatement):
            top = self.statements[-1][0] if self.statements else None
            insertable = not isinstance(top, cst.ClassDef) and not (
                isinstance(top, cst.If) and isinstance(node, cst.If) and top.orelse is node
            )
            self.statements.append((node, insertable))
        elif isinstance(node, _COMPREHENSIONS):
            self.comprehensions += 1
        return super().on_visit(node)

    def on_leave(self, original_node: cst.CSTNode) -> None:
        super().on_leave(original_node)
        if isinstance(original_node, cst.BaseStatement):
            self.statements.pop()
        elif isinstance(original_node, _COMPREHENSIONS):
            self.comprehensions -= 1

    def anchor(self) -> cst.BaseStatement | None:
        """The statement a new definition goes before: the innermost one in a block that
        is not a class body."""
        for statement, insertable in reversed(self.statements):
            if insertable:
                return statement
        return None


class SideEffectFinder(StatementTracker):
    """Finds the side effects given to coroutine mocks: ``M(side_effect=V)``, ``patch(...,
    new_callable=M, side_effect=V)`` and ``x = M(...)`` then ``x.side_effect = V``, where
    ``is_coroutine_mock`` says which callees are such mocks. Plans each with ``owner``."""

    def __init__(
        self, owner: AwaitingSideEffects, is_coroutine_mock: Callable[[cst.BaseExpression], bool]
    ) -> None:
        super().__init__()
        self.owner = owner
        self.is_coroutine_mock = is_coroutine_mock
        #: Dotted targets assigned a coroutine mock (``self.fetch``).
        self.mocks: set[str] = set()

    def _plan(self, value: cst.BaseExpression) -> None:
        self.owner.plan_side_effect(value, self.anchor(), hoistable=not self.comprehensions)

    def visit_Call(self, node: cst.Call) -> None:
        side_effect = next(
            (a for a in node.args if a.keyword is not None and a.keyword.value == "side_effect"),
            None,
        )
        if side_effect is None:
            return
        new_callable = next(
            (a for a in node.args if a.keyword is not None and a.keyword.value == "new_callable"),
            None,
        )
        if self.is_coroutine_mock(node.func) or (
            new_callable is not None and self.is_coroutine_mock(new_callable.value)
        ):
            self._plan(side_effect.value)

    def visit_Assign(self, node: cst.Assign) -> None:
        if isinstance(node.value, cst.Call) and self.is_coroutine_mock(node.value.func):
            self.mocks.update(dotted(t.target) for t in node.targets)
        for target in node.targets:
            if (
                isinstance(target.target, cst.Attribute)
                and target.target.attr.value == "side_effect"
                and dotted(target.target.value) in self.mocks
            ):
                self._plan(node.value)


def dotted(node: cst.BaseExpression) -> str:
    if isinstance(node, cst.Name):
        return node.value
    if isinstance(node, cst.Attribute):
        return f"{dotted(node.value)}.{node.attr.value}"
    return ""


# --- rewriting: a mixin for the codemods whose CoroutineMocks become AsyncMocks ------------


class AwaitingSideEffects(CodemodTransformer):
    """Plans and applies the ``async def`` replacing a side effect asynctest awaited.

    A codemod using it calls :meth:`plan_side_effect` while planning (with the anchor a
    :class:`StatementTracker` found), and routes its ``leave_Name``/``leave_Lambda``
    through :meth:`side_effect_replacement`; the definitions are placed by ``on_leave``.
    ``what`` names the mock in notes (``CoroutineMock``, ``AsyncMock (asynctest's
    CoroutineMock on Python < 3.8)``)."""

    def __init__(self, ctx: FileContext) -> None:
        super().__init__(ctx)
        #: id of the original side-effect value -> the name of its ``async def``.
        self.side_effect_names: dict[int, str] = {}
        #: id of the statement a definition goes before -> the definitions.
        self.side_effect_defs: dict[int, list[cst.FunctionDef]] = {}
        self.taken_names: set[str] = set()
        self.side_effect_mock = "CoroutineMock"

    def init_side_effects(self, module: cst.Module, what: str = "CoroutineMock") -> None:
        """Before planning: the names the module already uses, and what to call the mock."""
        self.taken_names = {n.value for n in _names(module)}
        self.side_effect_mock = what

    def plan_side_effect(
        self, value: cst.BaseExpression, anchor: cst.BaseStatement | None, hoistable: bool
    ) -> None:
        """When what the side effect ``value`` returns may be awaitable, it becomes an
        ``async def`` awaiting it (or a note when it cannot be moved)."""
        what = self.side_effect_mock
        if isinstance(value, cst.Lambda):
            kind = classify(self, value.body, lambda_params(value))
            if kind == "plain":
                return
            if anchor is None or not hoistable:
                self.review(
                    value,
                    f"{what} side_effect returns what may be awaitable: asynctest awaited it, "
                    "AsyncMock does not; write it as an async def that awaits it",
                )
                return
            name = self._fresh_name()
            made = from_lambda(name, value, kind)
        elif isinstance(value, cst.Name):
            if _names_exception_class(value.value):
                return  # raised when called: AsyncMock raises it as asynctest did
            named = self._named_kind(value)
            if named == "plain":
                return
            if named is None or anchor is None or not hoistable:
                self.review(
                    value,
                    f"{what} side_effect={value.value}: asynctest awaited whatever it "
                    "returned, AsyncMock only awaits an async def; check that it returns no "
                    "coroutine or Future",
                )
                return
            kind = named
            name = self._fresh_name()
            made = wrapping(name, value, kind)
        else:
            return  # an exception, an iterable of values: the same for both
        if kind == "unknown":
            self.add_import("inspect")
        self.side_effect_names[id(value)] = name
        self.side_effect_defs.setdefault(id(anchor), []).append(made)

    def _named_kind(self, value: cst.Name) -> Kind | None:
        """What a side effect named by a function of this module returns; None when the
        name is not such a function (an import, a variable)."""
        scope = self.get_metadata(ScopeProvider, value, None)
        if scope is None:
            return None
        assignments = list(scope[value.value])
        if len(assignments) != 1 or not isinstance(assignments[0], Assignment):
            return None
        definition = assignments[0].node
        if isinstance(definition, cst.ClassDef):
            return "plain"  # an exception class to raise, or a class to instantiate
        if not isinstance(definition, cst.FunctionDef):
            return None
        if definition.asynchronous is not None:
            return "plain"  # AsyncMock awaits an async def itself
        returned = returned_values(definition)
        if returned is None:
            return None
        params = {p.name.value for p in definition.params.params}
        return _worst(*(classify(self, v, params) for v in returned))

    def _fresh_name(self) -> str:
        index = 1
        while True:
            name = "awaiting_side_effect" + (f"_{index}" if index > 1 else "")
            if name not in self.taken_names:
                self.taken_names.add(name)
                return name
            index += 1

    def side_effect_replacement(self, original: cst.CSTNode) -> cst.Name | None:
        """The name replacing a planned side-effect value (a Name or a Lambda)."""
        replacement = self.side_effect_names.get(id(original))
        if replacement is None:
            return None
        shown = original.value if isinstance(original, cst.Name) else "lambda"
        self.changed(
            original,
            f"{self.side_effect_mock} side_effect {shown} -> async def {replacement} awaiting "
            "its result: asynctest awaited what a side effect returned, AsyncMock does not",
        )
        return cst.Name(replacement)

    def leave_Lambda(
        self, original_node: cst.Lambda, updated_node: cst.Lambda
    ) -> cst.BaseExpression:
        return self.side_effect_replacement(original_node) or updated_node

    def on_leave(  # type: ignore[override]
        self, original_node: cst.CSTNode, updated_node: cst.CSTNode
    ) -> Any:
        result = super().on_leave(original_node, updated_node)
        defs = self.side_effect_defs.get(id(original_node))
        if defs is None:
            return result
        # Each new def keeps the blank lines the statement it precedes had above it.
        spacing = [
            line for line in getattr(original_node, "leading_lines", ()) if line.comment is None
        ]
        placed = [d.with_changes(leading_lines=spacing) for d in defs]
        if isinstance(result, cst.RemovalSentinel):
            return cst.FlattenSentinel(placed)
        return cst.FlattenSentinel([*placed, result])


def _names_exception_class(name: str) -> bool:
    """A built-in exception class, or a name spelled like an exception class
    (``TimeoutError``, ``ClientConnectionError``, ``DeviceException``)."""
    builtin = getattr(builtins, name, None)
    if isinstance(builtin, type) and issubclass(builtin, BaseException):
        return True
    return name[:1].isupper() and name.endswith(("Error", "Exception"))


def _names(module: cst.Module) -> list[cst.Name]:
    found: list[cst.Name] = []

    class Names(Visitor):
        def visit_Name(self, node: cst.Name) -> None:
            found.append(node)

    module.visit(Names())
    return found
