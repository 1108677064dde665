"""The event loop family's fact recognisers: what the ``ast`` index (``indexer.py``)
asks of an ``event_loop`` fixture's body and of a conftest's loop-scope hook.

Pure functions of syntax: they import nothing of the project's model, so the index can
call them without the model depending on the family.
"""

from __future__ import annotations

import ast
from collections.abc import Callable
from dataclasses import dataclass

from async_test_upgrade.syntax import dotted

#: Resolves a name or attribute chain through the module's imports (``FileIndexer.qualify``).
Qualify = Callable[[ast.expr], str | None]

#: Callables whose result is an event loop, by their last name.
_LOOP_MAKERS = ("new_event_loop", "get_event_loop", "get_running_loop", "get_loop", "Loop")


def makes_loop(node: ast.FunctionDef | ast.AsyncFunctionDef) -> bool:
    """Whether the fixture body calls anything that makes or fetches an event loop."""
    for child in ast.walk(node):
        if not isinstance(child, ast.Call):
            continue
        func = child.func
        last = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
        if last in _LOOP_MAKERS or last.endswith("EventLoop") or last == "Runner":
            return True
    return False


@dataclass(frozen=True)
class LoopBody:
    #: The call that makes the loop; None for a wrapper of pytest-asyncio's own fixture.
    maker: ast.Call | None
    #: The body switches the loop's debug mode on (``loop.set_debug(True)``).
    debug: bool


def loop_body(node: ast.FunctionDef | ast.AsyncFunctionDef) -> LoopBody | None:
    """The shape of an ``event_loop`` fixture that only makes, hands out and closes a loop
    (perhaps in debug mode), else None. Accepted, after a docstring::

        loop = maker()                      # no arguments; or "get or make":
                                            #   try: loop = asyncio.get_running_loop()
                                            #   except RuntimeError: loop = maker()
        asyncio.set_event_loop(loop)        # optional, as is
        loop.set_debug(True)                # debug mode
        yield loop                          # or ``return loop``
        loop.run_until_complete(loop.shutdown_asyncgens())  # optional, as are
        loop.close()                        # these teardown lines
        asyncio.set_event_loop(None)

    the same with ``try: yield loop`` / ``finally:`` teardown, and the wrapper that only
    switches debug mode on in pytest-asyncio's own loop::

        def event_loop(event_loop):
            event_loop.set_debug(True)
            yield event_loop

    An unused ``request`` parameter is allowed: old pytest-asyncio's own fixture had one,
    so copies have it.
    """
    if isinstance(node, ast.AsyncFunctionDef) or node.args.kwonlyargs:
        return None
    if node.args.vararg or node.args.kwarg or node.args.posonlyargs:
        return None
    params = [a.arg for a in node.args.args]
    body = list(node.body)
    if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
        body = body[1:]
    if params == ["event_loop"]:
        wraps = (
            len(body) == 2
            and _is_set_debug(body[0], "event_loop")
            and _hands_out(body[1], "event_loop")
        )
        return LoopBody(None, True) if wraps else None
    if params not in ([], ["request"]):
        return None
    if params and any(isinstance(n, ast.Name) and n.id == "request" for n in ast.walk(node)):
        return None
    if not body:
        return None
    made = _made_loop(body.pop(0))
    if made is None:
        return None
    maker, name = made
    debug = False
    while body and (_is_set_event_loop(body[0], name) or _is_set_debug(body[0], name)):
        statement = body.pop(0)
        debug = debug or _is_set_debug(statement, name)
    if len(body) == 1 and isinstance(body[0], ast.Try):
        attempt = body[0]
        if attempt.handlers or attempt.orelse or len(attempt.body) != 1:
            return None
        body = [attempt.body[0], *attempt.finalbody]
    if not body or not _hands_out(body[0], name):
        return None
    if not all(_is_teardown(statement, name) for statement in body[1:]):
        return None
    return LoopBody(maker, debug)


def _loop_assignment(statement: ast.stmt, name: str | None = None) -> ast.Call | None:
    """The call of ``name = call()`` (no arguments; any single name when ``name`` is None)."""
    if (
        isinstance(statement, ast.Assign)
        and len(statement.targets) == 1
        and isinstance(statement.targets[0], ast.Name)
        and (name is None or statement.targets[0].id == name)
        and isinstance(statement.value, ast.Call)
        and not statement.value.args
        and not statement.value.keywords
    ):
        return statement.value
    return None


#: What the "get" half of a get-or-make ``try`` may call.
_RUNNING_LOOP_GETTERS = ("asyncio.get_running_loop", "asyncio.get_event_loop")


