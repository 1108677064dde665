"""The mocks family's fact recognisers: what the ``ast`` index (``indexer.py``) asks of
Future helpers, project ``AsyncMock`` look-alikes, asynctest test case subclasses and
version-switched mock imports.

Pure functions of syntax: they import nothing of the project's model, so the index can
call them without the model depending on the family.
"""

from __future__ import annotations

import ast

from async_test_upgrade.syntax import dotted

#: The names a project gives its own ``AsyncMock`` stand-in.
ASYNCMOCK_LOOK_ALIKE_NAMES = ("AsyncMock", "CoroMock", "CoroutineMock")


def is_asyncmock_look_alike(node: ast.ClassDef, bases: tuple[str, ...]) -> bool:
    """``class AsyncMock(MagicMock)`` (or ``CoroMock``, ``CoroutineMock``) on a Mock base."""
    return node.name in ASYNCMOCK_LOOK_ALIKE_NAMES and any(
        b.endswith(("MagicMock", "Mock")) for b in bases
    )


def mock_shim_exports(
    module: ast.Module, statement: ast.stmt
) -> tuple[tuple[str, ...], tuple[str, ...]] | None:
    """For a version-switched mock import at the top of ``module``: the ``unittest.mock``
    names it re-exports (bound nowhere else in the module), and those of them that were
    asynctest's ``CoroutineMock`` on the legacy Python; None for any other statement."""
    shim = mock_shim(statement)
    if shim is None:
        return None
    others = _bound_names([s for s in module.body if s is not statement])
    names = tuple(sorted(set(_stdlib_mock_names(shim[0])) - others))
    legacy = _coroutine_mock_aliases(shim[1])
    return names, tuple(sorted(set(names) & legacy))


def future_helper_outcome(node: ast.FunctionDef | ast.AsyncFunctionDef) -> str | None:
    """``"result"``/``"exception"`` for ``def h(x): f = Future(); f.set_result(x); return f``."""
    params = node.args.args
    body = list(node.body)
    if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
        body = body[1:]  # a docstring
    if len(params) != 1 or len(body) != 3 or node.args.kwonlyargs:
        return None
    create, resolve, ret = body
    if not (
        isinstance(create, ast.Assign)
        and len(create.targets) == 1
        and isinstance(create.targets[0], ast.Name)
        and isinstance(create.value, ast.Call)
    ):
        return None
    maker = create.value.func
    made_by = maker.attr if isinstance(maker, ast.Attribute) else getattr(maker, "id", "")
    if made_by not in ("Future", "create_future"):
        return None
    name = create.targets[0].id
    if not (
        isinstance(resolve, ast.Expr)
        and isinstance(resolve.value, ast.Call)
        and isinstance(resolve.value.func, ast.Attribute)
        and dotted(resolve.value.func.value) == name
        and resolve.value.func.attr in ("set_result", "set_exception")
        and len(resolve.value.args) == 1
        and isinstance(resolve.value.args[0], ast.Name)
        and resolve.value.args[0].id == params[0].arg
    ):
        return None
    if not (isinstance(ret, ast.Return) and ret.value is not None and dotted(ret.value) == name):
        return None
    return "result" if resolve.value.func.attr == "set_result" else "exception"


_STDLIB_MOCK_BASES = frozenset(
    {"unittest.mock.MagicMock", "unittest.mock.Mock", "mock.MagicMock", "mock.Mock"}
)


#: asynctest.TestCase internals a subclass may override; IsolatedAsyncioTestCase has none.
ASYNCTEST_MACHINERY = frozenset(
    {
        "run",
        "debug",
        "doCleanups",
        "_init_loop",
        "_unset_loop",
        "_patch_loop",
        "_setUp",
        "_tearDown",
        "_run_test_method",
        "loop",
    }
)


