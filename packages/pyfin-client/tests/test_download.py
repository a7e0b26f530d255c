"""``RegistryClient.download``: verified streaming, retries, nothing partial left behind;
credentials: from URLs and netrc, never sent across origins, never shown."""

from __future__ import annotations

import asyncio
import base64
import hashlib
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

import pytest

from pyfin_cache import Cache
from pyfin_client import (
    ClientSettings,
    File,
    HashMismatch,
    HttpError,
    HttpSettings,
    IndexLocations,
    InvalidFilename,
    OfflineMissing,
    RegistryClient,
)
from pyfin_testing.index_server import IndexServer

WHEEL = "beta-1.0-py3-none-any.whl"
Download = Callable[..., Path]


@pytest.fixture
def download(make_client: Callable[..., RegistryClient], tmp_path: Path) -> Download:
    """``download(filename, **client_options)`` -> path of the downloaded file."""

    def run_download(filename: str, **kwargs: object) -> Path:
        dest = tmp_path / "out" / filename

        async def run() -> Path:
            async with make_client(**kwargs) as client:
                page = await client.simple(filename.split("-", maxsplit=1)[0])
                (file,) = [f for f in page.all_files() if f.filename == filename]
                if file.is_wheel:
                    return await client.download_wheel(file, dest)
                return await client.download(file, dest)

        return asyncio.run(run())

    return run_download


def leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir()) if folder.exists() else []


def test_download_is_verified(server: IndexServer, dist_dir: Path, download: Download) -> None:
    path = download(WHEEL, index_url=server.index_url)
    assert path.read_bytes() == (dist_dir / WHEEL).read_bytes()
    assert server.requests[-1].headers["accept-encoding"] == "identity"


def test_hash_mismatch_leaves_nothing(
    server: IndexServer, download: Download, tmp_path: Path
) -> None:
    server.faults.corrupt = {WHEEL}
    with pytest.raises(HashMismatch) as info:
        download(WHEEL, index_url=server.index_url)
    assert info.value.kind == "hash" and info.value.expected.startswith("sha256:")
    assert leftovers(tmp_path / "out") == []
    assert len([p for p in server.paths() if p == f"/files/{WHEEL}"]) == 1  # not retried


@pytest.mark.parametrize("fault", ["fail_first", "reset_first", "truncate_first"])
def test_transient_failures_are_retried(
    server: IndexServer, dist_dir: Path, download: Download, tmp_path: Path, fault: str
) -> None:
    server.faults.match = "/files/"
    setattr(server.faults, fault, 2)
    path = download(WHEEL, index_url=server.index_url)
    assert path.read_bytes() == (dist_dir / WHEEL).read_bytes()
    assert leftovers(tmp_path / "out") == [WHEEL]
    assert len([p for p in server.paths() if p == f"/files/{WHEEL}"]) == 3


def test_retries_exhausted(server: IndexServer, download: Download, tmp_path: Path) -> None:
    server.faults.match = "/files/"
    server.faults.truncate_first = 10
    with pytest.raises(HttpError) as info:
        download(WHEEL, index_url=server.index_url)
    assert info.value.attempts == 4 and info.value.status is None
    assert leftovers(tmp_path / "out") == []


def test_stalled_server_times_out(
    server: IndexServer, download: Download, settings: ClientSettings, tmp_path: Path
) -> None:
    server.faults.match = "/files/"
    server.faults.stall = 1.0
    quick = replace(
        settings, http=HttpSettings(read_timeout=0.2, retries=1, backoff=0.01, http2=False)
    )
    with pytest.raises(HttpError) as info:
        download(WHEEL, index_url=server.index_url, settings=quick)
    assert info.value.attempts == 2
    assert (
        info.value.reason == "ReadTimeout: no data for 0.2 s (PYFIN_HTTP_TIMEOUT sets this limit)"
    )
    assert leftovers(tmp_path / "out") == []


def test_offline_download(
    server: IndexServer, download: Download, settings: ClientSettings
) -> None:
    server.faults.cache_control = "max-age=60"
    download(WHEEL, index_url=server.index_url)
    with pytest.raises(OfflineMissing):
        download(WHEEL, index_url=server.index_url, settings=replace(settings, offline=True))


