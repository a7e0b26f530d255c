"""A PEP 517 / PEP 660 frontend: source distribution or tree to metadata and wheel, in an
isolated environment, read through the `BUILT_WHEELS` cache.

- `Builder`: `setup(source, name=, editable=, url=) -> CachedBuild` (a lazy
  `pyfin_traits.SourceBuild`), `metadata(source)`, `build_wheel(source)`; builds once per
  source (thread- and process-safe), detects build cycles (see `_builder`, `_locks`).
- `build_project(source_dir, out_dir, context, sdist=True, wheel=True)`: `pyfin build`.
- `BuildSystem`, `read_build_system(tree)`: a tree's `[build-system]` (PEP 517/518).
- `extract_sdist(archive, dest)`: safe extraction of source archives (see `_archive`).
- Errors: `BuildError` and its subclasses (see `_errors`).
"""

from __future__ import annotations

from pyfin_build._archive import extract_sdist
from pyfin_build._builder import Builder, CachedBuild
from pyfin_build._errors import (
    BackendImportFailed,
    BackendPathOutsideTree,
    BuildCycle,
    BuildEnvironmentFailed,
    BuildError,
    BuildFailed,
    HookNotSupported,
    InvalidProject,
    InvalidSourceArchive,
    UnsafeArchive,
    UnsupportedSource,
)
from pyfin_build._project import build_project
from pyfin_build._pyproject import BuildSystem, read_build_system

__all__ = [
    "BackendImportFailed",
    "BackendPathOutsideTree",
    "BuildCycle",
    "BuildEnvironmentFailed",
    "BuildError",
    "BuildFailed",
    "BuildSystem",
    "Builder",
    "CachedBuild",
    "HookNotSupported",
    "InvalidProject",
    "InvalidSourceArchive",
    "UnsafeArchive",
    "UnsupportedSource",
    "build_project",
    "extract_sdist",
    "read_build_system",
]
