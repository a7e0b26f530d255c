"""Hiding credentials in URLs before they reach a message, a log line or a cache key."""

from __future__ import annotations

from urllib.parse import unquote, urlsplit, urlunsplit

REDACTED = "****"


def split_credentials(url: str) -> tuple[str, tuple[str, str] | None]:
    """Return ``url`` without its userinfo, and the ``(username, password)`` it carried.

    Percent-escapes in the userinfo are decoded, as a browser would before sending them.
    """
    parts = urlsplit(url)
    if "@" not in parts.netloc:
        return url, None
    userinfo, _, hostport = parts.netloc.rpartition("@")
    username, _, password = userinfo.partition(":")
    clean = urlunsplit((parts.scheme, hostport, parts.path, parts.query, parts.fragment))
    return clean, (unquote(username), unquote(password))


def redact_url(url: str) -> str:
    """Return ``url`` with any userinfo replaced by ``****`` (user names can be tokens too)."""
    parts = urlsplit(url)
    if "@" not in parts.netloc:
        return url
    hostport = parts.netloc.rpartition("@")[2]
    netloc = f"{REDACTED}@{hostport}"
    return urlunsplit((parts.scheme, netloc, parts.path, parts.query, parts.fragment))
