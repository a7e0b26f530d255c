"""Fixtures for pyfin-build: a `BuildContext` double that installs build requirements from local
wheels (and builds sdist-only requirements through the builder), and pinned real backends."""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import zipfile
from collections.abc import Callable, Iterator, Sequence
from email.parser import BytesParser
from pathlib import Path

import pytest
from packaging.requirements import Requirement
from packaging.utils import NormalizedName, canonicalize_name, parse_wheel_filename
from packaging.version import Version

from install_wheel import WheelFile, destination_for, install
from pyfin_build import Builder, CachedBuild
from pyfin_cache import Cache
from pyfin_interpreter import Interpreter
from pyfin_traits import Resolution, ResolvedDist

# Build backends (and their dependencies) as of 2025-01; every one is a py3-none-any wheel.
REAL_BACKEND_WHEELS = (
    "hatchling==1.27.0",
    "packaging==24.2",
    "pathspec==0.12.1",
    "pluggy==1.5.0",
    "trove-classifiers==2025.1.15.22",
    "editables==0.5",
    "setuptools==75.8.0",
    "wheel==0.45.1",
    "flit_core==3.10.1",
)


class UnresolvableError(Exception):
    """The double found no wheel or sdist for a requirement."""


class DoubleContext:
    """A `BuildContext` whose resolver picks the highest matching wheel in `wheelhouse` (or a
    registered sdist, metadata read through the builder), and whose installer is install_wheel.

    `resolve_calls` / `install_calls` count what the builder asked for.
    """

    def __init__(
        self,
        cache: Cache,
        interpreter: Interpreter,
        wheelhouse: Path | None = None,
        *,
        config_settings: dict[str, str | list[str]] | None = None,
    ) -> None:
        self._cache = cache
        self._interpreter = interpreter
        self.wheelhouse = wheelhouse
        self.sdists: dict[NormalizedName, Path] = {}
        self.resolve_calls: list[list[str]] = []
        self.install_calls: list[list[str]] = []
        self.builder = Builder(self, config_settings=config_settings)

    @property
    def cache(self) -> Cache:
        return self._cache

    @property
    def interpreter(self) -> Interpreter:
        return self._interpreter

    @property
    def no_build(self) -> bool:
        return False

    def setup_build(
        self, source: Path, *, name: NormalizedName | None = None, editable: bool = False
    ) -> CachedBuild:
        return self.builder.setup(source, name=name, editable=editable)

    def resolve(self, requirements: Sequence[Requirement]) -> Resolution:
        self.resolve_calls.append([str(r) for r in requirements])
        environment = self._interpreter.environment()
        chosen: dict[NormalizedName, ResolvedDist] = {}
        pending = list(requirements)
        while pending:
            req = pending.pop(0)
            if req.marker is not None and not req.marker.evaluate({**environment, "extra": ""}):
                continue
            name = canonicalize_name(req.name)
            if name in chosen:
                continue
            version, origin, requires = self._find(name, req)
            chosen[name] = ResolvedDist(name, version, origin)
            pending.extend(requires)
        return Resolution(tuple(chosen.values()))

    def _find(
        self, name: NormalizedName, req: Requirement
    ) -> tuple[Version, Path, list[Requirement]]:
        if name in self.sdists:
            metadata = self.setup_build(self.sdists[name], name=name).metadata() / "METADATA"
            return _parse(metadata.read_bytes(), self.sdists[name])
        wheels = []
        for path in sorted(self.wheelhouse.glob("*.whl")) if self.wheelhouse else []:
            wheel_name, version, _, _ = parse_wheel_filename(path.name)
            if wheel_name == name and req.specifier.contains(version, prereleases=True):
                wheels.append((version, path))
        if not wheels:
            raise UnresolvableError(f"no wheel for {req}")
        version, path = max(wheels)
        with zipfile.ZipFile(path) as zf:
            meta = next(n for n in zf.namelist() if n.endswith(".dist-info/METADATA"))
            return _parse(zf.read(meta), path)

    def install(self, resolution: Resolution, venv: Interpreter) -> None:
        self.install_calls.append(sorted(resolution))
        destination = destination_for(venv.sys_executable)
        for dist in resolution.dists:
            origin = dist.origin
            assert isinstance(origin, Path)
            if origin.suffix != ".whl":  # an sdist: build it (through the cache) first
                origin = self.setup_build(origin, name=dist.name).cached_wheel()
            install(WheelFile(origin), destination)


def _parse(data: bytes, origin: Path) -> tuple[Version, Path, list[Requirement]]:
    message = BytesParser().parsebytes(data, headersonly=True)
    requires = [Requirement(text) for text in message.get_all("Requires-Dist") or []]
    return Version(str(message["Version"])), origin, requires


@pytest.fixture(scope="session")
def interpreter() -> Iterator[Interpreter]:
    with Cache.temporary() as cache:
        yield Interpreter.query(Path(sys.executable), cache)


@pytest.fixture
def cache(tmp_path: Path) -> Iterator[Cache]:
    with Cache(tmp_path / "cache") as cache:
        yield cache


MakeContext = Callable[..., DoubleContext]


@pytest.fixture
def make_context(cache: Cache, interpreter: Interpreter) -> Iterator[MakeContext]:
    """`make_context(wheelhouse=None, config_settings=None)`: a new double (a new run) on the
    test's cache; each one's builder is closed at the end of the test."""
    made: list[DoubleContext] = []

    def make(
        wheelhouse: Path | None = None, config_settings: dict[str, str | list[str]] | None = None
    ) -> DoubleContext:
        double = DoubleContext(cache, interpreter, wheelhouse, config_settings=config_settings)
        made.append(double)
        return double

    yield make
    for double in made:
        double.builder.close()


@pytest.fixture
def context(make_context: MakeContext) -> DoubleContext:
    return make_context()


@pytest.fixture
def backend_log(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The file the in-tree test backend appends `<hook> <name>` lines to."""
    log = tmp_path / "backend.log"
    log.touch()
    monkeypatch.setenv("PYFIN_TEST_BACKEND_LOG", str(log))
    return log


@pytest.fixture(scope="session")
def real_wheelhouse(request: pytest.FixtureRequest) -> Path:
    """Pinned backend wheels from PyPI, downloaded once (kept in pytest's cache folder)."""
    folder = Path(request.config.cache.mkdir("pyfin-build-backend-wheels"))
    if len(list(folder.glob("*.whl"))) < len(REAL_BACKEND_WHEELS):
        with tempfile.TemporaryDirectory() as temp:
            subprocess.run(
                [
                    sys.executable, "-m", "pip", "download", "--no-deps", "--only-binary",
                    ":all:", "--disable-pip-version-check", "--quiet", "-d", temp,
                    *REAL_BACKEND_WHEELS,
                ],
                check=True,
                env={**os.environ, "PIP_CONFIG_FILE": os.devnull},
            )  # fmt: skip
            for wheel in Path(temp).glob("*.whl"):
                wheel.replace(folder / wheel.name)
    return folder


@pytest.fixture
def real_context(make_context: MakeContext, real_wheelhouse: Path) -> DoubleContext:
    return make_context(real_wheelhouse)
