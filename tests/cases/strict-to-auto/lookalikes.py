import pytest

from tasks import mark  # the project's own task marker, not pytest's


@pytest.mark.asyncio(loop_scope="session")
async def test_shared_loop():
    assert True


@mark.asyncio
async def test_project_marker():
    assert True


@pytest.fixture
@pytest.mark.asyncio
async def client():
    return object()


@pytest.mark.asyncio
def test_sync_left_to_the_fixture_codemod():
    assert True


@pytest.mark.asyncio
async def helper_not_a_test():
    return 1


pytestmark = pytest.mark.asyncio(loop_scope="module")
