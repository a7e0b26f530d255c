"""The public surface of pyfin_build is exactly what we mean to export."""

from __future__ import annotations

import pyfin_build


def test_all_is_the_public_surface() -> None:
    assert sorted(pyfin_build.__all__) == [
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
    for name in pyfin_build.__all__:
        assert getattr(pyfin_build, name) is not None


def test_every_error_derives_from_build_error() -> None:
    for name in pyfin_build.__all__:
        value = getattr(pyfin_build, name)
        if isinstance(value, type) and issubclass(value, Exception):
            assert issubclass(value, pyfin_build.BuildError)
