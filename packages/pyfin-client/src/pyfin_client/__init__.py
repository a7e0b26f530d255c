"""pyfin_client: talk to package indexes — simple API (JSON + HTML), core metadata, downloads,
HTTP caching. ``RegistryClient`` is the entry point; the rest are its values and errors."""

from __future__ import annotations

from ._client import ClientSettings, RegistryClient
from ._errors import (
    ClientError,
    HashMismatch,
    HttpError,
    IndexPageError,
    InvalidFilename,
    MetadataError,
    OfflineMissing,
    PackageNotFound,
)
from ._filename import DistFilename, SdistFilename, WheelFilename, parse_filename
from ._http import HttpSettings
from ._index import PYPI_URL, FindLinks, IndexLocations, IndexStrategy, IndexUrl
from ._metadata import parse_metadata
from ._models import File, Hashes, Metadata, NeedsBuild, SimpleMetadata
from ._redact import redact_url
from ._reporter import MetadataSource, NullReporter, Reporter
from ._select import select_wheel, tag_priorities, tags_rank

__all__ = [
    "PYPI_URL",
    "ClientError",
    "ClientSettings",
    "DistFilename",
    "File",
    "FindLinks",
    "HashMismatch",
    "Hashes",
    "HttpError",
    "HttpSettings",
    "IndexLocations",
    "IndexPageError",
    "IndexStrategy",
    "IndexUrl",
    "InvalidFilename",
    "Metadata",
    "MetadataError",
    "MetadataSource",
    "NeedsBuild",
    "NullReporter",
    "OfflineMissing",
    "PackageNotFound",
    "RegistryClient",
    "Reporter",
    "SdistFilename",
    "SimpleMetadata",
    "WheelFilename",
    "parse_filename",
    "parse_metadata",
    "redact_url",
    "select_wheel",
    "tag_priorities",
    "tags_rank",
]
