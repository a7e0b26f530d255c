"""``RegistryClient.metadata``: sidecars, range requests, full downloads, PKG-INFO, the cache."""

from __future__ import annotations

import asyncio
import random
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path

import pytest

from pyfin_cache import Cache
from pyfin_client import (
    ClientSettings,
    File,
    HashMismatch,
    Metadata,
    MetadataError,
    MetadataSource,
    NeedsBuild,
    OfflineMissing,
    RegistryClient,
)
from pyfin_testing.index_server import IndexServer, make_sdist
from pyfin_testing.wheels import build_wheel


@dataclass
class Recorder:
    """A ``Reporter`` that keeps the metadata sources it was told about."""

    sources: list[tuple[str, MetadataSource]] = field(default_factory=list)

    def on_metadata(self, file: File, source: MetadataSource) -> None:
        self.sources.append((file.filename, source))

    def on_download_start(self, file: File, size: int | None) -> None:
        pass

    def on_download_progress(self, file: File, received: int) -> None:
        pass

    def on_download_complete(self, file: File) -> None:
        pass


Fetch = Callable[..., "tuple[list[Metadata | NeedsBuild], Recorder]"]


@pytest.fixture
def fetch(make_client: Callable[..., RegistryClient]) -> Fetch:
    """``fetch(filenames, **client_options)`` -> metadata of those files (one run) + reports."""

    def run_fetch(
        filenames: list[str], **kwargs: object
    ) -> tuple[list[Metadata | NeedsBuild], Recorder]:
        recorder = Recorder()

        async def run() -> list[Metadata | NeedsBuild]:
            async with make_client(**kwargs) as client:
                client.reporter = recorder
                results = []
                for filename in filenames:
                    name = filename.split("-")[0]
                    page = await client.simple(name)
                    (file,) = [f for f in page.all_files() if f.filename == filename]
                    results.append(await client.metadata(file))
                return results

        return asyncio.run(run()), recorder

    return run_fetch


WHEEL = "alpha-2.0-py3-none-any.whl"


def test_advertised_sidecar(server: IndexServer, fetch: Fetch) -> None:
    (metadata,), recorder = fetch([WHEEL], index_url=server.index_url)
    assert isinstance(metadata, Metadata)
    assert metadata.name == "alpha" and str(metadata.version) == "2.0"
    assert [str(r) for r in metadata.requires_dist] == ['gamma>=1; extra == "fast"']
    assert metadata.provides_extra == ("fast",)
    assert recorder.sources == [(WHEEL, MetadataSource.SIDECAR)]
    assert server.paths()[-1] == f"/files/{WHEEL}.metadata"


def test_metadata_is_cached_for_good(server: IndexServer, fetch: Fetch) -> None:
    server.faults.cache_control = "max-age=600"
    (first,), _ = fetch([WHEEL], index_url=server.index_url)
    server.clear()
    (second,), recorder = fetch([WHEEL], index_url=server.index_url)
    assert first == second
    assert server.requests == []
    assert recorder.sources == [(WHEEL, MetadataSource.CACHE)]


def test_sidecar_hash_mismatch_is_not_cached(
    server: IndexServer,
    dist_dir: Path,
    make_client: Callable[..., RegistryClient],
    cache: Cache,
) -> None:
    async def run() -> None:
        async with make_client(index_url=server.index_url) as client:
            page = await client.simple("alpha")
            (file,) = [f for f in page.all_files() if f.filename == WHEEL]
            build_wheel(dist_dir, "alpha", "2.0", requires=["evil"])  # sidecar no longer matches
            await client.metadata(file)

    with pytest.raises(HashMismatch) as info:
        asyncio.run(run())
    assert info.value.kind == "hash"
    assert str(info.value).startswith(f"The hash of {server.files_url}{WHEEL}.metadata")
    assert not list(cache.root.rglob("*.metadata"))


def test_unadvertised_sidecar_is_probed(
    server: IndexServer, fetch: Fetch, settings: ClientSettings
) -> None:
    server.faults.advertise_metadata = False
    probe = replace(settings, probe_metadata_sidecar=True)
    (metadata,), recorder = fetch([WHEEL], index_url=server.index_url, settings=probe)
    assert isinstance(metadata, Metadata) and metadata.provides_extra == ("fast",)
    assert recorder.sources == [(WHEEL, MetadataSource.SIDECAR_PROBE)]


