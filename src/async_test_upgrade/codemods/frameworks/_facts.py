"""The frameworks family's fact recognisers: what the ``ast`` index (``indexer.py``) asks
of ASGI apps with startup and shutdown handlers, fixtures building Starlette's
``TestClient``, and aiohttp app factories taking the loop.

Pure functions of syntax: they import nothing of the project's model, so the index can
call them without the model depending on the family.
"""

from __future__ import annotations

import ast
from collections.abc import Callable, Iterator

#: Resolves a name or attribute chain through the module's imports (``FileIndexer.qualify``).
Qualify = Callable[[ast.expr], str | None]

#: The classes whose ``lifespan=`` / ``on_startup=`` / ``on_shutdown=`` give an ASGI app
#: startup and shutdown handlers.
ASGI_APP_CLASSES = frozenset(
    {
        "fastapi.FastAPI",
        "fastapi.applications.FastAPI",
        "starlette.applications.Starlette",
        "starlette.Starlette",
    }
)
LIFESPAN_KEYWORDS = ("lifespan", "on_startup", "on_shutdown")
#: Starlette's synchronous test client (FastAPI re-exports it).
TEST_CLIENT_CLASSES = frozenset(
    {"starlette.testclient.TestClient", "fastapi.testclient.TestClient"}
)
#: pytest-aiohttp's client fixtures, called with the app (or its factory).
CLIENT_FIXTURES = ("test_client", "aiohttp_client")
_EVENTS = ("startup", "shutdown")


def lifespan_keyword(node: ast.Assign, qualify: Qualify) -> str | None:
    """The first of :data:`LIFESPAN_KEYWORDS` in ``app = FastAPI(lifespan=...)``."""
    if not isinstance(node.value, ast.Call) or qualify(node.value.func) not in ASGI_APP_CLASSES:
        return None
    given = [k.arg for k in node.value.keywords if k.arg in LIFESPAN_KEYWORDS]
    return given[0] if given else None


def startup_decorators(
    node: ast.FunctionDef | ast.AsyncFunctionDef,
) -> Iterator[tuple[str, str, int]]:
    """(app, event, line) of each ``@app.on_event("startup")`` (or ``"shutdown"``)
    decorator of a handler, ``app`` as the local name it is spelt with."""
    for decorator in node.decorator_list:
        if (
            isinstance(decorator, ast.Call)
            and isinstance(decorator.func, ast.Attribute)
            and decorator.func.attr == "on_event"
            and isinstance(decorator.func.value, ast.Name)
            and decorator.args
            and isinstance(decorator.args[0], ast.Constant)
            and decorator.args[0].value in _EVENTS
        ):
            yield decorator.func.value.id, decorator.args[0].value, decorator.lineno


def event_handler_registration(call: ast.expr) -> tuple[str, str] | None:
    """(app, event) of ``app.add_event_handler("startup", handler)`` (or shutdown)."""
    if (
        isinstance(call, ast.Call)
        and isinstance(call.func, ast.Attribute)
        and call.func.attr == "add_event_handler"
        and isinstance(call.func.value, ast.Name)
        and call.args
        and isinstance(call.args[0], ast.Constant)
        and call.args[0].value in _EVENTS
    ):
        return call.func.value.id, call.args[0].value
    return None


def testclient_call(
    node: ast.FunctionDef | ast.AsyncFunctionDef, qualify: Qualify
) -> ast.Call | None:
    """The first call in the body of ``node`` that builds a Starlette ``TestClient``."""
    for statement in node.body:
        for call in ast.walk(statement):
            if isinstance(call, ast.Call) and qualify(call.func) in TEST_CLIENT_CLASSES:
                return call
    return None


def loop_factory_kind(node: ast.FunctionDef | ast.AsyncFunctionDef) -> str | None:
    """For a function whose first parameter is ``loop`` (an aiohttp app factory of the
    ``aiohttp_client(create_app)`` era): "unused" (never read in the body), "optional"
    (has a default) or "required"; None for any other function."""
    positional = [*node.args.posonlyargs, *node.args.args]
    if not positional or positional[0].arg != "loop":
        return None
    defaults_from = len(positional) - len(node.args.defaults)
    used = any(
        isinstance(n, ast.Name) and n.id == "loop"
        for statement in node.body
        for n in ast.walk(statement)
    )
    return "optional" if defaults_from <= 0 else "required" if used else "unused"


def factory_handed_to_client(node: ast.Call) -> ast.Name | None:
    """The app factory in ``test_client(create_app)`` / ``aiohttp_client(create_app)``."""
    if (
        node.args
        and isinstance(node.func, ast.Name)
        and node.func.id in CLIENT_FIXTURES
        and isinstance(node.args[0], ast.Name)
    ):
        return node.args[0]
    return None
