"""
**What it does**

Reports (never rewrites) Starlette's or FastAPI's synchronous ``TestClient`` inside
asynchronous tests and fixtures: a ``TestClient(...)`` constructed in an ``async def``
test or fixture, and an ``async def`` test or fixture that requests a fixture building a
``TestClient`` (found anywhere in the project). The class is recognised through imports
(``from fastapi.testclient import TestClient``, ``from starlette import testclient``).

**Why**

``TestClient`` is synchronous: it runs the app through an anyio blocking portal, in an event
loop of its own. Inside an async test it blocks the test's loop while the app runs on another
one, so resources created by async fixtures (database connections, queues, locks) end up
"attached to a different loop" or deadlock. Starlette: "make your entire test async and use an
async client, like httpx.AsyncClient"; FastAPI: "we can no longer use the TestClient inside
our test functions" once tests are async. The replacement is ``httpx.AsyncClient(
transport=httpx.ASGITransport(app=app), base_url="http://test")``, plus
``asgi_lifespan.LifespanManager`` when the app has a lifespan (``TestClient`` ran it only
when used as a context manager).

**Example**

Reported::

    from fastapi.testclient import TestClient
    from app.main import app

    async def test_items(db):
        client = TestClient(app)           # <- note: TestClient in async test_items
        await db.insert(...)
        assert client.get("/items").status_code == 200

Suggested by hand::

    from httpx import ASGITransport, AsyncClient
    from app.main import app

    async def test_items(db):
        async with AsyncClient(transport=ASGITransport(app=app), base_url="http://test") as client:
            await db.insert(...)
            assert (await client.get("/items")).status_code == 200

**When it refuses**

It always refuses to rewrite: swapping a sync client for an async one turns every
``client.get(...)`` into an ``await`` and may change which loop the app runs in, which is a
judgement call. ``TestClient`` in synchronous tests and fixtures is fine and never reported.
A ``TestClient`` an async test uses only for ``websocket_connect`` gets a note of its own:
httpx has no websocket support, so ``ASGITransport`` is no replacement for it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import libcst as cst

from async_test_upgrade.codemods.event_loop import _event_loop
from async_test_upgrade.cst import CodemodTransformer, FileContext, is_fixture
from async_test_upgrade.registry import codemod

if TYPE_CHECKING:
    from async_test_upgrade.facts import ProjectFacts
    from async_test_upgrade.gate import CodeIndex

TEST_CLIENTS = ("starlette.testclient.TestClient", "fastapi.testclient.TestClient")


@codemod(
    name="testclient-in-async-test",
    summary="report Starlette/FastAPI TestClient built or used in async tests and fixtures",
    # It reports on async tests and fixtures, including those the loop codemods made.
    after=(
        "strict-to-auto",
        "asgi-lifespan",
        "event-loop-sync-to-async",
        "get-event-loop-in-async",
    ),
    safety="review",
    triggers=("TestClient", "client"),
)
class TestClientInAsyncTest(CodemodTransformer):
    __test__ = False  # a codemod, not a pytest test class

    @staticmethod
    def gate(code: CodeIndex, facts: ProjectFacts) -> bool:
        """A TestClient built, or a fixture building one requested, in an async test or
        fixture (written here, or made async by an earlier codemod of the run)."""
        if not (code.has("TestClient") or any(code.has(f) for f in facts.testclient_fixtures)):
            return False
        return code.has("async def") and _event_loop.may_be_test_or_fixture(code)

    def __init__(self, ctx: FileContext) -> None:
        super().__init__(ctx)
        #: The async tests/fixtures we are inside (innermost last); None for other functions.
        self.functions: list[str | None] = []
        self.nodes: list[cst.FunctionDef] = []

    def _role(self, node: cst.FunctionDef) -> str | None:
        if node.asynchronous is None:
            return None
        if is_fixture(self, node):
            return f"async fixture {node.name.value}"
        if node.name.value.startswith("test"):
            return f"async test {node.name.value}"
        return None

    def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
        role = self._role(node)
        self.functions.append(role)
        self.nodes.append(node)
        if role is None:
            return
        for param in [*node.params.params, *node.params.kwonly_params]:
            where = self.ctx.facts.testclient_fixtures.get(param.name.value)
            if where is not None:
                self.review(
                    param,
                    f"{role} requests fixture {param.name.value}, a synchronous TestClient "
                    f"(built at {where}) that runs the app in its own event loop: use "
                    "httpx.AsyncClient(transport=httpx.ASGITransport(app=...)) instead",
                )

    def leave_FunctionDef(
        self, original_node: cst.FunctionDef, updated_node: cst.FunctionDef
    ) -> cst.FunctionDef:
        self.functions.pop()
        self.nodes.pop()
        return updated_node

    def _websocket_only(self, call: cst.Call) -> bool:
        """The client ``call`` builds is bound to a name (``client = TestClient(app)`` or
        ``with TestClient(app) as client``) used, in the function, only as
        ``client.websocket_connect(...)``."""
        function = self.nodes[-1]
        name = _bound_name(function, call)
        if name is None:
            return False
        uses = [n for n in _names(function.body) if n.value == name]
        websocket = [
            a
            for a in _attributes(function.body)
            if isinstance(a.value, cst.Name)
            and a.value.value == name
            and a.attr.value == "websocket_connect"
        ]
        # Every use but the binding itself is ``name.websocket_connect``.
        return bool(websocket) and len(uses) == len(websocket) + 1

    def visit_Call(self, node: cst.Call) -> None:
        if not self.functions or self.functions[-1] is None:
            return
        if self.is_name(node.func, *TEST_CLIENTS):
            if self._websocket_only(node):
                self.review(
                    node,
                    f"TestClient constructed in {self.functions[-1]} is used only for "
                    "websocket_connect, which httpx's ASGITransport cannot do: keep it, but "
                    "it runs the app in its own event loop, so the app must not use objects "
                    "bound to the test's loop",
                )
                return
            self.review(
                node,
                f"TestClient constructed in {self.functions[-1]}: it runs the app in its own "
                "event loop, blocking the test's; use httpx.AsyncClient(transport="
                "httpx.ASGITransport(app=...)) (and asgi_lifespan.LifespanManager for a "
                "lifespan) instead",
            )


def _bound_name(function: cst.FunctionDef, call: cst.Call) -> str | None:
    """The name ``call`` is bound to in ``function``, by ``=`` or ``with ... as``."""
    found: list[str] = []

    class Binding(cst.CSTVisitor):
        def visit_Assign(self, node: cst.Assign) -> None:
            if node.value is call and len(node.targets) == 1:
                target = node.targets[0].target
                if isinstance(target, cst.Name):
                    found.append(target.value)

        def visit_WithItem(self, node: cst.WithItem) -> None:
            if node.item is call and node.asname is not None:
                target = node.asname.name
                if isinstance(target, cst.Name):
                    found.append(target.value)

    function.body.visit(Binding())
    return found[0] if len(found) == 1 else None


def _names(node: cst.CSTNode) -> list[cst.Name]:
    names: list[cst.Name] = []

    class Names(cst.CSTVisitor):
        def visit_Name(self, name: cst.Name) -> None:
            names.append(name)

    node.visit(Names())
    return names


def _attributes(node: cst.CSTNode) -> list[cst.Attribute]:
    attributes: list[cst.Attribute] = []

    class Attributes(cst.CSTVisitor):
        def visit_Attribute(self, attribute: cst.Attribute) -> None:
            attributes.append(attribute)

    node.visit(Attributes())
    return attributes
