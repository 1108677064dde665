"""The Python environments the suite runs in: an interpreter, or a throwaway virtualenv.

A virtualenv built from a requirements file is cached under the user's cache directory,
keyed by the file's bytes and the interpreter, and built in a temporary directory that is
renamed into place, so two runs racing to build the same one both end with a complete
environment. Builds use uv when it is available (on PATH or as the ``uv`` package), else
``venv`` and pip.
"""

from __future__ import annotations

import glob
import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from async_test_upgrade.files import InputError
from async_test_upgrade.model import Version, format_version

Log = Callable[[str], None]
COMPLETE_MARKER = ".async-test-upgrade-complete"
_VERSION_SPEC = re.compile(r"^\d+\.\d+(\.\d+)?$")


class MissingInterpreterError(InputError):
    """The requested interpreter is not on this machine."""


@dataclass(frozen=True)
class Environment:
    python: Path
    #: Human-readable: which interpreter, which requirements, cached or fresh.
    label: str
    #: The virtualenv directory, when the interpreter lives in one we built.
    venv: Path | None = None

    def variables(self) -> dict[str, str]:
        """Variables that make subprocesses (pip, tools on PATH) see this environment."""
        if self.venv is None:
            return {}
        path = os.environ.get("PATH", "")
        return {"VIRTUAL_ENV": str(self.venv), "PATH": f"{self.venv / 'bin'}{os.pathsep}{path}"}


def resolve_python(spec: str | None) -> Path:
    """An interpreter from a path, a command name, or a version such as ``3.10``.

    A version is looked up among pyenv's installations (``$PYENV_ROOT/versions/3.10*``,
    then ``pyenv prefix``), then as ``python3.10`` on PATH.
    """
    if not spec:
        return Path(sys.executable)
    candidate = Path(spec).expanduser()
    if candidate.exists():
        return candidate
    if _VERSION_SPEC.match(spec):
        found = _pyenv_python(spec) or shutil.which(f"python{spec}")
        if found:
            return Path(found)
        raise MissingInterpreterError(f"no Python {spec} interpreter found (pyenv or PATH)")
    found = shutil.which(spec)
    if found:
        return Path(found)
    raise MissingInterpreterError(f"interpreter not found: {spec}")


def _pyenv_python(version: str) -> str | None:
    root = Path(os.environ.get("PYENV_ROOT", Path.home() / ".pyenv"))
    pattern = str(root / "versions" / f"{version}*" / "bin" / "python")
    candidates = [p for p in glob.glob(pattern) if _matches(Path(p).parents[1].name, version)]
    if candidates:
        return max(candidates, key=lambda p: _version_key(Path(p).parents[1].name))
    pyenv = shutil.which("pyenv")
    if pyenv:
        done = subprocess.run(
            [pyenv, "prefix", version], capture_output=True, text=True, check=False
        )
        prefix = done.stdout.strip().splitlines()[0] if done.stdout.strip() else ""
        if done.returncode == 0 and prefix and (Path(prefix) / "bin" / "python").exists():
            return str(Path(prefix) / "bin" / "python")
    return None


def _matches(name: str, version: str) -> bool:
    # "3.1" must not pick 3.10: the installation is the version or a patch release of it.
    return name == version or name.startswith(version + ".")


def _version_key(name: str) -> tuple[int, ...]:
    return tuple(int(p) for p in re.findall(r"\d+", name))


def describe_interpreter(python: Path) -> dict[str, str]:
    code = (
        "import json, platform, sys; print(json.dumps({'version': platform.python_version(),"
        " 'full': sys.version, 'base_prefix': sys.base_prefix,"
        " 'implementation': sys.implementation.name}))"
    )
    try:
        done = subprocess.run(
            [str(python), "-c", code], capture_output=True, text=True, check=False, timeout=60
        )
    except OSError as error:
        raise InputError(f"cannot run {python}: {error}") from error
    if done.returncode != 0:
        raise InputError(f"cannot run {python}: {done.stderr.strip()[-500:]}")
    return dict(json.loads(done.stdout))


def cache_root() -> Path:
    """``$ASYNC_TEST_UPGRADE_CACHE``, else ``$XDG_CACHE_HOME``/~/.cache + async-test-upgrade."""
    explicit = os.environ.get("ASYNC_TEST_UPGRADE_CACHE")
    if explicit:
        return Path(explicit)
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "async-test-upgrade"


