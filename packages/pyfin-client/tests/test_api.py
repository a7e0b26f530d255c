"""The public surface of pyfin_client is exactly what we mean to export."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pyfin_client


def test_all_is_the_public_api() -> None:
    assert sorted(pyfin_client.__all__) == sorted(
        [
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
    )
    for name in pyfin_client.__all__:
        assert hasattr(pyfin_client, name)


def test_every_error_derives_from_client_error() -> None:
    for name in pyfin_client.__all__:
        value = getattr(pyfin_client, name)
        if isinstance(value, type) and issubclass(value, Exception):
            assert issubclass(value, pyfin_client.ClientError)


def test_importing_and_configuring_does_not_import_httpx() -> None:
    code = (
        "import sys, pathlib, pyfin_client, pyfin_cache\n"
        "c = pyfin_client.RegistryClient(pyfin_cache.Cache(pathlib.Path('unused')))\n"
        "pyfin_client.IndexLocations.from_args(index_url='https://u:p@example.org/simple')\n"
        "print('httpx' in sys.modules)\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout
    assert out.strip() == "False"


def test_pypi_default_is_spelled_once() -> None:
    assert pyfin_client.PYPI_URL == "https://pypi.org/simple"
    sources = Path(pyfin_client.__file__).parent.glob("*.py")
    assert sum(path.read_text().count("pypi.org/simple") for path in sources) == 1
    assert pyfin_client.IndexLocations().indexes == (
        pyfin_client.IndexUrl.parse(pyfin_client.PYPI_URL),
    )
