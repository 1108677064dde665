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

    repo.get = AsyncMock(return_value={"id": 1})
    assert await service.load(1) == {"id": 1}
    repo.get.assert_called_once_with(1)
    assert repo.get.call_count == 1

After::

    repo.get = AsyncMock(return_value={"id": 1})
    assert await service.load(1) == {"id": 1}
    repo.get.assert_awaited_once_with(1)
    assert repo.get.await_count == 1

**When it refuses**

Only where every call of that mock written in the test is awaited: a mock the test
itself calls without ``await`` keeps its ``assert_called*`` and the line is reported.
Calls made by the code under test are assumed awaited (``verify`` proves it; a failing
``assert_awaited*`` is the bug this rewrite exists to catch). ``assert_not_called`` is
never rewritten (``assert_not_awaited`` is weaker). Mocks not proven ``AsyncMock``
(a plain ``MagicMock``, a fixture from another file, a ``create_autospec``) are left.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import libcst as cst

from async_test_upgrade.codemods import _mocks
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
    order=730,
    safety="review",
    triggers=("assert_called", "assert_any_call", "assert_has_calls", "call_count", "call_args"),
    needs={"python": (3, 8)},
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
            target = _mocks.target_is_async(self, _mocks.patch_targets(self, call, kind))
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
        target = _mocks.target_is_async(self, _mocks.patch_targets(self, call, kind))
        if target is not None:
            return f"a patch of {target}, an async def (patch makes an AsyncMock)"
        return None

    # --- planning ---------------------------------------------------------------------------------

    def _plan(self, function: cst.FunctionDef) -> None:
        scan = _mocks.scan_function(self, function)
        proof = self._proof(function, scan)
        if not proof:
            return
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


def _functions(module: cst.Module) -> list[cst.FunctionDef]:
    found: list[cst.FunctionDef] = []
    for statement in module.body:
        if isinstance(statement, cst.FunctionDef):
            found.append(statement)
        elif isinstance(statement, cst.ClassDef) and isinstance(statement.body, cst.IndentedBlock):
            found.extend(s for s in statement.body.body if isinstance(s, cst.FunctionDef))
    return found
