"""Benchmark: async-test-upgrade against a byte-scan floor and LibCST's own runner.

Run from the repository root with the package installed (``pip install -e .``)::

    python bench/run.py                 # defaults: 5,000 files, -j 2, about 3 minutes

Every figure is measured in this one run, on this machine, on the same generated files:

(a) floor: read every file and search it with the codemods' trigger pattern (the
    engine's own trie-shaped one);
(b) peer:  ``python -m libcst.tool codemod`` running one of our transformers with the
    same job count (it parses every file);
(c) ours:  ``async-test-upgrade migrate --diff`` with every codemod;
(d) ours on a tree of the same shape with no async code at all (and its own floor).

It prints wall time, files/s, MB/s and peak RSS (the whole process tree, sampled from
/proc) for each, the ratios the targets are stated in, scaling with -j and with N, and a
one-line summary last. The short measurements, (a), (a') and (d), are each the fastest
of three runs (``--repeat``); (b) and (c) run once.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import threading
import time
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from bench.generate import generate, generate_sync_only  # noqa: E402


@dataclass
class Measurement:
    label: str
    seconds: float
    peak_rss_mb: float
    files: int
    megabytes: float
    extra: dict[str, object]

    def line(self) -> str:
        rate = self.files / self.seconds if self.seconds else 0.0
        mbps = self.megabytes / self.seconds if self.seconds else 0.0
        return (
            f"{self.label:<38} {self.seconds:8.2f} s  {rate:9.0f} files/s  "
            f"{mbps:7.1f} MB/s  peak RSS {self.peak_rss_mb:7.1f} MB"
        )


def _tree_rss_kb(pid: int) -> int:
    """Resident memory of ``pid`` and all its descendants, in kB."""
    total = 0
    stack = [pid]
    while stack:
        current = stack.pop()
        try:
            status = Path(f"/proc/{current}/status").read_text()
            match = re.search(r"VmRSS:\s+(\d+)", status)
            if match:
                total += int(match.group(1))
            for task in Path(f"/proc/{current}/task").iterdir():
                children = (task / "children").read_text().split()
                stack.extend(int(c) for c in children)
        except (FileNotFoundError, ProcessLookupError, PermissionError):
            continue
    return total


def measure(label: str, command: list[str], files: int, megabytes: float) -> Measurement:
    peak = 0
    start = time.perf_counter()
    process = subprocess.Popen(
        command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True
    )
    done = threading.Event()

    def sample() -> None:
        nonlocal peak
        while not done.is_set():
            peak = max(peak, _tree_rss_kb(process.pid))
            time.sleep(0.02)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    _, stderr = process.communicate()
    seconds = time.perf_counter() - start
    done.set()
    sampler.join()
    # 1: --check found changes; 3: some files were left alone (real code holds syntax
    # LibCST cannot read); both are finished runs.
    if process.returncode not in (0, 1, 3):
        raise SystemExit(f"{label} failed ({process.returncode}):\n{stderr[-2000:]}")
    return Measurement(label, seconds, peak / 1024, files, megabytes, {})


def tree_size(root: Path) -> tuple[int, float]:
    paths = list(root.rglob("*.py"))
    return len(paths), sum(p.stat().st_size for p in paths) / 1e6


def floor_scan(root: str) -> None:
    """(a): read every Python file and search it with the combined trigger pattern (the
    engine's own, the fastest we have)."""
    from async_test_upgrade.engine import Prefilter
    from async_test_upgrade.registry import catalogue

    pattern = Prefilter(catalogue()).pattern
    assert pattern is not None
    hits = 0
    for directory, _, names in os.walk(root):
        for name in names:
            if name.endswith(".py"):
                with open(os.path.join(directory, name), "rb") as handle:
                    if pattern.search(handle.read()):
                        hits += 1
    print(hits)


def parse_cost(root: Path, relpaths: list[str]) -> float:
    """Serial LibCST parse time of the given files (the unavoidable part of the work)."""
    import libcst

    sources = [(root / r).read_bytes() for r in relpaths if r.endswith(".py")]
    start = time.perf_counter()
    for source in sources:
        libcst.parse_module(source)
    return time.perf_counter() - start


def ours(root: Path, jobs: int, label: str, report: Path) -> tuple[Measurement, dict[str, object]]:
    files, megabytes = tree_size(root)
    command = [
        sys.executable,
        "-m",
        "async_test_upgrade",
        "migrate",
        "--diff",
        "--no-cache",  # a cold run: the cache is measured by bench/realcode.py
        "-q",
        "-j",
        str(jobs),
        "--report",
        str(report),
        str(root),
    ]
    result = measure(label, command, files, megabytes)
    data = json.loads(report.read_text())
    return result, data


def floor(root: Path, label: str, repeat: int = 1) -> Measurement:
    files, megabytes = tree_size(root)
    command = [sys.executable, str(Path(__file__)), "--floor", str(root)]
    runs = [measure(label, command, files, megabytes) for _ in range(repeat)]
    return min(runs, key=lambda m: m.seconds)


def ours_best(
    root: Path, jobs: int, label: str, report: Path, repeat: int
) -> tuple[Measurement, dict[str, object]]:
    """The fastest of ``repeat`` runs of :func:`ours` (for the runs of a second or two,
    where a stray process on the machine weighs most)."""
    runs = [ours(root, jobs, label, report) for _ in range(repeat)]
    return min(runs, key=lambda run: run[0].seconds)


def sample_tree(root: Path, target: Path, every: int) -> Path:
    """Every ``every``-th Python file of ``root`` (sorted), linked into ``target``."""
    if target.exists():
        shutil.rmtree(target)
    for index, path in enumerate(sorted(root.rglob("*.py"))):
        if index % every == 0:
            link = target / path.relative_to(root)
            link.parent.mkdir(parents=True, exist_ok=True)
            os.link(path, link)
    return target


def peer(root: Path, jobs: int, every: int) -> Measurement:
    """(b), on every ``every``-th file when ``every`` > 1, extrapolated to the whole tree:
    LibCST's runner parses every file it is given, so its cost is linear in the files."""
    all_files, all_megabytes = tree_size(root)
    if every > 1:
        root = sample_tree(root, root.parent / f"{root.name}-peer-sample", every)
    files, megabytes = tree_size(root)
    command = [
        sys.executable,
        "-m",
        "libcst.tool",
        "codemod",
        "-x",
        "bench.libcst_peer.MarkerScopePeer",
        "--no-format",
        "--hide-progress",
        "-u",
        "3",
        "-j",
        str(jobs),
        str(root),
    ]
    env_path = os.environ.get("PYTHONPATH", "")
    os.environ["PYTHONPATH"] = (
        f"{HERE.parent}{os.pathsep}{env_path}" if env_path else str(HERE.parent)
    )
    label = f"(b) libcst.tool codemod -j {jobs}"
    if every == 1:
        return measure(label, command, files, megabytes)
    sampled = measure(label, command, files, megabytes)
    scale = all_files / files
    return Measurement(
        f"{label} (1/{every} sample, x{scale:.2f})",
        sampled.seconds * scale,
        sampled.peak_rss_mb,
        all_files,
        all_megabytes,
        {"sampled_seconds": sampled.seconds},
    )


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--files", type=int, default=5000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--sizes", default="1000,20000", help="more N for the scaling table")
    parser.add_argument(
        "--peer-sample",
        type=int,
        default=5,
        metavar="K",
        help="run (b) on every K-th file and scale its time (1: on every file; slow)",
    )
    parser.add_argument("--out", type=Path, default=HERE / "out")
    parser.add_argument("--skip-peer", action="store_true", help="leave out (b), the slow one")
    parser.add_argument(
        "--repeat",
        type=int,
        default=3,
        metavar="R",
        help="run the short measurements, (a), (a') and (d), R times and keep the fastest",
    )
    parser.add_argument("--floor", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.floor:
        floor_scan(args.floor)
        return

    out: Path = args.out
    out.mkdir(parents=True, exist_ok=True)
    repo, sync_repo = out / "repo", out / "sync-repo"
    counts = generate(repo, args.files, args.seed)
    generate_sync_only(sync_repo, args.files, args.seed)
    print(f"generated {args.files} files (seed {args.seed}): {counts}")
    jobs = args.jobs
    rows: list[Measurement] = []

    a = floor(repo, "(a) floor: read + regex", args.repeat)
    rows.append(a)
    b = None if args.skip_peer else peer(repo, jobs, args.peer_sample)
    if b:
        rows.append(b)
    c, report = ours(repo, jobs, f"(c) migrate --diff -j {jobs}", out / "report.json")
    rows.append(c)
    d_floor = floor(sync_repo, "(a') floor on the no-async tree", args.repeat)
    rows.append(d_floor)
    d, _ = ours_best(
        sync_repo,
        jobs,
        f"(d) migrate --diff -j {jobs}, no async",
        out / "report-sync.json",
        args.repeat,
    )
    rows.append(d)
    for row in rows:
        print(row.line())

    changed = [str(p) for p in report["files_changed"]]  # type: ignore[attr-defined]
    parse_seconds = parse_cost(repo, changed)
    print(
        f"files parsed by (c): {report['files_parsed']}, changed: {len(changed)}, serial LibCST "
        f"parse of the changed files: {parse_seconds:.2f} s; stage timings: {report['timings']}"
    )
    budget = a.seconds + parse_seconds / jobs
    ratio_floor = c.seconds / budget
    ratio_peer = b.seconds / c.seconds if b else float("nan")
    ratio_sync = d.seconds / d_floor.seconds
    print(f"(c) / ((a) + parse of changed files / jobs) = {ratio_floor:.2f}   target <= 3")
    print(f"(b) / (c) = {ratio_peer:.1f}   target >= 20")
    print(f"(d) / (a') = {ratio_sync:.2f}   target <= 1.5")

    print("scaling with -j (transform stage, the files that need parsing):")
    transform: dict[int, float] = {jobs: float(report["timings"]["transform"])}  # type: ignore[index]
    for j in range(1, (os.cpu_count() or 1) + 1):
        if j == jobs:
            m = c  # measured above
        else:
            m, data = ours(repo, j, f"    -j {j}", out / f"report-j{j}.json")
            transform[j] = float(data["timings"]["transform"])  # type: ignore[index]
        print(f"{m.line()}  transform {transform[j]:.2f} s")
    speedup = transform[1] / transform[2] if transform.get(2) else float("nan")
    print(f"transform speed-up -j 1 -> -j 2: {speedup:.2f}x   target >= 1.7")

    print("scaling with N:")
    peak_20k = float("nan")
    print(f"    N={args.files} -j {jobs}: as (c) above")
    for size in [int(s) for s in args.sizes.split(",") if s]:
        tree = out / f"repo-{size}"
        generate(tree, size, args.seed)
        m, _ = ours(tree, jobs, f"    N={size} -j {jobs}", out / f"report-n{size}.json")
        print(m.line())
        if size == 20000:
            peak_20k = m.peak_rss_mb

    print(
        f"SUMMARY files={args.files} jobs={jobs} floor={a.seconds:.2f}s "
        f"peer={b.seconds if b else float('nan'):.2f}s ours={c.seconds:.2f}s "
        f"peer/ours={ratio_peer:.1f}x (>=20) ours/(floor+parse)={ratio_floor:.2f} (<=3) "
        f"no-async/floor={ratio_sync:.2f} (<=1.5) j1->j2={speedup:.2f}x (>=1.7) "
        f"rss20k={peak_20k:.0f}MB (<300)"
    )


if __name__ == "__main__":
    main()
