async def test_relay_is_open(relay):
    assert relay["open"]
