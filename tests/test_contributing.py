"""CONTRIBUTING.md against the code: the record fields, paths and options it names."""

from __future__ import annotations

import dataclasses
import inspect
import re
import shlex
import subprocess
import sys
from pathlib import Path

import click
import pytest

from async_test_upgrade import registry
from async_test_upgrade.cli import cli

ROOT = Path(__file__).parents[1]
GUIDE = ROOT / "CONTRIBUTING.md"
TEXT = GUIDE.read_text(encoding="utf-8")

#: Programs whose options are ours to check; any other (pytest, ruff, pip) is not.
OURS = {
    "realworld": [sys.executable, "-m", "realworld", "--help"],
    "bench/run.py": [sys.executable, "bench/run.py", "--help"],
}


def code_spans(text: str) -> list[str]:
    """Inline code (`x`, or ``` ``x`` ``` when it holds backquotes) outside fenced blocks."""
    prose = re.sub(r"^```.*?^```", "", text, flags=re.MULTILINE | re.DOTALL)
    spans = re.finditer(r"(`+)(.+?)\1", prose, flags=re.DOTALL)
    return [" ".join(m.group(2).split()) for m in spans]


def fenced_lines(text: str, language: str = "bash") -> list[str]:
    blocks = re.findall(rf"^```{language}\n(.*?)^```", text, flags=re.MULTILINE | re.DOTALL)
    return [line for block in blocks for line in block.splitlines() if line.strip()]


def section(text: str, heading: str) -> str:
    start = text.index(f"\n{heading}\n")
    end = re.search(r"^#{1,3} ", text[start + len(heading) + 2 :], re.MULTILINE)
    return text[start : start + len(heading) + 2 + end.start()] if end else text[start:]


def documented_fields() -> list[str]:
    table = section(TEXT, "### The record")
    return re.findall(r"^\| `(\w+)` \|", table, re.MULTILINE)


def test_every_record_field_is_documented_and_every_documented_one_exists() -> None:
    documented = documented_fields()
    assert len(documented) == len(set(documented)), "a field documented twice"
    parameters = set(inspect.signature(registry.codemod).parameters)
    fields = {f.name for f in dataclasses.fields(registry.Codemod)}
    assert set(documented) <= fields | parameters, set(documented) - fields - parameters
    assert not parameters - set(documented), "codemod() parameters CONTRIBUTING.md omits"
    assert not fields - set(documented), "Codemod fields CONTRIBUTING.md omits"


def test_the_fields_said_not_to_be_parameters_are_not() -> None:
    parameters = set(inspect.signature(registry.codemod).parameters)
    table = section(TEXT, "### The record")
    not_parameters = re.findall(r"^\| `(\w+)` \| not a parameter", table, re.MULTILINE)
    assert not_parameters, "the table says of no field that it is not a parameter"
    assert not set(not_parameters) & parameters
    assert set(documented_fields()) - set(not_parameters) <= parameters


def commands() -> list[list[str]]:
    """Every command line the guide shows (fenced shell lines, inline code with a space),
    split like a shell, with the program's directory dropped (``.venv/bin/python``)."""
    found = []
    for line in [*fenced_lines(TEXT), *(s for s in code_spans(TEXT) if " " in s)]:
        for part in re.split(r"&&|\|\|", line.split("#")[0]):
            words = shlex.split(part)
            if words:
                found.append([words[0].rpartition("/")[2], *words[1:]])
    return found


def mentioned_paths() -> list[str]:
    """Repository paths: inline code or command arguments that hold a ``/`` (or name a
    Markdown file), and link targets."""
    candidates = [s for s in code_spans(TEXT) if " " not in s and not s.startswith("`")]
    candidates += [w for words in commands() for w in words[1:]]
    candidates += re.findall(r"\]\(([^)#:]+)\)", TEXT)
    return [
        c
        for c in candidates
        if ("/" in c or c.endswith(".md"))
        and not c.startswith(("-", ".venv/", "'", '"', "http", "NAME."))
        and re.fullmatch(r"[\w./<>*-]+", c)
    ]


def test_every_golden_case_file_named_is_a_kind_cases_have() -> None:
    kinds = {s for s in code_spans(TEXT) if re.fullmatch(r"NAME\.[\w.]+/?", s)}
    assert {"NAME.notes", "NAME.options", "NAME.requirements"} <= kinds, kinds
    missing = [k for k in kinds if not any(ROOT.glob("tests/cases/*/*" + k[4:].rstrip("/")))]
    assert not missing, f"no golden case has such a file: {missing}"


def test_every_path_named_exists() -> None:
    paths = mentioned_paths()
    assert len(paths) > 20, f"the path scan found only {paths}"
    missing = []
    for path in paths:
        # Placeholders: src/async_test_upgrade/codemods/<family>/<name>.py, NAME.notes.
        pattern = re.sub(r"<\w+>|\bNAME\b", "*", path).rstrip("/")
        if not any(ROOT.glob(pattern)):
            missing.append(path)
    assert not missing, f"paths CONTRIBUTING.md names that do not exist: {missing}"


def our_options() -> dict[str, set[str]]:
    return {
        name: {
            opt
            for param in command.params
            if isinstance(param, click.Option)
            for opt in (*param.opts, *param.secondary_opts)
        }
        for name, command in cli.commands.items()  # type: ignore[attr-defined]
    }


def options_in(words: list[str]) -> list[str]:
    return [w.split("=")[0] for w in words if re.fullmatch(r"--?[a-z][\w-]*(=.*)?", w)]


def test_every_async_test_upgrade_command_and_option_named_exists() -> None:
    options = our_options()
    checked = 0
    for words in commands():
        if words[0] != "async-test-upgrade":
            continue
        assert len(words) > 1 and words[1] in options, f"no such command: {words}"
        unknown = set(options_in(words[2:])) - options[words[1]]
        assert not unknown, f"{' '.join(words)}: {words[1]} has no {unknown}"
        checked += 1
    # An option named alone (`--select`) is an option of some command.
    alone = [s for s in code_spans(TEXT) if re.fullmatch(r"--[a-z][\w-]*", s)]
    every = set().union(*options.values())
    assert not set(alone) - every, f"no command has {set(alone) - every}"
    assert checked + len(alone) > 3, "the guide names almost no command or option"


@pytest.mark.parametrize("program", sorted(OURS))
def test_the_options_of_our_scripts_exist(program: str) -> None:
    lines = [
        words
        for words in commands()
        if words[0] in ("python", "python3")
        and (program in words[1:3] or words[1:3] == ["-m", program])
    ]
    assert lines, f"the guide never runs {program}"
    help_text = subprocess.run(
        OURS[program], cwd=ROOT, capture_output=True, text=True, check=True, timeout=120
    ).stdout
    for words in lines:
        for option in options_in(words[2:]):
            if option == "-m":
                continue
            assert re.search(rf"(^|[\s,[]){re.escape(option)}\b", help_text), (
                f"{' '.join(words)}: no {option} in {program} --help"
            )
