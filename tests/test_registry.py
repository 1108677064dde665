"""The catalogue: the pipeline order is derived from the relations the codemods declare,
and a relation to a name no codemod has stops it from loading."""

from __future__ import annotations

import ast
import dataclasses
from pathlib import Path

import pytest

from async_test_upgrade import engine, registry
from async_test_upgrade.facts import ProjectFacts
from async_test_upgrade.model import ConfigEdit, Note, Options
from async_test_upgrade.registry import Codemod, RegistryError, UnknownCodemodError

PACKAGE = Path(registry.__file__).parent / "codemods"


def record(name: str, after: tuple[str, ...] = (), defers_to: tuple[str, ...] = ()) -> Codemod:
    return Codemod(name=name, summary="", safety="safe", doc="", after=after, defers_to=defers_to)


def test_every_codemod_runs_after_what_it_declares() -> None:
    position = {c.name: i for i, c in enumerate(registry.catalogue())}
    for codemod in registry.catalogue():
        for earlier in codemod.after:
            assert position[earlier] < position[codemod.name], (codemod.name, earlier)


def test_order_is_derived_not_listed() -> None:
    # Independent codemods run by name; declared relations override that.
    got = registry.ordered([record("c"), record("a", after=("c",)), record("b")])
    assert [c.name for c in got] == ["b", "c", "a"]
    # The order does not depend on the order of registration.
    again = registry.ordered([record("b"), record("a", after=("c",)), record("c")])
    assert [c.name for c in again] == ["b", "c", "a"]


def test_a_renamed_codemod_breaks_loudly() -> None:
    with pytest.raises(RegistryError, match=r"a names 'old-name' in after"):
        registry.ordered([record("a", after=("old-name",)), record("new-name")])
    with pytest.raises(RegistryError, match=r"a names 'old-name' in defers_to"):
        registry.ordered([record("a", defers_to=("old-name",)), record("new-name")])


def test_a_cycle_is_refused() -> None:
    with pytest.raises(RegistryError, match="a, b"):
        registry.ordered([record("a", after=("b",)), record("b", after=("a",)), record("c")])


def test_asking_about_an_unknown_codemod_raises() -> None:
    options = Options(selected=frozenset({"strict-to-auto"}), known=frozenset(registry.by_name()))
    assert options.runs("strict-to-auto")
    assert not options.runs("strict-markers")
    with pytest.raises(UnknownCodemodError):
        options.runs("strict-to-automatic")


def test_the_engine_tells_the_options_every_codemod_name(tmp_path: Path) -> None:
    """The options know the catalogue's names without importing it: the engine fills
    them in, so a codemod asking about a renamed one fails in a real run too."""
    asked: list[bool] = []

    def configure(facts: ProjectFacts, options: Options) -> list[ConfigEdit | Note]:
        asked.append(options.runs("strict-to-auto"))
        options.runs("strict-to-automatic")
        return []

    asking = dataclasses.replace(record("asks-about-others"), configure=configure)
    (tmp_path / "test_one.py").write_text("def test_one():\n    pass\n", encoding="utf-8")
    with registry.registered(asking), pytest.raises(UnknownCodemodError, match="automatic"):
        engine.migrate([tmp_path], [asking], Options(), jobs=1)
    assert asked == [False]


def _asked_names(path: Path) -> set[str]:
    """The codemod names a module passes to ``runs(...)``: string literals, or module
    constants holding one (or a tuple of them, iterated)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    constants: dict[str, set[str]] = {}
    for node in tree.body:
        if isinstance(node, ast.Assign) and len(node.targets) == 1:
            target = node.targets[0]
            if isinstance(target, ast.Name):
                values = [node.value, *getattr(node.value, "elts", [])]
                constants[target.id] = {
                    v.value
                    for v in values
                    if isinstance(v, ast.Constant) and isinstance(v.value, str)
                }
    # A loop over such a tuple: ``for n in BODY_CODEMODS: ... runs(n)``.
    for loop in ast.walk(tree):
        if not isinstance(loop, (ast.For, ast.comprehension)):
            continue
        if isinstance(loop.target, ast.Name) and isinstance(loop.iter, ast.Name):
            constants[loop.target.id] = constants.get(loop.iter.id, set())
    asked: set[str] = set()
    for call in ast.walk(tree):
        if not (isinstance(call, ast.Call) and isinstance(call.func, ast.Attribute)):
            continue
        if call.func.attr == "runs" and call.args:
            argument = call.args[0]
            if isinstance(argument, ast.Constant) and isinstance(argument.value, str):
                asked.add(argument.value)
            elif isinstance(argument, ast.Name):
                asked |= constants.get(argument.id, {argument.id})
    return asked


def test_every_name_a_codemod_asks_about_exists_and_is_declared() -> None:
    known = registry.by_name()
    declared = {name for c in known.values() for name in c.defers_to}
    asked = {name for path in PACKAGE.rglob("*.py") for name in _asked_names(path)}
    assert asked, "no codemod asks about another: the scan is broken"
    assert asked <= set(known), asked - set(known)
    # Each name asked about is declared by at least one codemod (the one whose family
    # helper asks), so the relation shows in the record and `explain` can tell it.
    assert asked <= declared, asked - declared


def test_test_only_records_stay_out_of_the_order() -> None:
    extra = dataclasses.replace(record("zz-test-only"), after=("strict-to-auto",))
    with registry.registered(extra):
        names = [c.name for c in registry.catalogue()]
        assert names.index("zz-test-only") > names.index("strict-to-auto")
    assert "zz-test-only" not in registry.by_name()
