"""
**What it does**

Rewrites the removed ``app=`` shortcut of httpx clients to an explicit transport:
``httpx.AsyncClient(app=x, ...)`` becomes ``httpx.AsyncClient(transport=
httpx.ASGITransport(app=x), ...)`` and ``httpx.Client(app=x, ...)`` becomes
``httpx.Client(transport=httpx.WSGITransport(app=x), ...)``. Every other argument stays
where it was. The transport is spelled the way the file already spells httpx: through the
module (``import httpx as h`` gives ``h.ASGITransport``) or as an imported name
(``from httpx import AsyncClient`` also imports ``ASGITransport``, reusing an existing
alias of it). Client names are resolved through imports and aliases, so the rewrite works
in fixtures, ``async with`` statements and helper functions alike.

**Why**

httpx 0.27.0 deprecated the shortcut (``The 'app' shortcut is now deprecated. Use the
explicit style 'transport=ASGITransport(app=...)' instead.``) and 0.28.0 removed it:
``TypeError: AsyncClient.__init__() got an unexpected keyword argument 'app'``.
``Client(app=...)`` always meant a WSGI app and ``AsyncClient(app=...)`` an ASGI app, so
the transport is determined by the client class. ``transport=`` has existed since httpx
0.13, so the result also runs on the old httpx.

**Example**

Before::

    from httpx import AsyncClient

    async def test_root(app):
        async with AsyncClient(app=app, base_url="http://test") as client:
            ...

After::

    from httpx import ASGITransport, AsyncClient

    async def test_root(app):
        async with AsyncClient(transport=ASGITransport(app=app), base_url="http://test") as client:
            ...

**When it refuses**

A client given both ``app=`` and ``transport=`` is reported and left alone: httpx 0.27
silently ignored ``app`` there, so which one the test meant needs a human. A client whose
``app`` arrives through ``**kwargs`` (a dict literal, ``dict(app=...)`` or a mapping the
module fills with an ``"app"`` key) is reported too, since the call site cannot be
rewritten on its own; so is ``app=`` passed to a helper of the same module that hands its
own ``**kwargs`` to an httpx client. Other classes with an ``app`` argument (Starlette's
``TestClient``, project classes named ``AsyncClient``) are not httpx clients and are
never touched.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import libcst as cst

from async_test_upgrade.cst import CodemodTransformer, FileContext, Visitor, keyword, string_value
from async_test_upgrade.registry import codemod

if TYPE_CHECKING:
    from async_test_upgrade.facts import ProjectFacts
    from async_test_upgrade.gate import CodeIndex

TRANSPORT_FOR = {
    "httpx.AsyncClient": "ASGITransport",
    "httpx.Client": "WSGITransport",
}


@codemod(
    name="httpx-app-to-transport",
    summary="httpx AsyncClient(app=x) / Client(app=x) -> transport=ASGITransport/WSGITransport",
    safety="safe",
    triggers=("app=", "app =", '"app"', "'app'"),
    needs={"httpx": (0, 18)},
    produces=(
        "ASGITransport",
        "WSGITransport",
        "transport",
        "httpx",
    ),
)
class HttpxAppToTransport(CodemodTransformer):
    @staticmethod
    def gate(code: CodeIndex, facts: ProjectFacts) -> bool:
        """An httpx ``Client``/``AsyncClient`` (imported from httpx) given ``app`` (a keyword,
        or a mapping key)."""
        return (
            code.has("httpx")
            and code.has("app")
            and (code.has("AsyncClient") or code.has("Client"))
        )

    def __init__(self, ctx: FileContext) -> None:
        super().__init__(ctx)
        #: Local names bound to httpx.ASGITransport / httpx.WSGITransport by a from-import.
        self.imported_transports: dict[str, str] = {}
        #: Names of mappings the module builds with an "app" key (``kwargs["app"] = ...``).
        self.mappings_with_app: set[tuple[cst.FunctionDef | None, str]] = set()
        #: The functions around the current node (mapping names are local to them).
        self.functions: list[cst.FunctionDef] = []
        #: Functions of this module passing their ``**kwargs`` on to an httpx client.
        self.forwarding_helpers: dict[str, str] = {}

    def visit_Module(self, node: cst.Module) -> None:
        self._find_forwarding_helpers(node)
        for statement in node.body:
            if not isinstance(statement, cst.SimpleStatementLine):
                continue
            for small in statement.body:
                if (
                    isinstance(small, cst.ImportFrom)
                    and isinstance(small.module, cst.Name)
                    and small.module.value == "httpx"
                    and not isinstance(small.names, cst.ImportStar)
                ):
                    for alias in small.names:
                        if isinstance(alias.name, cst.Name) and alias.name.value in (
                            "ASGITransport",
                            "WSGITransport",
                        ):
                            local = alias.asname.name if alias.asname else alias.name
                            if isinstance(local, cst.Name):
                                self.imported_transports[alias.name.value] = local.value

    def _find_forwarding_helpers(self, module: cst.Module) -> None:
        """Functions that hand their own ``**kwargs`` to an httpx client."""
        functions: list[cst.FunctionDef] = []
        calls: list[cst.Call] = []

        class Collect(Visitor):
            def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
                functions.append(node)

        module.visit(Collect())
        for function in functions:
            star = function.params.star_kwarg
            if not isinstance(star, cst.Param):
                continue
            calls.clear()

            class CollectCalls(Visitor):
                def visit_Call(self, node: cst.Call) -> None:
                    calls.append(node)

            function.body.visit(CollectCalls())
            for call in calls:
                client = next(iter(sorted(self.names_among(call.func, TRANSPORT_FOR))), None)
                if client is not None and any(
                    arg.star == "**"
                    and isinstance(arg.value, cst.Name)
                    and arg.value.value == star.name.value
                    for arg in call.args
                ):
                    self.forwarding_helpers[function.name.value] = client

    def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
        self.functions.append(node)

    def leave_FunctionDef(
        self, original_node: cst.FunctionDef, updated_node: cst.FunctionDef
    ) -> cst.FunctionDef:
        self.functions.pop()
        return updated_node

    def _function(self) -> cst.FunctionDef | None:
        return self.functions[-1] if self.functions else None

    # Mappings that carry ``app`` into a client through ``**``.
    def visit_Assign(self, node: cst.Assign) -> None:
        for target in node.targets:
            if isinstance(target.target, cst.Name) and _mapping_has_app(node.value):
                self.mappings_with_app.add((self._function(), target.target.value))
            if (
                isinstance(target.target, cst.Subscript)
                and isinstance(target.target.value, cst.Name)
                and len(target.target.slice) == 1
                and isinstance(target.target.slice[0].slice, cst.Index)
                and string_value(target.target.slice[0].slice.value) == "app"
            ):
                self.mappings_with_app.add((self._function(), target.target.value.value))

    def leave_Call(self, original_node: cst.Call, updated_node: cst.Call) -> cst.BaseExpression:
        client = next(iter(sorted(self.names_among(original_node.func, TRANSPORT_FOR))), None)
        if client is None:
            helper = original_node.func
            if (
                isinstance(helper, cst.Name)
                and helper.value in self.forwarding_helpers
                and keyword(original_node, "app") is not None
            ):
                target = self.forwarding_helpers[helper.value]
                self.review(
                    original_node,
                    f"app= passed to {helper.value}(), which hands its **kwargs to {target}(); "
                    f"removed in httpx 0.28: pass transport={TRANSPORT_FOR[target]}(app=...) "
                    "instead",
                )
            return updated_node
        app = keyword(updated_node, "app")
        if app is None:
            for arg in updated_node.args:
                if arg.star == "**" and (
                    _mapping_has_app(arg.value)
                    or (
                        isinstance(arg.value, cst.Name)
                        and (self._function(), arg.value.value) in self.mappings_with_app
                    )
                ):
                    self.review(
                        original_node,
                        f"{client}(**...) passes app= through a mapping; removed in httpx 0.28: "
                        f"pass transport={TRANSPORT_FOR[client]}(app=...) instead",
                    )
            return updated_node
        if keyword(updated_node, "transport") is not None:
            self.review(
                original_node,
                f"{client}() gets both app= and transport=; httpx 0.27 ignored app= here and "
                "0.28 rejects it: keep the transport you meant and drop the other",
            )
            return updated_node
        transport_class = TRANSPORT_FOR[client]
        transport = cst.Call(
            func=self._transport_reference(updated_node.func, transport_class),
            args=[app.with_changes(comma=cst.MaybeSentinel.DEFAULT)],
        )
        new_arg = app.with_changes(keyword=cst.Name("transport"), value=transport)
        self.changed(
            original_node,
            f"{client}(app=...) -> transport={transport_class}(app=...) "
            "(app= removed in httpx 0.28)",
        )
        return updated_node.with_changes(
            args=[new_arg if arg is app else arg for arg in updated_node.args]
        )

    def _transport_reference(self, func: cst.BaseExpression, transport: str) -> cst.BaseExpression:
        """``transport`` spelled the way the client itself was spelled."""
        if isinstance(func, cst.Attribute):
            # ``httpx.AsyncClient`` / ``h.AsyncClient``: reuse the module reference.
            return func.with_changes(attr=cst.Name(transport))
        local = self.imported_transports.get(transport)
        if local is None:
            self.add_import("httpx", transport)
            local = transport
        return cst.Name(local)


def _mapping_has_app(node: cst.BaseExpression) -> bool:
    """``{"app": ...}`` or ``dict(app=...)``."""
    if isinstance(node, cst.Dict):
        return any(
            isinstance(e, cst.DictElement) and string_value(e.key) == "app" for e in node.elements
        )
    if isinstance(node, cst.Call) and isinstance(node.func, cst.Name) and node.func.value == "dict":
        return keyword(node, "app") is not None
    return False
