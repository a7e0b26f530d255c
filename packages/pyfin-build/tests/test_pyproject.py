"""Reading `[build-system]`: backends, the legacy fallback, invalid tables, backend-path."""

from __future__ import annotations

from pathlib import Path

import pytest
from packaging.requirements import Requirement

from pyfin_build import BackendPathOutsideTree, BuildSystem, InvalidProject, read_build_system
from pyfin_build._pyproject import check_backend_path
from pyfin_testing.projects import write_files

LEGACY = BuildSystem(
    (Requirement("setuptools>=40.8.0"), Requirement("wheel")), "setuptools.build_meta:__legacy__"
)


def test_without_pyproject_the_legacy_backend_is_used(tmp_path: Path) -> None:
    write_files(tmp_path, {"setup.py": "from setuptools import setup\nsetup()\n"})
    assert read_build_system(tmp_path) == LEGACY


def test_without_build_system_table_the_legacy_backend_is_used(tmp_path: Path) -> None:
    write_files(tmp_path, {"pyproject.toml": "[tool.black]\nline-length = 90\n"})
    assert read_build_system(tmp_path) == LEGACY


def test_requires_without_backend_keeps_the_requirements(tmp_path: Path) -> None:
    write_files(tmp_path, {"pyproject.toml": '[build-system]\nrequires = ["setuptools>=64"]\n'})
    system = read_build_system(tmp_path)
    assert system.backend == "setuptools.build_meta:__legacy__"
    assert [str(r) for r in system.requires] == ["setuptools>=64"]


def test_a_full_build_system(tmp_path: Path) -> None:
    write_files(
        tmp_path,
        {
            "pyproject.toml": """\
                [build-system]
                requires = ["hatchling>=1.18", "hatch-vcs"]
                build-backend = " hatchling.build "
                backend-path = ["tools"]
                """
        },
    )
    assert read_build_system(tmp_path) == BuildSystem(
        (Requirement("hatchling>=1.18"), Requirement("hatch-vcs")), "hatchling.build", ("tools",)
    )


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("[build-system\n", "is not valid TOML"),
        ("build-system = 3\n", "[build-system] must be a table"),
        ('[build-system]\nbuild-backend = "x"\n', "requires must be a list of strings"),
        ('[build-system]\nrequires = ["ok", "not a req!"]\n', "build requirement 'not a req!'"),
        ('[build-system]\nrequires = []\nbuild-backend = ""\n', "must be a non-empty string"),
        (
            '[build-system]\nrequires = []\nbuild-backend = "x"\nbackend-path = "."\n',
            "backend-path must be a list of strings",
        ),
    ],
)
def test_invalid_tables_are_refused(tmp_path: Path, text: str, message: str) -> None:
    (tmp_path / "pyproject.toml").write_text(text)
    with pytest.raises(InvalidProject) as info:
        read_build_system(tmp_path)
    assert message in str(info.value)
    assert info.value.path == tmp_path / "pyproject.toml"


@pytest.mark.parametrize("entry", ["..", "../elsewhere", "/usr/lib/python3", "inside/../../out"])
def test_backend_path_outside_the_tree_is_refused(tmp_path: Path, entry: str) -> None:
    tree = tmp_path / "project"
    (tree / "inside").mkdir(parents=True)
    with pytest.raises(BackendPathOutsideTree) as info:
        check_backend_path("demo", tree, (entry,))
    assert str(info.value) == (
        f"Refusing to build demo: backend-path entry {entry!r} is outside the source tree "
        f"{tree}; backend-path must name folders inside the project"
    )


def test_backend_path_through_a_symlink_out_is_refused(tmp_path: Path) -> None:
    tree = tmp_path / "project"
    tree.mkdir()
    (tree / "sneaky").symlink_to(tmp_path)
    with pytest.raises(BackendPathOutsideTree):
        check_backend_path("demo", tree, ("sneaky",))
    check_backend_path("demo", tree, (".", "sub/dir"))  # inside: accepted
