"""Find and query Python interpreters: markers, tags, scheme paths, venvs, pyenv and conda.

- `Interpreter`, `Scheme`: what one interpreter is (version, markers, tags, paths); `query` runs
  a script in it once and caches the answer; `with_virtualenv` derives a venv without running it.
- `find_interpreter`: discovery by version, implementation, name or path (see `_discovery`).
- Errors: `InterpreterError` and its subclasses.
"""

from __future__ import annotations

from pyfin_interpreter._discovery import find_interpreter, find_virtualenv
from pyfin_interpreter._errors import (
    BrokenVirtualEnv,
    ConflictingEnvironments,
    InterpreterError,
    InterpreterNotFound,
    InvalidPythonRequest,
    QueryFailed,
    UnsupportedPython,
)
from pyfin_interpreter._interpreter import Interpreter, Scheme

__all__ = [
    "BrokenVirtualEnv",
    "ConflictingEnvironments",
    "Interpreter",
    "InterpreterError",
    "InterpreterNotFound",
    "InvalidPythonRequest",
    "QueryFailed",
    "Scheme",
    "UnsupportedPython",
    "find_interpreter",
    "find_virtualenv",
]
