"""Installing versions that have only an sdist, through a `BuildContext` test double (the real
builder lives in a higher layer): what gets built, what is refused, hashes, failures."""

from __future__ import annotations

import hashlib
import tarfile
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from packaging.requirements import Requirement
from packaging.specifiers import SpecifierSet
from packaging.utils import NormalizedName, canonicalize_name

from pyfin_cache import Cache
from pyfin_client import ClientSettings, HttpSettings, IndexLocations, RegistryClient
from pyfin_installer import (
    BuildDisabled,
    Environment,
    HashMismatch,
    InstallOptions,
    SourceBuildFailed,
    Wanted,
    install_wanted,
)
from pyfin_interpreter import Interpreter
from pyfin_testing.index_server import IndexServer, make_sdist
from pyfin_testing.wheels import build_wheel
from pyfin_traits import Resolution

FAST = ClientSettings(http=HttpSettings(retries=1, backoff=0.01, http2=False))


@dataclass
class _WheelFromSdist:
    """A `SourceBuild` that writes a wheel named after the sdist's top folder."""

    source: Path
    wheel_name: str | None
    fail: bool

    def metadata(self) -> Path | None:
        return None

    def wheel(self, out_dir: Path) -> Path:
        if self.fail:
            raise RuntimeError("the backend's build_wheel exited with status 1")
        with tarfile.open(self.source) as archive:
            top = archive.getnames()[0].split("/")[0]
        name, _, version = top.rpartition("-")
        name = self.wheel_name or name
        return build_wheel(out_dir, name, version, files={f"{name}/__init__.py": "BUILT = 1\n"})


@dataclass
class _Context:
    """A `BuildContext` that records builds and makes wheels without a backend."""

    cache: Cache
    interpreter: Interpreter
    no_build: bool = False
    wheel_name: str | None = None
    fail: bool = False
    built: list[tuple[str | None, str]] = field(default_factory=list)

    def resolve(self, requirements: Sequence[Requirement]) -> Resolution:
        raise AssertionError("these builds have no build requirements")

    def install(self, resolution: Resolution, venv: Interpreter) -> None:
        raise AssertionError("these builds have no build requirements")

    def setup_build(
        self, source: Path, *, name: NormalizedName | None = None, editable: bool = False
    ) -> _WheelFromSdist:
        self.built.append((name, source.name))
        return _WheelFromSdist(source, self.wheel_name, self.fail)


@pytest.fixture
def sdists(tmp_path: Path) -> Path:
    """delta 1.0 (sdist only), epsilon 1.0 (wheel and sdist)."""
    folder = tmp_path / "sdists"
    folder.mkdir()
    make_sdist(folder, "delta", "1.0")
    make_sdist(folder, "epsilon", "1.0")
    build_wheel(folder, "epsilon", "1.0", files={"epsilon/__init__.py": "WHEEL = 1\n"})
    return folder


@pytest.fixture
def server(sdists: Path) -> Iterator[IndexServer]:
    with IndexServer(sdists) as running:
        yield running


@pytest.fixture
def factory(cache: Cache, server: IndexServer) -> Callable[[], RegistryClient]:
    locations = IndexLocations.from_args(index_url=server.index_url)
    return lambda: RegistryClient(cache, locations, FAST)


def _pin(name: str, *hashes: str) -> Wanted:
    return Wanted(canonicalize_name(name), SpecifierSet("==1.0"), hashes=hashes)


def test_an_sdist_only_version_is_built_and_installed(
    venv: Environment, cache: Cache, factory: Callable[[], RegistryClient]
) -> None:
    context = _Context(cache, venv.interpreter)
    outcome = install_wanted(
        venv, [_pin("delta")], cache=cache, client_factory=factory, build_context=context
    )
    assert context.built == [("delta", "delta-1.0.tar.gz")]
    assert [(p.name, str(p.version), p.filename) for p in outcome.prepared] == [
        ("delta", "1.0", "delta-1.0-py3-none-any.whl")
    ]
    assert outcome.prepared[0].wanted == _pin("delta")
    assert (venv.scheme.purelib / "delta" / "__init__.py").read_text() == "BUILT = 1\n"


