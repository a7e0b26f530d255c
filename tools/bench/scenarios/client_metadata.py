"""pyfin-client alone: core metadata of the newest version (before the cutoff) of every package
named in bench-reqs/large.in, cold and warm cache, by each metadata path.

Also a script: ``python tools/bench/scenarios/client_metadata.py --cache-dir D [--probe] [--cold]``
fetches once and prints, as JSON, the seconds taken and how often each metadata path was used.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import shutil
import sys
import time
from collections import Counter
from collections.abc import Callable
from datetime import datetime, timezone
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from bench._harness import BenchContext, Scenario
    from pyfin_client import File, MetadataSource

REQUIREMENTS = Path(__file__).resolve().parents[4] / "shared" / "bench-reqs" / "large.in"
CUTOFF = datetime(2026, 11, 1, tzinfo=timezone.utc)


def requirement_names(path: Path) -> list[str]:
    """Project names of a requirements file (extras, markers and versions dropped)."""
    from packaging.requirements import Requirement

    names = []
    for line in path.read_text().splitlines():
        text = line.split("#", 1)[0].strip()
        if text and not text.startswith("-"):
            names.append(Requirement(text).name)
    return names


class _Counter:
    """A pyfin_client Reporter counting metadata sources."""

    def __init__(self) -> None:
        self.sources: Counter[str] = Counter()

    def on_metadata(self, file: File, source: MetadataSource) -> None:
        self.sources[source.value] += 1

    def on_download_start(self, file: File, size: int | None) -> None:
        pass

    def on_download_progress(self, file: File, received: int) -> None:
        pass

    def on_download_complete(self, file: File) -> None:
        pass


async def fetch_all(cache_dir: Path, probe: bool) -> dict[str, object]:
    from packaging.tags import sys_tags

    from pyfin_cache import Cache
    from pyfin_client import ClientSettings, RegistryClient, select_wheel, tag_priorities

    priorities = tag_priorities(list(sys_tags()))
    counter = _Counter()
    settings = ClientSettings(exclude_newer=CUTOFF, probe_metadata_sidecar=probe)
    async with RegistryClient(Cache(cache_dir), settings=settings, reporter=counter) as client:

        async def one(name: str) -> None:
            page = await client.simple(name)
            for version in page.versions:  # newest final release with a wheel for this Python
                files = page.files(version)
                wheel = None if version.is_prerelease else select_wheel(files, priorities)
                if wheel is not None:
                    await client.metadata(wheel)
                    return

        names = requirement_names(REQUIREMENTS)
        await asyncio.gather(*(one(name) for name in names))
    return {"packages": len(names), "sources": dict(counter.sources)}


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--cache-dir", type=Path, required=True)
    parser.add_argument("--probe", action="store_true", help="try unadvertised sidecars first")
    parser.add_argument("--cold", action="store_true", help="empty the cache first")
    args = parser.parse_args(argv)
    if args.cold:
        shutil.rmtree(args.cache_dir, ignore_errors=True)
    start = time.perf_counter()
    summary = asyncio.run(fetch_all(args.cache_dir, probe=args.probe))
    summary["seconds"] = round(time.perf_counter() - start, 3)
    json.dump(summary, sys.stdout)
    print()


def scenarios(ctx: BenchContext) -> list[Scenario]:
    from bench._harness import Command, Scenario

    python = ctx.tool("python")
    script = Path(__file__)

    def remover(path: Path) -> Callable[[], None]:
        return lambda: shutil.rmtree(path, ignore_errors=True)

    def command(label: str, cache: Path, *, probe: bool, cold: bool) -> Command:
        argv: list[str | Path] = [python, script, "--cache-dir", cache]
        if probe:
            argv.append("--probe")
        return Command(label, argv, setup=remover(cache) if cold else None)

    probe_cache, range_cache = ctx.work / "client-probe", ctx.work / "client-range"
    cold = Scenario(
        "client-metadata-cold",
        [
            command("range", range_cache, probe=False, cold=True),
            command("sidecar-probe", probe_cache, probe=True, cold=True),
        ],
        baseline="range",
    )
    warm = Scenario(
        "client-metadata-warm",
        [
            command("range", range_cache, probe=False, cold=False),
            command("sidecar-probe", probe_cache, probe=True, cold=False),
        ],
        baseline="range",
    )
    return [cold, warm]


if __name__ == "__main__":
    main()
