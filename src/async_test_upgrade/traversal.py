"""Several codemods in one traversal of a tree.

Run one after another, every codemod that may apply to a file costs a full visit of its
tree, each rebuilding it, and every codemod that changed something makes the next one
recompute the metadata it asks for. On a module of async tests, where most codemods'
triggers occur, that was about six visits per file. :class:`SharedTraversal` drives a
*round* of codemods through one visit instead: each sees every node in the same order as
alone, and ``leave`` hands the node from one codemod to the next, so the edits of one
round compose like sequential edits on different nodes. Where a member removes a node a
later member has entered (which, alone, that member would never have seen), the round
stops (:class:`UnsharedRoundError`) and its members run again one at a time: every
member gets ``leave`` for every node it entered, or the round is not shared.

Which codemods may share a round follows from the relations they declare: a codemod
that must see another's output (``after=``) never shares its round; it runs in a later
one, on the tree the earlier round produced (:func:`rounds`). Within a round, a codemod
does see what earlier members did to a node's children (it gets their ``updated_node``)
but reads metadata and ``original_node`` of the tree the round started from, as it would
have if it ran first.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import libcst as cst

from async_test_upgrade.cst import CodemodTransformer, CommentKeepingRemoval, has_field_hooks
from async_test_upgrade.registry import Codemod


def must_follow(catalogue: Iterable[Codemod]) -> dict[str, frozenset[str]]:
    """For each codemod, every codemod it runs after, directly or through others."""
    direct = {record.name: set(record.after) for record in catalogue}
    closure: dict[str, frozenset[str]] = {}

    def earlier(name: str) -> frozenset[str]:
        if name not in closure:
            found: set[str] = set()
            for other in direct.get(name, ()):
                found |= {other, *earlier(other)}
            closure[name] = frozenset(found)
        return closure[name]

    for name in direct:
        earlier(name)
    return closure


def rounds(
    records: Sequence[Codemod], follows: Mapping[str, frozenset[str]]
) -> list[list[Codemod]]:
    """``records`` (in pipeline order) cut into rounds that can each share a traversal:
    a record joins the current round unless it must run after one of its members."""
    grouped: list[list[Codemod]] = []
    for record in records:
        earlier = follows.get(record.name, frozenset())
        if grouped and not any(member.name in earlier for member in grouped[-1]):
            grouped[-1].append(record)
        else:
            grouped.append([record])
    return grouped


class UnsharedRoundError(Exception):
    """A member removed (or replaced by several) a node that a later member had entered:
    run alone after it, that member would never have seen the node, and its ``leave``
    (which keeps its counters balanced) can no longer be given faithfully. The round is
    run again one member at a time."""


class SharedTraversal(cst.CSTTransformer):
    """One traversal that runs ``members`` as if each visited the tree alone, in order."""

    def __init__(self, members: Sequence[CodemodTransformer]) -> None:
        super().__init__()
        self.members = list(members)
        # For each member: the node whose children it chose not to visit, while inside.
        self.skipping: list[cst.CSTNode | None] = [None] * len(self.members)
        self.hooked = [i for i, member in enumerate(self.members) if has_field_hooks(member)]

    def on_visit(self, node: cst.CSTNode) -> bool:
        skipping = self.skipping
        visiting = False
        for index, member in enumerate(self.members):
            if skipping[index] is not None:
                continue
            if member.on_visit(node):
                visiting = True
            else:
                skipping[index] = node
        return visiting

    def on_leave(  # type: ignore[override]
        self, original_node: cst.CSTNode, updated_node: cst.CSTNode
    ) -> Any:
        result: Any = updated_node
        gone = False
        for index, member in enumerate(self.members):
            skipped = self.skipping[index]
            if skipped is not None:
                if skipped is not original_node:
                    continue  # inside a subtree this member does not visit
                self.skipping[index] = None  # its own leave of that node still runs
            if gone:
                # This member entered the node an earlier one removed: it must see the
                # tree without the node, which only running it alone can give.
                raise UnsharedRoundError(type(original_node).__name__)
            result = member.on_leave(original_node, result)
            # A node a member removed (or is about to remove, keeping its comments) is
            # not there for the next members, as it would not be after that member ran.
            if isinstance(result, (cst.RemovalSentinel, cst.FlattenSentinel)) or (
                isinstance(member, CommentKeepingRemoval) and member.dropping(result)
            ):
                gone = True
        return result

    def on_visit_attribute(self, node: cst.CSTNode, attribute: str) -> None:
        for index in self.hooked:
            if self.skipping[index] is None:
                self.members[index].on_visit_attribute(node, attribute)

    def on_leave_attribute(self, original_node: cst.CSTNode, attribute: str) -> None:
        for index in self.hooked:
            if self.skipping[index] is None:
                self.members[index].on_leave_attribute(original_node, attribute)
