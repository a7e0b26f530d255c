"""Check the layering of the workspace from the real imports of every distribution.

Run as `python tools/check_layers.py [--root DIR]` (or `nox -s layers`); exit status 1 and one
line per violation when something is wrong. For each `packages/<dist>/src/**/*.py` it reads
every import (module level, function level, under `TYPE_CHECKING`: all of them), maps it to a
distribution and fails when:

- a distribution imports a workspace sibling it does not declare in its `dependencies`;
- a distribution imports, or declares, a sibling on the same or a higher layer;
- the declared sibling dependencies form a cycle;
- a distribution imports a third-party package it does not declare (the standard library is
  `sys.stdlib_module_names` plus `NEWER_STDLIB`; other import names are mapped to
  distributions through the distributions installed in the running environment).

`LAYERS` below is the one copy of the layer table of ARCHITECTURE.md.
"""

from __future__ import annotations

import argparse
import ast
import re
import sys
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from importlib.metadata import packages_distributions
from pathlib import Path

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised on Python 3.10 only
    import tomli as tomllib  # type: ignore[import-not-found, unused-ignore]

__all__ = [
    "LAYERS",
    "NEWER_STDLIB",
    "Distribution",
    "Violation",
    "check",
    "is_stdlib",
    "load_workspace",
    "main",
]

#: distribution name -> layer; a distribution may import only from lower layers.
LAYERS: Mapping[str, int] = {
    "install-wheel": 0,
    "pyfin-cache": 0,
    "pyfin-interpreter": 1,
    "gourgeist-py": 2,
    "pyfin-client": 2,
    "pyfin-traits": 2,
    "pyfin-build": 3,
    "pyfin-resolver": 3,
    "pyfin-installer": 3,
    "pyfin": 4,
}

#: Standard library modules of Pythons newer than some we support (`sys.stdlib_module_names`
#: names only the running one's): code may import them behind a version check.
NEWER_STDLIB = frozenset(
    {"tomllib", "_sha2", "_colorize", "_pyrepl", "annotationlib", "compression"}
)

_REQUIREMENT_NAME = re.compile(r"^\s*([A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?)")


def normalize(name: str) -> str:
    """PEP 503 normalisation of a distribution name."""
    return re.sub(r"[-_.]+", "-", name).lower()


@dataclass(frozen=True, slots=True)
class Distribution:
    """One workspace distribution as far as layering is concerned."""

    name: str  # normalised
    folder: Path
    import_names: frozenset[str]  # top-level packages/modules under src/
    dependencies: frozenset[str]  # normalised names of everything in [project] dependencies


@dataclass(frozen=True, slots=True)
class Violation:
    """One broken rule, with the place to look at."""

    where: str
    message: str

    def __str__(self) -> str:
        return f"{self.where}: {self.message}"


def load_workspace(root: Path) -> list[Distribution]:
    """Read every `packages/*/pyproject.toml` under `root`."""
    distributions = []
    for pyproject in sorted(root.glob("packages/*/pyproject.toml")):
        folder = pyproject.parent
        project = tomllib.loads(pyproject.read_text(encoding="utf-8"))["project"]
        dependencies = set()
        for requirement in project.get("dependencies", []):
            match = _REQUIREMENT_NAME.match(requirement)
            if match is None:
                raise ValueError(f"{pyproject}: cannot read the requirement {requirement!r}")
            dependencies.add(normalize(match.group(1)))
        src = folder / "src"
        import_names = {
            path.stem if path.suffix == ".py" else path.name
            for path in (src.iterdir() if src.is_dir() else ())
            if (path.is_dir() and (path / "__init__.py").exists()) or path.suffix == ".py"
        }
        distributions.append(
            Distribution(
                name=normalize(project["name"]),
                folder=folder,
                import_names=frozenset(import_names),
                dependencies=frozenset(dependencies),
            )
        )
    return distributions


def is_stdlib(module: str) -> bool:
    """Whether the top-level module `module` is in the standard library of a supported Python."""
    return module in sys.stdlib_module_names or module in NEWER_STDLIB


def iter_imports(path: Path) -> Iterator[tuple[int, str]]:
    """(line, top-level module name) of every absolute import in the file, at any depth."""
    tree = ast.parse(path.read_bytes(), filename=str(path))
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield node.lineno, alias.name.partition(".")[0]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            yield node.lineno, node.module.partition(".")[0]