def blocks_asynctest_conversion(node: ast.ClassDef) -> bool:
    """A class that cannot leave asynctest.TestCase as it is: it overrides the machinery
    (``run``, ``_init_loop``...) or assigns ``self.loop``. Reading ``self.loop`` does not
    block: in a coroutine it is the running loop, in sync code the current one."""
    for statement in node.body:
        if (
            isinstance(statement, ast.FunctionDef | ast.AsyncFunctionDef)
            and statement.name in ASYNCTEST_MACHINERY
        ):
            return True
    return any(_assigns_self_loop(statement) for statement in node.body)


def _assigns_self_loop(node: ast.AST) -> bool:
    if isinstance(node, ast.ClassDef):
        return False  # a nested class has its own self
    if (
        isinstance(node, ast.Attribute)
        and node.attr == "loop"
        and isinstance(node.value, ast.Name)
        and node.value.id == "self"
        and isinstance(node.ctx, ast.Store | ast.Del)
    ):
        return True
    return any(_assigns_self_loop(child) for child in ast.iter_child_nodes(node))


def is_plain_async_call_mock(node: ast.ClassDef, bases: tuple[str, ...]) -> bool:
    """``class AsyncMock(MagicMock)`` whose body (past a docstring) is only
    ``async def __call__(self, *args, **kwargs): return super().__call__(*args, **kwargs)``
    (``super(AsyncMock, self)`` too), with no decorators or keywords on the class."""
    if len(bases) != 1 or bases[0] not in _STDLIB_MOCK_BASES:
        return False
    if node.keywords or node.decorator_list:
        return False
    body = list(node.body)
    if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
        body = body[1:]
    if len(body) != 1 or not isinstance(body[0], ast.AsyncFunctionDef):
        return False
    method = body[0]
    args = method.args
    if (
        method.name != "__call__"
        or method.decorator_list
        or len(args.args) != 1
        or args.posonlyargs
        or args.kwonlyargs
        or args.vararg is None
        or args.kwarg is None
        or len(method.body) != 1
        or not isinstance(method.body[0], ast.Return)
    ):
        return False
    call = method.body[0].value
    if not (
        isinstance(call, ast.Call)
        and isinstance(call.func, ast.Attribute)
        and call.func.attr == "__call__"
        and isinstance(call.func.value, ast.Call)
        and isinstance(call.func.value.func, ast.Name)
        and call.func.value.func.id == "super"
    ):
        return False
    super_args = call.func.value.args
    if super_args and not (
        len(super_args) == 2
        and isinstance(super_args[0], ast.Name)
        and super_args[0].id == node.name
        and isinstance(super_args[1], ast.Name)
        and super_args[1].id == args.args[0].arg
    ):
        return False
    return (
        len(call.args) == 1
        and isinstance(call.args[0], ast.Starred)
        and isinstance(call.args[0].value, ast.Name)
        and call.args[0].value.id == args.vararg.arg
        and len(call.keywords) == 1
        and call.keywords[0].arg is None
        and isinstance(call.keywords[0].value, ast.Name)
        and call.keywords[0].value.id == args.kwarg.arg
    )


#: The Python the migrated suite runs on at the oldest.
TARGET_PYTHON = (3, 11)
_MOCK_BACKPORTS = ("asynctest", "asynctest.mock", "mock")


def _version_test(test: ast.expr) -> bool | None:
    """The value of ``sys.version_info <op> (3, N)`` (``sys.version_info[:2]`` too) on
    every Python from :data:`TARGET_PYTHON` on, or None when it is not such a test or
    depends on the version."""
    if not (isinstance(test, ast.Compare) and len(test.ops) == 1 and len(test.comparators) == 1):
        return None
    left, right = test.left, test.comparators[0]
    if isinstance(left, ast.Subscript):
        left = left.value
    if dotted(left) != "sys.version_info" or not isinstance(right, ast.Tuple):
        return None
    if not all(isinstance(e, ast.Constant) and isinstance(e.value, int) for e in right.elts):
        return None
    bound = tuple(e.value for e in right.elts)  # type: ignore[attr-defined]
    op = test.ops[0]
    oldest = TARGET_PYTHON[: len(bound)]
    if isinstance(op, ast.Lt | ast.LtE):
        # False for every version >= TARGET when the bound is below the oldest.
        return False if (bound < oldest or (isinstance(op, ast.Lt) and bound == oldest)) else None
    if isinstance(op, ast.Gt | ast.GtE):
        return True if (bound < oldest or (isinstance(op, ast.GtE) and bound == oldest)) else None
    return None


