"""The test requirements a project declares: which plugins and HTTP libraries, at which
versions, read from every file an installer or a test runner reads them from."""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from async_test_upgrade.facts import ProjectFacts

#: The packages whose declared versions decide what the legacy suite did, or which
#: codemods apply.
DECLARED_PACKAGES = (
    "pytest-asyncio",
    "pytest-aiohttp",
    "pytest-trio",
    "asynctest",
    "httpx",
    "respx",
    "pytest-httpx",
)
_DECLARATION = re.compile(
    r"(?<![\w.-])(?P<name>pytest[-_.]asyncio|pytest[-_.]aiohttp|pytest[-_.]trio|asynctest"
    r"|pytest[-_.]httpx|httpx|respx)"
    r"(?![\w-])\s*(?:\[[^\]]*\])?\s*(?P<spec>(?:[<>=!~]=?\s*[\w.*+]+\s*,?\s*)*)",
    re.IGNORECASE,
)


def declared_versions(text: str) -> dict[str, str]:
    """The plugins of :data:`DECLARED_PACKAGES` a requirements text names, with their
    version specifiers (``"==0.16.0"``, ``">=0.14,<0.17"``, ``""``), comments aside."""
    found: dict[str, str] = {}
    for line in text.splitlines():
        line = line.split("#", 1)[0]
        for match in _DECLARATION.finditer(line):
            name = re.sub(r"[-_.]+", "-", match.group("name")).lower()
            spec = re.sub(r"\s+", "", match.group("spec")).rstrip(",")
            if name not in found or (spec and not found[name]):
                found[name] = spec
    return found


def allows_only_below(spec: str, version: tuple[int, ...]) -> bool:
    """Whether every version ``spec`` allows is older than ``version`` (an ``==`` pin or an
    upper bound below it); False for an open or unreadable spec."""
    for clause in spec.split(","):
        match = re.fullmatch(r"(==|<=|<|~=)([\d.]+)(?:\.\*)?", clause)
        if match is None:
            continue
        operator, text = match.groups()
        bound = tuple(int(part) for part in text.split(".") if part)
        if operator == "<" and bound <= version:
            return True
        if operator in ("==", "<=") and bound < version:
            return True
        if operator == "~=" and len(bound) > 1:
            # ~=X.Y.Z allows up to X.(Y+1) exclusive; ~=X.Y up to (X+1) exclusive.
            prefix = bound[:-1]
            if (*prefix[:-1], prefix[-1] + 1) <= version:
                return True
    return False


def index_requirements(facts: ProjectFacts, root: Path) -> None:
    """The test plugins the project declares, and anyio_mode / trio_mode settings."""
    candidates = [
        *root.glob("*requirements*.txt"),
        *root.glob("*requirements*.in"),
        *root.glob("requirements/*.txt"),
        root / "pyproject.toml",
        root / "setup.cfg",
        root / "setup.py",
        root / "tox.ini",
        # Only read for anyio_mode / trio_mode, which live in pytest's own config files.
        root / "pytest.ini",
        root / ".pytest.ini",
        root / "pytest.toml",
        root / ".pytest.toml",
    ]
    for path in candidates:
        try:
            text = path.read_text(encoding="utf-8", errors="replace")
        except OSError:
            continue
        if path.name != "pytest.ini" and not path.name.startswith((".pytest", "pytest.")):
            for name, spec in declared_versions(text).items():
                if name not in facts.declared_packages or (
                    spec and not facts.declared_packages[name]
                ):
                    facts.declared_packages[name] = spec
        # A declared pytest-trio alone is no signal: trio tests carry the word ``trio``,
        # so the index finds them (or their trio_mode setting, below) where they exist.
        if re.search(r"(?m)^\s*(anyio_mode|trio_mode)\s*=", text):
            facts.anyio_trio_signals.append(f"{path.name}: anyio_mode/trio_mode configured")
            facts.foreign_mode_signals.append(facts.anyio_trio_signals[-1])
