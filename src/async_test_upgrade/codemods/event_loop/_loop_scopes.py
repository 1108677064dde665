"""Which event loop a file's tests and fixtures shared under the legacy suite.

Shared by the loop-scope codemods: ``remove-event-loop-override`` turns an ``event_loop``
override into settings or ``loop_scope`` marks, ``async-fixture-loop-scope`` and
``default-fixture-loop-scope`` must agree with it, and ``event-loop-policy-to-loop-factories``
replaces the custom-loop overrides whose scope the first one carries over. Every answer
is a pure function of the project facts and the options, so each file can ask on its own.
"""

from __future__ import annotations

from pathlib import PurePosixPath

import libcst as cst
import libcst.matchers as m

from async_test_upgrade.codemods.mode._mode import target_mode
from async_test_upgrade.cst import (
    CodemodTransformer,
    callee,
    keyword,
    set_keyword,
    string_literal,
    string_value,
)
from async_test_upgrade.cst import (
    fixture_decorator as fixture_decorator,  # shared by the family's codemods
)
from async_test_upgrade.facts import ProjectFacts
from async_test_upgrade.model import EventLoopOverride, Options
from async_test_upgrade.pytest_api import ASYNCIO_FIXTURE

SCOPES = ("function", "class", "module", "package", "session")
ASYNCIO_MARK = "pytest.mark.asyncio"
FACTORIES_CODEMOD = "event-loop-policy-to-loop-factories"
REMOVE_CODEMOD = "remove-event-loop-override"
HOOK_CODEMOD = "session-hook-to-default-test-loop-scope"
#: The codemods that rewrite what requested the ``event_loop`` fixture.
BODY_CODEMODS = ("event-loop-arg-to-running-loop", "event-loop-sync-to-async")


def scope_rank(scope: str | None) -> int:
    return SCOPES.index(scope) if scope in SCOPES else 0


def directory_of(relpath: str) -> str:
    return PurePosixPath(relpath).parent.as_posix()


def is_under(relpath: str, directory: str) -> bool:
    return directory == "." or relpath.startswith(directory.rstrip("/") + "/")


def is_test_module(relpath: str) -> bool:
    name = relpath.rpartition("/")[2]  # a string operation: asked of every file
    return name.endswith(".py") and (name.startswith("test_") or name.endswith("_test.py"))


def test_modules(facts: ProjectFacts) -> list[str]:
    """The project's test modules (computed once per facts object)."""
    return facts.derived(_test_modules)


def _test_modules(facts: ProjectFacts) -> list[str]:
    return [p for p in facts.module_names if is_test_module(p)]


def config_directory(facts: ProjectFacts) -> str:
    """The directory of the pytest config file (or the project root)."""
    if (
        facts.config_exists
        and facts.config_path
        and not PurePosixPath(facts.config_path).is_absolute()
    ):
        return directory_of(facts.config_path)
    return "."


def is_root_conftest(facts: ProjectFacts, conftest: str) -> bool:
    """Whether a conftest covers the whole suite, so its loop scope can become a setting.

    That is the conftest beside the pytest config (or at the project root), or the top
    test directory's conftest when no other conftest sits above it and every test module
    is below it.
    """
    # Every file of a large project may ask about the same conftest: remember the
    # answers beside the facts object this process works with.
    cache = facts.derived(_root_conftest_answers)
    if conftest not in cache:
        cache[conftest] = _is_root_conftest(facts, conftest)
    return cache[conftest]


def _root_conftest_answers(facts: ProjectFacts) -> dict[str, bool]:
    """An empty memo of :func:`is_root_conftest`'s answers, one per facts object."""
    return {}


def _is_root_conftest(facts: ProjectFacts, conftest: str) -> bool:
    directory = directory_of(conftest)
    if directory == config_directory(facts):
        return True
    if any(c != conftest and is_under(conftest, directory_of(c)) for c in facts.conftests):
        return False
    tests = test_modules(facts)
    return bool(tests) and all(is_under(t, directory) for t in tests)


