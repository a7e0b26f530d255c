"""`build_project` (what `pyfin build` runs): sdist, then the wheel from it, into a folder."""

from __future__ import annotations

import tarfile
import zipfile
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from pyfin_build import BuildFailed, UnsupportedSource, build_project
from pyfin_testing.projects import write_intree_project

if TYPE_CHECKING:
    from conftest import DoubleContext


def test_sdist_then_wheel_from_the_sdist(
    context: DoubleContext, tmp_path: Path, backend_log: Path
) -> None:
    tree = write_intree_project(tmp_path, "proj", "0.3", module_source="A = 1\n")
    out = tmp_path / "dist"
    built = build_project(tree, out, context)
    assert built == [out / "proj-0.3.tar.gz", out / "proj-0.3-py3-none-any.whl"]
    with tarfile.open(built[0]) as tar:
        assert "proj-0.3/PKG-INFO" in tar.getnames()
    with zipfile.ZipFile(built[1]) as zf:
        assert zf.read("proj/__init__.py") == b"A = 1\n"
    # The wheel came from the sdist's index key (content hash), not from the tree.
    assert "/built-wheels-v0/index/" in str(context.builder.build_wheel(built[0]))
    assert backend_log.read_text().splitlines().count("build_wheel proj") == 1
    assert sorted(p.name for p in out.iterdir()) == sorted(p.name for p in built)


def test_wheel_only_builds_from_the_tree(context: DoubleContext, tmp_path: Path) -> None:
    tree = write_intree_project(tmp_path, "proj")
    built = build_project(tree, tmp_path / "dist", context, sdist=False)
    assert [p.name for p in built] == ["proj-1.0-py3-none-any.whl"]


def test_sdist_only(context: DoubleContext, tmp_path: Path) -> None:
    tree = write_intree_project(tmp_path, "proj")
    built = build_project(tree, tmp_path / "dist", context, wheel=False, config_settings={"k": "v"})
    assert [p.name for p in built] == ["proj-1.0.tar.gz"]


def test_a_failing_sdist_hook(context: DoubleContext, tmp_path: Path) -> None:
    tree = write_intree_project(tmp_path, "proj", fail_hook="build_sdist")
    with pytest.raises(BuildFailed) as info:
        build_project(tree, tmp_path / "dist", context)
    assert (info.value.package, info.value.hook) == ("proj", "build_sdist")
    assert list((tmp_path / "dist").iterdir()) == []


def test_the_source_must_be_a_folder(context: DoubleContext, tmp_path: Path) -> None:
    with pytest.raises(UnsupportedSource, match="it is not a folder"):
        build_project(tmp_path / "nope", tmp_path / "dist", context)
