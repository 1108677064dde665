import asyncio as aio

from app import login, prepare


def test_session_steps(tmp_path):
    prepare(tmp_path)
    # both steps share the session, so they must share its loop
    loop = aio.get_event_loop()  # set up by the plugin
    session = loop.run_until_complete(login(tmp_path))
    for step in range(2):
        assert loop.run_until_complete(session.fetch(step)) == step
    session.close()
