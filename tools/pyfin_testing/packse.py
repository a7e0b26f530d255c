"""packse scenarios (TOML) as files on a loopback index, and the `pyfin pip compile` options
that match their resolver options.

`load_scenario(path)` reads one file (schema: /work/shared/README.md); `write_scenario(scenario,
directory)` writes every wheel (one per `wheel_tags` entry) and sdist into `directory` and
returns the `Faults` (yanked files, Requires-Python) to serve them with; `compile_arguments`
gives the command-line options. Sdists carry a static PKG-INFO (Metadata-Version 2.2), so their
metadata is read without a build.
"""

from __future__ import annotations

import importlib
import io
import sys
import tarfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, cast

from packaging.utils import canonicalize_name

from pyfin_testing.index_server import Faults
from pyfin_testing.wheels import build_wheel

__all__ = [
    "PackseScenario",
    "PackseVersion",
    "compile_arguments",
    "load_scenario",
    "requirements_text",
    "scenario_paths",
    "write_scenario",
]

DEFAULT_REQUIRES_PYTHON = ">=3.12"
DEFAULT_PYTHON = "3.12"


@dataclass(frozen=True, slots=True)
class PackseVersion:
    """One version of one package of a scenario."""

    name: str
    version: str
    requires: tuple[str, ...] = ()
    extras: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    requires_python: str | None = DEFAULT_REQUIRES_PYTHON
    sdist: bool = True
    wheel: bool = True
    yanked: bool = False
    wheel_tags: tuple[str, ...] = ("py3-none-any",)


@dataclass(frozen=True, slots=True)
class PackseScenario:
    """A scenario: its packages, root requirements, options and expected outcome."""

    name: str
    category: str
    requires: tuple[str, ...]
    versions: tuple[PackseVersion, ...]
    satisfiable: bool
    expected_packages: Mapping[str, str] | None
    python: str
    python_platform: str | None = None
    prereleases: bool = False
    no_build: tuple[str, ...] = ()
    no_binary: tuple[str, ...] = ()
    universal: bool = False
    root_requires_python: str | None = None


def scenario_paths(root: Path) -> list[Path]:
    """Every scenario file under `root` (the `examples` folder holds format samples only)."""
    return sorted(p for p in root.rglob("*.toml") if p.parent.name != "examples")


def _loads_toml(text: str) -> dict[str, Any]:
    if sys.version_info >= (3, 11):
        import tomllib

        return tomllib.loads(text)
    return cast("dict[str, Any]", importlib.import_module("tomli").loads(text))


def _names(value: object) -> tuple[str, ...]:
    if value is True:
        return (":all:",)
    if not value:
        return ()
    assert isinstance(value, list)
    return tuple(str(name) for name in value)


def load_scenario(path: Path) -> PackseScenario:
    """Read one scenario file (missing fields take the schema's defaults)."""
    data = _loads_toml(path.read_text(encoding="utf-8"))
    versions = []
    for name, package in data.get("packages", {}).items():
        for version, spec in package.get("versions", {}).items():
            versions.append(
                PackseVersion(
                    name=name,
                    version=version,
                    requires=tuple(spec.get("requires", ())),
                    extras={k: tuple(v) for k, v in spec.get("extras", {}).items()},
                    requires_python=spec.get("requires_python", DEFAULT_REQUIRES_PYTHON) or None,
                    sdist=spec.get("sdist", True),
                    wheel=spec.get("wheel", True),
                    yanked=spec.get("yanked", False),
                    wheel_tags=tuple(spec.get("wheel_tags", ("py3-none-any",))),
                )
            )
    options = data.get("resolver_options", {})
    expected = data.get("expected", {})
    return PackseScenario(
        name=data["name"],
        category=path.parent.name,
        requires=tuple(data.get("root", {}).get("requires", ())),
        versions=tuple(versions),
        satisfiable=bool(expected.get("satisfiable", False)),
        expected_packages=expected.get("packages"),
        python=str(
            options.get("python") or data.get("environment", {}).get("python", DEFAULT_PYTHON)
        ),
        python_platform=options.get("python_platform"),
        prereleases=bool(options.get("prereleases", False)),
        no_build=_names(options.get("no_build")),
        no_binary=_names(options.get("no_binary")),
        universal=bool(options.get("universal", False)),
        root_requires_python=data.get("root", {}).get("requires_python"),
    )


def _pkg_info(version: PackseVersion) -> str:
    lines = ["Metadata-Version: 2.2", f"Name: {version.name}", f"Version: {version.version}"]
    if version.requires_python is not None:
        lines.append(f"Requires-Python: {version.requires_python}")
    lines.extend(f"Requires-Dist: {requirement}" for requirement in version.requires)
    for extra, requirements in version.extras.items():
        lines.append(f"Provides-Extra: {extra}")
        for requirement in requirements:
            requirement_part, _, marker = requirement.partition(";")
            condition = f'extra == "{extra}"'
            if marker.strip():
                condition = f"({marker.strip()}) and {condition}"
            lines.append(f"Requires-Dist: {requirement_part.strip()}; {condition}")
    return "\n".join(lines) + "\n\n"


def _write_sdist(directory: Path, version: PackseVersion) -> Path:
    stem = f"{canonicalize_name(version.name).replace('-', '_')}-{version.version}"
    pyproject = f'[project]\nname = "{version.name}"\nversion = "{version.version}"\n'
    members = {f"{stem}/PKG-INFO": _pkg_info(version), f"{stem}/pyproject.toml": pyproject}
    path = directory / f"{stem}.tar.gz"
    with tarfile.open(path, "w:gz") as archive:
        for arcname, text in members.items():
            data = text.encode()
            info = tarfile.TarInfo(arcname)
            info.size = len(data)
            archive.addfile(info, io.BytesIO(data))
    return path


def write_scenario(scenario: PackseScenario, directory: Path) -> Faults:
    """Write the scenario's files into `directory`; returns the `Faults` to serve them with
    (yanked files, and every file's Requires-Python for the index page)."""
    faults = Faults()
    for version in scenario.versions:
        written: list[Path] = []
        if version.wheel:
            for tag in version.wheel_tags:
                written.append(
                    build_wheel(
                        directory,
                        version.name,
                        version.version,
                        requires=version.requires,
                        requires_python=version.requires_python,
                        extras={k: list(v) for k, v in version.extras.items()},
                        tag=tag,
                    )
                )
        if version.sdist:
            written.append(_write_sdist(directory, version))
        for path in written:
            if version.yanked:
                faults.yanked[path.name] = "yanked by the scenario"
            if version.requires_python is not None:
                faults.requires_python[path.name] = version.requires_python
    return faults


def compile_arguments(scenario: PackseScenario) -> list[str]:
    """`pyfin pip compile` options matching the scenario's resolver options."""
    arguments = ["--python-version", scenario.python]
    if scenario.python_platform is not None:
        arguments += ["--python-platform", scenario.python_platform]
    if scenario.prereleases:
        arguments += ["--prerelease", "allow"]
    arguments += [f"--no-build-package={name}" for name in scenario.no_build if name != ":all:"]
    if ":all:" in scenario.no_build:
        arguments.append("--no-build")
    arguments += [f"--no-binary={name}" for name in scenario.no_binary]
    return arguments


def requirements_text(requires: Sequence[str]) -> str:
    """The root requirements as a requirements file."""
    return "".join(f"{line}\n" for line in requires)