def _fixture_arguments_plain(override: EventLoopOverride) -> bool:
    return set(override.fixture_arguments) <= {"scope", "name"}


#: Modules whose callables make event loops.
LOOP_MODULES = ("asyncio", "uvloop", "winloop")


def is_loop_maker(facts: ProjectFacts, qualname: str, _depth: int = 0) -> bool:
    """Whether ``qualname`` (the maker in ``loop = maker()``) makes an event loop: a loop
    library's callable, a ``*new_event_loop``/``*EventLoop``/``*Loop`` name, or a project
    class deriving from one. ``loop = FakeLoop()`` of a recording stand-in is not."""
    if _depth > 10:
        return False
    qualname = facts.resolve(qualname)
    head, _, last = qualname.rpartition(".")
    if head.split(".")[0] in LOOP_MODULES or last.endswith(("new_event_loop", "EventLoop")):
        return True
    return any(
        is_loop_maker(facts, base, _depth + 1) for base in facts.class_bases.get(qualname, ())
    )


def makes_loop(facts: ProjectFacts, override: EventLoopOverride) -> bool:
    if override.plain_loop:
        return True
    if override.loop_factory is not None:
        return is_loop_maker(facts, override.loop_factory)
    return override.makes_loop


def handled_by_factories(
    facts: ProjectFacts, override: EventLoopOverride, options: Options
) -> bool:
    """A custom-loop ``event_loop`` that ``event-loop-policy-to-loop-factories`` replaces."""
    return (
        override.name == "event_loop"
        and not override.debug
        and override.loop_factory is not None
        and is_loop_maker(facts, override.loop_factory)
        and override.is_conftest
        and not override.in_class
        and override.scope_is_literal
        and _fixture_arguments_plain(override)
        and options.runs(FACTORIES_CODEMOD)
        and options.target_version >= (1, 4)
    )


def carried_over(facts: ProjectFacts, override: EventLoopOverride, options: Options) -> bool:
    """Whether ``remove-event-loop-override`` carries this override's scope over."""
    if not options.runs(REMOVE_CODEMOD) or options.target_version < (0, 26):
        return False
    if override.name != "event_loop" or override.in_class or not override.scope_is_literal:
        return False
    if not _fixture_arguments_plain(override) or override.scope not in (None, *SCOPES):
        return False
    if not (override.is_conftest or is_test_module(override.path)):
        return False  # a plugin module's override: where it applies is not visible here
    if override.debug and not debug_carried_over(facts, override, options):
        return False
    return override.plain_loop or handled_by_factories(facts, override, options)


#: The pytest-asyncio release that added the ``asyncio_debug`` setting.
ASYNCIO_DEBUG_SINCE = (1, 2)


def debug_carried_over(facts: ProjectFacts, override: EventLoopOverride, options: Options) -> bool:
    """Whether an override's debug mode can become ``asyncio_debug = true``: the setting
    exists in the target release, and the override covered the whole suite."""
    return (
        options.target_version >= ASYNCIO_DEBUG_SINCE
        and override.is_conftest
        and is_root_conftest(facts, override.path)
    )


def module_overrides(facts: ProjectFacts) -> list[EventLoopOverride]:
    # A fixture that merely shares the name (it makes no loop) never replaced the loop.
    return [
        o
        for o in facts.event_loop_overrides
        if o.name == "event_loop" and not o.in_class and makes_loop(facts, o)
    ]


def covering_override(facts: ProjectFacts, relpath: str) -> EventLoopOverride | None:
    """The ``event_loop`` fixture the tests of ``relpath`` got in the legacy suite: a
    module-level override in the file itself, else the nearest conftest's above it."""
    own = [o for o in module_overrides(facts) if o.path == relpath and not o.is_conftest]
    return own[-1] if own else conftest_override(facts, relpath)


