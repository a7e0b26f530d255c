"""The public surface of pyfin_installer is exactly what we mean to export."""

from __future__ import annotations

import pyfin_installer


def test_all_is_the_public_api() -> None:
    assert sorted(pyfin_installer.__all__) == sorted(
        [
            "BuildDisabled",
            "ClientFactory",
            "CompileReport",
            "ConflictingDependency",
            "CoreMetadata",
            "Environment",
            "ExternallyManaged",
            "FetchFailed",
            "HashMismatch",
            "HashRequirementError",
            "IncompatiblePython",
            "InstallOptions",
            "InstallOutcome",
            "InstalledDist",
            "InstallerError",
            "Inventory",
            "LinkFailed",
            "LinkMode",
            "LookupFailed",
            "MissingDependency",
            "NeedsBuild",
            "NoCompatibleWheel",
            "NoVirtualEnv",
            "NullReporter",
            "Plan",
            "PreparedWheel",
            "Preparer",
            "Problem",
            "Reinstall",
            "Reporter",
            "SourceBuildFailed",
            "Wanted",
            "dependencies",
            "dependency_graph",
            "find_environment",
            "find_problems",
            "install_wanted",
            "make_plan",
            "read_inventory",
            "satisfies",
            "uninstall_names",
            "wanted_from_resolution",
            "wheel_name_of_url",
        ]
    )
    for name in pyfin_installer.__all__:
        assert getattr(pyfin_installer, name) is not None


def test_every_error_derives_from_the_base() -> None:
    errors = [
        pyfin_installer.BuildDisabled,
        pyfin_installer.ExternallyManaged,
        pyfin_installer.FetchFailed,
        pyfin_installer.HashMismatch,
        pyfin_installer.HashRequirementError,
        pyfin_installer.LinkFailed,
        pyfin_installer.LookupFailed,
        pyfin_installer.NeedsBuild,
        pyfin_installer.NoCompatibleWheel,
        pyfin_installer.NoVirtualEnv,
        pyfin_installer.SourceBuildFailed,
    ]
    assert all(issubclass(e, pyfin_installer.InstallerError) for e in errors)
