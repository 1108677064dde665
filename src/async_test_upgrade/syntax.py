"""Questions about Python syntax that the ``ast`` index and the families' fact
recognisers share, answered once."""

from __future__ import annotations

import ast


def dotted(node: ast.expr | None) -> str | None:
    """``a.b.c`` for a name or an attribute chain of names, else None."""
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        base = dotted(node.value)
        return None if base is None else f"{base}.{node.attr}"
    return None


def without_docstring(body: list[ast.stmt]) -> list[ast.stmt]:
    """``body`` past a leading docstring (any constant expression statement)."""
    if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
        return body[1:]
    return list(body)
