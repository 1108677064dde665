"""An ``event_loop`` override parametrized through the fixtures it requests.

::

    @pytest.fixture(scope="session", params=[True, False], ids=["debug:true", "debug:false"])
    def debug(request):
        return request.param

    @pytest.fixture(params=["pyloop", "uvloop"])
    def loop_type(request):
        return request.param

    @pytest.fixture
    def event_loop(request, loop_type, debug):
        loop = uvloop.new_event_loop() if loop_type == "uvloop" else asyncio.new_event_loop()
        loop.set_debug(debug)
        yield loop
        loop.close()

Every async test ran once per combination of the parameters (here four times, with ids
such as ``test_x[debug:true-pyloop]``). pytest-asyncio 1.x ignores the override, so the
variants disappear. Its ``pytest_asyncio_loop_factories`` hook (1.4+) parametrizes every
async test over named loop factories: one factory per combination keeps every variant,
named as pytest named it. This module reads the shape; ``event-loop-policy-to-loop-
factories`` writes the hook and ``remove-event-loop-override`` leaves the override to it.
"""

from __future__ import annotations

import ast
import itertools
from dataclasses import dataclass

import libcst as cst
import libcst.matchers as m

from async_test_upgrade.codemods.event_loop._loop_scopes import (
    fixture_decorator,
    fixture_name,
    scope_rank,
)
from async_test_upgrade.cst import CodemodTransformer, Visitor, keyword
from async_test_upgrade.model import EventLoopOverride, Options

_CODE = cst.Module([])
#: The codemod that writes the factories (remove-event-loop-override asks about it too).
FACTORIES_CODEMOD = "event-loop-policy-to-loop-factories"
#: Teardown that pytest-asyncio's runner makes unneeded (it closes the loop it made and
#: restores the current loop) or that only tidies up after it.
TEARDOWN_CALLS = ("asyncio.set_event_loop", "gc.collect")


@dataclass(frozen=True)
class Variant:
    #: The test id part pytest gave this combination (``debug:true-pyloop``).
    name: str
    #: The override's parameter -> the value its fixture gave (as written).
    values: tuple[tuple[str, cst.BaseExpression], ...]


@dataclass(frozen=True)
class LoopVariants:
    #: The override's parameters that are parametrized fixtures, in its order.
    parameters: tuple[str, ...]
    variants: tuple[Variant, ...]
    #: What the override runs before handing the loop out.
    setup: tuple[cst.BaseStatement, ...]
    #: The name of the loop it hands out.
    loop: str
    #: Its teardown beyond closing the loop, which no factory can run (the code of each
    #: statement).
    teardown: tuple[str, ...]


def factories_handle_variants(override: EventLoopOverride, options: Options) -> bool:
    """Whether ``event-loop-policy-to-loop-factories`` will look at this parametrized
    override (it then writes the hook, or says why not)."""
    return (
        override.name == "event_loop"
        and bool(override.requests)
        and override.is_conftest
        and not override.in_class
        and override.scope_is_literal
        and (override.scope or "function") == "function"
        and set(override.fixture_arguments) <= {"scope", "name"}
        and options.runs(FACTORIES_CODEMOD)
        and options.target_version >= (1, 4)
    )


def loop_variants(
    t: CodemodTransformer, module: cst.Module, override: cst.FunctionDef
) -> LoopVariants | str:
    """The variants of a parametrized ``event_loop`` override of ``module``, or why it
    cannot become loop factories."""
    params = override.params
    if params.star_arg is not cst.MaybeSentinel.DEFAULT or params.kwonly_params:
        return "it takes * or keyword-only parameters"
    if params.star_kwarg is not None or params.posonly_params:
        return "it takes ** or positional-only parameters"
    names = [p.name.value for p in params.params]
    if any(p.default is not None for p in params.params):
        return "a parameter has a default"
    requested = [n for n in names if n != "request"]
    if "request" in names and _uses(override.body, "request"):
        return "it reads request"
    fixtures = {
        fixture_name(decorator, statement): statement
        for statement in module.body
        if isinstance(statement, cst.FunctionDef)
        for decorator in [fixture_decorator(t, statement)]
        if decorator is not None
    }
    choices: dict[str, tuple[str, list[tuple[str, cst.BaseExpression]]]] = {}
    for name in requested:
        fixture = fixtures.get(name)
        if fixture is None:
            return f"{name} is not a fixture of this conftest"
        found = _parametrized(t, fixture)
        if isinstance(found, str):
            return f"{name}: {found}"
        choices[name] = found
    # (A docstring stays: it describes the factory function as well.)
    body = list(override.body.body) if isinstance(override.body, cst.IndentedBlock) else []
    handed = [i for i, s in enumerate(body) if _hands_out(s) is not None]
    if len(handed) != 1:
        return "it does not hand its loop out with one plain yield or return"
    at = handed[0]
    loop = _hands_out(body[at])
    assert loop is not None
    setup, teardown = body[:at], body[at + 1 :]
    if any(_has_exit(s) for s in setup):
        return "it yields or returns before handing its loop out"
    setup = [_debug_once_running(s, loop) for s in setup]
    if any(_sets_debug_directly(s) for s in setup):
        return "it sets debug mode other than with one plain loop.set_debug(...) call"
    dropped: list[str] = []
    for statement in teardown:
        if not _harmless_teardown(t, statement, loop):
            return f"its teardown does more than close the loop ({_code(statement)})"
        if _code(statement) != f"{loop}.close()":  # pytest-asyncio closes the loop itself
            dropped.append(_code(statement))
    # pytest parametrizes the fixtures of widest scope first, and names the combination
    # by their ids joined with "-" in that order.
    order = sorted(requested, key=lambda n: -scope_rank(choices[n][0]))
    variants = []
    for combination in itertools.product(*(choices[n][1] for n in order)):
        picked = dict(zip(order, combination, strict=True))
        variants.append(
            Variant(
                "-".join(picked[n][0] for n in order),
                tuple((n, picked[n][1]) for n in requested),
            )
        )
    return LoopVariants(tuple(requested), tuple(variants), tuple(setup), loop, tuple(dropped))