def conftest_override(
    facts: ProjectFacts, relpath: str, strictly_above: str | None = None
) -> EventLoopOverride | None:
    """The nearest conftest override covering ``relpath`` (optionally only those in a
    directory strictly above ``strictly_above``)."""
    candidates = [
        o
        for o in module_overrides(facts)
        if o.is_conftest
        and is_under(relpath, o.directory)
        and (
            strictly_above is None
            or (o.directory != strictly_above and is_under(strictly_above + "/", o.directory))
        )
    ]
    if not candidates:
        return None
    return max(candidates, key=lambda o: len(PurePosixPath(o.directory).parts))


def marks_scope(
    facts: ProjectFacts, options: Options, relpath: str
) -> tuple[str, EventLoopOverride] | None:
    """The loop scope ``remove-event-loop-override`` writes into ``relpath`` as marks.

    None when no carried-over override covers the file, when the root conftest's
    override becomes settings instead, or when the override only restated the default.
    """
    override = covering_override(facts, relpath)
    if override is None or not carried_over(facts, override, options):
        return None
    if override.is_conftest and is_root_conftest(facts, override.path):
        return None
    scope = override.scope or "function"
    if scope == "function":
        # A function-scoped override only matters where it hid a wider one.
        hidden = (
            conftest_override(facts, relpath, strictly_above=override.directory)
            if override.is_conftest
            else conftest_override(facts, relpath)
        )
        if hidden is None or (hidden.scope or "function") == "function":
            return None
    return scope, override


def root_settings_scope(facts: ProjectFacts, options: Options) -> str | None:
    """The scope ``remove-event-loop-override`` writes as the default loop scopes."""
    for override in module_overrides(facts):
        if (
            override.is_conftest
            and carried_over(facts, override, options)
            and is_root_conftest(facts, override.path)
            and (override.scope or "function") != "function"
        ):
            return override.scope
    return None


def configured_test_loop_scope(facts: ProjectFacts, options: Options) -> str | None:
    """The ``asyncio_default_test_loop_scope`` the migrated suite will have, if known:
    already configured, or written by ``remove-event-loop-override`` or
    ``session-hook-to-default-test-loop-scope``."""
    if facts.default_test_loop_scope:
        return facts.default_test_loop_scope.strip()
    scope = root_settings_scope(facts, options)
    if scope is not None:
        return scope
    if (
        facts.session_loop_hooks
        and options.runs(HOOK_CODEMOD)
        and options.target_version >= (0, 26)
    ):
        return next(iter(facts.session_loop_hooks.values()))[1]
    return None


def tests_loop_scope(facts: ProjectFacts, options: Options, relpath: str) -> str:
    """The loop scope the tests of the test module ``relpath`` run in after migration
    (marks carried over from an override, else the configured default)."""
    marked = marks_scope(facts, options, relpath)
    if marked is not None:
        return marked[0]
    return configured_test_loop_scope(facts, options) or "function"


def users_loop_scopes(facts: ProjectFacts, options: Options, relpath: str) -> set[str]:
    """The loop scopes of the tests a fixture defined in ``relpath`` can serve: every test
    module under a conftest's directory, or the defining test module itself."""
    if relpath.rpartition("/")[2] != "conftest.py":
        return {tests_loop_scope(facts, options, relpath)}
    directory = directory_of(relpath)
    return {
        tests_loop_scope(facts, options, test)
        for test in test_modules(facts)
        if is_under(test, directory)
    } or {configured_test_loop_scope(facts, options) or "function"}


# --- rewriting ---------------------------------------------------------------------------


def fixture_name(decorator: cst.Decorator, node: cst.FunctionDef) -> str:
    expression = decorator.decorator
    if isinstance(expression, cst.Call):
        given = keyword(expression, "name")
        if given is not None and isinstance(given.value, cst.SimpleString):
            value = given.value.evaluated_value
            if isinstance(value, str):
                return value
    return node.name.value


def imports_module(module: cst.Module, name: str) -> bool:
    """Whether ``module`` has a top-level plain ``import <name>`` (no alias)."""
    wanted = m.ImportAlias(name=m.Name(name), asname=None)
    return any(
        m.matches(
            statement,
            m.SimpleStatementLine([m.Import(names=[m.ZeroOrMore(), wanted, m.ZeroOrMore()])]),
        )
        for statement in module.body
    )


