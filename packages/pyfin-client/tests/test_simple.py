"""``RegistryClient.simple`` against loopback indexes: formats, caching, strategies, faults."""

from __future__ import annotations

import asyncio
import shutil
from collections.abc import Callable
from dataclasses import replace
from datetime import datetime, timezone
from pathlib import Path

import pytest
from packaging.utils import canonicalize_name

from pyfin_cache import Cache, CacheBucket
from pyfin_client import (
    ClientSettings,
    HttpError,
    HttpSettings,
    IndexUrl,
    OfflineMissing,
    PackageNotFound,
    RegistryClient,
    SimpleMetadata,
)
from pyfin_testing.index_server import IndexServer
from pyfin_testing.wheels import build_wheel

Simple = Callable[..., SimpleMetadata]


@pytest.fixture
def simple(make_client: Callable[..., RegistryClient]) -> Simple:
    """``simple(name, **client_options)``: one page through a fresh client (as one run)."""

    def fetch(name: str, **kwargs: object) -> SimpleMetadata:
        async def run() -> SimpleMetadata:
            async with make_client(**kwargs) as client:
                return await client.simple(name)

        return asyncio.run(run())

    return fetch


def versions(page: SimpleMetadata) -> list[str]:
    return [str(v) for v in page.versions]


@pytest.mark.parametrize("json_pages", [True, False], ids=["json", "html"])
def test_json_and_html_pages(
    server: IndexServer, cache: Cache, json_pages: bool, simple: Simple
) -> None:
    server.faults.json = json_pages
    server.faults.yanked = {"alpha-1.0.tar.gz": "bad sdist"}
    page = simple("Alpha", index_url=server.index_url)
    assert page.name == "alpha"
    assert versions(page) == ["2.0", "1.0"]
    files = {f.filename: f for f in page.all_files()}
    assert set(files) == {
        "alpha-1.0-py3-none-any.whl",
        "alpha-1.0.tar.gz",
        "alpha-2.0-py3-none-any.whl",
    }
    wheel = files["alpha-1.0-py3-none-any.whl"]
    assert wheel.url == f"{server.files_url}alpha-1.0-py3-none-any.whl"  # relative link resolved
    assert wheel.requires_python == ">=3.8"
    assert wheel.sha256 is not None and len(wheel.sha256) == 64
    assert wheel.metadata_advertised
    assert files["alpha-1.0.tar.gz"].yanked == "bad sdist"
    assert (files["alpha-2.0-py3-none-any.whl"].upload_time is not None) is json_pages
    accept = server.requests[0].headers["accept"]
    assert accept.startswith("application/vnd.pypi.simple.v1+json")


def test_missing_package(server: IndexServer, cache: Cache, simple: Simple) -> None:
    with pytest.raises(PackageNotFound) as info:
        simple("nope", index_url=server.index_url)
    assert info.value.name == "nope"
    assert str(info.value) == (
        f"Package `nope` was not found in {server.index_url}nope/; check the name's spelling "
        "or add the index that serves it with --extra-index-url or --find-links."
    )


def test_page_is_revalidated_with_etag(server: IndexServer, cache: Cache, simple: Simple) -> None:
    first = simple("alpha", index_url=server.index_url)
    second = simple("alpha", index_url=server.index_url)
    assert first == second
    statuses = [r.status for r in server.requests]
    assert statuses == [200, 304]
    assert "if-none-match" in server.requests[1].headers


def test_last_modified_revalidation(server: IndexServer, cache: Cache, simple: Simple) -> None:
    server.faults.etag = False
    simple("alpha", index_url=server.index_url)
    simple("alpha", index_url=server.index_url)
    assert [r.status for r in server.requests] == [200, 304]
    assert "if-modified-since" in server.requests[1].headers


def test_fresh_page_is_not_requested_and_refresh_revalidates(
    server: IndexServer, cache: Cache, simple: Simple, settings: ClientSettings
) -> None:
    server.faults.cache_control = "max-age=600"
    simple("alpha", index_url=server.index_url)
    simple("alpha", index_url=server.index_url)
    assert len(server.requests) == 1
    simple("alpha", index_url=server.index_url, settings=replace(settings, refresh=True))
    assert [r.status for r in server.requests] == [200, 304]
    beta = replace(settings, refresh_packages=frozenset({canonicalize_name("beta")}))
    simple("alpha", index_url=server.index_url, settings=beta)
    assert len(server.requests) == 2  # alpha is not in refresh_packages: still fresh


def test_no_store_is_not_cached(server: IndexServer, cache: Cache, simple: Simple) -> None:
    server.faults.cache_control = "no-store"
    simple("alpha", index_url=server.index_url)
    simple("alpha", index_url=server.index_url)
    assert [r.status for r in server.requests] == [200, 200]


