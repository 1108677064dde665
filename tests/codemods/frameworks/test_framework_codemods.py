"""The notes and refusals of the web-framework codemods (httpx, pytest-aiohttp, ASGI)."""

from __future__ import annotations

import shutil
from pathlib import Path

from async_test_upgrade import engine, registry
from async_test_upgrade.facts import ProjectFacts, index_file
from async_test_upgrade.model import Options
from tests import golden, suite_runs

CASES = golden.CASES


def notes_for(
    codemod: str, case_file: str, relpath: str = "test_case.py", requirements: str = ""
) -> list[str]:
    source = (CASES / codemod / case_file).read_bytes()
    options = Options(selected=frozenset({codemod}))
    result = golden.run_file(codemod, source, relpath, options, requirements)
    assert result.error is None, result.error
    return [n.render() for n in result.notes]


def test_httpx_refusals_are_reported_with_their_lines() -> None:
    notes = notes_for("httpx-app-to-transport", "refused_untouched.py")
    assert len(notes) == 4, notes
    assert notes[0].startswith("test_case.py:9: httpx-app-to-transport: ")
    assert "both app= and transport=" in notes[0]
    assert notes[1].startswith("test_case.py:14: ") and "through a mapping" in notes[1]
    assert notes[2].startswith("test_case.py:21: ") and "through a mapping" in notes[2]
    assert notes[3].startswith("test_case.py:30: ")
    assert (
        "app= passed to make_client(), which hands its **kwargs to httpx.AsyncClient()"
        in (notes[3])
    )


def test_httpx_lookalikes_get_no_notes() -> None:
    assert notes_for("httpx-app-to-transport", "lookalikes_untouched.py") == []


def test_unittest_run_loop_other_uses_are_reported() -> None:
    notes = notes_for("remove-unittest-run-loop", "lookalikes_untouched.py")
    assert len(notes) == 1, notes
    assert notes[0].startswith("test_case.py:20: remove-unittest-run-loop: ")
    assert "other than as a plain decorator" in notes[0]


def test_pytest_aiohttp_refusals_are_reported() -> None:
    notes = notes_for("pytest-aiohttp-fixtures", "refused_untouched.py")
    assert [n.split(": ", 1)[0] for n in notes] == [
        "test_case.py:5",
        "test_case.py:13",
        "test_case.py:22",
    ]
    assert "other than as loop.run_until_complete(x)" in notes[0]
    assert "other than as loop.run_until_complete(x)" in notes[1]
    assert "proactor_loop was removed" in notes[2]


def test_pytest_aiohttp_factory_and_conversion_notes() -> None:
    notes = notes_for("pytest-aiohttp-fixtures", "factories.before.py")
    assert notes == [
        "test_case.py:46: pytest-aiohttp-fixtures: needs_loop uses its loop argument; "
        "aiohttp_client no longer calls factories: build the app without the loop and pass "
        "needs_loop()"
    ]
    notes = notes_for("pytest-aiohttp-fixtures", "renames_and_loop.before.py")
    assert sum("also called elsewhere" in n for n in notes) == 3
    assert any(n.startswith("test_case.py:40: ") and "made async" in n for n in notes)
    assert any(n.startswith("test_case.py:48: ") and "made async" in n for n in notes)


def test_pytest_aiohttp_lookalikes_get_no_notes() -> None:
    assert notes_for("pytest-aiohttp-fixtures", "lookalikes_untouched.py") == []
    assert notes_for("pytest-aiohttp-fixtures", "shadowed_untouched.py") == []


def test_removing_aiohttp_plugin_in_strict_mode_is_reported() -> None:
    notes = notes_for(
        "pytest-aiohttp-fixtures", "conftest_plugins.before.py", "conftest.py", "pytest-aiohttp"
    )
    assert len(notes) == 1 and notes[0].startswith("conftest.py:6: ")
    assert "strict mode" in notes[0]


def test_asgi_lifespan_refusals_are_reported() -> None:
    notes = notes_for("asgi-lifespan", "refused_untouched.py")
    assert len(notes) == 1, notes
    assert notes[0].startswith("test_case.py:15: asgi-lifespan: ASGITransport for an app with")
    assert "test_case.py:10: on_startup=" in notes[0]
    assert notes_for("asgi-lifespan", "lookalikes_untouched.py") == []


