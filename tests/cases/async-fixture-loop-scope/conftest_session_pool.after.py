import pytest
import pytest_asyncio


@pytest_asyncio.fixture(scope="session", loop_scope="session")
async def pool():
    pool = await create_pool()
    yield pool
    await pool.close()


@pytest_asyncio.fixture(scope="module", autouse=True, loop_scope="module")
async def schema(pool):
    await pool.execute("create table t (x int)")


@pytest.fixture
async def row(pool):
    return await pool.fetch_one()
