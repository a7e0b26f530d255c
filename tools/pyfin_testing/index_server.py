"""A loopback simple-index server (PEP 691 JSON / PEP 503 HTML) over a directory of files.

Tests start it, point a client at ``server.index_url``, and read ``server.requests`` to assert
what went over the wire. ``server.faults`` switches on misbehaviour (5xx, resets, truncated
bodies, ignored Range, stalls, redirects, auth) for the paths that contain ``faults.match``.

Routes::

    /simple/                     project list (HTML or JSON by Accept)
    /simple/<name>/              project page; a non-normalized name redirects (301)
    /files/<filename>            the file; Range (a-b, a-, -n) unless faults.ignore_range
    /files/<filename>.metadata   a wheel's METADATA (PEP 658), if faults.serve_metadata

Wheels for the directory come from ``pyfin_testing.wheels.build_wheel``; ``make_sdist`` writes
tiny source distributions (``.tar.gz`` or ``.zip``, with or without a static PKG-INFO).
"""

from __future__ import annotations

import base64
import hashlib
import io
import json
import socket
import struct
import sys
import tarfile
import threading
import time
import zipfile
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timezone
from email.utils import formatdate
from html import escape
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from types import TracebackType
from typing import Any
from urllib.parse import unquote, urlsplit

from packaging.utils import (
    InvalidSdistFilename,
    InvalidWheelFilename,
    canonicalize_name,
    parse_sdist_filename,
    parse_wheel_filename,
)

JSON_TYPE = "application/vnd.pypi.simple.v1+json"
LAST_MODIFIED = formatdate(1_700_000_000, usegmt=True)


@dataclass
class Faults:
    """Misbehaviour knobs; change them at any time (the handler reads them per request).

    Counters (``fail_first``, ``reset_first``, ``truncate_first``) are decremented as they
    fire, so "N failures then success" is just ``fail_first = N``.
    """

    match: str = ""  # only paths containing this are affected by the fault knobs below
    fail_first: int = 0  # answer this many requests with ``fail_status``
    fail_status: int = 503
    reset_first: int = 0  # reset the connection (RST) instead of answering
    truncate_first: int = 0  # send the full Content-Length but only half the body, then close
    ignore_range: bool = False  # answer Range requests with 200 and the whole file
    stall: float = 0.0  # sleep this long before answering
    redirect_to: str | None = None  # 302 to this base URL + the same path (another origin)
    corrupt: set[str] = field(default_factory=set)  # filenames served with a flipped byte
    # page-level behaviour (not limited by ``match``)
    json: bool = True  # serve PEP 691 JSON when asked; False: always HTML
    advertise_metadata: bool = True  # data-core-metadata / core-metadata on wheels
    serve_metadata: bool = True  # answer /files/<wheel>.metadata
    cache_control: str | None = None  # Cache-Control header on project pages
    etag: bool = True
    last_modified: bool = True
    require_auth: tuple[str, str] | None = None  # Basic credentials every request must carry
    yanked: dict[str, str] = field(default_factory=dict)  # filename -> reason ("" = none)
    upload_time: dict[str, str] = field(default_factory=dict)  # filename -> ISO 8601
    requires_python: dict[str, str] = field(default_factory=dict)  # filename -> specifier
    absolute_urls: bool = False  # file links as absolute URLs instead of relative ones


@dataclass(frozen=True)
class RequestRecord:
    """One request as the server saw it (header names lowercased)."""

    method: str
    path: str
    headers: dict[str, str]
    status: int


def _project_of(filename: str) -> str | None:
    try:
        if filename.endswith(".whl"):
            return str(parse_wheel_filename(filename)[0])
        return str(parse_sdist_filename(filename)[0])
    except (InvalidWheelFilename, InvalidSdistFilename):
        return None


def read_wheel_metadata(path: Path) -> bytes | None:
    """The ``*.dist-info/METADATA`` member of a wheel, or None."""
    with zipfile.ZipFile(path) as archive:
        for name in archive.namelist():
            if name.count("/") == 1 and name.endswith(".dist-info/METADATA"):
                return archive.read(name)
    return None


