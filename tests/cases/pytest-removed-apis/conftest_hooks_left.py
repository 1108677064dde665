import pytest


def pytest_pycollect_makemodule(path, parent):
    if path.check(file=1) and path.join("x").exists():
        return None


def pytest_collect_file(path, parent):
    path = str(path)  # rebound: left to the user
    return None


def pytest_ignore_collect(collection_path, config):
    return collection_path.name == "build"


def helper(path):
    return path.basename


@pytest.fixture
def data(tmpdir):
    return tmpdir.join("data.txt")
