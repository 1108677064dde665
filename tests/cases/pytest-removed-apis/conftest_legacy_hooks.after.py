import os

import pytest
from pytest import fixture


def pytest_ignore_collect(collection_path, config):
    if collection_path.name.startswith("_") or collection_path.suffix == ".txt":
        return True
    return os.path.isdir(str(collection_path)) and collection_path.parent.name == "fixtures"


def pytest_collect_file(file_path, parent):
    return None


def pytest_report_header(config, start_path):
    return f"project: {start_path.stem} ({str(start_path)}, in {str(start_path.parent)})"


class Plugin:
    def pytest_report_collectionfinish(self, config, start_path, items):
        return [f"{len(items)} tests under {os.fspath(start_path)}"]


@pytest.fixture(scope="session")
def server():
    yield 1


@fixture
def client():
    yield 2
