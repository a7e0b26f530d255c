"""What the `pyfin pip` subcommands share: their options, finding the environment, the index
client, turning requirement entries into `Wanted` items, and the summary lines they print."""

from __future__ import annotations

import argparse
from pathlib import Path

TYPE_CHECKING = False  # not typing.TYPE_CHECKING: see pyfin._parser
if TYPE_CHECKING:
    from collections.abc import Callable, Iterable, Mapping

    from pyfin._requirements_txt import RequirementEntry, RequirementsSpec
    from pyfin._session import Session
    from pyfin_client import RegistryClient
    from pyfin_installer import Environment, InstallOutcome, Wanted

__all__ = [
    "add_environment_options",
    "add_index_options",
    "add_install_options",
    "client_factory",
    "elapsed",
    "environment_from",
    "packages",
    "print_changes",
    "wanted_from_entries",
]


def add_environment_options(parser: argparse.ArgumentParser, *, install: bool = True) -> None:
    group = parser.add_argument_group("environment options")
    group.add_argument(
        "-p",
        "--python",
        metavar="REQUEST",
        help="the Python whose environment to use: a version, a name or a path "
        "(default: the active or nearest virtual environment)",
    )
    group.add_argument(
        "--system",
        action="store_true",
        help="use the first Python found outside virtual environments",
    )
    if not install:
        return
    group.add_argument(
        "--break-system-packages",
        action="store_true",
        help="allow changing an interpreter marked as externally managed (PEP 668)",
    )
    group.add_argument("--prefix", type=Path, metavar="DIR", help="install into this prefix")
    group.add_argument(
        "--target", type=Path, metavar="DIR", help="install packages flat into this folder"
    )


def add_index_options(parser: argparse.ArgumentParser) -> None:
    group = parser.add_argument_group("index options")
    group.add_argument("-i", "--index-url", metavar="URL", help="the package index (PEP 503)")
    group.add_argument(
        "--extra-index-url",
        action="append",
        default=[],
        metavar="URL",
        help="another index, searched before --index-url",
    )
    group.add_argument(
        "-f",
        "--find-links",
        action="append",
        default=[],
        metavar="LOCATION",
        help="a folder or HTML page of distribution files",
    )
    group.add_argument("--no-index", action="store_true", help="ignore every package index")
    group.add_argument(
        "--index-strategy",
        choices=["first-index", "unsafe-best-match"],
        default="first-index",
        help="how to use several indexes (default: first-index)",
    )
    group.add_argument("--offline", action="store_true", help="never use the network")


def add_install_options(parser: argparse.ArgumentParser) -> None:
    group = parser.add_argument_group("installation options")
    group.add_argument(
        "--link-mode",
        choices=["clone", "hardlink", "copy", "symlink"],
        default="clone",
        help="how files get from the cache into the environment "
        "(default: clone, falling back to hardlink, then copy)",
    )
    group.add_argument(
        "--compile-bytecode", action="store_true", help="compile .py files to .pyc after install"
    )
    group.add_argument("--dry-run", action="store_true", help="show the changes, make none")
    group.add_argument(
        "--reinstall", action="store_true", help="reinstall every package, even if satisfied"
    )
    group.add_argument(
        "--reinstall-package",
        action="append",
        default=[],
        metavar="PACKAGE",
        help="reinstall this package even if satisfied (repeatable)",
    )
    group.add_argument(
        "--require-hashes",
        action="store_true",
        help="require every requirement to be pinned and hashed, and check every artifact",
    )


def environment_from(args: argparse.Namespace, session: Session) -> Environment:
    """The environment the options name (see `pyfin_installer.find_environment`)."""
    from pyfin_installer import find_environment

    environment = find_environment(
        session.cache,
        args.python,
        system=args.system,
        break_system_packages=getattr(args, "break_system_packages", False),
        prefix=getattr(args, "prefix", None),
        target=getattr(args, "target", None),
    )
    interpreter = environment.interpreter
    session.printer.debug(
        f"Using Python {interpreter.full_version} environment at: {environment.root}"
    )
    return environment