def test_no_binary_builds_even_when_a_wheel_exists(
    venv: Environment, cache: Cache, factory: Callable[[], RegistryClient]
) -> None:
    context = _Context(cache, venv.interpreter)
    options = InstallOptions(no_binary=frozenset({"epsilon"}))
    install_wanted(
        venv,
        [_pin("epsilon")],
        cache=cache,
        client_factory=factory,
        options=options,
        build_context=context,
    )
    assert context.built == [("epsilon", "epsilon-1.0.tar.gz")]
    assert (venv.scheme.purelib / "epsilon" / "__init__.py").read_text() == "BUILT = 1\n"


@pytest.mark.parametrize("no_build", [frozenset({":all:"}), frozenset({"delta"})])
def test_a_disabled_build_is_refused_before_anything_starts(
    venv: Environment,
    cache: Cache,
    factory: Callable[[], RegistryClient],
    no_build: frozenset[str],
) -> None:
    context = _Context(cache, venv.interpreter)
    with pytest.raises(BuildDisabled) as caught:
        install_wanted(
            venv,
            [_pin("delta"), _pin("epsilon")],
            cache=cache,
            client_factory=factory,
            options=InstallOptions(no_build=no_build),
            build_context=context,
        )
    assert (caught.value.name, caught.value.filename) == ("delta", "delta-1.0.tar.gz")
    assert str(caught.value) == (
        "`delta==1.0` has no compatible wheel, only delta-1.0.tar.gz, and building `delta` is"
        " disabled; allow its build (drop --no-build, --no-build-package delta or"
        " --only-binary) or pick a version that has a compatible wheel."
    )
    assert context.built == []
    assert list(venv.inventory()) == []


def test_hashes_are_checked_against_the_sdist_before_building(
    venv: Environment, cache: Cache, factory: Callable[[], RegistryClient], sdists: Path
) -> None:
    context = _Context(cache, venv.interpreter)
    digest = "sha256:" + hashlib.sha256((sdists / "delta-1.0.tar.gz").read_bytes()).hexdigest()
    with pytest.raises(HashMismatch):
        install_wanted(
            venv,
            [_pin("delta", "sha256:" + "0" * 64)],
            cache=cache,
            client_factory=factory,
            build_context=context,
        )
    assert context.built == []
    install_wanted(
        venv,
        [_pin("delta", digest)],
        cache=cache,
        client_factory=factory,
        options=InstallOptions(require_hashes=True),
        build_context=context,
    )
    assert context.built == [("delta", "delta-1.0.tar.gz")]


def test_a_failed_build_or_a_wheel_of_something_else_is_an_error(
    venv: Environment, cache: Cache, factory: Callable[[], RegistryClient]
) -> None:
    failing = _Context(cache, venv.interpreter, fail=True)
    with pytest.raises(SourceBuildFailed) as caught:
        install_wanted(
            venv, [_pin("delta")], cache=cache, client_factory=factory, build_context=failing
        )
    assert str(caught.value) == "Failed to build `delta` from delta-1.0.tar.gz."
    assert str(caught.value.__cause__) == "the backend's build_wheel exited with status 1"
    liar = _Context(cache, venv.interpreter, wheel_name="other")
    with pytest.raises(SourceBuildFailed) as caught:
        install_wanted(
            venv, [_pin("delta")], cache=cache, client_factory=factory, build_context=liar
        )
    assert str(caught.value) == (
        "Failed to build `delta` from delta-1.0.tar.gz: it built other-1.0-py3-none-any.whl,"
        " not a wheel of delta 1.0."
    )
    assert list(venv.inventory()) == []
