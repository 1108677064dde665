"""
**What it does**

Deletes ``event_loop`` fixture overrides whose body only creates, yields and closes an
asyncio loop, and carries their scope over to what pytest-asyncio 1.x reads:

* an override in the root conftest (beside the pytest config, or the top test
  directory's when no other conftest sits above it) becomes the settings
  ``asyncio_default_fixture_loop_scope`` and ``asyncio_default_test_loop_scope``;
* an override in a nested conftest or in a test module becomes
  ``pytestmark = pytest.mark.asyncio(loop_scope=...)`` (merged into an existing
  ``pytestmark``) in every test module it covered, ``loop_scope=...`` on the bare
  ``pytest.mark.asyncio`` marks there (a mark without ``loop_scope`` on a test would
  otherwise win over the module's), and ``loop_scope=...`` on every async fixture of the
  files it covered (``@pytest.fixture`` becomes ``@pytest_asyncio.fixture``, which
  accepts it).

**Why**

pytest-asyncio 0.23 deprecated redefining ``event_loop`` and 1.0 removed the fixture:
since then an override is *silently ignored*. A conftest that made the whole suite share
one session loop still collects and runs, but every test gets a fresh loop, so objects
made by session-scoped async fixtures (pools, clients, servers) fail with
``attached to a different loop`` / ``is bound to a different event loop``. The migration
guide says to configure ``loop_scope`` to match the override's scope, then remove it.

**Example**

Before (``pytest.ini``)::

    [pytest]
    asyncio_mode = auto

Before (``conftest.py``)::

    import asyncio

    import pytest

    @pytest.fixture(scope="session")
    def event_loop():
        loop = asyncio.get_event_loop_policy().new_event_loop()
        yield loop
        loop.close()

    @pytest.fixture
    def settings():
        return {"debug": True}

After (``pytest.ini``)::

    [pytest]
    asyncio_mode = auto
    asyncio_default_fixture_loop_scope = session
    asyncio_default_test_loop_scope = session

After (``conftest.py``)::

    import pytest

    @pytest.fixture
    def settings():
        return {"debug": True}

A module-scoped override in a nested conftest instead marks each test module it covers.

Before (``pytest.ini``, unchanged)::

    [pytest]
    asyncio_mode = auto

Before (``tests/conftest.py``, unchanged)::

    import pytest

    @pytest.fixture
    def settings():
        return {"debug": True}

Before (``tests/db/conftest.py``)::

    import asyncio

    import pytest

    @pytest.fixture(scope="module")
    def event_loop():
        loop = asyncio.new_event_loop()
        yield loop
        loop.close()

    @pytest.fixture
    def db():
        return FakeDb()

Before (``tests/db/test_users.py``)::

    import pytest

    async def test_insert(db):
        ...

After (``tests/db/conftest.py``)::

    import pytest

    @pytest.fixture
    def db():
        return FakeDb()

After (``tests/db/test_users.py``)::

    import pytest

    pytestmark = pytest.mark.asyncio(loop_scope="module")

    async def test_insert(db):
        ...

**When it refuses**

Overrides that do more than create/yield/close a plain loop (set a policy or debug mode,
install uvloop, take ``request`` or ``params``, live in a class, have a non-literal scope)
are reported and left (a fixture named ``event_loop`` that makes no loop at all is the
project's own and is left silently), except the exact custom-loop shape
``loop = uvloop.new_event_loop()`` that ``event-loop-policy-to-loop-factories`` replaces
(this codemod then still carries its scope over), and an override parametrized through the
fixtures it requests, which that codemod turns into one loop factory per variant.
Deleting the fixture is only complete when the tests and fixtures that *requested*
``event_loop`` are rewritten by ``event-loop-arg-to-running-loop`` and
``event-loop-sync-to-async``: skipping those leaves ``fixture 'event_loop' not found``
errors, and a note says so. Async fixtures in conftests *above* a nested override, and
existing marks or settings that give a different loop scope, are reported rather than
changed.
"""

from __future__ import annotations

from collections.abc import Sequence

import libcst as cst

from async_test_upgrade.codemods.event_loop._loop_scopes import (
    ASYNCIO_DEBUG_SINCE,
    ASYNCIO_MARK,
    BODY_CODEMODS,
    carried_over,
    covering_override,
    directory_of,
    fixture_decorator,
    fixture_name,
    handled_by_factories,
    imports_module,
    is_root_conftest,
    is_test_module,
    is_under,
    loop_scope_mark,
    makes_loop,
    marks_scope,
    module_overrides,
    with_fixture_loop_scope,
)
from async_test_upgrade.codemods.event_loop._loop_variants import (
    factories_handle_variants,
    loop_variants,
)
from async_test_upgrade.cst import (
    CodemodTransformer,
    FileContext,
    keyword,
    set_keyword,
    string_literal,
    string_value,
)
from async_test_upgrade.facts import ProjectFacts
from async_test_upgrade.gate import CodeIndex
from async_test_upgrade.model import EventLoopOverride, Options
from async_test_upgrade.registry import codemod