def client_factory(
    args: argparse.Namespace, session: Session, spec: RequirementsSpec | None = None
) -> Callable[[], RegistryClient]:
    """Makes the index client from the command line's index options, then the files'."""

    def make() -> RegistryClient:
        from pyfin_client import ClientSettings, IndexLocations, RegistryClient

        locations = IndexLocations.from_args(
            index_url=args.index_url or (spec.index_url if spec else None),
            extra_index_urls=[*args.extra_index_url, *(spec.extra_index_urls if spec else ())],
            find_links=[*args.find_links, *(spec.find_links if spec else ())],
            no_index=args.no_index or bool(spec and spec.no_index),
            strategy=args.index_strategy,
        )
        return RegistryClient(session.cache, locations, ClientSettings(offline=args.offline))

    return make


def wanted_from_entries(
    entries: Iterable[RequirementEntry], markers: Mapping[str, str]
) -> list[Wanted]:
    """`Wanted` items for requirement lines whose markers apply; unnamed wheels get their name
    from the file name. Raises `pyfin_installer.NeedsBuild` for source trees and archives."""
    from packaging.requirements import Requirement
    from packaging.utils import canonicalize_name

    from pyfin_installer import NeedsBuild, Wanted, wheel_name_of_url

    environment = {**markers, "extra": ""}
    found: list[Wanted] = []
    for entry in entries:
        requirement = entry.requirement
        marker = requirement.marker
        if marker is not None and not marker.evaluate(environment):
            continue
        if isinstance(requirement, Requirement):
            name = canonicalize_name(requirement.name)
            if requirement.url:
                item = Wanted(name, url=requirement.url, hashes=entry.hashes)
            else:
                item = Wanted(name, requirement.specifier, hashes=entry.hashes)
        else:
            if entry.editable or (requirement.path is not None and requirement.path.is_dir()):
                raise NeedsBuild(str(requirement), "it is a source tree")
            url = requirement.path.as_uri() if requirement.path is not None else requirement.url
            item = Wanted(canonicalize_name(wheel_name_of_url(url)), url=url, hashes=entry.hashes)
        found.append(item)
    return found


def elapsed(seconds: float) -> str:
    """Durations as uv prints them: `12ms` below a second, else `1.23s`."""
    if seconds < 1:
        return f"{int(seconds * 1000)}ms"
    return f"{seconds:.2f}s"


def packages(count: int) -> str:
    """`1 package`, `3 packages`."""
    return f"{count} package{'' if count == 1 else 's'}"


def print_changes(session: Session, outcome: InstallOutcome, wanted_count: int) -> None:
    """The summary lines of an installation, then ` - name==version` / ` + name==version`."""
    info = session.printer.info
    plan = outcome.plan
    if plan.is_noop:
        info(f"Audited {packages(wanted_count)} in {elapsed(outcome.audit_seconds)}")
        return
    lines: list[tuple[str, int, str]] = [
        (dist.name, 0, f" - {dist.name}=={dist.version}") for dist in plan.remove
    ]
    if outcome.dry_run:
        if plan.remove:
            info(f"Would uninstall {packages(len(plan.remove))}")
        if plan.install:
            info(f"Would install {packages(len(plan.install))}")
        lines += [(w.name, 1, f" + {w.describe()}") for w in plan.install]
    else:
        if outcome.downloaded:
            info(
                f"Prepared {packages(len(outcome.downloaded))} "
                f"in {elapsed(outcome.prepare_seconds)}"
            )
        if plan.remove:
            info(
                f"Uninstalled {packages(len(plan.remove))} in {elapsed(outcome.uninstall_seconds)}"
            )
        if outcome.prepared:
            info(
                f"Installed {packages(len(outcome.prepared))} in {elapsed(outcome.install_seconds)}"
            )
        lines += [(p.name, 1, f" + {p.name}=={p.version}") for p in outcome.prepared]
    for _, _, line in sorted(lines):
        info(line)
    if outcome.compile_problems is not None:
        session.printer.notice(
            "warning: bytecode compilation reported errors:\n" + outcome.compile_problems.output
        )
