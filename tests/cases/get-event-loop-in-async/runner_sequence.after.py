import asyncio as aio

from app import login, prepare


def test_session_steps(tmp_path):
    prepare(tmp_path)
    # both steps share the session, so they must share its loop
    with aio.Runner() as runner:  # set up by the plugin
        session = runner.run(login(tmp_path))
        for step in range(2):
            assert runner.run(session.fetch(step)) == step
        session.close()