class IndexServer:
    """Serve ``directory`` on ``127.0.0.1:<free port>`` from a daemon thread until ``stop()``.

    Use as a context manager. ``index_url`` is the simple root (``.../simple/``),
    ``files_url`` the file root; ``requests`` lists every request received.
    """

    def __init__(self, directory: Path, faults: Faults | None = None) -> None:
        self.directory = directory
        self.faults = faults or Faults()
        self.requests: list[RequestRecord] = []
        self._lock = threading.Lock()
        self._server = _BoundedServer(("127.0.0.1", 0), _make_handler(self))
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )
        self._thread.start()

    @property
    def url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host!s}:{port}"

    @property
    def index_url(self) -> str:
        return f"{self.url}/simple/"

    @property
    def files_url(self) -> str:
        return f"{self.url}/files/"

    def record(self, record: RequestRecord) -> None:
        with self._lock:
            self.requests.append(record)

    def paths(self, method: str | None = None) -> list[str]:
        """Paths requested so far (optionally only those with ``method``)."""
        with self._lock:
            return [r.path for r in self.requests if method is None or r.method == method]

    def clear(self) -> None:
        with self._lock:
            self.requests.clear()

    def take(self, counter: str, path: str) -> bool:
        """Consume one unit of a fault counter if ``path`` matches; True if it fired."""
        with self._lock:
            if self.faults.match not in path:
                return False
            left: int = getattr(self.faults, counter)
            if left <= 0:
                return False
            setattr(self.faults, counter, left - 1)
            return True

    def projects(self) -> dict[str, list[Path]]:
        found: dict[str, list[Path]] = {}
        for path in sorted(self.directory.iterdir()):
            project = _project_of(path.name)
            if project is not None:
                found.setdefault(project, []).append(path)
        return found

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)

    def __enter__(self) -> IndexServer:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()


class _BoundedServer(ThreadingHTTPServer):
    """At most ``MAX_THREADS`` requests in flight; the accept loop waits for a free slot."""

    MAX_THREADS = 32
    daemon_threads = True

    def __init__(self, address: tuple[str, int], handler: type[BaseHTTPRequestHandler]) -> None:
        super().__init__(address, handler)
        self._slots = threading.BoundedSemaphore(self.MAX_THREADS)

    def process_request(self, request: Any, client_address: Any) -> None:
        self._slots.acquire()
        super().process_request(request, client_address)

    def handle_error(self, request: Any, client_address: Any) -> None:
        # Connections we reset or cut on purpose fail on the way out: not worth a traceback.
        if not isinstance(sys.exc_info()[1], OSError):
            super().handle_error(request, client_address)

    def process_request_thread(self, request: Any, client_address: Any) -> None:
        try:
            super().process_request_thread(request, client_address)
        finally:
            self._slots.release()


