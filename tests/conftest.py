"""Runs of the tool made by the tests keep their cache (``cache.py``) in a directory of
the test session, not in the user's cache directory.

The ``slow`` marker: ``pytest -m "not slow"`` is the quick subset to run while
working; CI runs every test. Slow are the tests marked ``corpus`` or ``realworld`` (they
build virtualenvs), the harness's tests (``test_verify*``: pytest suites in subprocesses
before and after a migration), the files below (the package build, the corpus, the
whole pipeline compared with and without its gates), and the single tests below, each
over about five seconds on the project's 2-core machine (``pytest --durations=60``
finds new ones).
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator

import pytest


@pytest.fixture(autouse=True, scope="session")
def _run_cache_of_the_session() -> Iterator[None]:
    with tempfile.TemporaryDirectory(prefix="atu-run-cache-") as directory:
        saved = os.environ.get("ASYNC_TEST_UPGRADE_RUN_CACHE")
        os.environ["ASYNC_TEST_UPGRADE_RUN_CACHE"] = directory
        try:
            yield
        finally:
            if saved is None:
                os.environ.pop("ASYNC_TEST_UPGRADE_RUN_CACHE", None)
            else:
                os.environ["ASYNC_TEST_UPGRADE_RUN_CACHE"] = saved


SLOW_FILES = frozenset(
    {
        "test_packaging.py",
        "test_cache.py",
        "test_gates_equivalence.py",
        "test_corpus.py",
        "test_realworld.py",
        "test_corpus_session_loop_pool.py",
        "test_corpus_tracing_loop_broker.py",
    }
)

SLOW_TESTS = frozenset(
    {
        # the whole pipeline against each codemod alone, on every corpus project
        "test_shared_traversals_change_nothing",
        # real pytest runs of migrated suites
        "test_stockroom_needs_remove_loop_kwarg",
        "test_stockroom_migrated_by_the_full_pipeline_passes",
        "test_stockroom_unmigrated_fails_on_the_modern_stack",
        "test_stockroom_migrated_by_the_event_loop_codemods_passes",
        "test_custom_loop_override_becomes_a_factory_hook_with_its_scope",
        "test_nested_override_becomes_marks_and_the_module_shares_its_loop",
        "test_the_unmigrated_nested_override_is_ignored_by_pytest_asyncio_1",
        "test_without_the_override_removal_the_tests_lose_the_shared_loop",
        "test_root_override_becomes_session_settings_without_conflicts",
        "test_session_hook_becomes_settings_and_the_tests_keep_one_loop",
        "test_assert_awaited_catches_a_call_that_is_never_awaited",
        "test_awaited_mocks_configured_with_futures_never_hand_them_out",
        "test_the_migrated_suite_passes_on_the_modern_stack",
        "test_migrated_legacy_module_runs",
        "test_legacy_module_cannot_run_here_unmigrated",
        "test_precedence_matches_pytest",
        # many subprocesses of the command line
        "test_colour_follows_the_terminal_and_the_conventions",
        "test_progress_on_a_terminal_and_none_through_a_pipe",
        "test_code_from_stdin_is_migrated_to_stdout_in_its_project",
        "test_the_users_syntax_warnings_stay_out_of_the_output",
        "test_console_script_runs",
        "test_pool_workers_die_with_a_killed_run",
        "test_a_closed_pipe_ends_the_run_quietly",
        "test_a_broken_config_is_bad_input_in_one_line",
        "test_a_file_over_the_time_limit_is_left_alone",
    }
)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        name = getattr(item, "originalname", item.name)
        if (
            item.get_closest_marker("corpus")
            or item.get_closest_marker("realworld")
            or item.path.name in SLOW_FILES
            or item.path.name.startswith("test_verify")  # the harness: suites before/after
            or name in SLOW_TESTS
        ):
            item.add_marker(pytest.mark.slow)
