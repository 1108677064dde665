"""
**What it does**

Moves a suite written for aiohttp's own pytest plugin (or pytest-aiohttp 0.3/1.0) onto the
fixtures pytest-aiohttp 1.1 and pytest-asyncio still provide:

* fixture parameters of tests and fixtures are renamed, and so is every use of them in the
  body: ``test_client`` -> ``aiohttp_client``, ``test_server`` -> ``aiohttp_server``,
  ``raw_test_server`` -> ``aiohttp_raw_server``, ``unused_port`` and
  ``aiohttp_unused_port`` -> ``unused_tcp_port_factory`` (the same kind of factory: call
  sites ``port()`` stay as they are). When the function already requests the new name the
  old parameter is dropped instead.
* the ``loop`` parameter is removed from ``async def`` tests and fixtures; when the body
  used it, ``loop = asyncio.get_running_loop()`` is bound as the first statement.
* a synchronous test or fixture whose only uses of ``loop`` are
  ``loop.run_until_complete(x)`` becomes ``async def`` with ``await x`` (in strict mode the
  test also gets ``@pytest.mark.asyncio`` and the fixture ``@pytest_asyncio.fixture``).
* ``web.Application(loop=loop)`` loses the argument with the fixture, also in a function
  nested inside (a ``create_server(loop)`` fixture returning a coroutine that builds the
  app): aiohttp 3 binds an application to the loop that starts it and deprecates the
  argument. A synchronous fixture that requested ``loop`` for nothing else stays
  synchronous.
* ``aiohttp_client(create_app)`` (an app *factory*, which the old plugin called as
  ``create_app(loop)``) becomes ``aiohttp_client(create_app())``, extra positional
  arguments moving into the factory call, when the factory's ``loop`` parameter is optional,
  or unused and nothing but the client fixtures receives the factory (the parameter is then
  dropped where the factory is defined, in the test module or in the project's package).
* ``pytest_plugins = "aiohttp.pytest_plugin"`` (a string, or an item of a list or tuple) is
  removed: pytest-aiohttp registers itself through its ``pytest11`` entry point, so an
  explicit plugin line is not needed, and loading aiohttp's own plugin next to it makes the
  two fight over the same fixture names. Only when the project declares pytest-aiohttp
  among its test requirements, though: otherwise the line is what gives the tests their
  ``aiohttp_client`` fixture, so it stays, with a note.
* pytest-aiohttp 1.x runs async tests through pytest-asyncio, whose recommended mode for
  it is *auto*: when the suite is migrated to auto mode the setting is requested here too.

Only parameters that really are these plugin fixtures are touched: parameters of
``test*`` functions and of functions decorated as fixtures, never a parameter the project
shadows with a fixture of its own of the same name (anywhere in the project), nor one
supplied by ``@pytest.mark.parametrize``.

**Why**

aiohttp 3.0 renamed ``test_client``/``test_server``/``raw_test_server`` and kept the old
names as deprecated aliases in its plugin; pytest-aiohttp 1.0 rebuilt the fixtures on
pytest-asyncio, keeping ``loop``, ``proactor_loop`` and ``aiohttp_unused_port`` as
deprecated shims, and pytest-aiohttp 1.1 removed those shims: ``fixture 'loop' not found``,
``fixture 'test_client' not found``, ``fixture 'aiohttp_unused_port' not found``. The new
``aiohttp_client`` only accepts an application or a server
(``ValueError: Unknown argument type: <class 'function'>``), and aiohttp 3.14 deprecates
``aiohttp.pytest_plugin`` (removed in aiohttp 4).

**Example**

Before (``pytest.ini``, unchanged)::

    [pytest]
    asyncio_mode = auto

Before (``requirements-test.txt``, unchanged)::

    pytest-aiohttp>=1.1

Before (``tests/test_example.py``)::

    from aiohttp import web

    pytest_plugins = "aiohttp.pytest_plugin"

    def create_app(loop):
        app = web.Application()
        app.router.add_get("/", hello)
        return app

    async def test_hello(test_client, aiohttp_unused_port, loop):
        client = await test_client(create_app)
        port = aiohttp_unused_port()
        loop.call_soon(poke)

    def test_sync_style(loop, test_client):
        client = loop.run_until_complete(test_client(create_app))

After (``tests/test_example.py``)::

    from aiohttp import web
    import asyncio

    def create_app():
        app = web.Application()
        app.router.add_get("/", hello)
        return app

    async def test_hello(aiohttp_client, unused_tcp_port_factory):
        loop = asyncio.get_running_loop()
        client = await aiohttp_client(create_app())
        port = unused_tcp_port_factory()
        loop.call_soon(poke)

    async def test_sync_style(aiohttp_client):
        client = await aiohttp_client(create_app())

**When it refuses**

Reported and left alone: ``proactor_loop`` (it needs a loop factory hook); a synchronous
test or fixture that uses ``loop`` other than as ``loop.run_until_complete(x)`` or as the
``loop=`` of aiohttp's ``web.Application`` (the loop escapes: ``call_soon``,
``loop.create_server`` in a nested coroutine, threads, helpers, another ``Application``);
``loop.run_until_complete`` inside an async function or a nested function; a new fixture
name that is already bound to something else in the function; an app factory whose
``loop`` parameter is required and used, or that other code also calls with arguments
(``web.run_app(create_app(loop))``). Every sync-to-async conversion is applied but also
listed for review: code inside that called ``asyncio.run()`` would now run inside a
running loop.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, ClassVar, TypeVar

import libcst as cst
from libcst.metadata import (
    Assignment,
    ProviderT,
    QualifiedNameProvider,
    ScopeProvider,
)

from async_test_upgrade.codemods.mode._mode import target_mode
from async_test_upgrade.cst import (
    CodemodTransformer,
    FileContext,
    Visitor,
    callee,
    keyword,
    string_value,
    without_args,
)
from async_test_upgrade.providers import ParentProvider
from async_test_upgrade.pytest_api import FIXTURE_DECORATORS, MADE_ASYNC
from async_test_upgrade.registry import codemod

if TYPE_CHECKING:
    from async_test_upgrade.facts import ProjectFacts
    from async_test_upgrade.gate import CodeIndex

RENAMES = {
    "test_client": "aiohttp_client",
    "test_server": "aiohttp_server",
    "raw_test_server": "aiohttp_raw_server",
    "unused_port": "unused_tcp_port_factory",
    "aiohttp_unused_port": "unused_tcp_port_factory",
}
#: Fixtures that accept an app factory in the old plugin.
CLIENT_FIXTURES = ("test_client", "aiohttp_client")
#: Parameters whose presence says the file uses pytest-aiohttp's fixtures.
AIOHTTP_FIXTURES = frozenset(
    {*RENAMES, *RENAMES.values(), "aiohttp_client", "aiohttp_server", "aiohttp_raw_server"}
) - {"unused_tcp_port_factory"}
PARAMETRIZE = "pytest.mark.parametrize"
#: ``web.Application(loop=...)``: aiohttp 3 binds an app to the loop that starts it, and
#: warns about the argument (deprecated since 3.0).
APPLICATION = ("aiohttp.web.Application", "aiohttp.web_app.Application")
AIOHTTP_PLUGIN = "aiohttp.pytest_plugin"
#: Parameter names the codemod acts on; a file naming none of them has nothing to rename.
GATE_WORDS = frozenset({*AIOHTTP_FIXTURES, *RENAMES, "loop", "proactor_loop"})

T = TypeVar("T", cst.Param, cst.Arg)


@dataclass
class FunctionPlan:
    """What to do to one test or fixture, decided before any node is replaced."""

    drop_params: set[str] = field(default_factory=set)
    rename_params: dict[str, str] = field(default_factory=dict)
    bind_loop: bool = False
    make_async: bool = False


@codemod(
    name="pytest-aiohttp-fixtures",
    summary="pytest-aiohttp 1.1: test_client/loop/aiohttp_unused_port... -> current fixtures",
    after=("strict-to-auto", "strict-markers", "asyncio-coroutine-to-async-def"),
    safety="review",
    defers_to=("strict-to-auto",),
    triggers=(
        "test_client",
        "test_server",
        "raw_test_server",
        "unused_port",
        "loop",
        "aiohttp.pytest_plugin",
    ),
    needs={"pytest-aiohttp": (1, 0)},
    produces=(
        *MADE_ASYNC,
        "aiohttp_client",
        "aiohttp_server",
        "aiohttp_raw_server",
        "unused_tcp_port_factory",
    ),
)
class PytestAiohttpFixtures(CodemodTransformer):
    @staticmethod
    def gate(code: CodeIndex, facts: ProjectFacts) -> bool:
        """A parameter named like a legacy plugin fixture (exact words: ``loop``, not
        ``event_loop``), the plugin in ``pytest_plugins``, or a loop factory of the project
        defined or handed to a client here."""
        if any(code.has(name) for name in GATE_WORDS) or code.has(AIOHTTP_PLUGIN):
            return True
        return any(code.has(q.rpartition(".")[2]) for q in facts.loop_factories)

    METADATA_DEPENDENCIES: ClassVar[Collection[ProviderT]] = (
        QualifiedNameProvider,
        ScopeProvider,
        ParentProvider,
    )

    def __init__(self, ctx: FileContext) -> None:
        super().__init__(ctx)
        self.plans: dict[cst.FunctionDef, FunctionPlan] = {}
        #: Name nodes (by identity) to rename, with their new value.
        self.renamed_refs: dict[cst.Name, str] = {}
        #: ``loop.run_until_complete(x)`` calls to turn into ``await x``.
        self.awaited_calls: set[cst.Call] = set()
        #: ``web.Application(loop=loop)`` calls that lose the argument with the fixture.
        self.application_calls: set[cst.Call] = set()
        #: Client calls whose factory argument gets called: call -> positional args moved.
        self.factory_calls: set[cst.Call] = set()
        #: Factory definitions whose unused ``loop`` parameter is dropped.
        self.factories_to_trim: set[cst.FunctionDef] = set()
        #: Client calls of those factories defined in library code (left alone): the
        #: factory is called with ``None`` for its unused ``loop``.
        self.library_factory_calls: set[cst.Call] = set()
        self.uses_aiohttp = False
        #: ``pytest_plugins`` lines that only named aiohttp's plugin (removed in leave_Module,
        #: where their comments can move to the next statement).
        self.statements_to_remove: set[cst.SimpleStatementLine] = set()
        self.strict = target_mode(ctx.facts, ctx.options) == "strict"

    # --- analysis (whole module, before anything is replaced) ------------------------------

    def visit_Module(self, node: cst.Module) -> None:
        for function in _functions(node):
            if self._is_test(function) or self._fixture_decorator(function) is not None:
                self._plan(function)
        # Factories of this module that other files hand to aiohttp_client (which calls
        # them there from now on) lose their unused loop parameter here.
        for statement in node.body:
            if not isinstance(statement, cst.FunctionDef):
                continue
            qualname = f"{self.ctx.module_name}.{statement.name.value}"
            if self._trimmable(qualname) and not self.ctx.facts.is_library(qualname):
                self.factories_to_trim.add(statement)

    def _is_test(self, function: cst.FunctionDef) -> bool:
        return function.name.value.startswith("test")

    def _fixture_decorator(self, function: cst.FunctionDef) -> cst.Decorator | None:
        for decorator in function.decorators:
            if self.is_name(callee(decorator.decorator), *FIXTURE_DECORATORS):
                return decorator
        return None

    def _parametrized(self, function: cst.FunctionDef) -> set[str]:
        names: set[str] = set()
        for decorator in function.decorators:
            call = decorator.decorator
            if isinstance(call, cst.Call) and self.is_name(call.func, PARAMETRIZE) and call.args:
                value = string_value(call.args[0].value)
                if value is not None:
                    names |= {n.strip() for n in value.split(",")}
        return names

    def _plugin_fixture(self, function: cst.FunctionDef, name: str) -> bool:
        """Whether parameter ``name`` is served by the plugin, not by the project."""
        return name not in self.ctx.facts.fixture_names and name not in self._parametrized(function)

    def _plan(self, function: cst.FunctionDef) -> None:
        params = [*function.params.params, *function.params.kwonly_params]
        names = {p.name.value for p in params}
        plan = FunctionPlan()
        if names & AIOHTTP_FIXTURES:
            self.uses_aiohttp = True
        for param in params:
            name = param.name.value
            if not self._plugin_fixture(function, name):
                continue
            if name in RENAMES:
                self._plan_rename(function, param, plan, names)
            elif name == "loop":
                self._plan_loop(function, param, plan)
            elif name == "proactor_loop":
                self.review(
                    param,
                    "proactor_loop was removed in pytest-aiohttp 1.1: return "
                    "asyncio.ProactorEventLoop from a pytest_asyncio_loop_factories hook",
                )
        for param in params:
            if param.name.value in CLIENT_FIXTURES and self._plugin_fixture(
                function, param.name.value
            ):
                self._plan_factory_calls(function, param)
        if plan.drop_params or plan.rename_params or plan.bind_loop or plan.make_async:
            self.plans[function] = plan

    def _references(self, param: cst.Param) -> list[tuple[cst.Name, bool]]:
        """Every use of ``param`` as (name node, whether in the function's own scope)."""
        scope = self.get_metadata(ScopeProvider, param.name)
        found: list[tuple[cst.Name, bool]] = []
        if scope is None:
            return found
        for assignment in scope.assignments[param.name.value]:
            if not isinstance(assignment, Assignment) or assignment.node is not param:
                continue
            for access in assignment.references:
                if isinstance(access.node, cst.Name):
                    found.append((access.node, access.scope is scope))
        return found

    def _plan_rename(
        self, function: cst.FunctionDef, param: cst.Param, plan: FunctionPlan, names: set[str]
    ) -> None:
        old = param.name.value
        new = RENAMES[old]
        scope = self.get_metadata(ScopeProvider, param.name)
        if new not in names and scope is not None and new in scope.assignments:
            self.review(
                param,
                f"{old} is removed in pytest-aiohttp 1.1, but {new} is already bound in "
                f"{function.name.value}: rename by hand",
            )
            return
        if new in names or new in plan.rename_params.values():
            plan.drop_params.add(old)
        else:
            plan.rename_params[old] = new
        for name, _ in self._references(param):
            self.renamed_refs[name] = new

    def _plan_loop(self, function: cst.FunctionDef, param: cst.Param, plan: FunctionPlan) -> None:
        # ``web.Application(loop=loop)``, even in a nested function: the argument goes with
        # the fixture (aiohttp 3 binds the app to the loop that starts it).
        every = self._references(param)
        applications = [self._application_loop(name) for name, _ in every]
        references = [r for r, call in zip(every, applications, strict=True) if call is None]
        handed_to_apps = {call for call in applications if call is not None}
        is_async = function.asynchronous is not None
        run_calls = [self._run_until_complete(name) for name, _ in references]
        if is_async:
            plan.drop_params.add("loop")
            plan.bind_loop = bool(references)
            self.application_calls |= handed_to_apps
            if any(c is not None for c in run_calls):
                self.review(
                    function,
                    f"{function.name.value} calls loop.run_until_complete() inside a running "
                    "loop: await the coroutine instead",
                )
            return
        if not references:
            plan.drop_params.add("loop")
            self.application_calls |= handed_to_apps
            return
        escaping = [
            name
            for (name, own_scope), call in zip(references, run_calls, strict=True)
            if call is None or not own_scope
        ]
        if escaping:
            self.review(
                escaping[0],
                f"synchronous {function.name.value} uses the loop fixture (removed in "
                "pytest-aiohttp 1.1) other than as loop.run_until_complete(x) in its own "
                "body: make it async and use asyncio.get_running_loop() by hand",
            )
            return
        plan.drop_params.add("loop")
        plan.make_async = True
        self.application_calls |= handed_to_apps
        self.awaited_calls |= {c for c in run_calls if c is not None}
        self.review(
            function,
            f"{function.name.value} made async (loop.run_until_complete(x) -> await x): check "
            "that nothing it calls starts its own event loop (asyncio.run)",
        )

    def _application_loop(self, name: cst.Name) -> cst.Call | None:
        """The ``web.Application(loop=name)`` call ``name`` is the loop argument of."""
        argument = self.get_metadata(ParentProvider, name, None)
        if not (
            isinstance(argument, cst.Arg)
            and argument.value is name
            and argument.keyword is not None
            and argument.keyword.value == "loop"
        ):
            return None
        call = self.get_metadata(ParentProvider, argument, None)
        if isinstance(call, cst.Call) and self.is_name(call.func, *APPLICATION):
            return call
        return None

    def _run_until_complete(self, name: cst.Name) -> cst.Call | None:
        """The ``loop.run_until_complete(x)`` call ``name`` is the receiver of, if so."""
        attribute = self.get_metadata(ParentProvider, name, None)
        if not (
            isinstance(attribute, cst.Attribute)
            and attribute.value is name
            and attribute.attr.value == "run_until_complete"
        ):
            return None
        call = self.get_metadata(ParentProvider, attribute, None)
        if (
            isinstance(call, cst.Call)
            and call.func is attribute
            and len(call.args) == 1
            and call.args[0].keyword is None
            and not call.args[0].star
        ):
            return call
        return None

    def _plan_factory_calls(self, function: cst.FunctionDef, param: cst.Param) -> None:
        for name, _ in self._references(param):
            call = self.get_metadata(ParentProvider, name, None)
            if not isinstance(call, cst.Call) or call.func is not name or not call.args:
                continue
            first = call.args[0]
            if first.keyword is not None or first.star or not isinstance(first.value, cst.Name):
                continue
            self._plan_factory(call, first.value)

    def _plan_factory(self, call: cst.Call, factory: cst.Name) -> None:
        scope = self.get_metadata(ScopeProvider, factory, None)
        if scope is None:
            return
        assignments = list(scope[factory.value])
        if len(assignments) != 1:
            return
        assignment = assignments[0]
        definition = assignment.node if isinstance(assignment, Assignment) else None
        if isinstance(definition, cst.FunctionDef):
            self._plan_local_factory(call, factory, definition)
            return
        facts = self.ctx.facts
        targets = [
            facts.resolve(q)
            for q in sorted(self.qualified_names(factory))
            if facts.resolve(q) in facts.loop_factories
        ]
        if not targets:
            return  # not a known factory: an app object
        kind = facts.loop_factories[targets[0]]
        if kind == "optional" or (kind == "unused" and self._trimmable(targets[0])):
            # An unused loop parameter is dropped where the factory is defined, unless that
            # is library code: then it gets None here.
            self.factory_calls.add(call)
            if kind == "unused" and facts.is_library(targets[0]):
                self.library_factory_calls.add(call)
            return
        why = (
            "other code calls it with arguments"
            if kind == "unused"
            else "its loop parameter is required and used"
        )
        self.review(
            call,
            f"{factory.value} is an app factory defined in another module and {why}: build "
            f"the app without the loop and pass {factory.value}() (aiohttp_client no longer "
            "calls factories)",
        )

    def _trimmable(self, qualname: str) -> bool:
        """A project factory with an unused ``loop`` that only client fixtures receive."""
        facts = self.ctx.facts
        if facts.loop_factories.get(qualname) != "unused":
            return False
        if not any(facts.resolve(q) == qualname for q in facts.factories_passed_to_clients):
            return False
        tail = "." + qualname.rpartition(".")[2]
        return not any(
            facts.resolve(q) == qualname
            for q in facts.loop_factories_called_with_args
            if q.endswith(tail)
        )

    def _plan_local_factory(
        self, call: cst.Call, factory: cst.Name, definition: cst.FunctionDef
    ) -> None:
        positional = [*definition.params.posonly_params, *definition.params.params]
        if not positional or positional[0].name.value != "loop":
            if not positional or positional[0].default is not None:
                self.factory_calls.add(call)
            return
        loop_param = positional[0]
        if loop_param.default is not None:
            self.factory_calls.add(call)
            return
        if self._references(loop_param):
            self.review(
                call,
                f"{factory.value} uses its loop argument; aiohttp_client no longer calls "
                f"factories: build the app without the loop and pass {factory.value}()",
            )
            return
        if not self._only_passed_to_clients(definition):
            self.review(
                call,
                f"{factory.value} is also called elsewhere with its (unused) loop argument; "
                f"aiohttp_client no longer calls factories: drop the parameter and pass "
                f"{factory.value}()",
            )
            return
        self.factory_calls.add(call)
        self.factories_to_trim.add(definition)

    def _only_passed_to_clients(self, definition: cst.FunctionDef) -> bool:
        """Every use of the factory's name is as the first argument of a client call."""
        scope = self.get_metadata(ScopeProvider, definition, None)
        if scope is None:
            return False
        for assignment in scope[definition.name.value]:
            for access in assignment.references:
                argument = self.get_metadata(ParentProvider, access.node, None)
                call = (
                    self.get_metadata(ParentProvider, argument, None)
                    if isinstance(argument, cst.Arg)
                    else None
                )
                if not (
                    isinstance(call, cst.Call)
                    and isinstance(call.func, cst.Name)
                    and call.func.value in CLIENT_FIXTURES
                    and call.args[0] is argument
                ):
                    return False
        return True

    # --- rewriting ---------------------------------------------------------------------------

    def leave_Name(self, original_node: cst.Name, updated_node: cst.Name) -> cst.Name:
        new = self.renamed_refs.get(original_node)
        return updated_node if new is None else updated_node.with_changes(value=new)

    def leave_Call(self, original_node: cst.Call, updated_node: cst.Call) -> cst.BaseExpression:
        if original_node in self.application_calls:
            argument = keyword(updated_node, "loop")
            if argument is not None:
                self.changed(
                    original_node,
                    "web.Application(loop=loop): argument dropped with the loop fixture "
                    "(aiohttp 3 binds the app to the loop that starts it)",
                )
                trimmed = without_args(updated_node, [argument])
                if not trimmed.args:  # ``Application(\n    loop=loop,\n)``: no blank left
                    trimmed = trimmed.with_changes(whitespace_before_args=cst.SimpleWhitespace(""))
                return trimmed
            return updated_node
        if original_node in self.awaited_calls:
            parent = self.get_metadata(ParentProvider, original_node, None)
            # Where a whole expression stands, ``await x`` needs no parentheses.
            bare = isinstance(
                parent, cst.Expr | cst.Assign | cst.AnnAssign | cst.Return | cst.Arg | cst.Element
            )
            awaited = cst.Await(expression=updated_node.args[0].value)
            if not bare:
                awaited = awaited.with_changes(lpar=[cst.LeftParen()], rpar=[cst.RightParen()])
            return awaited
        if original_node in self.factory_calls:
            factory, *rest = updated_node.args
            moved = [a for a in rest if a.keyword is None and not a.star]
            kept = [a for a in rest if a not in moved]
            unused_loop = original_node in self.library_factory_calls
            if unused_loop:
                moved = [cst.Arg(cst.Name("None")), *moved]
            made = cst.Call(func=factory.value, args=_tidy(moved))
            self.changed(
                original_node,
                "the app factory is called here: pytest-aiohttp 1.1's aiohttp_client takes an "
                "app, not a factory"
                + ("; None for its unused loop (library code, left alone)" if unused_loop else ""),
            )
            return updated_node.with_changes(
                args=_tidy([factory.with_changes(value=made), *kept], keep_last=updated_node.args)
            )
        return updated_node

    def leave_FunctionDef(
        self, original_node: cst.FunctionDef, updated_node: cst.FunctionDef
    ) -> cst.FunctionDef:
        if original_node in self.factories_to_trim:
            params = updated_node.params
            self.changed(
                original_node,
                f"dropped the unused loop parameter of app factory {original_node.name.value} "
                "(aiohttp_client now receives the app it builds)",
            )
            if params.posonly_params:
                new_params = params.with_changes(posonly_params=_tidy(params.posonly_params[1:]))
            else:
                new_params = params.with_changes(params=_tidy(params.params[1:]))
            return updated_node.with_changes(params=new_params)
        plan = self.plans.get(original_node)
        if plan is None:
            return updated_node
        return self._apply(original_node, updated_node, plan)

    def _apply(
        self, original: cst.FunctionDef, function: cst.FunctionDef, plan: FunctionPlan
    ) -> cst.FunctionDef:
        what: list[str] = []
        params = function.params

        def rewrite(group: Sequence[cst.Param]) -> list[cst.Param]:
            kept: list[cst.Param] = []
            for param in group:
                name = param.name.value
                if name in plan.drop_params:
                    continue
                if name in plan.rename_params:
                    param = param.with_changes(name=cst.Name(plan.rename_params[name]))
                kept.append(param)
            return _tidy(kept, keep_last=group)

        function = function.with_changes(
            params=params.with_changes(
                params=rewrite(params.params), kwonly_params=rewrite(params.kwonly_params)
            )
        )
        for old, new in plan.rename_params.items():
            what.append(f"{old} -> {new}")
        for old in sorted(plan.drop_params - {"loop"}):
            what.append(f"{old} dropped for the {RENAMES[old]} it already requests")
        if "loop" in plan.drop_params:
            what.append("loop parameter removed")
        if plan.bind_loop:
            function = _prepend(function, _bind_running_loop())
            self.add_import("asyncio")
            what.append("loop = asyncio.get_running_loop()")
        if plan.make_async:
            function = function.with_changes(asynchronous=cst.Asynchronous())
            what.append("made async (run_until_complete -> await)")
            if self.strict:
                function = self._strict_decorators(original, function)
        self.changed(
            original,
            f"{original.name.value}: " + ", ".join(what) + " (pytest-aiohttp 1.1 fixtures)",
        )
        return function

    def _strict_decorators(
        self, original: cst.FunctionDef, function: cst.FunctionDef
    ) -> cst.FunctionDef:
        """In strict mode a new async test needs the mark, a new async fixture its decorator."""
        fixture = self._fixture_decorator(original)
        if fixture is None:
            mark = cst.Decorator(decorator=cst.parse_expression("pytest.mark.asyncio"))
            self.add_import("pytest")
            return function.with_changes(decorators=[*function.decorators, mark])
        index = list(original.decorators).index(fixture)
        decorator = function.decorators[index]
        expression = decorator.decorator
        replacement: cst.BaseExpression = cst.parse_expression("pytest_asyncio.fixture")
        if isinstance(expression, cst.Call):
            replacement = expression.with_changes(func=replacement)
        self.add_import("pytest_asyncio")
        decorators = list(function.decorators)
        decorators[index] = decorator.with_changes(decorator=replacement)
        return function.with_changes(decorators=decorators)

    # --- pytest_plugins and the mode ---------------------------------------------------------

    def leave_SimpleStatementLine(
        self, original_node: cst.SimpleStatementLine, updated_node: cst.SimpleStatementLine
    ) -> cst.SimpleStatementLine | cst.RemovalSentinel:
        if len(updated_node.body) != 1 or not isinstance(updated_node.body[0], cst.Assign):
            return updated_node
        if not isinstance(self.get_metadata(ParentProvider, original_node, None), cst.Module):
            return updated_node  # pytest only reads a module-level pytest_plugins
        assign = updated_node.body[0]
        if not (
            len(assign.targets) == 1
            and isinstance(assign.targets[0].target, cst.Name)
            and assign.targets[0].target.value == "pytest_plugins"
        ):
            return updated_node
        value = assign.value
        names_plugin = string_value(value) == AIOHTTP_PLUGIN or (
            isinstance(value, cst.List | cst.Tuple)
            and any(
                isinstance(e, cst.Element) and string_value(e.value) == AIOHTTP_PLUGIN
                for e in value.elements
            )
        )
        if names_plugin and "pytest-aiohttp" not in self.ctx.facts.declared_packages:
            self.uses_aiohttp = True
            self.review(
                original_node,
                "pytest_plugins loads aiohttp.pytest_plugin, and pytest-aiohttp is not among "
                "the project's declared test requirements (requirements files, extras, "
                "dependency groups, tox deps): kept, so the tests keep their aiohttp_client "
                "fixture; declare pytest-aiohttp >= 1.1, then drop this line",
            )
            return updated_node
        if string_value(value) == AIOHTTP_PLUGIN:
            self._plugin_removed(original_node)
            self.statements_to_remove.add(updated_node)
            return updated_node
        if isinstance(value, cst.List | cst.Tuple):
            kept = [
                e
                for e in value.elements
                if not (isinstance(e, cst.Element) and string_value(e.value) == AIOHTTP_PLUGIN)
            ]
            if len(kept) == len(value.elements):
                return updated_node
            self._plugin_removed(original_node)
            if not kept:
                self.statements_to_remove.add(updated_node)
                return updated_node
            if isinstance(value, cst.Tuple) and len(kept) == 1:
                kept[0] = kept[0].with_changes(comma=cst.Comma())
            else:
                kept[-1] = kept[-1].with_changes(comma=value.elements[-1].comma)
            return updated_node.with_changes(
                body=[assign.with_changes(value=value.with_changes(elements=kept))]
            )
        return updated_node

    def _plugin_removed(self, node: cst.CSTNode) -> None:
        self.uses_aiohttp = True
        self.changed(
            node,
            "removed aiohttp.pytest_plugin from pytest_plugins: pytest-aiohttp registers "
            "itself through its entry point (aiohttp.pytest_plugin is deprecated in 3.14)",
        )
        if self.strict:
            self.review(
                node,
                "aiohttp.pytest_plugin ran unmarked async tests and fixtures itself; in strict "
                "mode they need @pytest.mark.asyncio and @pytest_asyncio.fixture (the "
                "strict-markers codemod adds them) or switch to asyncio_mode = auto",
            )

    def leave_Module(self, original_node: cst.Module, updated_node: cst.Module) -> cst.Module:
        if self.uses_aiohttp and not self.strict:
            configured = (self.ctx.facts.asyncio_mode or "").strip().lower()
            if configured != "auto":
                self.request_setting(
                    "asyncio_mode",
                    "auto",
                    "pytest-aiohttp 1.x runs async tests through pytest-asyncio; its "
                    "documented setup is auto mode",
                    original_node,
                )
        if not self.statements_to_remove:
            return updated_node
        body: list[cst.BaseStatement] = []
        comments: list[cst.EmptyLine] = []
        for statement in updated_node.body:
            if statement in self.statements_to_remove:
                # The user's comments survive the line they were written above.
                assert isinstance(statement, cst.SimpleStatementLine)
                if any(line.comment for line in statement.leading_lines):
                    comments += statement.leading_lines
                continue
            if comments and isinstance(
                statement, cst.SimpleStatementLine | cst.BaseCompoundStatement
            ):
                statement = statement.with_changes(
                    leading_lines=[*comments, *statement.leading_lines]
                )
                comments = []
            body.append(statement)
        return updated_node.with_changes(body=body, footer=[*comments, *updated_node.footer])


# --- helpers ----------------------------------------------------------------------------------


def _functions(module: cst.Module) -> list[cst.FunctionDef]:
    found: list[cst.FunctionDef] = []

    class Collector(Visitor):
        def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
            found.append(node)

    module.visit(Collector())
    return found


def _tidy(items: Sequence[T], keep_last: Sequence[T] | None = None) -> list[T]:
    """``items`` with the separators of a list that lost members: the last item takes the
    trailing comma (or none) that the original last item had."""
    tidy = list(items)
    if not tidy:
        return tidy
    reference = keep_last[-1] if keep_last else None
    comma = reference.comma if reference is not None else cst.MaybeSentinel.DEFAULT
    if reference is None or reference is not tidy[-1]:
        tidy[-1] = tidy[-1].with_changes(comma=comma)
    return tidy


def _bind_running_loop() -> cst.SimpleStatementLine:
    return cst.SimpleStatementLine(
        body=[
            cst.Assign(
                targets=[cst.AssignTarget(target=cst.Name("loop"))],
                value=cst.parse_expression("asyncio.get_running_loop()"),
            )
        ]
    )


def _prepend(function: cst.FunctionDef, statement: cst.SimpleStatementLine) -> cst.FunctionDef:
    """``statement`` as the first statement of ``function`` (after its docstring)."""
    body = function.body
    if isinstance(body, cst.SimpleStatementSuite):
        return function.with_changes(
            body=cst.IndentedBlock(body=[statement, cst.SimpleStatementLine(body=body.body)])
        )
    statements = list(body.body)
    index = 1 if statements and _is_docstring(statements[0]) else 0
    statements.insert(index, statement)
    return function.with_changes(body=body.with_changes(body=statements))


def _is_docstring(statement: cst.CSTNode) -> bool:
    return (
        isinstance(statement, cst.SimpleStatementLine)
        and len(statement.body) == 1
        and isinstance(statement.body[0], cst.Expr)
        and isinstance(statement.body[0].value, cst.SimpleString | cst.ConcatenatedString)
    )
