"""Every location in a report refers to the file as the user has it on disk, not to
a tree that earlier codemods already rewrote."""

from __future__ import annotations

import textwrap
from pathlib import Path

from click.testing import CliRunner

from async_test_upgrade.cli import cli
from async_test_upgrade.locations import original_lines

SUITE = """\
import asyncio

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

app = FastAPI()


@pytest.mark.asyncio
async def test_one():
    await asyncio.sleep(0)


@pytest.mark.asyncio
async def test_two():
    client = TestClient(app)
    assert client.get("/").status_code == 404
"""


def test_a_note_after_removed_lines_names_the_line_on_disk(tmp_path: Path) -> None:
    (tmp_path / "pytest.ini").write_text("[pytest]\nasyncio_mode = strict\n")
    (tmp_path / "tests").mkdir()
    (tmp_path / "tests/test_app.py").write_text(SUITE)
    result = CliRunner().invoke(cli, ["migrate", "--diff", str(tmp_path)])
    # strict-to-auto removes the two marks above; the TestClient report comes later.
    assert "-@pytest.mark.asyncio" in result.stdout
    line = SUITE.splitlines().index("    client = TestClient(app)") + 1
    assert f"tests/test_app.py:{line}: testclient-in-async-test" in result.stderr


def test_lines_map_back_through_removals_insertions_and_rewrites() -> None:
    before = textwrap.dedent(
        """\
        a
        drop
        b
        old
        c
        """
    )
    after = textwrap.dedent(
        """\
        new import
        a
        b
        new
        c
        """
    )
    assert original_lines(before, after)[:5] == [1, 1, 3, 4, 5]


def test_after_apply_notes_and_report_links_name_the_lines_as_written(tmp_path: Path) -> None:
    (tmp_path / "pytest.ini").write_text("[pytest]\nasyncio_mode = strict\n")
    (tmp_path / "tests").mkdir()
    (tmp_path / "tests/test_app.py").write_text(SUITE)
    report = tmp_path / "report.md"
    result = CliRunner().invoke(cli, ["migrate", "--report", str(report), str(tmp_path)])
    assert result.exit_code == 0, result.output
    written = (tmp_path / "tests/test_app.py").read_text().splitlines()
    line = written.index("    client = TestClient(app)") + 1
    assert line < SUITE.splitlines().index("    client = TestClient(app)") + 1  # marks went
    assert f"tests/test_app.py:{line}: testclient-in-async-test" in result.stderr
    assert f"tests/test_app.py#L{line}" in report.read_text()
    # A dry run names the lines of the file as it is on disk: the same ones now.
    again = CliRunner().invoke(cli, ["migrate", "--diff", str(tmp_path)])
    assert f"tests/test_app.py:{line}: testclient-in-async-test" in again.stderr
