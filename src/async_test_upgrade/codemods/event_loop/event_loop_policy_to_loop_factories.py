"""
**What it does**

Replaces the two documented ways of running a suite on another event loop
implementation with a ``pytest_asyncio_loop_factories`` hook returning a single factory:

* an ``event_loop_policy`` fixture returning a policy instance
  (``return uvloop.EventLoopPolicy()`` or ``return MyPolicy()``), and
* an ``event_loop`` fixture of the create/yield/close shape whose loop comes from
  another maker (``loop = uvloop.new_event_loop()``, ``loop = asyncio.SelectorEventLoop()``).

The hook goes where the fixture was, in the same conftest, so it applies to the same
tests. The ``event_loop`` override's scope is carried over by
``remove-event-loop-override`` (settings or ``loop_scope`` marks).

**Why**

pytest-asyncio 1.0 removed the ``event_loop`` fixture (an override is silently ignored:
the tests quietly run on the default loop), and 1.4 deprecated overriding
``event_loop_policy`` (``Overriding the "event_loop_policy" fixture is deprecated ...
Use the "pytest_asyncio_loop_factories" hook to customize event loop creation.``);
CPython deprecates the policy system itself in 3.14. With a single factory the test ids
stay the same (pytest >= 8.4 hides the parameter).

**Example**

Before (``conftest.py``)::

    import pytest
    import uvloop

    @pytest.fixture(scope="session")
    def event_loop_policy():
        return uvloop.EventLoopPolicy()

After (``pytest`` was imported for the fixture only)::

    import uvloop

    def pytest_asyncio_loop_factories(config, item):
        return {"uvloop": uvloop.new_event_loop}

**When it refuses**

Anything else is reported, not changed: a parametrized policy fixture (several
factories would change every test id), a body that does more than return the policy or
create/yield/close the loop, a fixture in a test module (hooks only work in conftests or
plugins), a conftest that already has the hook or holds two candidates. Every rewrite
carries a review note: the hook needs pytest-asyncio >= 1.4 (pin it), and code that read
the policy back with ``asyncio.get_event_loop_policy()`` no longer sees it.
"""

from __future__ import annotations

import libcst as cst
import libcst.matchers as m

from async_test_upgrade.codemods.event_loop._loop_scopes import (
    carried_over,
    fixture_decorator,
    fixture_name,
    handled_by_factories,
    module_overrides,
)
from async_test_upgrade.cst import CodemodTransformer, FileContext, string_literal
from async_test_upgrade.facts import ProjectFacts
from async_test_upgrade.gate import CodeIndex
from async_test_upgrade.model import EventLoopOverride
from async_test_upgrade.registry import codemod

HOOK = "pytest_asyncio_loop_factories"
UVLOOP_POLICY = "uvloop.EventLoopPolicy"


