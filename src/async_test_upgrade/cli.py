"""Command line: parsing and printing only; the work is in engine and harness."""

from __future__ import annotations

import importlib.util
import sys
import types
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import click

from async_test_upgrade import __version__
from async_test_upgrade.files import InputError
from async_test_upgrade.model import NEWEST_TARGET, Options, format_version, parse_version


def _on_first_use(name: str) -> types.ModuleType:
    """``name``, imported when one of its attributes is first read. ``--version``,
    ``--help`` and bad input answer without loading LibCST and the codemods (most of
    start-up, which every pre-commit call pays)."""
    if name in sys.modules:
        return sys.modules[name]
    spec = importlib.util.find_spec(name)
    assert spec is not None and spec.loader is not None
    loader = importlib.util.LazyLoader(spec.loader)
    spec.loader = loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    loader.exec_module(module)
    return module


if TYPE_CHECKING:
    from async_test_upgrade import engine, registry, report
    from async_test_upgrade import settings as settings_module
else:
    engine = _on_first_use("async_test_upgrade.engine")
    registry = _on_first_use("async_test_upgrade.registry")
    report = _on_first_use("async_test_upgrade.report")
    settings_module = _on_first_use("async_test_upgrade.settings")

#: 0 done; 1 ``--check`` found changes; 2 bad input, nothing done; 3 done, but some
#: files were left alone (they could not be read, parsed, migrated or written); 130 the
#: run was interrupted while writing (a rerun finishes it); 141 the reader of the output
#: went away (``migrate --diff . | head``), as for any command killed by SIGPIPE.
EXIT_OK, EXIT_CHANGES, EXIT_BAD_INPUT, EXIT_LEFT_ALONE, EXIT_INTERRUPTED = 0, 1, 2, 3, 130
EXIT_CLOSED_PIPE = 141


def _names(value: str | None) -> list[str]:
    return [n.strip() for n in (value or "").split(",") if n.strip()]


def _fail(message: str) -> None:
    click.echo(f"error: {message}", err=True)
    sys.exit(EXIT_BAD_INPUT)


def selection_options(function: click.decorators.FC) -> click.decorators.FC:
    """--select/--skip/--target-version/--asyncio-mode, shared by migrate and verify."""
    decorators = [
        click.option(
            "--select",
            metavar="NAME,...",
            help="Run only these codemods (see `list`).",
        ),
        click.option("--skip", metavar="NAME,...", help="Run every codemod but these."),
        click.option(
            "--target-version",
            default=format_version(NEWEST_TARGET),
            show_default=True,
            metavar="X.Y",
            help="pytest-asyncio version to migrate to; codemods needing a newer one are "
            "not applied.",
        ),
        click.option(
            "--asyncio-mode",
            type=click.Choice(["auto", "strict"]),
            default=None,
            help="Mode the migrated suite runs in (default: auto, unless anyio or trio "
            "tests are found).",
        ),
        click.option(
            "--include-source",
            is_flag=True,
            help="Rewrite library/application code too, not only the test suite (by "
            "default it is read for facts, and what breaks in it is listed as notes).",
        ),
        click.option(
            "--max-file-size",
            callback=_byte_size,
            default="10MB",
            show_default=True,
            metavar="SIZE",
            help="Leave files larger than this alone, unread (bytes, or with KB/MB; 0: no limit).",
        ),
        click.option(
            "--file-timeout",
            type=click.FloatRange(min=0),
            default=300,
            show_default=True,
            metavar="SECONDS",
            help="Leave a file alone when migrating it takes longer than this (0: no limit).",
        ),
    ]
    for decorator in reversed(decorators):
        function = decorator(function)
    return function


_UNITS = {"": 1, "B": 1, "KB": 1000, "MB": 1000**2, "GB": 1000**3}


def _byte_size(ctx: click.Context, param: click.Parameter, value: object) -> int:
    """A size in bytes, given as a number with an optional KB, MB or GB (powers of 1000)."""
    if isinstance(value, int):
        return value
    text = str(value).strip().upper().replace(" ", "")
    number = text.rstrip("KMGB")
    unit = text[len(number) :]
    try:
        amount = float(number)
    except ValueError:
        amount = -1
    if unit not in _UNITS or amount < 0:
        raise click.BadParameter(f"{value!r} is not a size such as 500KB, 10MB or 0")
    return int(amount * _UNITS[unit])