def test_probe_404_falls_back_to_range_requests(
    server: IndexServer, fetch: Fetch, settings: ClientSettings
) -> None:
    server.faults.advertise_metadata = False
    server.faults.serve_metadata = False
    probe = replace(settings, probe_metadata_sidecar=True)
    (metadata,), recorder = fetch([WHEEL], index_url=server.index_url, settings=probe)
    assert isinstance(metadata, Metadata) and str(metadata.version) == "2.0"
    assert recorder.sources == [(WHEEL, MetadataSource.RANGE)]
    file_requests = [r for r in server.requests if r.path.startswith("/files/")]
    assert [(r.path, r.status) for r in file_requests] == [
        (f"/files/{WHEEL}.metadata", 404),
        (f"/files/{WHEEL}", 206),
    ]
    assert file_requests[1].headers["range"] == "bytes=-65536"


def test_probing_stops_after_repeated_404s(
    server: IndexServer, dist_dir: Path, fetch: Fetch, settings: ClientSettings
) -> None:
    for version in ("3.0", "4.0", "5.0"):
        build_wheel(dist_dir, "alpha", version)
    server.faults.advertise_metadata = False
    server.faults.serve_metadata = False
    wheels = [f"alpha-{v}-py3-none-any.whl" for v in ("2.0", "3.0", "4.0", "5.0")]
    probe = replace(settings, probe_metadata_sidecar=True)
    _, recorder = fetch(wheels, index_url=server.index_url, settings=probe)
    assert {s for _, s in recorder.sources} == {MetadataSource.RANGE}
    probes = [p for p in server.paths() if p.endswith(".metadata")]
    assert len(probes) == 3


def test_large_wheel_needs_more_ranges(server: IndexServer, dist_dir: Path, fetch: Fetch) -> None:
    blob = random.Random(0).randbytes(300_000)  # incompressible: the wheel stays big
    big = build_wheel(dist_dir, "big", "1.0", files={"big/blob.bin": blob})
    assert big.stat().st_size > 300_000
    server.faults.advertise_metadata = False
    (metadata,), recorder = fetch([big.name], index_url=server.index_url)
    assert isinstance(metadata, Metadata) and metadata.name == "big"
    assert recorder.sources == [(big.name, MetadataSource.RANGE)]
    ranges = [r.headers.get("range") for r in server.requests if r.path == f"/files/{big.name}"]
    assert ranges == ["bytes=-65536"]  # METADATA sits in the tail with the central directory


def test_central_directory_outside_tail(server: IndexServer, dist_dir: Path, fetch: Fetch) -> None:
    # Many members make a central directory bigger than the first 64 KiB tail.
    path = dist_dir / "many-1.0-py3-none-any.whl"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr(
            "many-1.0.dist-info/METADATA", "Metadata-Version: 2.1\nName: many\nVersion: 1.0\n\n"
        )
        for i in range(1500):
            archive.writestr(f"many/{'x' * 40}{i}.py", "")
    server.faults.advertise_metadata = False
    (metadata,), recorder = fetch([path.name], index_url=server.index_url)
    assert isinstance(metadata, Metadata) and metadata.name == "many"
    ranges = [r.headers.get("range") for r in server.requests if r.path == f"/files/{path.name}"]
    assert len(ranges) == 3 and ranges[0] == "bytes=-65536"
    assert recorder.sources == [(path.name, MetadataSource.RANGE)]


def test_server_ignoring_range(server: IndexServer, fetch: Fetch) -> None:
    server.faults.advertise_metadata = False
    server.faults.ignore_range = True
    (metadata,), recorder = fetch([WHEEL], index_url=server.index_url)
    assert isinstance(metadata, Metadata) and str(metadata.version) == "2.0"
    assert recorder.sources == [(WHEEL, MetadataSource.DOWNLOAD)]
    assert [r.status for r in server.requests if r.path == f"/files/{WHEEL}"] == [200]


def test_sdist_with_static_pkg_info(server: IndexServer, fetch: Fetch) -> None:
    (metadata,), recorder = fetch(["alpha-1.0.tar.gz"], index_url=server.index_url)
    assert isinstance(metadata, Metadata)
    assert [str(r) for r in metadata.requires_dist] == ["six"]
    assert recorder.sources == [("alpha-1.0.tar.gz", MetadataSource.DOWNLOAD)]
    server.clear()
    (again,), recorder = fetch(["alpha-1.0.tar.gz"], index_url=server.index_url)
    assert again == metadata
    assert recorder.sources == [("alpha-1.0.tar.gz", MetadataSource.CACHE)]
    assert not [p for p in server.paths() if p.startswith("/files/")]


