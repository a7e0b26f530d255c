"""``RegistryClient``: simple pages, core metadata and downloads over every configured location,
with the HTTP cache in the SIMPLE bucket and metadata kept for good in the METADATA bucket."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from functools import partial
from pathlib import Path
from types import TracebackType

from packaging.utils import NormalizedName, canonicalize_name
from packaging.version import Version

from pyfin_cache import Cache, CacheBucket, CacheEntry, atomic_file

from ._auth import CredentialStore, origin_of
from ._errors import (
    HashMismatch,
    HttpError,
    IndexPageError,
    InvalidFilename,
    MetadataError,
    OfflineMissing,
    PackageNotFound,
)
from ._hashing import check, hasher, matches, verify
from ._http import HttpClient, HttpSettings, Response, Retry
from ._http_cache import Freshness, dump_page, freshness, load_page
from ._index import FindLinks, IndexLocations, IndexStrategy, IndexUrl
from ._local import list_directory, path_of, read_page
from ._metadata import parse_metadata, pkg_info_is_static
from ._models import File, Metadata, NeedsBuild, SimpleMetadata
from ._once import Once
from ._remote_zip import RangeUnsupported, metadata_from_zip, read_metadata_by_range
from ._reporter import MetadataSource, NullReporter, Reporter
from ._sdist import read_pkg_info
from ._simple_page import (
    ACCEPT,
    JSON_CONTENT_TYPE,
    KeyedRow,
    Row,
    keyed_rows,
    make_file,
    parse_html_page,
    parse_json_page,
    upload_time,
)

_PAGE_SUFFIX = ".marshal"
_FIND_LINKS_ENTRY = "_find_links" + _PAGE_SUFFIX  # "_" cannot start a normalized name
_PROBE_GIVE_UP = 3  # unadvertised-sidecar 404s (with no success) before an origin is not probed
_CHUNK = 256 * 1024


@dataclass(frozen=True, slots=True)
class ClientSettings:
    """How the client uses the network and the cache.

    ``refresh`` revalidates every cached page once per client; ``refresh_packages`` only those
    projects' pages. ``offline`` never touches the network (a missing entry raises
    ``OfflineMissing``). ``exclude_newer`` drops index files uploaded after it, and those with
    no upload time (find-links files are kept). ``probe_metadata_sidecar`` asks for
    ``<wheel url>.metadata`` even when the index does not advertise it. Off by default: measured
    against PyPI from here (tools/bench/scenarios/client_metadata.py, 20 newest wheels), a
    served sidecar takes 8 ms, a missing one 140 ms before the fallback, range requests 17 ms
    (1.95 requests per wheel), and half the unadvertised sidecars were missing.
    """

    offline: bool = False
    refresh: bool = False
    refresh_packages: frozenset[NormalizedName] = frozenset()
    exclude_newer: datetime | None = None
    probe_metadata_sidecar: bool = False
    http: HttpSettings = field(default_factory=HttpSettings.from_env)


@dataclass(slots=True)
class _ProbeStats:
    hits: int = 0
    misses: int = 0


class RegistryClient:
    """Answers "which files does project X have" and "what does file F require", and downloads.

    One instance per run: it memoizes pages in memory (so ``refresh`` revalidates once), holds
    one HTTP/2 connection pool, and is used concurrently from one event loop at a time. Close it
    with ``await client.aclose()`` or ``async with``.
    """

    def __init__(
        self,
        cache: Cache,
        locations: IndexLocations | None = None,
        settings: ClientSettings | None = None,
        *,
        reporter: Reporter | None = None,
        netrc: Path | None = None,
    ) -> None:
        self.cache = cache
        self.locations = locations if locations is not None else IndexLocations()
        self.settings = settings if settings is not None else ClientSettings()
        self.reporter: Reporter = reporter if reporter is not None else NullReporter()
        credentials = CredentialStore(netrc)
        sources: list[IndexUrl | FindLinks] = [*self.locations.indexes]
        sources += self.locations.find_links
        for location in sources:
            if location.credentials is not None:
                credentials.add(location.url, location.credentials)
        self._http = HttpClient(self.settings.http, credentials)
        self._simple: Once[SimpleMetadata] = Once()
        self._metadata: Once[Metadata | NeedsBuild] = Once()
        self._find_links: Once[dict[NormalizedName, list[KeyedRow]]] = Once()
        self._probes: dict[tuple[str, str, int | None], _ProbeStats] = {}

    async def __aenter__(self) -> RegistryClient:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.aclose()

    async def aclose(self) -> None:
        """Close network connections (the cache stays open: it belongs to the caller)."""
        await self._http.aclose()

    # -- simple pages -------------------------------------------------------------------------

    async def simple(self, name: str) -> SimpleMetadata:
        """Every file of project ``name`` over the configured locations, grouped by version.

        Cost: one request per index asked (none while a cached page is fresh, a conditional
        one when stale); memoized for the client's lifetime. Raises ``PackageNotFound``,
        ``OfflineMissing``, ``HttpError``, ``IndexPageError``.
        """
        project = canonicalize_name(name)
        return await self._simple.get(project, lambda: self._simple_metadata(project))

    async def _simple_metadata(self, project: NormalizedName) -> SimpleMetadata:
        locations = self.locations
        indexes = locations.indexes
        found: list[tuple[KeyedRow, IndexUrl | FindLinks]] = []
        if locations.strategy is IndexStrategy.FIRST_INDEX:
            pages: list[tuple[IndexUrl, list[KeyedRow]]] = []
            for index in indexes:
                rows = await self._index_page(index, project)
                if rows is not None:
                    pages.append((index, rows))
                    break
        else:
            answers = await asyncio.gather(*(self._index_page(i, project) for i in indexes))
            pages = [
                (i, rows) for i, rows in zip(indexes, answers, strict=True) if rows is not None
            ]
        cutoff = self.settings.exclude_newer
        for index, rows in pages:
            for keyed in rows:
                if cutoff is not None:
                    uploaded = upload_time(keyed[2])
                    if uploaded is None or uploaded > cutoff:
                        continue
                found.append((keyed, index))
        for location in locations.find_links:
            grouped = await self._find_links_rows(location)
            found.extend((keyed, location) for keyed in grouped.get(project, ()))
        if not found and not pages:
            searched = [i.page_url(project) for i in indexes]
            searched += [f.url for f in locations.find_links]
            raise PackageNotFound(project, searched)
        sources: dict[Version, list[Callable[[], File]]] = {}
        for (file_name, version, row), origin in found:
            sources.setdefault(version, []).append(
                partial(make_file, file_name, version, row, origin)
            )
        ordered = tuple(sorted(sources, reverse=True))
        return SimpleMetadata(project, ordered, {v: tuple(sources[v]) for v in ordered})

    async def _index_page(self, index: IndexUrl, project: NormalizedName) -> list[KeyedRow] | None:
        """The keyed rows of ``project`` on ``index``, or None when the index lacks it."""
        url = index.page_url(project)
        if index.is_file:
            body = read_page(url)
            rows = None if body is None else _parse_page(body, url, _local_type(body))
        else:
            entry = self.cache.entry(
                CacheBucket.SIMPLE, index.cache_key, file=project + _PAGE_SUFFIX
            )
            refresh = self.settings.refresh or project in self.settings.refresh_packages
            what = f"the index page of `{project}`"
            rows = await self._cached_page(entry, url, ACCEPT, refresh=refresh, what=what)
        return None if rows is None else keyed_rows(rows)

    async def _cached_page(
        self, entry: CacheEntry, url: str, accept: str, *, refresh: bool, what: str
    ) -> list[Row] | None:
        """Rows of the page at ``url`` through the HTTP cache ``entry``; None on 404/410.

        Fresh entries are used as they are; stale ones are revalidated (304 keeps them);
        ``refresh`` treats every entry as stale. Offline, a missing entry raises
        ``OfflineMissing`` (naming ``what``).
        """
        cached = _load_cached_page(entry)
        if self.settings.offline:
            if cached is None:
                raise OfflineMissing(what, url)
            return list(cached[1])
        now = time.time()
        if cached is not None and not refresh and cached[0].is_fresh(now):
            return list(cached[1])
        headers = {"Accept": accept}
        if cached is not None:
            headers.update(cached[0].conditional_headers())
        response = await self._http.get(url, headers)
        if response.status == 304 and cached is not None:
            fresh = freshness(response.headers, now)
            if fresh is not None:
                fresh = Freshness(
                    fresh.fresh_until,
                    fresh.etag or cached[0].etag,
                    fresh.last_modified or cached[0].last_modified,
                )
                entry.write(dump_page(fresh, cached[1]))
            return list(cached[1])
        if response.status in (404, 410):
            entry.remove()
            return None
        if response.status != 200:
            raise HttpError(url, response.status, _reason(response))
        rows = _parse_page(response.body, response.url, response.headers.get("content-type", ""))
        fresh = freshness(response.headers, now)
        if fresh is None:
            entry.remove()
        else:
            entry.write(dump_page(fresh, rows))
        return rows

    async def _find_links_rows(self, location: FindLinks) -> dict[NormalizedName, list[KeyedRow]]:
        """Every usable file of a find-links location by project (fetched once per client)."""

        async def fetch() -> dict[NormalizedName, list[KeyedRow]]:
            grouped: dict[NormalizedName, list[KeyedRow]] = {}
            for keyed in keyed_rows(await self._fetch_find_links(location)):
                grouped.setdefault(keyed[0], []).append(keyed)
            return grouped

        return await self._find_links.get(location.url, fetch)

    async def _fetch_find_links(self, location: FindLinks) -> list[Row]:
        url = location.url
        if location.is_file:
            rows = list_directory(url)
            body = read_page(url) if rows is None else None
            if body is not None:
                rows = parse_html_page(body, url)
        else:
            entry = self.cache.entry(CacheBucket.SIMPLE, location.cache_key, file=_FIND_LINKS_ENTRY)
            rows = await self._cached_page(
                entry, url, "text/html", refresh=self.settings.refresh, what="the find-links page"
            )
        if rows is None:
            raise IndexPageError(url, "no such page, file or folder")
        return rows

    # -- metadata -----------------------------------------------------------------------------

    def _metadata_entry(self, file: File) -> CacheEntry:
        return self.cache.entry(
            CacheBucket.METADATA, file.index.cache_key, file.name, file=file.filename + ".metadata"
        )

    async def metadata(self, file: File) -> Metadata | NeedsBuild:
        """Core metadata of ``file``, without downloading a wheel when avoidable.

        Memoized per client by URL; concurrent calls for one file share one fetch.

        Wheels: the METADATA bucket, else the advertised PEP 658 sidecar (hash checked), else
        (with ``probe_metadata_sidecar``) the unadvertised one, else HTTP range requests, else
        the whole file. Sdists: PKG-INFO when Metadata-Version >= 2.2 and no dependency field is
        Dynamic, else ``NeedsBuild``. Raises ``MetadataError`` (also when name or version
        disagree with the filename), ``HashMismatch``, ``HttpError``, ``OfflineMissing``.
        """
        return await self._metadata.get(file.url, lambda: self._fetch_metadata(file))

    async def _fetch_metadata(self, file: File) -> Metadata | NeedsBuild:
        entry = self._metadata_entry(file)
        data = entry.read()
        if data is not None and file.is_wheel and not matches(data, file.metadata_hashes):
            # A damaged entry can still parse (cut before its Requires-Dist lines): where the
            # index publishes the sidecar's hash (PEP 658 — it equals the wheel's METADATA, so
            # it also vouches for bytes got by range requests), a mismatch is a miss.
            data = None
        if data is not None:
            try:
                metadata = _checked(parse_metadata(data, file.filename), file)
            except MetadataError:
                data = None  # a corrupt entry is a miss
            else:
                if file.is_wheel or pkg_info_is_static(metadata) is None:
                    self.reporter.on_metadata(file, MetadataSource.CACHE)
                    return metadata
        if self.settings.offline and not file.url.startswith("file://"):
            raise OfflineMissing(f"the metadata of {file.filename}", file.url)
        if file.is_wheel:
            data, source = await self._wheel_metadata(file)
        else:
            pkg_info, source = await self._pkg_info(file)
            if pkg_info is None:
                return NeedsBuild(file, "the source distribution has no PKG-INFO")
            data = pkg_info
        metadata = _checked(parse_metadata(data, file.filename), file)
        if not file.is_wheel and (reason := pkg_info_is_static(metadata)) is not None:
            return NeedsBuild(file, reason)
        if source is not MetadataSource.LOCAL:
            entry.write(data)
        self.reporter.on_metadata(file, source)
        return metadata

    async def _wheel_metadata(self, file: File) -> tuple[bytes, MetadataSource]:
        if file.url.startswith("file://"):
            return metadata_from_zip(path_of(file.url), file.filename), MetadataSource.LOCAL
        sidecar = file.url + ".metadata"
        if file.metadata_advertised:
            response = await self._http.get(sidecar)
            if response.status == 200:
                verify(sidecar, response.body, file.metadata_hashes)
                return response.body, MetadataSource.SIDECAR
        elif self.settings.probe_metadata_sidecar:
            stats = self._probes.setdefault(origin_of(file.url), _ProbeStats())
            if stats.hits or stats.misses < _PROBE_GIVE_UP:
                response = await self._http.get(sidecar)
                if response.status == 200:
                    stats.hits += 1
                    return response.body, MetadataSource.SIDECAR_PROBE
                stats.misses += 1

        async def get_range(value: str) -> Response:
            return await self._http.get(file.url, {"Range": value, "Accept-Encoding": "identity"})

        try:
            data, ranged = await read_metadata_by_range(get_range, file.filename)
        except RangeUnsupported as exc:
            response = await self._http.get(file.url, {"Accept-Encoding": "identity"})
            if response.status != 200:
                raise HttpError(file.url, response.status, _reason(response)) from exc
            verify(file.url, response.body, file.hashes)
            return metadata_from_zip(response.body, file.filename), MetadataSource.DOWNLOAD
        return data, MetadataSource.RANGE if ranged else MetadataSource.DOWNLOAD

    async def _pkg_info(self, file: File) -> tuple[bytes | None, MetadataSource]:
        if file.url.startswith("file://"):
            return read_pkg_info(path_of(file.url), file.filename), MetadataSource.LOCAL
        import tempfile

        with tempfile.TemporaryDirectory(prefix="pyfin-sdist-") as scratch:
            path = await self.download(file, Path(scratch) / file.filename)
            return read_pkg_info(path, file.filename), MetadataSource.DOWNLOAD

    # -- downloads ----------------------------------------------------------------------------

    async def download_wheel(self, file: File, dest: Path) -> Path:
        """``download`` for the installer; raises ``InvalidFilename`` if ``file`` is no wheel."""
        if not file.is_wheel:
            raise InvalidFilename(
                file.filename, "it is not a wheel; source distributions are downloaded for a build"
            )
        return await self.download(file, dest)

    async def download(self, file: File, dest: Path) -> Path:
        """Stream ``file`` to ``dest`` (a file path; parents are created), hashing as it comes.

        The bytes go to a ``.tmp-`` sibling and are renamed in only once size and hash match
        the index, so ``dest`` is never partial or wrong. 5xx, resets and truncated bodies are
        retried (``HttpSettings.retries``). Raises ``HashMismatch``, ``HttpError``,
        ``OfflineMissing``. Returns ``dest``.
        """
        if file.url.startswith("file://"):
            await asyncio.to_thread(_copy_local, file, dest)
            self.reporter.on_download_complete(file)
            return dest
        if self.settings.offline:
            raise OfflineMissing(file.filename, file.url)

        async def attempt() -> None:
            import httpx

            digest, expected = hasher(file.hashes)
            received = 0
            with atomic_file(dest) as out:
                headers = {"Accept-Encoding": "identity"}
                async with self._http.stream(file.url, headers) as response:
                    if response.status_code >= 500:
                        raise Retry(response.reason_phrase, response.status_code)
                    if response.status_code != 200:
                        raise HttpError(file.url, response.status_code, response.reason_phrase)
                    self.reporter.on_download_start(file, file.size)
                    try:
                        async for chunk in response.aiter_raw(_CHUNK):
                            out.write(chunk)
                            digest.update(chunk)
                            received += len(chunk)
                            self.reporter.on_download_progress(file, len(chunk))
                    except httpx.TransportError as exc:
                        raise Retry(f"connection lost after {received} bytes") from exc
                if file.size is not None and received != file.size:
                    if received < file.size:
                        raise Retry(f"body cut short at {received} of {file.size} bytes")
                    raise HashMismatch(file.url, "size", str(file.size), str(received))
                check(file.url, digest, expected)

        await self._http.retrying(file.url, attempt)
        self.reporter.on_download_complete(file)
        return dest


def _reason(response: Response) -> str:
    from http import HTTPStatus

    try:
        return HTTPStatus(response.status).phrase
    except ValueError:
        return ""


def _local_type(body: bytes) -> str:
    return JSON_CONTENT_TYPE if body.lstrip()[:1] == b"{" else "text/html"


def _parse_page(body: bytes, url: str, content_type: str) -> list[Row]:
    kind = content_type.split(";", maxsplit=1)[0].strip().lower()
    if kind == JSON_CONTENT_TYPE:
        return parse_json_page(body, url)
    if kind in ("text/html", "application/vnd.pypi.simple.v1+html", ""):
        return parse_html_page(body, url)
    raise IndexPageError(url, f"unexpected content type {content_type!r}")


def _load_cached_page(entry: CacheEntry) -> tuple[Freshness, tuple[Row, ...]] | None:
    data = entry.read()
    if data is None:
        return None
    return load_page(data)


def _checked(metadata: Metadata, file: File) -> Metadata:
    if metadata.name != file.name or metadata.version != file.version:
        raise MetadataError(
            file.filename,
            f"it describes {metadata.name} {metadata.version}, not {file.name} {file.version}",
        )
    return metadata


def _copy_local(file: File, dest: Path) -> None:
    digest, expected = hasher(file.hashes)
    try:
        source = open(path_of(file.url), "rb")  # noqa: SIM115 - closed by the with below
    except OSError as exc:
        raise HttpError(file.url, None, f"{type(exc).__name__}: {exc.strerror}") from exc
    with source, atomic_file(dest) as out:
        while chunk := source.read(_CHUNK):
            digest.update(chunk)
            out.write(chunk)
        check(file.url, digest, expected)
