"""Read the requirement part of a line: PEP 508, or an unnamed path / URL, or an editable.

pip's rules for telling them apart, without touching the disk: text starting with a URL
scheme is a URL; text that looks like a path (starts with ``.`` or ``/``, or holds a path
separator before any ``@``) or names an archive (``x-1.0.tar.gz``, ``x.whl``) is a path;
everything else is PEP 508 (``name[extras] specifiers ; markers`` or ``name @ url``).
"""

from __future__ import annotations

import os
import re
import urllib.parse
from pathlib import Path

from packaging.markers import InvalidMarker, Marker
from packaging.requirements import InvalidRequirement, Requirement
from packaging.utils import canonicalize_name

from pyfin._requirements_txt_errors import RequirementsTxtError
from pyfin._requirements_txt_model import SourceLocation, UnnamedRequirement

__all__ = ["parse_editable", "parse_requirement"]

_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.\-]+:")
_NAME = re.compile(r"^([A-Z0-9]|[A-Z0-9][A-Z0-9._-]*[A-Z0-9])$", re.IGNORECASE)
_EXTRAS_SUFFIX = re.compile(r"^(?P<base>.*?)\[(?P<extras>[^\[\]]*)\]$", re.DOTALL)
_URL_MARKER_SEPARATOR = re.compile(r"\s;|;\s")
_VCS_PREFIXES = ("git+", "hg+", "svn+", "bzr+")
_ARCHIVE_SUFFIXES = (
    ".whl",
    ".zip",
    ".tar.gz",
    ".tgz",
    ".tar",
    ".tar.bz2",
    ".tbz",
    ".tar.xz",
    ".txz",
    ".tlz",
    ".tar.lz",
    ".tar.lzma",
)


def _fail(location: SourceLocation, reason: str) -> RequirementsTxtError:
    return RequirementsTxtError(location.file, location.line, reason)


def _first_line(exc: Exception) -> str:
    return str(exc).splitlines()[0] if str(exc) else type(exc).__name__


def _is_dir(path: Path) -> bool:
    try:
        return path.is_dir()
    except (OSError, ValueError):  # a name too long, or with a NUL, is no directory
        return False


def _is_url(text: str) -> bool:
    # Two letters at least, so a Windows drive (``C:\x``) is a path, not a URL.
    return _SCHEME.match(text) is not None


def _looks_like_path(text: str) -> bool:
    if text.startswith((".", "/")) or (os.sep != "/" and text.startswith(os.sep)):
        return True
    head = text.split("@", 1)[0] if "@" in text else text
    if "/" in head or (os.sep != "/" and os.sep in head):
        return True
    return "@" not in text and " " not in text and text.lower().endswith(_ARCHIVE_SUFFIXES)


def _parse_extras(text: str, location: SourceLocation, written: str) -> tuple[str, ...]:
    extras: set[str] = set()
    for raw in text.split(","):
        extra = raw.strip()
        if not extra:
            continue
        if _NAME.match(extra) is None:
            raise _fail(location, f"invalid extra {extra!r} in {written!r}")
        extras.add(canonicalize_name(extra))
    return tuple(sorted(extras))


def _parse_marker(text: str, location: SourceLocation, written: str) -> Marker:
    try:
        return Marker(text)
    except InvalidMarker as exc:
        raise _fail(location, f"invalid marker in {written!r}: {_first_line(exc)}") from exc


def _egg(url: str, location: SourceLocation, written: str) -> tuple[str | None, tuple[str, ...]]:
    fragment = urllib.parse.urlsplit(url).fragment
    for key, value in urllib.parse.parse_qsl(fragment):
        if key != "egg":
            continue
        match = _EXTRAS_SUFFIX.match(value)
        name, extras = (match["base"], match["extras"]) if match else (value, "")
        if _NAME.match(name) is None:
            raise _fail(location, f"invalid #egg= name {name!r} in {written!r}")
        return name, _parse_extras(extras, location, written)
    return None, ()


