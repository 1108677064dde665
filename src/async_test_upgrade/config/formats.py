"""The config formats pytest reads, behind one small interface."""

from __future__ import annotations

import shlex
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal, Protocol

import tomlkit
import tomlkit.exceptions
from configupdater import ConfigUpdater
from configupdater.parser import ParsingError

from async_test_upgrade.files import InputError
from async_test_upgrade.model import ConfigEdit, Note

Kind = Literal[
    "pytest.toml",
    "pytest.ini",
    "pyproject.toml [tool.pytest]",
    "pyproject.toml [tool.pytest.ini_options]",
    "tox.ini",
    "setup.cfg",
]


class ConfigError(InputError):
    """A config file that cannot be read: reported, exit code 2, nothing written."""


#: Options that can also be given on the command line, and their flag.
ADDOPTS_FLAGS = {"asyncio_mode": "--asyncio-mode"}
#: Boolean options: pytest's native TOML config (``[tool.pytest]``, ``pytest.toml``) wants
#: a TOML boolean for them and rejects the string "true".
BOOLEAN_SETTINGS = frozenset({"asyncio_debug"})


class _Backend(Protocol):
    def get(self, key: str) -> Any: ...
    def set(self, key: str, value: Any) -> None: ...
    def unset(self, key: str) -> None: ...
    def render(self) -> str: ...


class _TomlBackend:
    def __init__(self, text: str, table: Sequence[str], native: bool) -> None:
        self.doc = tomlkit.parse(text)
        self.table_path = tuple(table)
        self.native = native

    def _table(self, create: bool) -> Any:
        node: Any = self.doc
        for part in self.table_path:
            if part not in node:
                if not create:
                    return None
                # Nest with dotted headers ([tool.pytest.ini_options]) rather than
                # emitting empty [tool] / [tool.pytest] headers.
                node.append(part, tomlkit.table(is_super_table=part != self.table_path[-1]))
            node = node[part]
        return node

    def get(self, key: str) -> Any:
        table = self._table(create=False)
        if table is None or key not in table:
            return None
        return table[key].unwrap() if hasattr(table[key], "unwrap") else table[key]

    def set(self, key: str, value: Any) -> None:
        table = self._table(create=True)
        if self.native and key in BOOLEAN_SETTINGS and value in ("true", "false"):
            value = value == "true"
        table[key] = value

    def unset(self, key: str) -> None:
        table = self._table(create=False)
        if table is not None and key in table:
            del table[key]

    def render(self) -> str:
        return tomlkit.dumps(self.doc)


class _IniBackend:
    def __init__(self, text: str, section: str) -> None:
        self.updater = ConfigUpdater()
        self.updater.read_string(text)
        self.section = section

    def get(self, key: str) -> Any:
        if not self.updater.has_section(self.section):
            return None
        option = self.updater[self.section].get(key)
        if option is None:
            return None
        value = option.value
        return value.strip() if isinstance(value, str) else value

    def set(self, key: str, value: Any) -> None:
        if not self.updater.has_section(self.section):
            self.updater.add_section(self.section)
        text = shlex.join(value) if isinstance(value, list) else str(value)
        section = self.updater[self.section]
        if key in section:
            section[key].value = text
        else:
            section.set(key, text)

    def unset(self, key: str) -> None:
        if self.updater.has_section(self.section) and key in self.updater[self.section]:
            del self.updater[self.section][key]

    def render(self) -> str:
        return str(self.updater)


