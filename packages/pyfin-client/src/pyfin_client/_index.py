"""Where packages come from: index URLs, find-links locations and the strategy across them."""

from __future__ import annotations

import enum
import hashlib
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from ._redact import redact_url, split_credentials

PYPI_URL = "https://pypi.org/simple"
"""The default index. The only place in pyfin that spells PyPI's address."""


class IndexStrategy(enum.Enum):
    """How versions of one package are gathered from several indexes."""

    FIRST_INDEX = "first-index"
    """Use only the first index (in priority order) that knows the package at all. The default:
    it stops dependency confusion, where a public index shadows a private package's name."""
    UNSAFE_BEST_MATCH = "unsafe-best-match"
    """Merge every index's versions and pick the best; same version: the first index wins."""


def _cache_key(url: str) -> str:
    """A short, filesystem-safe, credential-free folder name for ``url`` (host + digest)."""
    parts = urlsplit(url)
    host = (parts.hostname or "local").replace(":", "_")
    digest = hashlib.sha256(url.encode()).hexdigest()[:16]
    return f"{host}-{digest}"


@dataclass(frozen=True, slots=True)
class IndexUrl:
    """A simple-API index root. ``url`` has no credentials and ends with ``/``.

    ``credentials`` holds the ``(username, password)`` the URL carried; they are never shown
    (``repr`` hides them, ``str`` is the redacted URL).
    """

    url: str
    credentials: tuple[str, str] | None = field(default=None, repr=False, compare=False)

    @classmethod
    def parse(cls, text: str) -> IndexUrl:
        """Accept a URL (``https://``, ``http://``, ``file://``) or a local directory path."""
        if "://" not in text:
            text = Path(text).resolve().as_uri()
        url, credentials = split_credentials(text)
        if not url.endswith("/"):
            url += "/"
        return cls(url, credentials)

    @property
    def cache_key(self) -> str:
        """The index's folder in the SIMPLE and METADATA buckets (credential-free)."""
        return _cache_key(self.url)

    @property
    def is_file(self) -> bool:
        return self.url.startswith("file://")

    def page_url(self, name: str) -> str:
        """The simple page URL of a normalized project name (PEP 503)."""
        return f"{self.url}{name}/"

    def __str__(self) -> str:
        return redact_url(self.url)


@dataclass(frozen=True, slots=True)
class FindLinks:
    """A ``--find-links`` location: a local directory of files, or an HTML page of links."""

    url: str
    credentials: tuple[str, str] | None = field(default=None, repr=False, compare=False)

    @classmethod
    def parse(cls, text: str) -> FindLinks:
        if "://" not in text:
            text = Path(text).resolve().as_uri()
        url, credentials = split_credentials(text)
        return cls(url, credentials)

    @property
    def cache_key(self) -> str:
        return _cache_key(self.url)

    @property
    def is_file(self) -> bool:
        return self.url.startswith("file://")

    def __str__(self) -> str:
        return redact_url(self.url)


@dataclass(frozen=True, slots=True)
class IndexLocations:
    """The indexes and find-links locations of one run, in priority order.

    As in uv, ``--extra-index-url`` entries come before ``--index-url`` (extras are usually the
    private ones). Find-links files are always added to what the indexes offer.
    """

    index_url: IndexUrl | None = field(default_factory=lambda: IndexUrl.parse(PYPI_URL))
    extra_index_urls: tuple[IndexUrl, ...] = ()
    find_links: tuple[FindLinks, ...] = ()
    strategy: IndexStrategy = IndexStrategy.FIRST_INDEX

    @classmethod
    def from_args(
        cls,
        *,
        index_url: str | None = None,
        extra_index_urls: Sequence[str] = (),
        find_links: Sequence[str] = (),
        no_index: bool = False,
        strategy: IndexStrategy | str = IndexStrategy.FIRST_INDEX,
    ) -> IndexLocations:
        """Build from command-line style values; ``no_index`` drops every index (find-links
        stay). Raises ``ValueError`` for an unknown strategy name."""
        return cls(
            index_url=None if no_index else IndexUrl.parse(index_url or PYPI_URL),
            extra_index_urls=() if no_index else tuple(IndexUrl.parse(u) for u in extra_index_urls),
            find_links=tuple(FindLinks.parse(f) for f in find_links),
            strategy=IndexStrategy(strategy),
        )

    @property
    def indexes(self) -> tuple[IndexUrl, ...]:
        """Every index, highest priority first."""
        main = (self.index_url,) if self.index_url is not None else ()
        return (*self.extra_index_urls, *main)