def test_offline_warm_and_cold(
    server: IndexServer, cache: Cache, simple: Simple, settings: ClientSettings
) -> None:
    offline = replace(settings, offline=True)
    with pytest.raises(OfflineMissing) as info:
        simple("alpha", index_url=server.index_url, settings=offline)
    assert str(info.value) == (
        "Network access is disabled (--offline) and the cache has no copy of the index page of "
        f"`alpha` ({server.index_url}alpha/); run once without --offline to fill the cache."
    )
    online = simple("alpha", index_url=server.index_url)
    server.clear()
    assert simple("alpha", index_url=server.index_url, settings=offline) == online
    assert server.requests == []


def test_corrupt_entry_is_a_miss(server: IndexServer, cache: Cache, simple: Simple) -> None:
    simple("alpha", index_url=server.index_url)
    (entry,) = cache.bucket(CacheBucket.SIMPLE).glob("*/alpha.*")
    entry.write_bytes(b"\x00garbage")
    server.clear()
    page = simple("alpha", index_url=server.index_url)
    assert versions(page) == ["2.0", "1.0"]
    assert [r.status for r in server.requests] == [200]  # no conditional request from garbage


def test_cache_key_has_no_credentials(server: IndexServer, cache: Cache, simple: Simple) -> None:
    server.faults.require_auth = ("user", "s3cret")
    url = server.index_url.replace("http://", "http://user:s3cret@")
    simple("alpha", index_url=url)
    for path in cache.root.rglob("*"):
        assert "s3cret" not in str(path)
        if path.is_file():
            assert b"s3cret" not in path.read_bytes()
    key = IndexUrl.parse(url).cache_key
    assert key == IndexUrl.parse(server.index_url).cache_key


def test_wrong_credentials_are_redacted(server: IndexServer, cache: Cache, simple: Simple) -> None:
    server.faults.require_auth = ("user", "s3cret")
    url = server.index_url.replace("http://", "http://user:wrong@")
    with pytest.raises(HttpError) as info:
        simple("alpha", index_url=url)
    assert info.value.status == 401
    assert "wrong" not in str(info.value) and "user" not in str(info.value)
    assert str(info.value).startswith(
        f"Request to {server.index_url}alpha/ failed: HTTP status 401 (Unauthorized)"
    )


def test_5xx_then_success(server: IndexServer, cache: Cache, simple: Simple) -> None:
    server.faults.fail_first = 2
    page = simple("alpha", index_url=server.index_url)
    assert versions(page) == ["2.0", "1.0"]
    assert [r.status for r in server.requests] == [503, 503, 200]


def test_5xx_exhausts_retries(server: IndexServer, cache: Cache, simple: Simple) -> None:
    server.faults.fail_first = 10
    with pytest.raises(HttpError) as info:
        simple("alpha", index_url=server.index_url)
    assert info.value.status == 503 and info.value.attempts == 4
    assert "failed after 4 attempts: HTTP status 503" in str(info.value)


def test_reset_connection_then_success(server: IndexServer, cache: Cache, simple: Simple) -> None:
    server.faults.reset_first = 1
    assert versions(simple("alpha", index_url=server.index_url)) == ["2.0", "1.0"]
    assert [r.status for r in server.requests] == [0, 200]


def test_truncated_page_then_success(server: IndexServer, cache: Cache, simple: Simple) -> None:
    server.faults.truncate_first = 1
    assert versions(simple("alpha", index_url=server.index_url)) == ["2.0", "1.0"]
    assert len(server.requests) == 2


def test_non_normalized_request_follows_same_origin_redirect(
    server: IndexServer, cache: Cache, simple: Simple
) -> None:
    # A page asked for by its normalized name needs no redirect; a server redirecting
    # every page elsewhere is followed.
    with IndexServer(server.directory) as mirror:
        server.faults.redirect_to = mirror.url
        page = simple("beta", index_url=server.index_url)
    assert versions(page) == ["1.0"]
    assert [f.url for f in page.all_files()] == [f"{mirror.files_url}beta-1.0-py3-none-any.whl"]


def test_find_links_directory(dist_dir: Path, tmp_path: Path, cache: Cache, simple: Simple) -> None:
    page = simple("beta", no_index=True, find_links=(str(dist_dir),))
    (file,) = page.all_files()
    assert file.url.startswith("file://") and file.filename == "beta-1.0-py3-none-any.whl"
    assert file.size == (dist_dir / file.filename).stat().st_size