def build_selection(
    select: str | None,
    skip: str | None,
    target_version: str,
    asyncio_mode: str | None,
    include_source: bool = False,
    max_file_size: int = Options.max_file_bytes,
    file_timeout: float = Options.file_timeout,
) -> tuple[tuple[registry.Codemod, ...], Options]:
    try:
        codemods = registry.select(_names(select), _names(skip))
    except registry.UnknownCodemodError as error:
        _fail(str(error))
    try:
        target = parse_version(target_version)
    except ValueError as error:
        _fail(f"--target-version: {error}")
    if target > NEWEST_TARGET:
        _fail(
            f"--target-version {target_version}: the newest pytest-asyncio this tool knows "
            f"is {format_version(NEWEST_TARGET)}"
        )
    options = Options(
        target_version=target,
        asyncio_mode=asyncio_mode,  # type: ignore[arg-type]
        include_source=include_source,
        max_file_bytes=max_file_size,
        file_timeout=file_timeout,
    )
    return codemods, options


class _Commands(click.Group):
    """The command group; a closed output pipe ends any command quietly."""

    def invoke(self, ctx: click.Context) -> object:
        try:
            return super().invoke(ctx)
        except OSError as error:
            import errno

            if error.errno != errno.EPIPE:
                raise
            _closed_pipe()
            raise  # unreachable: _closed_pipe exits


def _closed_pipe() -> None:
    """The reader of our output is gone: say nothing more, exit as a command killed by
    SIGPIPE does (the shell's 141), not with one of the codes that report a result.
    Output still buffered goes nowhere instead of raising again at exit."""
    import os

    for stream in (sys.stdout, sys.stderr):
        try:
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, stream.fileno())
        except (OSError, ValueError, AttributeError):
            continue  # not a real file (captured output): nothing to flush later
    sys.exit(EXIT_CLOSED_PIPE)


@click.group(cls=_Commands, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="async-test-upgrade")
def cli() -> None:
    """Migrate asynchronous pytest suites to current pytest-asyncio, httpx, pytest-aiohttp
    and the standard library, and prove the result still behaves.

    Review with `migrate --diff .`, apply with `migrate .`, prove with `verify .`.
    """