def uv_command() -> list[str] | None:
    found = shutil.which("uv")
    if found:
        return [found]
    try:
        import uv  # type: ignore[import-not-found,unused-ignore]

        return [str(uv.find_uv_bin())]
    except (ImportError, FileNotFoundError):
        return None


def environment(
    python_spec: str | None,
    requirements: Path | None,
    log: Log,
    cache_dir: Path | None = None,
) -> Environment:
    """The interpreter named by ``python_spec``, or a cached virtualenv built with it."""
    python = resolve_python(python_spec)
    if requirements is None:
        return Environment(python, f"{python}")
    if not requirements.is_file():
        raise InputError(f"requirements file not found: {requirements}")
    return cached_venv(python, requirements, log, cache_dir or cache_root() / "venvs")


def venv_key(python: Path, requirements: Path) -> str:
    info = describe_interpreter(python)
    digest = hashlib.sha256()
    digest.update(requirements.read_bytes())
    for part in (info["implementation"], info["full"], info["base_prefix"]):
        digest.update(b"\0" + part.encode())
    return f"py{info['version']}-{digest.hexdigest()[:20]}"


def cached_venv(python: Path, requirements: Path, log: Log, cache_dir: Path) -> Environment:
    key = venv_key(python, requirements)
    final = cache_dir / key
    label = f"{requirements.name} on Python {key.split('-')[0][2:]}"
    if (final / COMPLETE_MARKER).exists():
        log(f"using cached virtualenv for {label}: {final}")
        return Environment(venv_python(final), f"{label} (cached venv)", final)
    cache_dir.mkdir(parents=True, exist_ok=True)
    building = Path(tempfile.mkdtemp(prefix=f".build-{key}-", dir=cache_dir))
    log(f"building virtualenv for {label} ...")
    try:
        build_venv(python, requirements, building)
        (building / COMPLETE_MARKER).write_text(str(requirements.resolve()) + "\n")
        try:
            os.rename(building, final)
        except OSError:
            # Another run finished the same environment first: use theirs.
            if not (final / COMPLETE_MARKER).exists():
                raise
            shutil.rmtree(building, ignore_errors=True)
    except BaseException:
        shutil.rmtree(building, ignore_errors=True)
        raise
    return Environment(venv_python(final), f"{label} (new venv)", final)


def venv_python(venv: Path) -> Path:
    windows = venv / "Scripts" / "python.exe"
    return windows if windows.exists() else venv / "bin" / "python"


def build_venv(python: Path, requirements: Path | None, dest: Path, seed: bool = False) -> None:
    """A virtualenv at ``dest`` (which may exist, empty) with ``requirements`` installed.

    The environment is only ever run as ``python -m ...``, so it keeps working after the
    rename that publishes it (console scripts would keep the build path in their shebang).
    """
    uv = uv_command()
    env = {**os.environ, "UV_PYTHON_DOWNLOADS": "never"}
    if uv:
        steps = [
            [*uv, "venv", "--quiet", "--allow-existing", "--python", str(python), str(dest)]
            + (["--seed"] if seed else [])
        ]
        if requirements is not None:
            steps.append(
                [
                    *uv,
                    "pip",
                    "install",
                    "--quiet",
                    "--python",
                    str(venv_python(dest)),
                    "-r",
                    str(requirements.resolve()),
                ]
            )
    else:
        steps = [[str(python), "-m", "venv", str(dest)]]
        if requirements is not None:
            steps.append(
                [
                    str(venv_python(dest)),
                    "-m",
                    "pip",
                    "install",
                    "--quiet",
                    "--disable-pip-version-check",
                    "-r",
                    str(requirements.resolve()),
                ]
            )
    cwd = requirements.resolve().parent if requirements is not None else None
    for step in steps:
        done = subprocess.run(step, capture_output=True, text=True, check=False, env=env, cwd=cwd)
        if done.returncode != 0:
            what = f"installing {requirements}" if requirements else "creating a virtualenv"
            output = (done.stderr or done.stdout).strip()[-2000:]
            raise InputError(f"{what} failed ({' '.join(step[:3])} ...):\n{output}")


