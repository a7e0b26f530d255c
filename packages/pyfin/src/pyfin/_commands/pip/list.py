"""`pyfin pip list`: installed distributions as columns, `name==version` lines or JSON."""

from __future__ import annotations

import argparse
import json

from pyfin._commands.pip._shared import (
    add_environment_options,
    add_index_options,
    client_factory,
    environment_from,
)

TYPE_CHECKING = False  # not typing.TYPE_CHECKING: see pyfin._parser
if TYPE_CHECKING:
    from collections.abc import Sequence

    from pyfin._session import Session
    from pyfin_installer import Environment, InstalledDist

__all__ = ["configure", "format_columns"]


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--format",
        choices=["columns", "freeze", "json"],
        default="columns",
        help="output format (default: columns)",
    )
    parser.add_argument("-e", "--editable", action="store_true", help="only editable installs")
    parser.add_argument(
        "--exclude-editable", action="store_true", help="leave out editable installs"
    )
    parser.add_argument(
        "--outdated",
        action="store_true",
        help="only packages with a newer version on the index (asks the index)",
    )
    add_environment_options(parser, install=False)
    add_index_options(parser)
    parser.set_defaults(run=run)


def format_columns(header: Sequence[str], rows: Sequence[Sequence[str]]) -> list[str]:
    """A header, a dashed rule and rows, each column as wide as its widest cell."""
    widths = [max(len(row[i]) for row in (header, *rows)) for i in range(len(header))]

    def line(cells: Sequence[str]) -> str:
        return " ".join(
            cell.ljust(width) for cell, width in zip(cells, widths, strict=True)
        ).rstrip()

    return [line(header), line(["-" * w for w in widths]), *(line(row) for row in rows)]


def _latest(
    args: argparse.Namespace, session: Session, environment: Environment, dists: list[InstalledDist]
) -> dict[str, tuple[str, str]]:
    """name -> (newest installable version, "wheel" or "sdist") for dists with a newer one."""
    import asyncio

    from packaging.version import Version

    from pyfin_client import ClientError, select_wheel, tag_priorities

    priorities = tag_priorities(environment.interpreter.tags)
    python = environment.interpreter.version
    client = client_factory(args, session)()

    async def newest(dist: InstalledDist) -> tuple[str, Version, str] | None:
        try:
            simple = await client.simple(dist.name)
        except ClientError:
            return None
        for version in simple.versions:
            if version.is_prerelease and not dist.version.is_prerelease:
                continue
            files = simple.files(version)
            if select_wheel(files, priorities, python) is not None:
                return dist.name, version, "wheel"
            if any(not f.is_wheel and not f.is_yanked for f in files):
                return dist.name, version, "sdist"
        return None

    async def everything() -> list[tuple[str, Version, str] | None]:
        try:
            return list(await asyncio.gather(*(newest(d) for d in dists)))
        finally:
            await client.aclose()

    installed: dict[str, Version] = {d.name: d.version for d in dists}
    return {
        name: (str(version), kind)
        for found in asyncio.run(everything())
        if found is not None
        for name, version, kind in [found]
        if version > installed[name]
    }


def run(args: argparse.Namespace, session: Session) -> int:
    environment = environment_from(args, session)
    dists = [
        d
        for d in environment.inventory()
        if not (args.exclude_editable and d.editable) and (d.editable or not args.editable)
    ]
    latest: dict[str, tuple[str, str]] = {}
    if args.outdated:
        latest = _latest(args, session, environment, dists)
        dists = [d for d in dists if d.name in latest]
    if args.format == "freeze":
        for dist in dists:
            print(f"{dist.name}=={dist.version}")
        return 0
    if args.format == "json":
        records: list[dict[str, str]] = []
        for dist in dists:
            record = {"name": dist.name, "version": str(dist.version)}
            if dist.name in latest:
                record["latest_version"], record["latest_filetype"] = latest[dist.name]
            if dist.editable and dist.direct_url is not None:
                record["editable_project_location"] = dist.direct_url.url
            records.append(record)
        print(json.dumps(records))
        return 0
    if not dists:
        return 0
    header = ["Package", "Version"]
    if args.outdated:
        header += ["Latest", "Type"]
    editable = any(d.editable for d in dists)
    if editable:
        header.append("Editable project location")
    rows = []
    for dist in dists:
        row = [dist.name, str(dist.version)]
        if args.outdated:
            row += list(latest[dist.name])
        if editable:
            row.append(dist.direct_url.url if dist.editable and dist.direct_url else "")
        rows.append(row)
    print("\n".join(format_columns(header, rows)))
    return 0
