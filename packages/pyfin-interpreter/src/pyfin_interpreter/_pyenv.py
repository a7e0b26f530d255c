"""Which binary a pyenv shim would run, read from pyenv's own settings without running pyenv.

A shim (`$PYENV_ROOT/shims/python3`) is a bash script that runs `pyenv exec python3`: hundreds
of milliseconds, and an answer that depends on the environment and working directory, so a
query through a shim is never cached. `shim_target` repeats pyenv's choice for the plain case
and returns the real binary, whose query *is* cacheable. Whenever the case is not plain it
returns None and the caller runs the shim as before. It follows `pyenv exec` step by step:

1. versions: `$PYENV_VERSION` (`:`-separated), else the first `.python-version` in `$PYENV_DIR`
   (default: the working directory) or a parent, then in `$PWD` or a parent, else
   `$PYENV_ROOT/version`. A file gives the first word of each line, skipping blank lines and
   `#` comments.
2. each version must name an installed folder `$PYENV_ROOT/versions/<version>` exactly. None
   for `system`, no version at all, a prefix (`3.12`, which `pyenv latest` would resolve), a
   `python-` spelling, a path, or a version that is not installed.
3. the first of those versions whose `bin/<name>` is executable is the target; if none has it
   pyenv would search the system PATH: None.
4. hooks, which may change the answer: None if any `version-name` hook exists, if a `which` hook
   is not wholly guarded by `if [ ! -x "${PYENV_COMMAND_PATH}" ]` (pyenv-virtualenv's are: they
   act only when the command was not found), or if an `exec` hook other than pyenv's own
   `pip-rehash.bash` (which acts only for pip) exists.

Cost: reading the shim (a few hundred bytes), a handful of stats and small reads.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

# A shim as `pyenv rehash` writes it: it pins PYENV_ROOT and execs `<prefix>/libexec/pyenv exec`.
# Patterns are compiled on first use (re caches them): most queries are of real binaries, which
# the size check turns away before any pattern is needed.
_SHIM_ROOT = rb'(?m)^export PYENV_ROOT="([^"\n]+)"$'
_SHIM_EXEC = rb'(?m)^exec "([^"\n]+)/libexec/pyenv" exec "\$program" "\$@"$'
_SHIM_MAX_SIZE = 4096
_VERSION_FILE = ".python-version"
_WHICH_GUARD = r'^if \[ ! -x "\$\{?PYENV_COMMAND_PATH\}?" \](?: &&| *;| *$)'
_FIXED_HOOK_DIRS = (
    "/usr/etc/pyenv.d",
    "/usr/local/etc/pyenv.d",
    "/etc/pyenv.d",
    "/usr/lib/pyenv/hooks",
)


def shim_target(asked: Path, real: str) -> Path | None:
    """The binary the pyenv shim at `real` (invoked as `asked`) would run, or None.

    None when `real` is not a pyenv shim or when pyenv's choice is not certain without running
    it (see the module docstring); the caller then runs the shim itself.
    """
    shim = _read_shim(real)
    if shim is None:
        return None
    root, install_prefix = shim
    if _hooks_may_interfere(root, install_prefix):
        return None
    versions = _selected_versions(root)
    if not versions:
        return None
    name = asked.name  # pyenv runs the program named like the shim *as invoked* (`$0`)
    for version in versions:
        if version in ("", ".", "..", "system") or "/" in version:
            return None
        folder = root / "versions" / version
        if not folder.is_dir():
            return None  # not installed, or a prefix / `python-` spelling pyenv would resolve
        candidate = folder / "bin" / name
        if candidate.is_file() and os.access(candidate, os.X_OK):
            return candidate
    return None  # pyenv would fall back to the system PATH


def _read_shim(real: str) -> tuple[Path, Path] | None:
    """`(PYENV_ROOT, pyenv install prefix)` if `real` is a pyenv shim script, else None."""
    try:
        if os.stat(real).st_size > _SHIM_MAX_SIZE:  # noqa: PTH116 - a str path, no Path object
            return None  # a real interpreter binary: megabytes
        with open(real, "rb") as file:
            head = file.read(_SHIM_MAX_SIZE)
    except OSError:
        return None
    if not head.startswith(b"#!"):
        return None
    root = re.search(_SHIM_ROOT, head)
    prefix = re.search(_SHIM_EXEC, head)
    if root is None or prefix is None:
        return None
    return Path(os.fsdecode(root.group(1))), Path(os.fsdecode(prefix.group(1)))


def _selected_versions(root: Path) -> list[str]:
    """The versions pyenv selects (`pyenv version-name`, before any resolution)."""
    from_env = os.environ.get("PYENV_VERSION", "")
    if from_env:
        return from_env.split(":")
    version_file = _local_version_file() or root / "version"
    return _read_version_file(version_file)


def _local_version_file() -> Path | None:
    cwd = _logical_cwd()
    pyenv_dir = os.environ.get("PYENV_DIR", "")
    start = Path(os.path.abspath(pyenv_dir)) if pyenv_dir else cwd  # noqa: PTH100
    found = _find_upwards(start)
    if found is None and start != cwd:
        found = _find_upwards(cwd)
    return found


def _logical_cwd() -> Path:
    """The working directory as bash's `$PWD` spells it (symlinks kept) when it can tell."""
    pwd = os.environ.get("PWD", "")
    if pwd.startswith("/"):
        try:
            if Path(pwd).samefile("."):
                return Path(pwd)
        except OSError:
            pass
    return Path.cwd()


