"""Values handed to callers: ``File``, ``SimpleMetadata``, core ``Metadata``, ``NeedsBuild``."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import datetime

from packaging.requirements import Requirement
from packaging.specifiers import SpecifierSet
from packaging.utils import NormalizedName
from packaging.version import Version

from ._filename import DistFilename, parse_filename_cached
from ._index import FindLinks, IndexUrl
from ._redact import redact_url

Hashes = tuple[tuple[str, str], ...]
"""``((algorithm, lowercase hex digest), ...)``, sorted by algorithm."""


@dataclass(frozen=True, slots=True)
class File:
    """One distribution file offered by an index or a find-links location.

    ``url`` is absolute and credential-free (credentials live with ``index``). ``yanked`` is
    None when the file is not yanked, else the reason (``""`` when none was given, PEP 592).
    ``metadata_advertised`` says the index serves ``<url>.metadata`` (PEP 658/714), whose
    hashes are ``metadata_hashes``. ``upload_time`` (PEP 700) is timezone-aware or None.
    """

    filename: str
    name: NormalizedName
    version: Version
    url: str
    index: IndexUrl | FindLinks = field(repr=False)
    hashes: Hashes = ()
    requires_python: str | None = None
    yanked: str | None = None
    size: int | None = None
    upload_time: datetime | None = None
    metadata_advertised: bool = False
    metadata_hashes: Hashes = ()

    @property
    def dist(self) -> DistFilename:
        """The fully parsed filename (wheel tags, build number), memoized per process.

        Raises ``InvalidFilename`` for a wheel name that is malformed beyond its name and
        version (callers treat such a file as unusable)."""
        return parse_filename_cached(self.filename)

    @property
    def is_wheel(self) -> bool:
        return self.filename.endswith(".whl")

    @property
    def is_yanked(self) -> bool:
        return self.yanked is not None

    @property
    def sha256(self) -> str | None:
        return dict(self.hashes).get("sha256")

    @property
    def redacted_url(self) -> str:
        return redact_url(self.url)


FileSource = Callable[[], File]


@dataclass(frozen=True, slots=True, eq=False)
class SimpleMetadata:
    """The files of one project over all locations used, grouped by version.

    ``versions`` is newest first. ``File`` objects are built on first access per version
    (pages list thousands of files; a resolver looks at few), then kept. With
    ``IndexStrategy.FIRST_INDEX`` only the first index that knows the project contributes (plus
    find-links); with ``UNSAFE_BEST_MATCH`` every index does, in priority order, so for one
    version the files of the higher-priority index come first.
    """

    name: NormalizedName
    versions: tuple[Version, ...]
    _sources: Mapping[Version, tuple[FileSource, ...]] = field(repr=False)
    _built: dict[Version, tuple[File, ...]] = field(default_factory=dict, repr=False)

    def files(self, version: Version) -> tuple[File, ...]:
        """The files of ``version`` (KeyError if the project has no such version)."""
        built = self._built.get(version)
        if built is None:
            built = self._built[version] = tuple(make() for make in self._sources[version])
        return built

    def __iter__(self) -> Iterator[tuple[Version, tuple[File, ...]]]:
        """``(version, files)`` pairs, newest first (builds every ``File``)."""
        for version in self.versions:
            yield version, self.files(version)

    def all_files(self) -> Iterator[File]:
        for _, files in self:
            yield from files

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, SimpleMetadata):
            return NotImplemented
        return self.name == other.name and list(self) == list(other)

    __hash__ = None  # type: ignore[assignment]


@dataclass(frozen=True, slots=True)
class Metadata:
    """The core metadata fields a resolver needs (from METADATA or PKG-INFO).

    ``requires_dist`` keeps markers (``extra == "x"`` included); ``dynamic`` lists the
    lowercased field names a PKG-INFO declared Dynamic (Metadata-Version 2.2+).
    """

    name: NormalizedName
    version: Version
    requires_dist: tuple[Requirement, ...] = ()
    requires_python: SpecifierSet | None = None
    provides_extra: tuple[NormalizedName, ...] = ()
    dynamic: tuple[str, ...] = ()
    metadata_version: str = "2.1"


@dataclass(frozen=True, slots=True)
class NeedsBuild:
    """``metadata(file)`` could not answer without building ``file`` (an sdist); ``reason``
    says why (no PKG-INFO, Metadata-Version below 2.2, or a dependency field is Dynamic)."""

    file: File
    reason: str
