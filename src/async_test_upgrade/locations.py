"""Lines of a rewritten tree, told as the lines of the file on disk.

Codemods run in rounds; a round after the first sees a tree that earlier rounds
rewrote, and reports lines of that tree. The user has the file as it was, so every
line is mapped back, through a line diff of the two texts.

The diff must cost about the size of the file, whatever its shape: a generated test
module of several megabytes repeats the same few lines (blank lines, one decorator,
one ``await``) thousands of times, where a general longest-match diff is quadratic
or worse. So the two texts are matched by anchors first (lines that occur exactly
once on each side, kept in the order they appear on both, as patience sorting finds
them), the equal heads and tails of every stretch between two anchors are matched
line by line, and only a small stretch that is left is given to ``difflib``.
"""

from __future__ import annotations

import bisect
import dataclasses
import difflib
from collections.abc import Callable, Sequence

from async_test_upgrade.model import FileResult

#: Stretches (lines before x lines after) up to this size are matched by difflib: small
#: enough that its cost does not count, large enough that the files of a usual test
#: suite are matched by it whole.
SMALL_WINDOW = 40_000

#: A matched run of lines: start in the old text, start in the new, length.
Block = tuple[int, int, int]


def original_lines(before: str, after: str) -> list[int]:
    """For each line of ``after`` (index 0 = line 1), the line of ``before`` it was: its
    own for an unchanged line, the first line of the code it replaced for a rewritten
    one, the line after the insertion point for an inserted one. The last entry (one
    past the end) is the last line of ``before``."""
    old = before.splitlines()
    new = after.splitlines()
    last = max(1, len(old))
    mapped = [0] * (len(new) + 1)
    i = j = 0  # the ends of the previous matched block
    for start_old, start_new, size in [*matching_blocks(old, new), (len(old), len(new), 0)]:
        # Lines of ``new`` between two matched blocks replace (or are inserted before)
        # the old lines from ``i`` on.
        line = min(i + 1, last)
        for k in range(j, start_new):
            mapped[k] = line
        for k in range(size):
            mapped[start_new + k] = min(start_old + k + 1, last)
        i, j = start_old + size, start_new + size
    mapped[len(new)] = last
    return mapped


def matching_blocks(old: Sequence[str], new: Sequence[str]) -> list[Block]:
    """Matched runs of equal lines, in order on both sides, adjacent runs merged."""
    blocks: list[Block] = []
    # A stack of work, last first: ("window", lo_old, hi_old, lo_new, hi_new) to match,
    # or ("block", i, j, n) to emit; it keeps the output in order without recursion.
    stack: list[tuple[int, ...]] = [(0, 0, len(old), 0, len(new))]
    while stack:
        item = stack.pop()
        if item[0] == 1:
            _add(blocks, item[1], item[2], item[3])
            continue
        _, alo, ahi, blo, bhi = item
        later: list[tuple[int, ...]] = []
        if (ahi - alo) * (bhi - blo) <= SMALL_WINDOW:
            matcher = difflib.SequenceMatcher(None, old[alo:ahi], new[blo:bhi], autojunk=False)
            later.extend(
                (1, alo + i, blo + j, n) for i, j, n in reversed(matcher.get_matching_blocks()) if n
            )
            stack.extend(later)
            continue
        # Equal heads and tails.
        head = 0
        while alo + head < ahi and blo + head < bhi and old[alo + head] == new[blo + head]:
            head += 1
        tail = 0
        while (
            ahi - tail > alo + head
            and bhi - tail > blo + head
            and old[ahi - tail - 1] == new[bhi - tail - 1]
        ):
            tail += 1
        if head:
            _add(blocks, alo, blo, head)
        if tail:
            later.append((1, ahi - tail, bhi - tail, tail))
        a1, a2, b1, b2 = alo + head, ahi - tail, blo + head, bhi - tail
        if a1 < a2 and b1 < b2:
            later.extend(_split_at_anchors(old, new, a1, a2, b1, b2))
        stack.extend(later)
    return blocks


