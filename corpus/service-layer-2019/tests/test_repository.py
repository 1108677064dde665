import asyncio
from unittest.mock import MagicMock

import pytest
from accounts.http import HttpClient, HttpError
from accounts.repository import UserNotFound, UserRepository

from tests.helpers import async_raise, async_return


async def fake_transport(method, url, payload=None):
    return 200, {"method": method, "url": url}


async def not_found(path):
    raise HttpError(404, path)


@pytest.mark.asyncio
async def test_get_user(http):
    repo = UserRepository(http)
    assert (await repo.get(7))["name"] == "Ada"
    http.get_json.assert_called_once_with("/users/7")


@pytest.mark.asyncio
async def test_save_user(http):
    assert await UserRepository(http).save({"id": 7, "name": "Ada"}) == {"ok": True}
    http.put_json.assert_called_once_with("/users/7", {"id": 7, "name": "Ada"})


@pytest.mark.asyncio
async def test_get_maps_404_to_user_not_found():
    http = HttpClient("https://api.example.com", transport=MagicMock())
    http.get_json = MagicMock(side_effect=not_found)
    with pytest.raises(UserNotFound):
        await UserRepository(http).get(3)
    http.get_json.assert_called_once_with("/users/3")


@pytest.mark.asyncio
async def test_get_retries_once_when_unavailable():
    http = MagicMock()
    http.get_json = MagicMock(
        side_effect=[async_raise(HttpError(503, "/users/4")), async_return({"id": 4})]
    )
    assert await UserRepository(http).get(4) == {"id": 4}
    assert http.get_json.call_count == 2


@pytest.mark.asyncio
async def test_client_awaits_the_transport():
    transport = MagicMock()
    response = asyncio.Future()
    response.set_result((200, {"id": 1}))
    transport.request.return_value = response
    client = HttpClient("https://api.example.com/", transport)
    assert await client.get_json("/users/1") == {"id": 1}
    transport.request.assert_called_once_with("GET", "https://api.example.com/users/1")


@pytest.mark.asyncio
async def test_fake_transport_contract():
    # The fake the other suites use must answer like the real transport.
    transport = MagicMock()
    transport.request = MagicMock(side_effect=fake_transport)
    status, body = await transport.request("GET", "https://api.example.com/x")
    assert status == 200 and body["url"].endswith("/x")
    transport.request.assert_called_once_with("GET", "https://api.example.com/x")


def test_build_url_is_synchronous():
    transport = MagicMock()
    client = HttpClient("https://api.example.com/", transport)
    assert client.build_url("/users/1") == "https://api.example.com/users/1"
    transport.request.assert_not_called()
