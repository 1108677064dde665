"""
**What it does**

A ``unittest.TestCase`` subclass with ``async def test*`` methods (its own, or inherited
from a project mixin) becomes a ``unittest.IsolatedAsyncioTestCase``; its
``async def setUp`` / ``tearDown`` become ``asyncSetUp`` / ``asyncTearDown``. Every
converted class is listed for review.

**Why**

``unittest.TestCase`` calls a test method and ignores what it returns: an ``async def``
test returns a coroutine that is never awaited, so it passes without running a line
(only ``RuntimeWarning: coroutine ... was never awaited``, and on Python 3.11+ a
``DeprecationWarning`` about returning a value from a test). pytest-asyncio does not
handle unittest classes either. ``IsolatedAsyncioTestCase`` (Python 3.8+) runs
``asyncSetUp``, each test and ``asyncTearDown`` in one event loop per test. These tests
start running for real, so they may now fail for reasons they always had.

**Example**

Before::

    import unittest

    class TestRepo(unittest.TestCase):
        async def setUp(self):
            self.repo = await Repo.open()

        async def test_get(self):
            self.assertEqual(await self.repo.get(1), "x")

After::

    import unittest

    class TestRepo(unittest.IsolatedAsyncioTestCase):
        async def asyncSetUp(self):
            self.repo = await Repo.open()

        async def test_get(self):
            self.assertEqual(await self.repo.get(1), "x")

**When it refuses**

A class that overrides ``run``, ``__call__`` or ``debug`` (it drives its tests itself),
that has another base the tool cannot see or a framework base that runs its own loop
(aiohttp's ``AioHTTPTestCase``, tornado's ``AsyncTestCase``; ``asynctest.TestCase`` is
``asynctest-to-stdlib``'s), that defines ``async def setUpClass``/``tearDownClass``
(which ``IsolatedAsyncioTestCase`` has no async form of), or both ``async def setUp`` and
``asyncSetUp``, or whose mixin has an async ``setUp``/``tearDown``, is reported and left
alone, as is a class deriving from a project ``TestCase`` subclass (convert that base
instead).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

import libcst as cst

from async_test_upgrade.codemods.mode._marks import is_async
from async_test_upgrade.cst import CodemodTransformer, FileContext
from async_test_upgrade.registry import codemod

if TYPE_CHECKING:
    from async_test_upgrade.facts import ProjectFacts
    from async_test_upgrade.gate import CodeIndex

TESTCASE = ("unittest.TestCase", "unittest.case.TestCase")
ISOLATED = ("unittest.IsolatedAsyncioTestCase", "unittest.async_case.IsolatedAsyncioTestCase")
RENAMES = {"setUp": "asyncSetUp", "tearDown": "asyncTearDown"}
DRIVERS = ("run", "__call__", "debug")


def classes_with_async_tests(facts: ProjectFacts) -> frozenset[str]:
    """The last name components of the project classes that define an async ``test*``
    method or derive (through project classes) from one that does: a file must name one
    of them for a class in it to inherit async tests."""
    owners = {
        owner
        for owner, _, method in (f.rpartition(".") for f in facts.async_functions)
        if method.startswith("test") and owner in facts.class_bases  # every class is there
    }
    found = set(owners)
    grown = True
    while grown:
        grown = False
        for name, bases in facts.class_bases.items():
            if name not in found and any(facts.resolve(b) in found for b in bases):
                found.add(name)
                grown = True
    names = {name.rpartition(".")[2] for name in found}
    # Re-exports name the same classes under another module.
    names |= {k.rpartition(".")[2] for k in facts.reexports if facts.resolve(k) in found}
    return frozenset(names)


@codemod(
    name="unittest-async-to-isolated",
    summary="unittest.TestCase with async tests (never awaited) -> IsolatedAsyncioTestCase",
    after=("strict-to-auto", "strict-markers"),
    safety="review",
    triggers=("TestCase",),
    needs={"python": (3, 8)},
    produces=(
        "IsolatedAsyncioTestCase",
        "unittest",
        "asyncSetUp",
        "asyncTearDown",
    ),
)
class UnittestAsyncToIsolated(CodemodTransformer):
    @staticmethod
    def gate(code: CodeIndex, facts: ProjectFacts) -> bool:
        """A TestCase class with async tests: its own ``async def test*``, or inherited
        from a project class the file names (one with an async ``test*`` method, or one
        deriving from such a class)."""
        if code.has("async def") and code.mentions("test"):
            return True
        return any(code.has(name) for name in facts.derived(classes_with_async_tests))

    def __init__(self, ctx: FileContext) -> None:
        super().__init__(ctx)
        #: Every spelling of a project class (or re-export), computed on first need.
        self._project_class_names: set[str] | None = None

    def leave_ClassDef(
        self, original_node: cst.ClassDef, updated_node: cst.ClassDef
    ) -> cst.ClassDef:
        if not isinstance(original_node.body, cst.IndentedBlock):
            return updated_node
        methods = [s for s in original_node.body.body if isinstance(s, cst.FunctionDef)]
        own = [m.name.value for m in methods if is_async(m) and m.name.value.startswith("test")]
        inherited, mixin_refusal = self._from_mixins(original_node)
        async_tests = own + [t for t in inherited if t not in own]
        if not async_tests:
            return updated_node
        name = original_node.name.value
        base_index: int | None = None
        for index, arg in enumerate(original_node.bases):
            names = self.qualified_names(arg.value)
            if names & set(TESTCASE):
                base_index = index
            elif names & set(ISOLATED):
                return updated_node  # already converted
        if base_index is None:
            self._report_indirect(original_node, async_tests)
            return updated_node
        refusal = self._refusal(original_node, base_index, methods) or mixin_refusal
        if refusal:
            self.review(
                original_node,
                f"{name} has async tests that unittest never awaits, but {refusal}: "
                "convert it by hand",
            )
            return updated_node
        bases = list(updated_node.bases)
        bases[base_index] = bases[base_index].with_changes(
            value=self._isolated(original_node.bases[base_index].value)
        )
        body = [self._renamed(stmt) for stmt in updated_node.body.body]
        count = len(async_tests)
        self.changed(
            original_node,
            f"{name}: unittest.TestCase never awaited its {count} async test(s); "
            "IsolatedAsyncioTestCase runs them",
        )
        self.review(
            original_node,
            f"{name} now runs {count} async test(s) that never ran before "
            f"({', '.join(async_tests)}): check they pass for real",
        )
        return updated_node.with_changes(
            bases=bases, body=updated_node.body.with_changes(body=body)
        )

    # --- helpers ------------------------------------------------------------------------

    def _refusal(
        self, node: cst.ClassDef, base_index: int, methods: Sequence[cst.FunctionDef]
    ) -> str:
        names = {m.name.value for m in methods}
        drivers = sorted(names & set(DRIVERS))
        if drivers:
            return f"it overrides {', '.join(drivers)}"
        for method in methods:
            if is_async(method) and method.name.value in ("setUpClass", "tearDownClass"):
                return (
                    f"its {method.name.value} is async (IsolatedAsyncioTestCase has no async form)"
                )
        for old, new in RENAMES.items():
            clash = any(m.name.value == old and is_async(m) for m in methods) and new in names
            if clash:
                return f"it defines both async {old} and {new}"
        facts = self.ctx.facts
        for index, arg in enumerate(node.bases):
            if index == base_index or arg.keyword is not None:
                continue
            names_of_base = self.qualified_names(arg.value)
            if names_of_base & {"object", "builtins.object"}:
                continue
            spelled = {*names_of_base, *(f"{self.ctx.module_name}.{n}" for n in names_of_base)}
            if not any(facts.resolve(n) in facts.class_bases for n in spelled):
                source = cst.Module(body=[]).code_for_node(arg.value)
                return f"it also derives from {source}, which may drive its own event loop"
        return ""

    def _cannot_be_project_class(self, base: cst.BaseExpression) -> bool:
        """True when ``base`` surely names no class of the project: settled from its
        spelling, without the scope analysis (a nested class's base is common in tests)."""
        if self.ctx.names is None:
            return False
        if self._project_class_names is None:
            facts = self.ctx.facts
            prefix = f"{self.ctx.module_name}."
            wanted = {*facts.class_bases, *facts.reexports}
            wanted |= {name.removeprefix(prefix) for name in wanted if name.startswith(prefix)}
            self._project_class_names = wanted
        return self.ctx.names.cannot_be_any_of(base, self._project_class_names)

    def _from_mixins(self, node: cst.ClassDef) -> tuple[list[str], str]:
        """Async test names the class inherits from project mixins, and a refusal if a
        mixin has an async setUp/tearDown (renaming it is that mixin's business)."""
        facts = self.ctx.facts
        tests: list[str] = []
        pending: list[str] = []
        for arg in node.bases:
            if self._cannot_be_project_class(arg.value):
                continue
            names = self.qualified_names(arg.value)
            spelled = {*names, *(f"{self.ctx.module_name}.{n}" for n in names)}
            pending.extend(
                facts.resolve(n) for n in spelled if facts.resolve(n) in facts.class_bases
            )
        seen: set[str] = set()
        refusal = ""
        while pending:
            base = pending.pop()
            if base in seen or base in TESTCASE:
                continue
            seen.add(base)
            for hook in RENAMES:
                if f"{base}.{hook}" in facts.async_functions:
                    refusal = f"its base {base} has an async {hook}"
            tests.extend(
                f.rpartition(".")[2]
                for f in sorted(facts.async_functions)
                if f.rpartition(".")[0] == base and f.rpartition(".")[2].startswith("test")
            )
            pending.extend(facts.resolve(b) for b in facts.class_bases.get(base, ()))
        return tests, refusal

    def _report_indirect(self, node: cst.ClassDef, async_tests: Sequence[str]) -> None:
        """A class that reaches unittest.TestCase through a project base: say where."""
        facts = self.ctx.facts
        qualname = f"{self.ctx.module_name}.{node.name.value}"
        seen: set[str] = set()
        pending = list(facts.class_bases.get(qualname, ()))
        while pending:
            base = facts.resolve(pending.pop())
            if base in seen:
                continue
            seen.add(base)
            if base in TESTCASE:
                self.review(
                    node,
                    f"{node.name.value} has async tests that unittest never awaits "
                    f"({', '.join(async_tests)}), through a project base "
                    "class: make that base an IsolatedAsyncioTestCase by hand",
                )
                return
            pending.extend(facts.class_bases.get(base, ()))

    def _isolated(self, base: cst.BaseExpression) -> cst.BaseExpression:
        if isinstance(base, cst.Attribute) and self.is_name(base, "unittest.TestCase"):
            return base.with_changes(attr=cst.Name("IsolatedAsyncioTestCase"))
        if isinstance(base, cst.Name):
            self.add_import("unittest", "IsolatedAsyncioTestCase")
            for qualified in self.qualified_names(base):
                if qualified in TESTCASE:
                    module = qualified.rpartition(".")[0]
                    asname = base.value if base.value != "TestCase" else None
                    self.drop_import_if_unused(module, "TestCase", asname)
            return cst.Name("IsolatedAsyncioTestCase")
        self.add_import("unittest")
        return cst.Attribute(value=cst.Name("unittest"), attr=cst.Name("IsolatedAsyncioTestCase"))

    @staticmethod
    def _renamed(
        stmt: cst.BaseStatement | cst.BaseSmallStatement,
    ) -> cst.BaseStatement | cst.BaseSmallStatement:
        if isinstance(stmt, cst.FunctionDef) and is_async(stmt) and stmt.name.value in RENAMES:
            return stmt.with_changes(name=cst.Name(RENAMES[stmt.name.value]))
        return stmt