def test_find_links_html_page(
    server: IndexServer, simple: Simple, settings: ClientSettings
) -> None:
    server.faults.json = False
    find_links = (f"{server.index_url}beta/",)
    page = simple("beta", no_index=True, find_links=find_links)
    assert [f.filename for f in page.all_files()] == ["beta-1.0-py3-none-any.whl"]
    server.clear()
    offline = replace(settings, offline=True)
    assert simple("beta", no_index=True, find_links=find_links, settings=offline) == page
    assert server.requests == []
    with pytest.raises(OfflineMissing, match="the find-links page"):
        simple("beta", no_index=True, find_links=(server.index_url,), settings=offline)


def test_find_links_adds_to_index(
    server: IndexServer, tmp_path: Path, cache: Cache, simple: Simple
) -> None:
    local = tmp_path / "local"
    local.mkdir()
    build_wheel(local, "alpha", "3.0")
    page = simple("alpha", index_url=server.index_url, find_links=(str(local),))
    assert versions(page) == ["3.0", "2.0", "1.0"]


def test_first_index_vs_unsafe_best_match(tmp_path: Path, cache: Cache, simple: Simple) -> None:
    private, public = tmp_path / "private", tmp_path / "public"
    private.mkdir()
    public.mkdir()
    build_wheel(private, "internal", "1.0")
    build_wheel(public, "internal", "99.0")  # a dependency-confusion attack
    build_wheel(public, "internal", "1.0")
    build_wheel(public, "other", "1.0")
    with IndexServer(private) as priv, IndexServer(public) as pub:
        kwargs: dict[str, object] = {
            "index_url": pub.index_url,
            "extra_index_urls": (priv.index_url,),
        }
        first = simple("internal", **kwargs)
        assert versions(first) == ["1.0"]
        assert {f.url for f in first.all_files()} == {
            f"{priv.files_url}internal-1.0-py3-none-any.whl"
        }
        assert pub.paths() == []  # the extra index answered first; PyPI-like index not asked
        best = simple("internal", strategy="unsafe-best-match", **kwargs)
        assert versions(best) == ["99.0", "1.0"]
        (one,) = [files for version, files in best if str(version) == "1.0"]
        assert [f.url.startswith(priv.url) for f in one] == [True, False]  # priority order
        other = simple("other", **kwargs)  # 404 on the extra index: next one is asked
        assert versions(other) == ["1.0"]


def test_file_index(dist_dir: Path, tmp_path: Path, cache: Cache, simple: Simple) -> None:
    root = tmp_path / "static" / "simple"
    (root / "beta").mkdir(parents=True)
    shutil.copy(dist_dir / "beta-1.0-py3-none-any.whl", root / "beta")
    (root / "beta" / "index.html").write_text(
        '<a href="beta-1.0-py3-none-any.whl" data-requires-python="&gt;=3.9">x</a>'
    )
    page = simple("beta", index_url=root.as_uri())
    (file,) = page.all_files()
    assert file.url == (root / "beta" / "beta-1.0-py3-none-any.whl").as_uri()
    assert file.requires_python == ">=3.9"
    with pytest.raises(PackageNotFound):
        simple("alpha", index_url=str(root))


def test_exclude_newer(
    server: IndexServer, cache: Cache, simple: Simple, settings: ClientSettings
) -> None:
    server.faults.upload_time = {
        "alpha-2.0-py3-none-any.whl": "2024-06-01T00:00:00Z",
        "alpha-1.0-py3-none-any.whl": "2023-01-01T00:00:00Z",
        "alpha-1.0.tar.gz": "2023-01-01T00:00:00Z",
    }
    cutoff = replace(settings, exclude_newer=datetime(2024, 1, 1, tzinfo=timezone.utc))
    page = simple("alpha", index_url=server.index_url, settings=cutoff)
    assert versions(page) == ["1.0"]


def test_concurrent_requests_share_one_fetch(
    server: IndexServer, make_client: Callable[..., RegistryClient]
) -> None:
    async def run() -> None:
        async with make_client(index_url=server.index_url) as client:
            pages = await asyncio.gather(*(client.simple("alpha") for _ in range(5)))
            assert all(page is pages[0] for page in pages)
            (wheel,) = [f for f in pages[0].files(pages[0].versions[0]) if f.is_wheel]
            results = await asyncio.gather(*(client.metadata(wheel) for _ in range(5)))
            assert all(result == results[0] for result in results)

    asyncio.run(run())
    assert server.paths() == ["/simple/alpha/", "/files/alpha-2.0-py3-none-any.whl.metadata"]


def test_concurrency_from_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PYFIN_CONCURRENT_DOWNLOADS", "7")
    monkeypatch.setenv("PYFIN_HTTP_TIMEOUT", "12.5")
    settings = HttpSettings.from_env(retries=1)
    assert (settings.concurrency, settings.read_timeout, settings.retries) == (7, 12.5, 1)
    monkeypatch.setenv("PYFIN_CONCURRENT_DOWNLOADS", "lots")
    assert HttpSettings.from_env().concurrency == 50