@cli.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option("--diff", "show_diff", is_flag=True, help="Print a unified diff; write nothing.")
@click.option(
    "--check",
    is_flag=True,
    help="Write nothing; exit 1 when anything would change, 3 when a file could not be "
    "processed (for CI).",
)
@selection_options
@click.option(
    "-j",
    "--jobs",
    type=click.IntRange(min=1),
    default=None,
    help="Worker processes for the transform (default: all cores).",
)
@click.option(
    "--report",
    "report_path",
    type=click.Path(path_type=Path, dir_okay=False),
    help="Also write the summary to this file: Markdown for a pull request when it ends in "
    ".md, else JSON.",
)
@click.option("-v", "--verbose", is_flag=True, help="List every change with its evidence.")
@click.option("-q", "--quiet", is_flag=True, help="Print only the diff and the errors.")
@click.option(
    "--exclude",
    multiple=True,
    metavar="PATTERN",
    help="Leave files matching this gitignore-style pattern alone (read for facts only); "
    "repeatable; replaces the configured list.",
)
@click.option(
    "--extend-exclude",
    multiple=True,
    metavar="PATTERN",
    help="Like --exclude, added to the configured list.",
)
@click.option(
    "--stdin-filename",
    type=click.Path(path_type=Path, dir_okay=False),
    help="With PATH '-': where the code read from stdin lives in the project (default: "
    "test_stdin.py in the current directory); facts come from that project.",
)
@click.option(
    "--color",
    "colour",
    type=click.Choice(["auto", "always", "never"]),
    default="auto",
    show_default=True,
    help="Colour the diff: auto colours a terminal unless NO_COLOR is set (FORCE_COLOR forces it).",
)
@click.option(
    "--no-cache",
    is_flag=True,
    help="Neither reuse nor keep what a run learns from unchanged files (kept in the "
    "user's cache directory, ASYNC_TEST_UPGRADE_CACHE to move it).",
)
def migrate(
    paths: Sequence[Path],
    show_diff: bool,
    check: bool,
    select: str | None,
    skip: str | None,
    target_version: str,
    asyncio_mode: str | None,
    include_source: bool,
    max_file_size: int,
    file_timeout: float,
    jobs: int | None,
    report_path: Path | None,
    verbose: bool,
    quiet: bool,
    exclude: tuple[str, ...],
    extend_exclude: tuple[str, ...],
    stdin_filename: Path | None,
    colour: str,
    no_cache: bool,
) -> None:
    """Apply the selected codemods to the Python files under PATHS (default: .) and write
    the pytest settings they need.

    Defaults come from a [tool.async-test-upgrade] table in the nearest pyproject.toml;
    options given here win."""
    targets = list(paths) or [Path(".")]
    stdin: dict[Path, bytes] = {}
    if any(str(target) == "-" for target in targets):
        if len(targets) > 1:
            _fail("'-' (stdin) cannot be combined with other paths")
        named = (stdin_filename or Path("test_stdin.py")).resolve()
        stdin = {named: sys.stdin.buffer.read()}
        targets = [named]
    elif stdin_filename is not None:
        _fail("--stdin-filename needs PATH '-'")
    for target in targets:
        if not target.exists() and target not in stdin:
            _fail(f"path does not exist: {target}")
    tool = _tool_settings(targets)
    select, skip, target_version, asyncio_mode, include_source = _with_settings(
        tool, select, skip, target_version, asyncio_mode, include_source
    )
    if not _given("jobs") and tool.jobs is not None:
        jobs = tool.jobs
    patterns = (
        (list(exclude) if exclude else list(tool.exclude))
        + list(tool.extend_exclude)
        + list(extend_exclude)
    )
    codemods, options = build_selection(
        select, skip, target_version, asyncio_mode, include_source, max_file_size, file_timeout
    )
    if report_path is not None:
        _check_writable(report_path)
    progress = _progress_printer() if not quiet and sys.stderr.isatty() else None
    try:
        result = engine.migrate(
            targets,
            codemods,
            options,
            jobs=jobs,
            progress=progress,
            exclude=patterns,
            sources=stdin,
            cache=not no_cache,
        )
    except InputError as error:
        _fail(str(error))
    if stdin:
        kept = None
        if _stdin_needs_auto_mode(result, options):
            import dataclasses

            strict = dataclasses.replace(options, asyncio_mode="strict")
            kept = engine.migrate(
                targets, codemods, strict, jobs=1, exclude=patterns, sources=stdin
            )
        result = _stdin_without_config(result, kept)
    else:
        _excluded_files_switch_mode_too(result)
    dry_run = show_diff or check or bool(stdin)
    from async_test_upgrade import write as write_module

    # (After the writes when applying: the stopped run's notes name the lines as written.)
    resumed = not stdin and dry_run and write_module.resume(result)
    if stdin:
        # The migrated code (or the diff) on stdout; nothing is written, and the settings
        # the project would need are in the summary, not applied.
        if show_diff:
            _print_diff(result, colour)
        elif not check:
            new = result.changed_files[0].new if result.changed_files else stdin[targets[0]]
            sys.stdout.buffer.write(new)
            sys.stdout.buffer.flush()
    else:
        if check and not quiet:
            for path in report.changed_paths(result):
                click.echo(f"would rewrite {path}", err=True)
        if show_diff:
            _print_diff(result, colour)
    if not dry_run:
        resumed = write_module.read_journal(result.root) is not None
        try:
            result.errors.extend(engine.write_result(result, renumber=True))
        except engine.WriteInterruptedError as stop:
            click.echo(
                f"interrupted: {len(stop.written)} file(s) written, {len(stop.pending)} not "
                "(each file is either old or new; run again to finish)",
                err=True,
            )
            sys.exit(EXIT_INTERRUPTED)
    if resumed and not quiet:
        click.echo(
            "a run stopped here before it finished writing: its decisions and notes are "
            "shown again" + ("" if dry_run else "; this run finished it"),
            err=True,
        )
    if not quiet:
        if verbose:
            for line in [*report.not_rewritten_lines(result), *report.change_lines(result)]:
                click.echo(line, err=True)
        for line in report.summary_lines(result, applied=not dry_run):
            click.echo(line, err=True)
    elif result.errors:
        for problem in result.errors:
            click.echo(problem, err=True)
    if report_path is not None:
        render = report.to_markdown if report_path.suffix.lower() == ".md" else report.to_json
        report_path.write_text(render(result, applied=not dry_run), encoding="utf-8")
    if result.errors:
        sys.exit(EXIT_LEFT_ALONE)
    # From stdin only the code given counts: the config is not the caller's to rewrite.
    if check and (result.changed_files if stdin else result.anything_changed):
        sys.exit(EXIT_CHANGES)


