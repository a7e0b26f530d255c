"""Progress callbacks of an installation: the ``Reporter`` protocol and the no-op default."""

from __future__ import annotations

from typing import Protocol

from packaging.utils import NormalizedName
from packaging.version import Version


class Reporter(Protocol):
    """Told what an installation does as it happens (from worker threads and the event loop:
    keep it cheap and thread-safe). Reporters observe; they cannot change results."""

    def on_prepared(self, name: NormalizedName, version: Version, cached: bool) -> None:
        """A wheel is unzipped in the cache (``cached``: it already was)."""

    def on_uninstalled(self, name: NormalizedName, version: Version) -> None:
        """A distribution was removed from the environment."""

    def on_installed(self, name: NormalizedName, version: Version) -> None:
        """A distribution was linked into the environment."""


class NullReporter:
    """A ``Reporter`` that ignores everything."""

    def on_prepared(self, name: NormalizedName, version: Version, cached: bool) -> None:
        pass

    def on_uninstalled(self, name: NormalizedName, version: Version) -> None:
        pass

    def on_installed(self, name: NormalizedName, version: Version) -> None:
        pass
