"""Benchmark: one large legacy async test module, at three sizes.

Run from the repository root with the package installed (``pip install -e .``)::

    python bench/large.py                       # 100 KB, 1 MB, 5 MB
    python bench/large.py --sizes 100000,200000 # any sizes, in bytes

Each size is a project of its own: a strict ``pytest.ini`` and one generated test
module (``tests/test_large.py``) of marked async tests with fresh names, one in four
with one of the legacy patterns of ``bench/generate.py`` (so that every codemod of the
pipeline has work in it). The module is migrated (written, the way a user runs the
tool) with ``-j 2`` and the per-file limits lifted, and the time and the peak resident
memory of the whole process tree are printed for each size, then how the cost grows:
CPU time per MB relative to the smallest size (1.0 is linear growth; CPU time, since
wall time on a shared machine depends on what else runs), and a ``SUMMARY`` line last.

The targets: the cost grows at most linearly with the size, and 5 MB takes under 60 s
and under 1 GB.
"""

from __future__ import annotations

import argparse
import resource
import shutil
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from bench.generate import ASYNC_TEST_HEADER, LEGACY_PATTERNS  # noqa: E402
from bench.run import Measurement, measure  # noqa: E402

#: The usual test of such a module: marked, which auto mode makes redundant.
MARKED_TEST = """

@pytest.mark.asyncio
async def test_plain_{n}():
    result = await asyncio.sleep(0, result={n})
    assert result == {n}
"""

#: A test whose line numbers the notes must keep: the ``TestClient`` in an async test.
CLIENT_TEST = """

@pytest.mark.asyncio
async def test_client_{n}():
    client = TestClient(make_app())
    assert client is not None
"""


def module_text(size: int) -> str:
    """A legacy async test module of about ``size`` bytes."""
    header = ASYNC_TEST_HEADER.format(n=0, package="app")
    header += "from fastapi.testclient import TestClient\n"
    parts = [header]
    total = len(header)
    index = 0
    # Each legacy pattern in turn, then ordinary marked tests: one test in four needs more
    # than its mark removed.
    legacy = [*LEGACY_PATTERNS, CLIENT_TEST]
    while total < size:
        pattern = legacy[(index // 4) % len(legacy)] if index % 4 == 0 else MARKED_TEST
        text = pattern.format(n=index)
        parts.append(text)
        total += len(text)
        index += 1
    return "".join(parts)


def project(root: Path, size: int) -> tuple[Path, float]:
    if root.exists():
        shutil.rmtree(root)
    (root / "tests").mkdir(parents=True)
    (root / "pytest.ini").write_text("[pytest]\nasyncio_mode = strict\n")
    text = module_text(size)
    (root / "tests" / "test_large.py").write_text(text)
    return root, len(text.encode()) / 1_000_000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--sizes",
        default="100000,1000000,5000000",
        help="module sizes in bytes, comma-separated (default: 100 KB, 1 MB, 5 MB)",
    )
    parser.add_argument("--jobs", type=int, default=2)
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    measured: list[Measurement] = []
    with tempfile.TemporaryDirectory(prefix="bench-large-") as scratch:
        for size in sizes:
            root, megabytes = project(Path(scratch) / f"size-{size}", size)
            command = [
                sys.executable,
                "-m",
                "async_test_upgrade",
                "migrate",
                "-q",
                "-j",
                str(args.jobs),
                "--max-file-size",
                "0",
                "--file-timeout",
                "0",
                str(root),
            ]
            used = _children_cpu()
            result = measure(f"migrate {megabytes:.2f} MB module", command, 1, megabytes)
            result.extra["cpu"] = _children_cpu() - used
            rewritten = (root / "tests" / "test_large.py").read_text()
            if "event_loop" in rewritten and "@pytest.mark.asyncio\n" in rewritten:
                raise SystemExit(f"{megabytes:.2f} MB: the module was not migrated")
            measured.append(result)
            print(f"{result.line()}  CPU {_cpu(result):8.2f} s", flush=True)
    # CPU seconds (user + system, the workers' included) do not depend on what else the
    # machine runs meanwhile; wall time does.
    first = measured[0]
    print()
    print(f"{'size':>10}  {'CPU s/MB':>9}  {'x smallest':>10}  {'MB RSS':>8}  {'RSS/MB':>7}")
    worst = 0.0
    for item in measured:
        per_mb = _cpu(item) / item.megabytes
        growth = per_mb / (_cpu(first) / first.megabytes)
        worst = max(worst, growth)
        print(
            f"{item.megabytes:>8.2f}MB  {per_mb:>9.2f}  {growth:>10.2f}  "
            f"{item.peak_rss_mb:>8.0f}  {item.peak_rss_mb / item.megabytes:>7.0f}"
        )
    last = measured[-1]
    print(
        f"SUMMARY largest {last.megabytes:.2f} MB: {last.seconds:.1f} s wall, "
        f"{_cpu(last):.1f} s CPU, {last.peak_rss_mb:.0f} MB peak RSS; CPU time per MB at "
        f"most {worst:.2f}x the smallest size's"
    )


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def _cpu(item: Measurement) -> float:
    value = item.extra.get("cpu", 0.0)
    return float(value) if isinstance(value, int | float) else 0.0


if __name__ == "__main__":
    main()
