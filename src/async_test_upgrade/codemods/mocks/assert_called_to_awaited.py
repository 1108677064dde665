"""
**What it does**

On mocks proven to be ``AsyncMock``, turns call assertions and counters into their await
counterparts: ``assert_called`` -> ``assert_awaited``, ``assert_called_once`` ->
``assert_awaited_once``, ``assert_called_with`` -> ``assert_awaited_with``,
``assert_called_once_with`` -> ``assert_awaited_once_with``, ``assert_any_call`` ->
``assert_any_await``, ``assert_has_calls`` -> ``assert_has_awaits``, ``call_count`` ->
``await_count``, ``call_args`` -> ``await_args``, ``call_args_list`` ->
``await_args_list``.

A mock is proven an ``AsyncMock`` by its construction in the same function, in a
fixture of the same file, or on ``self`` in the class's ``setUp``/``asyncSetUp``/
``setup_method`` (``AsyncMock(...)``, ``mocker.AsyncMock(...)``,
``MagicMock(fetch=AsyncMock())`` for ``fetch``, ``MagicMock(spec=<async def>)``), by a
patch that makes one (``new_callable=AsyncMock``, ``new=AsyncMock()``, or a ``patch()``
/ ``patch.object()`` / ``mocker.patch()`` without ``new`` whose target the project facts
show is an ``async def``), including ``@patch`` decorators. Run after
``mock-to-asyncmock`` and ``future-mock-to-asyncmock`` (it is ordered after them), it
sees the ``AsyncMock`` they made.

**Why**

"Called" and "awaited" are counted separately: a coroutine function that is called but
never awaited does nothing, and ``assert_called_once_with`` passes anyway.
``assert_awaited_once_with`` also fails on that bug (``Expected mock to have been
awaited once. Awaited 0 times.``).

**Example**

Before::

    from unittest.mock import AsyncMock

    async def test_load(repo, service):
        repo.get = AsyncMock(return_value={"id": 1})
        assert await service.load(1) == {"id": 1}
        repo.get.assert_called_once_with(1)
        assert repo.get.call_count == 1

After::

    from unittest.mock import AsyncMock

    async def test_load(repo, service):
        repo.get = AsyncMock(return_value={"id": 1})
        assert await service.load(1) == {"id": 1}
        repo.get.assert_awaited_once_with(1)
        assert repo.get.await_count == 1

**When it refuses**

Only where every call of that mock written in the test is awaited: a mock the test
itself calls without ``await`` keeps its ``assert_called*`` and the line is reported. So
does an assertion right after a sync call of the code under test (a callback such as
``protocol.data_received(...)`` may only have scheduled the coroutine, which has not run
yet), and every assertion of a test that replaces a scheduler (``loop.create_task``,
``ensure_future``, ``gather``...) with a mock, which never awaits what it is given.
Calls made by the code under test are assumed awaited (``verify`` proves it; a failing
``assert_awaited*`` is the bug this rewrite exists to catch). ``assert_not_called`` is
never rewritten (``assert_not_awaited`` is weaker). Mocks not proven ``AsyncMock``
(a plain ``MagicMock``, a fixture from another file, a ``create_autospec``) are left.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import libcst as cst

from async_test_upgrade.codemods.mocks import _mocks
from async_test_upgrade.cst import CodemodTransformer, FileContext, keyword
from async_test_upgrade.registry import codemod

if TYPE_CHECKING:
    from async_test_upgrade.facts import ProjectFacts
    from async_test_upgrade.gate import CodeIndex

#: path -> why it is an AsyncMock
Proof = dict[str, str]

SETUP_METHODS = _mocks.SETUP_METHODS


@codemod(
    name="assert-called-to-awaited",
    summary="assert_called*/call_count/call_args -> assert_awaited*/await_count/await_args "
    "on proven AsyncMocks",
    after=("mock-to-asyncmock",),
    safety="review",
    triggers=("assert_called", "assert_any_call", "assert_has_calls", "call_count", "call_args"),
    needs={"python": (3, 8)},
    produces=(
        "assert_awaited",
        "assert_awaited_once",
        "assert_awaited_with",
        "assert_awaited_once_with",
        "assert_any_await",
        "assert_has_awaits",
        "assert_not_awaited",
        "await_count",
        "await_args",
        "await_args_list",
    ),
)
class AssertCalledToAwaited(CodemodTransformer):
    @staticmethod
    def gate(code: CodeIndex, facts: ProjectFacts) -> bool:
        """Only mocks proven AsyncMock are touched: one written here, a patch of an async
        def, or one the earlier mock codemods of this run may make."""
        return _mocks.may_have_async_mock(code, facts)

    def __init__(self, ctx: FileContext) -> None:
        super().__init__(ctx)
        self.depth = 0
        self.fixtures: dict[str, Proof] = {}
        self.renames: dict[int, tuple[str, str]] = {}
        self.class_proofs: list[Proof] = []

    def visit_Module(self, node: cst.Module) -> None:
        for function in _functions(node):
            name = _mocks.is_fixture(self, function)
            if name is None:
                continue
            proof = self._proof(function, _mocks.scan_function(self, function))
            relative: Proof = {}
            for returned in _mocks.returned_names(function):
                for path, why in proof.items():
                    if path.startswith(returned + "."):
                        relative[path[len(returned) :]] = f"{why} in fixture {name}"
                    elif path == returned:
                        relative[""] = f"{why} in fixture {name}"
            if relative:
                self.fixtures[name] = relative

    def visit_ClassDef(self, node: cst.ClassDef) -> None:
        # Mocks a test class sets up on ``self`` count in every test method.
        proof: Proof = {}
        if self.depth == 0 and isinstance(node.body, cst.IndentedBlock):
            for method in node.body.body:
                if isinstance(method, cst.FunctionDef) and method.name.value in SETUP_METHODS:
                    found = self._proof(method, _mocks.scan_function(self, method))
                    for path, why in found.items():
                        if path.startswith("self."):
                            proof[path] = f"{why} in {method.name.value}"
        self.class_proofs.append(proof)

    def leave_ClassDef(
        self, original_node: cst.ClassDef, updated_node: cst.ClassDef
    ) -> cst.ClassDef:
        self.class_proofs.pop()
        return updated_node

    def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
        self.depth += 1
        if self.depth == 1:
            self._plan(node)

    def leave_FunctionDef(
        self, original_node: cst.FunctionDef, updated_node: cst.FunctionDef
    ) -> cst.FunctionDef:
        self.depth -= 1
        return updated_node

    # --- proof ------------------------------------------------------------------------------------

    def _proof(self, function: cst.FunctionDef, scan: _mocks.FunctionScan) -> Proof:
        proof: Proof = {}
        refuted: set[str] = set()
        for binding in scan.bindings:
            why = self._binding_proof(binding.value)
            line = self.line(binding.statement)
            if why is None:
                refuted.add(binding.path)
            else:
                proof[binding.path] = f"{why} at line {line}"
            if isinstance(binding.value, cst.Call) and _mocks.mock_kind(self, binding.value):
                for arg in binding.value.args:
                    if (
                        arg.keyword is not None
                        and arg.keyword.value not in _mocks.MOCK_KEYWORDS
                        and isinstance(arg.value, cst.Call)
                        and _mocks.mock_kind(self, arg.value) == "async"
                    ):
                        proof[f"{binding.path}.{arg.keyword.value}"] = (
                            f"configured as an AsyncMock at line {line}"
                        )
        for name, call, kind in _mocks.patch_decorator_params(self, function):
            target = _mocks.async_patch_target(self, call, kind)
            why = self._patch_proof(call, kind)
            if why is not None:
                proof[name] = f"{why} (decorator at line {self.line(call)})"
            elif target is None:
                refuted.add(name)
        for param in function.params.params:
            for relative, why in self.fixtures.get(param.name.value, {}).items():
                proof.setdefault(param.name.value + relative, why)
        if self.class_proofs and function.name.value not in SETUP_METHODS:
            for path, why in self.class_proofs[-1].items():
                proof.setdefault(path, why)
        for path in refuted:
            proof.pop(path, None)
        return proof

    def _binding_proof(self, value: cst.BaseExpression) -> str | None:
        if not isinstance(value, cst.Call):
            return None
        kind = _mocks.mock_kind(self, value)
        if kind == "async":
            return f"{_mocks.code(value.func)}()"
        if kind == "sync":
            spec = keyword(value, "spec") or keyword(value, "spec_set")
            if spec is not None:
                target = _mocks.target_is_async(self, _mocks.expression_names(self, spec.value))
                if target:
                    return f"a mock specced on {target}, an async def"
            return None
        patch = _mocks.patch_kind(self, value)
        if patch in ("patch", "object"):
            return self._patch_proof(value, patch)  # type: ignore[arg-type]
        return None

    def _patch_proof(self, call: cst.Call, kind: _mocks.PatchKind) -> str | None:
        new = _mocks.patch_new(call, kind)
        if new is not None:
            value = new.value
            if isinstance(value, cst.Call) and _mocks.mock_kind(self, value) == "async":
                return f"patched with new={_mocks.code(value.func)}()"
            return None
        new_callable = keyword(call, "new_callable")
        if new_callable is not None:
            if _mocks.mock_class_kind(self, new_callable.value) == "async":
                return "patched with new_callable=AsyncMock"
            return None
        target = _mocks.async_patch_target(self, call, kind)
        if target is not None:
            return f"a patch of {target}, an async def (patch makes an AsyncMock)"
        return None

    # --- planning ---------------------------------------------------------------------------------

    def _plan(self, function: cst.FunctionDef) -> None:
        scan = _mocks.scan_function(self, function)
        proof = self._proof(function, scan)
        if not proof:
            return
        scheduler = _mocked_scheduler(function)
        if scheduler is not None:
            self.review(
                scheduler,
                f"the test replaces {_mocks.code(scheduler)} with a mock: a coroutine the code "
                "under test hands to it is never awaited, so this test's assert_called* stay",
            )
            return
        preceding = _preceding_actions(function, set(proof))
        stores = {
            id(n.target)
            for n in _mocks.walk(function.body)
            if isinstance(n, cst.AssignTarget | cst.AugAssign | cst.AnnAssign)
        }
        for node in _mocks.walk(function.body):
            if not isinstance(node, cst.Attribute) or id(node) in stores:
                continue
            new_name = _mocks.CALLED_TO_AWAITED.get(node.attr.value)
            path = _mocks.dotted(node.value)
            if new_name is None or path is None or path not in proof:
                continue
            unawaited = scan.unawaited(path)
            if unawaited:
                self.review(
                    node,
                    f"{path} is an AsyncMock but is called without await at line "
                    f"{self.line(unawaited[0].node)}; kept {node.attr.value}",
                )
                continue
            action = preceding.get(id(node))
            if action is not None:
                self.review(
                    node,
                    f"{path} is checked right after the sync call at line {self.line(action)}, "
                    "which may only schedule the coroutine (not awaited yet); kept "
                    f"{node.attr.value}",
                )
                continue
            self.renames[id(node)] = (
                new_name,
                f"{path}.{node.attr.value} -> {new_name}: {path} is {proof[path]}, and no "
                "call of it in this function goes unawaited",
            )

    def leave_Attribute(
        self, original_node: cst.Attribute, updated_node: cst.Attribute
    ) -> cst.BaseExpression:
        planned = self.renames.get(id(original_node))
        if planned is None:
            return updated_node
        new_name, evidence = planned
        self.changed(original_node, evidence)
        return updated_node.with_changes(attr=cst.Name(new_name))


#: Callables that take a coroutine to run later: a test replacing one with a mock keeps
#: the coroutines the code under test gives it from ever being awaited.
SCHEDULERS = frozenset(
    {"create_task", "ensure_future", "run_coroutine_threadsafe", "call_soon", "gather", "wait"}
)


def _mocked_scheduler(function: cst.FunctionDef) -> cst.CSTNode | None:
    """``x.create_task = <mock>`` (or another scheduler) in the test, or a patch of one."""
    for node in _mocks.walk(function.body):
        if isinstance(node, cst.AssignTarget) and isinstance(node.target, cst.Attribute):
            if node.target.attr.value in SCHEDULERS:
                return node.target
        elif isinstance(node, cst.SimpleString):
            value = node.evaluated_value
            if isinstance(value, str) and value.rpartition(".")[2] in SCHEDULERS:
                return node
    return None


def _preceding_actions(function: cst.FunctionDef, mocks: set[str]) -> dict[int, cst.CSTNode]:
    """For each attribute in an assertion statement whose closest earlier statement with
    a call (in the same block) makes a sync call and awaits nothing: id -> that call.
    A sync call of the code under test may schedule a coroutine the mock then returns,
    which has not run when the assertion checks it. Calls of the mocks themselves, and
    of values the test got by awaiting, run no code under test and do not count."""
    inert = set(mocks) | _awaited_names(function)
    found: dict[int, cst.CSTNode] = {}
    for block in _mocks.walk(function.body):
        if not isinstance(block, cst.IndentedBlock):
            continue
        last_action: cst.CSTNode | None = None
        for statement in block.body:
            attributes = [
                n
                for n in _mocks.walk(statement)
                if isinstance(n, cst.Attribute) and n.attr.value in _mocks.CALLED_TO_AWAITED
            ]
            if attributes and last_action is not None:
                found.update((id(a), last_action) for a in attributes)
                continue
            if attributes:
                continue
            nodes = _mocks.walk(statement)
            if any(isinstance(n, cst.Await) for n in nodes):
                last_action = None
            else:
                calls = [n for n in nodes if isinstance(n, cst.Call) and not _calls_inert(n, inert)]
                if calls and not _configures_mocks(statement):
                    last_action = calls[0]
    return found


def _awaited_names(function: cst.FunctionDef) -> set[str]:
    """Names the test binds to an awaited result (``coro = await service.load()``)."""
    return {
        target.target.value
        for node in _mocks.walk(function.body)
        if isinstance(node, cst.Assign) and isinstance(node.value, cst.Await)
        for target in node.targets
        if isinstance(target.target, cst.Name)
    }


def _calls_inert(call: cst.Call, inert: set[str]) -> bool:
    """A call of a mock, or of a method of an awaited value."""
    path = _mocks.dotted(call.func)
    if path is None:
        return False
    return path in inert or path.rpartition(".")[0] in inert or path.split(".")[0] in inert


def _configures_mocks(statement: cst.BaseStatement) -> bool:
    """An assignment (``m.return_value = ...``, ``x = MagicMock()``): not an action."""
    return isinstance(statement, cst.SimpleStatementLine) and all(
        isinstance(s, cst.Assign | cst.AnnAssign) for s in statement.body
    )


def _functions(module: cst.Module) -> list[cst.FunctionDef]:
    found: list[cst.FunctionDef] = []
    for statement in module.body:
        if isinstance(statement, cst.FunctionDef):
            found.append(statement)
        elif isinstance(statement, cst.ClassDef) and isinstance(statement.body, cst.IndentedBlock):
            found.extend(s for s in statement.body.body if isinstance(s, cst.FunctionDef))
    return found
