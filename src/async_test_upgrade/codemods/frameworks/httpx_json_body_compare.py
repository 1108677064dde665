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
missing.

A body can also come back as text inside a larger value, as from an endpoint echoing what
it received: ``assert r.json() == {"body": '{"a": "123"}'}``. Where the same test sends
that body itself (``json=`` a literal, or a name assigned one once) and the expected text is
exactly what httpx before 0.28 wrote for it, the text is written as httpx 0.28 writes it::

    r = client.post("/echo", json={"a": "123"})
    assert r.json() == {"body": '{"a":"123"}'}

Only projects declaring httpx, respx, pytest-httpx, Starlette or FastAPI (whose
``TestClient`` is an httpx client), or files using them, are looked at.

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

Before (an endpoint echoing the body it received)::

    from starlette.testclient import TestClient

    def test_echo(client: TestClient):
        r = client.post("/echo", json={"a": "123"})
        assert r.json() == {"body": '{"a": "123"}'}

After::

    from starlette.testclient import TestClient

    def test_echo(client: TestClient):
        r = client.post("/echo", json={"a": "123"})
        assert r.json() == {"body": '{"a":"123"}'}

**When it refuses**

A literal that is not JSON, or already compact, is left alone (it may be compared on
purpose, or already match). A spaced JSON literal given as pytest-httpx's
``match_content=`` is reported, not rewritten: pytest-httpx compares those bytes itself
(``match_json=`` compares the parsed value). Applied rewrites are listed for review: they
compare the value, no longer the formatting, which matters when the test built the body
itself with ``content=``. A JSON text inside an expected value is left alone unless the
test sends that very body with ``json=`` (built elsewhere, or sent with ``content=``, it may
be compared on purpose); the rewritten text is listed for review, since it assumes the
request goes through httpx 0.28.
"""

from __future__ import annotations

import ast
import json
from collections.abc import Iterator
from typing import TYPE_CHECKING

import libcst as cst

from async_test_upgrade.cst import CodemodTransformer, FileContext, Visitor, keyword
from async_test_upgrade.registry import codemod

if TYPE_CHECKING:
    from async_test_upgrade.facts import ProjectFacts
    from async_test_upgrade.gate import CodeIndex

BODY_ATTRIBUTES = ("content", "text", "body")
HTTPX_MODULES = ("httpx", "respx", "pytest_httpx", "httpx_mock", "starlette", "fastapi")
#: Distributions whose test clients send ``json=`` through httpx.
HTTPX_DISTRIBUTIONS = ("httpx", "respx", "pytest-httpx", "starlette", "fastapi")


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


_CODE = cst.Module([])
#: Literals an expected value is built of: the JSON texts inside them are looked at.
_CONTAINERS = (cst.Dict, cst.List, cst.Tuple, cst.Set)


def _literal_value(node: cst.BaseExpression) -> object:
    """The value of a literal expression (``{"a": "123"}``), or ``_NOT_LITERAL``."""
    try:
        return ast.literal_eval(f"({_CODE.code_for_node(node)})")
    except (ValueError, TypeError, SyntaxError, MemoryError, RecursionError):
        return _NOT_LITERAL


_NOT_LITERAL = object()


def _httpx_bodies(payload: object) -> tuple[str, str] | None:
    """The body httpx before 0.28 sent for ``json=payload`` and the one 0.28 sends."""
    if not isinstance(payload, dict | list):
        return None
    try:
        spaced = json.dumps(payload)
        compact = json.dumps(payload, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    except (TypeError, ValueError):
        return None
    return spaced, compact


class _JsonPayloads(Visitor):
    """The bodies of the ``json=`` arguments of one function whose value is a literal,
    directly or through a name assigned once: as httpx before 0.28 wrote them (spaced),
    and as 0.28 does (compact)."""

    def __init__(self) -> None:
        super().__init__()
        self.payloads: list[cst.BaseExpression] = []
        self.assigned: dict[str, list[cst.BaseExpression]] = {}

    def visit_Call(self, node: cst.Call) -> None:
        argument = keyword(node, "json")
        if argument is not None:
            self.payloads.append(argument.value)

    def visit_Assign(self, node: cst.Assign) -> None:
        for target in node.targets:
            if isinstance(target.target, cst.Name):
                self.assigned.setdefault(target.target.value, []).append(node.value)

    def bodies(self) -> Iterator[tuple[str, str]]:
        for value in self.payloads:
            if isinstance(value, cst.Name):
                values = self.assigned.get(value.value, [])
                if len(values) != 1:
                    continue
                value = values[0]
            found = _httpx_bodies(_literal_value(value))
            if found is not None:
                yield found


def _rewritten_literal(node: cst.SimpleString, text: str) -> cst.SimpleString | None:
    """A literal of the same kind and quotes as ``node`` holding ``text``, or None when
    that cannot be written plainly (a raw string needing escapes, bytes beyond ASCII)."""
    quote = node.quote
    prefix = node.prefix
    is_bytes = "b" in prefix.lower()
    if is_bytes and not text.isascii():
        return None
    if "r" in prefix.lower():
        body = text
    else:
        body = text.replace("\\", "\\\\").replace(quote[0], "\\" + quote[0])
    candidate = cst.SimpleString(f"{prefix}{quote}{body}{quote}")
    wanted: str | bytes = text.encode("utf-8") if is_bytes else text
    try:
        if ast.literal_eval(candidate.value) != wanted:
            return None
    except (ValueError, SyntaxError):
        return None
    return candidate


def _expected_texts(node: cst.BaseExpression) -> Iterator[cst.SimpleString]:
    """The string and bytes literals of a compared side holding spaced JSON: the side
    itself, or inside the dicts, lists, tuples and sets it is built of (not inside calls,
    which may parse or transform them)."""
    if isinstance(node, cst.SimpleString):
        if _spaced_json(node):
            yield node
    elif isinstance(node, cst.Dict):
        for element in node.elements:
            if isinstance(element, cst.DictElement):
                yield from _expected_texts(element.key)
                yield from _expected_texts(element.value)
    elif isinstance(node, _CONTAINERS):
        for item in node.elements:
            if isinstance(item, cst.Element):
                yield from _expected_texts(item.value)


def _with_texts(node: cst.BaseExpression, replacements: dict[str, str]) -> cst.BaseExpression:
    """``node`` with the literals ``_expected_texts`` finds (by their code) replaced."""
    if isinstance(node, cst.SimpleString):
        written = replacements.get(node.value)
        return node if written is None else node.with_changes(value=written)
    if isinstance(node, cst.Dict):
        elements: list[cst.BaseDictElement] = [
            element.with_changes(
                key=_with_texts(element.key, replacements),
                value=_with_texts(element.value, replacements),
            )
            if isinstance(element, cst.DictElement)
            else element
            for element in node.elements
        ]
        return node.with_changes(elements=elements)
    if isinstance(node, _CONTAINERS):
        items = [
            item.with_changes(value=_with_texts(item.value, replacements))
            if isinstance(item, cst.Element)
            else item
            for item in node.elements
        ]
        return node.with_changes(elements=items)
    return node


def _loads(value: cst.BaseExpression) -> cst.Call:
    return cst.Call(
        func=cst.Attribute(value=cst.Name("json"), attr=cst.Name("loads")),
        args=[cst.Arg(value.with_changes(lpar=[], rpar=[]))],
    )


@codemod(
    name="httpx-json-body-compare",
    summary="raw request bodies compared with spaced JSON text -> compare parsed JSON; "
    "echoed json= bodies expected as text -> compact",
    after=("httpx-app-to-transport",),
    safety="review",
    triggers=("content", "read()", "match_content", "json="),
    # An echoed body expected compactly is what httpx 0.28 sends; 0.27 sent it spaced.
    needs={"httpx": (0, 28)},
    produces=(
        "json",
        "loads",
    ),
)
class HttpxJsonBodyCompare(CodemodTransformer):
    @staticmethod
    def gate(code: CodeIndex, facts: ProjectFacts) -> bool:
        """A file using httpx (or its mocking libraries, or a test client built on it),
        in a project that does."""
        declared = facts.declared_packages
        if any(name in declared for name in HTTPX_DISTRIBUTIONS):
            return True
        return any(code.mentions(module) for module in HTTPX_MODULES)

    def __init__(self, ctx: FileContext) -> None:
        super().__init__(ctx)
        #: The enclosing functions, each with its json= bodies once asked for.
        self.functions: list[tuple[cst.FunctionDef, list[tuple[str, str]] | None]] = []

    def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
        self.functions.append((node, None))

    def leave_FunctionDef(
        self, original_node: cst.FunctionDef, updated_node: cst.FunctionDef
    ) -> cst.FunctionDef:
        self.functions.pop()
        return updated_node

    def _sent_bodies(self) -> list[tuple[str, str]]:
        """The json= bodies the innermost enclosing function sends."""
        if not self.functions:
            return []
        function, bodies = self.functions[-1]
        if bodies is None:
            collector = _JsonPayloads()
            function.body.visit(collector)
            bodies = list(collector.bodies())
            self.functions[-1] = (function, bodies)
        return bodies

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
            return self._compact_expected_texts(original_node, updated_node)
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

    def _compact_expected_texts(
        self, original_node: cst.Comparison, updated_node: cst.Comparison
    ) -> cst.Comparison:
        """An expected value holding, as text, a json= body the test sent (``r.json() ==
        {"body": '{"a": "123"}'}``, an echo): that text as httpx 0.28 writes it."""
        texts = [
            text
            for side in (original_node.left, original_node.comparisons[0].comparator)
            for text in _expected_texts(side)
        ]
        if not texts:
            return updated_node
        bodies = self._sent_bodies()
        replacements: dict[str, str] = {}
        for text in texts:
            value = text.evaluated_value
            decoded = value.decode("utf-8", "replace") if isinstance(value, bytes) else value
            for spaced, compact in bodies:
                if decoded == spaced and compact != spaced:
                    written = _rewritten_literal(text, compact)
                    if written is None:
                        break
                    replacements[text.value] = written.value
                    self.changed(
                        text,
                        "JSON text of a json= body the test sends, expected inside a "
                        "compared value -> written compactly (httpx 0.28 sends json= bodies "
                        "without spaces)",
                    )
                    self.review(
                        text,
                        "now expects the json= body the test sends as httpx 0.28 writes it "
                        "(no spaces, non-ASCII as is): check that the request goes through "
                        "httpx",
                    )
                    break
        if not replacements:
            return updated_node
        comparison = updated_node.comparisons[0]
        return updated_node.with_changes(
            left=_with_texts(updated_node.left, replacements),
            comparisons=[
                comparison.with_changes(comparator=_with_texts(comparison.comparator, replacements))
            ],
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