@codemod(
    name="event-loop-policy-to-loop-factories",
    summary="uvloop/custom event_loop_policy or event_loop fixtures -> loop factories hook",
    after=("remove-event-loop-override",),
    safety="review",
    defers_to=("remove-event-loop-override",),
    triggers=("event_loop_policy", "event_loop"),
    min_target=(1, 4),
    produces=(
        "pytest_asyncio_loop_factories",
        "config",
        "item",
        "new_event_loop",
        "asyncio",
    ),
)
class EventLoopPolicyToLoopFactories(CodemodTransformer):
    @staticmethod
    def gate(code: CodeIndex, facts: ProjectFacts) -> bool:
        """A policy fixture here, or a custom-loop ``event_loop`` somewhere in the project."""
        return code.has("event_loop_policy") or any(
            o.loop_factory is not None for o in facts.event_loop_overrides
        )

    def __init__(self, ctx: FileContext) -> None:
        super().__init__(ctx)
        self.depth = 0
        #: id of the FunctionDef to replace -> (factory name, factory expression, why).
        self.plan: dict[int, tuple[str, cst.BaseExpression, str]] = {}

    def visit_Module(self, node: cst.Module) -> None:
        candidates: list[tuple[cst.FunctionDef, str, cst.BaseExpression, str]] = []
        has_hook = False
        for statement in node.body:
            if not isinstance(statement, cst.FunctionDef):
                continue
            if statement.name.value == HOOK:
                has_hook = True
            found = self._candidate(statement)
            if found is not None:
                candidates.append((statement, *found))
        if not candidates:
            return
        if has_hook or len(candidates) > 1 or not self.ctx.is_conftest:
            why = (
                f"this file already defines {HOOK}"
                if has_hook
                else "two custom loop fixtures in one file"
                if len(candidates) > 1
                else "a hook only works in a conftest or plugin, not in a test module"
            )
            for function, *_ in candidates:
                self.review(
                    function,
                    f"custom event loop fixture left in place ({why}); write a {HOOK} hook "
                    "by hand (pytest-asyncio >= 1.4)",
                )
            return
        function, name, factory, why = candidates[0]
        self.plan[id(function)] = (name, factory, why)

    def _candidate(self, function: cst.FunctionDef) -> tuple[str, cst.BaseExpression, str] | None:
        decorator = fixture_decorator(self, function)
        if decorator is None:
            return None
        name = fixture_name(decorator, function)
        if name == "event_loop_policy":
            return self._policy(function, decorator)
        if name == "event_loop":
            override = self._override_facts()
            if override is None or override.loop_factory is None:
                return None  # remove-event-loop-override reports the other shapes
            if not handled_by_factories(self.ctx.facts, override, self.ctx.options):
                return None
            maker = _loop_maker(function)
            if maker is None:
                return None
            key = "uvloop" if override.loop_factory.startswith("uvloop.") else _last_name(maker)
            return key, maker, f"event_loop fixture making its loop with {override.loop_factory}"
        return None

    def _override_facts(self) -> EventLoopOverride | None:
        for override in module_overrides(self.ctx.facts):
            if override.path == self.ctx.path:
                return override
        return None

    def _policy(
        self, function: cst.FunctionDef, decorator: cst.Decorator
    ) -> tuple[str, cst.BaseExpression, str] | None:
        call = decorator.decorator
        extra = (
            {a.keyword.value for a in call.args if a.keyword is not None} - {"scope", "name"}
            if isinstance(call, cst.Call)
            else set()
        )
        positional = isinstance(call, cst.Call) and any(a.keyword is None for a in call.args)
        policy = _returned_call(function)
        if extra or positional or policy is None or function.params.params:
            self.review(
                function,
                "event_loop_policy override left in place (deprecated in pytest-asyncio 1.4): "
                f"not the single `return Policy()` shape; write a {HOOK} hook by hand",
            )
            return None
        if self.is_name(policy.func, UVLOOP_POLICY):
            factory: cst.BaseExpression = cst.parse_expression("uvloop.new_event_loop")
            return "uvloop", factory, "event_loop_policy fixture returning uvloop.EventLoopPolicy()"
        factory = cst.Attribute(value=policy, attr=cst.Name("new_event_loop"))
        return (
            _last_name(policy.func),
            factory,
            "event_loop_policy fixture returning a policy instance",
        )

    def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
        self.depth += 1

    def leave_FunctionDef(
        self, original_node: cst.FunctionDef, updated_node: cst.FunctionDef
    ) -> cst.FunctionDef:
        self.depth -= 1
        planned = self.plan.get(id(original_node))
        if self.depth or planned is None:
            return updated_node
        name, factory, why = planned
        if name == "uvloop":
            self.add_import("uvloop")  # a no-op when ``import uvloop`` is there
            self.drop_import_if_unused("uvloop", "EventLoopPolicy")
        hook = _hook(name, factory).with_changes(leading_lines=original_node.leading_lines)
        self.changed(original_node, f"{why} -> {HOOK} hook with the single factory {name!r}")
        self.review(
            original_node,
            f"{HOOK} needs pytest-asyncio >= 1.4: pin it; code reading the loop policy back "
            "(asyncio.get_event_loop_policy()) no longer sees a custom one",
        )
        override = self._override_facts()
        if (
            why.startswith("event_loop fixture")
            and override is not None
            and (override.scope or "function") != "function"
            and not carried_over(self.ctx.facts, override, self.ctx.options)
        ):
            self.review(
                original_node,
                f"the event_loop fixture was {override.scope}-scoped and "
                "remove-event-loop-override is not selected: set loop_scope by hand",
            )
        self.drop_import_if_unused("pytest")
        self.drop_import_if_unused("asyncio")
        return hook


def _hook(name: str, factory: cst.BaseExpression) -> cst.FunctionDef:
    mapping = cst.Dict(
        [cst.DictElement(key=string_literal(name), value=factory)],
    )
    return cst.FunctionDef(
        name=cst.Name(HOOK),
        params=cst.Parameters([cst.Param(cst.Name("config")), cst.Param(cst.Name("item"))]),
        body=cst.IndentedBlock([cst.SimpleStatementLine([cst.Return(mapping)])]),
    )


def _body_without_docstring(function: cst.FunctionDef) -> list[cst.BaseStatement]:
    body = list(function.body.body) if isinstance(function.body, cst.IndentedBlock) else []
    if body and m.matches(
        body[0], m.SimpleStatementLine([m.Expr(m.SimpleString() | m.ConcatenatedString())])
    ):
        body = body[1:]
    return body


def _returned_call(function: cst.FunctionDef) -> cst.Call | None:
    """The ``X()`` of a body that is only ``return X()``."""
    body = _body_without_docstring(function)
    if len(body) != 1 or not m.matches(body[0], m.SimpleStatementLine([m.Return(m.Call(args=[]))])):
        return None
    statement = body[0]
    assert isinstance(statement, cst.SimpleStatementLine)
    returned = statement.body[0]
    assert isinstance(returned, cst.Return) and isinstance(returned.value, cst.Call)
    return returned.value


def _loop_maker(function: cst.FunctionDef) -> cst.BaseExpression | None:
    """The ``M`` of ``loop = M()`` opening a create/yield/close body (facts checked the rest)."""
    body = _body_without_docstring(function)
    if not body or not m.matches(
        body[0],
        m.SimpleStatementLine(
            [m.Assign(targets=[m.AssignTarget(m.Name())], value=m.Call(args=[]))]
        ),
    ):
        return None
    statement = body[0]
    assert isinstance(statement, cst.SimpleStatementLine)
    assign = statement.body[0]
    assert isinstance(assign, cst.Assign) and isinstance(assign.value, cst.Call)
    return assign.value.func


def _last_name(expression: cst.BaseExpression) -> str:
    if isinstance(expression, cst.Attribute):
        return expression.attr.value
    if isinstance(expression, cst.Name):
        return expression.value
    return "custom"
