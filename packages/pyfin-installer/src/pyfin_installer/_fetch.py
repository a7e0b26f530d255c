"""Fetch: choose each wanted wheel, download it (in parallel) and unzip it once into the cache.

The unzipped wheel is the cache entry (``install_wheel.unpack`` builds it in a ``.tmp-``
sibling and renames it into place, so readers and other processes never see half of one).
Beside it, ``<wheel-stem>.json`` keeps the wheel file's digests, written before the entry
appears, so that ``--hash`` can be checked against a cached wheel without downloading it::

    wheels-v0/
    └── <index-key | url-<sha256(url)[:16]> | path-<sha256(file)[:16]>>/
        └── <normalized-name>/
            ├── <wheel-stem>/          the unzipped wheel (install_wheel.unpack)
            └── <wheel-stem>.json      {"sha256": "<hex>", ...} of the .whl file

Nothing here imports the client (nor httpx) unless some wheel is not in the cache yet, and
``asyncio`` only once there is something to prepare: a no-op sync pays for neither.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import urllib.parse
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from packaging.utils import (
    InvalidWheelFilename,
    NormalizedName,
    canonicalize_name,
    parse_wheel_filename,
)
from packaging.version import Version

from install_wheel import DirectUrl, InstallWheelError, UnpackedWheel, unpack
from pyfin_cache import CacheBucket, CacheEntry, CacheIOError
from pyfin_installer._errors import (
    BuildDisabled,
    FetchFailed,
    LookupFailed,
    NeedsBuild,
    NoCompatibleWheel,
    SourceBuildFailed,
)
from pyfin_installer._hashes import algorithms_of, check_digests, file_digests
from pyfin_installer._plan import Wanted
from pyfin_installer._reporter import NullReporter, Reporter

if TYPE_CHECKING:
    from packaging.tags import Tag

    from pyfin_cache import Cache
    from pyfin_client import File, RegistryClient
    from pyfin_interpreter import Interpreter
    from pyfin_traits import BuildContext

ClientFactory = Callable[[], "RegistryClient"]
"""Makes the run's ``RegistryClient``; called at most once, only when the network is needed."""


@dataclass(frozen=True, slots=True)
class PreparedWheel:
    """A wanted distribution, unzipped in the cache and ready to link.

    ``path`` is the cache entry; ``direct_url`` is what ``direct_url.json`` will say (None for
    index installs); ``cached`` is True when nothing had to be downloaded or unzipped.
    """

    wanted: Wanted
    name: NormalizedName
    version: Version
    filename: str
    path: Path
    direct_url: DirectUrl | None
    cached: bool


@dataclass(frozen=True, slots=True)
class _Source:
    name: NormalizedName
    version: Version
    filename: str
    key: str
    file: File | None  # to download
    local: Path | None  # a wheel on this machine, read in place


