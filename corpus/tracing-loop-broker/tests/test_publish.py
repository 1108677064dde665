import asyncio

from tracebroker import TracingEventLoop


async def test_runs_on_the_tracing_loop():
    assert isinstance(asyncio.get_running_loop(), TracingEventLoop)


async def test_publish_and_receive(broker):
    # Same loop as the session broker: its queues and dispatcher task live there.
    assert asyncio.get_running_loop() is broker.loop
    subscription = broker.subscribe("orders")
    await broker.publish("orders", {"id": 1})
    assert await subscription.next() == {"id": 1}


async def test_tasks_are_counted(broker):
    loop = asyncio.get_running_loop()
    before = loop.tasks_created
    await asyncio.gather(*(asyncio.create_task(asyncio.sleep(0)) for _ in range(3)))
    assert loop.tasks_created == before + 3
