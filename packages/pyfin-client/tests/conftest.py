"""Fixtures for pyfin_client's tests: a loopback index over a folder of tiny distributions."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from pyfin_cache import Cache
from pyfin_client import ClientSettings, HttpSettings, IndexLocations, RegistryClient
from pyfin_testing.index_server import IndexServer, make_sdist
from pyfin_testing.wheels import build_wheel

FAST = HttpSettings(retries=3, backoff=0.01, connect_timeout=5, read_timeout=5, http2=False)
BASE = ClientSettings(http=FAST)


@pytest.fixture
def dist_dir(tmp_path: Path) -> Path:
    """``alpha`` 1.0 (wheel+sdist) and 2.0 (wheel), ``beta`` 1.0 (wheel requiring alpha)."""
    folder = tmp_path / "dists"
    folder.mkdir()
    build_wheel(folder, "alpha", "1.0", requires_python=">=3.8")
    make_sdist(folder, "alpha", "1.0", requires=["six"])
    build_wheel(folder, "alpha", "2.0", extras={"fast": ["gamma>=1"]})
    build_wheel(folder, "beta", "1.0", requires=["alpha>=1"])
    return folder


@pytest.fixture
def server(dist_dir: Path) -> Iterator[IndexServer]:
    with IndexServer(dist_dir) as running:
        yield running


@pytest.fixture
def cache(tmp_path: Path) -> Cache:
    return Cache(tmp_path / "cache")


ClientFactory = Callable[..., RegistryClient]


@pytest.fixture
def settings() -> ClientSettings:
    """Client settings with fast retries and timeouts (no HTTP/2: loopback is HTTP/1.1)."""
    return BASE


@pytest.fixture
def make_client(cache: Cache) -> ClientFactory:
    """``make_client(index_url=..., ..., settings=...)`` -> a client over the test cache."""

    def factory(**kwargs: object) -> RegistryClient:
        return _make_client(cache, **kwargs)  # type: ignore[arg-type]

    return factory


def _make_client(
    cache: Cache,
    *,
    index_url: str | None = None,
    extra_index_urls: tuple[str, ...] = (),
    find_links: tuple[str, ...] = (),
    no_index: bool = False,
    strategy: str = "first-index",
    settings: ClientSettings = BASE,
) -> RegistryClient:
    locations = IndexLocations.from_args(
        index_url=index_url,
        extra_index_urls=extra_index_urls,
        find_links=find_links,
        no_index=no_index,
        strategy=strategy,
    )
    return RegistryClient(cache, locations, settings)
