"""``file://`` locations: local simple indexes and find-links directories."""

from __future__ import annotations

import os
from pathlib import Path
from urllib.parse import unquote, urlsplit

from ._simple_page import Row


def path_of(url: str) -> Path:
    """The local path of a ``file://`` URL."""
    path = urlsplit(url).path
    if os.name == "nt":  # drive letters; urllib.request is too heavy to import elsewhere
        from urllib.request import url2pathname

        return Path(url2pathname(path))
    return Path(unquote(path))


def read_page(url: str) -> bytes | None:
    """A local simple page: the file itself, or ``index.html`` in the folder; None if absent."""
    path = path_of(url)
    if path.is_dir():
        path = path / "index.html"
    try:
        return path.read_bytes()
    except (FileNotFoundError, NotADirectoryError):
        return None


def list_directory(url: str) -> list[Row] | None:
    """Rows for every file in a find-links folder, or None if ``url`` is not a folder."""
    path = path_of(url)
    try:
        entries = sorted(os.scandir(path), key=lambda e: e.name)
    except (FileNotFoundError, NotADirectoryError):
        return None
    rows: list[Row] = []
    for entry in entries:
        if entry.is_file():
            full = Path(entry.path)
            rows.append(
                (entry.name, full.as_uri(), (), None, None, entry.stat().st_size, None, False, ())
            )
    return rows