def _mode_switch(result: engine.MigrationResult) -> tuple[str, str] | None:
    """The asyncio mode the config has and the one the run writes, when they differ."""
    from async_test_upgrade import config as config_module

    if not result.config_changed or result.config_path is None:
        return None
    path = result.config_path
    before = config_module.setting_in(path, result.config_old, "asyncio_mode") or "strict"
    after = config_module.setting_in(path, result.config_new, "asyncio_mode") or "strict"
    before, after = before.strip().lower(), after.strip().lower()
    return (before, after) if before != after else None


def _stdin_needs_auto_mode(result: engine.MigrationResult, options: Options) -> bool:
    """Whether the code from stdin was rewritten for a switch to auto mode, which stdin
    mode does not write (asked for with --asyncio-mode auto: bad input)."""
    switch = _mode_switch(result)
    if switch is None or switch[1] != "auto":
        return False
    if options.asyncio_mode == "auto":
        _fail(
            f"--asyncio-mode auto from stdin: {_config_name(result)} sets the {switch[0]} "
            "mode, and stdin mode does not write the config; code rewritten for auto mode "
            "would not run its tests there. Run `async-test-upgrade migrate` on the "
            "project, or leave the option out"
        )
    return True


def _stdin_without_config(
    result: engine.MigrationResult, kept: engine.MigrationResult | None
) -> engine.MigrationResult:
    """From stdin only the code is ours to change, never the project's config: a rewrite
    that needs the config changed (marks auto mode makes redundant, under a strict config)
    is not made (``kept``: the run that keeps the mode); the config changes the project
    needs are said as decisions."""
    where = _config_name(result)
    if kept is not None:
        if _source(kept) != _source(result):
            kept.headlines.append(
                f"stdin: marks kept: removing them needs asyncio_mode = auto in {where}, "
                "which stdin mode does not write (`async-test-upgrade migrate` on the "
                "project switches it)"
            )
        result = kept
    if result.config_changed:
        needed = "; ".join(
            c.description.partition(":")[0] for c in result.changes if c.path == where
        )
        result.headlines.append(
            f"stdin: {where} not written; the project needs: {needed} "
            "(`async-test-upgrade migrate` on the project writes it)"
        )
        result.config_new = None  # nothing of it is this run's to write or count
    return result


def _source(result: engine.MigrationResult) -> bytes | None:
    return result.changed_files[0].new if result.changed_files else None


def _config_name(result: engine.MigrationResult) -> str:
    from async_test_upgrade.files import display_path

    if result.config_path is None:
        return "the config"
    return display_path(result.config_path, result.root)


def _excluded_files_switch_mode_too(result: engine.MigrationResult) -> None:
    """The config is the whole project's: a mode switch applies to the files --exclude
    keeps from being rewritten, too. A decision the reviewer must see."""
    switch = _mode_switch(result)
    if switch is None or not result.excluded_files:
        return
    count = len(result.excluded_files)
    shown = ", ".join(result.excluded_files[:3]) + (", ..." if count > 3 else "")
    result.headlines.append(
        f"asyncio mode {switch[0]} -> {switch[1]} in {_config_name(result)} applies to the "
        f"{count} excluded file(s) too ({shown}): not rewritten, their async tests and "
        f"fixtures run in {switch[1]} mode from now on"
    )