def overlay(base: Environment, dest: Path) -> Environment:
    """A fresh, writable virtualenv that also sees ``base``'s packages.

    ``--install-cmd`` installs the project into it, so a cached environment (or the
    user's own interpreter) is never modified. The base's site directories are added by a
    ``.pth`` file, which processes their own ``.pth`` files too; the overlay's own
    site-packages comes first, so what the install command puts there wins.
    """
    code = "import json, site; print(json.dumps(site.getsitepackages()))"
    done = subprocess.run(
        [str(base.python), "-c", code], capture_output=True, text=True, check=False
    )
    if done.returncode != 0:
        raise InputError(f"cannot inspect {base.python}: {done.stderr.strip()[-500:]}")
    site_dirs: list[str] = json.loads(done.stdout)
    build_venv(base.python, None, dest, seed=True)
    own = subprocess.run(
        [str(venv_python(dest)), "-c", code], capture_output=True, text=True, check=True
    )
    target = Path(json.loads(own.stdout)[0])
    lines = [f"import site; site.addsitedir({d!r})" for d in site_dirs if Path(d) != target]
    (target / "_async_test_upgrade_base.pth").write_text("\n".join(lines) + "\n")
    return Environment(venv_python(dest), f"{base.label} + install", dest)


def run_install(environment: Environment, command: str, project: Path) -> None:
    """Run the user's ``--install-cmd`` in ``project`` with ``environment`` activated."""
    env = {**os.environ, **environment.variables()}
    done = subprocess.run(
        command, shell=True, cwd=project, env=env, capture_output=True, text=True, check=False
    )
    if done.returncode != 0:
        output = (done.stderr or done.stdout).strip()[-2000:]
        raise InputError(f"--install-cmd {command!r} failed in {environment.label}:\n{output}")


#: Lists what an environment has installed, from the metadata of every distribution on
#: its path. Dependency-free and valid on Python 3.6+ (no importlib.metadata before 3.8,
#: and a bare virtualenv has no pkg_resources).
_INVENTORY = """
import json, os, platform, sys
found = {}
for entry in sys.path:
    try:
        names = os.listdir(entry or ".")
    except OSError:
        continue
    for name in names:
        if name.endswith(".dist-info"):
            meta = os.path.join(entry, name, "METADATA")
        elif name.endswith(".egg-info"):
            meta = os.path.join(entry, name)
            if os.path.isdir(meta):
                meta = os.path.join(meta, "PKG-INFO")
        else:
            continue
        fields = {}
        try:
            with open(meta, encoding="utf-8", errors="replace") as handle:
                for line in handle:
                    if not line.strip():
                        break
                    key, _, value = line.partition(":")
                    fields.setdefault(key.strip().lower(), value.strip())
        except OSError:
            continue
        if fields.get("name") and fields.get("version"):
            found.setdefault(fields["name"], fields["version"])
print(json.dumps({"python": platform.python_version(), "distributions": found}))
"""


def normalize(name: str) -> str:
    """A distribution name as the packaging standards compare them."""
    return re.sub(r"[-_.]+", "-", name).lower()


def _version(text: str) -> Version | None:
    match = re.match(r"(\d+)(?:\.(\d+))?", text)
    if match is None:
        return None
    return int(match.group(1)), int(match.group(2) or 0)


@dataclass(frozen=True)
class Stack:
    """What an environment runs: its Python version and its installed distributions."""

    python: str
    #: normalized distribution name -> version
    distributions: dict[str, str] = field(default_factory=dict)

    def version_of(self, name: str) -> str | None:
        if normalize(name) == "python":
            return self.python
        return self.distributions.get(normalize(name))

    def unmet(self, needs: Mapping[str, Version]) -> str | None:
        """Why code needing ``needs`` cannot run on this stack, or None when it can."""
        missing = []
        for name, oldest in sorted(needs.items()):
            label = "Python" if normalize(name) == "python" else name
            have = self.version_of(name)
            parsed = _version(have) if have else None
            if have is None:
                missing.append(f"{label} >= {format_version(oldest)}, not installed")
            elif parsed is None or parsed < oldest:
                missing.append(f"{label} >= {format_version(oldest)}, has {have}")
        return "; ".join(missing) or None


def installed(environment: Environment) -> Stack:
    """The Python version and the distributions ``environment`` has installed."""
    env = {**os.environ, **environment.variables()}
    try:
        done = subprocess.run(
            [str(environment.python), "-c", _INVENTORY],
            capture_output=True,
            text=True,
            check=False,
            timeout=120,
            env=env,
        )
    except (OSError, subprocess.TimeoutExpired) as error:
        raise InputError(f"cannot list what {environment.label} has installed: {error}") from error
    if done.returncode != 0:
        raise InputError(
            f"cannot list what {environment.label} has installed: {done.stderr.strip()[-500:]}"
        )
    data = json.loads(done.stdout.strip().splitlines()[-1])
    distributions = {normalize(k): str(v) for k, v in data["distributions"].items() if k}
    return Stack(str(data["python"]), distributions)
