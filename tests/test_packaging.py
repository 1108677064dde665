"""The distribution as users get it: ``python -m build`` (an sdist, then a wheel built
from that sdist), installed into a fresh virtualenv, runs a migration."""

from __future__ import annotations

import shutil
import subprocess
import sys
import venv
import zipfile
from pathlib import Path

ROOT = Path(__file__).parents[1]


def test_the_wheel_built_from_the_sdist_ships_every_codemod(tmp_path: Path) -> None:
    source = tmp_path / "checkout"
    # The files git tracks (or would: new, not ignored), as a fresh clone has them.
    tracked = (
        subprocess.run(
            ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
            cwd=ROOT,
            capture_output=True,
            check=True,
        )
        .stdout.decode()
        .split("\0")
    )
    for name in filter(None, tracked):
        target = source / name
        target.parent.mkdir(parents=True, exist_ok=True)
        if (ROOT / name).is_symlink():
            raise AssertionError(f"{name} is a symlink: a checkout without symlinks loses it")
        shutil.copy2(ROOT / name, target)
    dist = tmp_path / "dist"
    subprocess.run(
        [sys.executable, "-m", "build", "--outdir", str(dist), str(source)],
        check=True,
        capture_output=True,
        timeout=600,
    )
    wheels = list(dist.glob("*.whl"))
    assert len(wheels) == 1 and list(dist.glob("*.tar.gz"))
    with zipfile.ZipFile(wheels[0]) as wheel:
        names = wheel.namelist()
    assert any(n.endswith(".dist-info/licenses/LICENSE") for n in names), names
    shipped = {n for n in names if "/codemods/" in n and not n.endswith("__init__.py")}
    in_tree = {
        p.relative_to(ROOT / "src").as_posix()
        for p in (ROOT / "src/async_test_upgrade/codemods").rglob("*.py")
        if p.name != "__init__.py"
    }
    assert in_tree <= shipped

    env = tmp_path / "venv"
    venv.create(env, with_pip=True)
    python = env / "bin" / "python"
    subprocess.run(
        [str(python), "-m", "pip", "install", "-q", str(wheels[0])],
        check=True,
        capture_output=True,
        timeout=600,
    )
    tool = env / "bin" / "async-test-upgrade"
    listed = subprocess.run([str(tool), "list"], capture_output=True, text=True, check=True)
    from async_test_upgrade import registry

    assert len(listed.stdout.splitlines()) == len(registry.catalogue())
    version = subprocess.run([str(tool), "--version"], capture_output=True, text=True, check=True)
    assert "async-test-upgrade" in version.stdout
    project = tmp_path / "project"
    shutil.copytree(ROOT / "corpus" / "legacy-mode-worker", project)
    migrated = subprocess.run(
        [str(tool), "migrate", "--diff", str(project)], capture_output=True, text=True
    )
    assert migrated.returncode == 0, migrated.stderr
    assert "+++ b/" in migrated.stdout
