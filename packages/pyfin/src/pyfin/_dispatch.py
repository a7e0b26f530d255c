"""`BuildDispatch`: the one object implementing `pyfin_traits.BuildContext` (resolve, install,
build), so that resolver, installer and builder never import each other.

Builds go to one `pyfin_build.Builder` per dispatch (made on first use, so runs that build
nothing never import it); it calls back into `resolve` / `install` for build requirements.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from pyfin._errors import PyfinError

if TYPE_CHECKING:
    from packaging.requirements import Requirement
    from packaging.utils import NormalizedName

    from pyfin_build import Builder
    from pyfin_cache import Cache
    from pyfin_client import RegistryClient
    from pyfin_interpreter import Interpreter
    from pyfin_traits import Resolution, SourceBuild

__all__ = ["BuildDisabled", "BuildDispatch"]


class BuildDisabled(PyfinError):
    """A build of `source` (package `name`, when known) was asked for while `--no-build` (or
    `--no-build-package` for it) is in effect. Callers check first; this is the last guard."""

    def __init__(self, source: Path, name: str | None) -> None:
        super().__init__(source, name)
        self.source = source
        self.name = name

    def __str__(self) -> str:
        what = self.name if self.name is not None else self.source.name
        return f"Building {what} is disabled (--no-build); use a version that has a wheel"


class BuildDispatch:
    """The run's `BuildContext`: resolves, installs and builds with the run's cache, index
    client and interpreter. Resolutions it makes target `interpreter` (build requirements run
    there); `config_settings` (`-C KEY=VALUE`) go to every build backend hook.

    `no_build` refuses every build; `no_build_packages` (names, or `":all:"`) refuses those
    packages' builds and is also what installing build requirements may not build.
    """

    def __init__(
        self,
        cache: Cache,
        interpreter: Interpreter,
        client_factory: Callable[[], RegistryClient],
        *,
        no_build: bool = False,
        no_build_packages: frozenset[str] = frozenset(),
        config_settings: Mapping[str, str | list[str]] | None = None,
    ) -> None:
        self._cache = cache
        self._interpreter = interpreter
        self._client_factory = client_factory
        self._no_build = no_build
        self._no_build_packages = no_build_packages | ({":all:"} if no_build else set())
        self._config_settings = dict(config_settings or {})
        self._builder: Builder | None = None

    @property
    def cache(self) -> Cache:
        return self._cache

    @property
    def interpreter(self) -> Interpreter:
        return self._interpreter

    @property
    def config_settings(self) -> dict[str, str | list[str]]:
        """The `-C` settings every build backend hook gets (a copy)."""
        return dict(self._config_settings)

    @property
    def no_build(self) -> bool:
        return self._no_build

    def resolve(self, requirements: Sequence[Requirement]) -> Resolution:
        """Resolve `requirements` for the interpreter from the run's indexes (highest versions).

        Raises `pyfin_resolver.ResolverError` (no solution, index failures)."""
        from pyfin_resolver import BinaryPolicy, RegistryProvider, TargetEnvironment, resolve

        interpreter = self._interpreter
        policy = BinaryPolicy(no_build=self._no_build_packages)
        with RegistryProvider(
            self._client_factory, interpreter.tags, self, policy=policy
        ) as provider:
            return resolve(
                requirements, provider, TargetEnvironment.from_markers(interpreter.markers)
            )

    def install(self, resolution: Resolution, venv: Interpreter) -> None:
        """Install `resolution` into the environment of `venv`, building what has only a
        source distribution (unless building is disabled for it).

        Raises `pyfin_installer.InstallerError`."""
        from pyfin_installer import (
            Environment,
            InstallOptions,
            install_wanted,
            wanted_from_resolution,
        )

        install_wanted(
            Environment.for_interpreter(venv),
            wanted_from_resolution(resolution),
            cache=self._cache,
            client_factory=self._client_factory,
            options=InstallOptions(no_build=frozenset(self._no_build_packages)),
            build_context=self,
        )

    def setup_build(
        self, source: Path, *, name: NormalizedName | None = None, editable: bool = False
    ) -> SourceBuild:
        """A lazy build of `source` (sdist or tree) through the run's builder: nothing runs
        until its `metadata()` or `wheel()` is asked for, and a cached result runs nothing.

        Raises `BuildDisabled` when building it is disabled, `pyfin_build.BuildError` (the
        installer and resolver wrap it per package)."""
        if name is not None:
            from packaging.utils import canonicalize_name

            refused = canonicalize_name(name) in self._no_build_packages
        else:
            refused = False
        if self._no_build or refused:
            raise BuildDisabled(source, name)
        return self.builder.setup(source, name=name, editable=editable)

    @property
    def builder(self) -> Builder:
        """The run's `pyfin_build.Builder` (made on first use; `close` removes its scratch)."""
        if self._builder is None:
            from pyfin_build import Builder

            self._builder = Builder(self, config_settings=self._config_settings)
        return self._builder

    def close(self) -> None:
        """Remove build environments and extracted sources of the builds made so far."""
        if self._builder is not None:
            self._builder.close()
