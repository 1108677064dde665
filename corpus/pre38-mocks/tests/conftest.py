import pytest

from feedcache import db


@pytest.fixture(autouse=True)
def empty_database():
    db.db.rows.clear()
    yield
    db.db.rows.clear()
