from tests.compat import *  # noqa


def test_star():
    assert MagicMock()  # noqa: F405
