"""Benchmark on real code: the migration against LibCST's own no-op runner, and reruns.

Run from the repository root with the package installed (``pip install -e .``)::

    python bench/realcode.py            # both trees, -j 2, about 10 minutes on 2 cores

Two trees are assembled (under ``--out``) from real code, never committed: the source
distributions of the real-world corpus (``realworld/projects``, downloaded into the
cache on first use) and the running interpreter's own asyncio tests:

* async-heavy: every test module of those projects (``tests/``, ``test_*.py``,
  ``conftest.py``) with ``Lib/test/test_asyncio`` and the stdlib test modules holding an
  ``async def``;
* mixed: the whole of each project (its library code too) with ``test_asyncio``.

Measured in this one run, on the same files, each in its own process:

(p)  ``python -m libcst.tool codemod noop.NOOPCommand -j N``: LibCST's runner parsing,
     visiting once and printing every file (the peer);
(c)  ``async-test-upgrade migrate --diff --no-cache -j N`` with every codemod;
(c1) the same with ``-j 1`` (the transform's scaling);
(f)  the floor: read every Python file and search it with one regex;
(r)  a second ``migrate --check`` of the unchanged tree, the cache warm;
(v)  ``async-test-upgrade --version``.

It prints each measurement, the files parsed and changed by (c), and the ratios the
targets are stated in: (p)/(c), (r)/(f), -j 1 / -j N, parsed-but-unchanged / parsed.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import sysconfig
import tarfile
import tempfile
import time
import zipfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from bench.run import Measurement, measure, tree_size  # noqa: E402

_TEST_PATH = re.compile(r"(^|/)(tests?|testing)/|(^|/)test_[^/]*\.py$|(^|/)conftest\.py$")


def _sdists() -> list[Path]:
    import realworld

    return [realworld.download_sdist(entry, print) for entry in realworld.entries()]


def _unpack(archive: Path, dest: Path) -> None:
    if archive.name.endswith(".zip"):
        with zipfile.ZipFile(archive) as bundle:
            bundle.extractall(dest)
    else:
        with tarfile.open(archive) as bundle:
            bundle.extractall(dest, filter="data")


def build_trees(out: Path) -> tuple[Path, Path]:
    """The async-heavy and the mixed tree, made anew under ``out``."""
    heavy, mixed = out / "heavy", out / "mixed"
    for tree in (heavy, mixed):
        shutil.rmtree(tree, ignore_errors=True)
        tree.mkdir(parents=True)
    unpacked = out / "sdists"
    shutil.rmtree(unpacked, ignore_errors=True)
    for archive in _sdists():
        _unpack(archive, unpacked)
    stdlib_tests = Path(sysconfig.get_paths()["stdlib"]) / "test"
    python_tests = [stdlib_tests / "test_asyncio"]
    python_tests += [
        p for p in sorted(stdlib_tests.glob("test_*.py")) if b"async def" in p.read_bytes()
    ]
    for path in sorted(unpacked.rglob("*.py")):
        relative = path.relative_to(unpacked)
        targets = [mixed] + ([heavy] if _TEST_PATH.search(relative.as_posix()) else [])
        for tree in targets:
            (tree / relative).parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(path, tree / relative)
    for tree in (heavy, mixed):
        for source in python_tests if tree is heavy else python_tests[:1]:
            target = tree / "cpython" / source.name
            if source.is_dir():
                shutil.copytree(source, target, ignore=shutil.ignore_patterns("__pycache__"))
            else:
                target.parent.mkdir(parents=True, exist_ok=True)
                shutil.copyfile(source, target)
    return heavy, mixed


def floor_read(root: str) -> None:
    """(f): read every Python file and search it with one regex."""
    pattern = re.compile(rb"\basync\s+def\b|\bawait\b|\bevent_loop\b")
    hits = 0
    for directory, _, names in os.walk(root):
        for name in names:
            if name.endswith(".py"):
                with open(os.path.join(directory, name), "rb") as handle:
                    hits += bool(pattern.search(handle.read()))
    print(hits)


def tool(*args: str) -> list[str]:
    return [sys.executable, "-m", "async_test_upgrade", *args]


def bench_tree(name: str, tree: Path, jobs: int, scratch: Path) -> dict[str, float]:
    files, megabytes = tree_size(tree)
    print(f"\n{name}: {tree} ({files} files, {megabytes:.1f} MB), -j {jobs}")
    peer = measure(
        f"(p) libcst.tool noop -j {jobs}",
        [
            sys.executable,
            "-m",
            "libcst.tool",
            "codemod",
            "noop.NOOPCommand",
            "--no-format",
            "--hide-progress",
            "-j",
            str(jobs),
            str(tree),
        ],
        files,
        megabytes,
    )
    print(peer.line())
    report = scratch / f"{name}.json"
    runs: dict[int, Measurement] = {}
    for j in (jobs, 1):
        command = tool("migrate", "--diff", "--no-cache", "-q", "-j", str(j))
        runs[j] = measure(
            f"(c{'' if j == jobs else '1'}) migrate --diff -j {j}",
            [*command, "--report", str(report), str(tree)],
            files,
            megabytes,
        )
        print(runs[j].line())
    data = json.loads(report.read_text())
    floor = min(
        (
            measure(
                "(f) read + one regex",
                [sys.executable, __file__, "--floor", str(tree)],
                files,
                megabytes,
            )
            for _ in range(3)
        ),
        key=lambda m: m.seconds,
    )
    print(floor.line())
    cache = scratch / f"cache-{name}"
    shutil.rmtree(cache, ignore_errors=True)
    os.environ["ASYNC_TEST_UPGRADE_RUN_CACHE"] = str(cache)
    warm_command = [*tool("migrate", "--check", "-q", "-j", str(jobs)), str(tree)]
    subprocess.run(warm_command, capture_output=True, check=False)
    rerun = min(
        (measure("(r) second migrate --check", warm_command, files, megabytes) for _ in range(3)),
        key=lambda m: m.seconds,
    )
    print(rerun.line())
    parsed = int(data["files_parsed"])
    changed = len(data["files_changed"])
    unchanged_share = (parsed - changed) / parsed if parsed else 0.0
    figures = {
        "peer_over_ours": peer.seconds / runs[jobs].seconds,
        "rerun_over_floor": rerun.seconds / floor.seconds,
        "j1_over_jn": runs[1].seconds / runs[jobs].seconds,
        "parsed_unchanged_share": unchanged_share,
        "peak_rss_mb": runs[jobs].peak_rss_mb,
    }
    print(
        f"parsed {parsed}, changed {changed} ({unchanged_share:.0%} parsed but unchanged); "
        f"(p)/(c) = {figures['peer_over_ours']:.2f}x, "
        f"(r)/(f) = {figures['rerun_over_floor']:.2f}x, "
        f"-j 1/-j {jobs} = {figures['j1_over_jn']:.2f}x"
    )
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument(
        "--out", type=Path, default=Path(tempfile.gettempdir()) / "atu-bench-realcode"
    )
    parser.add_argument("--tree", choices=["heavy", "mixed", "both"], default="both")
    parser.add_argument("--floor", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.floor:
        floor_read(args.floor)
        return
    heavy, mixed = build_trees(args.out)
    start = time.perf_counter()
    version = min(
        (measure("(v) --version", tool("--version"), 0, 0.0) for _ in range(5)),
        key=lambda m: m.seconds,
    )
    print(f"(v) --version: {version.seconds:.3f} s")
    summary = {}
    for name, tree in (("heavy", heavy), ("mixed", mixed)):
        if args.tree in (name, "both"):
            summary[name] = bench_tree(name, tree, args.jobs, args.out)
    parts = [f"--version {version.seconds:.2f} s"]
    for name, figures in summary.items():
        parts.append(
            f"{name}: peer/ours {figures['peer_over_ours']:.2f}x, "
            f"rerun/floor {figures['rerun_over_floor']:.2f}x, "
            f"-j1/-j{args.jobs} {figures['j1_over_jn']:.2f}x, "
            f"parsed-unchanged {figures['parsed_unchanged_share']:.0%}, "
            f"peak {figures['peak_rss_mb']:.0f} MB"
        )
    print(f"SUMMARY {'; '.join(parts)} ({time.perf_counter() - start:.0f} s)")


if __name__ == "__main__":
    main()
