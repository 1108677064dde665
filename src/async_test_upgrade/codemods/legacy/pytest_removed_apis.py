"""
**What it does**

Rewrites what pytest 9 removed and what stops a suite from even starting:

* hook implementations taking a ``py.path.local`` argument take its ``pathlib.Path``
  successor: ``pytest_ignore_collect(path, config)`` -> ``(collection_path, config)``,
  ``pytest_collect_file(path, parent)`` -> ``(file_path, parent)``,
  ``pytest_pycollect_makemodule(path, parent)`` -> ``(module_path, parent)``,
  ``pytest_report_header(config, startdir)`` and
  ``pytest_report_collectionfinish(config, startdir, items)`` -> ``start_path``. A hook
  already taking both drops the old one. The body follows: ``p.basename`` becomes
  ``p.name``, ``p.ext`` ``p.suffix``, ``p.purebasename`` ``p.stem``, ``p.dirpath()``
  ``p.parent``, ``p.dirname`` ``str(p.parent)``, ``p.strpath`` ``str(p)``; ``str(p)``,
  ``os.fspath(p)``, ``os.path.*(p)`` and ``f"{p}"`` stay as they are (a ``Path`` gives the
  same text).
* ``@pytest.yield_fixture`` (also called with arguments) becomes ``@pytest.fixture``.

Module-level hook functions and methods of plugin classes are both handled.

**Why**

pytest 9.0 removed the legacy ``path``/``startdir`` hook arguments (deprecated in 7.0):
a conftest still declaring them stops the run at start-up with ``PluginValidationError:
... Argument(s) {'path'} are declared in the hookimpl but can not be found in the
hookspec``. ``pytest.yield_fixture`` is a deprecated alias of ``pytest.fixture`` and warns
(a failure under ``filterwarnings = error``).

**Example**

Before (``conftest.py``)::

    import pytest

    def pytest_ignore_collect(path, config):
        return path.basename.startswith("_") or path.ext == ".txt"

    @pytest.yield_fixture
    def server():
        yield start()

After::

    import pytest

    def pytest_ignore_collect(collection_path, config):
        return collection_path.name.startswith("_") or collection_path.suffix == ".txt"

    @pytest.fixture
    def server():
        yield start()

**When it refuses**

A hook whose old argument is used any other way (``p.join(...)``, ``p.check(...)``,
``p.relto(...)``, ``p.read()``, passed to another function, compared, rebound) is left
alone and reported with the line: ``pathlib`` has no one-to-one form for those, and a
guess could change what the hook decides.
"""

from __future__ import annotations

from collections.abc import Collection
from typing import Any, ClassVar

import libcst as cst
from libcst.metadata import ProviderT, QualifiedNameProvider

from async_test_upgrade.codemods.event_loop._event_loop import (
    function_scopes,
    parent,
    without_param,
)
from async_test_upgrade.cst import CodemodTransformer, FileContext, callee
from async_test_upgrade.providers import ParentProvider
from async_test_upgrade.registry import codemod

#: hook -> (the removed ``py.path`` argument, its ``pathlib`` successor).
HOOKS = {
    "pytest_ignore_collect": ("path", "collection_path"),
    "pytest_collect_file": ("path", "file_path"),
    "pytest_pycollect_makemodule": ("path", "module_path"),
    "pytest_report_header": ("startdir", "start_path"),
    "pytest_report_collectionfinish": ("startdir", "start_path"),
}
#: ``p.<attribute>`` of a py.path.local -> the expression for a Path named ``p``.
ATTRIBUTES = {"basename": "name", "ext": "suffix", "purebasename": "stem"}
#: Calls that take either kind of path and give the same result.
PATH_NEUTRAL_CALLS = ("builtins.str", "os.fspath")


