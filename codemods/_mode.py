"""The asyncio mode the migrated suite will run in, as every codemod must assume it."""

from __future__ import annotations

from typing import Literal

from async_test_upgrade.facts import ProjectFacts
from async_test_upgrade.model import Options

Mode = Literal["auto", "strict"]


def target_mode(facts: ProjectFacts, options: Options) -> Mode:
    """auto or strict after migration.

    The user's ``--asyncio-mode`` wins. Otherwise the suite ends in auto mode when
    ``strict-to-auto`` runs and no anyio/trio tests are found (auto mode would take over
    their fixtures), and keeps its configured mode otherwise (legacy counts as auto, its
    successor; no mode at all is pytest-asyncio's default, strict).
    """
    if options.asyncio_mode is not None:
        return options.asyncio_mode
    configured = (facts.asyncio_mode or "strict").strip().lower()
    if configured in ("auto", "legacy"):
        return "strict" if configured == "legacy" and facts.uses_anyio_or_trio else "auto"
    if "strict-to-auto" in options.selected and not facts.uses_anyio_or_trio:
        return "auto"
    return "strict"