@dataclass
class PytestConfig:
    """The pytest configuration of one project: which file, and its settings."""

    path: Path
    kind: Kind
    #: The file's bytes as found, or None when the file does not exist yet.
    original: bytes | None
    backend: _Backend = field(repr=False)

    @property
    def exists(self) -> bool:
        return self.original is not None

    @property
    def section_name(self) -> str:
        return {
            "pytest.toml": "[pytest]",
            "pytest.ini": "[pytest]",
            "pyproject.toml [tool.pytest]": "[tool.pytest]",
            "pyproject.toml [tool.pytest.ini_options]": "[tool.pytest.ini_options]",
            "tox.ini": "[pytest]",
            "setup.cfg": "[tool:pytest]",
        }[self.kind]

    # --- reading ----------------------------------------------------------------------

    def get(self, key: str) -> str | None:
        """The option's value as pytest would see it, looking at ``addopts`` too."""
        flag = ADDOPTS_FLAGS.get(key)
        if flag is not None:
            from_addopts = _flag_value(self.addopts(), flag)
            if from_addopts is not None:
                return from_addopts
        value = self.backend.get(key)
        return None if value is None else str(value)

    def addopts_sets(self, key: str) -> bool:
        """Whether ``key`` is given as a command-line flag in ``addopts``."""
        flag = ADDOPTS_FLAGS.get(key)
        return flag is not None and _flag_value(self.addopts(), flag) is not None

    def raw(self, key: str) -> Any:
        """The option as the file holds it (a TOML list stays a list), or None."""
        return self.backend.get(key)

    def addopts(self) -> list[str]:
        value = self.backend.get("addopts")
        if value is None:
            return []
        if isinstance(value, list):
            return [str(v) for v in value]
        return shlex.split(str(value))

    # --- writing ----------------------------------------------------------------------

    def set(self, key: str, value: str) -> None:
        self.backend.set(key, value)
        flag = ADDOPTS_FLAGS.get(key)
        if flag is not None and _flag_value(self.addopts(), flag) not in (None, value):
            self._set_addopts(_without_flag(self.addopts(), flag))

    def unset(self, key: str) -> None:
        self.backend.unset(key)
        flag = ADDOPTS_FLAGS.get(key)
        if flag is not None and _flag_value(self.addopts(), flag) is not None:
            self._set_addopts(_without_flag(self.addopts(), flag))

    def replace_in_addopts(self, flag: str, value: str) -> None:
        """Rewrite ``flag=X`` / ``flag X`` in addopts to carry ``value``."""
        args = _without_flag(self.addopts(), flag)
        self._set_addopts([*args, f"{flag}={value}"])

    def _set_addopts(self, args: list[str]) -> None:
        current = self.backend.get("addopts")
        if not args:
            self.backend.unset("addopts")
        elif isinstance(current, list):
            self.backend.set("addopts", args)
        else:
            self.backend.set("addopts", shlex.join(args))

    def render(self) -> bytes:
        text = self.backend.render()
        if self.original:
            text = keep_newlines(self.original.decode("utf-8"), text)
        return text.encode("utf-8")

    def changed(self) -> bool:
        return self.render() != (self.original or b"")


def keep_newlines(original: str, rendered: str) -> str:
    """``rendered`` with the newline style of ``original``, line by line: a line kept from
    the original, or edited, keeps its own ending; a new line takes the ending of the
    original line before it. The parsers keep the endings
    of the lines they did not touch, and write a bare LF for the others."""
    from async_test_upgrade.locations import matching_blocks

    old = original.splitlines(keepends=True)
    new = rendered.splitlines(keepends=True)
    if not old or not new:
        return rendered
    old_bodies = [line.rstrip("\r\n") for line in old]
    new_bodies = [line.rstrip("\r\n") for line in new]
    endings = [line[len(body) :] for line, body in zip(old, old_bodies, strict=True)]
    first = next((ending for ending in endings if ending), "\n")
    style = [""] * len(new)
    i = j = 0
    for start_old, start_new, size in [
        *matching_blocks(old_bodies, new_bodies),
        (len(old), len(new), 0),
    ]:
        # An edited line keeps the ending of the line it replaces; a new line takes the
        # ending of the original line before it.
        before = next((endings[k] for k in range(start_old - 1, -1, -1) if endings[k]), first)
        for k in range(j, start_new):
            replaced = i + (k - j)
            style[k] = endings[replaced] if replaced < start_old and endings[replaced] else before
        for k in range(size):
            style[start_new + k] = endings[start_old + k] or before
        i, j = start_old + size, start_new + size
    out = []
    for line, body, ending in zip(new, new_bodies, style, strict=True):
        had = line[len(body) :]
        out.append(body + (ending if had else ""))
    return "".join(out)


def _flag_value(args: Sequence[str], flag: str) -> str | None:
    value = None
    for index, arg in enumerate(args):
        if arg == flag and index + 1 < len(args):
            value = args[index + 1]
        elif arg.startswith(flag + "="):
            value = arg.split("=", 1)[1]
    return value


def _without_flag(args: Sequence[str], flag: str) -> list[str]:
    result: list[str] = []
    skip_next = False
    for arg in args:
        if skip_next:
            skip_next = False
            continue
        if arg == flag:
            skip_next = True
            continue
        if arg.startswith(flag + "="):
            continue
        result.append(arg)
    return result


# --- locating ---------------------------------------------------------------------------


