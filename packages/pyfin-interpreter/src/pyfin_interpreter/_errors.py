"""The errors pyfin-interpreter raises, all derived from `InterpreterError`.

```
InterpreterError
├── InterpreterNotFound (LookupError)   no interpreter matched a request; lists where we looked
├── InvalidPythonRequest (ValueError)   a request that is not a version, name or path
├── ConflictingEnvironments             VIRTUAL_ENV and CONDA_PREFIX name different environments
├── BrokenVirtualEnv                    a virtual environment without a usable python
├── UnsupportedPython                   the interpreter runs, but is older than 3.8
└── QueryFailed                         the query script failed (or a shim refused to run)
```
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path


class InterpreterError(Exception):
    """Base of every error raised by pyfin-interpreter."""


class InterpreterNotFound(InterpreterError, LookupError):
    """No interpreter satisfies `request`; `searched` names every place that was tried."""

    def __init__(self, request: str | None, searched: Sequence[str]) -> None:
        self.request = request
        self.searched = tuple(searched)
        super().__init__(request, self.searched)

    def __str__(self) -> str:
        what = "" if self.request is None else f" matching `{self.request}`"
        places = "; ".join(self.searched) if self.searched else "nowhere (no places to search)"
        return (
            f"No Python interpreter{what} was found. Searched: {places}. "
            "Install one, or pass the path of an interpreter."
        )


class ConflictingEnvironments(InterpreterError):
    """Both `VIRTUAL_ENV` and `CONDA_PREFIX` are set, to different environments."""

    def __init__(self, virtual_env: Path, conda_prefix: Path) -> None:
        self.virtual_env = virtual_env
        self.conda_prefix = conda_prefix
        super().__init__(virtual_env, conda_prefix)

    def __str__(self) -> str:
        return (
            f"Both VIRTUAL_ENV ({self.virtual_env}) and CONDA_PREFIX ({self.conda_prefix}) are "
            "set, to different environments; deactivate one of them, or pass --python."
        )


class BrokenVirtualEnv(InterpreterError):
    """The virtual environment at `root` has no usable interpreter (`reason` says why)."""

    def __init__(self, root: Path, reason: str) -> None:
        self.root = root
        self.reason = reason
        super().__init__(root, reason)

    def __str__(self) -> str:
        return (
            f"The virtual environment at {self.root} is broken: {self.reason}. "
            "Recreate it (for example with `python -m gourgeist --clear`)."
        )


class UnsupportedPython(InterpreterError):
    """The interpreter at `executable` is Python `version`, older than the 3.8 pyfin needs."""

    def __init__(self, executable: Path, version: str) -> None:
        self.executable = executable
        self.version = version
        super().__init__(executable, version)

    def __str__(self) -> str:
        return (
            f"The interpreter at {self.executable} is Python {self.version}, but pyfin needs "
            "Python 3.8 or newer; choose a newer interpreter."
        )


class QueryFailed(InterpreterError):
    """Running the query script with `executable` failed with `returncode` and `stderr`."""

    def __init__(self, executable: Path, returncode: int, stderr: str) -> None:
        self.executable = executable
        self.returncode = returncode
        self.stderr = stderr
        super().__init__(executable, returncode, stderr)

    def __str__(self) -> str:
        detail = self.stderr.strip() or "(no error output)"
        return (
            f"Querying the interpreter at {self.executable} failed (exit code "
            f"{self.returncode}): {detail}. Check that it is a working Python interpreter."
        )


class InvalidPythonRequest(InterpreterError, ValueError):
    """`request` looks like a version specifier but does not parse as one."""

    def __init__(self, request: str, reason: str) -> None:
        self.request = request
        self.reason = reason
        super().__init__(request, reason)

    def __str__(self) -> str:
        return (
            f"`{self.request}` is not a valid Python request ({self.reason}); use a version "
            "(3.12, >=3.10,<3.12), an implementation (cpython3.11, cp311), a name (python3.12) "
            "or a path."
        )
