"""The real-world corpus: third-party projects from PyPI, migrated and verified.

Each ``realworld/projects/<name>.toml`` names a source distribution at a pinned version
whose tests are in a legacy async style, the stack of its era (interpreter and pins) and
the modern stack. :func:`run_project` downloads the sdist into the cache (never into this
repository), unpacks it, and runs ``verify`` on it: the legacy suite on the legacy stack,
the unmigrated suite on the modern stack, and the migrated suite on the modern stack.
:func:`verdict` then says whether the project holds the promise: no regression, and at
least as many passing tests after as before, except for tests its entry excuses with a
written reason. ``python -m realworld`` prints the table.
"""

from __future__ import annotations

import fnmatch
import hashlib
import json
import os
import re
import shutil
import tarfile
import tempfile
import time
import tomllib
import urllib.request
import zipfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any

from async_test_upgrade import registry
from async_test_upgrade.files import InputError
from async_test_upgrade.harness import envs
from async_test_upgrade.harness.runner import RunResult
from async_test_upgrade.harness.verify import Side, VerifyReport, VerifyRequest, verify
from async_test_upgrade.model import Options

HERE = Path(__file__).resolve().parent
PROJECTS_DIR = HERE / "projects"
DEFAULT_INDEX = "https://pypi.org/simple"

Log = Callable[[str], None]


class EntryError(ValueError):
    """A project entry that does not follow the schema."""


@dataclass(frozen=True)
class Stack:
    python: str
    requirements: tuple[str, ...]


@dataclass(frozen=True)
class Entry:
    """One project of the real-world corpus (see ``realworld/README.md`` for the keys)."""

    name: str
    sdist: str
    about: str
    families: tuple[str, ...]
    legacy: Stack
    modern: Stack
    pytest_args: tuple[str, ...] = ()
    #: node id -> why it is left out on both sides (needs a network, a server...).
    deselect: dict[str, str] = field(default_factory=dict)
    #: node id pattern -> why the modern stack cannot pass it (judged against the legacy run);
    #: or ``library:PATH`` -> why, for every test whose failure verify traced to library
    #: code at PATH (a file, or ``file:line``).
    excused: dict[str, str] = field(default_factory=dict)
    #: A negative control: why no test migration can make its suite pass (library code
    #: broken on the modern Python). The tool must say so in its notes.
    control: str = ""
    #: For a control: a regular expression one of the migration's notes must match.
    control_note: str = ""
    install: str = ""
    fast: bool = False
    timeout: float = 900.0

    @property
    def distribution(self) -> str:
        return self.sdist.partition("==")[0]

    @property
    def version(self) -> str:
        return self.sdist.partition("==")[2]

    def pytest_arguments(self) -> list[str]:
        deselected = [arg for nodeid in self.deselect for arg in ("--deselect", nodeid)]
        return [*self.pytest_args, *deselected]

    def excuse(self, nodeid: str, library_failure: str | None = None) -> str | None:
        if self.control:
            return self.control
        for pattern, reason in self.excused.items():
            if pattern.startswith("library:"):
                place = pattern.removeprefix("library:")
                if library_failure is not None and library_failure.startswith(place + ":"):
                    return reason
            elif nodeid == pattern or fnmatch.fnmatchcase(nodeid, pattern):
                return reason
        return None


_KEYS = {
    "sdist",
    "about",
    "families",
    "legacy",
    "modern",
    "pytest_args",
    "deselect",
    "excused",
    "control",
    "control_note",
    "install",
    "fast",
    "timeout",
}
FAMILIES = ("event loop", "mode", "mocks", "frameworks", "legacy asyncio")


def _strings(data: Any, where: str) -> tuple[str, ...]:
    if not isinstance(data, list) or not all(isinstance(x, str) for x in data):
        raise EntryError(f"{where} must be a list of strings")
    return tuple(data)