SETTINGS = ("asyncio_default_fixture_loop_scope", "asyncio_default_test_loop_scope")


@codemod(
    name="remove-event-loop-override",
    summary="event_loop overrides (ignored since pytest-asyncio 1.0) -> loop_scope settings/marks",
    after=("pytest-removed-apis",),
    safety="review",
    defers_to=(
        "event-loop-arg-to-running-loop",
        "event-loop-sync-to-async",
        "event-loop-policy-to-loop-factories",
        "session-hook-to-default-test-loop-scope",
    ),
    triggers=("event_loop", "async def", "asyncio"),
    min_target=(0, 26),
    produces=(
        "pytestmark",
        "pytest",
        "mark",
        "asyncio",
        "loop_scope",
    ),
)
class RemoveEventLoopOverride(CodemodTransformer):
    @staticmethod
    def gate(code: CodeIndex, facts: ProjectFacts) -> bool:
        """Nothing to do in a project without an ``event_loop`` fixture of its own; in one
        with, only the file defining it, the files a non-root override covers (marks),
        and conftests with async fixtures (notes)."""
        if not any(o.name == "event_loop" for o in facts.event_loop_overrides):
            return False
        if code.has("event_loop") or not code.path:
            return True
        if code.path.rpartition("/")[2] == "conftest.py" and code.has("async def"):
            return True
        override = covering_override(facts, code.path)
        return override is not None and not (
            override.is_conftest and is_root_conftest(facts, override.path)
        )

    def __init__(self, ctx: FileContext) -> None:
        super().__init__(ctx)
        found = marks_scope(ctx.facts, ctx.options, ctx.path)
        #: The loop scope this file's tests and async fixtures must get as marks.
        self.scope: str | None = found[0] if found else None
        self.source: EventLoopOverride | None = found[1] if found else None
        self.depth = 0  # function nesting
        self.classes = 0
        self.has_asyncio_pytestmark = False
        self.imports_pytest_asyncio = False
        #: Whether anything here runs on the loop (an async def, a function requesting
        #: ``event_loop``, an ``@asyncio.coroutine``): a module of sync tests only needs
        #: no loop scope, and pytest-asyncio warns about an asyncio mark on a sync test.
        self.runs_on_loop = False
        self.module = cst.Module([])

    # --- structure ------------------------------------------------------------------------

    def visit_Module(self, node: cst.Module) -> None:
        self.module = node
        self.imports_pytest_asyncio = imports_module(node, "pytest_asyncio")

    def visit_ClassDef(self, node: cst.ClassDef) -> None:
        self.classes += 1

    def leave_ClassDef(
        self, original_node: cst.ClassDef, updated_node: cst.ClassDef
    ) -> cst.ClassDef:
        self.classes -= 1
        if self.scope is None or self.depth:
            return updated_node
        # Decorators hold nothing this codemod rewrites below them: the originals (which
        # carry the name metadata) are the updated ones.
        return updated_node.with_changes(
            decorators=[self._scoped_mark_decorator(d) for d in original_node.decorators]
        )

    def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
        self.depth += 1
        if not self.runs_on_loop:
            self.runs_on_loop = _runs_on_the_loop(node)

    def leave_FunctionDef(
        self, original_node: cst.FunctionDef, updated_node: cst.FunctionDef
    ) -> cst.FunctionDef | cst.RemovalSentinel:
        self.depth -= 1
        if self.depth:
            return updated_node
        decorator = fixture_decorator(self, original_node)
        if decorator is not None and fixture_name(decorator, original_node) == "event_loop":
            return self._override(original_node, updated_node)
        if self.scope is None:
            if decorator is not None and original_node.asynchronous is not None:
                self._note_fixture_above_nested_override(original_node, decorator)
            return updated_node
        updated_node = updated_node.with_changes(
            decorators=[self._scoped_mark_decorator(d) for d in original_node.decorators]
        )
        if decorator is not None and original_node.asynchronous is not None:
            return self._scope_fixture(original_node, updated_node)
        return updated_node

    # --- the override itself --------------------------------------------------------------

    def _facts_for(self, node: cst.FunctionDef) -> EventLoopOverride | None:
        in_class = self.classes > 0
        for override in self.ctx.facts.event_loop_overrides:
            if (
                override.name == "event_loop"
                and override.path == self.ctx.path
                and override.in_class == in_class
            ):
                return override
        return None

    def _override(
        self, original: cst.FunctionDef, updated: cst.FunctionDef
    ) -> cst.FunctionDef | cst.RemovalSentinel:
        override = self._facts_for(original)
        if override is not None and not makes_loop(self.ctx.facts, override):
            # A project fixture that only shares the name (no loop in it): pytest-asyncio
            # 1.x has no event_loop of its own to clash with, so it keeps working.
            return updated
        why = ""
        if override is not None and factories_handle_variants(override, self.ctx.options):
            variants = loop_variants(self, self.module, original)
            if not isinstance(variants, str):
                return updated  # event-loop-policy-to-loop-factories: a factory per variant
            why = f" ({variants})"
        if override is None or not carried_over(self.ctx.facts, override, self.ctx.options):
            self.review(original, _refusal(override, self.ctx.options) + why)
            return updated
        scope = override.scope or "function"
        if self.ctx.is_conftest and is_root_conftest(self.ctx.facts, self.ctx.path):
            self._request_settings(original, scope)
        if override.debug:
            self.request_setting(
                "asyncio_debug",
                "true",
                "the root conftest's event_loop override ran every test's loop in debug mode",
                original,
            )
        missing = [n for n in BODY_CODEMODS if not self.ctx.options.runs(n)]
        if missing:
            self.review(
                original,
                "event_loop override removed while "
                + " and ".join(missing)
                + " are not selected: tests or fixtures that request event_loop will fail "
                "with \"fixture 'event_loop' not found\"",
            )
        if handled_by_factories(self.ctx.facts, override, self.ctx.options):
            # event-loop-policy-to-loop-factories turns it into a loop factory hook.
            return updated
        self.drop_import_if_unused("asyncio")
        self.drop_import_if_unused("pytest")
        self.drop_import_if_unused("pytest_asyncio")
        where = (
            "root conftest"
            if self.ctx.is_conftest and is_root_conftest(self.ctx.facts, self.ctx.path)
            else self.ctx.path
        )
        what = "creates, yields and closes a loop"
        if override.debug:
            what = (
                "switches debug mode on in pytest-asyncio's loop (now asyncio_debug = true)"
                if override.loop_factory is None and "event_loop" in _params(original)
                else "creates a loop in debug mode (now asyncio_debug = true), yields and closes it"
            )
        self.changed(
            original,
            f"removed the {scope}-scoped event_loop override (ignored since pytest-asyncio 1.0): "
            f"its body only {what}; scope carried over from {where}",
        )
        return cst.RemovalSentinel.REMOVE

    def _request_settings(self, node: cst.FunctionDef, scope: str) -> None:
        if scope == "function":
            return
        configured = {
            "asyncio_default_fixture_loop_scope": self.ctx.facts.default_fixture_loop_scope,
            "asyncio_default_test_loop_scope": self.ctx.facts.default_test_loop_scope,
        }
        for key in SETTINGS:
            current = configured[key]
            if current is not None and current.strip() != scope:
                self.review(
                    node,
                    f"{key} is already {current.strip()!r} but the event_loop override made "
                    f"every test and fixture share a {scope}-scoped loop; set to {scope!r}",
                )
            self.request_setting(
                key,
                scope,
                f"the root conftest's {scope}-scoped event_loop override made tests and async "
                "fixtures share one loop",
                node,
            )

    # --- the files it covered ----------------------------------------------------------------

    def _scope_fixture(
        self, original: cst.FunctionDef, updated: cst.FunctionDef
    ) -> cst.FunctionDef:
        assert self.scope is not None
        decorator = fixture_decorator(self, original)
        assert decorator is not None
        call = decorator.decorator
        if isinstance(call, cst.Call) and (keyword(call, "loop_scope") is not None):
            if string_value(keyword(call, "loop_scope").value) != self.scope:  # type: ignore[union-attr]
                self.review(
                    original,
                    f"async fixture has its own loop_scope; the event_loop override it ran under "
                    f"was {self.scope}-scoped: check they agree",
                )
            return updated
        index = next(i for i, d in enumerate(original.decorators) if d is decorator)
        decorators = list(updated.decorators)
        decorators[index] = with_fixture_loop_scope(
            self, decorator, self.scope, self.imports_pytest_asyncio
        )
        self.changed(
            original,
            f"async fixture {original.name.value} gets loop_scope={self.scope!r}: it ran in the "
            f"{self.scope}-scoped event_loop override of {self._origin()}",
        )
        return updated.with_changes(decorators=decorators)

    def _note_fixture_above_nested_override(
        self, node: cst.FunctionDef, decorator: cst.Decorator
    ) -> None:
        if not self.ctx.is_conftest or self.classes:
            return
        call = decorator.decorator
        if isinstance(call, cst.Call):
            if keyword(call, "loop_scope") is not None:
                return
            scope = keyword(call, "scope")
            if scope is not None and string_value(scope.value) not in (None, "function"):
                # A wider fixture could not have used a narrower override's loop
                # (ScopeMismatch); async-fixture-loop-scope gives it its own.
                return
        here = directory_of(self.ctx.path)
        below = [
            o
            for o in module_overrides(self.ctx.facts)
            if o.is_conftest
            and o.directory != here
            and is_under(o.path, here)
            and (o.scope or "function") != "function"
            and marks_scope(self.ctx.facts, self.ctx.options, o.path) is not None
        ]
        for override in below:
            self.review(
                node,
                f"async fixture {node.name.value}: tests under {override.directory}/ now run in a "
                f"{override.scope}-scoped loop (from the removed override at {override.path}:"
                f"{override.line}); if they use this fixture, give it loop_scope="
                f"{override.scope!r} or they get objects bound to another loop",
            )

    def _origin(self) -> str:
        assert self.source is not None
        return f"{self.source.path}:{self.source.line}"

    def _scoped_mark_decorator(self, decorator: cst.Decorator) -> cst.Decorator:
        new = self._scoped_mark(decorator.decorator, decorator)
        return decorator if new is None else decorator.with_changes(decorator=new)

    def _scoped_mark(
        self, expression: cst.BaseExpression, anchor: cst.CSTNode
    ) -> cst.BaseExpression | None:
        """A bare asyncio mark given ``loop_scope``; None when not one (or already scoped)."""
        assert self.scope is not None
        if isinstance(expression, cst.Call) and self.is_name(expression.func, ASYNCIO_MARK):
            if expression.args:
                return None  # scope=/loop_scope= already say which loop (or a refusal elsewhere)
            self.changed(
                anchor, f"asyncio mark gets loop_scope={self.scope!r} from {self._origin()}"
            )
            return set_keyword(expression, "loop_scope", string_literal(self.scope))
        if not isinstance(expression, cst.Call) and self.is_name(expression, ASYNCIO_MARK):
            self.changed(
                anchor, f"asyncio mark gets loop_scope={self.scope!r} from {self._origin()}"
            )
            return set_keyword(cst.Call(func=expression), "loop_scope", string_literal(self.scope))
        return None

    # --- pytestmark ---------------------------------------------------------------------------

    def leave_Assign(self, original_node: cst.Assign, updated_node: cst.Assign) -> cst.Assign:
        if self.scope is None or self.depth or not _is_pytestmark(original_node):
            return updated_node
        value = original_node.value  # nothing below it is rewritten; it carries the metadata
        elements = value.elements if isinstance(value, cst.List | cst.Tuple) else None
        if elements is None:
            if self._is_asyncio_mark(value):
                if self.classes == 0:
                    self.has_asyncio_pytestmark = True
                new = self._scoped_mark(value, original_node)
                return updated_node if new is None else updated_node.with_changes(value=new)
            if self.classes:
                return updated_node
            self.has_asyncio_pytestmark = True
            self.changed(
                original_node,
                f"pytestmark gains asyncio(loop_scope={self.scope!r}) from {self._origin()}",
            )
            return updated_node.with_changes(
                value=cst.List(
                    [
                        cst.Element(
                            value, comma=cst.Comma(whitespace_after=cst.SimpleWhitespace(" "))
                        ),
                        cst.Element(loop_scope_mark(self.scope)),
                    ]
                )
            )
        new_elements = list(elements)
        found = False
        for index, element in enumerate(elements):
            if self._is_asyncio_mark(element.value):
                found = True
                new = self._scoped_mark(element.value, original_node)
                if new is not None:
                    new_elements[index] = element.with_changes(value=new)
        if not found and self.classes == 0:
            self.changed(
                original_node,
                f"pytestmark gains asyncio(loop_scope={self.scope!r}) from {self._origin()}",
            )
            last = new_elements[-1] if new_elements else None
            if last is not None and last.comma is cst.MaybeSentinel.DEFAULT:
                new_elements[-1] = last.with_changes(
                    comma=cst.Comma(whitespace_after=cst.SimpleWhitespace(" "))
                )
            new_elements.append(cst.Element(loop_scope_mark(self.scope)))
            found = True
        if self.classes == 0 and found:
            self.has_asyncio_pytestmark = True
        return updated_node.with_changes(value=value.with_changes(elements=new_elements))

    def _is_asyncio_mark(self, expression: cst.BaseExpression) -> bool:
        if isinstance(expression, cst.Call):
            return self.is_name(expression.func, ASYNCIO_MARK)
        return self.is_name(expression, ASYNCIO_MARK)

    def leave_Module(self, original_node: cst.Module, updated_node: cst.Module) -> cst.Module:
        if self.scope is None or self.has_asyncio_pytestmark or not self.runs_on_loop:
            return updated_node
        if not is_test_module(self.ctx.path):
            return updated_node
        statement = cst.SimpleStatementLine(
            [cst.Assign([cst.AssignTarget(cst.Name("pytestmark"))], loop_scope_mark(self.scope))]
        )
        body = list(updated_node.body)
        at = _after_imports(body)
        body.insert(
            at, statement.with_changes(leading_lines=[cst.EmptyLine()]) if at else statement
        )
        if not imports_module(original_node, "pytest"):
            # Adding an import re-walks the module; most test modules have it already.
            self.add_import("pytest")
        self.changed(
            original_node,
            f"pytestmark = pytest.mark.asyncio(loop_scope={self.scope!r}): the tests here ran in "
            f"the {self.scope}-scoped event_loop override of {self._origin()}",
        )
        return updated_node.with_changes(body=body)


