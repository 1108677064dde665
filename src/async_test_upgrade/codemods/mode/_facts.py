"""The mode family's fact recognisers: what the ``ast`` index (``indexer.py``) asks of a
conftest's ``pytest_pyfunc_call`` hook.

Pure functions of syntax: they import nothing of the project's model, so the index can
call them without the model depending on the family.
"""

from __future__ import annotations

import ast

from async_test_upgrade.syntax import dotted


def runs_coroutines(node: ast.FunctionDef | ast.AsyncFunctionDef) -> bool:
    """A hook body that checks for coroutine functions or drives a loop itself."""
    words = ("iscoroutinefunction", "run_until_complete")
    for child in ast.walk(node):
        if isinstance(child, ast.Name) and child.id in words:
            return True
        if isinstance(child, ast.Attribute) and (
            child.attr in words or dotted(child) == "asyncio.run"
        ):
            return True
    return False