def _key_of(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def _wheel_name(filename: str, what: str) -> tuple[NormalizedName, Version]:
    if not filename.endswith(".whl"):
        raise NeedsBuild(what, f"{filename} is not a wheel")
    try:
        name, version, _, _ = parse_wheel_filename(filename)
    except InvalidWheelFilename as exc:
        raise FetchFailed(filename, f"invalid wheel file name: {exc}") from exc
    return name, version


def _load_digests(entry: CacheEntry) -> dict[str, str] | None:
    data = entry.read()
    if data is None:
        return None
    try:
        loaded = json.loads(data)
    except ValueError:
        return None
    if not isinstance(loaded, dict) or not all(isinstance(v, str) for v in loaded.values()):
        return None
    return {str(k): v for k, v in loaded.items()}


class Preparer:
    """Gets wanted distributions into the WHEELS bucket; one per run.

    ``client_factory`` is called at most once, the first time an index must be asked or a
    wheel downloaded; the client is closed by ``prepare``.

    With a ``build_context``, a version that has no usable wheel but a source distribution is
    built: the sdist is downloaded (and checked against ``--hash``), turned into a wheel by
    ``build_context.setup_build(sdist, name=...).wheel(out_dir)`` on a worker thread, and that
    wheel is unzipped into the cache like a local one. ``no_build`` names (or ``":all:"``) are
    never built (``BuildDisabled``); ``no_binary`` names never use a wheel from an index.
    Without a context, such a version raises ``NeedsBuild``.
    """

    def __init__(
        self,
        cache: Cache,
        interpreter: Interpreter,
        client_factory: ClientFactory | None,
        *,
        reporter: Reporter | None = None,
        build_context: BuildContext | None = None,
        no_build: frozenset[str] = frozenset(),
        no_binary: frozenset[str] = frozenset(),
    ) -> None:
        self.cache = cache
        self.interpreter = interpreter
        self._build_context = build_context
        self._no_build = no_build
        self._no_binary = no_binary
        self.reporter: Reporter = reporter if reporter is not None else NullReporter()
        self._client_factory = client_factory
        self._client: RegistryClient | None = None
        self._priorities: Mapping[Tag, int] | None = None

    def prepare(self, wanted: Sequence[Wanted]) -> list[PreparedWheel]:
        """Locate, download and unzip every item, in parallel; results in ``wanted`` order.

        Raises ``NeedsBuild`` (only a source distribution fits), ``NoCompatibleWheel``,
        ``LookupFailed``, ``FetchFailed``, ``HashMismatch``; what was completed stays cached.
        """
        if not wanted:
            return []
        import asyncio

        return asyncio.run(self._prepare_all(wanted))

    async def _prepare_all(self, wanted: Sequence[Wanted]) -> list[PreparedWheel]:
        import asyncio

        try:
            # Let every item finish (or fail) before raising: a cancelled item could leave an
            # unzip running in a worker thread after the event loop is gone.
            results = await asyncio.gather(
                *(self._prepare(item) for item in wanted), return_exceptions=True
            )
            prepared: list[PreparedWheel] = []
            for result in results:
                if isinstance(result, BaseException):
                    raise result
                prepared.append(result)
            return prepared
        finally:
            if self._client is not None:
                client, self._client = self._client, None
                await client.aclose()

    def _client_or_fail(self, what: str) -> RegistryClient:
        if self._client is None:
            if self._client_factory is None:
                raise LookupFailed(what, "no package index is configured for this operation")
            self._client = self._client_factory()
        return self._client

    # -- locating -----------------------------------------------------------------------------

    async def _locate(self, item: Wanted) -> _Source:
        if item.editable:
            raise NeedsBuild(item.describe(), "editable installs are built from a source tree")
        if item.url is not None:
            return self._source_for_url(item, item.url)
        if item.file is None and not _applies(self._no_binary, item.name):
            cached = self._cached_pin(item)
            if cached is not None:
                return cached
        file = item.file if item.file is not None else await self._choose_file(item)
        return self._source_for_file(item, file)

    def _source_for_file(self, item: Wanted, file: File) -> _Source:
        if not file.is_wheel:
            self._check_build_allowed(item.describe(), item.name, file.filename)
        return _Source(file.name, file.version, file.filename, file.index.cache_key, file, None)

    def _may_build(self, name: NormalizedName) -> bool:
        return self._build_context is not None and not _applies(self._no_build, name)

    def _check_build_allowed(self, what: str, name: NormalizedName, filename: str) -> None:
        """Raise unless the sdist ``filename`` of ``name`` may be built."""
        if self._build_context is None:
            raise NeedsBuild(what, f"{filename} is a source distribution")
        if _applies(self._no_build, name):
            raise BuildDisabled(what, name, filename)

    def _tag_priorities(self) -> Mapping[Tag, int]:
        if self._priorities is None:
            from pyfin_client import tag_priorities

            self._priorities = tag_priorities(self.interpreter.tags)
        return self._priorities

    def _cached_pin(self, item: Wanted) -> _Source | None:
        """An unzipped wheel already in the cache for an exact pin, from the first configured
        location that has one (best tag for this interpreter): no index request at all.

        Like uv, this trusts the pin: a cached wheel's Requires-Python is not checked again.
        With --hash, only an entry whose kept digests cover the algorithms asked for is used.
        """
        specs = list(item.specifier)
        if len(specs) != 1 or specs[0].operator not in ("==", "===") or "*" in specs[0].version:
            return None
        try:
            version = Version(specs[0].version)
        except ValueError:
            return None
        from pyfin_client import tags_rank

        locations = self._client_or_fail(item.name).locations  # no network: the client is lazy
        priorities = self._tag_priorities()
        needed = algorithms_of(item.hashes)
        keys = [index.cache_key for index in locations.indexes]
        keys += [find_links.cache_key for find_links in locations.find_links]
        for key in keys:
            try:
                entries = os.listdir(self.cache.shard(CacheBucket.WHEELS, key, item.name))  # noqa: PTH208
            except (FileNotFoundError, NotADirectoryError):
                continue
            best: tuple[tuple[int, tuple[int, str] | tuple[()]], str] | None = None
            for entry in entries:
                if entry.endswith(".json") or entry.startswith(".tmp-"):
                    continue
                try:
                    _, found, build, tags = parse_wheel_filename(entry + ".whl")
                except (InvalidWheelFilename, ValueError):
                    continue
                rank = tags_rank(tags, priorities) if found == version else None
                if rank is None:
                    continue
                if best is None or rank < best[0][0] or (rank == best[0][0] and build > best[0][1]):
                    best = ((rank, build), entry)
            if best is None:
                continue
            stem = best[1]
            if needed:
                sidecar = self.cache.entry(CacheBucket.WHEELS, key, item.name, file=f"{stem}.json")
                known = _load_digests(sidecar)
                if known is None or not needed <= known.keys():
                    return None
            return _Source(item.name, version, f"{stem}.whl", key, None, None)
        return None

    def _source_for_url(self, item: Wanted, url: str) -> _Source:
        parts = urllib.parse.urlsplit(url)
        filename = urllib.parse.unquote(parts.path.rsplit("/", 1)[-1])
        name, version = _wheel_name(filename, item.describe())
        if name != item.name:
            raise FetchFailed(filename, f"it is a wheel of `{name}`, not of `{item.name}`")
        if parts.scheme == "file":
            from urllib.request import url2pathname

            path = Path(url2pathname(parts.path))
            if not path.is_file():
                raise FetchFailed(filename, f"{path} does not exist")
            return _Source(name, version, filename, "", None, path)
        from pyfin_client import File, FindLinks

        fragment = urllib.parse.parse_qs(parts.fragment)
        hashes = tuple(
            sorted(
                (algo, values[0].lower())
                for algo, values in fragment.items()
                if algo in ("sha256", "sha384", "sha512")
            )
        )
        bare = urllib.parse.urlunsplit(parts._replace(fragment=""))
        file = File(filename, name, version, bare, FindLinks.parse(bare), hashes=hashes)
        return _Source(name, version, filename, f"url-{_key_of(bare)}", file, None)

    async def _choose_file(self, item: Wanted) -> File:
        from pyfin_client import ClientError, select_wheel

        client = self._client_or_fail(item.name)
        try:
            simple = await client.simple(item.name)
        except ClientError as exc:
            raise LookupFailed(item.name, str(exc)) from exc
        priorities = self._tag_priorities()
        exact = [s.operator for s in item.specifier] in (["=="], ["==="])
        python = self.interpreter.version
        sdist_only: File | None = None
        matched = False
        for version in simple.versions:
            if not item.specifier.contains(version, prereleases=True):
                continue
            if not exact and version.is_prerelease and not item.specifier.prereleases:
                continue
            matched = True
            files = simple.files(version)
            chosen = None
            if not _applies(self._no_binary, item.name):
                chosen = select_wheel(files, priorities, python, allow_yanked=exact)
            if chosen is not None:
                return chosen
            sdist = _select_sdist(files, allow_yanked=exact)
            if sdist is not None and self._may_build(item.name):
                return sdist
            if sdist_only is None:
                sdist_only = sdist
        specifier = str(item.specifier)
        if sdist_only is not None:
            what = f"{item.name}{specifier}"
            if self._build_context is not None:
                raise BuildDisabled(what, item.name, sdist_only.filename)
            raise NeedsBuild(what, f"no wheel fits this interpreter, only {sdist_only.filename}")
        if not matched:
            raise NoCompatibleWheel(item.name, specifier, "the index has no such version")
        raise NoCompatibleWheel(
            item.name,
            specifier,
            f"no wheel supports Python {python} on this platform (or all are yanked)",
        )

    # -- fetching -----------------------------------------------------------------------------

    async def _prepare(self, item: Wanted) -> PreparedWheel:
        if item.editable and self._build_context is not None:
            return await self._build_editable(item)
        return await self._prepare_source(item, await self._locate(item))

    async def _prepare_file(self, item: Wanted, file: File) -> PreparedWheel:
        source = self._source_for_file(item, file)
        return await self._prepare_source(item, source)

    async def _prepare_source(self, item: Wanted, source: _Source) -> PreparedWheel:
        import asyncio

        if source.file is not None and not source.file.is_wheel:
            return await self._build(item, source.file)
        needed = algorithms_of(item.hashes)
        digests: dict[str, str] | None = None
        if source.local is not None:
            digests = await asyncio.to_thread(file_digests, str(source.local), needed)
            check_digests(source.filename, digests, item.hashes)
            source = _Source(
                source.name,
                source.version,
                source.filename,
                f"path-{digests['sha256'][:16]}",
                None,
                source.local,
            )
        stem = source.filename[: -len(".whl")]
        entry_dir = self.cache.shard(CacheBucket.WHEELS, source.key, source.name, stem)
        sidecar = self.cache.entry(CacheBucket.WHEELS, source.key, source.name, file=f"{stem}.json")
        cached = False
        if entry_dir.is_dir() and not UnpackedWheel(entry_dir, source.filename).is_intact():
            # A damaged entry (a file deleted, the marker cut short) is a miss: unzip again.
            await asyncio.to_thread(_discard, entry_dir)
        if entry_dir.is_dir():
            if digests is None:
                known = _load_digests(sidecar)
                if known is not None and needed <= known.keys():
                    digests = known
            if digests is not None:
                check_digests(source.filename, digests, item.hashes)
                cached = True
        if not cached and source.file is None and source.local is None:
            # A cached pin that cannot serve after all: ask the index like any other.
            return await self._prepare_file(item, await self._choose_file(item))
        if not cached:
            digests = await self._fetch(source, item, entry_dir, sidecar)
        assert digests is not None
        self.reporter.on_prepared(source.name, source.version, cached)
        direct_url = None
        if item.url is not None:
            direct_url = DirectUrl(url=item.url, archive_hash=f"sha256={digests['sha256']}")
        return PreparedWheel(
            item, source.name, source.version, source.filename, entry_dir, direct_url, cached
        )

    async def _build(self, item: Wanted, file: File) -> PreparedWheel:
        """Download the sdist ``file``, check it against ``--hash``, build its wheel through the
        build context (whose cache makes building the same sdist again free) and unzip that
        wheel into the cache, keyed by its digest like any local wheel."""
        import asyncio
        import dataclasses
        import tempfile

        from pyfin_client import ClientError

        context = self._build_context
        assert context is not None  # _check_build_allowed / _may_build let only this through
        client = self._client_or_fail(item.name)
        bucket = self.cache.bucket(CacheBucket.WHEELS)
        with tempfile.TemporaryDirectory(prefix=".tmp-", dir=bucket) as scratch:
            sdist = Path(scratch) / file.filename
            try:
                await client.download(file, sdist)
            except ClientError as exc:
                raise FetchFailed(file.filename, str(exc)) from exc
            needed = algorithms_of(item.hashes)
            digests = await asyncio.to_thread(file_digests, str(sdist), needed)
            check_digests(file.filename, digests, item.hashes)
            out_dir = Path(scratch) / "dist"
            out_dir.mkdir()
            try:
                wheel = await asyncio.to_thread(_build_wheel, context, sdist, item.name, out_dir)
            except Exception as exc:
                # The build context is another component: whatever it raises is this build's
                # failure (the backend's hook and output tail are in the chained cause).
                raise SourceBuildFailed(item.name, file.filename, str(exc)) from exc
            name, version = _wheel_name(wheel.name, item.describe())
            if name != item.name or version != file.version:
                reason = f"it built {wheel.name}, not a wheel of {item.name} {file.version}"
                raise SourceBuildFailed(item.name, file.filename, reason)
            # --hash covers the sdist (checked above), not the wheel built from it.
            plain = dataclasses.replace(item, hashes=())
            built = _Source(name, version, wheel.name, "", None, wheel)
            prepared = await self._prepare_source(plain, built)
        return dataclasses.replace(prepared, wanted=item)

    async def _build_editable(self, item: Wanted) -> PreparedWheel:
        """Build the PEP 660 editable wheel of the source tree ``item.url`` (a ``file:`` URL)
        through the build context, unzip it into the cache like a local wheel, and record
        ``direct_url.json`` as an editable directory."""
        import asyncio
        import dataclasses
        import tempfile
        from urllib.request import url2pathname

        context = self._build_context
        assert context is not None  # _prepare sends editables here only with a context
        url = item.url or ""
        parts = urllib.parse.urlsplit(url)
        tree = Path(url2pathname(parts.path))
        if parts.scheme != "file" or not tree.is_dir():
            raise NeedsBuild(item.describe(), "an editable install needs a local source tree")
        if _applies(self._no_build, item.name):
            raise BuildDisabled(item.describe(), item.name, tree.name)
        bucket = self.cache.bucket(CacheBucket.WHEELS)
        with tempfile.TemporaryDirectory(prefix=".tmp-", dir=bucket) as scratch:
            try:
                wheel = await asyncio.to_thread(
                    _build_wheel, context, tree, item.name, Path(scratch), editable=True
                )
            except Exception as exc:
                raise SourceBuildFailed(item.name, str(tree), str(exc)) from exc
            name, version = _wheel_name(wheel.name, item.describe())
            if name != item.name:
                reason = f"it built {wheel.name}, not a wheel of {item.name}"
                raise SourceBuildFailed(item.name, str(tree), reason)
            plain = Wanted(item.name, requested=item.requested)
            built = _Source(name, version, wheel.name, "", None, wheel)
            prepared = await self._prepare_source(plain, built)
        direct_url = DirectUrl(url=url, editable=True)
        return dataclasses.replace(prepared, wanted=item, direct_url=direct_url)

    async def _fetch(
        self, source: _Source, item: Wanted, entry_dir: Path, sidecar: CacheEntry
    ) -> dict[str, str]:
        import asyncio
        import tempfile

        needed = algorithms_of(item.hashes)
        if source.local is not None:
            digests = await asyncio.to_thread(file_digests, str(source.local), needed)
            await asyncio.to_thread(self._store, source.local, entry_dir, sidecar, digests)
            return digests
        assert source.file is not None
        from pyfin_client import ClientError

        client = self._client_or_fail(source.name)
        bucket = self.cache.bucket(CacheBucket.WHEELS)
        with tempfile.TemporaryDirectory(prefix=".tmp-", dir=bucket) as scratch:
            path = Path(scratch) / source.filename
            try:
                await client.download_wheel(source.file, path)
            except ClientError as exc:
                raise FetchFailed(source.filename, str(exc)) from exc
            except (OSError, CacheIOError) as exc:
                # Writing the download failed (a full disk, a file size limit): say where.
                cause = exc.cause if isinstance(exc, CacheIOError) else exc
                reason = f"cannot write it into the cache at {bucket} ({cause.strerror or cause})"
                raise FetchFailed(source.filename, reason) from exc
            digests = await asyncio.to_thread(file_digests, str(path), needed)
            check_digests(source.filename, digests, item.hashes)
            await asyncio.to_thread(self._store, path, entry_dir, sidecar, digests)
        return digests

    @staticmethod
    def _store(wheel: Path, entry_dir: Path, sidecar: CacheEntry, digests: dict[str, str]) -> None:
        # The digests go first: an entry that exists always has them (a killed run leaves at
        # most a sidecar without an entry, which the next run overwrites).
        previous = _load_digests(sidecar) or {}
        sidecar.write(json.dumps({**previous, **digests}, sort_keys=True).encode())
        if entry_dir.is_dir():
            return
        try:
            unpack(wheel, entry_dir)
        except (InstallWheelError, OSError) as exc:
            if not previous and not entry_dir.is_dir():
                sidecar.remove()  # a refused or unwritable wheel leaves nothing in the cache
            if isinstance(exc, InstallWheelError):
                raise FetchFailed(wheel.name, str(exc)) from exc
            # e.g. ENOSPC / EFBIG: say where, so the user knows which disk is full.
            where = entry_dir.parent
            reason = f"cannot unzip it into the cache at {where} ({exc.strerror or exc})"
            raise FetchFailed(wheel.name, reason) from exc


_SDIST_SUFFIXES = (".tar.gz", ".zip", ".tar.bz2", ".tgz", ".tar.xz", ".tar")


def _applies(names: frozenset[str], name: NormalizedName) -> bool:
    """Whether a ``--no-build``-style set (names or ``":all:"``) covers ``name``."""
    return ":all:" in names or name in names


def _select_sdist(files: Sequence[File], *, allow_yanked: bool) -> File | None:
    """The source distribution to build among ``files`` (``.tar.gz`` first), or None."""
    found = [
        f
        for f in files
        if not f.is_wheel
        and f.filename.lower().endswith(_SDIST_SUFFIXES)
        and (allow_yanked or not f.is_yanked)
    ]
    found.sort(key=lambda f: not f.filename.lower().endswith(".tar.gz"))
    return found[0] if found else None


def _build_wheel(
    context: BuildContext,
    source: Path,
    name: NormalizedName,
    out_dir: Path,
    *,
    editable: bool = False,
) -> Path:
    return context.setup_build(source, name=name, editable=editable).wheel(out_dir)


def _discard(entry_dir: Path) -> None:
    """Move a damaged entry out of readers' sight (a ``.tmp-`` name), then delete it; what
    cannot be deleted now is left for ``Cache.prune``."""
    import shutil
    import tempfile

    grave = Path(tempfile.mkdtemp(prefix=".tmp-", dir=entry_dir.parent))
    with contextlib.suppress(FileNotFoundError):  # another process discarded it first
        entry_dir.rename(grave / entry_dir.name)
    shutil.rmtree(grave, ignore_errors=True)


def wheel_name_of_url(url: str) -> str:
    """The project a wheel URL installs (from its file name), normalized.

    Raises ``NeedsBuild`` for a URL that is not a wheel (a source archive or tree)."""
    filename = urllib.parse.unquote(urllib.parse.urlsplit(url).path.rsplit("/", 1)[-1])
    return canonicalize_name(_wheel_name(filename, url)[0])
