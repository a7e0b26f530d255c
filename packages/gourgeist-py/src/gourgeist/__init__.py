"""Create virtual environments fast, from interpreter metadata, with stdlib venv semantics.

- `create_venv(root, interpreter, ...)`: write a venv (no Python is run) and return its
  `pyfin_interpreter.Interpreter`.
- Errors: `GourgeistError` and its subclasses.
- `python -m gourgeist PATH [--python REQUEST] ...`: the same from the command line.
"""

from __future__ import annotations

from gourgeist._create import create_venv
from gourgeist._errors import (
    BaseInterpreterMissing,
    CreateFailed,
    GourgeistError,
    NotAVirtualEnv,
    VirtualEnvExists,
)
from gourgeist._version import __version__

__all__ = [
    "BaseInterpreterMissing",
    "CreateFailed",
    "GourgeistError",
    "NotAVirtualEnv",
    "VirtualEnvExists",
    "__version__",
    "create_venv",
]