def _reasons(data: Any, where: str) -> dict[str, str]:
    if not isinstance(data, dict) or not all(
        isinstance(k, str) and isinstance(v, str) and v.strip() for k, v in data.items()
    ):
        raise EntryError(f"{where} must map node ids to non-empty reasons")
    return dict(data)


def _stack(data: Any, where: str) -> Stack:
    if not isinstance(data, dict) or set(data) != {"python", "requirements"}:
        raise EntryError(f"{where} must have exactly the keys python and requirements")
    if not isinstance(data["python"], str):
        raise EntryError(f"{where}.python must be a version string such as '3.11'")
    return Stack(data["python"], _strings(data["requirements"], f"{where}.requirements"))


def load_entry(path: Path) -> Entry:
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    where = path.name
    unknown = set(data) - _KEYS
    if unknown:
        raise EntryError(f"{where}: unknown keys {sorted(unknown)}")
    missing = {"sdist", "about", "families", "legacy", "modern"} - set(data)
    if missing:
        raise EntryError(f"{where}: missing keys {sorted(missing)}")
    if not re.fullmatch(r"[A-Za-z0-9._-]+==[A-Za-z0-9.]+", data["sdist"]):
        raise EntryError(f"{where}: sdist must be NAME==VERSION, not {data['sdist']!r}")
    families = _strings(data["families"], f"{where}: families")
    if not set(families) <= set(FAMILIES):
        raise EntryError(f"{where}: families must be among {FAMILIES}")
    if bool(data.get("control")) != bool(data.get("control_note")):
        raise EntryError(f"{where}: a control needs both control and control_note")
    return Entry(
        name=path.stem,
        sdist=data["sdist"],
        about=data["about"],
        families=families,
        legacy=_stack(data["legacy"], f"{where}: legacy"),
        modern=_stack(data["modern"], f"{where}: modern"),
        pytest_args=_strings(data.get("pytest_args", []), f"{where}: pytest_args"),
        deselect=_reasons(data.get("deselect", {}), f"{where}: deselect"),
        excused=_reasons(data.get("excused", {}), f"{where}: excused"),
        control=data.get("control", ""),
        control_note=data.get("control_note", ""),
        install=data.get("install", ""),
        fast=bool(data.get("fast", False)),
        timeout=float(data.get("timeout", 900.0)),
    )


def entries() -> list[Entry]:
    return [load_entry(path) for path in sorted(PROJECTS_DIR.glob("*.toml"))]


# --- the source distribution -----------------------------------------------------------------


def cache_dir() -> Path:
    return envs.cache_root() / "realworld"


