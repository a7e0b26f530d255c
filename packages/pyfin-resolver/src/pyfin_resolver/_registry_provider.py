"""`RegistryProvider`: the resolver's `Provider` backed by `pyfin_client.RegistryClient`.

The resolver is synchronous; the client is async. The provider runs the client on an event loop
of its own thread (`LoopThread`). `prefetch` only schedules work there (the simple page of a
name, and the metadata of the file chosen for each hinted version, at most `prefetch_limit` at
once); `candidates` and `metadata` block on the answers, which the client shares with any
prefetch already in flight, so a hint followed by a question costs one fetch. As each page
arrives, a worker thread turns it into candidates (choosing a file per version) and the
metadata of the newest usable release is fetched speculatively, as uv does: it is the version
the resolver most often picks, and asking for it early takes a round trip off the critical path.

Source distributions whose metadata is not static (`NeedsBuild`) are downloaded and handed to
the `BuildContext`; when it cannot build them the version becomes `Unavailable` with the
context's message, so the resolver tries another version and names the reason if none works.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import itertools
import shutil
import tempfile
import threading
import zipfile
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import TypeVar

from packaging.requirements import Requirement
from packaging.specifiers import InvalidSpecifier, SpecifierSet
from packaging.tags import Tag
from packaging.utils import NormalizedName, canonicalize_name
from packaging.version import Version

from pyfin_client import (
    ClientError,
    File,
    InvalidFilename,
    MetadataError,
    NeedsBuild,
    PackageNotFound,
    RegistryClient,
    SimpleMetadata,
    parse_metadata,
)
from pyfin_client import Metadata as CoreMetadata
from pyfin_resolver._errors import ResolverError
from pyfin_resolver._file_choice import BinaryPolicy, FileChooser
from pyfin_resolver._loop_thread import LoopThread
from pyfin_resolver._provider import Candidate, Metadata, Unavailable
from pyfin_traits import BuildContext

__all__ = ["IndexLookupFailed", "RegistryProvider"]

T = TypeVar("T")

#: Metadata fetches started by hints at once (the client bounds connections on its own; this
#: keeps demanded fetches from queueing behind a long run of speculative ones).
DEFAULT_PREFETCH_LIMIT = 48


@dataclass(frozen=True, slots=True)
class _Listing:
    page: SimpleMetadata
    candidates: list[Candidate]


class IndexLookupFailed(ResolverError):
    """The index could not say what the resolver asked (`what`: "versions" or "metadata" of
    `name`); the client's error is the `__cause__`."""

    def __init__(self, name: str, what: str) -> None:
        super().__init__(name, what)
        self.name = name
        self.what = what

    def __str__(self) -> str:
        return f"Failed to fetch the {self.what} of `{self.name}` while resolving"


