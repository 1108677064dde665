"""Discovery and byte-faithful output: encodings, BOM, newlines, modes, ignores."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from async_test_upgrade import engine, registry
from async_test_upgrade.files import atomic_write, discover
from async_test_upgrade.model import Options

MARKED = '@pytest.mark.asyncio(scope="module")\nasync def test_a():\n    pass\n'


def migrate(root: Path) -> engine.MigrationResult:
    result = engine.migrate([root], registry.select(), Options(), jobs=1)
    engine.write_result(result)
    return result


@pytest.fixture
def project(tmp_path: Path) -> Path:
    (tmp_path / "pytest.ini").write_text("[pytest]\nasyncio_mode = auto\n")
    return tmp_path


def test_bom_crlf_and_tabs_survive(project: Path) -> None:
    source = ("import pytest\r\n\r\n" + MARKED.replace("\n", "\r\n").replace("    ", "\t")).encode(
        "utf-8-sig"
    )
    path = project / "test_bom.py"
    path.write_bytes(source)
    migrate(project)
    output = path.read_bytes()
    assert output.startswith(b"\xef\xbb\xbf")
    assert output == source.replace(b'scope="module"', b'loop_scope="module"')


def test_declared_latin1_encoding_survives(project: Path) -> None:
    text = "# -*- coding: latin-1 -*-\nimport pytest\n\n# caf\xe9\n" + MARKED
    path = project / "test_latin.py"
    path.write_bytes(text.encode("latin-1"))
    migrate(project)
    assert path.read_bytes() == text.replace('scope="module"', 'loop_scope="module"').encode(
        "latin-1"
    )


def test_untouched_files_stay_byte_identical(project: Path) -> None:
    # (A mark with an argument: auto mode does not make it redundant.)
    odd = (
        b'import pytest\r\n\r\n\r\n@pytest.mark.asyncio(loop_scope="module")\r\n'
        b"async def test_a():\r\n\tpass"
    )
    path = project / "test_odd.py"
    path.write_bytes(odd)
    mtime = path.stat().st_mtime_ns
    migrate(project)
    assert path.read_bytes() == odd
    assert path.stat().st_mtime_ns == mtime  # never rewritten


def test_file_mode_is_kept(project: Path) -> None:
    path = project / "test_exec.py"
    path.write_text("import pytest\n\n" + MARKED)
    path.chmod(0o750)
    migrate(project)
    assert stat.S_IMODE(path.stat().st_mode) == 0o750
    assert "loop_scope" in path.read_text()


def test_atomic_write_leaves_no_temporary_files(tmp_path: Path) -> None:
    path = tmp_path / "x.py"
    path.write_text("a = 1\n")
    atomic_write(path, b"a = 2\n")
    assert path.read_text() == "a = 2\n"
    assert [p.name for p in tmp_path.iterdir()] == ["x.py"]


def test_discovery_skips_ignored_virtualenv_and_outside_links(tmp_path: Path) -> None:
    root = tmp_path / "repo"
    (root / "pkg").mkdir(parents=True)
    (root / "pkg" / "test_a.py").write_text("x = 1\n")
    (root / "generated").mkdir()
    (root / "generated" / "test_gen.py").write_text("x = 1\n")
    (root / ".gitignore").write_text("generated/\n*_tmp.py\n")
    (root / "pkg" / "scratch_tmp.py").write_text("x = 1\n")
    for skipped in (".venv", "venv", ".tox", "build", "dist", "node_modules"):
        (root / skipped).mkdir()
        (root / skipped / "test_skip.py").write_text("x = 1\n")
    custom_env = root / "myenv"
    custom_env.mkdir()
    (custom_env / "pyvenv.cfg").write_text("home = /usr\n")
    (custom_env / "test_env.py").write_text("x = 1\n")
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "test_out.py").write_text("x = 1\n")
    os.symlink(outside, root / "linked")
    nested = root / "pkg" / "sub"
    nested.mkdir()
    (nested / ".gitignore").write_text("*.py\n!keep.py\n")
    (nested / "keep.py").write_text("x = 1\n")
    (nested / "drop.py").write_text("x = 1\n")
    found = [f.relpath for f in discover([root], root)]
    assert found == ["pkg/sub/keep.py", "pkg/test_a.py"]


def test_discovery_of_a_single_file_and_a_subdirectory(tmp_path: Path) -> None:
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "test_one.py").write_text("x = 1\n")
    (tmp_path / "b.py").write_text("x = 1\n")
    found = [f.relpath for f in discover([tmp_path / "b.py", tmp_path / "a"], tmp_path)]
    assert found == ["a/test_one.py", "b.py"]


def test_dry_run_writes_nothing_even_with_config_edits(tmp_path: Path) -> None:
    (tmp_path / "pytest.ini").write_text("[pytest]\nasyncio_mode = legacy\n")
    (tmp_path / "test_x.py").write_text("import pytest\n\n" + MARKED)
    before = {p.name: p.read_bytes() for p in tmp_path.iterdir()}
    result = engine.migrate([tmp_path], registry.select(), Options(), jobs=1)
    assert result.anything_changed
    assert {p.name: p.read_bytes() for p in tmp_path.iterdir()} == before
