"""Copies of the codemods with one deliberate bug each, loaded beside the real ones.

The copy is a package of its own (``async_test_upgrade.codemods`` rewritten to its name in
every module, helpers included), so a bug in a shared helper reaches every codemod that
uses it, exactly as it would in the product. Its records are collected apart from the
catalogue (``registry.collecting``), same names and all.
"""

from __future__ import annotations

import hashlib
import importlib
import shutil
import sys
from dataclasses import dataclass
from pathlib import Path

from async_test_upgrade import registry

CODEMODS = Path(__file__).resolve().parents[1] / "src" / "async_test_upgrade" / "codemods"
PACKAGE = "async_test_upgrade.codemods"


@dataclass(frozen=True)
class Mutation:
    """Replace ``old`` by ``new`` (exactly ``count`` occurrences) in the codemod module
    ``module``, named by its file name (``strict_to_auto.py``) wherever its family is."""

    module: str
    old: str
    new: str
    count: int = 1

    @property
    def key(self) -> str:
        text = f"{self.module}\0{self.old}\0{self.new}".encode()
        return hashlib.sha256(text).hexdigest()[:12]


class MutationDoesNotApplyError(AssertionError):
    """The text to mutate is not in the codemod (any more): the mutation needs updating."""


def load(mutation: Mutation, directory: Path) -> tuple[registry.Codemod, ...]:
    """Every codemod, from a copy of the codemods package with ``mutation`` applied, in pipeline
    order. The copy is written under ``directory`` and imported from there."""
    package = f"atu_mutant_{mutation.key}"
    if package in sys.modules:  # loaded before in this process: the same bug
        return _records(sys.modules[package].__dict__["_records"])
    target = directory / package
    shutil.copytree(CODEMODS, target, ignore=shutil.ignore_patterns("__pycache__"))
    for path in target.rglob("*.py"):
        text = path.read_text(encoding="utf-8").replace(PACKAGE, package)
        if path.name == mutation.module:
            found = text.count(mutation.old)
            if found != mutation.count:
                raise MutationDoesNotApplyError(
                    f"{mutation.old!r} occurs {found} time(s) in {mutation.module}, "
                    f"expected {mutation.count}"
                )
            text = text.replace(mutation.old, mutation.new)
        path.write_text(text, encoding="utf-8")
    sys.path.insert(0, str(directory))
    try:
        with registry.collecting() as records:
            module = importlib.import_module(package)
            registry.import_codemods(package)
    finally:
        sys.path.remove(str(directory))
    module._records = dict(records)  # type: ignore[attr-defined]
    return _records(module._records)  # type: ignore[attr-defined]


def _records(records: dict[str, registry.Codemod]) -> tuple[registry.Codemod, ...]:
    return registry.ordered(records.values())
