"""The exceptions of pyfin_installer; every one derives from ``InstallerError``.

::

    InstallerError
    ├── NoVirtualEnv                 no environment was found and --system was not given
    ├── ExternallyManaged            the interpreter is managed by the OS (PEP 668)
    ├── HashRequirementError (ValueError)  --require-hashes: a requirement is unpinned/unhashed
    ├── HashMismatch (ValueError)    an artifact's digest differs from every --hash given
    ├── NoCompatibleWheel (LookupError)    no wheel of a wanted version fits the interpreter
    ├── NeedsBuild                   only a source distribution (or a source tree) is available
    │                                and no build context was given (or it is a tree / URL)
    ├── BuildDisabled                an sdist would have to be built, but --no-build & co. forbid it
    ├── SourceBuildFailed            building a wheel from an sdist failed (cause chained)
    ├── LookupFailed                 the index could not tell which file to install (cause chained)
    ├── FetchFailed                  downloading or unzipping a wheel failed (cause chained)
    └── LinkFailed                   installing or uninstalling failed (cause chained)

Failures of lower layers (install-wheel, the client) are wrapped in one of these with
``raise ... from exc``; the sentence then leaves the detail to the chained cause, which the CLI
prints as "Caused by: ...". Cache and interpreter errors pass through unchanged.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path


class InstallerError(Exception):
    """Base class of everything pyfin_installer raises."""


class NoVirtualEnv(InstallerError):
    """No virtual environment was found; ``searched`` lists where we looked."""

    def __init__(self, searched: Sequence[str] = ()) -> None:
        self.searched = tuple(searched)
        super().__init__(self.searched)

    def __str__(self) -> str:
        return (
            "No virtual environment found; run `pyfin venv` to create one, or pass --system "
            "to install into a non-virtual environment."
        )


class ExternallyManaged(InstallerError):
    """The interpreter's environment is managed by another tool (``marker`` is the PEP 668
    ``EXTERNALLY-MANAGED`` file); ``message`` is its ``Error`` text if it has one."""

    def __init__(self, executable: Path, marker: Path, message: str | None) -> None:
        self.executable = executable
        self.marker = marker
        self.message = message
        super().__init__(executable, marker, message)

    def __str__(self) -> str:
        detail = f" ({self.message.strip()})" if self.message else ""
        return (
            f"The interpreter at {self.executable} is externally managed{detail}; install into "
            "a virtual environment instead (`pyfin venv`), or pass --break-system-packages."
        )


class HashRequirementError(InstallerError, ValueError):
    """``--require-hashes`` is in effect and ``requirement`` is not pinned (``==``) or carries
    no ``--hash``; ``reason`` says which."""

    def __init__(self, requirement: str, reason: str) -> None:
        self.requirement = requirement
        self.reason = reason
        super().__init__(requirement, reason)

    def __str__(self) -> str:
        return (
            f"In --require-hashes mode, every requirement must be pinned with == and carry a "
            f"--hash, but `{self.requirement}` {self.reason}; pin it and add its hashes "
            "(`pyfin pip compile --generate-hashes`)."
        )


class HashMismatch(InstallerError, ValueError):
    """The artifact ``filename`` has digests ``actual`` that match none of ``expected``."""

    def __init__(self, filename: str, expected: Sequence[str], actual: Sequence[str]) -> None:
        self.filename = filename
        self.expected = tuple(expected)
        self.actual = tuple(actual)
        super().__init__(filename, self.expected, self.actual)

    def __str__(self) -> str:
        return (
            f"Hash mismatch for {self.filename}: expected {' or '.join(self.expected)}, got "
            f"{' or '.join(self.actual)}; the file differs from the one the requirements were "
            "written for, check the --hash values."
        )


class NoCompatibleWheel(InstallerError, LookupError):
    """No file of ``name`` matching ``specifier`` can be installed on this interpreter;
    ``reason`` explains (no such version, only incompatible wheels, all yanked ...)."""

    def __init__(self, name: str, specifier: str, reason: str) -> None:
        self.name = name
        self.specifier = specifier
        self.reason = reason
        super().__init__(name, specifier, reason)

    def __str__(self) -> str:
        return f"Cannot install `{self.name}{self.specifier}`: {self.reason}."


class NeedsBuild(InstallerError):
    """``what`` can only be installed after building it from source, which pyfin cannot do
    yet; ``reason`` says what is missing."""

    def __init__(self, what: str, reason: str) -> None:
        self.what = what
        self.reason = reason
        super().__init__(what, reason)

    def __str__(self) -> str:
        return (
            f"`{self.what}` needs a build, which is not supported yet: {self.reason}; "
            "use a version or a URL that has a compatible wheel."
        )


class BuildDisabled(InstallerError):
    """``what`` has no usable wheel, only the source distribution ``filename``, and building
    ``name`` is forbidden (``--no-build``, ``--no-build-package``, ``--only-binary``)."""

    def __init__(self, what: str, name: str, filename: str) -> None:
        self.what = what
        self.name = name
        self.filename = filename
        super().__init__(what, name, filename)

    def __str__(self) -> str:
        return (
            f"`{self.what}` has no compatible wheel, only {self.filename}, and building "
            f"`{self.name}` is disabled; allow its build (drop --no-build, --no-build-package "
            f"{self.name} or --only-binary) or pick a version that has a compatible wheel."
        )


class SourceBuildFailed(InstallerError):
    """Building a wheel of ``name`` from the source distribution ``filename`` failed, or gave
    a wheel of something else; the build's error is chained when there is one."""

    def __init__(self, name: str, filename: str, reason: str) -> None:
        self.name = name
        self.filename = filename
        self.reason = reason
        super().__init__(name, filename, reason)

    def __str__(self) -> str:
        # The chained cause (the backend's hook, its output tail) is printed after this line.
        detail = "" if self.__cause__ is not None else f": {self.reason}"
        return f"Failed to build `{self.name}` from {self.filename}{detail}."


class FetchFailed(InstallerError):
    """Getting the wheel ``filename`` into the cache failed; the cause is chained."""

    def __init__(self, filename: str, reason: str) -> None:
        self.filename = filename
        self.reason = reason
        super().__init__(filename, reason)

    def __str__(self) -> str:
        # A chained cause is printed after this sentence ("Caused by: ..."): no repeat of it,
        # but a reason that says more than the cause (where, doing what) is kept.
        cause = self.__cause__
        detail = "" if cause is not None and self.reason == str(cause) else f": {self.reason}"
        return f"Failed to fetch {self.filename}{detail}."


class LookupFailed(InstallerError):
    """Asking the index about ``name`` failed; ``reason`` is the cause's sentence."""

    def __init__(self, name: str, reason: str) -> None:
        self.name = name
        self.reason = reason
        super().__init__(name, reason)

    def __str__(self) -> str:
        detail = "" if self.__cause__ is not None else f": {self.reason}"
        return f"Failed to find `{self.name}` on the package index{detail}."


class LinkFailed(InstallerError):
    """``action`` (``install`` or ``uninstall``) of ``name`` failed; the cause is chained.

    Other distributions of the same run may already have been installed or removed."""

    def __init__(self, action: str, name: str, reason: str) -> None:
        self.action = action
        self.name = name
        self.reason = reason
        super().__init__(action, name, reason)

    def __str__(self) -> str:
        detail = "" if self.__cause__ is not None else f": {self.reason}"
        return f"Failed to {self.action} `{self.name}`{detail}."
