"""The target of `pyfin pip compile`: --python-version and --python-platform (pyfin._target)."""

from __future__ import annotations

import pytest
from packaging.markers import default_environment
from packaging.tags import Tag, sys_tags
from packaging.version import Version

from pyfin._target import PLATFORMS, InvalidTarget, target_for

MARKERS = {key: str(value) for key, value in default_environment().items()}
TAGS = tuple(sys_tags())


def test_no_override_keeps_the_interpreter() -> None:
    target = target_for(MARKERS, TAGS)
    assert target.tags == TAGS
    assert target.markers == MARKERS
    assert target.python_version == Version(MARKERS["python_full_version"])


def test_python_version_swaps_version_keeps_platform() -> None:
    target = target_for(MARKERS, TAGS, python_version="3.9")
    assert target.markers["python_version"] == "3.9"
    assert target.markers["python_full_version"] == "3.9.0"
    assert target.markers["sys_platform"] == MARKERS["sys_platform"]
    assert target.python_version == Version("3.9.0")
    assert target.tags[0].interpreter == "cp39"
    assert Tag("py3", "none", "any") in target.tags
    own = {tag.platform for tag in TAGS}
    assert {tag.platform for tag in target.tags} <= own
    assert Tag("cp39", "abi3", next(p for p in own if p != "any")) in target.tags


def test_patch_versions_are_kept() -> None:
    target = target_for(MARKERS, TAGS, python_version="3.9.21")
    assert target.markers["python_full_version"] == "3.9.21"
    assert target.python_version == Version("3.9.21")


def test_python_platform_replaces_markers_and_platform_tags() -> None:
    target = target_for(MARKERS, TAGS, python_version="3.12", python_platform="windows")
    assert target.markers["sys_platform"] == "win32"
    assert target.markers["platform_system"] == "Windows"
    assert Tag("cp312", "cp312", "win_amd64") in target.tags
    assert all(tag.platform in ("win_amd64", "any") for tag in target.tags)
    linux = target_for(MARKERS, TAGS, python_platform="x86_64-manylinux2014")
    platforms = {tag.platform for tag in linux.tags}
    assert "manylinux_2_17_x86_64" in platforms and "manylinux2014_x86_64" in platforms
    assert "manylinux_2_28_x86_64" not in platforms
    mac = target_for(MARKERS, TAGS, python_platform="macos")
    assert mac.markers["platform_machine"] == "arm64"
    assert any(tag.platform == "macosx_12_0_arm64" for tag in mac.tags)
    assert "linux" in PLATFORMS


@pytest.mark.parametrize(
    ("option", "value", "message"),
    [
        ("python_version", "three", "Invalid --python-version `three`: expected X.Y or X.Y.Z"),
        ("python_version", "2.7", "Invalid --python-version `2.7`: expected 3.X or 3.X.Y"),
        ("python_platform", "amiga", "Invalid --python-platform `amiga`: expected one of "),
    ],
)
def test_invalid_values(option: str, value: str, message: str) -> None:
    with pytest.raises(InvalidTarget) as failure:
        target_for(MARKERS, TAGS, **{option: value})
    assert str(failure.value).startswith(message)