def check(
    root: Path,
    layers: Mapping[str, int] = LAYERS,
    third_party: Mapping[str, Sequence[str]] | None = None,
) -> list[Violation]:
    """Every layering violation in the workspace at `root` (an empty list when all is well).

    `third_party` maps import names to the distributions providing them; by default, those
    installed in the running environment.
    """
    distributions = load_workspace(root)
    if third_party is None:
        third_party = packages_distributions()
    violations = _check_table(root, distributions, layers)
    violations += _check_cycles(distributions)
    owner = {name: dist for dist in distributions for name in dist.import_names}
    for dist in distributions:
        for path in sorted((dist.folder / "src").rglob("*.py")):
            where_file = path.relative_to(root).as_posix()
            try:
                imports = list(iter_imports(path))
            except SyntaxError as exc:
                message = f"cannot read the imports of a file Python cannot parse: {exc.msg}"
                violations.append(Violation(f"{where_file}:{exc.lineno}", message))
                continue
            for line, module in imports:
                where = f"{where_file}:{line}"
                if is_stdlib(module) or module in dist.import_names:
                    continue
                sibling = owner.get(module)
                if sibling is not None:
                    violations += _check_sibling_import(where, dist, module, sibling, layers)
                else:
                    violations += _check_third_party(where, dist, module, third_party)
    return violations


def _check_table(
    root: Path, distributions: Sequence[Distribution], layers: Mapping[str, int]
) -> list[Violation]:
    violations = []
    names = {dist.name for dist in distributions}
    for dist in distributions:
        where = (dist.folder / "pyproject.toml").relative_to(root).as_posix()
        if dist.name not in layers:
            violations.append(
                Violation(where, f"{dist.name} has no layer: add it to LAYERS in {_SCRIPT}")
            )
            continue
        for dependency in sorted(dist.dependencies & names):
            if dependency in layers and layers[dependency] >= layers[dist.name]:
                violations.append(
                    Violation(
                        where,
                        f"{dist.name} (layer {layers[dist.name]}) declares a dependency on"
                        f" {dependency} (layer {layers[dependency]}): a distribution may depend"
                        " only on lower layers",
                    )
                )
    for missing in sorted(set(layers) - names):
        violations.append(Violation(_SCRIPT, f"LAYERS names {missing}, which is not in packages/"))
    return violations


def _check_cycles(distributions: Sequence[Distribution]) -> list[Violation]:
    graph = {dist.name: sorted(dist.dependencies) for dist in distributions}
    done: set[str] = set()
    violations = []

    def visit(name: str, path: list[str]) -> None:
        if name in path:
            cycle = [*path[path.index(name) :], name]
            violations.append(Violation("packages/", "dependency cycle: " + " -> ".join(cycle)))
            return
        if name in done or name not in graph:
            return
        for dependency in graph[name]:
            visit(dependency, [*path, name])
        done.add(name)

    for name in sorted(graph):
        visit(name, [])
    return violations


def _check_sibling_import(
    where: str, dist: Distribution, module: str, sibling: Distribution, layers: Mapping[str, int]
) -> list[Violation]:
    violations = []
    if sibling.name not in dist.dependencies:
        violations.append(
            Violation(
                where,
                f"{dist.name} imports {module} but does not declare {sibling.name} in the"
                " dependencies of its pyproject.toml",
            )
        )
    if dist.name in layers and sibling.name in layers and layers[sibling.name] >= layers[dist.name]:
        violations.append(
            Violation(
                where,
                f"{dist.name} (layer {layers[dist.name]}) imports {module} from {sibling.name}"
                f" (layer {layers[sibling.name]}): a distribution may import only from lower"
                " layers",
            )
        )
    return violations


def _check_third_party(
    where: str, dist: Distribution, module: str, third_party: Mapping[str, Sequence[str]]
) -> list[Violation]:
    providers = {normalize(name) for name in third_party.get(module, ())}
    if normalize(module) in dist.dependencies:
        # Named like its distribution: fine even when not installed here (a dependency for
        # other Pythons only, such as `tomli; python_version < "3.11"`).
        return []
    if not providers:
        return [
            Violation(
                where,
                f"{dist.name} imports {module}, which is neither the standard library, a"
                " workspace distribution nor an installed distribution: declare the"
                " distribution that provides it and install it",
            )
        ]
    if providers & dist.dependencies:
        return []
    return [
        Violation(
            where,
            f"{dist.name} imports {module} (from {', '.join(sorted(providers))}) without"
            " declaring it in the dependencies of its pyproject.toml",
        )
    ]


_SCRIPT = "tools/check_layers.py"


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.partition("\n")[0])
    parser.add_argument(
        "--root",
        type=Path,
        default=Path(__file__).resolve().parent.parent,
        help="the workspace root (default: this script's repository)",
    )
    args = parser.parse_args(argv)
    violations = check(args.root)
    for violation in violations:
        print(violation, file=sys.stderr)
    if violations:
        print(f"layer check failed: {len(violations)} violation(s)", file=sys.stderr)
        return 1
    count = len(load_workspace(args.root))
    print(f"layer check passed: {count} distributions, every import on a lower layer")
    return 0


if __name__ == "__main__":
    sys.exit(main())
