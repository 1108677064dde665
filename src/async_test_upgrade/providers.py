"""Cheaper stand-ins for two LibCST metadata providers, with the same answers.

* :class:`ParentProvider` maps every node to its parent, like ``ParentNodeProvider``,
  in one plain visit. LibCST's asks every node for its ``children``, and each such call
  rebuilds the node: three times the cost.
* :func:`code_and_lines` gives the line ``PositionProvider`` gives as ``start.line``,
  from one code generation that only counts newlines (the full provider builds two
  position objects for every node of the file); :class:`SourceView` keeps it per tree.

A codemod that needs columns or end positions still declares ``PositionProvider``.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

import libcst as cst
from libcst._nodes.internal import CodegenState
from libcst.metadata import BaseMetadataProvider

_NEWLINE = re.compile(r"\r\n?|\n")


class _Parents(cst.CSTVisitor):
    def __init__(self, computed: dict[cst.CSTNode, cst.CSTNode]) -> None:
        super().__init__()
        self.computed = computed
        self.stack: list[cst.CSTNode] = []

    def on_visit(self, node: cst.CSTNode) -> bool:
        if self.stack:
            self.computed[node] = self.stack[-1]
        self.stack.append(node)
        return True

    def on_leave(self, original_node: cst.CSTNode) -> None:
        self.stack.pop()

    def on_visit_attribute(self, node: cst.CSTNode, attribute: str) -> None:
        pass  # no field hooks: skip LibCST's lookup of one per field

    def on_leave_attribute(self, original_node: cst.CSTNode, attribute: str) -> None:
        pass


def parent_map(root: cst.CSTNode) -> dict[cst.CSTNode, cst.CSTNode]:
    """Every node under ``root`` mapped to its parent (``root`` itself has none)."""
    computed: dict[cst.CSTNode, cst.CSTNode] = {}
    root.visit(_Parents(computed))
    return computed


class ParentProvider(BaseMetadataProvider[cst.CSTNode]):
    """Every node's parent (the module has none)."""

    def _gen_impl(self, module: cst.Module) -> None:
        self._computed = parent_map(module)  # type: ignore[assignment]


@dataclass
class _LineCountingState(CodegenState):
    lines: dict[cst.CSTNode, int] = field(default_factory=dict)
    line: int = 1
    starts: list[int] = field(default_factory=list)

    def add_token(self, value: str) -> None:
        self.tokens.append(value)
        if "\n" in value or "\r" in value:
            self.line += len(_NEWLINE.findall(value))

    def before_codegen(self, node: cst.CSTNode) -> None:
        self.starts.append(self.line)

    def after_codegen(self, node: cst.CSTNode) -> None:
        start = self.starts.pop()
        # A syntactic start (after the node's leading blank lines and comments) was
        # recorded while the node's code was generated; it wins.
        self.lines.setdefault(node, start)

    @contextmanager
    def record_syntactic_position(
        self,
        node: cst.CSTNode,
        *,
        start_node: cst.CSTNode | None = None,
        end_node: cst.CSTNode | None = None,
    ) -> Iterator[None]:
        start = self.line
        try:
            yield
        finally:
            self.lines[node] = self.lines[start_node] if start_node is not None else start


def code_and_lines(module: cst.Module) -> tuple[str, dict[cst.CSTNode, int]]:
    """The module's code and the line each of its nodes starts on, in one pass."""
    state = _LineCountingState(
        default_indent=module.default_indent, default_newline=module.default_newline
    )
    module._codegen(state)
    return "".join(state.tokens), state.lines


class SourceView:
    """One version of a module's tree as text: its code and its nodes' lines, computed
    together on first use (codemods need lines as soon as they rewrite anything, and
    the name resolver needs the code)."""

    def __init__(self, module: cst.Module) -> None:
        self.module = module
        self._code: str | None = None
        self._lines: dict[cst.CSTNode, int] = {}

    def _compute(self) -> None:
        self._code, self._lines = code_and_lines(self.module)

    @property
    def code(self) -> str:
        if self._code is None:
            self._compute()
        assert self._code is not None
        return self._code

    def line(self, node: cst.CSTNode) -> int:
        """The line ``node`` starts on, 0 for a node of another version."""
        if self._code is None:
            self._compute()
        return self._lines.get(node, 0)