def _parametrized(
    t: CodemodTransformer, fixture: cst.FunctionDef
) -> tuple[str, list[tuple[str, cst.BaseExpression]]] | str:
    """A fixture that returns ``request.param`` of literal ``params``: its scope and, per
    param, the id pytest gives it and the value."""
    decorator = fixture_decorator(t, fixture)
    call = decorator.decorator if decorator is not None else None
    if not isinstance(call, cst.Call):
        return "not parametrized"
    extra = {a.keyword.value for a in call.args if a.keyword is not None} - {
        "scope",
        "params",
        "ids",
        "name",
    }
    if extra or any(a.keyword is None for a in call.args):
        return "its fixture decorator takes more than scope, params and ids"
    given = keyword(call, "params")
    if given is None or not isinstance(given.value, cst.List | cst.Tuple):
        return "its params are not a list"
    values = [e.value for e in given.value.elements if isinstance(e, cst.Element)]
    if len(values) != len(given.value.elements) or not values:
        return "its params are not a list"
    if any(_literal(value) is _NOT_LITERAL for value in values):
        return "a param is not a literal value (pytest.param, a name, a call)"
    scope_arg = keyword(call, "scope")
    scope = "function"
    if scope_arg is not None:
        scope_value = _literal(scope_arg.value)
        if not isinstance(scope_value, str):
            return "its scope is not a literal"
        scope = scope_value
    ids_arg = keyword(call, "ids")
    if ids_arg is not None:
        ids = _literal(ids_arg.value)
        if not isinstance(ids, list | tuple) or len(ids) != len(values):
            return "its ids are not a list as long as its params"
        if not all(
            isinstance(i, str) and i.isascii() and i.isprintable() and "\\" not in i for i in ids
        ):
            return "its ids are not plain text"
        names = [str(i) for i in ids]
    else:
        names = []
        for value in values:
            literal = _literal(value)
            if isinstance(literal, str) and _plain_id(literal):
                names.append(literal)
            elif literal is None or isinstance(literal, bool | int | float):
                names.append(str(literal))
            else:
                return "a param has no plain id"
    if len(set(names)) != len(names):
        return "two params have the same id"
    statements = list(fixture.body.body) if isinstance(fixture.body, cst.IndentedBlock) else []
    if not (
        len(statements) == 1
        and m.matches(
            statements[0],
            m.SimpleStatementLine(
                [m.Return(m.Attribute(value=m.Name("request"), attr=m.Name("param")))]
            ),
        )
    ):
        return "its body is more than return request.param"
    return scope, list(zip(names, values, strict=True))


_DEBUG_COMMENT = (
    "# pytest-asyncio's runner sets its own debug mode on the loop a factory returns:",
    "# this one is set once the loop runs, before the test's first step.",
)


def _debug_once_running(statement: cst.BaseStatement, loop: str) -> cst.BaseStatement:
    """``loop.set_debug(x)`` -> ``loop.call_soon(loop.set_debug, x)``, with a comment."""
    if not m.matches(
        statement,
        m.SimpleStatementLine(
            [
                m.Expr(
                    m.Call(
                        func=m.Attribute(value=m.Name(loop), attr=m.Name("set_debug")),
                        args=[m.Arg(keyword=None, star="")],
                    )
                )
            ]
        ),
    ):
        return statement
    assert isinstance(statement, cst.SimpleStatementLine)
    expression = statement.body[0]
    assert isinstance(expression, cst.Expr) and isinstance(expression.value, cst.Call)
    value = expression.value.args[0].value
    deferred = cst.parse_expression(f"{loop}.call_soon({loop}.set_debug, x)")
    assert isinstance(deferred, cst.Call)
    deferred = deferred.with_changes(
        args=[deferred.args[0], deferred.args[1].with_changes(value=value)]
    )
    return statement.with_changes(
        body=[expression.with_changes(value=deferred)],
        leading_lines=[
            *statement.leading_lines,
            *(cst.EmptyLine(comment=cst.Comment(line)) for line in _DEBUG_COMMENT),
        ],
    )


