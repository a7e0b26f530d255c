"""The exceptions install-wheel raises: one base, ``InstallWheelError``, and its subclasses.

Hierarchy::

    InstallWheelError
    ├── InvalidWheelFilename (ValueError)   the file name is not name-version-tags.whl
    ├── InvalidWheel (ValueError)           a hostile or broken wheel, refused before writing
    │   └── UnsupportedWheelVersion         Wheel-Version with a newer major version
    ├── InstallFailed (OSError)             writing failed part-way; what was written is rolled back
    ├── UninstallError                      a RECORD that cannot be uninstalled safely
    └── SchemeQueryFailed                   the target interpreter did not report its paths
"""

from __future__ import annotations

from pathlib import Path


class InstallWheelError(Exception):
    """Base of every error raised by install_wheel."""


class InvalidWheelFilename(InstallWheelError, ValueError):
    """A wheel file name that does not follow ``{name}-{version}(-{build})?-{tags}.whl``."""

    def __init__(self, filename: str, reason: str) -> None:
        super().__init__(filename, reason)
        self.filename = filename
        self.reason = reason

    def __str__(self) -> str:
        return (
            f"Invalid wheel file name {self.filename!r}: {self.reason}; "
            "wheel names look like name-1.0-py3-none-any.whl"
        )


class InvalidWheel(InstallWheelError, ValueError):
    """A wheel (or unpacked wheel directory) that is hostile or broken; nothing was written.

    ``wheel`` names the wheel (its file name), ``entry`` the offending entry inside it (or
    ``None`` when the problem is the wheel as a whole), ``reason`` what is wrong with it.
    """

    def __init__(self, wheel: str, entry: str | None, reason: str) -> None:
        super().__init__(wheel, entry, reason)
        self.wheel = wheel
        self.entry = entry
        self.reason = reason

    def __str__(self) -> str:
        where = f"{self.wheel}" if self.entry is None else f"{self.wheel}, entry {self.entry!r}"
        return f"Refusing to install {where}: {self.reason}"


class UnsupportedWheelVersion(InvalidWheel):
    """A wheel whose ``Wheel-Version`` major number is newer than this installer understands."""

    def __init__(self, wheel: str, version: str) -> None:
        super().__init__(
            wheel,
            None,
            f"Wheel-Version {version} is newer than the supported 1.x; "
            "upgrade install-wheel to install it",
        )
        self.version = version


class InstallFailed(InstallWheelError, OSError):
    """Writing into the target failed part-way; every file this install wrote was removed."""

    def __init__(self, wheel: str, path: Path, cause: OSError) -> None:
        super().__init__(cause.errno, cause.strerror)
        self.wheel = wheel
        self.path = path
        self.cause = cause

    def __str__(self) -> str:
        return (
            f"Installing {self.wheel} failed while writing {self.path}: {self.cause}; "
            "the files written so far were removed, fix the cause and retry"
        )


class UninstallError(InstallWheelError):
    """An installed distribution that cannot be removed safely; nothing was removed."""

    def __init__(self, path: Path, reason: str) -> None:
        super().__init__(path, reason)
        self.path = path
        self.reason = reason

    def __str__(self) -> str:
        return f"Cannot uninstall {self.path}: {self.reason}"


class SchemeQueryFailed(InstallWheelError):
    """The target interpreter could not be run to report its install scheme."""

    def __init__(self, python: Path, returncode: int | None, stderr: str) -> None:
        super().__init__(python, returncode, stderr)
        self.python = python
        self.returncode = returncode
        self.stderr = stderr

    def __str__(self) -> str:
        detail = self.stderr.strip().splitlines()[-1] if self.stderr.strip() else "no output"
        return (
            f"Could not query the install scheme of {self.python} "
            f"(exit status {self.returncode}): {detail}; check that it is a working Python"
        )
