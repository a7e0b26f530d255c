"""`pyfin pip show PKG...`: name, version, location and dependency links of installed packages."""

from __future__ import annotations

import argparse

from pyfin._commands.pip._shared import add_environment_options, environment_from

TYPE_CHECKING = False  # not typing.TYPE_CHECKING: see pyfin._parser
if TYPE_CHECKING:
    from pyfin._session import Session

__all__ = ["configure"]


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("package", nargs="+", metavar="PACKAGE", help="installed package names")
    parser.add_argument(
        "-f", "--files", action="store_true", help="list the files each package installed"
    )
    add_environment_options(parser, install=False)
    parser.set_defaults(run=run)


def run(args: argparse.Namespace, session: Session) -> int:
    from packaging.utils import canonicalize_name

    from pyfin_installer import dependency_graph

    environment = environment_from(args, session)
    inventory = environment.inventory()
    wanted = list(dict.fromkeys(canonicalize_name(name) for name in args.package))
    found = [inventory.dists[name] for name in wanted if name in inventory.dists]
    missing = [name for name in wanted if name not in inventory.dists]
    if missing:
        session.printer.notice(f"warning: Package(s) not found for: {', '.join(missing)}")
    if not found:
        return 1
    graph = dependency_graph(inventory, environment.interpreter.markers)
    blocks = []
    for dist in found:
        requires = sorted({canonicalize_name(r.name) for r in graph[dist.name]})
        required_by = sorted(
            parent
            for parent, reqs in graph.items()
            if any(canonicalize_name(r.name) == dist.name for r in reqs)
        )
        lines = [
            f"Name: {dist.name}",
            f"Version: {dist.version}",
            f"Location: {dist.lib_dir}",
        ]
        if dist.editable and dist.direct_url is not None:
            lines.append(f"Editable project location: {dist.direct_url.url}")
        lines += [f"Requires: {', '.join(requires)}", f"Required-by: {', '.join(required_by)}"]
        if args.files:
            lines.append("Files:")
            lines += [f"  {path}" for path in dist.files()]
        blocks.append("\n".join(lines))
    print("\n---\n".join(blocks))
    return 0
