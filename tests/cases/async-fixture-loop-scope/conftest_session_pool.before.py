import pytest


@pytest.fixture(scope="session")
async def pool():
    pool = await create_pool()
    yield pool
    await pool.close()


@pytest.fixture(scope="module", autouse=True)
async def schema(pool):
    await pool.execute("create table t (x int)")


@pytest.fixture
async def row(pool):
    return await pool.fetch_one()
