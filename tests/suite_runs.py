"""Running a (corpus or generated) project's own suite under the installed stack."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

#: Deprecation warnings of pytest-asyncio as errors: a suite that still leans on a
#: deprecated API fails instead of passing with a warning.
STRICT_DEPRECATIONS = ("-W", "error::pytest.PytestDeprecationWarning")


def run_pytest(
    root: Path, *args: str, src_on_path: bool = True, timeout: int = 180
) -> subprocess.CompletedProcess[str]:
    """``pytest -q`` in ``root`` (with ``root/src`` importable unless told otherwise)."""
    env = {**os.environ, "PYTHONPATH": str(root / "src")} if src_on_path else None
    return subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", *args],
        cwd=root,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
    )


def outcomes(root: Path) -> tuple[set[str], set[str], str]:
    """Passed and failed/errored node ids of the suite, and its output."""
    run = run_pytest(root, "-rA")
    found = re.findall(r"^(PASSED|FAILED|ERROR) (\S+)", run.stdout, re.MULTILINE)
    passed = {node for outcome, node in found if outcome == "PASSED"}
    failed = {node for outcome, node in found if outcome != "PASSED"}
    return passed, failed, run.stdout + run.stderr
