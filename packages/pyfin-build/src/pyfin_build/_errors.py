"""The exceptions pyfin-build raises: one base, `BuildError`, and its subclasses.

Hierarchy::

    BuildError
    ├── UnsupportedSource (ValueError)       not a tree or known archive; editable archive
    ├── InvalidSourceArchive (ValueError)    a broken archive, or not one top-level folder
    ├── UnsafeArchive (ValueError)           a hostile member (traversal, absolute, link, device)
    ├── InvalidProject (ValueError)          pyproject.toml unreadable, [build-system] malformed
    ├── BackendPathOutsideTree (ValueError)  `backend-path` leaves the source tree
    ├── BuildEnvironmentFailed               the isolated environment could not be made or filled
    ├── BuildCycle                           a build needs itself (through build requirements)
    ├── BackendImportFailed                  the backend could not be imported in the environment
    ├── HookNotSupported                     the backend lacks a hook we must call (PEP 660 ...)
    └── BuildFailed                          a backend hook exited with an error
"""

from __future__ import annotations

from pathlib import Path


class BuildError(Exception):
    """Base of every error raised by pyfin_build."""


class UnsupportedSource(BuildError, ValueError):
    """`source` cannot be built as asked: `reason` says why."""

    def __init__(self, source: Path, reason: str) -> None:
        super().__init__(source, reason)
        self.source = source
        self.reason = reason

    def __str__(self) -> str:
        return (
            f"Cannot build {self.source}: {self.reason}; give a source tree (a folder with "
            "pyproject.toml or setup.py) or a source archive (.tar.gz, .tar.bz2, .tar.xz, .zip)"
        )


class InvalidSourceArchive(BuildError, ValueError):
    """The source archive `archive` is broken or not laid out as an sdist; nothing was kept."""

    def __init__(self, archive: Path, reason: str) -> None:
        super().__init__(archive, reason)
        self.archive = archive
        self.reason = reason

    def __str__(self) -> str:
        return f"Invalid source archive {self.archive.name}: {self.reason}"


class UnsafeArchive(BuildError, ValueError):
    """Member `member` of `archive` would write outside the extraction folder or create a
    special file; the archive was refused and nothing was written."""

    def __init__(self, archive: Path, member: str, reason: str) -> None:
        super().__init__(archive, member, reason)
        self.archive = archive
        self.member = member
        self.reason = reason

    def __str__(self) -> str:
        return (
            f"Refusing to extract {self.archive.name}: member {self.member!r} {self.reason}; "
            "the archive may be hostile, nothing was written"
        )


class InvalidProject(BuildError, ValueError):
    """The project file `path` (pyproject.toml) cannot be used: `reason` says why."""

    def __init__(self, path: Path, reason: str) -> None:
        super().__init__(path, reason)
        self.path = path
        self.reason = reason

    def __str__(self) -> str:
        return f"Invalid {self.path}: {self.reason}"


class BackendPathOutsideTree(BuildError, ValueError):
    """The `backend-path` entry `entry` of `package` points outside its source tree `tree`."""

    def __init__(self, package: str, entry: str, tree: Path) -> None:
        super().__init__(package, entry, tree)
        self.package = package
        self.entry = entry
        self.tree = tree

    def __str__(self) -> str:
        return (
            f"Refusing to build {self.package}: backend-path entry {self.entry!r} is outside "
            f"the source tree {self.tree}; backend-path must name folders inside the project"
        )


class BuildEnvironmentFailed(BuildError):
    """The isolated build environment of `package` could not be made: `step` (creating the
    virtual environment, resolving or installing build requirements) failed for `reason`."""

    def __init__(self, package: str, step: str, reason: str) -> None:
        super().__init__(package, step, reason)
        self.package = package
        self.step = step
        self.reason = reason

    def __str__(self) -> str:
        return (
            f"Cannot prepare the build environment of {self.package}: {self.step} failed: "
            f"{self.reason}"
        )


class BuildCycle(BuildError):
    """Building `chain[0]` needs, through build requirements, `chain[-1]`, which is already
    being built: the chain would never finish."""

    def __init__(self, chain: tuple[str, ...]) -> None:
        super().__init__(chain)
        self.chain = chain

    def __str__(self) -> str:
        return (
            f"Build cycle: {' -> '.join(self.chain)}; {self.chain[-1]} is needed to build "
            "itself; provide a wheel for one of these packages"
        )


class BackendImportFailed(BuildError):
    """The build backend `backend` of `package` could not be imported in its environment."""

    def __init__(self, package: str, backend: str, output_tail: str) -> None:
        super().__init__(package, backend, output_tail)
        self.package = package
        self.backend = backend
        self.output_tail = output_tail

    def __str__(self) -> str:
        return (
            f"Cannot build {self.package}: its build backend {self.backend!r} could not be "
            f"imported; check [build-system] requires and build-backend\n{self.output_tail}"
        ).rstrip()


class HookNotSupported(BuildError):
    """The backend of `package` does not offer the hook `hook` (e.g. `build_editable`)."""

    def __init__(self, package: str, hook: str) -> None:
        super().__init__(package, hook)
        self.package = package
        self.hook = hook

    def __str__(self) -> str:
        return f"Cannot build {self.package}: its build backend does not support {self.hook}"


class BuildFailed(BuildError):
    """The backend hook `hook` of `package` failed with exit status `returncode`;
    `output_tail` holds the last lines the backend printed (stdout and stderr, interleaved)."""

    def __init__(self, package: str, hook: str, returncode: int, output_tail: str) -> None:
        super().__init__(package, hook, returncode, output_tail)
        self.package = package
        self.hook = hook
        self.returncode = returncode
        self.output_tail = output_tail

    def __str__(self) -> str:
        head = (
            f"Building {self.package} failed: the backend's {self.hook} exited with status "
            f"{self.returncode}"
        )
        if not self.output_tail:
            return f"{head} and printed nothing"
        return f"{head}; last lines of its output:\n{self.output_tail}"
