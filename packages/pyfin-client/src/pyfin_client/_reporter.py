"""Progress callbacks: the ``Reporter`` protocol, the ``MetadataSource`` it is told about, and
the no-op ``NullReporter`` used by default. Reporters observe; they cannot change results."""

from __future__ import annotations

import enum
from typing import Protocol

from ._models import File


class MetadataSource(enum.Enum):
    """Where ``RegistryClient.metadata`` found a file's core metadata."""

    CACHE = "cache"  # the METADATA bucket (read once, kept for good)
    SIDECAR = "sidecar"  # <url>.metadata the index advertised (PEP 658/714), hash checked
    SIDECAR_PROBE = "sidecar-probe"  # <url>.metadata fetched although not advertised
    RANGE = "range"  # the wheel's zip tail and METADATA, by HTTP range requests
    DOWNLOAD = "download"  # the whole file (server ignores Range, or an sdist)
    LOCAL = "local"  # a file:// wheel or sdist, read in place


class Reporter(Protocol):
    """Told about network work as it happens. Called from the event loop: keep it cheap."""

    def on_metadata(self, file: File, source: MetadataSource) -> None:
        """Metadata of ``file`` was obtained from ``source``."""

    def on_download_start(self, file: File, size: int | None) -> None:
        """A download of ``file`` (``size`` bytes if known) begins (again, after a retry)."""

    def on_download_progress(self, file: File, received: int) -> None:
        """``received`` more bytes of ``file`` arrived."""

    def on_download_complete(self, file: File) -> None:
        """``file`` is downloaded, verified and in place."""


class NullReporter:
    """A ``Reporter`` that ignores everything."""

    def on_metadata(self, file: File, source: MetadataSource) -> None:
        pass

    def on_download_start(self, file: File, size: int | None) -> None:
        pass

    def on_download_progress(self, file: File, received: int) -> None:
        pass

    def on_download_complete(self, file: File) -> None:
        pass
