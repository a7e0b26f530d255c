"""The exceptions of pyfin_client; every one derives from ``ClientError``.

::

    ClientError
    ├── PackageNotFound (LookupError)   no index or find-links location has the package
    ├── OfflineMissing                  offline, and the cache lacks what was asked for
    ├── HttpError                       a request failed (status, or transport after retries)
    ├── HashMismatch (ValueError)       downloaded bytes differ from the index's hash or size
    ├── IndexPageError (ValueError)     a simple page (JSON or HTML) could not be parsed
    ├── MetadataError (ValueError)      core metadata missing or malformed
    └── InvalidFilename (ValueError)    a filename is no wheel/sdist name (or not the kind needed)

URLs in every field and message are redacted (``redact_url``): credentials never appear.
"""

from __future__ import annotations

from collections.abc import Sequence

from ._redact import redact_url


class ClientError(Exception):
    """Base class of everything pyfin_client raises."""


class PackageNotFound(ClientError, LookupError):
    """No index (nor find-links location) serves ``name``; ``searched`` lists where we looked."""

    def __init__(self, name: str, searched: Sequence[str]) -> None:
        self.name = name
        self.searched = tuple(redact_url(s) for s in searched)
        super().__init__(name, self.searched)

    def __str__(self) -> str:
        where = ", ".join(self.searched) or "no index (--no-index without --find-links)"
        return (
            f"Package `{self.name}` was not found in {where}; check the name's spelling "
            "or add the index that serves it with --extra-index-url or --find-links."
        )


class OfflineMissing(ClientError):
    """Offline mode, and the cache holds no entry for ``what`` (``url`` is where it lives)."""

    def __init__(self, what: str, url: str) -> None:
        self.what = what
        self.url = redact_url(url)
        super().__init__(what, self.url)

    def __str__(self) -> str:
        return (
            f"Network access is disabled (--offline) and the cache has no copy of {self.what} "
            f"({self.url}); run once without --offline to fill the cache."
        )


class HttpError(ClientError):
    """A request to ``url`` failed: ``status`` is the HTTP status, or None for a transport error.

    ``attempts`` counts the tries made (retries included); ``reason`` is a short description.
    """

    def __init__(self, url: str, status: int | None, reason: str, attempts: int = 1) -> None:
        self.url = redact_url(url)
        self.status = status
        self.reason = reason
        self.attempts = attempts
        super().__init__(self.url, status, reason, attempts)

    def __str__(self) -> str:
        what = f"HTTP status {self.status}" if self.status is not None else self.reason
        if self.status is not None and self.reason:
            what = f"{what} ({self.reason})"
        tries = f" after {self.attempts} attempts" if self.attempts > 1 else ""
        return (
            f"Request to {self.url} failed{tries}: {what}; check the index URL, your network "
            "connection and credentials."
        )


class HashMismatch(ClientError, ValueError):
    """Bytes from ``url`` do not match what the index published.

    ``expected``/``actual`` are ``"<algorithm>:<hex>"`` strings, or sizes in bytes as text when
    ``kind`` is ``"size"``.
    """

    def __init__(self, url: str, kind: str, expected: str, actual: str) -> None:
        self.url = redact_url(url)
        self.kind = kind
        self.expected = expected
        self.actual = actual
        super().__init__(self.url, kind, expected, actual)

    def __str__(self) -> str:
        return (
            f"The {self.kind} of {self.url} does not match the index: expected {self.expected}, "
            f"got {self.actual}; the file may be corrupt or tampered with, nothing was kept."
        )


class IndexPageError(ClientError, ValueError):
    """The simple page at ``url`` is not valid PEP 691 JSON / PEP 503 HTML."""

    def __init__(self, url: str, reason: str) -> None:
        self.url = redact_url(url)
        self.reason = reason
        super().__init__(self.url, reason)

    def __str__(self) -> str:
        return f"The index page {self.url} could not be read: {self.reason}; is it a simple index?"


class MetadataError(ClientError, ValueError):
    """Core metadata of ``filename`` is missing or malformed (``reason`` says how)."""

    def __init__(self, filename: str, reason: str) -> None:
        self.filename = filename
        self.reason = reason
        super().__init__(filename, reason)

    def __str__(self) -> str:
        return (
            f"Metadata of {self.filename} is unusable: {self.reason}; the distribution is "
            "broken, pick another version or report it to its maintainers."
        )


class InvalidFilename(ClientError, ValueError):
    """``filename`` is neither a valid wheel nor a valid sdist name, or not the kind needed."""

    def __init__(self, filename: str, reason: str) -> None:
        self.filename = filename
        self.reason = reason
        super().__init__(filename, reason)

    def __str__(self) -> str:
        return f"`{self.filename}` cannot be used: {self.reason}."
