async def test_join(client):
    await client.join("lobby")
    assert client.rooms == ["lobby"]


async def test_broadcast(server, client):
    await client.say("hi")
    assert server.messages == ["hi"]


def test_address(server):
    assert server.address[0] == "127.0.0.1"
