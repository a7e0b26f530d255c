"""Create a virtual environment from an interpreter's metadata, without running any Python.

Layout written (posix; X.Y is the interpreter's version):

```
<root>/
├── .gitignore                  "*": version control ignores the environment
├── pyvenv.cfg                  home, implementation, version_info, include-system-site-packages,
│                               gourgeist, [prompt]
├── bin/
│   ├── python -> <base executable>    (absolute symlink)
│   ├── python3 -> python
│   ├── pythonX.Y -> python
│   └── activate, activate.fish, activate.csh, Activate.ps1
├── include/
├── lib/pythonX.Y/site-packages/
└── lib64 -> lib                64-bit posix except macOS, as stdlib venv does
```

The tree is built in a `.tmp-gourgeist-*` folder beside `root` and renamed into place, so a
failure leaves nothing behind; with `clear`, the old environment is renamed aside first and
removed only once the new one is in place.
"""

from __future__ import annotations

import os
from pathlib import Path

from gourgeist._activation import activation_scripts
from gourgeist._errors import (
    BaseInterpreterMissing,
    CreateFailed,
    NotAVirtualEnv,
    VirtualEnvExists,
)
from gourgeist._version import __version__

# Not `typing.TYPE_CHECKING`: importing typing costs ~3 ms of every start-up (as in pyfin._parser).
TYPE_CHECKING = False
if TYPE_CHECKING:
    from pyfin_interpreter import Interpreter

PYVENV_CFG = "pyvenv.cfg"


def create_venv(
    root: Path,
    interpreter: Interpreter,
    *,
    prompt: str | None = None,
    system_site_packages: bool = False,
    clear: bool = False,
) -> Interpreter:
    """Create a virtual environment at `root` based on `interpreter`; its `Interpreter`.

    `root` may be missing, an empty folder, or (with `clear=True`) an existing virtual
    environment, which is replaced. `prompt` defaults to the folder name (`"."` means the
    current folder's name). Raises `NotAVirtualEnv`, `VirtualEnvExists`,
    `BaseInterpreterMissing`, `CreateFailed`. Cost: a few dozen small file operations.
    """
    root = Path(os.path.abspath(root))  # noqa: PTH100 - normalised, symlinks unresolved
    replace_existing = _check_target(root, clear)
    base = interpreter.base_executable
    if not base.is_file():
        raise BaseInterpreterMissing(base)
    if prompt == ".":
        prompt = Path.cwd().name
    staging = _make_staging(root.parent)
    try:
        _populate(staging, root, interpreter, prompt, system_site_packages)
        _move_into_place(staging, root, replace_existing)
    except BaseException:
        _remove_tree(staging)
        raise
    return interpreter.with_virtualenv(root)


def _check_target(root: Path, clear: bool) -> bool:
    """Whether `root` holds a venv to replace; raises if we must not write there."""
    try:
        entries = os.listdir(root)  # noqa: PTH208 - names only, one system call
    except FileNotFoundError:
        return False
    except NotADirectoryError as exc:
        raise NotAVirtualEnv(root, "it is a file") from exc
    except OSError as exc:
        raise CreateFailed("list", root, exc) from exc
    if not entries:
        return False
    if PYVENV_CFG not in entries:
        raise NotAVirtualEnv(root, "the folder is not empty and holds no pyvenv.cfg")
    if not clear:
        raise VirtualEnvExists(root)
    return True


def _make_staging(parent: Path) -> Path:
    try:
        parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise CreateFailed("create the folder", parent, exc) from exc
    while True:
        staging = parent / f".tmp-gourgeist-{_random_suffix()}"
        try:
            staging.mkdir()  # honours the umask, unlike tempfile.mkdtemp's 0o700
        except FileExistsError:
            continue
        except OSError as exc:
            raise CreateFailed("create the folder", staging, exc) from exc
        return staging


def _populate(
    staging: Path,
    root: Path,
    interpreter: Interpreter,
    prompt: str | None,
    system_site_packages: bool,
) -> None:
    """Write the whole tree into `staging`, with paths inside files naming the final `root`."""
    major, minor = interpreter.python_version
    # The venv's paths come from the one place that defines them: `with_virtualenv`.
    layout = interpreter.with_virtualenv(staging)
    bin_dir = layout.scheme.scripts
    path = staging
    try:
        for path in (bin_dir, staging / "include", layout.scheme.purelib):
            path.mkdir(parents=True)
        if interpreter.pointer_size == 64 and interpreter.markers.get("sys_platform") != "darwin":
            path = staging / "lib64"
            path.symlink_to("lib")
        path = layout.sys_executable
        path.symlink_to(interpreter.base_executable)
        for name in ("python3", f"python{major}.{minor}"):
            path = bin_dir / name
            path.symlink_to("python")
        path = staging / PYVENV_CFG
        path.write_text(_pyvenv_cfg(interpreter, prompt, system_site_packages), encoding="utf-8")
        path = staging / ".gitignore"
        path.write_text("# Created by gourgeist: the environment is not source code.\n*\n")
        for name, text in activation_scripts(root, prompt or root.name).items():
            path = bin_dir / name
            path.write_text(text, encoding="utf-8")
    except OSError as exc:
        raise CreateFailed("write", path, exc) from exc


def _pyvenv_cfg(interpreter: Interpreter, prompt: str | None, system_site_packages: bool) -> str:
    implementation = interpreter.markers.get("platform_python_implementation", "CPython")
    lines = [
        f"home = {interpreter.base_executable.parent}",
        f"implementation = {implementation}",
        f"version_info = {interpreter.full_version}",
        f"include-system-site-packages = {'true' if system_site_packages else 'false'}",
        f"gourgeist = {__version__}",
    ]
    if prompt is not None:
        lines.append(f"prompt = {prompt}")
    return "\n".join(lines) + "\n"


def _remove_tree(path: Path) -> None:
    import shutil  # only on failure or --clear: shutil's own imports cost more than a venv

    shutil.rmtree(path, ignore_errors=True)


def _random_suffix() -> str:
    # os.urandom, not `secrets`: that import alone costs more than creating the venv.
    return os.urandom(6).hex()


def _move_into_place(staging: Path, root: Path, replace_existing: bool) -> None:
    """Rename `staging` to `root`; an old venv there is moved aside, then removed."""
    if not replace_existing:
        try:
            staging.rename(root)  # also replaces an empty folder, atomically
        except OSError as exc:
            raise CreateFailed("move the new environment to", root, exc) from exc
        return
    old = root.parent / f".tmp-gourgeist-old-{_random_suffix()}"
    try:
        root.rename(old)
    except OSError as exc:
        raise CreateFailed("move the old environment away from", root, exc) from exc
    try:
        staging.rename(root)
    except OSError as exc:
        old.rename(root)  # put the old environment back: nothing changed
        raise CreateFailed("move the new environment to", root, exc) from exc
    _remove_tree(old)