def _runs_on_the_loop(node: cst.FunctionDef) -> bool:
    if node.asynchronous is not None:
        return True
    params = node.params
    every = [*params.posonly_params, *params.params, *params.kwonly_params]
    if any(param.name.value == "event_loop" for param in every):
        return True
    for decorator in node.decorators:
        target = decorator.decorator
        name = target.attr.value if isinstance(target, cst.Attribute) else None
        if isinstance(target, cst.Name):
            name = target.value
        if name == "coroutine":
            return True
    return False


def _is_pytestmark(node: cst.Assign) -> bool:
    return any(
        isinstance(t.target, cst.Name) and t.target.value == "pytestmark" for t in node.targets
    )


def _after_imports(body: Sequence[cst.BaseStatement]) -> int:
    """Index just after the module's leading docstring, imports and ``__future__`` lines."""
    index = 0
    for position, statement in enumerate(body):
        if isinstance(statement, cst.SimpleStatementLine) and all(
            isinstance(s, cst.Import | cst.ImportFrom)
            or (position == 0 and isinstance(s, cst.Expr) and isinstance(s.value, cst.SimpleString))
            for s in statement.body
        ):
            index = position + 1
        else:
            break
    return index


def _params(node: cst.FunctionDef) -> list[str]:
    return [p.name.value for p in node.params.params]