def _find_upwards(start: Path) -> Path | None:
    for folder in (start, *start.parents):
        candidate = folder / _VERSION_FILE
        if candidate.is_file():
            return candidate
    return None


def _read_version_file(path: Path) -> list[str]:
    """The first word of each line, skipping blank lines and `#` comments; [] if unreadable."""
    try:
        with open(path, "rb") as file:
            text = file.read(65536).decode(errors="replace")
    except OSError:
        return []
    versions = []
    for line in text.splitlines():
        words = line.split()
        if words and not words[0].startswith("#"):
            versions.append(words[0])
    return versions


def _hooks_may_interfere(root: Path, install_prefix: Path) -> bool:
    """Whether a pyenv hook could change which binary `pyenv exec` runs for an interpreter."""
    for folder in _hook_dirs(root, install_prefix):
        if _hook_scripts(folder / "version-name"):
            return True
        for script in _hook_scripts(folder / "which"):
            if not _only_when_missing(script):
                return True
        for script in _hook_scripts(folder / "exec"):
            if script != install_prefix / "pyenv.d" / "exec" / "pip-rehash.bash":
                return True
    return False


def _hook_dirs(root: Path, install_prefix: Path) -> list[Path]:
    """`$PYENV_HOOK_PATH` as `libexec/pyenv` builds it."""
    dirs = [Path(entry) for entry in os.environ.get("PYENV_HOOK_PATH", "").split(":") if entry]
    dirs.append(root / "pyenv.d")
    if install_prefix != root:
        dirs.append(install_prefix / "pyenv.d")
    dirs.extend(Path(entry) for entry in _FIXED_HOOK_DIRS)
    try:
        plugins = sorted(entry.name for entry in os.scandir(root / "plugins"))
    except OSError:
        plugins = []
    dirs.extend(root / "plugins" / plugin / "etc" / "pyenv.d" for plugin in plugins)
    return dirs


def _hook_scripts(folder: Path) -> list[Path]:
    try:
        with os.scandir(folder) as entries:
            return sorted(Path(entry.path) for entry in entries if entry.name.endswith(".bash"))
    except OSError:
        return []


def _only_when_missing(script: Path) -> bool:
    """Whether the hook's code is one `if [ ! -x "${PYENV_COMMAND_PATH}" ] ... fi` block.

    Such a hook acts only when the selected version lacks the command, which is exactly when
    `shim_target` gives up anyway. Anything else (or an unreadable hook) counts as interfering.
    """
    try:
        text = script.read_text(errors="replace")
    except OSError:
        return False
    lines = [line.strip() for line in text.splitlines()]
    code = [line for line in lines if line and not line.startswith("#")]
    if not code or not re.match(_WHICH_GUARD, code[0]):
        return False
    depth = 0
    for index, line in enumerate(code):
        depth += _opens(line) - _closes(line)
        if depth <= 0 and index != len(code) - 1:
            return False  # code after the guarded block runs unconditionally
    return depth == 0


def _opens(line: str) -> int:
    return len(re.findall(r"(?:^|[;&|]\s*|\bthen\s+|\belse\s+)if\s", line))


def _closes(line: str) -> int:
    return len(re.findall(r"(?:^|;\s*)fi\b", line))