class _SetDebug(Visitor):
    def __init__(self) -> None:
        super().__init__()
        self.found = False

    def visit_Call(self, node: cst.Call) -> None:
        if m.matches(node.func, m.Attribute(attr=m.Name("set_debug"))):
            self.found = True


def _sets_debug_directly(statement: cst.BaseStatement) -> bool:
    finder = _SetDebug()
    statement.visit(finder)
    return finder.found


def _plain_id(text: str) -> bool:
    """Text pytest puts in a test id as it is (no escaping)."""
    return bool(text) and text.isascii() and text.isprintable() and "\\" not in text


def _hands_out(statement: cst.BaseStatement) -> str | None:
    """``yield NAME`` or ``return NAME``: the name."""
    if not isinstance(statement, cst.SimpleStatementLine) or len(statement.body) != 1:
        return None
    small = statement.body[0]
    if isinstance(small, cst.Expr) and isinstance(small.value, cst.Yield):
        value = small.value.value
    elif isinstance(small, cst.Return):
        value = small.value
    else:
        return None
    return value.value if isinstance(value, cst.Name) else None


def _harmless_teardown(t: CodemodTransformer, statement: cst.BaseStatement, loop: str) -> bool:
    if not isinstance(statement, cst.SimpleStatementLine) or len(statement.body) != 1:
        return False
    small = statement.body[0]
    if not isinstance(small, cst.Expr) or not isinstance(small.value, cst.Call):
        return False
    call = small.value
    if m.matches(call, m.Call(func=m.Attribute(value=m.Name(loop), attr=m.Name("close")), args=[])):
        return True
    if t.is_name(call.func, "gc.collect"):
        return not call.args
    return t.is_name(call.func, "asyncio.set_event_loop") and m.matches(
        call, m.Call(args=[m.Arg(value=m.Name("None"), keyword=None)])
    )


class _Finder(Visitor):
    def __init__(self, name: str | None = None) -> None:
        super().__init__()
        self.name = name
        self.found = False

    def visit_Name(self, node: cst.Name) -> None:
        if node.value == self.name:
            self.found = True

    def visit_Yield(self, node: cst.Yield) -> None:
        if self.name is None:
            self.found = True

    def visit_Return(self, node: cst.Return) -> None:
        if self.name is None:
            self.found = True

    def visit_FunctionDef(self, node: cst.FunctionDef) -> bool:
        return self.name is not None  # a nested function's own returns are its own

    def visit_Lambda(self, node: cst.Lambda) -> bool:
        return self.name is not None


def _uses(node: cst.CSTNode, name: str) -> bool:
    finder = _Finder(name)
    node.visit(finder)
    return finder.found


def _has_exit(node: cst.CSTNode) -> bool:
    finder = _Finder()
    node.visit(finder)
    return finder.found


def _literal(node: cst.BaseExpression) -> object:
    try:
        return ast.literal_eval(f"({_CODE.code_for_node(node)})")
    except (ValueError, TypeError, SyntaxError, MemoryError, RecursionError):
        return _NOT_LITERAL


_NOT_LITERAL = object()


def _code(node: cst.CSTNode) -> str:
    """The code of ``node`` on one line (a statement without its comments)."""
    if isinstance(node, cst.SimpleStatementLine):
        return "; ".join(_CODE.code_for_node(small).strip() for small in node.body)
    return _CODE.code_for_node(node).strip()


def factory_function(variants: LoopVariants, name: str, like: cst.FunctionDef) -> cst.FunctionDef:
    """The override's setup as a plain function of the variant's values, returning the
    loop: what each factory calls."""
    back = cst.SimpleStatementLine([cst.Return(cst.Name(variants.loop))])
    body = [*variants.setup, back]
    return cst.FunctionDef(
        name=cst.Name(name),
        params=cst.Parameters([cst.Param(cst.Name(p)) for p in variants.parameters]),
        body=like.body.with_changes(body=body)
        if isinstance(like.body, cst.IndentedBlock)
        else cst.IndentedBlock(body),
        leading_lines=like.leading_lines,
    )


def factories_hook(variants: LoopVariants, function: str, hook: str) -> cst.FunctionDef:
    """``hook(config, item)`` returning one ``functools.partial`` of ``function`` per
    variant, named as pytest named it."""
    entries = []
    for variant in variants.variants:
        arguments = ", ".join(f"{n}={_code(v)}" for n, v in variant.values)
        key = f'"{variant.name}"' if '"' not in variant.name else repr(variant.name)
        line = f"        {key}: functools.partial({function}, {arguments}),\n"
        if len(line) > 89:  # as a formatter would wrap it
            line = (
                f"        {key}: functools.partial(\n"
                f"            {function}, {arguments}\n"
                "        ),\n"
            )
        entries.append(line)
    code = f"def {hook}(config, item):\n    return {{\n{''.join(entries)}    }}\n"
    parsed = cst.parse_statement(code)
    assert isinstance(parsed, cst.FunctionDef)
    return parsed.with_changes(
        leading_lines=[cst.EmptyLine(), cst.EmptyLine()],
    )