class RegistryProvider:
    """A `Provider` over package indexes (see the module docstring).

    `client_factory` makes the client on the provider's loop (one client per provider; it is
    closed by `close`). `tags` are the target's supported tags, most preferred first.
    `context` builds source distributions whose metadata needs a build. Each candidate's
    `origin` (hence `ResolvedDist.origin`) is the `pyfin_client.File` chosen for it.
    `markers` (the target's marker environment) lets speculation skip dependencies that do not
    apply; without it, only those behind an `extra` marker are skipped. Use as a context
    manager, or call `close()`: it stops the loop and removes downloaded sdists.
    """

    def __init__(
        self,
        client_factory: Callable[[], RegistryClient],
        tags: Sequence[Tag],
        context: BuildContext,
        *,
        policy: BinaryPolicy | None = None,
        markers: Mapping[str, str] | None = None,
        prefetch_limit: int = DEFAULT_PREFETCH_LIMIT,
    ) -> None:
        from pyfin_client import tag_priorities

        self._chooser = FileChooser(tag_priorities(tags), policy or BinaryPolicy())
        self._context = context
        self._loop = LoopThread("pyfin-resolver-client")
        # Turning a page into candidates is CPU work (thousands of files for some projects);
        # one worker thread does it as pages arrive, overlapping the resolver's waits.
        self._cpu = concurrent.futures.ThreadPoolExecutor(1, "pyfin-resolver-candidates")
        self._client = self._loop.run(_call(client_factory))
        self._semaphore = self._loop.run(_semaphore(prefetch_limit))
        self._markers = {**markers, "extra": ""} if markers is not None else None
        self._listings: dict[NormalizedName, concurrent.futures.Future[_Listing]] = {}
        self._listings_lock = threading.Lock()
        self._background: set[asyncio.Task[None]] = set()
        self._scratch: Path | None = None
        self._builds = itertools.count()

    # -- Provider ---------------------------------------------------------------------------

    def candidates(self, name: NormalizedName) -> Sequence[Candidate] | None:
        try:
            return self._listing(name).result().candidates
        except PackageNotFound:
            return None
        except ClientError as exc:
            raise IndexLookupFailed(name, "versions") from exc

    def metadata(self, name: NormalizedName, candidate: Candidate) -> Metadata | Unavailable:
        file = candidate.origin
        assert isinstance(file, File), "candidates come from this provider"
        try:
            found = self._loop.run(self._client.metadata(file))
        except (MetadataError, InvalidFilename) as exc:
            return Unavailable(f"has unusable metadata ({exc})")
        except ClientError as exc:
            raise IndexLookupFailed(f"{name}=={candidate.version}", "metadata") from exc
        if isinstance(found, NeedsBuild):
            return self._built_metadata(name, found)
        return _convert(found)

    def files(self, name: NormalizedName, version: Version) -> tuple[File, ...]:
        """Every file of `version` of `name` (e.g. for `--generate-hashes`); blocks on the
        simple page (already fetched for a resolved package). Raises `IndexLookupFailed`."""
        try:
            return self._listing(name).result().page.files(version)
        except ClientError as exc:
            raise IndexLookupFailed(name, "versions") from exc

    def prefetch(self, name: NormalizedName, versions: Sequence[Version]) -> None:
        listing = self._listing(name)
        if versions:
            self._loop.submit(self._prefetch_metadata(listing, versions))

    # -- helpers ----------------------------------------------------------------------------

    def _listing(self, name: NormalizedName) -> concurrent.futures.Future[_Listing]:
        """The page and candidates of `name`, fetched and built once. Called from the
        resolver's thread and, while speculating, from the loop's."""
        with self._listings_lock:
            future = self._listings.get(name)
            if future is None:
                future = self._listings[name] = self._loop.submit(self._load(name))
            return future

    async def _load(self, name: NormalizedName) -> _Listing:
        page = await self._client.simple(name)
        loop = asyncio.get_running_loop()
        candidates = await loop.run_in_executor(self._cpu, self._make_candidates, name, page)
        # Speculate: the newest plain release is what the resolver most often picks, so its
        # metadata is fetched now, and then the pages of its dependencies, and so on: the
        # dependency graph is walked ahead of the resolver instead of one level per decision.
        likely = next(
            (
                c
                for c in candidates
                if c.unavailable is None and not c.yanked and not c.version.is_prerelease
            ),
            None,
        )
        if likely is not None:
            task = asyncio.create_task(self._quietly_fetch(likely, follow=True))
            self._background.add(task)
            task.add_done_callback(self._background.discard)
        return _Listing(page, candidates)

    def _make_candidates(self, name: NormalizedName, page: SimpleMetadata) -> list[Candidate]:
        """One candidate per listed version, newest first."""
        found = []
        for version in page.versions:
            choice = self._chooser.choose(name, page.files(version))
            requires_python = None
            unavailable = choice.unavailable
            if choice.file is not None and choice.file.requires_python is not None:
                requires_python = _specifier(choice.file.requires_python)
                if requires_python is None:
                    unavailable = "declares an invalid Requires-Python"
            found.append(
                Candidate(
                    version=version,
                    requires_python=requires_python,
                    yanked=choice.yanked,
                    unavailable=unavailable,
                    origin=choice.file,
                )
            )
        return found

    async def _prefetch_metadata(
        self, listing: concurrent.futures.Future[_Listing], versions: Sequence[Version]
    ) -> None:
        try:
            candidates = (await asyncio.wrap_future(listing)).candidates
        except ClientError:
            return
        wanted = set(versions)
        await asyncio.gather(*(self._quietly_fetch(c) for c in candidates if c.version in wanted))

    async def _quietly_fetch(self, candidate: Candidate, *, follow: bool = False) -> None:
        """Fetch `candidate`'s metadata ahead of need; with `follow`, then start listing its
        dependencies. Failures are dropped: the resolver asks again if it needs the answer,
        and then the error surfaces where it can be attributed."""
        if not isinstance(candidate.origin, File):
            return
        async with self._semaphore:
            try:
                metadata = await self._client.metadata(candidate.origin)
            except Exception:  # speculative: the real request, if made, reports the failure
                return
        if follow and isinstance(metadata, CoreMetadata):
            for requirement in metadata.requires_dist:
                if self._may_apply(requirement):
                    self._listing(canonicalize_name(requirement.name))

    def _may_apply(self, requirement: Requirement) -> bool:
        marker = requirement.marker
        if marker is None:
            return True
        if self._markers is None:
            return "extra" not in str(marker)
        try:
            return marker.evaluate(self._markers)
        except ValueError:  # a name missing from the environment: not worth a guess
            return False

    def _built_metadata(self, name: NormalizedName, needs: NeedsBuild) -> Metadata | Unavailable:
        """Metadata of an sdist through the build context; its failure makes `Unavailable`."""
        if self._context.no_build:
            return Unavailable("has only a source distribution and building is disabled")
        file = needs.file
        if self._scratch is None:
            self._scratch = Path(tempfile.mkdtemp(prefix="pyfin-resolve-"))
        folder = self._scratch / str(next(self._builds))
        folder.mkdir()
        try:
            source = self._loop.run(self._client.download(file, folder / file.filename))
        except ClientError as exc:
            raise IndexLookupFailed(f"{name}=={file.version}", "source distribution") from exc
        # The build context is another component (the CLI's BuildDispatch): whatever it raises
        # means "this version cannot be built", which the resolver reports per version.
        try:
            build = self._context.setup_build(source, name=name)
            dist_info = build.metadata()
            if dist_info is not None:
                data = (dist_info / "METADATA").read_bytes()
            else:
                wheel = build.wheel(folder)
                data = _wheel_metadata(wheel)
        except Exception as exc:
            return Unavailable(f"could not be built: {exc}")
        try:
            return _convert(parse_metadata(data, file.filename))
        except MetadataError as exc:
            return Unavailable(f"has unusable metadata after building ({exc})")

    def close(self) -> None:
        """Close the client, stop the loop, remove downloaded source distributions.

        Speculative fetches still in flight are cancelled first: closing the client under
        them would make each fail on its torn-down connection."""
        try:
            self._loop.cancel_pending()
            self._loop.run(self._client.aclose())
        finally:
            self._loop.close()
            self._cpu.shutdown(wait=True, cancel_futures=True)
            if self._scratch is not None:
                shutil.rmtree(self._scratch, ignore_errors=True)

    def __enter__(self) -> RegistryProvider:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()


async def _call(factory: Callable[[], T]) -> T:
    return factory()


async def _semaphore(limit: int) -> asyncio.Semaphore:
    return asyncio.Semaphore(limit)


@lru_cache(maxsize=2048)
def _specifier(text: str) -> SpecifierSet | None:
    try:
        return SpecifierSet(text)
    except InvalidSpecifier:
        return None


def _convert(metadata: CoreMetadata) -> Metadata:
    return Metadata(
        requires_dist=metadata.requires_dist,
        provides_extras=frozenset(metadata.provides_extra),
        requires_python=metadata.requires_python,
    )


def _wheel_metadata(wheel: Path) -> bytes:
    with zipfile.ZipFile(wheel) as archive:
        for member in archive.namelist():
            parts = member.split("/")
            if len(parts) == 2 and parts[0].endswith(".dist-info") and parts[1] == "METADATA":
                return archive.read(member)
    raise MetadataError(wheel.name, "the built wheel has no .dist-info/METADATA")