@codemod(
    name="pytest-removed-apis",
    summary="py.path hook arguments -> pathlib ones; @pytest.yield_fixture -> @pytest.fixture",
    safety="safe",
    triggers=(*HOOKS, "yield_fixture"),
    needs={"pytest": (7, 0)},
    produces=(
        "collection_path",
        "fixture",
        "name",
        "start_path",
        "stem",
        "suffix",
    ),
)
class PytestRemovedApis(CodemodTransformer):
    METADATA_DEPENDENCIES: ClassVar[Collection[ProviderT]] = (
        QualifiedNameProvider,
        ParentProvider,
    )

    def __init__(self, ctx: FileContext) -> None:
        super().__init__(ctx)
        #: id of an original hook -> (old name, new name, drop the old parameter).
        self.hooks: dict[int, tuple[str, str, bool]] = {}
        #: id of an original Name/Attribute/Call of the old argument -> replacement.
        self.replacements: dict[int, cst.BaseExpression] = {}
        self.depth = 0

    # --- hooks ---------------------------------------------------------------------------

    def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
        self.depth += 1
        names = HOOKS.get(node.name.value)
        if names is None or self.depth > 2:
            return
        old, new = names
        params = [p.name.value for p in node.params.params]
        if old not in params:
            return
        param = node.params.params[params.index(old)]
        uses = self._uses(node, param)
        if uses is None:
            return
        plan: dict[int, cst.BaseExpression] = {}
        for use in uses:
            replacement = self._replacement(use, new)
            if replacement is None:
                self.review(
                    node,
                    f"{node.name.value}: its {old} argument (a py.path.local, removed in pytest "
                    f"9) is used at line {self.line(use)} in a way pathlib has no one-to-one "
                    f"form for; rename it to {new} (a pathlib.Path) and adapt that use by hand",
                )
                return
            target, expression = replacement
            plan[id(target)] = expression
        self.replacements.update(plan)
        self.hooks[id(node)] = (old, new, new in params)

    def _uses(self, node: cst.FunctionDef, param: cst.Param) -> list[cst.Name] | None:
        scope = function_scopes(self, node).get(param.name)
        assignments = list(scope.assignments[param.name.value]) if scope is not None else []
        if len(assignments) != 1:
            self.review(
                node,
                f"{node.name.value}: its {param.name.value} argument is rebound in the hook; "
                "rename it to the pathlib argument by hand",
            )
            return None
        found = []
        for access in assignments[0].references:
            if not isinstance(access.node, cst.Name):
                return None
            found.append(access.node)
        return found

    def _replacement(
        self, use: cst.CSTNode, new: cst.BaseExpression | str
    ) -> tuple[cst.CSTNode, cst.BaseExpression] | None:
        """What to replace around ``use`` (the old argument, or a ``.dirpath()`` of it),
        whose pathlib form is ``new``: the node, and its new form; None when the use has
        no safe pathlib form."""
        renamed = cst.Name(new) if isinstance(new, str) else new
        above = parent(self, use)
        if isinstance(above, cst.Attribute) and above.value is use:
            attribute = above.attr.value
            if attribute in ATTRIBUTES:
                return above, cst.Attribute(value=renamed, attr=cst.Name(ATTRIBUTES[attribute]))
            if attribute == "strpath":
                return above, _call("str", renamed)
            if attribute == "dirname":
                return above, _call("str", cst.Attribute(value=renamed, attr=cst.Name("parent")))
            call = parent(self, above)
            if attribute == "dirpath" and isinstance(call, cst.Call) and not call.args:
                # A path again: what is done with it decides.
                return self._replacement(
                    call, cst.Attribute(value=renamed, attr=cst.Name("parent"))
                )
            return None
        if isinstance(above, cst.Arg) and above.value is use:
            call = parent(self, above)
            if isinstance(call, cst.Call) and len(call.args) == 1:
                names = self.qualified_names(call.func)
                if names & set(PATH_NEUTRAL_CALLS) or any(n.startswith("os.path.") for n in names):
                    return use, renamed
            return None
        if isinstance(above, cst.FormattedStringExpression) and above.expression is use:
            return use, renamed
        return None

    def leave_FunctionDef(
        self, original_node: cst.FunctionDef, updated_node: cst.FunctionDef
    ) -> cst.FunctionDef:
        self.depth -= 1
        plan = self.hooks.get(id(original_node))
        if plan is None:
            return updated_node
        old, new, has_new = plan
        if has_new:
            what = f"dropped its {old} argument (removed in pytest 9; it also takes {new})"
            self.changed(original_node, f"hook {original_node.name.value}: {what}")
            return without_param(updated_node, old)
        params = [
            p.with_changes(name=cst.Name(new)) if p.name.value == old else p
            for p in updated_node.params.params
        ]
        what = f"{old} (py.path.local, removed in pytest 9) -> {new} (pathlib.Path)"
        self.changed(original_node, f"hook {original_node.name.value}: {what}")
        return updated_node.with_changes(params=updated_node.params.with_changes(params=params))

    def on_leave(  # type: ignore[override]
        self, original_node: cst.CSTNode, updated_node: cst.CSTNode
    ) -> Any:
        result = super().on_leave(original_node, updated_node)
        replacement = self.replacements.get(id(original_node))
        if replacement is None:
            return result
        if isinstance(result, cst.BaseExpression) and hasattr(result, "lpar"):
            return replacement.with_changes(lpar=result.lpar, rpar=result.rpar)
        return replacement

    # --- pytest.yield_fixture ------------------------------------------------------------

    def leave_Decorator(
        self, original_node: cst.Decorator, updated_node: cst.Decorator
    ) -> cst.Decorator:
        target = callee(original_node.decorator)
        if not self.is_name(target, "pytest.yield_fixture"):
            return updated_node
        self.changed(original_node, "@pytest.yield_fixture -> @pytest.fixture (its alias)")
        fixture = _fixture_spelling(target)
        if isinstance(fixture, cst.Name):
            self.add_import("pytest", "fixture")
            self.drop_import_if_unused("pytest", "yield_fixture")
        expression = updated_node.decorator
        if isinstance(expression, cst.Call):
            return updated_node.with_changes(decorator=expression.with_changes(func=fixture))
        return updated_node.with_changes(decorator=fixture)


def _call(function: str, argument: cst.BaseExpression) -> cst.Call:
    return cst.Call(func=cst.Name(function), args=[cst.Arg(argument)])


def _fixture_spelling(target: cst.BaseExpression) -> cst.BaseExpression:
    """``pytest.fixture`` spelled like ``target`` (``pytest.yield_fixture``,
    ``pt.yield_fixture``, or a bare ``yield_fixture`` imported from pytest)."""
    if isinstance(target, cst.Attribute):
        return target.with_changes(attr=cst.Name("fixture"))
    return cst.Name("fixture")
