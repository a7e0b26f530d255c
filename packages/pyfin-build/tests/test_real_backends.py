"""Real backends (setuptools, hatchling, flit_core) from pinned PyPI wheels, installed into the
isolated environment through the BuildContext double."""

from __future__ import annotations

import subprocess
import zipfile
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from gourgeist import create_venv
from install_wheel import WheelFile, destination_for, install
from pyfin_build import BuildFailed, build_project
from pyfin_interpreter import Interpreter
from pyfin_testing.projects import write_files

if TYPE_CHECKING:
    from conftest import DoubleContext, MakeContext

pytestmark = [pytest.mark.network, pytest.mark.slow]

HATCH_PROJECT = {
    "pyproject.toml": """\
        [build-system]
        requires = ["hatchling"]
        build-backend = "hatchling.build"

        [project]
        name = "hatch-demo"
        version = "0.4.0"
        dependencies = ["attrs>=23"]
        """,
    "src/hatch_demo/__init__.py": "VALUE = 'first'\n",
}


def _metadata(dist_info: Path) -> str:
    return (dist_info / "METADATA").read_text()


def _wheel_names(wheel: Path) -> list[str]:
    with zipfile.ZipFile(wheel) as zf:
        return zf.namelist()


def test_setup_py_only_project_uses_the_legacy_backend(
    real_context: DoubleContext, tmp_path: Path
) -> None:
    tree = write_files(
        tmp_path / "legacy",
        {
            "setup.py": """\
                from setuptools import setup
                setup(name="legacy-only", version="0.1", py_modules=["legacy_mod"])
                """,
            "legacy_mod.py": "X = 1\n",
        },
    )
    build = real_context.setup_build(tree)
    metadata = _metadata(build.metadata())
    assert "Name: legacy-only" in metadata
    assert "Version: 0.1" in metadata
    wheel = build.wheel(tmp_path / "out")
    assert wheel.name == "legacy_only-0.1-py3-none-any.whl"
    assert "legacy_mod.py" in _wheel_names(wheel)
    assert real_context.resolve_calls[0] == ["setuptools>=40.8.0", "wheel"]


def test_hatchling_project(real_context: DoubleContext, tmp_path: Path) -> None:
    tree = write_files(tmp_path / "hatch", HATCH_PROJECT)
    build = real_context.setup_build(tree)
    assert "Requires-Dist: attrs>=23" in _metadata(build.metadata())
    wheel = build.wheel(tmp_path / "out")
    assert wheel.name == "hatch_demo-0.4.0-py2.py3-none-any.whl"
    assert "hatch_demo/__init__.py" in _wheel_names(wheel)
    assert real_context.install_calls[0] == [
        "hatchling",
        "packaging",
        "pathspec",
        "pluggy",
        "trove-classifiers",
    ]


def test_setuptools_project_with_dynamic_metadata(
    real_context: DoubleContext, tmp_path: Path
) -> None:
    tree = write_files(
        tmp_path / "dyn",
        {
            "pyproject.toml": """\
                [build-system]
                requires = ["setuptools>=64"]
                build-backend = "setuptools.build_meta"

                [project]
                name = "dyn-demo"
                dynamic = ["version", "dependencies"]

                [tool.setuptools.dynamic]
                version = {attr = "dyn_demo.__version__"}
                dependencies = {file = ["requirements.txt"]}
                """,
            "dyn_demo/__init__.py": "__version__ = '7.1.3'\n",
            "requirements.txt": "idna>=3.4\n",
        },
    )
    metadata = _metadata(real_context.setup_build(tree).metadata())
    assert "Version: 7.1.3" in metadata
    assert "Requires-Dist: idna>=3.4" in metadata
    assert real_context.setup_build(tree).wheel(tmp_path / "out").name == (
        "dyn_demo-7.1.3-py3-none-any.whl"
    )


def test_flit_project_sdist_then_wheel(real_context: DoubleContext, tmp_path: Path) -> None:
    tree = write_files(
        tmp_path / "flit",
        {
            "pyproject.toml": """\
                [build-system]
                requires = ["flit_core>=3.2,<4"]
                build-backend = "flit_core.buildapi"

                [project]
                name = "flit_demo"
                dynamic = ["version", "description"]
                """,
            "flit_demo.py": '"""A flit demo."""\n__version__ = "2.5"\n',
        },
    )
    built = build_project(tree, tmp_path / "dist", real_context)
    assert [p.name for p in built] == ["flit_demo-2.5.tar.gz", "flit_demo-2.5-py2.py3-none-any.whl"]
    assert "flit_demo.py" in _wheel_names(built[1])


def test_editable_hatchling_install_reflects_edits(
    real_context: DoubleContext, interpreter: Interpreter, tmp_path: Path
) -> None:
    tree = write_files(tmp_path / "hatch", HATCH_PROJECT)
    build = real_context.setup_build(tree, editable=True)
    wheel = build.wheel(tmp_path / "out")
    assert ["editables"] in [[n for n in c if n == "editables"] for c in real_context.install_calls]
    venv = create_venv(tmp_path / "venv", interpreter)
    install(WheelFile(wheel), destination_for(venv.sys_executable))
    run = [str(venv.sys_executable), "-c", "import hatch_demo; print(hatch_demo.VALUE)"]
    assert subprocess.run(run, capture_output=True, text=True, check=True).stdout == "first\n"
    (tree / "src" / "hatch_demo" / "__init__.py").write_text("VALUE = 'edited'\n")
    assert subprocess.run(run, capture_output=True, text=True, check=True).stdout == "edited\n"


def test_second_build_is_served_from_the_cache(
    make_context: MakeContext, real_wheelhouse: Path, tmp_path: Path
) -> None:
    tree = write_files(tmp_path / "hatch", HATCH_PROJECT)
    first = make_context(real_wheelhouse)
    wheel = first.builder.build_wheel(tree)
    second = make_context(real_wheelhouse)
    assert second.builder.build_wheel(tree) == wheel
    assert second.setup_build(tree).metadata().name == "hatch_demo-0.4.0.dist-info"
    assert second.resolve_calls == second.install_calls == []  # no environment, no hook


def test_a_real_backend_failure_shows_its_output(
    real_context: DoubleContext, tmp_path: Path
) -> None:
    tree = write_files(
        tmp_path / "bad",
        {"setup.py": "raise SystemExit('setup.py refuses: missing the frobnicator')\n"},
    )
    with pytest.raises(BuildFailed) as info:
        real_context.setup_build(tree).metadata()
    assert info.value.hook == "get_requires_for_build_wheel"
    assert "missing the frobnicator" in info.value.output_tail
    assert info.value.package == "bad"
