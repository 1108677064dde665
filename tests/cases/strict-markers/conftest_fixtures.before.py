import pytest


@pytest.fixture(name="db")
async def database():
    return {"rows": 3}


async def test_looking_function_in_conftest():
    return None