def _make_handler(server: IndexServer) -> type[BaseHTTPRequestHandler]:
    class Handler(_Handler):
        index = server

    return Handler


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    timeout = 30  # a client that stops reading cannot hold a thread forever
    index: IndexServer

    def log_message(self, format: str, *args: object) -> None:
        """Silence stderr logging; ``IndexServer.requests`` is the log."""

    def do_HEAD(self) -> None:
        self._dispatch(head=True)

    def do_GET(self) -> None:
        self._dispatch(head=False)

    # -- plumbing ---------------------------------------------------------------------------

    def _record(self, status: int) -> None:
        headers = {k.lower(): v for k, v in self.headers.items()}
        self.index.record(RequestRecord(self.command, self.path, headers, status))

    def _send(self, status: int, body: bytes = b"", headers: dict[str, str] | None = None) -> None:
        self._record(status)
        self.send_response(status)
        all_headers = {"Content-Length": str(len(body)), **(headers or {})}
        for name, value in all_headers.items():
            self.send_header(name, value)
        self.end_headers()
        if self.command != "HEAD" and body:
            path = urlsplit(self.path).path
            if status in (200, 206) and self.index.take("truncate_first", path):
                self.wfile.write(body[: len(body) // 2])
                self.wfile.flush()
                self.close_connection = True
                return
            self.wfile.write(body)

    def _reset(self) -> None:
        self._record(0)
        self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        self.close_connection = True
        self.connection.close()

    def _dispatch(self, *, head: bool) -> None:
        faults = self.index.faults
        path = unquote(urlsplit(self.path).path)
        if faults.stall and faults.match in path:
            time.sleep(faults.stall)
        if faults.require_auth is not None:
            user, password = faults.require_auth
            token = base64.b64encode(f"{user}:{password}".encode()).decode()
            if self.headers.get("Authorization") != f"Basic {token}":
                self._send(401, b"unauthorized", {"WWW-Authenticate": 'Basic realm="index"'})
                return
        if faults.redirect_to is not None and faults.match in path:
            self._send(302, headers={"Location": faults.redirect_to.rstrip("/") + self.path})
            return
        if self.index.take("reset_first", path):
            self._reset()
            return
        if self.index.take("fail_first", path):
            self._send(faults.fail_status, b"try again later")
            return
        if path in ("/simple", "/simple/"):
            self._root_page()
        elif path.startswith("/simple/"):
            self._project_page(path.removeprefix("/simple/").strip("/"))
        elif path.startswith("/files/"):
            self._file(path.removeprefix("/files/"))
        else:
            self._send(404, b"not found")

    def _wants_json(self) -> bool:
        return self.index.faults.json and JSON_TYPE in self.headers.get("Accept", "")

    # -- pages ------------------------------------------------------------------------------

    def _root_page(self) -> None:
        names = sorted(self.index.projects())
        if self._wants_json():
            body = json.dumps(
                {"meta": {"api-version": "1.1"}, "projects": [{"name": n} for n in names]}
            ).encode()
            self._send(200, body, {"Content-Type": JSON_TYPE})
            return
        links = "".join(f'<a href="{n}/">{n}</a>\n' for n in names)
        self._send(200, f"<html><body>{links}</body></html>".encode(), _HTML)

    def _project_page(self, raw_name: str) -> None:
        name = canonicalize_name(raw_name)
        if name != raw_name:
            self._send(301, headers={"Location": f"/simple/{name}/"})
            return
        files = self.index.projects().get(name)
        if files is None:
            self._send(404, b"no such project")
            return
        entries = [self._entry(path) for path in files]
        if self._wants_json():
            body = json.dumps(
                {"meta": {"api-version": "1.1"}, "name": name, "files": entries}
            ).encode()
            headers = {"Content-Type": JSON_TYPE}
        else:
            body = _html_page(name, entries).encode()
            headers = dict(_HTML)
        faults = self.index.faults
        etag = '"' + hashlib.sha256(body).hexdigest()[:32] + '"'
        if faults.cache_control is not None:
            headers["Cache-Control"] = faults.cache_control
        if faults.etag:
            headers["ETag"] = etag
            if self.headers.get("If-None-Match") == etag:
                self._send(304, headers={k: v for k, v in headers.items() if k != "Content-Type"})
                return
        if faults.last_modified:
            headers["Last-Modified"] = LAST_MODIFIED
            if not faults.etag and self.headers.get("If-Modified-Since") == LAST_MODIFIED:
                self._send(304, headers=headers)
                return
        self._send(200, body, headers)

    def _entry(self, path: Path) -> dict[str, object]:
        faults = self.index.faults
        data = path.read_bytes()
        url = f"../../files/{path.name}"
        if faults.absolute_urls:
            url = f"{self.index.files_url}{path.name}"
        entry: dict[str, object] = {
            "filename": path.name,
            "url": url,
            "hashes": {"sha256": hashlib.sha256(data).hexdigest()},
            "size": len(data),
            "upload-time": faults.upload_time.get(
                path.name,
                datetime.fromtimestamp(path.stat().st_mtime, timezone.utc)
                .isoformat()
                .replace("+00:00", "Z"),
            ),
            "yanked": faults.yanked.get(path.name, False),
        }
        requires_python = faults.requires_python.get(path.name)
        metadata = read_wheel_metadata(path) if path.name.endswith(".whl") else None
        if requires_python is None and metadata is not None:
            for line in metadata.decode().splitlines():
                if line.startswith("Requires-Python:"):
                    requires_python = line.partition(":")[2].strip()
        if requires_python is not None:
            entry["requires-python"] = requires_python
        if metadata is not None and faults.advertise_metadata:
            entry["core-metadata"] = {"sha256": hashlib.sha256(metadata).hexdigest()}
        return entry

    # -- files ------------------------------------------------------------------------------

    def _file(self, filename: str) -> None:
        faults = self.index.faults
        if filename.endswith(".metadata"):
            wheel = self.index.directory / filename.removesuffix(".metadata")
            metadata = None
            if faults.serve_metadata and wheel.name.endswith(".whl") and wheel.is_file():
                metadata = read_wheel_metadata(wheel)
            if metadata is None:
                self._send(404, b"no metadata")
            else:
                self._send(200, metadata, {"Content-Type": "application/octet-stream"})
            return
        path = self.index.directory / filename
        if "/" in filename or not path.is_file():
            self._send(404, b"no such file")
            return
        data = path.read_bytes()
        if filename in faults.corrupt:
            data = data[:-1] + bytes([data[-1] ^ 0xFF])
        headers = {"Content-Type": "application/octet-stream", "Accept-Ranges": "bytes"}
        wanted = self.headers.get("Range")
        if wanted and not faults.ignore_range:
            span = _parse_range(wanted, len(data))
            if span is None:
                self._send(416, b"", {"Content-Range": f"bytes */{len(data)}"})
                return
            start, end = span
            headers["Content-Range"] = f"bytes {start}-{end}/{len(data)}"
            self._send(206, data[start : end + 1], headers)
            return
        self._send(200, data, headers)


_HTML = {"Content-Type": "text/html; charset=utf-8"}


def _html_page(name: str, entries: Sequence[dict[str, object]]) -> str:
    links = []
    for entry in entries:
        hashes = entry["hashes"]
        assert isinstance(hashes, dict)
        attrs = [f'href="{escape(str(entry["url"]))}#sha256={hashes["sha256"]}"']
        if "requires-python" in entry:
            attrs.append(f'data-requires-python="{escape(str(entry["requires-python"]))}"')
        yanked = entry["yanked"]
        if yanked is not False:
            attrs.append(f'data-yanked="{escape(str(yanked))}"')
        metadata = entry.get("core-metadata")
        if isinstance(metadata, dict):
            value = f"sha256={metadata['sha256']}"
            attrs.append(f'data-core-metadata="{value}" data-dist-info-metadata="{value}"')
        links.append(f"<a {' '.join(attrs)}>{escape(str(entry['filename']))}</a><br/>")
    body = "\n".join(links)
    head = f"<!DOCTYPE html><html><head><title>Links for {name}</title></head>"
    return f"{head}<body>\n{body}\n</body></html>"


def _parse_range(header: str, size: int) -> tuple[int, int] | None:
    unit, _, spec = header.partition("=")
    if unit.strip() != "bytes" or "," in spec:
        return None
    first, _, last = spec.strip().partition("-")
    if not first:
        length = int(last)
        return (max(size - length, 0), size - 1) if length > 0 and size else None
    start = int(first)
    end = min(int(last), size - 1) if last else size - 1
    return (start, end) if start <= end else None


# -- fixture builders ------------------------------------------------------------------------


def _pkg_info(
    name: str,
    version: str,
    *,
    metadata_version: str,
    requires: Sequence[str],
    requires_python: str | None,
    dynamic: Sequence[str],
) -> str:
    lines = [f"Metadata-Version: {metadata_version}", f"Name: {name}", f"Version: {version}"]
    lines += [f"Dynamic: {d}" for d in dynamic]
    if requires_python is not None:
        lines.append(f"Requires-Python: {requires_python}")
    lines += [f"Requires-Dist: {r}" for r in requires]
    return "\n".join(lines) + "\n\n"


def make_sdist(
    directory: Path,
    name: str,
    version: str,
    *,
    requires: Sequence[str] = (),
    requires_python: str | None = None,
    metadata_version: str = "2.2",
    dynamic: Sequence[str] = (),
    fmt: str = "tar.gz",
    pkg_info: bool = True,
) -> Path:
    """Write a minimal sdist (``.tar.gz`` or ``.zip``) with a PKG-INFO and pyproject.toml."""
    dist = name.replace("-", "_").replace(".", "_")
    root = f"{dist}-{version}"
    members: list[tuple[str, bytes]] = [
        (f"{root}/pyproject.toml", f'[project]\nname = "{name}"\nversion = "{version}"\n'.encode())
    ]
    if pkg_info:
        text = _pkg_info(
            name,
            version,
            metadata_version=metadata_version,
            requires=requires,
            requires_python=requires_python,
            dynamic=dynamic,
        )
        members.append((f"{root}/PKG-INFO", text.encode()))
    path = directory / f"{root}.{fmt}"
    if fmt == "zip":
        with zipfile.ZipFile(path, "w") as archive:
            for arcname, data in members:
                archive.writestr(arcname, data)
    else:
        with tarfile.open(path, "w:gz") as archive:
            for arcname, data in members:
                info = tarfile.TarInfo(arcname)
                info.size = len(data)
                archive.addfile(info, io.BytesIO(data))
    return path


def serve(directory: Path, faults: Faults | None = None) -> Iterator[IndexServer]:
    """Generator for pytest fixtures: ``yield from serve(tmp_path)``."""
    with IndexServer(directory, faults) as server:
        yield server
