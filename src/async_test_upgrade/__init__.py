"""async-test-upgrade: migrate asynchronous pytest suites, safely, in one command."""

__version__ = "0.1.0"