def _read_text(path: Path) -> str:
    try:
        return path.read_bytes().decode("utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise ConfigError(f"{path}: cannot read config file: {error}") from error


def _parse_toml(path: Path) -> tomlkit.TOMLDocument:
    try:
        return tomlkit.parse(_read_text(path))
    except tomlkit.exceptions.ParseError as error:
        raise ConfigError(f"{path}: invalid TOML: {error}") from error


def _parse_ini(path: Path) -> ConfigUpdater:
    updater = ConfigUpdater()
    try:
        updater.read_string(_read_text(path))
    except (ParsingError, Exception) as error:
        first_line = str(error).splitlines()[0] if str(error) else type(error).__name__
        raise ConfigError(f"{path}: invalid ini file: {first_line}") from error
    return updater


def _load(path: Path) -> PytestConfig | None:
    """The pytest config in ``path``, or None when the file holds none."""
    name = path.name
    if name in ("pytest.toml", ".pytest.toml"):
        text = _read_text(path)
        _parse_toml(path)
        return PytestConfig(
            path, "pytest.toml", text.encode(), _TomlBackend(text, ["pytest"], True)
        )
    if name in ("pytest.ini", ".pytest.ini"):
        text = _read_text(path)
        _parse_ini(path)
        return PytestConfig(path, "pytest.ini", text.encode(), _IniBackend(text, "pytest"))
    if name == "pyproject.toml":
        text = _read_text(path)
        doc = _parse_toml(path)
        tool = doc.get("tool", {})
        if not isinstance(tool, Mapping):
            raise ConfigError(f"{path}: 'tool' must be a table, not {type(tool.unwrap()).__name__}")
        tool_pytest = tool.get("pytest", {})
        if not isinstance(tool_pytest, Mapping):
            raise ConfigError(
                f"{path}: 'tool.pytest' must be a table, not {type(tool_pytest.unwrap()).__name__}"
            )
        if not isinstance(tool_pytest.get("ini_options", {}), Mapping):
            raise ConfigError(f"{path}: 'tool.pytest.ini_options' must be a table")
        native = {k for k in tool_pytest if k != "ini_options"}
        if native and "ini_options" in tool_pytest:
            raise ConfigError(
                f"{path}: [tool.pytest] and [tool.pytest.ini_options] cannot both be used"
            )
        if native:
            backend: _Backend = _TomlBackend(text, ["tool", "pytest"], True)
            return PytestConfig(path, "pyproject.toml [tool.pytest]", text.encode(), backend)
        if "ini_options" in tool_pytest:
            backend = _TomlBackend(text, ["tool", "pytest", "ini_options"], False)
            kind: Kind = "pyproject.toml [tool.pytest.ini_options]"
            return PytestConfig(path, kind, text.encode(), backend)
        return None
    if name in ("tox.ini", "setup.cfg"):
        section = "pytest" if name == "tox.ini" else "tool:pytest"
        updater = _parse_ini(path)
        if not updater.has_section(section):
            return None
        text = _read_text(path)
        return PytestConfig(path, name, text.encode(), _IniBackend(text, section))  # type: ignore[arg-type]
    return None


def setting_in(path: Path, data: bytes | None, key: str) -> str | None:
    """``key`` as pytest would read it from ``data`` as the contents of config file
    ``path`` (a config about to be written, say); None when unset or unreadable."""
    import tempfile

    if not data:
        return None
    with tempfile.TemporaryDirectory(prefix="async-test-upgrade-") as scratch:
        copy = Path(scratch) / path.name
        copy.write_bytes(data)
        try:
            config = _load(copy)
        except ConfigError:
            return None
    return None if config is None else config.get(key)


CONFIG_NAMES = (
    "pytest.toml",
    ".pytest.toml",
    "pytest.ini",
    ".pytest.ini",
    "pyproject.toml",
    "tox.ini",
    "setup.cfg",
)


def _search_dirs(start: Path) -> Iterable[Path]:
    """``start`` and its parents, up to the enclosing repository root."""
    for directory in (start, *start.parents):
        yield directory
        if (directory / ".git").exists():
            return


def locate(start: Path) -> PytestConfig:
    """The config pytest would read when run from ``start``, or a new one to create.

    With no config at all the settings go to a new ``[tool.pytest.ini_options]`` table in
    the nearest pyproject.toml, or to a new pytest.ini next to ``start``.
    """
    start = start.resolve()
    first_pyproject: Path | None = None
    for directory in _search_dirs(start):
        for name in CONFIG_NAMES:
            path = directory / name
            if not path.is_file():
                continue
            if name == "pyproject.toml" and first_pyproject is None:
                first_pyproject = path
            config = _load(path)
            if config is not None:
                return config
    if first_pyproject is not None:
        text = _read_text(first_pyproject)
        backend = _TomlBackend(text, ["tool", "pytest", "ini_options"], False)
        kind: Kind = "pyproject.toml [tool.pytest.ini_options]"
        return PytestConfig(first_pyproject, kind, text.encode(), backend)
    return PytestConfig(start / "pytest.ini", "pytest.ini", None, _IniBackend("", "pytest"))


def apply_edits(config: PytestConfig, edits: Sequence[ConfigEdit]) -> list[Note]:
    """Apply the codemods' setting requests in order; the first request for a key wins.

    Returns notes for conflicting requests (two codemods asking different values).
    """
    notes: list[Note] = []
    decided: dict[str, ConfigEdit] = {}
    display = config.path.name
    for edit in edits:
        earlier = decided.get(edit.key)
        if earlier is not None:
            if earlier.value != edit.value:
                notes.append(
                    Note(
                        display,
                        0,
                        edit.codemod,
                        f"wanted {edit.key} = {edit.value!r}, but {earlier.codemod} "
                        f"already set {earlier.value!r}",
                    )
                )
            continue
        decided[edit.key] = edit
        if edit.value is None:
            config.unset(edit.key)
        else:
            config.set(edit.key, edit.value)
    return notes
