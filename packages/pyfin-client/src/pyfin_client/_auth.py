"""Credentials for index requests: from index URLs and from ``~/.netrc``, by origin."""

from __future__ import annotations

import base64
import netrc
import os
from pathlib import Path
from urllib.parse import urlsplit

Origin = tuple[str, str, int | None]


def origin_of(url: str) -> Origin:
    """``(scheme, host, port)`` with the scheme's default port made explicit."""
    parts = urlsplit(url)
    port = parts.port or {"http": 80, "https": 443}.get(parts.scheme)
    return parts.scheme, (parts.hostname or "").lower(), port


class CredentialStore:
    """Maps origins to ``(username, password)``; falls back to a netrc file by host name.

    The netrc file (``$NETRC``, else ``~/.netrc``) is read once, on the first lookup that needs
    it; a missing or unreadable file means no netrc credentials.
    """

    def __init__(self, netrc_path: Path | None = None) -> None:
        self._by_origin: dict[Origin, tuple[str, str]] = {}
        self._netrc_path = netrc_path
        self._netrc: netrc.netrc | None = None
        self._netrc_loaded = False

    def add(self, url: str, credentials: tuple[str, str]) -> None:
        self._by_origin.setdefault(origin_of(url), credentials)

    def _load_netrc(self) -> netrc.netrc | None:
        if not self._netrc_loaded:
            self._netrc_loaded = True
            path = self._netrc_path or Path(os.environ.get("NETRC") or Path.home() / ".netrc")
            try:
                self._netrc = netrc.netrc(str(path))
            except (OSError, netrc.NetrcParseError):
                self._netrc = None
        return self._netrc

    def lookup(self, url: str) -> tuple[str, str] | None:
        """Credentials to send to ``url``'s origin, or None."""
        origin = origin_of(url)
        found = self._by_origin.get(origin)
        if found is not None:
            return found
        rc = self._load_netrc()
        if rc is None or not origin[1]:
            return None
        entry = rc.authenticators(origin[1])
        if entry is None:
            return None
        login, _account, password = entry
        return login, password or ""

    def authorization(self, url: str) -> str | None:
        """The ``Authorization`` header value for ``url``, or None."""
        creds = self.lookup(url)
        if creds is None:
            return None
        token = base64.b64encode(f"{creds[0]}:{creds[1]}".encode()).decode("ascii")
        return f"Basic {token}"
