"""
**What it does**

Finds tests comparing the raw body of an HTTP request with a hand-written JSON text that
has spaces after ``:`` or ``,``, and compares the parsed JSON instead::

    assert request.content == b'{"name": "widget", "tags": ["a", "b"]}'

becomes::

    assert json.loads(request.content) == json.loads(b'{"name": "widget", "tags": ["a", "b"]}')

The body side is an expression ending in ``.content``, ``.read()``, ``.text`` or
``.body`` (``request.content``, ``route.calls.last.request.content``,
``httpx_mock.get_request().read()``, ``sent[-1].content``); the other side is a string or
bytes literal holding a JSON object or array. ``import json`` is added when
missing. Only projects declaring httpx, respx or pytest-httpx, or files using them, are
looked at.

**Why**

httpx 0.28 serialises ``json=`` request bodies compactly (``{"name":"widget"}``, no spaces
after ``:`` and ``,``), where 0.27 and earlier wrote them with spaces. A test comparing the
body text with the spaced form fails after the upgrade although the request is the same
JSON. Comparing the parsed values checks what the test meant.

**Example**

Before::

    def test_create(httpx_mock):
        ...
        assert httpx_mock.get_request().read() == b'{"id": 1, "name": "x"}'

After::

    import json

    def test_create(httpx_mock):
        ...
        assert json.loads(httpx_mock.get_request().read()) == json.loads(b'{"id": 1, "name": "x"}')

**When it refuses**

A literal that is not JSON, or already compact, is left alone (it may be compared on
purpose, or already match). A spaced JSON literal given as pytest-httpx's
``match_content=`` is reported, not rewritten: pytest-httpx compares those bytes itself
(``match_json=`` compares the parsed value). Applied rewrites are listed for review: they
compare the value, no longer the formatting, which matters when the test built the body
itself with ``content=``.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

import libcst as cst

from async_test_upgrade.cst import CodemodTransformer, FileContext, keyword
from async_test_upgrade.registry import codemod

if TYPE_CHECKING:
    from async_test_upgrade.facts import ProjectFacts
    from async_test_upgrade.gate import CodeIndex

BODY_ATTRIBUTES = ("content", "text", "body")
HTTPX_MODULES = ("httpx", "respx", "pytest_httpx", "httpx_mock")


def _spaced_json(node: cst.BaseExpression) -> bool:
    """A string or bytes literal holding a JSON object or array written with spaces
    after ``:`` or ``,`` (so unlike what httpx 0.28 sends)."""
    if not isinstance(node, cst.SimpleString | cst.ConcatenatedString):
        return False
    value = node.evaluated_value
    if isinstance(value, bytes):
        try:
            value = value.decode("utf-8")
        except UnicodeDecodeError:
            return False
    if not isinstance(value, str):
        return False
    text = value.strip()
    if not text.startswith(("{", "[")):
        return False
    try:
        parsed = json.loads(text)
    except ValueError:
        return False
    compact = json.dumps(parsed, separators=(",", ":"), ensure_ascii=False)
    return compact != text and (": " in text or ", " in text)


def _dotted_words(node: cst.BaseExpression) -> list[str]:
    words: list[str] = []
    while True:
        if isinstance(node, cst.Call):
            node = node.func
        elif isinstance(node, cst.Attribute):
            words.append(node.attr.value)
            node = node.value
        elif isinstance(node, cst.Subscript):
            node = node.value
        elif isinstance(node, cst.Name):
            words.append(node.value)
            return words
        else:
            return words


def _is_request_body(node: cst.BaseExpression) -> bool:
    """A message body: ``<...>.content`` / ``.text`` / ``.body`` / ``.read()``. Which
    message it is does not matter: httpx 0.28 also builds ``Response(json=...)`` bodies
    compactly, and a server's own JSON is compact (or the comparison failed before)."""
    if isinstance(node, cst.Call) and not node.args and isinstance(node.func, cst.Attribute):
        return node.func.attr.value == "read" and bool(_dotted_words(node.func.value))
    return isinstance(node, cst.Attribute) and node.attr.value in BODY_ATTRIBUTES


def _loads(value: cst.BaseExpression) -> cst.Call:
    return cst.Call(
        func=cst.Attribute(value=cst.Name("json"), attr=cst.Name("loads")),
        args=[cst.Arg(value.with_changes(lpar=[], rpar=[]))],
    )


@codemod(
    name="httpx-json-body-compare",
    summary="raw request bodies compared with spaced JSON text -> compare parsed JSON",
    after=("httpx-app-to-transport",),
    safety="review",
    triggers=("content", "read()", "match_content"),
    produces=(
        "json",
        "loads",
    ),
)
class HttpxJsonBodyCompare(CodemodTransformer):
    @staticmethod
    def gate(code: CodeIndex, facts: ProjectFacts) -> bool:
        """A file using httpx (or its mocking libraries), in a project that does."""
        declared = facts.declared_packages
        if any(name in declared for name in ("httpx", "respx", "pytest-httpx")):
            return True
        return any(code.mentions(module) for module in HTTPX_MODULES)

    def __init__(self, ctx: FileContext) -> None:
        super().__init__(ctx)

    def leave_Comparison(
        self, original_node: cst.Comparison, updated_node: cst.Comparison
    ) -> cst.BaseExpression:
        if len(original_node.comparisons) != 1:
            return updated_node
        target = original_node.comparisons[0]
        if not isinstance(target.operator, cst.Equal | cst.NotEqual):
            return updated_node
        left, right = original_node.left, target.comparator
        body_against_text = (_is_request_body(left) and _spaced_json(right)) or (
            _is_request_body(right) and _spaced_json(left)
        )
        if not body_against_text:
            return updated_node
        self.add_import("json")
        self.changed(
            original_node,
            "request body compared with spaced JSON text -> parsed JSON compared (httpx 0.28 "
            "sends json= bodies without spaces)",
        )
        self.review(
            original_node,
            "now compares the parsed JSON of the request body, not its exact text (httpx "
            "0.28 sends json= bodies without spaces); if the test built the body itself, "
            "check the formatting did not matter",
        )
        comparison = updated_node.comparisons[0]
        return updated_node.with_changes(
            left=_loads(updated_node.left),
            comparisons=[comparison.with_changes(comparator=_loads(comparison.comparator))],
        )

    def visit_Call(self, node: cst.Call) -> None:
        argument = keyword(node, "match_content")
        if argument is not None and _spaced_json(argument.value):
            self.review(
                node,
                "match_content= holds JSON with spaces, and httpx 0.28 sends json= bodies "
                "without them: a request sent with json= will not match; use match_json= with "
                "the value",
            )
