"""RegistryProvider against a loopback index: candidate filtering, metadata sources, builds
through the BuildContext, prefetching and client errors."""

from __future__ import annotations

import sys
import time
from collections.abc import Iterator, Sequence
from pathlib import Path

import pytest
from packaging.requirements import Requirement
from packaging.specifiers import SpecifierSet
from packaging.tags import Tag, parse_tag, sys_tags
from packaging.utils import NormalizedName, canonicalize_name
from packaging.version import Version

from pyfin_cache import Cache
from pyfin_client import (
    ClientSettings,
    File,
    HttpError,
    HttpSettings,
    IndexLocations,
    RegistryClient,
)
from pyfin_interpreter import Interpreter
from pyfin_resolver import Candidate, Metadata, TargetEnvironment, Unavailable, resolve
from pyfin_resolver._file_choice import BinaryPolicy
from pyfin_resolver._registry_provider import IndexLookupFailed, RegistryProvider
from pyfin_testing.index_server import Faults, IndexServer, make_sdist
from pyfin_testing.wheels import build_wheel
from pyfin_traits import Resolution, SourceBuild

TAGS: tuple[Tag, ...] = tuple(sys_tags())
FOREIGN = "cp27-cp27m-win32"


class Refusing(Exception):
    pass


class Context:
    """A BuildContext whose builds either refuse (`metadata_text` None) or yield a
    `.dist-info` with `metadata_text` as METADATA."""

    def __init__(self, cache: Cache, metadata_text: str | None = None) -> None:
        self._cache = cache
        self.metadata_text = metadata_text
        self.builds: list[tuple[Path, NormalizedName | None]] = []

    @property
    def cache(self) -> Cache:
        return self._cache

    @property
    def interpreter(self) -> Interpreter:
        return Interpreter.query(Path(sys.executable), self._cache)

    @property
    def no_build(self) -> bool:
        return False

    def resolve(self, requirements: Sequence[Requirement]) -> Resolution:
        raise Refusing("this context resolves nothing")

    def install(self, resolution: Resolution, venv: Interpreter) -> None:
        raise Refusing("this context installs nothing")

    def setup_build(
        self, source: Path, *, name: NormalizedName | None = None, editable: bool = False
    ) -> SourceBuild:
        self.builds.append((source, name))
        if self.metadata_text is None:
            raise Refusing(f"cannot build {source.name}")
        return _Build(source, self.metadata_text)


class _Build:
    def __init__(self, source: Path, text: str) -> None:
        self._source = source
        self._text = text

    def metadata(self) -> Path | None:
        dist_info = self._source.parent / "built.dist-info"
        dist_info.mkdir()
        (dist_info / "METADATA").write_text(self._text)
        return dist_info

    def wheel(self, out_dir: Path) -> Path:
        raise Refusing("metadata() answers, wheel() is not needed")


@pytest.fixture
def files(tmp_path: Path) -> Path:
    folder = tmp_path / "files"
    folder.mkdir()
    build_wheel(folder, "alpha", "1.0", requires=["beta>=2"])
    build_wheel(folder, "alpha", "2.0", requires=["beta>=2"], tag=FOREIGN)
    make_sdist(folder, "alpha", "2.0", requires=["beta>=3"])
    build_wheel(folder, "alpha", "3.0", tag=FOREIGN)
    build_wheel(folder, "beta", "2.0")
    build_wheel(folder, "beta", "3.0", requires_python=">=3.99")
    build_wheel(folder, "gamma", "1.0")
    build_wheel(folder, "gamma", "1.1")
    make_sdist(folder, "dyn", "1.0", metadata_version="2.1")
    return folder


@pytest.fixture
def index(files: Path) -> Iterator[IndexServer]:
    faults = Faults(yanked={"gamma-1.1-py3-none-any.whl": "broken"})
    with IndexServer(files, faults) as server:
        yield server


@pytest.fixture
def cache(tmp_path: Path) -> Iterator[Cache]:
    with Cache(tmp_path / "cache") as opened:
        yield opened


def _provider(
    index: IndexServer, cache: Cache, context: Context | None = None, **policy: frozenset[str]
) -> RegistryProvider:
    locations = IndexLocations.from_args(index_url=index.index_url)

    def make() -> RegistryClient:
        # No retries: a failing request fails at once (retry behaviour is the client's).
        settings = ClientSettings(http=HttpSettings(retries=0))
        return RegistryClient(cache, locations, settings)

    return RegistryProvider(make, TAGS, context or Context(cache), policy=BinaryPolicy(**policy))


def _by_version(candidates: Sequence[Candidate] | None) -> dict[str, Candidate]:
    assert candidates is not None
    return {str(c.version): c for c in candidates}


def test_candidates_prefer_compatible_wheels_then_sdists(index: IndexServer, cache: Cache) -> None:
    with _provider(index, cache) as provider:
        alpha = _by_version(provider.candidates(canonicalize_name("alpha")))
        beta = _by_version(provider.candidates(canonicalize_name("beta")))
        gamma = _by_version(provider.candidates(canonicalize_name("gamma")))
    assert set(alpha) == {"1.0", "2.0", "3.0"}
    assert isinstance(alpha["1.0"].origin, File) and alpha["1.0"].origin.is_wheel
    assert isinstance(alpha["2.0"].origin, File)
    assert alpha["2.0"].origin.filename == "alpha-2.0.tar.gz"
    assert alpha["3.0"].origin is None
    assert alpha["3.0"].unavailable == "has no wheel for this platform and no source distribution"
    assert beta["3.0"].requires_python == SpecifierSet(">=3.99")
    assert not gamma["1.0"].yanked and gamma["1.1"].yanked


