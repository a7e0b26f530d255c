"""`pyfin pip tree`: the installed packages as a dependency tree (or inverted: dependents)."""

from __future__ import annotations

import argparse

from pyfin._commands.pip._shared import add_environment_options, environment_from

TYPE_CHECKING = False  # not typing.TYPE_CHECKING: see pyfin._parser
if TYPE_CHECKING:
    from collections.abc import Mapping, Sequence

    from pyfin._session import Session

__all__ = ["configure", "render_tree"]


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "-d", "--depth", type=int, default=255, metavar="N", help="show at most N levels"
    )
    parser.add_argument(
        "--invert", action="store_true", help="show what depends on each package instead"
    )
    parser.add_argument(
        "--package",
        action="append",
        default=[],
        metavar="PACKAGE",
        help="show only the tree of this package (repeatable)",
    )
    parser.add_argument(
        "--prune",
        action="append",
        default=[],
        metavar="PACKAGE",
        help="hide this package and its subtree (repeatable)",
    )
    add_environment_options(parser, install=False)
    parser.set_defaults(run=run)


def render_tree(
    edges: Mapping[str, Sequence[str]],
    versions: Mapping[str, str],
    roots: Sequence[str],
    *,
    depth: int,
    pruned: frozenset[str] = frozenset(),
) -> list[str]:
    """Lines of the trees under `roots`; a package whose subtree was already shown (or that
    leads back to itself) is marked `(*)` and not expanded again."""
    lines: list[str] = []
    shown: set[str] = set()

    def visit(name: str, prefix: str, connector: str, level: int, path: tuple[str, ...]) -> None:
        children = [c for c in edges.get(name, ()) if c not in pruned]
        repeated = name in shown and bool(children)
        label = f"{name} v{versions[name]}" if name in versions else name
        lines.append(f"{prefix}{connector}{label}{' (*)' if repeated else ''}")
        if repeated or level >= depth or name in path:
            return
        shown.add(name)
        child_prefix = prefix + ("" if not connector else "│   " if connector == "├── " else "    ")
        for index, child in enumerate(children):
            last = index == len(children) - 1
            visit(child, child_prefix, "└── " if last else "├── ", level + 1, (*path, name))

    for root in roots:
        if root not in pruned:
            visit(root, "", "", 0, ())
    if any(line.endswith(" (*)") for line in lines):
        lines.append("(*) Package tree already displayed")
    return lines


def run(args: argparse.Namespace, session: Session) -> int:
    from packaging.utils import canonicalize_name

    from pyfin_installer import dependency_graph

    environment = environment_from(args, session)
    inventory = environment.inventory()
    graph = dependency_graph(inventory, environment.interpreter.markers)
    versions: dict[str, str] = {dist.name: str(dist.version) for dist in inventory}
    edges: dict[str, list[str]] = {name: [] for name in graph}
    for parent, requirements in graph.items():
        for child in sorted({canonicalize_name(r.name) for r in requirements}):
            if child not in versions:
                continue  # missing dependencies are pip check's business
            if args.invert:
                edges[child].append(parent)
            else:
                edges[parent].append(child)
    for children in edges.values():
        children.sort()
    pointed_at = {child for children in edges.values() for child in children}
    if args.package:
        roots: list[str] = [
            canonicalize_name(p) for p in args.package if canonicalize_name(p) in versions
        ]
    else:
        roots = [name for name in sorted(edges) if name not in pointed_at]
        # Packages only reachable through a cycle have no root: show them too.
        reachable = _reachable(edges, roots)
        roots += [name for name in sorted(edges) if name not in reachable and name not in roots]
    pruned = frozenset(canonicalize_name(p) for p in args.prune)
    lines = render_tree(edges, versions, roots, depth=args.depth, pruned=pruned)
    if lines:
        print("\n".join(lines))
    return 0


def _reachable(edges: Mapping[str, Sequence[str]], roots: Sequence[str]) -> set[str]:
    seen: set[str] = set()
    stack = list(roots)
    while stack:
        name = stack.pop()
        if name not in seen:
            seen.add(name)
            stack.extend(edges.get(name, ()))
    return seen
