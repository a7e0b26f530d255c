"""Virtual environment layout: where a venv's python and scheme paths are, and its pyvenv.cfg.

Computed from the root and the base interpreter's facts, never by running the venv's python.

```
<root>/                         posix                    Windows
├── pyvenv.cfg
├── bin/python                  (Scripts\\python.exe)
├── include/site/python3.12/    (Include\\site\\python3.12\\)
└── lib/python3.12/site-packages/   (Lib\\site-packages\\)
```
"""

from __future__ import annotations

import os
from pathlib import Path

PYVENV_CFG = "pyvenv.cfg"


def is_windows(os_name: str) -> bool:
    """Whether a target whose `os.name` is `os_name` uses the Windows venv layout."""
    return os_name == "nt"


def scripts_dir(root: Path, os_name: str) -> Path:
    """The folder of executables in a venv: `bin` (posix) or `Scripts` (Windows)."""
    return root / ("Scripts" if is_windows(os_name) else "bin")


def venv_python(root: Path, os_name: str = os.name) -> Path:
    """The path of the interpreter inside the venv at `root` (it may not exist)."""
    return scripts_dir(root, os_name) / ("python.exe" if is_windows(os_name) else "python")


def site_packages(root: Path, os_name: str, implementation: str, version: tuple[int, int]) -> Path:
    """The one site-packages folder of a venv (purelib and platlib)."""
    if is_windows(os_name):
        return root / "Lib" / "site-packages"
    return root / "lib" / f"{_lib_name(implementation)}{version[0]}.{version[1]}" / "site-packages"


def include_dir(root: Path, os_name: str, implementation: str, version: tuple[int, int]) -> Path:
    """Where installers put a distribution's headers in a venv (pip's `include/site/...`)."""
    name = f"{_lib_name(implementation)}{version[0]}.{version[1]}"
    if is_windows(os_name):
        return root / "Include" / "site" / name
    return root / "include" / "site" / name


def _lib_name(implementation: str) -> str:
    return "pypy" if implementation == "pypy" else "python"


def find_venv_root(executable: Path) -> Path | None:
    """The venv `executable` lives in, found as Python itself finds it, or None.

    Python looks for `pyvenv.cfg` beside the executable and one folder up, without resolving
    symlinks; so do we. Costs at most two `stat` calls.
    """
    folder = Path(os.path.abspath(executable)).parent  # noqa: PTH100 - symlinks stay unresolved
    for candidate in (folder, folder.parent):
        if (candidate / PYVENV_CFG).is_file():
            return candidate
    return None
