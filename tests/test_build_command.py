"""`pyfin build` end to end: an in-tree project (test backend, no network) to sdist + wheel."""

from __future__ import annotations

import json
import tarfile
import zipfile
from pathlib import Path

from pyfin_e2e import RunPyfin

from pyfin_testing.projects import write_intree_project


def _env(tmp_path: Path) -> dict[str, str]:
    return {
        "PYFIN_CACHE_DIR": str(tmp_path / "cache"),
        "PYFIN_TEST_BACKEND_LOG": str(tmp_path / "hooks.log"),
    }


def _hooks(tmp_path: Path) -> list[str]:
    log = tmp_path / "hooks.log"
    return log.read_text().splitlines() if log.exists() else []


def test_build_makes_an_sdist_then_a_wheel_from_it(run_pyfin: RunPyfin, tmp_path: Path) -> None:
    tree = write_intree_project(tmp_path, "proj", "1.0", module_source="X = 1\n")
    result = run_pyfin("build", "proj", env=_env(tmp_path))
    assert result.returncode == 0, result.stderr
    assert result.stderr.splitlines()[0] == f"Building source distribution and wheel of {tree}"
    assert result.stderr.splitlines()[1].startswith(
        "Successfully built proj/dist/proj-1.0.tar.gz and proj/dist/proj-1.0-py3-none-any.whl in "
    )
    assert sorted(p.name for p in (tree / "dist").iterdir()) == [
        "proj-1.0-py3-none-any.whl",
        "proj-1.0.tar.gz",
    ]
    with tarfile.open(tree / "dist" / "proj-1.0.tar.gz") as sdist:
        assert "proj-1.0/proj/__init__.py" in sdist.getnames()
    with zipfile.ZipFile(tree / "dist" / "proj-1.0-py3-none-any.whl") as wheel:
        assert wheel.read("proj/__init__.py") == b"X = 1\n"
    assert _hooks(tmp_path) == [
        "get_requires_for_build_sdist proj",
        "build_sdist proj",
        "get_requires_for_build_wheel proj",
        "build_wheel proj",
    ]


def test_build_wheel_only_with_out_dir_and_config_settings(
    run_pyfin: RunPyfin, tmp_path: Path
) -> None:
    tree = write_intree_project(tmp_path, "proj", "2.0")
    result = run_pyfin(
        "build", "--wheel", "--out-dir", tmp_path / "out", "-C", "mode=fast", cwd=tree,
        env=_env(tmp_path),
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert [p.name for p in (tmp_path / "out").iterdir()] == ["proj-2.0-py3-none-any.whl"]
    with zipfile.ZipFile(tmp_path / "out" / "proj-2.0-py3-none-any.whl") as wheel:
        settings = json.loads(wheel.read("proj-2.0.dist-info/config_settings.json"))
    assert settings == {"mode": "fast"}
    assert "build_sdist proj" not in _hooks(tmp_path)


def test_build_sdist_only(run_pyfin: RunPyfin, tmp_path: Path) -> None:
    tree = write_intree_project(tmp_path, "proj", "3.0")
    result = run_pyfin("build", "--sdist", tree, env=_env(tmp_path))
    assert result.returncode == 0, result.stderr
    assert [p.name for p in (tree / "dist").iterdir()] == ["proj-3.0.tar.gz"]
    assert "build_wheel proj" not in _hooks(tmp_path)


def test_a_failing_build_is_reported(run_pyfin: RunPyfin, tmp_path: Path) -> None:
    write_intree_project(tmp_path, "proj", "1.0", fail_hook="build_sdist")
    result = run_pyfin("build", "proj", env=_env(tmp_path))
    assert result.returncode == 1
    assert result.stderr.splitlines()[1] == (
        "error: Building proj failed: the backend's build_sdist exited with status 1; last"
        " lines of its output:"
    )
    assert "backend output line 30" in result.stderr
    assert not (tmp_path / "proj" / "dist").exists() or not any(
        (tmp_path / "proj" / "dist").iterdir()
    )


def test_build_of_a_folder_that_is_no_project(run_pyfin: RunPyfin, tmp_path: Path) -> None:
    (tmp_path / "empty").mkdir()
    result = run_pyfin("build", "empty", env=_env(tmp_path))
    assert result.returncode == 1
    assert result.stderr == (
        f"error: {tmp_path / 'empty'} is not a Python project: it has no pyproject.toml,"
        " setup.py or setup.cfg; pass the project's folder\n"
    )
    assert _hooks(tmp_path) == []
