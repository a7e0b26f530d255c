"""Against PyPI itself (``network``), with a fixed upload-time cutoff so answers never drift."""

from __future__ import annotations

import asyncio
from dataclasses import replace
from datetime import datetime, timezone
from pathlib import Path

import pytest

from pyfin_cache import Cache
from pyfin_client import ClientSettings, HttpSettings, Metadata, RegistryClient

pytestmark = pytest.mark.network

CUTOFF = datetime(2023, 10, 15, tzinfo=timezone.utc)
SETTINGS = ClientSettings(exclude_newer=CUTOFF, http=HttpSettings(retries=2))


@pytest.mark.parametrize("probe", [True, False], ids=["sidecar-probe", "range"])
def test_flask_3_0_0_metadata(tmp_path: Path, probe: bool) -> None:
    settings = replace(SETTINGS, probe_metadata_sidecar=probe)

    async def run() -> tuple[list[str], Metadata]:
        async with RegistryClient(Cache(tmp_path), settings=settings) as client:
            page = await client.simple("Flask")
            (wheel,) = [f for f in page.files(page.versions[0]) if f.is_wheel]
            metadata = await client.metadata(wheel)
            assert isinstance(metadata, Metadata)
            path = await client.download_wheel(wheel, tmp_path / "dl" / wheel.filename)
            assert path.stat().st_size == wheel.size
            return [str(v) for v in page.versions][:2], metadata

    newest, metadata = asyncio.run(run())
    assert newest == ["3.0.0", "2.3.3"]
    assert metadata.name == "flask" and str(metadata.version) == "3.0.0"
    assert str(metadata.requires_python) == ">=3.8"
    assert "Werkzeug>=3.0.0" in [str(r) for r in metadata.requires_dist]
    assert metadata.provides_extra == ("async", "dotenv")