def test_download_wheel_refuses_sdists(
    server: IndexServer, make_client: Callable[..., RegistryClient], tmp_path: Path
) -> None:
    async def run() -> None:
        async with make_client(index_url=server.index_url) as client:
            page = await client.simple("alpha")
            (sdist,) = [f for f in page.all_files() if not f.is_wheel]
            await client.download_wheel(sdist, tmp_path / "x")

    with pytest.raises(InvalidFilename) as info:
        asyncio.run(run())
    assert str(info.value) == (
        "`alpha-1.0.tar.gz` cannot be used: it is not a wheel; source distributions are "
        "downloaded for a build."
    )


def test_local_file_download(dist_dir: Path, download: Download) -> None:
    path = download("alpha-1.0.tar.gz", no_index=True, find_links=(str(dist_dir),))
    assert path.read_bytes() == (dist_dir / "alpha-1.0.tar.gz").read_bytes()


def _basic(user: str, password: str) -> str:
    return "Basic " + base64.b64encode(f"{user}:{password}".encode()).decode()


def test_credentials_are_dropped_on_cross_origin_redirect(
    server: IndexServer, dist_dir: Path, download: Download
) -> None:
    with IndexServer(dist_dir) as other:
        server.faults.match = "/files/"
        server.faults.redirect_to = other.url
        url = server.index_url.replace("http://", "http://user:s3cret@")
        path = download(WHEEL, index_url=url)
    assert path.read_bytes() == (dist_dir / WHEEL).read_bytes()
    page_request = server.requests[0]
    assert page_request.headers["authorization"] == _basic("user", "s3cret")
    redirected = [r for r in server.requests if r.path.startswith("/files/")]
    assert redirected[0].status == 302 and "authorization" in redirected[0].headers
    (arrived,) = other.requests
    assert arrived.path == f"/files/{WHEEL}" and "authorization" not in arrived.headers


def test_credentials_kept_on_same_origin_redirect(server: IndexServer, download: Download) -> None:
    server.faults.require_auth = ("user", "s3cret")
    server.faults.json = False
    # A find-links page at /simple/Beta/ redirects (301) to /simple/beta/ on the same origin.
    find_links = server.index_url.replace("http://", "http://user:s3cret@") + "Beta/"
    path = download(WHEEL, no_index=True, find_links=(find_links,))
    assert path.name == WHEEL
    assert [r.status for r in server.requests] == [301, 200, 200]
    assert all(r.headers.get("authorization") == _basic("user", "s3cret") for r in server.requests)


def test_netrc_credentials(
    server: IndexServer, tmp_path: Path, cache: Cache, settings: ClientSettings
) -> None:
    server.faults.require_auth = ("nu", "pw")
    netrc = tmp_path / "netrc"
    netrc.write_text("machine 127.0.0.1 login nu password pw\n")
    netrc.chmod(0o600)

    async def run() -> list[File]:
        locations = IndexLocations.from_args(index_url=server.index_url)
        async with RegistryClient(cache, locations, settings, netrc=netrc) as client:
            return list((await client.simple("beta")).all_files())

    (file,) = asyncio.run(run())
    assert file.filename == WHEEL
    assert server.requests[0].headers["authorization"] == _basic("nu", "pw")


def test_size_mismatch(
    server: IndexServer, dist_dir: Path, make_client: Callable[..., RegistryClient], tmp_path: Path
) -> None:
    async def run() -> None:
        async with make_client(index_url=server.index_url) as client:
            page = await client.simple("beta")
            (file,) = page.all_files()
            data = (dist_dir / WHEEL).read_bytes()
            smaller = replace(
                file, size=len(data) - 1, hashes=(("sha256", hashlib.sha256(data).hexdigest()),)
            )
            await client.download(smaller, tmp_path / "out" / WHEEL)

    with pytest.raises(HashMismatch) as info:
        asyncio.run(run())
    assert info.value.kind == "size"
    assert leftovers(tmp_path / "out") == []


def test_missing_local_file(
    dist_dir: Path, make_client: Callable[..., RegistryClient], tmp_path: Path
) -> None:
    async def run() -> None:
        async with make_client(no_index=True, find_links=(str(dist_dir),)) as client:
            (file,) = (await client.simple("beta")).all_files()
            (dist_dir / WHEEL).unlink()
            await client.download(file, tmp_path / "out" / WHEEL)

    with pytest.raises(HttpError) as info:
        asyncio.run(run())
    assert info.value.reason == "FileNotFoundError: No such file or directory"
    assert leftovers(tmp_path / "out") == []