def test_binary_policies_give_reasons(index: IndexServer, cache: Cache) -> None:
    name = canonicalize_name("alpha")
    with _provider(index, cache, only_binary=frozenset({":all:"})) as provider:
        alpha = _by_version(provider.candidates(name))
    assert alpha["2.0"].unavailable == "has only a source distribution and building is disabled"
    assert alpha["1.0"].unavailable is None
    with _provider(index, cache, no_binary=frozenset({"alpha"})) as provider:
        alpha = _by_version(provider.candidates(name))
    assert alpha["1.0"].unavailable == "has no source distribution and binaries are disabled"
    assert alpha["2.0"].unavailable is None
    with _provider(index, cache, no_build=frozenset({"alpha"})) as provider:
        alpha = _by_version(provider.candidates(name))
    assert alpha["2.0"].unavailable == "has only a source distribution and building is disabled"


def test_metadata_from_wheel_and_static_sdist(index: IndexServer, cache: Cache) -> None:
    name = canonicalize_name("alpha")
    with _provider(index, cache) as provider:
        alpha = _by_version(provider.candidates(name))
        from_wheel = provider.metadata(name, alpha["1.0"])
        from_sdist = provider.metadata(name, alpha["2.0"])
    assert from_wheel == Metadata(requires_dist=(Requirement("beta>=2"),))
    assert isinstance(from_sdist, Metadata)
    assert [str(r) for r in from_sdist.requires_dist] == ["beta>=3"]


def test_sdist_needing_a_build_asks_the_context(index: IndexServer, cache: Cache) -> None:
    name = canonicalize_name("dyn")
    refusing = Context(cache)
    with _provider(index, cache, refusing) as provider:
        (candidate,) = provider.candidates(name) or []
        answer = provider.metadata(name, candidate)
    assert answer == Unavailable("could not be built: cannot build dyn-1.0.tar.gz")
    ((source, asked_for),) = refusing.builds
    assert source.name == "dyn-1.0.tar.gz" and asked_for == "dyn"
    assert not source.exists()  # the provider's scratch folder is gone after close()

    building = Context(
        cache, "Metadata-Version: 2.1\nName: dyn\nVersion: 1.0\nRequires-Dist: gamma\n"
    )
    with _provider(index, cache, building) as provider:
        (candidate,) = provider.candidates(name) or []
        answer = provider.metadata(name, candidate)
    assert answer == Metadata(requires_dist=(Requirement("gamma"),))


def _wait_for(index: IndexServer, path: str) -> None:
    deadline = time.monotonic() + 10
    while path not in index.paths():
        assert time.monotonic() < deadline, index.paths()
        time.sleep(0.01)


def test_prefetch_fetches_ahead(index: IndexServer, cache: Cache) -> None:
    with _provider(index, cache) as provider:
        provider.prefetch(canonicalize_name("beta"), [Version("2.0")])
        _wait_for(index, "/files/beta-2.0-py3-none-any.whl.metadata")
        before = len(index.requests)
        beta = _by_version(provider.candidates(canonicalize_name("beta")))
        provider.metadata(canonicalize_name("beta"), beta["2.0"])
        later = index.paths()[before:]
        # Both answers were already there (only the speculative fetch below may be new).
        assert [p for p in later if "/simple/beta/" in p or "beta-2.0" in p] == []


def test_newest_release_metadata_is_fetched_speculatively(index: IndexServer, cache: Cache) -> None:
    with _provider(index, cache) as provider:
        provider.prefetch(canonicalize_name("gamma"), [])
        # gamma 1.1 is yanked, so 1.0 is the likely pick.
        _wait_for(index, "/files/gamma-1.0-py3-none-any.whl.metadata")
    assert "/files/gamma-1.1-py3-none-any.whl.metadata" not in index.paths()


def test_missing_package_and_http_errors(index: IndexServer, cache: Cache) -> None:
    with _provider(index, cache) as provider:
        assert provider.candidates(canonicalize_name("nothing-here")) is None
    index.faults.fail_first = 10
    index.faults.fail_status = 500
    index.faults.match = "/simple/gamma/"
    with _provider(index, cache) as provider, pytest.raises(IndexLookupFailed) as failure:
        provider.candidates(canonicalize_name("gamma"))
    assert str(failure.value) == "Failed to fetch the versions of `gamma` while resolving"
    assert isinstance(failure.value.__cause__, HttpError)


def test_resolve_through_the_provider(index: IndexServer, cache: Cache) -> None:
    markers = {
        "python_version": "3.11",
        "python_full_version": "3.11.0",
        "sys_platform": sys.platform,
        "platform_system": "Linux",
        "implementation_name": "cpython",
    }
    with _provider(index, cache) as provider:
        resolution = resolve(
            [Requirement("alpha"), Requirement("gamma")],
            provider,
            TargetEnvironment(markers, Version("3.11")),
        )
    # alpha 3.0 has no usable file; 2.0 (sdist) needs beta>=3, whose only version needs
    # Python 3.99; so alpha 1.0 with beta 2.0. gamma 1.1 is yanked.
    assert {name: str(d.version) for name, d in resolution.items()} == {
        "alpha": "1.0",
        "beta": "2.0",
        "gamma": "1.0",
    }
    origin = resolution["alpha"].origin
    assert isinstance(origin, File) and origin.filename == "alpha-1.0-py3-none-any.whl"


def test_foreign_tag_is_really_foreign() -> None:
    assert not set(parse_tag(FOREIGN)) & set(TAGS)