def _file_url_path(url: str) -> Path:
    parts = urllib.parse.urlsplit(url)
    netloc = "" if parts.netloc in ("", "localhost") else f"//{parts.netloc}"
    # url2pathname is unquote on POSIX; urllib.request would cost every start-up ~20 ms.
    return Path(urllib.parse.unquote(netloc + parts.path))


def _unnamed_url(
    text: str, location: SourceLocation, written: str, working_dir: Path
) -> UnnamedRequirement:
    marker = None
    separator = _URL_MARKER_SEPARATOR.search(text)
    if separator is not None:
        marker = _parse_marker(text[separator.end() :].strip(), location, written)
        text = text[: separator.start()].strip()
    if any(char.isspace() for char in text):
        raise _fail(location, f"invalid URL {text!r}: a URL cannot contain spaces")
    try:
        egg, extras = _egg(text, location, written)
        path = working_dir / _file_url_path(text) if text.lower().startswith("file:") else None
    except ValueError as exc:  # urllib's verdict, e.g. a broken [IPv6] host
        raise _fail(location, f"invalid URL {text!r}: {exc}") from exc
    return UnnamedRequirement(url=text, path=path, extras=extras, marker=marker, egg=egg)


def _unnamed_path(
    text: str, location: SourceLocation, written: str, working_dir: Path
) -> UnnamedRequirement:
    marker = None
    if ";" in text:
        text, _, marker_text = text.partition(";")
        marker = _parse_marker(marker_text.strip(), location, written)
        text = text.strip()
    extras: tuple[str, ...] = ()
    match = _EXTRAS_SUFFIX.match(text)
    if match is not None:
        text = match["base"]
        extras = _parse_extras(match["extras"], location, written)
    if not text:
        raise _fail(location, f"invalid requirement {written!r}: the path is empty")
    path = Path(os.path.normpath(working_dir / text))
    return UnnamedRequirement(url=text, path=path, extras=extras, marker=marker)


def parse_requirement(
    text: str, location: SourceLocation, working_dir: Path
) -> Requirement | UnnamedRequirement:
    """Parse the requirement part of a line (already without comments and options).

    Relative paths are taken from `working_dir` (pip and uv use the working directory for
    them, not the requirements file's folder). Raises RequirementsTxtError naming the file
    and line when the text is not a valid requirement, marker or extra.
    """
    if _is_url(text):
        return _unnamed_url(text, location, text, working_dir)
    if _looks_like_path(text):
        return _unnamed_path(text, location, text, working_dir)
    try:
        return Requirement(text)
    except InvalidRequirement as exc:
        raise _fail(location, f"invalid requirement {text!r}: {_first_line(exc)}") from exc


def parse_editable(value: str, location: SourceLocation, working_dir: Path) -> UnnamedRequirement:
    """Parse the value of ``-e``: a local directory (with optional ``[extras]``) or a VCS URL.

    A value that is neither a URL, nor looks like a path, nor is an existing directory
    (``-e flask``) is an error: pip cannot install a name in editable mode.
    """
    if _is_url(value):
        lowered = value.lower()
        if not lowered.startswith(("file:", *_VCS_PREFIXES)):
            raise _fail(
                location,
                f"invalid editable {value!r}: an editable URL must be a file: or VCS "
                "(git+, hg+, svn+, bzr+) URL",
            )
        return _unnamed_url(value, location, value, working_dir)
    base = value
    match = _EXTRAS_SUFFIX.match(value)
    if match is not None:
        base = match["base"]
    if not _looks_like_path(base) and not _is_dir(working_dir / base):
        raise _fail(
            location,
            f"invalid editable {value!r}: expected a local directory or a VCS URL "
            f"(for a folder named {base!r}, write './{base}')",
        )
    return _unnamed_path(value, location, value, working_dir)
