"""Freshness rules of cached pages and their on-disk form."""

from __future__ import annotations

from pyfin_client._http_cache import Freshness, dump_page, freshness, load_page
from pyfin_client._simple_page import Row

NOW = 1_000_000.0
ROW: Row = (
    "a-1.0.tar.gz",
    "https://x/a-1.0.tar.gz",
    (("sha256", "ab"),),
    None,
    None,
    3,
    None,
    False,
    (),
)


def test_max_age_minus_age() -> None:
    fresh = freshness({"cache-control": "public, max-age=600", "age": "100", "etag": '"e"'}, NOW)
    assert fresh == Freshness(NOW + 500, '"e"', None)
    assert fresh.is_fresh(NOW + 499) and not fresh.is_fresh(NOW + 500)


def test_expires_relative_to_date() -> None:
    headers = {
        "expires": "Thu, 01 Jan 2026 00:10:00 GMT",
        "date": "Thu, 01 Jan 2026 00:00:00 GMT",
        "last-modified": "Wed, 31 Dec 2025 00:00:00 GMT",
    }
    fresh = freshness(headers, NOW)
    assert fresh is not None and fresh.fresh_until == NOW + 600
    assert fresh.conditional_headers() == {"If-Modified-Since": "Wed, 31 Dec 2025 00:00:00 GMT"}


def test_no_cache_no_headers_and_no_store() -> None:
    assert freshness({"cache-control": "no-cache, max-age=600"}, NOW) == Freshness(0.0, None, None)
    nothing = freshness({}, NOW)
    assert nothing == Freshness(0.0, None, None) and not nothing.can_revalidate
    assert freshness({"cache-control": "no-store"}, NOW) is None
    assert freshness({"cache-control": "max-age=bogus"}, NOW) == Freshness(0.0, None, None)


def test_round_trip_and_garbage() -> None:
    fresh = Freshness(NOW, '"e"', None)
    assert load_page(dump_page(fresh, [ROW])) == (fresh, (ROW,))
    assert load_page(b"") is None
    assert load_page(b"\x00\x01garbage") is None
    assert load_page(dump_page(fresh, [ROW])[:-3]) is None


def test_right_shape_wrong_types_is_a_miss() -> None:
    import marshal

    fresh = Freshness(NOW, '"e"', None)
    good = marshal.loads(dump_page(fresh, [ROW]))
    wrong: tuple[tuple[int, str | int | tuple[tuple[str]]], ...] = (
        (0, 7),
        (2, "sha256"),
        (2, (("sha256",),)),
        (5, "3"),
        (7, 1),
    )
    for position, value in wrong:
        row = (*ROW[:position], value, *ROW[position + 1 :])
        assert load_page(marshal.dumps((*good[:4], (row,)))) is None, position
    assert load_page(marshal.dumps((good[0], "soon", None, None, (ROW,)))) is None
    assert load_page(marshal.dumps((good[0], NOW, 1, None, (ROW,)))) is None
