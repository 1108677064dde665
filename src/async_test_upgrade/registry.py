"""The Codemod record and the ordered catalogue.

A codemod module registers itself with the :func:`codemod` decorator, on either a
LibCST transformer class (source rewrites) or a function of the project facts
(configuration-only codemods). The catalogue imports every module of
``async_test_upgrade.codemods`` (one sub-package per family) and derives the pipeline
order from what each record declares it must run ``after``, so adding a codemod never
means editing a shared list, and no codemod refers to another by a name that is not
checked: unknown names and cycles stop the catalogue from loading.
"""

from __future__ import annotations

import heapq
import importlib
import inspect
import pkgutil
import textwrap
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING, Literal, TypeVar

from async_test_upgrade.model import ConfigEdit, Note, Options, Version
from async_test_upgrade.model import UnknownCodemodError as UnknownCodemodError

if TYPE_CHECKING:
    from async_test_upgrade.cst import CodemodTransformer
    from async_test_upgrade.facts import ProjectFacts
    from async_test_upgrade.gate import CodeIndex

Safety = Literal["safe", "review"]
#: The oldest pytest-asyncio a migration can target (auto mode, ``pytest_asyncio.fixture``).
DEFAULT_MIN_TARGET: Version = (0, 17)

#: A configuration-only codemod: project facts in, settings and notes out.
ConfigureFunction = Callable[["ProjectFacts", Options], Sequence[ConfigEdit | Note]]


@dataclass(frozen=True)
class Codemod:
    name: str
    summary: str
    safety: Safety
    #: The module docstring: What it does / Why / Example / When it refuses.
    doc: str
    #: Cheap byte strings; a file containing none of them is never parsed for this codemod.
    triggers: tuple[bytes, ...] = ()
    transformer: type[CodemodTransformer] | None = None
    configure: ConfigureFunction | None = None
    #: The oldest pytest-asyncio whose API the result uses.
    min_target: Version = DEFAULT_MIN_TARGET
    #: A cheaper "no" before the LibCST parse, for triggers too common to decide
    #: anything: a predicate on the file's code words (see ``gate.py``).
    gate: Callable[[CodeIndex, ProjectFacts], bool] | None = None
    #: For codemods that fix what a newer Python breaks or deprecates: why it matters, in
    #: a few words. In library code, out of a test migration's scope (``scope.py``), their
    #: findings become notes with this reason instead of rewrites.
    library_note: str = ""
    #: What else the rewritten code needs to run: distribution name (``"python"`` for
    #: the interpreter) and its oldest version. ``verify`` runs a codemod's output alone on
    #: the legacy stack only where that stack meets these and ``min_target``.
    needs: tuple[tuple[str, Version], ...] = ()
    #: Codemods whose output this one must see: when both run, they run first. The
    #: pipeline order is derived from these (ties broken by name).
    after: tuple[str, ...] = ()
    #: Codemods whose being selected changes what this one does: it asks
    #: ``options.runs(name)`` and leaves the work to them, or relies on what they write.
    defers_to: tuple[str, ...] = ()
    #: The code words its output can hold that its input need not have (names it
    #: writes, ``async def``, ``await``): a later codemod's triggers and gate see them
    #: in every file this one may apply to, so no gate needs to know who writes what.
    produces: frozenset[str] = frozenset()

    def output_needs(self) -> dict[str, Version]:
        """Everything the rewritten code needs: ``needs``, and pytest-asyncio from
        ``min_target`` when the output uses an API newer than the oldest supported."""
        found = dict(self.needs)
        if self.min_target > DEFAULT_MIN_TARGET:
            found["pytest-asyncio"] = max(found.get("pytest-asyncio", (0, 0)), self.min_target)
        return found


_REGISTERED: dict[str, Codemod] = {}

T = TypeVar("T")


def codemod(
    *,
    name: str,
    summary: str,
    safety: Safety,
    after: Sequence[str] = (),
    defers_to: Sequence[str] = (),
    triggers: Sequence[str] = (),
    min_target: Version = DEFAULT_MIN_TARGET,
    library_note: str = "",
    needs: Mapping[str, Version] | None = None,
    produces: Sequence[str] = (),
) -> Callable[[T], T]:
    """Register the decorated transformer class or configure function as a codemod.

    A transformer class that also defines ``configure(facts, options)`` as a staticmethod
    gets both: the per-file rewrite and the project-level settings. One that defines
    ``gate(code, facts)`` as a staticmethod is not parsed for files whose code fails it.
    """

    def register(target: T) -> T:
        module = inspect.getmodule(target)
        doc = inspect.cleandoc(module.__doc__ or "") if module else ""
        if not doc:
            raise ValueError(f"codemod {name} has no module docstring to explain it")
        if name in _REGISTERED:
            raise ValueError(f"two codemods are named {name}")
        is_class = isinstance(target, type)
        _REGISTERED[name] = Codemod(
            name=name,
            summary=summary,
            safety=safety,
            doc=doc,
            triggers=tuple(t.encode() for t in triggers),
            transformer=target if is_class else None,  # type: ignore[arg-type]
            # A transformer class may also carry a ``configure`` staticmethod: settings it
            # requests from the project facts alone, even when no file is triggered.
            configure=getattr(target, "configure", None) if is_class else target,  # type: ignore[arg-type]
            min_target=min_target,
            gate=getattr(target, "gate", None) if is_class else None,
            library_note=library_note,
            needs=tuple(sorted((needs or {}).items())),
            after=tuple(after),
            defers_to=tuple(defers_to),
            produces=frozenset(produces),
        )
        if is_class:
            target.codemod_name = name  # type: ignore[attr-defined]
        return target

    return register