def _imports_from(statements: list[ast.stmt], modules: tuple[str, ...]) -> bool:
    return any(
        isinstance(s, ast.ImportFrom) and s.module in modules and not s.level for s in statements
    )


def _only_imports_and_aliases(statements: list[ast.stmt]) -> bool:
    return all(
        isinstance(s, ast.Import | ast.ImportFrom | ast.Pass)
        or (isinstance(s, ast.Assign) and isinstance(s.value, ast.Name | ast.Attribute))
        or (isinstance(s, ast.Expr) and isinstance(s.value, ast.Constant))
        for s in statements
    )


def mock_shim(statement: ast.stmt) -> tuple[list[ast.stmt], list[ast.stmt]] | None:
    """(live, dead) statements of a version-switched mock import: one branch imports from
    ``unittest.mock`` and is the one that runs on the target Python, the other imports
    the backport (asynctest, mock). Both hold only imports and aliases."""
    if isinstance(statement, ast.If):
        outcome = _version_test(statement.test)
        if outcome is None:
            return None
        live, dead = (
            (statement.body, statement.orelse)
            if outcome
            else (
                statement.orelse,
                statement.body,
            )
        )
    elif isinstance(statement, ast.Try):
        if statement.orelse or statement.finalbody or len(statement.handlers) != 1:
            return None
        caught = statement.handlers[0].type
        if dotted(caught) not in ("ImportError", "ModuleNotFoundError") if caught else True:
            return None
        live, dead = statement.body, statement.handlers[0].body
    else:
        return None
    if not (_imports_from(live, ("unittest.mock",)) and _imports_from(dead, _MOCK_BACKPORTS)):
        return None
    if not (_only_imports_and_aliases(live) and _only_imports_and_aliases(dead)):
        return None
    return live, dead


def _coroutine_mock_aliases(dead: list[ast.stmt]) -> set[str]:
    """Names the backport branch binds to asynctest's ``CoroutineMock``."""
    found: set[str] = set()
    for statement in dead:
        if isinstance(statement, ast.ImportFrom) and (statement.module or "").startswith(
            "asynctest"
        ):
            for alias in statement.names:
                if alias.name == "CoroutineMock":
                    found.add(alias.asname or alias.name)
        elif isinstance(statement, ast.Assign) and (dotted(statement.value) or "").endswith(
            "CoroutineMock"
        ):
            found.update(t.id for t in statement.targets if isinstance(t, ast.Name))
    return found


def _stdlib_mock_names(live: list[ast.stmt]) -> list[str]:
    """The public ``unittest.mock`` names the live branch binds, under their own name."""
    import unittest.mock  # imports asyncio: only paid where a shim is found

    names: list[str] = []
    for statement in live:
        if isinstance(statement, ast.ImportFrom) and statement.module == "unittest.mock":
            for alias in statement.names:
                if alias.name == "*":
                    names.extend(unittest.mock.__all__)
                elif alias.asname in (None, alias.name):
                    names.append(alias.name)
    return names


def _bound_names(statements: list[ast.stmt]) -> set[str]:
    """Names the module binds at top level in these statements (nested blocks included)."""
    bound: set[str] = set()
    for statement in statements:
        for node in ast.walk(statement):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
                bound.add(node.name)
            elif isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store):
                bound.add(node.id)
            elif isinstance(node, ast.alias):
                bound.add(node.asname or node.name.split(".")[0])
    return bound
