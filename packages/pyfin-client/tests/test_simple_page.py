"""Parsing PEP 691 JSON and PEP 503 HTML pages into files."""

from __future__ import annotations

import json
from datetime import datetime, timezone

import pytest

from pyfin_client import File, IndexPageError, IndexUrl, WheelFilename
from pyfin_client._simple_page import Row, keyed_rows, make_file, parse_html_page, parse_json_page

PAGE = "https://example.org/simple/foo/"
INDEX = IndexUrl.parse("https://example.org/simple")


def files_from_rows(rows: list[Row], index: IndexUrl) -> list[File]:
    return [make_file(name, version, row, index) for name, version, row in keyed_rows(rows)]


def test_json_page_fields() -> None:
    body = json.dumps(
        {
            "meta": {"api-version": "1.1"},
            "name": "foo",
            "files": [
                {
                    "filename": "foo-1.0-py3-none-any.whl",
                    "url": "../../files/foo-1.0-py3-none-any.whl",
                    "hashes": {"SHA256": "AB12"},
                    "requires-python": ">=3.8",
                    "yanked": "broken build",
                    "size": 10,
                    "upload-time": "2023-10-01T12:00:00.123Z",
                    "core-metadata": {"sha256": "cd34"},
                },
                {
                    "filename": "foo-1.0.tar.gz",
                    "url": "https://files.example.org/foo-1.0.tar.gz#sha256=ef56",
                    "hashes": {},
                    "yanked": True,
                    "dist-info-metadata": True,
                },
                {"filename": "foo-1.0.win32.exe", "url": "x.exe", "hashes": {}},
            ],
        }
    ).encode()
    wheel, sdist = files_from_rows(parse_json_page(body, PAGE), INDEX)
    assert wheel.url == "https://example.org/files/foo-1.0-py3-none-any.whl"
    assert wheel.hashes == (("sha256", "ab12"),)
    assert wheel.requires_python == ">=3.8"
    assert wheel.yanked == "broken build" and wheel.is_yanked
    assert wheel.size == 10
    assert wheel.upload_time == datetime(2023, 10, 1, 12, 0, 0, 123000, tzinfo=timezone.utc)
    assert wheel.metadata_advertised and wheel.metadata_hashes == (("sha256", "cd34"),)
    assert isinstance(wheel.dist, WheelFilename) and str(wheel.version) == "1.0"
    assert sdist.url == "https://files.example.org/foo-1.0.tar.gz"
    assert sdist.hashes == (("sha256", "ef56"),)  # from the fragment when "hashes" is empty
    assert sdist.yanked == "" and sdist.metadata_advertised and sdist.metadata_hashes == ()
    assert not sdist.is_wheel


def test_html_page_fields_and_relative_links() -> None:
    body = b"""<!DOCTYPE html><html><body>
    <a href="../../files/foo-1.0-py3-none-any.whl#sha256=AA"
       data-requires-python="&gt;=3.7" data-core-metadata="sha256=bb">foo-1.0-py3-none-any.whl</a>
    <a href="/other/foo-0.9.zip" data-yanked="">foo-0.9.zip</a>
    <a href="foo-0.8.tar.gz" data-yanked="security hole" data-dist-info-metadata>x</a>
    <a>no href</a>
    </body></html>"""
    first, second, third = files_from_rows(parse_html_page(body, PAGE), INDEX)
    assert first.url == "https://example.org/files/foo-1.0-py3-none-any.whl"
    assert first.hashes == (("sha256", "aa"),)
    assert first.requires_python == ">=3.7"
    assert first.metadata_advertised and first.metadata_hashes == (("sha256", "bb"),)
    assert first.yanked is None
    assert second.url == "https://example.org/other/foo-0.9.zip" and second.yanked == ""
    assert third.url == "https://example.org/simple/foo/foo-0.8.tar.gz"
    assert third.yanked == "security hole"
    assert third.metadata_advertised


def test_html_base_href() -> None:
    body = b'<html><head><base href="https://cdn.example.org/pkgs/"></head>'
    body += b'<a href="foo-1.0.tar.gz">foo-1.0.tar.gz</a></html>'
    (file,) = files_from_rows(parse_html_page(body, PAGE), INDEX)
    assert file.url == "https://cdn.example.org/pkgs/foo-1.0.tar.gz"


def test_invalid_json_is_a_clear_error() -> None:
    with pytest.raises(IndexPageError) as info:
        parse_json_page(b"{not json", "https://user:secret@example.org/simple/foo/")
    assert "secret" not in str(info.value)
    assert str(info.value).startswith("The index page https://****@example.org/simple/foo/")
