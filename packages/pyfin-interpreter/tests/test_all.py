"""The public surface of pyfin_interpreter is exactly what we mean to export."""

from __future__ import annotations

import pyfin_interpreter


def test_all_is_the_public_api() -> None:
    assert sorted(pyfin_interpreter.__all__) == [
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
    for name in pyfin_interpreter.__all__:
        assert getattr(pyfin_interpreter, name) is not None


def test_errors_share_one_base() -> None:
    for name in pyfin_interpreter.__all__:
        value = getattr(pyfin_interpreter, name)
        if isinstance(value, type) and issubclass(value, Exception):
            assert issubclass(value, pyfin_interpreter.InterpreterError)
