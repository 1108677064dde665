"""One of our transformers wrapped as a LibCST codemod command, so that LibCST's own
parallel runner (``python -m libcst.tool codemod``) can run it: the peer we measure
against. It parses every file it is given, as LibCST's runner always does."""

from __future__ import annotations

import libcst as cst
from libcst.codemod import CodemodContext, VisitorBasedCodemodCommand

from async_test_upgrade.cst import FileContext
from async_test_upgrade.facts import ProjectFacts
from async_test_upgrade.model import Options
from async_test_upgrade.registry import by_name


class MarkerScopePeer(VisitorBasedCodemodCommand):
    DESCRIPTION = "marker-scope-to-loop-scope through LibCST's codemod runner"

    def __init__(self, context: CodemodContext) -> None:
        super().__init__(context)

    def transform_module_impl(self, tree: cst.Module) -> cst.Module:
        record = by_name()["marker-scope-to-loop-scope"]
        assert record.transformer is not None
        ctx = FileContext(self.context.filename or "", "", ProjectFacts(), Options())
        return cst.MetadataWrapper(tree, unsafe_skip_copy=True).visit(record.transformer(ctx))