def _made_loop(statement: ast.stmt) -> tuple[ast.Call, str] | None:
    """The maker call and the loop's name of ``loop = maker()``, or of the get-or-make
    ``try: loop = asyncio.get_running_loop() / except RuntimeError: loop = maker()``."""
    call = _loop_assignment(statement)
    if call is not None:
        assert isinstance(statement, ast.Assign) and isinstance(statement.targets[0], ast.Name)
        return call, statement.targets[0].id
    if not isinstance(statement, ast.Try) or statement.orelse or statement.finalbody:
        return None
    if len(statement.body) != 1 or len(statement.handlers) != 1:
        return None
    getter = _loop_assignment(statement.body[0])
    if getter is None or dotted(getter.func) not in _RUNNING_LOOP_GETTERS:
        return None
    assert isinstance(statement.body[0], ast.Assign)
    name = statement.body[0].targets[0].id  # type: ignore[attr-defined]
    handler = statement.handlers[0]
    if handler.type is not None and dotted(handler.type) != "RuntimeError":
        return None
    if len(handler.body) != 1:
        return None
    maker = _loop_assignment(handler.body[0], name)
    return None if maker is None else (maker, name)


def _is_set_debug(statement: ast.stmt, name: str) -> bool:
    """``name.set_debug(True)``."""
    return (
        isinstance(statement, ast.Expr)
        and isinstance(statement.value, ast.Call)
        and dotted(statement.value.func) == f"{name}.set_debug"
        and len(statement.value.args) == 1
        and isinstance(statement.value.args[0], ast.Constant)
        and statement.value.args[0].value is True
        and not statement.value.keywords
    )


def _is_set_event_loop(statement: ast.stmt, name: str | None) -> bool:
    """``asyncio.set_event_loop(name)`` (``name`` None: ``set_event_loop(None)``)."""
    if not (isinstance(statement, ast.Expr) and isinstance(statement.value, ast.Call)):
        return False
    call = statement.value
    if dotted(call.func) not in ("asyncio.set_event_loop", "set_event_loop") or len(call.args) != 1:
        return False
    argument = call.args[0]
    if name is None:
        return isinstance(argument, ast.Constant) and argument.value is None
    return isinstance(argument, ast.Name) and argument.id == name


def _hands_out(statement: ast.stmt, name: str) -> bool:
    return (
        isinstance(statement, ast.Expr)
        and isinstance(statement.value, ast.Yield)
        and isinstance(statement.value.value, ast.Name)
        and statement.value.value.id == name
    ) or (
        isinstance(statement, ast.Return)
        and isinstance(statement.value, ast.Name)
        and statement.value.id == name
    )


def _is_teardown(statement: ast.stmt, name: str) -> bool:
    """``loop.close()``, ``asyncio.set_event_loop(None)``, or ``loop.run_until_complete(
    loop.shutdown_asyncgens())`` (or ``shutdown_default_executor()``)."""
    if _is_set_event_loop(statement, None):
        return True
    if not (isinstance(statement, ast.Expr) and isinstance(statement.value, ast.Call)):
        return False
    call = statement.value
    if dotted(call.func) == f"{name}.close" and not call.args and not call.keywords:
        return True
    if dotted(call.func) != f"{name}.run_until_complete" or len(call.args) != 1:
        return False
    inner = call.args[0]
    return (
        isinstance(inner, ast.Call)
        and not inner.args
        and dotted(inner.func)
        in (f"{name}.shutdown_asyncgens", f"{name}.shutdown_default_executor")
    )


def loop_body_maker(node: ast.FunctionDef | ast.AsyncFunctionDef) -> ast.expr | None:
    """The ``maker`` of a make/hand out/close body (see :func:`loop_body`)."""
    body = loop_body(node)
    return None if body is None or body.maker is None else body.maker.func


def is_plain_loop_body(node: ast.FunctionDef | ast.AsyncFunctionDef) -> bool:
    """A make/hand out/close body (see :func:`loop_body`) whose loop is asyncio's own:
    ``asyncio.new_event_loop()``, ``asyncio.get_event_loop_policy().new_event_loop()`` or
    ``asyncio.get_event_loop()``."""
    body = loop_body(node)
    if body is None:
        return False
    if body.maker is None:
        return True  # pytest-asyncio's own loop, wrapped
    call = body.maker
    maker = dotted(call.func) or ""
    if maker in ("asyncio.new_event_loop", "new_event_loop", "asyncio.get_event_loop"):
        return True
    # ``asyncio.get_event_loop_policy().new_event_loop`` is a Call inside an Attribute,
    # which dotted does not render; check it structurally.
    func = call.func
    return (
        isinstance(func, ast.Attribute)
        and func.attr == "new_event_loop"
        and isinstance(func.value, ast.Call)
        and not func.value.args
        and (dotted(func.value.func) or "")
        in ("asyncio.get_event_loop_policy", "get_event_loop_policy")
    )


