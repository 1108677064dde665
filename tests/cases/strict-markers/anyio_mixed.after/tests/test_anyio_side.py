import pytest


@pytest.mark.anyio
async def test_session(session):
    assert session["conn"]["open"]
