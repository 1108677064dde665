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

A function-scoped ``event_loop`` override parametrized through the fixtures it requests
(each returning ``request.param`` of literal ``params=``, such as a loop type and a debug
mode) ran every async test once per combination: it becomes a plain function of those
values, and the hook returns one factory per combination, named as pytest named the
combination (``debug:true-uvloop``: the ids of the widest-scoped fixture first, joined by
``-``), so every variant runs again under its old test id. What the override did after
its ``yield`` beyond closing the loop (``asyncio.set_event_loop(None)``, ``gc.collect()``)
is dropped: pytest-asyncio closes the loop. Because pytest-asyncio's runner sets its own
debug mode on the loop a factory returns, ``loop.set_debug(x)`` becomes
``loop.call_soon(loop.set_debug, x)``: debug mode is on from the loop's first step.

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
factories would change every test id), a parametrized ``event_loop`` override of another
shape (a wider scope, a param that is not a literal, a fixture defined elsewhere or doing
more than ``return request.param``, a teardown doing more than closing the loop; reported
by ``remove-event-loop-override`` with the reason), a body that does more than return the policy or
create/yield/close the loop, a fixture in a test module (hooks only work in conftests or
plugins), a conftest that already has the hook or holds two candidates. Every rewrite
carries a review note: the hook needs pytest-asyncio >= 1.4 (pin it), and code that read
the policy back with ``asyncio.get_event_loop_policy()`` no longer sees it. For the
variants, the note also says what no hook can keep: a sync test that requested the
override ran once per variant and now runs once (the hook parametrizes async tests only),
and the parametrized fixtures are kept, since other tests may request them.
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
from async_test_upgrade.codemods.event_loop._loop_variants import (
    LoopVariants,
    factories_handle_variants,
    factories_hook,
    factory_function,
    loop_variants,
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
    summary="uvloop/custom/parametrized event_loop(_policy) fixtures -> loop factories hook",
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
        "functools",
        "partial",
        "new_event_loop_variant",
        "call_soon",
        "set_debug",
    ),
)
class EventLoopPolicyToLoopFactories(CodemodTransformer):
    @staticmethod
    def gate(code: CodeIndex, facts: ProjectFacts) -> bool:
        """A policy fixture here, a custom-loop ``event_loop`` somewhere in the project, or
        here one that requests other fixtures (parametrized ones make variants)."""
        return (
            code.has("event_loop_policy")
            or any(o.loop_factory is not None for o in facts.event_loop_overrides)
            or (
                code.has("event_loop")
                and any(o.name == "event_loop" and o.requests for o in facts.event_loop_overrides)
            )
        )

    def __init__(self, ctx: FileContext) -> None:
        super().__init__(ctx)
        self.depth = 0
        #: id of the FunctionDef to replace -> (factory name, factory expression, why).
        self.plan: dict[int, tuple[str, cst.BaseExpression, str]] = {}
        #: id of a parametrized event_loop override to replace -> its variants.
        self.variants: dict[int, LoopVariants] = {}
        self.module_names: set[str] = set()

    def visit_Module(self, node: cst.Module) -> None:
        candidates: list[tuple[cst.FunctionDef, str, cst.BaseExpression, str]] = []
        varied: list[tuple[cst.FunctionDef, LoopVariants]] = []
        has_hook = False
        for statement in node.body:
            if not isinstance(statement, cst.FunctionDef):
                continue
            if statement.name.value == HOOK:
                has_hook = True
            variants = self._variants(node, statement)
            if variants is not None:
                varied.append((statement, variants))
                continue
            found = self._candidate(statement)
            if found is not None:
                candidates.append((statement, *found))
        if varied:
            self.module_names = _module_names(node)
            if has_hook or candidates or len(varied) > 1 or VARIANT_FUNCTION in self.module_names:
                why = (
                    f"this file already defines {HOOK}"
                    if has_hook
                    else f"this file already has a {VARIANT_FUNCTION}"
                    if VARIANT_FUNCTION in self.module_names
                    else "two custom loop fixtures in one file"
                )
                for function, _variants in varied:
                    self.review(
                        function,
                        f"parametrized event_loop override left in place ({why}); write a "
                        f"{HOOK} hook with one factory per variant by hand (pytest-asyncio "
                        ">= 1.4)",
                    )
                return
            function, variants = varied[0]
            self.variants[id(function)] = variants
            return
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

    def _variants(self, module: cst.Module, function: cst.FunctionDef) -> LoopVariants | None:
        """The variants of an ``event_loop`` override parametrized through the fixtures
        it requests (remove-event-loop-override reports the ones that cannot be read)."""
        if not self.ctx.is_conftest:
            return None
        decorator = fixture_decorator(self, function)
        if decorator is None or fixture_name(decorator, function) != "event_loop":
            return None
        override = self._override_facts()
        if override is None or not factories_handle_variants(override, self.ctx.options):
            return None
        found = loop_variants(self, module, function)
        return None if isinstance(found, str) else found

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
    ) -> cst.FunctionDef | cst.FlattenSentinel[cst.BaseStatement]:
        self.depth -= 1
        if not self.depth and id(original_node) in self.variants:
            return self._write_variants(original_node, self.variants[id(original_node)])
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

    def _write_variants(
        self, original_node: cst.FunctionDef, variants: LoopVariants
    ) -> cst.FlattenSentinel[cst.BaseStatement]:
        factory = factory_function(variants, VARIANT_FUNCTION, original_node)
        hook = factories_hook(variants, VARIANT_FUNCTION, HOOK)
        self.add_import("functools")
        for module in ("gc", "asyncio", "pytest"):  # what only the teardown or decorator used
            self.drop_import_if_unused(module)
        names = ", ".join(v.name for v in variants.variants)
        self.changed(
            original_node,
            f"event_loop override parametrized by {', '.join(variants.parameters)} -> {HOOK} "
            f"hook with one loop factory per variant ({names})",
        )
        teardown = (
            f"; the rest of its teardown ({'; '.join(variants.teardown)}) no longer runs "
            "(pytest-asyncio closes the loop it made)"
            if variants.teardown
            else ""
        )
        self.review(
            original_node,
            f"{HOOK} needs pytest-asyncio >= 1.4: pin it; every async test runs once per "
            f"factory, as it ran once per variant{teardown}; a sync test that requested "
            "event_loop (or a fixture using it) ran once per variant and now runs once; the "
            f"fixtures {', '.join(variants.parameters)} are kept (remove them if nothing else "
            "requests them)",
        )
        return cst.FlattenSentinel([factory, hook])


#: The function the loop factories of a parametrized override call.
VARIANT_FUNCTION = "new_event_loop_variant"


def _module_names(module: cst.Module) -> set[str]:
    """Names defined at the top of ``module`` (functions, classes, assignments, imports)."""
    names: set[str] = set()
    for statement in module.body:
        if isinstance(statement, cst.FunctionDef | cst.ClassDef):
            names.add(statement.name.value)
        elif isinstance(statement, cst.SimpleStatementLine):
            for small in statement.body:
                if isinstance(small, cst.Assign):
                    names.update(
                        t.target.value for t in small.targets if isinstance(t.target, cst.Name)
                    )
                elif isinstance(small, cst.Import | cst.ImportFrom) and not isinstance(
                    small.names, cst.ImportStar
                ):
                    for alias in small.names:
                        bound = alias.asname.name if alias.asname else alias.name
                        if isinstance(bound, cst.Name):
                            names.add(bound.value)
    return names


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