def _print_diff(result: engine.MigrationResult, colour: str) -> None:
    color = use_colour(colour, sys.stdout)
    for line in report.unified_diff(result):
        click.echo(_colour(line) if color else line, nl=False, color=color)


def _given(name: str) -> bool:
    """Whether option ``name`` was given on the command line (not left to its default)."""
    source = click.get_current_context().get_parameter_source(name)
    return source not in (None, click.core.ParameterSource.DEFAULT)


def _tool_settings(paths: Sequence[Path]) -> settings_module.ToolSettings:
    try:
        return settings_module.load(paths)
    except InputError as error:
        _fail(str(error))
        raise  # unreachable: _fail exits


def _with_settings(
    tool: settings_module.ToolSettings,
    select: str | None,
    skip: str | None,
    target_version: str,
    asyncio_mode: str | None,
    include_source: bool,
) -> tuple[str | None, str | None, str, str | None, bool]:
    """The selection options, each from the command line if given there, else from the
    project's [tool.async-test-upgrade] table, else the default."""
    if not _given("select") and tool.select is not None:
        select = ",".join(tool.select)
    if not _given("skip") and tool.skip is not None:
        skip = ",".join(tool.skip)
    if not _given("target_version") and tool.target_version is not None:
        target_version = tool.target_version
    if not _given("asyncio_mode") and tool.asyncio_mode is not None:
        asyncio_mode = tool.asyncio_mode
    if not _given("include_source") and tool.include_source is not None:
        include_source = tool.include_source
    return select, skip, target_version, asyncio_mode, include_source


def use_colour(choice: str, stream: object) -> bool:
    """``--color``: always, never, or auto: a terminal, unless ``NO_COLOR`` is set to
    anything non-empty; a non-empty ``FORCE_COLOR`` colours even a pipe."""
    import os

    if choice != "auto":
        return choice == "always"
    if os.environ.get("NO_COLOR"):
        return False
    if os.environ.get("FORCE_COLOR"):
        return True
    isatty = getattr(stream, "isatty", None)
    return bool(isatty and isatty())


def _check_writable(path: Path) -> None:
    """A report the run could not write fails before anything else is written."""
    import os

    if path.is_dir():
        _fail(f"--report {path}: is a directory")
    parent = path.parent if str(path.parent) else Path(".")
    if not parent.is_dir():
        _fail(f"--report {path}: no directory {parent}")
    if not os.access(parent, os.W_OK) or (path.exists() and not os.access(path, os.W_OK)):
        _fail(f"--report {path}: not writable")


def _colour(line: str) -> str:
    if line.startswith(("+++", "---")):
        return click.style(line, bold=True)
    if line.startswith("+"):
        return click.style(line, fg="green")
    if line.startswith("-"):
        return click.style(line, fg="red")
    if line.startswith("@@"):
        return click.style(line, fg="cyan")
    return line


def _progress_printer() -> engine.ProgressCallback:
    """One line on the terminal, rewritten in place: stage, files done of all, files
    changed so far, seconds elapsed; cleared when the run ends."""
    import time

    start = time.monotonic()
    shown = [0.0]

    def show(stage: str, done: int, total: int, changed: int) -> None:
        now = time.monotonic()
        if done < total and now - shown[0] < 0.2:
            return  # at most five updates a second
        shown[0] = now
        line = f"{stage} {done}/{total} files"
        if stage == "transform":
            line += f", {changed} changed"
        line += f", {now - start:.0f}s"
        end = "\n" if stage == "transform" and done == total else "\r"
        click.echo(f"\r{line:<60}", err=True, nl=False)
        click.echo(end, err=True, nl=False)

    return show


@cli.command(name="list")
def list_codemods() -> None:
    """Every codemod in pipeline order, with its safety and summary."""
    records = registry.catalogue()
    width = max(len(c.name) for c in records)
    for record in records:
        click.echo(f"{record.name:<{width}}  {record.safety:<6}  {record.summary}")


