"""The errors gourgeist raises, all derived from `GourgeistError`.

```
GourgeistError
├── NotAVirtualEnv        the target exists, is not empty, and is not a virtual environment
├── VirtualEnvExists      the target is a virtual environment and `clear` was not given
├── BaseInterpreterMissing  the base interpreter's binary does not exist
└── CreateFailed            the file system refused an operation while building
```
"""

from __future__ import annotations

from pathlib import Path


class GourgeistError(Exception):
    """Base of every error raised by gourgeist."""


class NotAVirtualEnv(GourgeistError):
    """`root` exists and is not an empty folder nor a virtual environment; nothing was written."""

    def __init__(self, root: Path, reason: str) -> None:
        self.root = root
        self.reason = reason
        super().__init__(root, reason)

    def __str__(self) -> str:
        return (
            f"Refusing to create a virtual environment at {self.root}: {self.reason}. "
            "Choose another path, or empty it first."
        )


class VirtualEnvExists(GourgeistError):
    """A virtual environment already exists at `root` and `clear` was not requested."""

    def __init__(self, root: Path) -> None:
        self.root = root
        super().__init__(root)

    def __str__(self) -> str:
        return (
            f"A virtual environment already exists at {self.root}; pass --clear (clear=True) "
            "to replace it."
        )


class BaseInterpreterMissing(GourgeistError):
    """The base interpreter at `executable` does not exist, so a venv would not run."""

    def __init__(self, executable: Path) -> None:
        self.executable = executable
        super().__init__(executable)

    def __str__(self) -> str:
        return (
            f"The base interpreter {self.executable} does not exist; query the interpreter "
            "again or choose another one."
        )


class CreateFailed(GourgeistError):
    """`operation` on `path` failed with `error` while building the venv; nothing was left."""

    def __init__(self, operation: str, path: Path, error: OSError) -> None:
        self.operation = operation
        self.path = path
        self.error = error
        super().__init__(operation, path, error)

    def __str__(self) -> str:
        return (
            f"Could not {self.operation} {self.path} while creating a virtual environment: "
            f"{self.error.strerror or self.error}. Check the permissions and free space there."
        )