def _normalized(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def _sdist_file(files: list[dict[str, Any]], distribution: str, version: str) -> dict[str, Any]:
    wanted = _normalized(distribution)
    for item in files:
        filename = item.get("filename", "")
        for suffix in (".tar.gz", ".zip"):
            if not filename.endswith(suffix):
                continue
            stem = filename[: -len(suffix)]
            name, _, found_version = stem.rpartition("-")
            if _normalized(name) == wanted and found_version == version:
                return dict(item)
    raise EntryError(f"no source distribution of {distribution}=={version} on the index")


def download_sdist(entry: Entry, log: Log) -> Path:
    """The sdist archive, from the cache or fetched from the package index (PEP 691 JSON,
    the API pip itself reads; ``PIP_INDEX_URL`` overrides the index), checked against the
    index's sha256. No build backend runs: old ``setup.py`` files need not work here."""
    target_dir = cache_dir() / "sdists"
    for suffix in (".tar.gz", ".zip"):
        for existing in target_dir.glob(f"*-{entry.version}{suffix}"):
            name = existing.name.removesuffix(suffix).rpartition("-")[0]
            if _normalized(name) == _normalized(entry.distribution):
                return existing
    index = os.environ.get("PIP_INDEX_URL", DEFAULT_INDEX).rstrip("/")
    request = urllib.request.Request(
        f"{index}/{_normalized(entry.distribution)}/",
        headers={"Accept": "application/vnd.pypi.simple.v1+json"},
    )
    log(f"{entry.name}: downloading {entry.sdist} ...")
    with urllib.request.urlopen(request, timeout=120) as response:
        files = json.load(response)["files"]
    chosen = _sdist_file(files, entry.distribution, entry.version)
    with urllib.request.urlopen(chosen["url"], timeout=300) as response:
        data = response.read()
    expected = chosen.get("hashes", {}).get("sha256")
    if expected and hashlib.sha256(data).hexdigest() != expected:
        raise EntryError(f"{chosen['filename']}: sha256 does not match the index")
    target_dir.mkdir(parents=True, exist_ok=True)
    path: Path = target_dir / str(chosen["filename"])
    partial = path.with_name(path.name + ".part")
    partial.write_bytes(data)
    os.replace(partial, path)
    return path


def unpack(archive: Path, dest: Path) -> Path:
    """The archive's single top directory, extracted under ``dest``."""
    if archive.name.endswith(".zip"):
        with zipfile.ZipFile(archive) as bundle:
            names = bundle.namelist()
            _check_members(names, archive)
            bundle.extractall(dest)
    else:
        with tarfile.open(archive) as bundle:
            names = bundle.getnames()
            _check_members(names, archive)
            bundle.extractall(dest, filter="data")
    tops = {PurePosixPath(n).parts[0] for n in names if PurePosixPath(n).parts}
    if len(tops) != 1:
        raise EntryError(f"{archive.name}: expected one top directory, found {sorted(tops)}")
    return dest / tops.pop()


def _check_members(names: Sequence[str], archive: Path) -> None:
    for name in names:
        path = PurePosixPath(name)
        if path.is_absolute() or ".." in path.parts:
            raise EntryError(f"{archive.name}: unsafe member {name!r}")


def requirements_file(stack: Stack) -> Path:
    """The stack's pins as a requirements file in the cache (venvs are cached by content)."""
    text = "".join(f"{line}\n" for line in stack.requirements)
    digest = hashlib.sha256(text.encode()).hexdigest()[:16]
    path = cache_dir() / "requirements" / f"{digest}.txt"
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return path


# --- one project ------------------------------------------------------------------------------


@dataclass
class ProjectRun:
    entry: Entry
    report: VerifyReport | None = None
    seconds: float = 0.0
    error: str = ""
    problems: list[str] = field(default_factory=list)
    excused: dict[str, str] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not self.error and not self.problems


def passed(run: RunResult | None) -> int | None:
    return None if run is None else run.count("passed")


def run_project(entry: Entry, log: Log = lambda _: None) -> ProjectRun:
    started = time.monotonic()
    outcome = ProjectRun(entry)
    work = Path(tempfile.mkdtemp(prefix=f"realworld-{entry.name}-"))
    try:
        archive = download_sdist(entry, log)
        tree = unpack(archive, work)
        request = VerifyRequest(
            path=tree,
            codemods=registry.catalogue(),
            options=Options(),
            before=Side(entry.legacy.python, requirements_file(entry.legacy)),
            after=Side(entry.modern.python, requirements_file(entry.modern)),
            install_cmd=entry.install or None,
            pytest_args=entry.pytest_arguments(),
            timeout=entry.timeout,
            attribute=False,
            unmigrated_after=True,
        )
        outcome.report = verify(request, log=lambda line: log(f"{entry.name}: {line}"))
        outcome.problems, outcome.excused = verdict(entry, outcome.report)
    except (OSError, ValueError, InputError) as error:
        outcome.error = f"{type(error).__name__}: {error}"
    finally:
        shutil.rmtree(work, ignore_errors=True)
        outcome.seconds = time.monotonic() - started
    return outcome


def verdict(entry: Entry, report: VerifyReport) -> tuple[list[str], dict[str, str]]:
    """What breaks the promise for this project, and the tests its entry excuses."""
    problems: list[str] = []
    excused: dict[str, str] = {}
    for row in report.comparison.regressions:
        reason = entry.excuse(row.nodeid, report.library_failures.get(row.nodeid))
        if reason is None:
            problems.append(f"regression: {row.nodeid} ({row.detail})")
        else:
            excused[row.nodeid] = reason
    before = report.before
    if before is not None:
        # Every test that passed on the legacy stack passes after, or is excused.
        passed_before = {n for n, t in before.tests.items() if t.outcome == "passed"}
        passed_after = {n for n, t in report.after.tests.items() if t.outcome == "passed"}
        shortfall = len(passed_before) - len(passed_after) - len(excused)
        if shortfall > 0:
            problems.append(
                f"{len(passed_after)} passed after, {len(passed_before)} before "
                f"({len(excused)} excused)"
            )
    if entry.control:
        # What the tool said: its notes, and the failures verify traced into library code.
        said = [note.render() for note in report.migration.notes] if report.migration else []
        said.extend(report.library_failures.values())
        pattern = re.compile(entry.control_note)
        if not any(pattern.search(line) for line in said):
            problems.append(f"control: nothing the tool said matches {entry.control_note!r}")
    return problems, excused


# --- the table --------------------------------------------------------------------------------

COLUMNS = (
    "project",
    "legacy: passed",
    "modern, unmigrated: passed",
    "modern, migrated: passed",
    "regressions",
    "newly running",
    "fixed",
    "notes",
    "verdict",
    "time",
)


def row(run: ProjectRun) -> list[str]:
    entry = run.entry
    if run.report is None:
        return [entry.sdist, "-", "-", "-", "-", "-", "-", "-", f"ERROR: {run.error}", ""]
    report = run.report
    counts = report.comparison.counts
    notes = len(report.migration.notes) if report.migration else report.review_notes
    if run.ok:
        verdict_text = "control: said so" if entry.control else "ok"
        if run.excused and not entry.control:
            verdict_text += f" ({len(run.excused)} excused)"
    else:
        first = run.problems[0]
        more = f" (+{len(run.problems) - 1} more)" if len(run.problems) > 1 else ""
        verdict_text = "FAIL: " + (first if len(first) <= 100 else first[:97] + "...") + more
    regressions = str(len(report.comparison.regressions) - len(run.excused))
    in_library = sum(
        row.nodeid in report.library_failures and row.nodeid not in run.excused
        for row in report.comparison.regressions
    )
    if in_library:
        regressions += f" ({in_library} in library code)"
    return [
        entry.sdist,
        _count(report.before, report.environments.get("before", "")),
        _count(report.unmigrated, report.environments.get("after", "")),
        _count(report.after, report.environments.get("after", "")),
        regressions,
        str(counts["newly running"]),
        str(counts["fixed"]),
        str(notes),
        verdict_text,
        f"{run.seconds:.0f} s",
    ]


def _count(run: RunResult | None, environment: str) -> str:
    if run is None:
        return "-"
    python = re.search(r"Python (\d+\.\d+)", environment)
    text = f"{run.count('passed')}/{len(run.tests)}"
    return f"{text} (py{python.group(1)})" if python else text


def markdown_table(runs: Sequence[ProjectRun]) -> str:
    lines = [
        "| " + " | ".join(COLUMNS) + " |",
        "|" + "|".join("---" for _ in COLUMNS) + "|",
    ]
    lines.extend("| " + " | ".join(row(run)) + " |" for run in runs)
    return "\n".join(lines)


def text_table(runs: Sequence[ProjectRun]) -> str:
    rows = [list(COLUMNS), *(row(run) for run in runs)]
    widths = [max(len(r[i]) for r in rows) for i in range(len(COLUMNS))]
    return "\n".join("  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)) for r in rows)
