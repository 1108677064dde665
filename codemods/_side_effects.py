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

from typing import Literal

import libcst as cst

from async_test_upgrade.cst import CodemodTransformer

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
