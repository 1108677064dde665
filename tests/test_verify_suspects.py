"""What pytest runs for a test, and which edits a failing test passes through."""

from __future__ import annotations

import textwrap
from collections.abc import Callable
from pathlib import Path

from async_test_upgrade.harness.suspects import edited_lines, regions, touches

CONFTEST = """
    import pytest
    import pytest_asyncio


    @pytest.fixture
    def db():
        return {}


    @pytest_asyncio.fixture
    async def client(db):
        yield db


    @pytest.fixture(autouse=True)
    def reset():
        yield


    @pytest.fixture(name="token")
    def make_token():
        return "t"


    @pytest.fixture
    def unused():
        return None
    """

TEST_MODULE = """
    import pytest

    pytestmark = pytest.mark.asyncio


    @pytest.mark.slow
    class TestApi:
        def setup_method(self):
            self.calls = 0

        async def test_get(self, client, token):
            assert client == {}

        async def test_other(self):
            pass
    """


def tree(tmp_path: Path, files: dict[str, str]) -> Path:
    for relpath, text in files.items():
        target = tmp_path / relpath
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(textwrap.dedent(text).lstrip())
    return tmp_path


def reader(root: Path) -> Callable[[str], bytes | None]:
    def read(relpath: str) -> bytes | None:
        path = root / relpath
        return path.read_bytes() if path.is_file() else None

    return read


def test_the_regions_of_a_test(tmp_path: Path) -> None:
    root = tree(tmp_path, {"tests/conftest.py": CONFTEST, "tests/test_api.py": TEST_MODULE})
    found = regions("tests/test_api.py::TestApi::test_get", reader(root))
    assert [(r.path, r.start, r.end, r.what) for r in found] == [
        ("tests/test_api.py", 3, 3, "a mark that reaches it"),
        ("tests/test_api.py", 6, 7, "its class's decorators"),
        ("tests/test_api.py", 11, 12, "its function"),
        ("tests/test_api.py", 8, 9, "its class's setup_method"),
        # Requested, then through other fixtures, then autouse; never ``unused``.
        ("tests/conftest.py", 10, 12, "its fixture 'client'"),
        ("tests/conftest.py", 20, 22, "its fixture 'token'"),
        ("tests/conftest.py", 15, 17, "its fixture 'reset'"),
        ("tests/conftest.py", 5, 7, "its fixture 'db'"),
    ]
    # A parametrized id names the same function.
    other = regions("tests/test_api.py::TestApi::test_other[1-2]", reader(root))
    assert ("tests/test_api.py", 14, 15) in [(r.path, r.start, r.end) for r in other]


def test_a_removed_decorator_is_found_where_it_was(tmp_path: Path) -> None:
    """An edit that deletes lines leaves nothing in the migrated file to point at: it is
    looked for in the file without the edit, and shown where it happened."""
    before = tree(
        tmp_path / "before", {"tests/conftest.py": CONFTEST, "tests/test_api.py": TEST_MODULE}
    )
    after_text = textwrap.dedent(CONFTEST).lstrip().replace("@pytest.fixture\ndef db", "def db")
    after = tree(
        tmp_path / "after", {"tests/conftest.py": after_text, "tests/test_api.py": TEST_MODULE}
    )
    edit = edited_lines(
        (before / "tests/conftest.py").read_bytes(), (after / "tests/conftest.py").read_bytes()
    )
    assert edit.written == frozenset()
    assert edit.replaced == {5: 5}  # the decorator's line; ``def db`` is line 5 now
    found = touches(
        "tests/test_api.py::TestApi::test_get",
        [],
        reader(after),
        reader(before),
        {"tests/conftest.py": edit},
    )
    assert [t.describe() for t in found] == ["its fixture 'db' (tests/conftest.py:5)"]
    # A test that does not use the fixture does not pass through the edit.
    other = touches(
        "tests/test_api.py::TestApi::test_other",
        [],
        reader(after),
        reader(before),
        {"tests/conftest.py": edit},
    )
    assert other == []


def test_a_traceback_line_the_codemod_wrote(tmp_path: Path) -> None:
    before = tree(tmp_path / "before", {"tests/test_api.py": TEST_MODULE})
    after_text = textwrap.dedent(TEST_MODULE).lstrip().replace("== {}", "== []")
    after = tree(tmp_path / "after", {"tests/test_api.py": after_text})
    edit = edited_lines(
        (before / "tests/test_api.py").read_bytes(), (after / "tests/test_api.py").read_bytes()
    )
    assert edit.written == frozenset({12})
    found = touches(
        "tests/test_api.py::TestApi::test_get",
        [("tests/test_api.py", 12)],
        reader(after),
        reader(before),
        {"tests/test_api.py": edit},
    )
    assert [t.describe() for t in found] == [
        "a line of its traceback (tests/test_api.py:12)",
        "its function (tests/test_api.py:12)",
    ]
