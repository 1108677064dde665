import os

import pytest
from pytest import yield_fixture


def pytest_ignore_collect(path, config):
    if path.basename.startswith("_") or path.ext == ".txt":
        return True
    return os.path.isdir(str(path)) and path.dirpath().basename == "fixtures"


def pytest_collect_file(file_path, path, parent):
    return None


def pytest_report_header(config, startdir):
    return f"project: {startdir.purebasename} ({startdir.strpath}, in {startdir.dirname})"


class Plugin:
    def pytest_report_collectionfinish(self, config, startdir, items):
        return [f"{len(items)} tests under {os.fspath(startdir)}"]


@pytest.yield_fixture(scope="session")
def server():
    yield 1


@yield_fixture
def client():
    yield 2
