"""Rendering a migration: unified diff, summary, JSON."""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterator
from typing import Any

from async_test_upgrade.engine import MigrationResult
from async_test_upgrade.files import decode_for_display, display_path
from async_test_upgrade.locations import unified_diff as text_diff
from async_test_upgrade.model import location


def unified_diff(result: MigrationResult) -> Iterator[str]:
    """The diff of every changed file, source and config alike, as lines."""
    pairs = [(o.relpath, o.old, o.new) for o in result.changed_files]
    if result.config_changed and result.config_path is not None:
        pairs.append(
            (
                display_path(result.config_path, result.root),
                result.config_old or b"",
                result.config_new or b"",
            )
        )
    for name, old, new in pairs:
        before = decode_for_display(old).splitlines(keepends=True) if old else []
        after = decode_for_display(new).splitlines(keepends=True)
        old_name = f"a/{name}" if old else "/dev/null"
        for line in text_diff(before, after, old_name, f"b/{name}"):
            yield line if line.endswith(("\n", "\r")) else line + "\n\\ No newline at end of file\n"


def not_rewritten_lines(result: MigrationResult) -> list[str]:
    """For ``-v``: each file given that was not rewritten, and why."""
    if not result.not_rewritten:
        return []
    return [
        "not rewritten:",
        *(f"  {path}: {why}" for path, why in sorted(result.not_rewritten.items())),
    ]


def summary_lines(result: MigrationResult, applied: bool) -> list[str]:
    files_changed = len(result.changed_files) + (1 if result.config_changed else 0)
    verb = "changed" if applied else "would change"
    reused = f", {result.files_cached} reused from the last run" if result.files_cached else ""
    lines = [
        f"{result.files_scanned} files scanned, {result.files_parsed} parsed{reused}, "
        f"{files_changed} {verb}"
    ]
    lines.extend(f"  ! {headline}" for headline in result.headlines)
    if result.out_of_scope:
        lines.append(
            f"  {result.out_of_scope} file(s) out of scope: not test code, read for facts, "
            "not rewritten (--include-source rewrites it)"
        )
    if result.excluded_files:
        lines.append(
            f"  {len(result.excluded_files)} file(s) excluded (--exclude): read for facts, "
            "not rewritten"
        )
    per_codemod = Counter(c.codemod for c in result.changes)
    for name, count in sorted(per_codemod.items()):
        lines.append(f"  {name}: {count} change{'s' if count != 1 else ''}")
    for skipped in result.skipped_for_target:
        lines.append(f"  skipped {skipped}")
    if result.errors:
        lines.append(f"{len(result.errors)} file(s) left alone:")
        lines.extend(f"  {e}" for e in result.errors)
    if result.notes:
        lines.append(f"{len(result.notes)} needing review:")
        lines.extend(f"  {n.render()}" for n in _sorted_notes(result))
    return lines


def change_lines(result: MigrationResult) -> list[str]:
    """Every change with its evidence (``--verbose``)."""
    return [
        f"  {location(c.path, c.line)}: {c.codemod}: {c.description}"
        for c in sorted(result.changes, key=lambda c: (c.path, c.line, c.codemod))
    ]


def _sorted_notes(result: MigrationResult) -> list[Any]:
    return sorted(result.notes, key=lambda n: (n.path, n.line, n.codemod, n.message))


def changed_paths(result: MigrationResult) -> list[str]:
    """Every file the migration rewrites (or would): sources, then the config."""
    paths = [o.relpath for o in result.changed_files]
    if result.config_changed and result.config_path is not None:
        paths.append(display_path(result.config_path, result.root))
    return paths


def to_json(result: MigrationResult, applied: bool) -> str:
    data = {
        "root": str(result.root),
        "applied": applied,
        "files_scanned": result.files_scanned,
        "files_parsed": result.files_parsed,
        "files_cached": result.files_cached,
        "files_out_of_scope": result.out_of_scope,
        "files_excluded": result.excluded_files,
        "headlines": result.headlines,
        "files_changed": changed_paths(result),
        "changes": [c.__dict__ for c in result.changes],
        "notes": [n.__dict__ for n in _sorted_notes(result)],
        "errors": result.errors,
        "skipped": result.skipped_for_target,
        "timings": result.timings,
    }
    return json.dumps(data, indent=2)


def to_markdown(result: MigrationResult, applied: bool) -> str:
    """The summary as Markdown, to paste into a pull request: what changed per codemod,
    the decisions to look at first, every note linked as ``path#Lline``, the files left
    alone, and the plugin versions the result needs."""
    from async_test_upgrade import registry

    changed = changed_paths(result)
    verb = "changed" if applied else "would change"
    out = [
        "## async-test-upgrade",
        "",
        f"{result.files_scanned} files scanned, {result.files_parsed} parsed, "
        f"{len(changed)} {verb}.",
        "",
    ]
    if result.headlines:
        out += ["**Look at these first:**", ""]
        out += [f"- {_md(h)}" for h in result.headlines] + [""]
    per_codemod = Counter(c.codemod for c in result.changes)
    if per_codemod:
        records = registry.by_name()
        out += ["| codemod | changes | safety |", "|---|---:|---|"]
        for name, count in sorted(per_codemod.items()):
            safety = records[name].safety if name in records else ""
            out.append(f"| `{name}` | {count} | {safety} |")
        out.append("")
    if changed:
        out += [f"<details><summary>{len(changed)} file(s) {verb}</summary>", ""]
        out += [f"- `{path}`" for path in changed] + ["", "</details>", ""]
    if result.notes:
        out += [f"### {len(result.notes)} needing review", ""]
        for note in _sorted_notes(result):
            anchor = f"{note.path}#L{note.line}" if note.line else note.path
            out.append(
                f"- [`{location(note.path, note.line)}`]({anchor}) `{note.codemod}`: "
                f"{_md(note.message)}"
            )
        out.append("")
    if result.errors:
        out += [f"### {len(result.errors)} file(s) left alone", ""]
        out += [f"- {_md(error)}" for error in result.errors] + [""]
    needs = _needs(result)
    if needs:
        out += ["### The migrated suite needs", ""]
        out += [f"- {name} >= {version}" for name, version in needs] + [""]
    return "\n".join(out)


def _needs(result: MigrationResult) -> list[tuple[str, str]]:
    """The oldest versions the applied codemods' output needs, per distribution."""
    from async_test_upgrade import registry

    records = registry.by_name()
    found: dict[str, tuple[int, int]] = {}
    for name in {c.codemod for c in result.changes}:
        record = records.get(name)
        if record is None:
            continue
        for distribution, version in record.output_needs().items():
            found[distribution] = max(found.get(distribution, (0, 0)), version)
    return [(d, f"{v[0]}.{v[1]}") for d, v in sorted(found.items())]


def _md(text: str) -> str:
    """Plain text safe inside a Markdown list item or table cell."""
    return text.replace("|", "\\|").replace("<", "&lt;").replace("\n", " ")
