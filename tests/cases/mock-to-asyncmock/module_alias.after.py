from unittest import mock as m

import pytest


@pytest.mark.asyncio
async def test_module_alias(mocker):
    notify = m.AsyncMock()
    other = mocker.AsyncMock(side_effect=KeyError("gone"))
    await notify("hello")
    with pytest.raises(KeyError):
        await other()
    notify.assert_called_once_with("hello")