def test_asgi_lifespan_sees_the_transport_httpx_app_to_transport_made(tmp_path: Path) -> None:
    (tmp_path / "service").mkdir()
    (tmp_path / "service" / "__init__.py").write_text("")
    (tmp_path / "service" / "main.py").write_text(
        "from fastapi import FastAPI\n\n"
        "app = FastAPI()\n\n\n"
        '@app.on_event("startup")\n'
        "async def connect():\n"
        "    app.state.ready = True\n"
    )
    (tmp_path / "test_api.py").write_text(
        "import httpx\n\n"
        "from service.main import app\n\n\n"
        "async def test_ready():\n"
        '    async with httpx.AsyncClient(app=app, base_url="http://test") as client:\n'
        '        assert (await client.get("/")).status_code == 404\n'
    )
    codemods = registry.select(["httpx-app-to-transport", "asgi-lifespan"])
    result = engine.migrate([tmp_path], codemods, Options(), jobs=1)
    assert not result.errors
    [outcome] = result.changed_files
    assert outcome.new.decode() == (
        "import httpx\n\n"
        "from service.main import app\n"
        "from asgi_lifespan import LifespanManager\n\n\n"
        "async def test_ready():\n"
        "    async with LifespanManager(app) as manager:\n"
        "        async with httpx.AsyncClient("
        'transport=httpx.ASGITransport(app=manager.app), base_url="http://test") as client:\n'
        '            assert (await client.get("/")).status_code == 404\n'
    )
    assert [n.codemod for n in result.notes] == ["asgi-lifespan"]
    assert "service/main.py:6: @on_event('startup')" in result.changes[-1].description


def test_testclient_in_async_tests_and_fixtures_is_reported() -> None:
    notes = notes_for("testclient-in-async-test", "async_uses_untouched.py")
    assert [n.split(": ", 2)[0] for n in notes] == [
        "test_case.py:17",
        "test_case.py:23",
        "test_case.py:26",
    ]
    assert "TestClient constructed in async test test_builds_one" in notes[0]
    assert "TestClient constructed in async fixture module_client" in notes[1]
    assert "async test test_requests_the_sync_client requests fixture client" in notes[2]
    assert "(built at test_case.py:12)" in notes[2]


def test_testclient_lookalikes_are_not_reported() -> None:
    assert notes_for("testclient-in-async-test", "lookalikes_untouched.py") == []


def test_factory_in_another_module_with_a_required_loop_is_reported(tmp_path: Path) -> None:
    case = CASES / "pytest-aiohttp-fixtures" / "imported_factory.before"
    root = tmp_path / "project"
    shutil.copytree(case, root)
    codemods = registry.select(["pytest-aiohttp-fixtures"])
    result = engine.migrate([root], codemods, Options(), jobs=1)
    prefix = "tests/test_shop.py:{}: pytest-aiohttp-fixtures: {} is an app factory defined "
    suffix = " (aiohttp_client no longer calls factories)"
    assert [n.render() for n in result.notes] == [
        prefix.format(15, "create_wired_app")
        + "in another module and its loop parameter is required and used: build the app "
        "without the loop and pass create_wired_app()" + suffix,
        prefix.format(19, "create_shared_app")
        + "in another module and other code calls it with arguments: build the app "
        "without the loop and pass create_shared_app()" + suffix,
    ]
    # The factories are library code: left alone, the unused loop gets None at the call.
    assert not any(c.path == "src/shop/app.py" for c in result.changes)
    assert any(
        c.path == "tests/test_shop.py" and "None for its unused loop" in c.description
        for c in result.changes
    )
    with_source = engine.migrate([root], codemods, Options(include_source=True), jobs=1)
    assert any(
        c.path == "src/shop/app.py" and "create_legacy_app" in c.description
        for c in with_source.changes
    )


def test_facts_for_the_framework_codemods() -> None:
    facts = ProjectFacts()
    index_file(
        facts,
        "src/shop/main.py",
        b"from contextlib import asynccontextmanager\n"
        b"from fastapi import FastAPI as API\n"
        b"import starlette.applications\n\n"
        b"@asynccontextmanager\n"
        b"async def lifespan(app):\n"
        b"    yield\n\n"
        b"app = API(lifespan=lifespan)\n"
        b"plain = API()\n"
        b"star = starlette.applications.Starlette(on_shutdown=[])\n"
        b"hooked = API()\n"
        b'hooked.add_event_handler("startup", lifespan)\n\n'
        b"def create_app(loop):\n"
        b"    return API()\n\n"
        b"def create_other(loop=None):\n"
        b"    return loop\n\n"
        b"def create_bound(loop):\n"
        b"    return loop\n",
    )
    index_file(
        facts,
        "tests/conftest.py",
        b"import pytest\n"
        b"from starlette.testclient import TestClient\n"
        b"from shop.main import app\n\n"
        b"@pytest.fixture\n"
        b"def loop():\n"
        b"    return None\n\n"
        b'@pytest.fixture(name="client")\n'
        b"def make_client():\n"
        b"    return TestClient(app)\n\n"
        b"def test_client():\n"
        b"    pass\n",
    )
    assert facts.lifespan_apps == {
        "shop.main.app": "src/shop/main.py:9: lifespan=",
        "shop.main.star": "src/shop/main.py:11: on_shutdown=",
        "shop.main.hooked": "src/shop/main.py:13: add_event_handler('startup')",
    }
    assert facts.loop_factories == {
        "shop.main.create_app": "unused",
        "shop.main.create_other": "optional",
        "shop.main.create_bound": "required",
    }
    # A test named test_client is not a fixture of that name.
    assert {"loop", "client"} <= facts.fixture_names
    assert "test_client" not in facts.fixture_names
    assert facts.testclient_fixtures == {"client": "tests/conftest.py:11"}
    index_file(
        facts,
        "tests/test_app.py",
        b"from shop.main import create_app, create_other\n\n"
        b"async def test_a(aiohttp_client):\n"
        b"    await aiohttp_client(create_app)\n"
        b"    create_other(None)\n",
    )
    assert facts.factories_passed_to_clients == {"shop.main.create_app"}
    assert "shop.main.create_other" in facts.loop_factories_called_with_args
    assert "shop.main.create_app" not in facts.loop_factories_called_with_args


