"""Parsing simple-API pages: PEP 691 JSON and PEP 503 HTML, into compact rows.

A row is a plain tuple (see ``Row``) so a parsed page can be stored with ``marshal`` and
loaded back fast; ``keyed_rows`` adds project and version, ``make_file`` builds a ``File``.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from datetime import datetime
from html.parser import HTMLParser
from typing import Any
from urllib.parse import unquote, urljoin, urlsplit

from packaging.utils import NormalizedName
from packaging.version import Version

from ._errors import IndexPageError
from ._filename import name_and_version
from ._index import FindLinks, IndexUrl
from ._models import File, Hashes

JSON_CONTENT_TYPE = "application/vnd.pypi.simple.v1+json"
ACCEPT = f"{JSON_CONTENT_TYPE}, application/vnd.pypi.simple.v1+html;q=0.2, text/html;q=0.01"

# (filename, url, hashes, requires_python, yanked, size, upload_time,
#  metadata_advertised, metadata_hashes)
Row = tuple[str, str, Hashes, str | None, str | None, int | None, str | None, bool, Hashes]
KeyedRow = tuple[NormalizedName, Version, Row]


def _hashes(mapping: dict[str, str]) -> Hashes:
    if len(mapping) == 1:
        ((key, value),) = mapping.items()
        return ((key.lower(), value.lower()),)
    return tuple(sorted((k.lower(), v.lower()) for k, v in mapping.items()))


_HASH_NAMES = frozenset({"sha256", "sha384", "sha512", "md5", "sha1", "sha224"})


def _absolute(base: str, href: str) -> str:
    # urljoin costs ~50 us; index pages (PyPI's) mostly carry absolute URLs already.
    if href.startswith(("https://", "http://")):
        return href
    return urljoin(base, href)


def _split_fragment(url: str) -> tuple[str, Hashes]:
    """Split ``url#sha256=...`` into the URL without fragment and the hash it names."""
    url, _, fragment = url.partition("#")
    hashes: Hashes = ()
    if fragment:
        algo, sep, digest = fragment.partition("=")
        if sep and algo.lower() in _HASH_NAMES:
            hashes = ((algo.lower(), digest.lower()),)
    return url, hashes


def _filename_of(url: str) -> str:
    return unquote(urlsplit(url).path.rpartition("/")[2])


def _metadata_field(value: object) -> tuple[bool, Hashes]:
    """Decode a PEP 658/714 value: bool, or a hash mapping (JSON) / ``algo=hex`` (HTML)."""
    if value is None or value is False:
        return False, ()
    if isinstance(value, dict):
        return True, _hashes(value)
    if isinstance(value, str):
        if value.lower() == "true" or not value:
            return True, ()
        algo, sep, digest = value.partition("=")
        return True, (((algo.lower(), digest.lower()),) if sep else ())
    return bool(value), ()


def parse_json_page(data: bytes, url: str) -> list[Row]:
    """Rows of a PEP 691 JSON page fetched from ``url`` (relative file URLs resolve against it).

    Raises ``IndexPageError`` for invalid JSON or a missing ``files`` list.
    """
    try:
        page = json.loads(data)
        files: list[dict[str, Any]] = page["files"]
    except (ValueError, KeyError, TypeError) as exc:
        raise IndexPageError(url, f"invalid PEP 691 JSON ({exc})") from exc
    rows: list[Row] = []
    for entry in files:
        try:
            file_url, fragment_hashes = _split_fragment(_absolute(url, entry["url"]))
            yanked = entry.get("yanked", False)
            metadata = entry.get("core-metadata", entry.get("dist-info-metadata"))
            advertised, metadata_hashes = _metadata_field(metadata)
            rows.append(
                (
                    entry["filename"],
                    file_url,
                    _hashes(entry.get("hashes") or {}) or fragment_hashes,
                    entry.get("requires-python") or None,
                    (yanked if isinstance(yanked, str) else "") if yanked else None,
                    entry.get("size"),
                    entry.get("upload-time"),
                    advertised,
                    metadata_hashes,
                )
            )
        except (KeyError, TypeError, AttributeError) as exc:
            raise IndexPageError(url, f"malformed file entry {entry!r} ({exc})") from exc
    return rows


class _AnchorParser(HTMLParser):
    """Collects ``<a>`` attributes and text, and the ``<base href>`` if any."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.base: str | None = None
        self.anchors: list[dict[str, str | None]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "a":
            self.anchors.append(dict(attrs))
        elif tag == "base" and self.base is None:
            self.base = dict(attrs).get("href")


_METADATA_ATTRS = ("data-core-metadata", "data-dist-info-metadata")


def parse_html_page(data: bytes, url: str) -> list[Row]:
    """Rows of a PEP 503 HTML page (or a find-links HTML page) fetched from ``url``.

    The filename is the last path segment of each link; links without one are skipped.
    """
    parser = _AnchorParser()
    try:
        parser.feed(data.decode("utf-8", errors="replace"))
        parser.close()
    except AssertionError as exc:  # html.parser's way of reporting broken markup
        raise IndexPageError(url, f"invalid HTML ({exc})") from exc
    base = urljoin(url, parser.base) if parser.base else url
    rows: list[Row] = []
    for attrs in parser.anchors:
        href = attrs.get("href")
        if not href:
            continue
        file_url, hashes = _split_fragment(_absolute(base, href))
        filename = _filename_of(file_url)
        if not filename:
            continue
        yanked = attrs.get("data-yanked")
        key = next((k for k in _METADATA_ATTRS if k in attrs), None)
        advertised, metadata_hashes = _metadata_field(attrs[key] or "true") if key else (False, ())
        rows.append(
            (
                filename,
                file_url,
                hashes,
                attrs.get("data-requires-python") or None,
                (yanked or "") if "data-yanked" in attrs else None,
                None,
                None,
                advertised,
                metadata_hashes,
            )
        )
    return rows


def keyed_rows(rows: Iterable[Row]) -> list[KeyedRow]:
    """Rows with the project and version their filename names; other files are skipped."""
    keyed = []
    for row in rows:
        found = name_and_version(row[0])
        if found is not None:
            keyed.append((found[0], found[1], row))
    return keyed


def upload_time(row: Row) -> datetime | None:
    text = row[6]
    return datetime.fromisoformat(text.replace("Z", "+00:00")) if text else None


def make_file(
    name: NormalizedName, version: Version, row: Row, index: IndexUrl | FindLinks
) -> File:
    """The ``File`` of one row (called lazily, per version, by ``SimpleMetadata``)."""
    filename, url, hashes, rp, yanked, size, _upload, advertised, mhashes = row
    return File(
        filename=filename,
        name=name,
        version=version,
        url=url,
        index=index,
        hashes=hashes,
        requires_python=rp,
        yanked=yanked,
        size=size,
        upload_time=upload_time(row),
        metadata_advertised=advertised,
        metadata_hashes=mhashes,
    )
