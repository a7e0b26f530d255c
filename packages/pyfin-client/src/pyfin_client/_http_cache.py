"""HTTP freshness of simple pages (Cache-Control, Expires, ETag, Last-Modified) and the
on-disk form of a cached page: ``marshal`` of plain tuples, the fastest form to load.

A stored page is ``(FORMAT, fresh_until, etag, last_modified, rows)``; anything that does not
load as exactly that (truncated, older format, foreign bytes) is a cache miss.
"""

from __future__ import annotations

import marshal
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from email.utils import parsedate_to_datetime

from ._simple_page import Row

_FORMAT = 1


@dataclass(frozen=True, slots=True)
class Freshness:
    """When a cached response stops being fresh (epoch seconds; 0 = revalidate every time),
    and the validators to revalidate it with."""

    fresh_until: float
    etag: str | None
    last_modified: str | None

    def is_fresh(self, now: float) -> bool:
        return now < self.fresh_until

    def conditional_headers(self) -> dict[str, str]:
        """``If-None-Match`` / ``If-Modified-Since`` for a revalidating request."""
        headers = {}
        if self.etag is not None:
            headers["If-None-Match"] = self.etag
        if self.last_modified is not None:
            headers["If-Modified-Since"] = self.last_modified
        return headers

    @property
    def can_revalidate(self) -> bool:
        return self.etag is not None or self.last_modified is not None


def _directives(value: str) -> dict[str, str]:
    found = {}
    for part in value.split(","):
        key, _, arg = part.strip().partition("=")
        if key:
            found[key.lower()] = arg.strip().strip('"')
    return found


def _http_date(value: str | None) -> float | None:
    if not value:
        return None
    try:
        return parsedate_to_datetime(value).timestamp()
    except (TypeError, ValueError, IndexError):
        return None


def freshness(headers: Mapping[str, str], now: float) -> Freshness | None:
    """Freshness of a response received at ``now`` (headers with lowercase names), or None
    when it must not be stored (``no-store``). Without Cache-Control max-age or Expires the
    response is stale at once (no heuristic freshness: pages change when packages upload)."""
    control = _directives(headers.get("cache-control", ""))
    if "no-store" in control:
        return None
    fresh_until = 0.0
    if "no-cache" not in control:
        if "max-age" in control:
            try:
                age = float(headers.get("age", "0") or 0)
                fresh_until = now + max(float(control["max-age"]) - age, 0.0)
            except ValueError:
                fresh_until = 0.0
        elif (expires := _http_date(headers.get("expires"))) is not None:
            date = _http_date(headers.get("date")) or now
            fresh_until = now + max(expires - date, 0.0)
    return Freshness(fresh_until, headers.get("etag"), headers.get("last-modified"))


def dump_page(fresh: Freshness, rows: Sequence[Row]) -> bytes:
    return marshal.dumps((_FORMAT, fresh.fresh_until, fresh.etag, fresh.last_modified, tuple(rows)))


def load_page(data: bytes) -> tuple[Freshness, tuple[Row, ...]] | None:
    """Inverse of ``dump_page``; None for anything that is not a current-format page."""
    try:
        value = marshal.loads(data)
    except (ValueError, EOFError, TypeError):
        return None
    if not (isinstance(value, tuple) and len(value) == 5 and value[0] == _FORMAT):
        return None
    _, fresh_until, etag, last_modified, rows = value
    if not (
        isinstance(fresh_until, (int, float))
        and isinstance(etag, (str, type(None)))
        and isinstance(last_modified, (str, type(None)))
        and isinstance(rows, tuple)
        and all(_is_row(row) for row in rows)
    ):
        return None
    return Freshness(fresh_until, etag, last_modified), rows


_OPTIONAL_STR = (str, type(None))


def _is_hashes(value: object) -> bool:
    return isinstance(value, tuple) and all(
        isinstance(pair, tuple)
        and len(pair) == 2
        and isinstance(pair[0], str)
        and isinstance(pair[1], str)
        for pair in value
    )


def _is_row(row: object) -> bool:
    """Whether ``row`` has the shape and field types of a ``Row`` (damaged bytes can unmarshal
    into a tuple of the right length holding other types)."""
    return (
        isinstance(row, tuple)
        and len(row) == 9
        and isinstance(row[0], str)
        and isinstance(row[1], str)
        and _is_hashes(row[2])
        and isinstance(row[3], _OPTIONAL_STR)
        and isinstance(row[4], _OPTIONAL_STR)
        and isinstance(row[5], (int, type(None)))
        and isinstance(row[6], _OPTIONAL_STR)
        and isinstance(row[7], bool)
        and _is_hashes(row[8])
    )