def test_asgi_lifespan_reports_a_transport_variable_it_cannot_move() -> None:
    notes = notes_for("asgi-lifespan", "transport_variable.before.py")
    assert [n.split(": ", 2)[0] for n in notes] == ["test_case.py:12", "test_case.py:18"]
    assert "lifespan now runs in this client" in notes[0]
    assert "outside an async with statement" in notes[1]


def test_pytest_aiohttp_fixtures_sees_asyncio_coroutine_tests_as_async(tmp_path: Path) -> None:
    # pytest-aiohttp-fixtures runs after asyncio-coroutine-to-async-def, so a generator
    # test it rewrites is already async: its loop becomes the running loop, with no note
    # telling to make an async test async.
    (tmp_path / "pytest.ini").write_text("[pytest]\naddopts = -p aiohttp.pytest_plugin\n")
    (tmp_path / "test_app.py").write_text(
        "import asyncio\n\n"
        "from aiohttp import web\n\n\n"
        "@asyncio.coroutine\n"
        "def test_hello(test_client, loop):\n"
        "    client = yield from test_client(web.Application())\n"
        '    task = loop.create_task(client.get("/"))\n'
        "    resp = yield from task\n"
        "    assert resp.status == 404\n"
    )
    codemods = registry.select(["pytest-aiohttp-fixtures", "asyncio-coroutine-to-async-def"])
    result = engine.migrate([tmp_path], codemods, Options(), jobs=1)
    assert not result.errors
    [outcome] = [o for o in result.changed_files if o.relpath == "test_app.py"]
    # The decorator's import goes, and the running loop's comes back below the others.
    assert outcome.new.decode() == (
        "from aiohttp import web\n"
        "import asyncio\n\n\n"
        "async def test_hello(aiohttp_client):\n"
        "    loop = asyncio.get_running_loop()\n"
        "    client = await aiohttp_client(web.Application())\n"
        '    task = loop.create_task(client.get("/"))\n'
        "    resp = await task\n"
        "    assert resp.status == 404\n"
    )
    assert not [n for n in result.notes if n.codemod == "pytest-aiohttp-fixtures"]


def test_an_echoed_json_body_is_expected_as_httpx_sends_it(tmp_path: Path) -> None:
    # An endpoint echoing the request body as text: the expected text was what httpx
    # before 0.28 sent for json=; the installed httpx (0.28+) sends it compactly, so the
    # test fails until the expected text is rewritten, and passes after.
    (tmp_path / "requirements.txt").write_text("httpx\n")
    (tmp_path / "test_echo.py").write_text(
        "import httpx\n\n\n"
        "def echo(request):\n"
        '    return httpx.Response(200, json={"body": request.content.decode()})\n\n\n'
        "def test_echo():\n"
        '    client = httpx.Client(transport=httpx.MockTransport(echo), base_url="http://t")\n'
        '    response = client.post("/echo", json={"a": "123", "b": [1, 2]})\n'
        """    assert response.json() == {"body": '{"a": "123", "b": [1, 2]}'}\n"""
    )
    _passed, failed, _out = suite_runs.outcomes(tmp_path)
    assert failed == {"test_echo.py::test_echo"}
    result = engine.migrate(
        [tmp_path], registry.select(["httpx-json-body-compare"]), Options(), jobs=1
    )
    assert not result.errors
    engine.write_result(result)
    passed, failed, out = suite_runs.outcomes(tmp_path)
    assert passed == {"test_echo.py::test_echo"} and not failed, out
    again = engine.migrate(
        [tmp_path], registry.select(["httpx-json-body-compare"]), Options(), jobs=1
    )
    assert not again.anything_changed


def test_a_loop_fixture_only_handed_to_web_application_goes(tmp_path: Path) -> None:
    # A sync fixture requesting pytest-aiohttp 0.x's loop only for web.Application(loop=):
    # on pytest-aiohttp 1.1 every test using it errors (fixture 'loop' not found); without
    # the fixture and the argument (aiohttp binds the app to the loop that starts it) the
    # suite passes on the installed stack.
    case = Path(__file__).parents[2] / "cases" / "pytest-aiohttp-fixtures"
    root = tmp_path / "project"
    shutil.copytree(case / "app_loop_argument.before", root)
    _passed, failed, out = suite_runs.outcomes(root)
    assert len(failed) == 3 and "fixture 'loop' not found" in out, out
    result = engine.migrate([root], registry.select(["pytest-aiohttp-fixtures"]), Options(), jobs=1)
    assert not result.errors
    engine.write_result(result)
    passed, failed, out = suite_runs.outcomes(root)
    assert len(passed) == 3 and not failed, out