def _refusal(override: EventLoopOverride | None, options: Options) -> str:
    base = "event_loop override left in place (pytest-asyncio 1.0+ ignores it silently): "
    if override is None:
        return base + "not understood; configure loop_scope by hand"
    if override.debug and override.plain_loop:
        if options.target_version < ASYNCIO_DEBUG_SINCE:
            return base + (
                "it switches debug mode on, and asyncio_debug needs pytest-asyncio 1.2; "
                "set loop_scope by hand, or target 1.2"
            )
        return base + (
            "it switches debug mode on for the tests under its directory only, and "
            "asyncio_debug applies to the whole suite; set loop_scope and debug mode by hand"
        )
    if override.in_class:
        return base + 'class-level override: mark the class pytest.mark.asyncio(loop_scope="class")'
    if not override.scope_is_literal:
        return base + "its scope is not a literal; configure loop_scope by hand"
    extra = set(override.fixture_arguments) - {"scope", "name"}
    if extra:
        return base + f"the fixture takes {', '.join(sorted(extra))}; configure loop_scope by hand"
    if override.requests:
        return base + (
            f"it requests {', '.join(override.requests)}; when those are parametrized, every "
            "async test ran once per variant, and pytest-asyncio 1.x ignores the override, "
            "so the variants disappear: make each variant a loop factory in a "
            "pytest_asyncio_loop_factories hook (pytest-asyncio 1.4+) by hand"
        )
    if override.loop_factory is not None:
        return (
            base + f"it makes a custom loop ({override.loop_factory}); "
            "event-loop-policy-to-loop-factories (pytest-asyncio >= 1.4) can replace it"
        )
    return (
        base + "its body does more than create, yield and close a loop (a policy, a patch?); "
        "move that to a pytest_asyncio_loop_factories hook and set loop_scope by hand"
    )