@cli.command()
@click.argument("name")
def explain(name: str) -> None:
    """Print the documentation of codemod NAME."""
    try:
        click.echo(registry.explain(name))
    except registry.UnknownCodemodError as error:
        _fail(str(error))


@cli.command()
@click.argument("path", required=False, default=".", type=click.Path(path_type=Path))
@selection_options
@click.option(
    "--timeout",
    type=click.FloatRange(min=1),
    default=1800,
    show_default=True,
    help="Seconds one pytest run may take; a run past it is killed with its process group.",
)
@click.option("--before-python", metavar="PATH|X.Y", help="Interpreter for the run before.")
@click.option("--after-python", metavar="PATH|X.Y", help="Interpreter for the run after.")
@click.option(
    "--before-requirements",
    type=click.Path(path_type=Path, dir_okay=False),
    help="Run before in a cached virtualenv built from this requirements file.",
)
@click.option(
    "--after-requirements",
    type=click.Path(path_type=Path, dir_okay=False),
    help="Run after in a cached virtualenv built from this requirements file.",
)
@click.option(
    "--install-cmd",
    metavar="COMMAND",
    help="Shell command installing the project into each side's throwaway environment "
    "(e.g. 'pip install -e .').",
)
@click.option("--pytest-args", metavar="ARGS", default="", help="Extra pytest arguments.")
@click.option(
    "--rollback",
    is_flag=True,
    help="Write the migration to PATH, leaving out the edits that caused regressions "
    "(regressions no re-run pinned on an edit are listed, not acted on).",
)
@click.option(
    "--no-attribution", is_flag=True, help="Do not re-run regressions to find their cause."
)
@click.option(
    "--unmigrated-run",
    is_flag=True,
    help="Also run the unmigrated suite on the after side, to show what the new stack "
    "alone breaks and what the migration fixed.",
)
@click.option(
    "--report",
    "report_path",
    type=click.Path(path_type=Path, dir_okay=False),
    help="Also write the comparison as JSON to this file.",
)
@click.option("-v", "--verbose", is_flag=True, help="List unchanged tests too.")
def verify(
    path: Path,
    select: str | None,
    skip: str | None,
    target_version: str,
    asyncio_mode: str | None,
    include_source: bool,
    max_file_size: int,
    file_timeout: float,
    timeout: float,
    before_python: str | None,
    after_python: str | None,
    before_requirements: Path | None,
    after_requirements: Path | None,
    install_cmd: str | None,
    pytest_args: str,
    rollback: bool,
    no_attribution: bool,
    unmigrated_run: bool,
    report_path: Path | None,
    verbose: bool,
) -> None:
    """Run the suite under PATH (default: .) before and after migration, on copies, and
    compare test by test. Exit 1 on a regression; the tree is written only with --rollback."""
    import shlex

    from async_test_upgrade.harness import render
    from async_test_upgrade.harness.verify import Side, VerifyRequest
    from async_test_upgrade.harness.verify import verify as run_verify

    if not path.exists():
        _fail(f"path does not exist: {path}")
    select, skip, target_version, asyncio_mode, include_source = _with_settings(
        _tool_settings([path]), select, skip, target_version, asyncio_mode, include_source
    )
    codemods, options = build_selection(
        select, skip, target_version, asyncio_mode, include_source, max_file_size, file_timeout
    )
    if report_path is not None:
        _check_writable(report_path)
    request = VerifyRequest(
        path=path,
        codemods=codemods,
        options=options,
        before=Side(before_python, before_requirements),
        after=Side(after_python, after_requirements),
        install_cmd=install_cmd,
        pytest_args=shlex.split(pytest_args),
        timeout=timeout,
        attribute=not no_attribution,
        rollback=rollback,
        unmigrated_after=unmigrated_run,
    )
    try:
        result = run_verify(request, log=lambda line: click.echo(line, err=True))
    except InputError as error:
        _fail(str(error))
    for line in render.report_lines(result, verbose=verbose):
        click.echo(line)
    if report_path is not None:
        import json

        report_path.write_text(json.dumps(result.to_json(), indent=2) + "\n", encoding="utf-8")
    sys.exit(result.exit_code)


def main() -> None:
    cli()


if __name__ == "__main__":
    main()
