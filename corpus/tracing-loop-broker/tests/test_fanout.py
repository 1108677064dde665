import asyncio


async def test_fanout_to_every_subscriber(broker):
    # Another module, still the broker's loop.
    assert asyncio.get_running_loop() is broker.loop
    first, second = broker.subscribe("audit"), broker.subscribe("audit")
    await broker.publish("audit", "login")
    assert [await first.next(), await second.next()] == ["login", "login"]


async def test_topics_are_separate(broker):
    assert asyncio.get_running_loop() is broker.loop
    quiet = broker.subscribe("quiet")
    await broker.publish("loud", "hello")
    await asyncio.sleep(0.01)
    assert quiet.queue.empty()
