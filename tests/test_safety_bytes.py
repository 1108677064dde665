"""Bytes and ownership: config files keep their newline style line by line; a rewritten
file keeps its owner and group, or is left alone with the reason; a file with hard links
is never split from its other names."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from click.testing import CliRunner

from async_test_upgrade.cli import EXIT_LEFT_ALONE, cli

#: A module-scoped async fixture: the migration also adds a loop-scope setting (a new
#: line in the config), besides switching the mode (an edited line).
SUITE = (
    "import pytest\n\n\n@pytest.fixture(scope='module')\nasync def res():\n    yield 1\n\n\n"
    "@pytest.mark.asyncio\nasync def test_a(res):\n    pass\n"
)
MARKED = "import pytest\n\n\n@pytest.mark.asyncio\nasync def test_a():\n    pass\n"


def write(root: Path, files: dict[str, bytes | str]) -> Path:
    for name, content in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        data = content.encode() if isinstance(content, str) else content
        (root / name).write_bytes(data)
    return root


@pytest.mark.parametrize(
    ("name", "config"),
    [
        ("pytest.ini", b"[pytest]\r\nasyncio_mode = strict\r\naddopts = -q\r\n"),
        (
            "pyproject.toml",
            b'[project]\r\nname = "x"\r\n\r\n[tool.pytest.ini_options]\r\n'
            b'asyncio_mode = "strict"\r\n',
        ),
        ("setup.cfg", b"[metadata]\r\nname = x\r\n\r\n[tool:pytest]\r\nasyncio_mode = strict\r\n"),
    ],
)
def test_a_crlf_config_stays_crlf_on_every_line(tmp_path: Path, name: str, config: bytes) -> None:
    root = write(tmp_path, {name: config, "tests/test_a.py": SUITE})
    result = CliRunner().invoke(cli, ["migrate", str(root)])
    assert result.exit_code == 0, result.output
    written = (root / name).read_bytes()
    assert b"auto" in written and b"asyncio_default_fixture_loop_scope" in written
    lines = written.splitlines(keepends=True)
    assert all(line.endswith(b"\r\n") for line in lines), lines


def test_mixed_newlines_are_kept_line_by_line(tmp_path: Path) -> None:
    config = b"[pytest]\nasyncio_mode = strict\r\naddopts = -q\n"
    root = write(tmp_path, {"pytest.ini": config, "tests/test_a.py": SUITE})
    result = CliRunner().invoke(cli, ["migrate", str(root)])
    assert result.exit_code == 0, result.output
    lines = (root / "pytest.ini").read_bytes().splitlines(keepends=True)
    assert lines[0] == b"[pytest]\n"
    assert lines[1] == b"asyncio_mode = auto\r\n"  # edited: its own ending
    assert lines[2] == b"addopts = -q\n"
    assert lines[3].endswith(b"\n") and not lines[3].endswith(b"\r\n")  # new: the one above


needs_root = pytest.mark.skipif(
    not hasattr(os, "geteuid") or os.geteuid() != 0, reason="changing owners needs root"
)


@needs_root
def test_a_rewritten_file_keeps_its_owner_and_group(tmp_path: Path) -> None:
    root = write(
        tmp_path,
        {"pytest.ini": "[pytest]\nasyncio_mode = strict\n", "tests/test_a.py": MARKED},
    )
    for name in ("pytest.ini", "tests/test_a.py"):
        os.chown(root / name, 4321, 4322)
    result = CliRunner().invoke(cli, ["migrate", str(root)])
    assert result.exit_code == 0, result.output
    for name in ("pytest.ini", "tests/test_a.py"):
        found = (root / name).stat()
        assert (found.st_uid, found.st_gid) == (4321, 4322), name
    assert "@pytest.mark.asyncio" not in (root / "tests/test_a.py").read_text()


@needs_root
def test_another_users_file_is_left_alone_with_the_reason() -> None:
    # A user who may write the directory but does not own the file: replacing it would
    # make the file theirs. The run is the real CLI, in a child process that has become
    # that user.
    import shutil
    import tempfile

    nobody = 65534
    scratch = Path(tempfile.mkdtemp(prefix="owner-"))
    try:
        root = write(
            scratch,
            {
                "pytest.ini": "[pytest]\nasyncio_mode = strict\n",
                "tests/test_a.py": MARKED,
                "tests/test_b.py": MARKED,
            },
        )
        for directory in (scratch, root / "tests"):
            directory.chmod(0o777)
        for name in ("pytest.ini", "tests/test_b.py"):
            os.chown(root / name, nobody, nobody)
        code, output = _as_user(nobody, ["migrate", str(root)])
        assert code == EXIT_LEFT_ALONE, output
        assert "tests/test_a.py: owned by another user (uid 0)" in output
        assert (root / "tests/test_a.py").read_text() == MARKED
        assert (root / "tests/test_a.py").stat().st_uid == 0
        assert "@pytest.mark.asyncio" not in (root / "tests/test_b.py").read_text()
    finally:
        shutil.rmtree(scratch)


def _as_user(uid: int, args: list[str]) -> tuple[int, str]:
    """The CLI's exit code and output, run in a forked child that has become ``uid``."""
    read, write_end = os.pipe()
    child = os.fork()
    if child == 0:  # pragma: no cover (the child)
        code = 99
        try:
            os.close(read)
            os.setgid(uid)
            os.setuid(uid)
            result = CliRunner().invoke(cli, ["migrate", "-j", "1", *args[1:]])
            os.write(write_end, result.output.encode())
            code = result.exit_code
        finally:
            os._exit(code)
    os.close(write_end)
    with os.fdopen(read, "rb") as stream:
        output = stream.read().decode()
    _, status = os.waitpid(child, 0)
    return os.waitstatus_to_exitcode(status), output


@pytest.mark.skipif(not hasattr(os, "link"), reason="needs hard links")
def test_a_file_with_hard_links_is_left_alone_with_a_note(tmp_path: Path) -> None:
    root = write(
        tmp_path,
        {
            "p/pytest.ini": "[pytest]\nasyncio_mode = strict\n",
            "p/tests/test_a.py": MARKED,
            "p/tests/test_b.py": MARKED,
        },
    )
    root = tmp_path / "p"
    os.link(root / "tests/test_a.py", tmp_path / "elsewhere.py")
    result = CliRunner().invoke(cli, ["migrate", str(root)])
    assert result.exit_code == EXIT_LEFT_ALONE, result.output
    assert "tests/test_a.py: has 2 hard links" in result.stderr
    assert (root / "tests/test_a.py").read_text() == MARKED
    assert os.path.samefile(root / "tests/test_a.py", tmp_path / "elsewhere.py")
    assert "@pytest.mark.asyncio" not in (root / "tests/test_b.py").read_text()


@pytest.mark.skipif(not hasattr(os, "link"), reason="needs hard links")
def test_a_hard_linked_config_stops_every_write(tmp_path: Path) -> None:
    root = write(
        tmp_path / "p",
        {"pytest.ini": "[pytest]\nasyncio_mode = strict\n", "tests/test_a.py": MARKED},
    )
    os.link(root / "pytest.ini", tmp_path / "shared.ini")
    result = CliRunner().invoke(cli, ["migrate", str(root)])
    assert result.exit_code == EXIT_LEFT_ALONE, result.output
    assert "pytest.ini: has 2 hard links" in result.stderr
    assert "nothing was written" in result.stderr
    assert (root / "tests/test_a.py").read_text() == MARKED
