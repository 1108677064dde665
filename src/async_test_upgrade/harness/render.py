"""The verify report as text: the runs, a before/after table, attribution, rollback."""

from __future__ import annotations

from collections.abc import Sequence

from async_test_upgrade.harness.attribution import Attribution
from async_test_upgrade.harness.compare import CATEGORIES
from async_test_upgrade.harness.runner import OUTCOMES, RunResult
from async_test_upgrade.harness.verify import VerifyReport

#: Up to this many tests the table lists every one; beyond, only the differences.
FULL_TABLE_LIMIT = 40
_LABELS = {"regression": "REGRESSION", "newly running": "NEWLY RUNNING"}


def run_line(name: str, run: RunResult, environment: str) -> str:
    counts = ", ".join(f"{run.count(o)} {o}" for o in OUTCOMES if run.count(o))
    pytest = f"pytest {run.pytest_version}" if run.pytest_version else "pytest"
    line = f"{name}: {pytest} on {environment}: {counts or 'no tests'} ({run.seconds:.1f}s)"
    if run.timed_out:
        where = f" in {run.hung_in}" if run.hung_in else ""
        line += f"\n  TIMED OUT{where}: the run was killed at the time limit"
    return line


def attribution_lines(attributions: Sequence[Attribution]) -> list[str]:
    """Each verdict with its evidence; tests with the very same verdict and evidence (a
    broken fixture fails all its tests alike) share one entry."""
    groups: dict[tuple[str, ...], list[str]] = {}
    for attribution in attributions:
        evidence = tuple(f"    - {e.describe()}" for e in attribution.evidence)
        groups.setdefault((attribution.headline(), *evidence), []).append(attribution.nodeid)
    lines = []
    for key, nodeids in groups.items():
        headline, evidence = key[0], key[1:]
        if len(nodeids) == 1:
            lines.append(f"  {nodeids[0]}: {headline}")
        else:
            lines.append(f"  {len(nodeids)} tests: {headline}")
            lines.extend(f"    {nodeid}" for nodeid in nodeids)
        lines.extend(evidence)
    return lines


def report_lines(report: VerifyReport, verbose: bool = False) -> list[str]:
    lines = []
    if report.changes:
        done = ", ".join(f"{name} ({count})" for name, count in report.changes.items())
        lines.append(f"migration: {len(report.changed_files)} file(s) changed by {done}")
    else:
        lines.append("migration: nothing to change")
    if report.review_notes:
        lines.append(f"  {report.review_notes} note(s) need review: see `migrate --diff` for them")
    lines.extend(f"  could not migrate: {error}" for error in report.migration_errors)
    if report.before is not None:
        lines.append(run_line("before", report.before, report.environments["before"]))
    else:
        lines.append("before: not run")
    if report.unmigrated is not None:
        lines.append(
            run_line("unmigrated, after side", report.unmigrated, report.environments["after"])
        )
    lines.append(run_line("after ", report.after, report.environments["after"]))
    lines.append("")
    rows = report.comparison.rows
    show_all = verbose or len(rows) <= FULL_TABLE_LIMIT
    shown = [r for r in rows if show_all or r.category != "unchanged"]
    if shown:
        width = max(len(r.nodeid) for r in shown)
        lines.append(f"{'test':<{width}}  {'before':<8}  {'after':<8}  result")
        for row in shown:
            label = _LABELS.get(row.category, row.category)
            detail = f"  ({row.detail})" if row.detail else ""
            lines.append(f"{row.nodeid:<{width}}  {row.before:<8}  {row.after:<8}  {label}{detail}")
        if not show_all:
            lines.append(f"... and {report.comparison.counts['unchanged']} unchanged tests")
        lines.append("")
    counts = report.comparison.counts
    lines.append(
        "summary: " + ", ".join(f"{counts[c]} {_LABELS.get(c, c).lower()}" for c in CATEGORIES)
    )
    if report.library_failures:
        lines.append("")
        lines.append(
            f"failing in library code, which the migration leaves alone "
            f"({len(report.library_failures)} test(s)):"
        )
        by_place: dict[str, int] = {}
        for where in report.library_failures.values():
            by_place[where] = by_place.get(where, 0) + 1
        for where, count in sorted(by_place.items()):
            lines.append(f"  {where} ({count} test{'s' if count != 1 else ''})")
    if report.attributions:
        lines.append("")
        lines.append("attribution:")
        lines.extend(attribution_lines(report.attributions))
        for name, why in report.old_stack_skipped.items():
            lines.append(f"  not tried alone on the old stack: {name} (its output needs {why})")
        for name, where in report.bridged.items():
            lines.append(f"  tried alone on a bridge stack: {name}, on {where}")
    if report.rollback is not None:
        lines.append("")
        rollback = report.rollback
        lines.append(f"rollback: wrote {len(rollback.written)} file(s)")
        for path, names in rollback.left_out.items():
            lines.append(f"  left out {', '.join(names)} in {path}")
        for path in rollback.conflicts:
            lines.append(f"  not written, changed since verify copied it: {path}")
        for nodeid in rollback.still_failing:
            lines.append(f"  still failing after the rollback: {nodeid}")
        for nodeid, verdict in rollback.missing_edits.items():
            lines.append(f"  to edit by hand, {verdict}: {nodeid}")
        if rollback.not_acted_on:
            lines.append(
                f"  not acted on, no edit was shown to cause them "
                f"({len(rollback.not_acted_on)} test(s)):"
            )
            by_verdict: dict[str, list[str]] = {}
            for nodeid, verdict in rollback.not_acted_on.items():
                by_verdict.setdefault(verdict, []).append(nodeid)
            for verdict, nodeids in by_verdict.items():
                listed = ", ".join(nodeids[:3]) + (
                    f" and {len(nodeids) - 3} more" if len(nodeids) > 3 else ""
                )
                lines.append(f"    {listed}: {verdict}")
    return lines