def with_fixture_loop_scope(
    transformer: CodemodTransformer, decorator: cst.Decorator, scope: str, imported: bool = False
) -> cst.Decorator:
    """``decorator`` (a fixture decorator) giving ``loop_scope=scope``.

    ``pytest.fixture`` does not accept ``loop_scope``: it becomes ``pytest_asyncio.fixture``
    (which forwards every other argument to it) and ``import pytest_asyncio`` is added.
    """
    expression = decorator.decorator
    function = callee(expression)
    if not transformer.is_name(function, ASYNCIO_FIXTURE):
        function = cst.Attribute(value=cst.Name("pytest_asyncio"), attr=cst.Name("fixture"))
        if not imported:  # adding an import re-walks the module: only when it is missing
            transformer.add_import("pytest_asyncio")
    call = expression if isinstance(expression, cst.Call) else cst.Call(func=function)
    call = call.with_changes(func=function)
    return decorator.with_changes(decorator=set_keyword(call, "loop_scope", string_literal(scope)))


def loop_scope_mark(scope: str) -> cst.Call:
    mark = cst.parse_expression("pytest.mark.asyncio")
    return set_keyword(cst.Call(func=mark), "loop_scope", string_literal(scope))


def in_tests_loop(
    transformer: CodemodTransformer, node: cst.FunctionDef
) -> tuple[list[cst.Decorator], str] | None:
    """The decorators that make the sync fixture ``node`` an async fixture running in the
    loop of the tests it serves, and that loop's scope; None (with a note) when no single
    loop serves them all, or the fixture outlives it.

    Such a fixture drove, or handed on, the loop its tests ran in: as an async fixture it
    must run in that same loop, so its ``loop_scope`` is the tests' (given explicitly
    unless it is ``function``), and its own scope cannot be wider. In strict mode (or with
    ``loop_scope``) ``@pytest.fixture`` becomes ``@pytest_asyncio.fixture``.
    """
    name = node.name.value
    decorator = fixture_decorator(transformer, node)
    assert decorator is not None
    expression = decorator.decorator
    scope_arg = keyword(expression, "scope") if isinstance(expression, cst.Call) else None
    scope = "function" if scope_arg is None else string_value(scope_arg.value)
    if scope is None:
        transformer.review(
            node,
            f"fixture {name} not made async: its scope is not a literal, so its loop_scope "
            "cannot be chosen",
        )
        return None
    ctx = transformer.ctx
    users = users_loop_scopes(ctx.facts, ctx.options, ctx.path)
    if len(users) > 1:
        transformer.review(
            node,
            f"fixture {name} not made async: the tests it serves run in loops of different "
            f"scopes ({', '.join(sorted(users, key=scope_rank))})",
        )
        return None
    loop_scope = users.pop()
    if scope_rank(scope) > scope_rank(loop_scope):
        transformer.review(
            node,
            f"fixture {name} not made async: it is {scope}-scoped, but the tests it serves "
            f"run in {loop_scope}-scoped loops, which it would outlive",
        )
        return None
    decorators = list(node.decorators)
    index = decorators.index(decorator)
    if loop_scope != "function":
        if ctx.options.target_version < (0, 24):
            transformer.review(
                node,
                f"fixture {name} not made async: its tests run in {loop_scope}-scoped loops, "
                "and loop_scope= needs pytest-asyncio 0.24",
            )
            return None
        decorators[index] = with_fixture_loop_scope(transformer, decorator, loop_scope)
    elif target_mode(ctx.facts, ctx.options) == "strict" and not transformer.is_name(
        callee(expression), ASYNCIO_FIXTURE
    ):
        function = cst.Attribute(value=cst.Name("pytest_asyncio"), attr=cst.Name("fixture"))
        transformer.add_import("pytest_asyncio")
        new: cst.BaseExpression = function
        if isinstance(expression, cst.Call):
            new = expression.with_changes(func=function)
        decorators[index] = decorator.with_changes(decorator=new)
    return decorators, loop_scope