def custom_loop_factory(
    node: ast.FunctionDef | ast.AsyncFunctionDef, qualify: Qualify
) -> str | None:
    """The qualified maker of a create/yield/close body whose loop is not asyncio's."""
    maker = loop_body_maker(node)
    if maker is None or is_plain_loop_body(node):
        return None
    return qualify(maker)


def loop_scope_hook(node: ast.FunctionDef | ast.AsyncFunctionDef, qualify: Qualify) -> str | None:
    """The loop scope of the documented hook that marks every async test, else None::

        def pytest_collection_modifyitems(items):
            pytest_asyncio_tests = (item for item in items if is_async_test(item))
            session_scope_marker = pytest.mark.asyncio(loop_scope="session")
            for async_test in pytest_asyncio_tests:
                async_test.add_marker(session_scope_marker, append=False)

    (names free, the two assignments in either order, a list comprehension allowed,
    ``scope=`` as in pytest-asyncio 0.23's version, a docstring allowed).
    """
    if node.name != "pytest_collection_modifyitems" or node.decorator_list:
        return None
    body = list(node.body)
    if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
        body = body[1:]
    if len(body) != 3 or not all(isinstance(s, ast.Assign) for s in body[:2]):
        return None
    selection: str | None = None
    marker: tuple[str, str] | None = None
    for statement in body[:2]:
        assert isinstance(statement, ast.Assign)
        if len(statement.targets) != 1 or not isinstance(statement.targets[0], ast.Name):
            return None
        target = statement.targets[0].id
        if _selects_async_tests(statement.value, qualify):
            selection = target
        else:
            scope = _asyncio_mark_scope(statement.value, qualify)
            if scope is None:
                return None
            marker = (target, scope)
    loop = body[2]
    if selection is None or marker is None or not isinstance(loop, ast.For):
        return None
    if not (
        isinstance(loop.iter, ast.Name)
        and loop.iter.id == selection
        and isinstance(loop.target, ast.Name)
        and len(loop.body) == 1
        and not loop.orelse
        and isinstance(loop.body[0], ast.Expr)
    ):
        return None
    call = loop.body[0].value
    if not (
        isinstance(call, ast.Call)
        and isinstance(call.func, ast.Attribute)
        and call.func.attr == "add_marker"
        and isinstance(call.func.value, ast.Name)
        and call.func.value.id == loop.target.id
        and len(call.args) == 1
        and isinstance(call.args[0], ast.Name)
        and call.args[0].id == marker[0]
        and len(call.keywords) == 1
        and call.keywords[0].arg == "append"
        and isinstance(call.keywords[0].value, ast.Constant)
        and call.keywords[0].value.value is False
    ):
        return None
    return marker[1]


def _selects_async_tests(value: ast.expr, qualify: Qualify) -> bool:
    """``(item for item in items if is_async_test(item))`` (or a list of them)."""
    if not isinstance(value, ast.GeneratorExp | ast.ListComp) or len(value.generators) != 1:
        return False
    generator = value.generators[0]
    if not (
        isinstance(value.elt, ast.Name)
        and isinstance(generator.target, ast.Name)
        and generator.target.id == value.elt.id
        and isinstance(generator.iter, ast.Name)
        and generator.iter.id == "items"
        and len(generator.ifs) == 1
        and not generator.is_async
    ):
        return False
    test = generator.ifs[0]
    return (
        isinstance(test, ast.Call)
        and qualify(test.func) == "pytest_asyncio.is_async_test"
        and len(test.args) == 1
        and isinstance(test.args[0], ast.Name)
        and test.args[0].id == value.elt.id
        and not test.keywords
    )


def _asyncio_mark_scope(value: ast.expr, qualify: Qualify) -> str | None:
    """S for ``pytest.mark.asyncio(loop_scope="S")`` (or ``scope="S"``)."""
    if not (
        isinstance(value, ast.Call)
        and qualify(value.func) == "pytest.mark.asyncio"
        and not value.args
        and len(value.keywords) == 1
        and value.keywords[0].arg in ("loop_scope", "scope")
    ):
        return None
    given = value.keywords[0].value
    if isinstance(given, ast.Constant) and isinstance(given.value, str):
        return given.value
    return None
