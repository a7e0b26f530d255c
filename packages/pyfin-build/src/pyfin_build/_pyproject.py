"""Read a source tree's `[build-system]`: build requirements, backend, backend-path (PEP 517/518).

A tree without `pyproject.toml`, or whose pyproject has no `[build-system]`, builds with
setuptools' legacy backend; a `[build-system]` without `build-backend` keeps its `requires` and
uses the legacy backend too (PEP 517's fallback).
"""

from __future__ import annotations

import importlib
import os
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any, cast

from packaging.requirements import InvalidRequirement, Requirement
from packaging.utils import NormalizedName, canonicalize_name

from pyfin_build._errors import BackendPathOutsideTree, InvalidProject

LEGACY_BACKEND = "setuptools.build_meta:__legacy__"
LEGACY_REQUIRES = ("setuptools>=40.8.0", "wheel")


@dataclass(frozen=True, slots=True)
class BuildSystem:
    """What `[build-system]` asks for: requirements, the backend object, its import path."""

    requires: tuple[Requirement, ...]
    backend: str
    backend_path: tuple[str, ...] = ()

    @classmethod
    def legacy(cls, requires: tuple[Requirement, ...] | None = None) -> BuildSystem:
        """setuptools' legacy backend (with `requires`, default setuptools>=40.8.0 and wheel)."""
        if requires is None:
            requires = tuple(Requirement(text) for text in LEGACY_REQUIRES)
        return cls(requires, LEGACY_BACKEND)


def load_toml(path: Path) -> dict[str, Any]:
    """Parse the TOML file `path`; raises `InvalidProject`."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise InvalidProject(path, f"it cannot be read ({exc})") from exc
    if sys.version_info >= (3, 11):
        import tomllib

        parser: Any = tomllib
    else:  # Python 3.10 has no tomllib; tomli is the same parser (a declared dependency there)
        parser = importlib.import_module("tomli")
    try:
        return cast("dict[str, Any]", parser.loads(text))
    except ValueError as exc:  # tomllib's and tomli's TOMLDecodeError are ValueErrors
        raise InvalidProject(path, f"it is not valid TOML ({exc})") from exc


def read_build_system(tree: Path) -> BuildSystem:
    """The build system of the source tree `tree`. Raises `InvalidProject`."""
    path = tree / "pyproject.toml"
    if not path.is_file():
        return BuildSystem.legacy()
    table = load_toml(path).get("build-system")
    if table is None:
        return BuildSystem.legacy()
    if not isinstance(table, dict):
        raise InvalidProject(path, "[build-system] must be a table")
    raw_requires = table.get("requires")
    if not isinstance(raw_requires, list) or not all(isinstance(r, str) for r in raw_requires):
        raise InvalidProject(path, "[build-system] requires must be a list of strings (PEP 518)")
    requires: list[Requirement] = []
    for text in raw_requires:
        try:
            requires.append(Requirement(text))
        except InvalidRequirement as exc:
            raise InvalidProject(path, f"build requirement {text!r} is invalid: {exc}") from exc
    backend = table.get("build-backend")
    if backend is None:
        return BuildSystem.legacy(tuple(requires))
    if not isinstance(backend, str) or not backend.strip():
        raise InvalidProject(path, "[build-system] build-backend must be a non-empty string")
    backend_path = table.get("backend-path", [])
    if not isinstance(backend_path, list) or not all(isinstance(p, str) for p in backend_path):
        raise InvalidProject(path, "[build-system] backend-path must be a list of strings")
    return BuildSystem(tuple(requires), backend.strip(), tuple(backend_path))


def check_backend_path(package: str, tree: Path, backend_path: tuple[str, ...]) -> None:
    """Raise `BackendPathOutsideTree` unless every entry resolves (symlinks followed) inside
    `tree`."""
    root = os.path.realpath(tree)
    for entry in backend_path:
        if Path(entry).is_absolute():
            raise BackendPathOutsideTree(package, entry, tree)
        resolved = os.path.realpath(os.path.join(root, entry))  # noqa: PTH118
        if os.path.commonpath([root, resolved]) != root:
            raise BackendPathOutsideTree(package, entry, tree)


def guess_project_name(tree: Path) -> NormalizedName | None:
    """The project name, read without building: PKG-INFO's `Name`, else pyproject's
    `[project] name`; None when neither says (e.g. a setup.py-only tree)."""
    pkg_info = tree / "PKG-INFO"
    if pkg_info.is_file():
        for line in pkg_info.read_text(encoding="utf-8", errors="replace").splitlines():
            if not line.strip():
                break
            key, _, value = line.partition(":")
            if key.strip().lower() == "name" and value.strip():
                return canonicalize_name(value.strip())
    pyproject = tree / "pyproject.toml"
    if pyproject.is_file():
        try:
            project = load_toml(pyproject).get("project")
        except InvalidProject:
            return None
        if isinstance(project, dict) and isinstance(project.get("name"), str):
            return canonicalize_name(project["name"])
    return None
