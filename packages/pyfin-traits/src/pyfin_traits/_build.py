"""The build callback protocols: resolver, installer and builder call each other through them.

Only the CLI's `BuildDispatch` implements `BuildContext`; the resolver asks it to set up a build
when it meets a source distribution, the builder asks it to resolve and install build
requirements. Test doubles implement these protocols directly (for example a context whose
`setup_build` refuses to build).
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Protocol

from packaging.requirements import Requirement
from packaging.utils import NormalizedName

from pyfin_cache import Cache
from pyfin_interpreter import Interpreter
from pyfin_traits._resolution import Resolution


class SourceBuild(Protocol):
    """A prepared PEP 517 build of one source tree (its build environment already exists)."""

    def metadata(self) -> Path | None:
        """Run `prepare_metadata_for_build_wheel`; the `.dist-info` directory, or `None` when the
        backend does not offer the hook (the caller then builds a wheel and reads it)."""
        ...

    def wheel(self, out_dir: Path) -> Path:
        """Build a wheel into `out_dir` and return its path."""
        ...


class BuildContext(Protocol):
    """What a build, a resolution or an installation may ask of the surrounding run."""

    @property
    def cache(self) -> Cache:
        """The cache of this run (possibly temporary)."""
        ...

    @property
    def interpreter(self) -> Interpreter:
        """The interpreter that builds run with and that resolutions target."""
        ...

    @property
    def no_build(self) -> bool:
        """True when source distributions must not be built (wheels only)."""
        ...

    def resolve(self, requirements: Sequence[Requirement]) -> Resolution:
        """Resolve `requirements` (for example a build backend's build requirements)."""
        ...

    def install(self, resolution: Resolution, venv: Interpreter) -> None:
        """Install `resolution` into the virtual environment whose interpreter is `venv`."""
        ...

    def setup_build(
        self, source: Path, *, name: NormalizedName | None = None, editable: bool = False
    ) -> SourceBuild:
        """Prepare a build of the source distribution or source tree at `source`.

        `name`, when known, lets the context detect a package that needs itself to be built
        (a cycle) and name it in errors.
        """
        ...
