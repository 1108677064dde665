"""Benchmark on async-heavy real code: every file holds async code and must be parsed.

Run from the repository root with the package installed (``pip install -e .``)::

    python bench/heavy.py               # the interpreter's own asyncio test suite, -j 2
    python bench/heavy.py --tree DIR    # any tree of async test modules

The default tree is the running interpreter's ``test/test_asyncio`` package (CPython's
asyncio tests: real code, mocks, loops, futures and unittest cases throughout), copied
into a temporary directory (``--out``). Measured in one run, on the same files, each in its own
process:

(p) peer:    ``python -m libcst.tool codemod noop.NOOPCommand``: LibCST's runner parsing,
             visiting once and printing every file, same ``-j``;
(s) shared:  the migration with every codemod, codemods that need not see each other's
             output sharing one traversal (the engine's default);
(o) one by one: the same migration, each codemod visiting the tree alone.

It prints wall time and peak RSS of each, the traversals per parsed file of (s) and
(o), and the ratios (s)/(p), (o)/(p) and (o)/(s).
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
import sysconfig
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from bench.run import measure, tree_size  # noqa: E402


def default_tree() -> Path | None:
    found = Path(sysconfig.get_paths()["stdlib"]) / "test" / "test_asyncio"
    return found if found.is_dir() else None


def run_engine(tree: str, shared: bool, jobs: int, report: str) -> None:
    """One migration (nothing written), and how many traversals it made, to ``report``."""
    import libcst as cst

    from async_test_upgrade import engine, registry
    from async_test_upgrade.model import Options

    visits = 0
    visit = cst.Module.visit

    def counting(self: cst.Module, visitor: cst.CSTVisitorT) -> cst.Module:
        nonlocal visits
        from async_test_upgrade.cst import CodemodTransformer
        from async_test_upgrade.traversal import SharedTraversal

        if isinstance(visitor, (CodemodTransformer, SharedTraversal)):
            visits += 1
        return visit(self, visitor)

    if jobs == 1:  # counted in-process only; workers do not report it
        cst.Module.visit = counting  # type: ignore[method-assign,assignment]
    result = engine.migrate([Path(tree)], registry.catalogue(), Options(), jobs=jobs, shared=shared)
    Path(report).write_text(
        json.dumps(
            {
                "parsed": result.files_parsed,
                "changed": len(result.changed_files),
                "traversals": visits if jobs == 1 else None,
                "transform": result.timings.get("transform"),
            }
        )
    )


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--tree", type=Path, help="default: the interpreter's test_asyncio")
    parser.add_argument("--jobs", type=int, default=2)
    # Outside the repository: its pytest configuration excludes bench/ from the suite.
    parser.add_argument("--out", type=Path, default=Path(tempfile.gettempdir()) / "atu-bench-heavy")
    parser.add_argument("--engine", nargs=4, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.engine:
        tree, shared, jobs, report = args.engine
        run_engine(tree, shared == "shared", int(jobs), report)
        return
    source = args.tree or default_tree()
    if source is None:
        raise SystemExit("no test/test_asyncio in this interpreter's stdlib: pass --tree DIR")
    tree = args.out / "tree"
    shutil.rmtree(tree, ignore_errors=True)
    shutil.copytree(source, tree, ignore=shutil.ignore_patterns("__pycache__"))
    files, megabytes = tree_size(tree)
    print(f"tree: {source} ({files} files, {megabytes:.1f} MB), -j {args.jobs}")

    peer = measure(
        f"(p) libcst.tool noop -j {args.jobs}",
        [
            sys.executable,
            "-m",
            "libcst.tool",
            "codemod",
            "noop.NOOPCommand",
            "--no-format",
            "--hide-progress",
            "-j",
            str(args.jobs),
            str(tree),
        ],
        files,
        megabytes,
    )
    print(peer.line())
    ours = {}
    for mode in ("shared", "alone"):
        for jobs in (args.jobs, 1):
            report = args.out / f"{mode}-{jobs}.json"
            label = f"({mode[0] if mode == 'shared' else 'o'}) migrate, {mode}, -j {jobs}"
            command = [
                sys.executable,
                __file__,
                "--engine",
                str(tree),
                mode,
                str(jobs),
                str(report),
            ]
            measured = measure(label, command, files, megabytes)
            ours[(mode, jobs)] = (measured, json.loads(report.read_text()))
            print(measured.line(), json.loads(report.read_text()))
    shared, shared_info = ours[("shared", args.jobs)]
    alone, _ = ours[("alone", args.jobs)]
    per_file = {
        mode: ours[(mode, 1)][1]["traversals"] / max(1, ours[(mode, 1)][1]["parsed"])
        for mode in ("shared", "alone")
    }
    print(
        f"traversals per parsed file: shared {per_file['shared']:.2f}, "
        f"one by one {per_file['alone']:.2f}"
    )
    print(
        f"SUMMARY (s)/(p) = {shared.seconds / peer.seconds:.2f}  "
        f"(o)/(p) = {alone.seconds / peer.seconds:.2f}  "
        f"(o)/(s) = {alone.seconds / shared.seconds:.2f}  "
        f"on {shared_info['parsed']} parsed files"
    )


if __name__ == "__main__":
    main()
