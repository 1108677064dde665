"""Every codemod's documented example, run through the real engine.

``async-test-upgrade explain NAME`` prints a codemod's module docstring, whose
**Example** section shows literal blocks (a paragraph ending in ``::``, then the indented
code). The paragraph introducing a block says what it is:

* ``Before``: a file of a small project, before the migration;
* ``After``: the same file (or a file the codemod creates) after it;
* ``Reported``: a file the codemod leaves as it is, writing a note for each line marked
  ``# <- note``;
* ``Suggested by hand``: what a reader may write instead (it must parse; no codemod
  writes it).

A file name in double backquotes in that paragraph (``tests/conftest.py``, ``pytest.ini``)
names the file; without one, a ``Before`` block is ``tests/test_example.py`` and an
``After`` block is the file of its scenario's only ``Before`` block. A ``Before`` block
after an ``After`` block starts another scenario. Each scenario becomes a project in a
temporary directory, migrated by the command line with only that codemod selected: every
``After`` file must come out exactly as shown, every other file unchanged, and no file
appear that the example does not show.

So an example shows whole files, with the imports and functions the codemod needs to see
(it acts on evidence: ``MagicMock`` imported from ``unittest.mock``, ``asyncio`` imported),
and ``...`` for the code that does not matter.
"""

from __future__ import annotations

import re
import textwrap
from dataclasses import dataclass, field
from pathlib import Path

import libcst as cst
import pytest
from click.testing import CliRunner

from async_test_upgrade import registry
from async_test_upgrade.cli import cli

DEFAULT_FILE = "tests/test_example.py"
ROLES = ("Before", "After", "Reported", "Suggested by hand")
#: A double-backquoted word that is a file name: a path with a known suffix.
FILE_NAME = re.compile(r"``([\w./-]+\.(?:py|ini|cfg|toml|txt))``")
NOTE_MARK = re.compile(r"\s*# <- note\b.*$")


@dataclass
class Block:
    role: str
    label: str
    code: str
    path: str | None


@dataclass
class Scenario:
    before: dict[str, str] = field(default_factory=dict)
    after: dict[str, str] = field(default_factory=dict)
    reported: dict[str, str] = field(default_factory=dict)


def example_section(doc: str) -> str:
    start = doc.find("**Example**")
    assert start >= 0, "no **Example** section"
    rest = doc[start + len("**Example**") :]
    end = re.search(r"^\*\*[^*\n]+\*\*\s*$", rest, re.MULTILINE)
    return rest[: end.start()] if end else rest


def blocks(section: str) -> list[Block]:
    """The literal blocks of ``section`` with the paragraph that introduces each."""
    lines = section.splitlines()
    found: list[Block] = []
    paragraph: list[str] = []
    i = 0
    while i < len(lines):
        line = lines[i]
        if not line.strip():
            paragraph = []
            i += 1
            continue
        paragraph.append(line.strip())
        i += 1
        if not line.rstrip().endswith("::"):
            continue
        indent = len(line) - len(line.lstrip())
        body: list[str] = []
        while i < len(lines) and (
            not lines[i].strip() or len(lines[i]) - len(lines[i].lstrip()) > indent
        ):
            body.append(lines[i])
            i += 1
        label = " ".join(paragraph)
        paragraph = []
        code = textwrap.dedent("\n".join(body)).strip("\n") + "\n"
        roles = [r for r in ROLES if label.startswith(r)]
        assert roles, f"a block introduced by {label!r}: start it with one of {ROLES}"
        names = FILE_NAME.findall(label)
        assert len(names) <= 1, f"{label!r} names more than one file: {names}"
        found.append(Block(roles[0], label, code, names[0] if names else None))
    return found


def scenarios(doc: str) -> list[Scenario]:
    found: list[Scenario] = []
    for block in blocks(example_section(doc)):
        if block.role == "Suggested by hand":
            cst.parse_module(block.code)  # a suggestion must at least be Python
            continue
        if not found or (block.role in ("Before", "Reported") and found[-1].after):
            found.append(Scenario())
        scenario = found[-1]
        if block.role == "After":
            path = block.path
            if path is None:
                assert len(scenario.before) == 1, (
                    f"{block.label!r} names no file and its scenario has "
                    f"{len(scenario.before)} Before files: name one"
                )
                path = next(iter(scenario.before))
            assert path not in scenario.after, f"two After blocks for {path}"
            scenario.after[path] = block.code
        else:
            path = block.path or DEFAULT_FILE
            assert path not in scenario.before, f"two Before blocks for {path}"
            scenario.before[path] = block.code
            if block.role == "Reported":
                scenario.reported[path] = block.code
    assert found, "the Example section shows no Before/After or Reported block"
    for scenario in found:
        assert scenario.after or scenario.reported, "a scenario without an After block"
    return found


def snapshot(root: Path) -> dict[str, str]:
    return {
        p.relative_to(root).as_posix(): p.read_text(encoding="utf-8")
        for p in sorted(root.rglob("*"))
        if p.is_file() and "__pycache__" not in p.parts
    }


def migrate(name: str, scenario: Scenario, root: Path) -> tuple[dict[str, str], str]:
    """Write the scenario's Before files under ``root``, migrate them with the codemod
    ``name`` alone; every file afterwards, and what the run wrote to stderr."""
    for path, code in scenario.before.items():
        target = root / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(NOTE_MARK.sub("", code) if path in scenario.reported else code)
    result = CliRunner().invoke(cli, ["migrate", "-j", "1", "--select", name, str(root)])
    assert result.exit_code == 0, result.output + result.stderr
    return snapshot(root), result.stderr


def noted_lines(stderr: str, path: str, name: str) -> list[int]:
    pattern = rf"^\s*{re.escape(path)}:(\d+): {re.escape(name)}: "
    return sorted(int(m.group(1)) for m in re.finditer(pattern, stderr, re.MULTILINE))


RECORDS = registry.catalogue()


@pytest.mark.parametrize("record", RECORDS, ids=[r.name for r in RECORDS])
def test_documented_example_is_what_the_codemod_does(
    record: registry.Codemod, tmp_path: Path
) -> None:
    for number, scenario in enumerate(scenarios(record.doc)):
        output, stderr = migrate(record.name, scenario, tmp_path / f"scenario{number}")
        expected = {
            **{path: NOTE_MARK.sub("", code) for path, code in scenario.before.items()},
            **scenario.after,
        }
        assert scenario.reported or any(
            scenario.before.get(path) != code for path, code in scenario.after.items()
        ), "every After block repeats its Before block: the example shows no change"
        assert set(output) == set(expected), "files written or removed that the example omits"
        for path in sorted(expected):
            assert output[path] == expected[path], f"{path} differs from the example"
        for path, code in scenario.reported.items():
            marked = [n for n, line in enumerate(code.splitlines(), 1) if NOTE_MARK.search(line)]
            assert marked, f"a Reported block marks no line with '# <- note' ({path})"
            assert noted_lines(stderr, path, record.name) == marked, stderr