@pytest.mark.parametrize(
    ("options", "reason"),
    [
        ({"dynamic": ["Requires-Dist"]}, "PKG-INFO declares requires-dist as Dynamic"),
        ({"metadata_version": "2.1"}, "PKG-INFO has Metadata-Version 2.1 (2.2+ needed)"),
        ({"pkg_info": False}, "the source distribution has no PKG-INFO"),
        (
            {"fmt": "zip", "dynamic": ["Requires-Python"]},
            "PKG-INFO declares requires-python as Dynamic",
        ),
    ],
)
def test_sdist_needs_build(  # noqa: PLR0917 - pytest fixtures are positional
    server: IndexServer,
    dist_dir: Path,
    fetch: Fetch,
    options: dict[str, object],
    reason: str,
    cache: Cache,
) -> None:
    sdist = make_sdist(dist_dir, "delta", "1.0", **options)  # type: ignore[arg-type]
    (result,), recorder = fetch([sdist.name], index_url=server.index_url)
    assert isinstance(result, NeedsBuild)
    assert result.reason == reason and result.file.filename == sdist.name
    assert recorder.sources == []
    assert not list(cache.root.rglob("*.metadata"))


def test_zip_sdist_static(server: IndexServer, dist_dir: Path, fetch: Fetch) -> None:
    sdist = make_sdist(dist_dir, "delta", "1.0", fmt="zip", requires_python=">=3.10")
    (metadata,), _ = fetch([sdist.name], index_url=server.index_url)
    assert isinstance(metadata, Metadata) and str(metadata.requires_python) == ">=3.10"


def test_metadata_disagreeing_with_filename(
    server: IndexServer, dist_dir: Path, fetch: Fetch
) -> None:
    wheel = build_wheel(dist_dir, "epsilon", "1.0")
    wheel.rename(dist_dir / "epsilon-2.0-py3-none-any.whl")
    with pytest.raises(MetadataError) as info:
        fetch(["epsilon-2.0-py3-none-any.whl"], index_url=server.index_url)
    assert str(info.value) == (
        "Metadata of epsilon-2.0-py3-none-any.whl is unusable: it describes epsilon 1.0, not "
        "epsilon 2.0; the distribution is broken, pick another version or report it to its "
        "maintainers."
    )


def test_offline_metadata(
    server: IndexServer,
    make_client: Callable[..., RegistryClient],
    settings: ClientSettings,
) -> None:
    async def run(offline: bool) -> list[Metadata | NeedsBuild]:
        options = replace(settings, offline=offline)
        async with make_client(index_url=server.index_url, settings=options) as client:
            page = await client.simple("alpha")
            files = {f.filename: f for f in page.all_files()}
            if not offline:
                return [await client.metadata(files["alpha-1.0-py3-none-any.whl"])]
            return [await client.metadata(files[name]) for name in sorted(files)]

    asyncio.run(run(offline=False))
    server.clear()
    with pytest.raises(OfflineMissing) as info:
        asyncio.run(run(offline=True))
    assert str(info.value) == (
        "Network access is disabled (--offline) and the cache has no copy of the metadata of "
        f"alpha-1.0.tar.gz ({server.files_url}alpha-1.0.tar.gz); run once without --offline "
        "to fill the cache."
    )
    assert server.requests == []


def test_local_files_are_read_in_place(dist_dir: Path, fetch: Fetch, cache: Cache) -> None:
    (wheel, sdist), recorder = fetch(
        ["beta-1.0-py3-none-any.whl", "alpha-1.0.tar.gz"],
        no_index=True,
        find_links=(str(dist_dir),),
    )
    assert isinstance(wheel, Metadata) and [str(r) for r in wheel.requires_dist] == ["alpha>=1"]
    assert isinstance(sdist, Metadata)
    assert [s for _, s in recorder.sources] == [MetadataSource.LOCAL, MetadataSource.LOCAL]


def test_cached_entry_that_no_longer_matches_the_published_hash_is_a_miss(
    server: IndexServer, fetch: Fetch, cache: Cache
) -> None:
    (first,), _ = fetch([WHEEL], index_url=server.index_url)
    assert isinstance(first, Metadata) and first.requires_dist
    (entry,) = cache.root.rglob(f"{WHEEL}.metadata")
    data = entry.read_bytes()
    entry.write_bytes(data[: data.index(b"Requires-Dist")])  # still parses, lost its deps
    server.clear()
    (second,), recorder = fetch([WHEEL], index_url=server.index_url)
    assert second == first
    assert recorder.sources == [(WHEEL, MetadataSource.SIDECAR)]
    assert entry.read_bytes() == data