@cache
def catalogue() -> tuple[Codemod, ...]:
    """Every codemod, in pipeline order."""
    import_codemods("async_test_upgrade.codemods")
    return ordered(_REGISTERED.values())


class RegistryError(ValueError):
    """The codemods declare relations that cannot hold: an unknown name or a cycle."""


def ordered(records: Iterable[Codemod]) -> tuple[Codemod, ...]:
    """``records`` in pipeline order: each after every record it names in ``after``,
    otherwise by name. Raises :class:`RegistryError` for a relation to a name no record
    has (a renamed codemod) and for a cycle."""
    known = {record.name: record for record in records}
    unknown = sorted(
        f"{record.name} names {other!r} in {field}"
        for record in known.values()
        for field, names in (("after", record.after), ("defers_to", record.defers_to))
        for other in names
        if other not in known
    )
    if unknown:
        raise RegistryError(f"unknown codemod in a declared relation: {'; '.join(unknown)}")
    waiting = {name: set(record.after) for name, record in known.items()}
    ready = [name for name, before in waiting.items() if not before]
    heapq.heapify(ready)
    order: list[Codemod] = []
    while ready:
        name = heapq.heappop(ready)
        order.append(known[name])
        for other, before in waiting.items():
            if name in before:
                before.discard(name)
                if not before:
                    heapq.heappush(ready, other)
    if len(order) < len(known):
        stuck = sorted(name for name, before in waiting.items() if before)
        raise RegistryError(f"codemods that must each run after another: {', '.join(stuck)}")
    return tuple(order)


def import_codemods(package_name: str) -> None:
    """Import every codemod module of a package: one sub-package per family, walked, so
    adding a codemod or a family never means editing a list. Modules whose name starts
    with ``_`` hold a family's shared helpers and are imported by those who use them."""
    package = importlib.import_module(package_name)
    for info in pkgutil.walk_packages(package.__path__, f"{package_name}."):
        if not info.ispkg and not info.name.rpartition(".")[2].startswith("_"):
            importlib.import_module(info.name)


@contextmanager
def registered(record: Codemod) -> Iterator[Codemod]:
    """Make a record built outside the codemods package part of the catalogue for a while.

    For tests that need a codemod the product must never ship (the harness tests inject
    a deliberately broken one to prove ``verify`` catches it).
    """
    if record.name in {c.name for c in catalogue()}:
        raise ValueError(f"two codemods are named {record.name}")
    _REGISTERED[record.name] = record
    catalogue.cache_clear()
    try:
        yield record
    finally:
        del _REGISTERED[record.name]
        catalogue.cache_clear()


@contextmanager
def collecting() -> Iterator[dict[str, Codemod]]:
    """Send the registrations made meanwhile to a fresh dict instead of the catalogue.

    For loading a copy of the codemod modules beside the real ones (the mutation tests
    load copies with deliberate bugs): the copy's records, same names included, never
    meet the catalogue's.
    """
    global _REGISTERED
    catalogue()  # the real catalogue is complete before the swap
    saved, _REGISTERED = _REGISTERED, {}
    try:
        yield _REGISTERED
    finally:
        _REGISTERED = saved


def by_name() -> dict[str, Codemod]:
    return {c.name: c for c in catalogue()}


def select(select: Sequence[str] = (), skip: Sequence[str] = ()) -> tuple[Codemod, ...]:
    """The codemods to run: all, or the ``select``ed ones, minus the ``skip``ped ones."""
    known = by_name()
    unknown = [n for n in (*select, *skip) if n not in known]
    if unknown:
        raise UnknownCodemodError(_unknown_message(unknown, known))
    both = sorted(set(select) & set(skip))
    if both:
        raise UnknownCodemodError(f"{', '.join(both)}: both selected and skipped")
    chosen = set(select) if select else set(known)
    chosen -= set(skip)
    return tuple(c for c in catalogue() if c.name in chosen)


def _unknown_message(unknown: Sequence[str], known: Mapping[str, Codemod]) -> str:
    """Which names are unknown, the closest valid one for each, and every valid name."""
    import difflib

    hints = []
    for name in unknown:
        close = difflib.get_close_matches(name, list(known), n=1, cutoff=0.6)
        hints.append(f"{name!r} (did you mean {close[0]!r}?)" if close else repr(name))
    return f"unknown codemod {', '.join(hints)}; valid names: {', '.join(known)}"


def explain(name: str) -> str:
    record = by_name().get(name)
    if record is None:
        raise UnknownCodemodError(_unknown_message([name], by_name()))
    header = f"{record.name} ({record.safety})\n{record.summary}\n"
    if record.min_target > DEFAULT_MIN_TARGET:
        header += f"Needs pytest-asyncio >= {record.min_target[0]}.{record.min_target[1]}.\n"
    if record.after:
        header += f"Runs after: {', '.join(record.after)}.\n"
    if record.defers_to:
        header += f"Depends on whether these run: {', '.join(record.defers_to)}.\n"
    return header + "\n" + textwrap.dedent(record.doc).strip() + "\n"