def _split_at_anchors(
    old: Sequence[str], new: Sequence[str], a1: int, a2: int, b1: int, b2: int
) -> list[tuple[int, ...]]:
    """The work for one large stretch, last first: the lines unique on both sides, in an
    order both sides agree on (the longest such run), and the stretches between them.
    Nothing when no line is unique on both sides: the stretch is left unmatched (every
    new line there counts as rewritten)."""
    seen_old: dict[str, int] = {}
    for i in range(a1, a2):
        line = old[i]
        seen_old[line] = -1 if line in seen_old else i
    seen_new: dict[str, int] = {}
    for j in range(b1, b2):
        line = new[j]
        if line in seen_old and seen_old[line] >= 0:
            seen_new[line] = -1 if line in seen_new else j
    pairs = sorted(
        (seen_old[line], j) for line, j in seen_new.items() if j >= 0 and seen_old[line] >= 0
    )
    anchors = _longest_increasing(pairs)
    if not anchors:
        return []
    work: list[tuple[int, ...]] = []
    prev_i, prev_j = a1, b1
    for i, j in anchors:
        work.append((0, prev_i, i, prev_j, j))
        work.append((1, i, j, 1))
        prev_i, prev_j = i + 1, j + 1
    work.append((0, prev_i, a2, prev_j, b2))
    work.reverse()
    return work


def _longest_increasing(pairs: Sequence[tuple[int, int]]) -> list[tuple[int, int]]:
    """The longest run of ``pairs`` (sorted by their first member) whose second members
    increase too: patience sorting, n log n."""
    tops: list[int] = []  # per pile, the second member on top
    top_index: list[int] = []  # per pile, the index in ``pairs`` on top
    back: list[int] = [-1] * len(pairs)
    for index, (_, j) in enumerate(pairs):
        pile = bisect.bisect_left(tops, j)
        if pile:
            back[index] = top_index[pile - 1]
        if pile == len(tops):
            tops.append(j)
            top_index.append(index)
        else:
            tops[pile] = j
            top_index[pile] = index
    run: list[tuple[int, int]] = []
    index = top_index[-1] if top_index else -1
    while index >= 0:
        run.append(pairs[index])
        index = back[index]
    run.reverse()
    return run


def _add(blocks: list[Block], i: int, j: int, n: int) -> None:
    if blocks:
        pi, pj, pn = blocks[-1]
        if pi + pn == i and pj + pn == j:
            blocks[-1] = (pi, pj, pn + n)
            return
    blocks.append((i, j, n))


def to_disk_lines(result: FileResult, since: tuple[int, int, int], lines: list[int]) -> None:
    """Give the notes and changes reported from ``since`` on the lines of the file on disk."""

    def disk(line: int) -> int:
        return lines[min(line, len(lines)) - 1] if line > 0 else line

    notes, changes, edits = since
    result.notes[notes:] = [dataclasses.replace(n, line=disk(n.line)) for n in result.notes[notes:]]
    result.changes[changes:] = [
        dataclasses.replace(c, line=disk(c.line)) for c in result.changes[changes:]
    ]
    result.config_edits[edits:] = [
        dataclasses.replace(e, origin=disk_origin(e.origin, disk))
        for e in result.config_edits[edits:]
    ]


def disk_origin(origin: str, disk: Callable[[int], int]) -> str:
    path, _, line = origin.rpartition(":")
    return f"{path}:{disk(int(line))}" if path and line.isdigit() else origin


#: Above this many (old lines x new lines), a diff is computed by anchors, not by difflib
#: (whose cost grows with the square of the size and more).
LARGE_DIFF = 4_000_000


def unified_diff(before: list[str], after: list[str], old_name: str, new_name: str) -> list[str]:
    """A unified diff with three lines of context, as ``difflib.unified_diff`` gives it;
    for large files, computed from anchors so that it costs about the files' size."""
    if len(before) * len(after) <= LARGE_DIFF:
        return list(difflib.unified_diff(before, after, old_name, new_name))
    matcher = difflib.SequenceMatcher(None, before, after, autojunk=False)
    # difflib's grouping over the anchored blocks: it uses the blocks it has computed.
    blocks = [difflib.Match(i, j, n) for i, j, n in matching_blocks(before, after)]
    matcher.matching_blocks = [*blocks, difflib.Match(len(before), len(after), 0)]  # type: ignore[attr-defined]
    lines: list[str] = []
    for group in matcher.get_grouped_opcodes(3):
        if not lines:
            lines += [f"--- {old_name}\n", f"+++ {new_name}\n"]
        first, last = group[0], group[-1]
        lines.append(f"@@ -{_range(first[1], last[2])} +{_range(first[3], last[4])} @@\n")
        for tag, i1, i2, j1, j2 in group:
            if tag == "equal":
                lines.extend(" " + line for line in before[i1:i2])
                continue
            lines.extend("-" + line for line in before[i1:i2])
            lines.extend("+" + line for line in after[j1:j2])
    return lines


def _range(start: int, stop: int) -> str:
    """A hunk's range as unified diffs write it: first line (1-based) and length."""
    length = stop - start
    if length == 1:
        return str(start + 1)
    return f"{start + 1 if length else start},{length}"
