"""
**What it does**

Where a test builds an httpx client on an ``ASGITransport`` for an app that has startup
or shutdown handlers, it wraps the client in ``asgi_lifespan.LifespanManager`` so the app
really starts:

``async with AsyncClient(transport=ASGITransport(app=app), ...) as client:`` becomes
``async with LifespanManager(app) as manager:`` around
``async with AsyncClient(transport=ASGITransport(app=manager.app), ...) as client:``.

An app "has startup handlers" when the project defines it as a module-level
``FastAPI(...)``/``Starlette(...)`` with ``lifespan=``, ``on_startup=`` or
``on_shutdown=``, decorates a handler with ``@app.on_event("startup")`` /
``("shutdown")``, or calls ``app.add_event_handler("startup", ...)``. The app in the test
is resolved through imports and re-exports (``from app.main import app``, ``from app
import main`` then ``main.app``). It runs after ``httpx-app-to-transport`` (order 630 >
600), so it also sees the transports made from ``AsyncClient(app=...)`` in the same run.

**Why**

httpx never sends ASGI lifespan events: "It is not in the scope of HTTPX to trigger ASGI
lifespan events ... use ``LifespanManager`` from asgi-lifespan" (httpx transports docs);
FastAPI: "If your application relies on lifespan events, the ``AsyncClient`` won't
trigger these events". A suite that moves to ``ASGITransport`` (httpx 0.28 removed
``app=``) against an app whose lifespan opens its resources gets requests against an app
that never started: missing ``app.state`` attributes, empty lifespan state. asgi-lifespan
2.x also carries lifespan *state*, which is why the client gets ``manager.app``.

**Example**

Before (``app/main.py``, unchanged)::

    from fastapi import FastAPI

    app = FastAPI()

    @app.on_event("startup")
    async def connect():
        ...

Before (``tests/conftest.py``)::

    import pytest
    from httpx import ASGITransport, AsyncClient
    from app.main import app

    @pytest.fixture
    async def client():
        async with AsyncClient(
            transport=ASGITransport(app=app), base_url="http://test"
        ) as c:
            yield c

After (``tests/conftest.py``)::

    import pytest
    from httpx import ASGITransport, AsyncClient
    from app.main import app
    from asgi_lifespan import LifespanManager

    @pytest.fixture
    async def client():
        async with LifespanManager(app) as manager:
            async with AsyncClient(
                transport=ASGITransport(app=manager.app), base_url="http://test"
            ) as c:
                yield c

**When it refuses**

Every rewrite is listed for review: it adds a dependency (``asgi-lifespan``, add it to the
test requirements) and the lifespan now really runs, so a test that did the startup by hand
may now do it twice. A client for such an app built outside an ``async with`` statement
(assigned, then closed by hand), a transport built anywhere but on the line just before
the ``async with`` of its only client (that shape is moved inside the manager block) are
reported and left alone; a client already inside a ``LifespanManager`` block is left
alone. Apps without
startup handlers, apps built by factory functions and non-httpx transports are not
touched.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from itertools import pairwise
from typing import TYPE_CHECKING, ClassVar

import libcst as cst
from libcst.metadata import ProviderT, QualifiedNameProvider, ScopeProvider

from async_test_upgrade.cst import CodemodTransformer, FileContext, Visitor, keyword
from async_test_upgrade.registry import codemod

if TYPE_CHECKING:
    from async_test_upgrade.facts import ProjectFacts
    from async_test_upgrade.gate import CodeIndex

ASYNC_CLIENT = "httpx.AsyncClient"
ASGI_TRANSPORT = "httpx.ASGITransport"
LIFESPAN_MANAGER = "asgi_lifespan.LifespanManager"


@codemod(
    name="asgi-lifespan",
    summary="run the app's lifespan in ASGITransport tests with asgi_lifespan.LifespanManager",
    after=("httpx-app-to-transport",),
    safety="review",
    # Also where httpx-app-to-transport writes it (its products hold ASGITransport).
    triggers=("ASGITransport",),
    needs={"asgi-lifespan": (2, 0)},
    produces=(
        "LifespanManager",
        "asgi_lifespan",
        "lifespan_manager",
        "manager",
        "app",
        "async with",
    ),
)
class AsgiLifespan(CodemodTransformer):
    @staticmethod
    def gate(code: CodeIndex, facts: ProjectFacts) -> bool:
        """Some app of the project has startup handlers, and an httpx ``ASGITransport``
        is used here (written, or written earlier in the run)."""
        return bool(facts.lifespan_apps) and code.has("httpx") and code.has("ASGITransport")

    METADATA_DEPENDENCIES: ClassVar[Collection[ProviderT]] = (
        QualifiedNameProvider,
        ScopeProvider,
    )

    def __init__(self, ctx: FileContext) -> None:
        super().__init__(ctx)
        #: Enclosing ``async with`` statements that enter a LifespanManager.
        self.inside_manager = 0
        #: Transport calls an ``async with`` takes care of (rewritten or reported there).
        self.handled: set[cst.Call] = set()
        #: ``async with`` statements to wrap: statement -> (item index, transport call).
        self.planned: dict[cst.With, tuple[int, cst.Call]] = {}
        #: ``transport = ASGITransport(app=app)`` lines followed by the ``async with`` that is
        #: their only use: the with statement -> the assignment line.
        self.planned_pairs: dict[cst.With, cst.SimpleStatementLine] = {}
        #: Names bound anywhere in the module, to choose a free name for the manager.
        self.bound_names: set[str] = set()

    def visit_Module(self, node: cst.Module) -> None:
        class Names(Visitor):
            def __init__(self, found: set[str]) -> None:
                super().__init__()
                self.found = found

            def visit_Name(self, name: cst.Name) -> None:
                self.found.add(name.value)

        node.visit(Names(self.bound_names))

    # --- which app -----------------------------------------------------------------------

    def _lifespan_app(self, expression: cst.BaseExpression) -> str | None:
        """Where the app ``expression`` names gets its startup handlers, if it has any."""
        facts = self.ctx.facts
        candidates = set(self.qualified_names(expression))
        if isinstance(expression, cst.Name):
            candidates.add(f"{self.ctx.module_name}.{expression.value}")
        for name in sorted(candidates):
            where = facts.lifespan_apps.get(facts.resolve(name))
            if where is not None:
                return where
        return None

    def _transport_app(self, call: cst.Call) -> cst.Arg | None:
        """The ``app=`` argument of an ``httpx.ASGITransport(...)`` call."""
        if not self.is_name(call.func, ASGI_TRANSPORT):
            return None
        return keyword(call, "app")

    def _client_transport(self, expression: cst.BaseExpression) -> cst.Call | None:
        """The ``ASGITransport(...)`` passed inline to an ``httpx.AsyncClient(...)`` call."""
        if not (isinstance(expression, cst.Call) and self.is_name(expression.func, ASYNC_CLIENT)):
            return None
        transport = keyword(expression, "transport")
        if (
            transport is not None
            and isinstance(transport.value, cst.Call)
            and self._transport_app(transport.value) is not None
        ):
            return transport.value
        return None

    # --- the rewrite ---------------------------------------------------------------------

    # --- ``transport = ASGITransport(app=app)`` on the line before the ``async with`` ------

    def visit_IndentedBlock(self, node: cst.IndentedBlock) -> None:
        self._plan_pairs(node.body)

    def _plan_pairs(self, statements: Sequence[cst.BaseStatement]) -> None:
        for line, statement in pairwise(statements):
            if not (
                isinstance(line, cst.SimpleStatementLine)
                and len(line.body) == 1
                and isinstance(line.body[0], cst.Assign)
                and len(line.body[0].targets) == 1
                and isinstance(line.body[0].targets[0].target, cst.Name)
                and isinstance(line.body[0].value, cst.Call)
                and isinstance(statement, cst.With)
                and statement.asynchronous is not None
            ):
                continue
            variable = line.body[0].targets[0].target
            transport = line.body[0].value
            app = self._transport_app(transport)
            if app is None or self._lifespan_app(app.value) is None:
                continue
            if self._only_used_by_one_client(variable, statement):
                self.planned_pairs[statement] = line
                self.handled.add(transport)

    def _only_used_by_one_client(self, variable: cst.Name, statement: cst.With) -> bool:
        """``variable`` is assigned once and used once: as ``transport=`` of a client
        entered by ``statement``."""
        uses = [
            item.item
            for item in statement.items
            if isinstance(item.item, cst.Call)
            and self.is_name(item.item.func, ASYNC_CLIENT)
            and (arg := keyword(item.item, "transport")) is not None
            and isinstance(arg.value, cst.Name)
            and arg.value.value == variable.value
        ]
        if len(uses) != 1:
            return False
        scope = self.get_metadata(ScopeProvider, variable, None)
        if scope is None:
            return False
        assignments = list(scope.assignments[variable.value])
        if len(assignments) != 1:
            return False
        references = list(assignments[0].references)
        argument = keyword(uses[0], "transport")
        return (
            len(references) == 1 and argument is not None and (references[0].node is argument.value)
        )

    def leave_IndentedBlock(
        self, original_node: cst.IndentedBlock, updated_node: cst.IndentedBlock
    ) -> cst.IndentedBlock:
        if not any(s in self.planned_pairs for s in original_node.body):
            return updated_node
        body: list[cst.BaseStatement] = []
        originals = list(original_node.body)
        for index, (statement, new) in enumerate(zip(originals, updated_node.body, strict=True)):
            line = self.planned_pairs.get(statement) if isinstance(statement, cst.With) else None
            if (
                isinstance(statement, cst.With)
                and line is not None
                and originals[index - 1] is line
            ):
                # The assignment line just before moves inside the manager block.
                body[-1] = self._wrap_pair(body[-1], new, statement)
            else:
                body.append(new)
        return updated_node.with_changes(body=body)

    def _wrap_pair(
        self, line: cst.BaseStatement, statement: cst.BaseStatement, original: cst.With
    ) -> cst.BaseStatement:
        assert isinstance(line, cst.SimpleStatementLine) and isinstance(statement, cst.With)
        assign = line.body[0]
        assert isinstance(assign, cst.Assign) and isinstance(assign.value, cst.Call)
        transport = assign.value
        app_arg = keyword(transport, "app")
        assert app_arg is not None
        manager = self._manager_name()
        new_transport = transport.with_changes(
            args=[
                a.with_changes(value=cst.parse_expression(f"{manager}.app")) if a is app_arg else a
                for a in transport.args
            ]
        )
        inner_line = line.with_changes(
            body=[assign.with_changes(value=new_transport)], leading_lines=[]
        )
        return self._outer(
            app_arg.value,
            manager,
            [inner_line, statement.with_changes(leading_lines=statement.leading_lines)],
            line.leading_lines,
            original,
        )

    def _outer(
        self,
        app: cst.BaseExpression,
        manager: str,
        body: Sequence[cst.BaseStatement],
        leading_lines: Sequence[cst.EmptyLine],
        original: cst.With,
    ) -> cst.With:
        where = self._lifespan_app(app)
        self.add_import("asgi_lifespan", "LifespanManager")
        self.changed(
            original,
            f"client wrapped in LifespanManager: the app has startup handlers ({where}) and "
            "ASGITransport never runs them",
        )
        self.review(
            original,
            "the app's lifespan now runs in this client (asgi_lifespan.LifespanManager): add "
            "asgi-lifespan to the test requirements, and drop any startup the test did by hand",
        )
        return cst.With(
            asynchronous=cst.Asynchronous(),
            items=[
                cst.WithItem(
                    item=cst.Call(func=cst.Name("LifespanManager"), args=[cst.Arg(value=app)]),
                    asname=cst.AsName(name=cst.Name(manager)),
                )
            ],
            body=cst.IndentedBlock(body=list(body)),
            leading_lines=list(leading_lines),
        )

    # --- ``async with AsyncClient(transport=ASGITransport(app=app))`` ----------------------

    def _enters_manager(self, node: cst.With) -> bool:
        return any(
            isinstance(item.item, cst.Call) and self.is_name(item.item.func, LIFESPAN_MANAGER)
            for item in node.items
        )

    def visit_With(self, node: cst.With) -> None:
        if self._enters_manager(node):
            self.inside_manager += 1
            return
        if node.asynchronous is None or self.inside_manager:
            return
        wrapped = [
            (index, transport)
            for index, item in enumerate(node.items)
            if (transport := self._client_transport(item.item)) is not None
            and self._lifespan_app(_app_of(transport)) is not None
        ]
        if len(wrapped) == 1:
            self.planned[node] = wrapped[0]
            self.handled.add(wrapped[0][1])
        elif len(wrapped) > 1:
            self.handled |= {t for _, t in wrapped}
            self.review(
                node,
                "several ASGITransport clients of apps with a lifespan in one async with: "
                "wrap each app in asgi_lifespan.LifespanManager by hand",
            )

    def leave_With(self, original_node: cst.With, updated_node: cst.With) -> cst.BaseStatement:
        if self._enters_manager(original_node):
            self.inside_manager -= 1
            return updated_node
        plan = self.planned.get(original_node)
        if plan is None:
            return updated_node
        index, transport = plan
        app = _app_of(transport)
        manager = self._manager_name()

        # Point the transport at manager.app inside the (possibly already rewritten) item.
        item = updated_node.items[index]
        client = item.item
        assert isinstance(client, cst.Call)
        transport_arg = keyword(client, "transport")
        assert transport_arg is not None and isinstance(transport_arg.value, cst.Call)
        new_transport = transport_arg.value.with_changes(
            args=[
                a.with_changes(value=cst.parse_expression(f"{manager}.app"))
                if a.keyword is not None and a.keyword.value == "app"
                else a
                for a in transport_arg.value.args
            ]
        )
        new_client = client.with_changes(
            args=[
                a.with_changes(value=new_transport) if a is transport_arg else a
                for a in client.args
            ]
        )
        items = list(updated_node.items)
        items[index] = item.with_changes(item=new_client)
        inner = updated_node.with_changes(items=items, leading_lines=[])
        return self._outer(app, manager, [inner], updated_node.leading_lines, original_node)

    def leave_Call(self, original_node: cst.Call, updated_node: cst.Call) -> cst.BaseExpression:
        if original_node in self.handled or self.inside_manager:
            return updated_node
        app = self._transport_app(original_node)
        if app is None:
            return updated_node
        where = self._lifespan_app(app.value)
        if where is not None:
            self.review(
                original_node,
                f"ASGITransport for an app with startup handlers ({where}) outside an "
                "async with statement: httpx never runs them; enter "
                "asgi_lifespan.LifespanManager(app) around the client and pass manager.app",
            )
        return updated_node

    def _manager_name(self) -> str:
        for candidate in ("manager", "lifespan_manager", "asgi_manager"):
            if candidate not in self.bound_names:
                return candidate
        return "lifespan_manager_"


def _app_of(transport: cst.Call) -> cst.BaseExpression:
    app = keyword(transport, "app")
    assert app is not None
    return app.value
