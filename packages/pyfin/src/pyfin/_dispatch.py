"""`BuildDispatch`: the one object implementing `pyfin_traits.BuildContext` (resolve, install,
build), so that resolver, installer and builder never import each other.

Building source distributions is not supported yet: `setup_build` raises `BuildNotSupported`,
which the resolver's provider turns into an unavailable version with this message.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from pyfin._errors import PyfinError

if TYPE_CHECKING:
    from packaging.requirements import Requirement
    from packaging.utils import NormalizedName

    from pyfin_cache import Cache
    from pyfin_client import RegistryClient
    from pyfin_interpreter import Interpreter
    from pyfin_traits import Resolution, SourceBuild

__all__ = ["BuildDispatch", "BuildNotSupported"]


class BuildNotSupported(PyfinError):
    """`source` (of package `name`, when known) would have to be built, which pyfin cannot do
    yet."""

    def __init__(self, source: Path, name: str | None) -> None:
        super().__init__(source, name)
        self.source = source
        self.name = name

    def __str__(self) -> str:
        what = self.name if self.name is not None else self.source.name
        return f"Building source distributions is not supported yet: {what} has no compatible wheel"


class BuildDispatch:
    """The run's `BuildContext`: resolves and installs with the run's cache, index client and
    interpreter. Resolutions it makes target `interpreter` (build requirements run there)."""

    def __init__(
        self,
        cache: Cache,
        interpreter: Interpreter,
        client_factory: Callable[[], RegistryClient],
        *,
        no_build: bool = False,
    ) -> None:
        self._cache = cache
        self._interpreter = interpreter
        self._client_factory = client_factory
        self._no_build = no_build

    @property
    def cache(self) -> Cache:
        return self._cache

    @property
    def interpreter(self) -> Interpreter:
        return self._interpreter

    @property
    def no_build(self) -> bool:
        return self._no_build

    def resolve(self, requirements: Sequence[Requirement]) -> Resolution:
        """Resolve `requirements` for the interpreter from the run's indexes (highest versions).

        Raises `pyfin_resolver.ResolverError` (no solution, index failures)."""
        from pyfin_resolver import RegistryProvider, TargetEnvironment, resolve

        interpreter = self._interpreter
        with RegistryProvider(self._client_factory, interpreter.tags, self) as provider:
            return resolve(
                requirements, provider, TargetEnvironment.from_markers(interpreter.markers)
            )

    def install(self, resolution: Resolution, venv: Interpreter) -> None:
        """Install `resolution` into the environment of `venv` (wheels only).

        Raises `pyfin_installer.InstallerError`."""
        from pyfin_installer import Environment, install_wanted, wanted_from_resolution

        install_wanted(
            Environment.for_interpreter(venv),
            wanted_from_resolution(resolution),
            cache=self._cache,
            client_factory=self._client_factory,
        )

    def setup_build(
        self, source: Path, *, name: NormalizedName | None = None, editable: bool = False
    ) -> SourceBuild:
        """Always raises `BuildNotSupported` (building comes later)."""
        raise BuildNotSupported(source, name)
