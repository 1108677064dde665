"""``python -m realworld``: migrate and verify the real-world corpus, print one table.

Run from the repository root with the package installed. Exit 1 when a project breaks
the promise (a regression, or fewer passing tests than its legacy stack, not excused in
its entry), 2 for a bad entry or an unknown project name.
"""

from __future__ import annotations

import argparse
import datetime
import os
import platform
import sys

from async_test_upgrade.harness import render
from realworld import EntryError, entries, markdown_table, run_project, text_table


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m realworld", description=__doc__)
    parser.add_argument("names", nargs="*", help="projects to run (default: all)")
    parser.add_argument("--fast", action="store_true", help="only the fast subset CI runs")
    parser.add_argument("--markdown", action="store_true", help="print the table as Markdown")
    parser.add_argument("-q", "--quiet", action="store_true", help="no progress lines")
    parser.add_argument("--list", action="store_true", help="list the projects and exit")
    parser.add_argument(
        "-v", "--verbose", action="store_true", help="print each project's verify report"
    )
    args = parser.parse_args(argv)
    try:
        chosen = entries()
    except (EntryError, ValueError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    known = {e.name for e in chosen}
    unknown = [n for n in args.names if n not in known]
    if unknown:
        print(f"error: unknown project(s) {unknown}; known: {sorted(known)}", file=sys.stderr)
        return 2
    if args.names:
        chosen = [e for e in chosen if e.name in args.names]
    if args.fast:
        chosen = [e for e in chosen if e.fast]
    if args.list:
        for entry in chosen:
            kind = "control" if entry.control else ", ".join(entry.families)
            print(f"{entry.name:<20} {entry.sdist:<28} {kind}")
        return 0

    def log(line: str) -> None:
        if not args.quiet:
            print(line, file=sys.stderr, flush=True)

    runs = []
    for entry in chosen:
        run = run_project(entry, log)
        runs.append(run)
        if args.verbose and run.report is not None:
            print(f"== {entry.sdist}")
            print("\n".join(render.report_lines(run.report)))
            for note in run.report.migration.notes if run.report.migration else []:
                print(f"  note: {note.render()}")
            print()
        for problem in [run.error, *run.problems]:
            if problem:
                log(f"{entry.name}: {problem}")
    machine = f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}"
    print(f"real-world corpus, {datetime.date.today().isoformat()}, {machine}")
    print(markdown_table(runs) if args.markdown else text_table(runs))
    return 0 if all(run.ok for run in runs) else 1


if __name__ == "__main__":
    sys.exit(main())
