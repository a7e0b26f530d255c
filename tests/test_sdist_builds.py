"""Source distributions end to end: `pip compile`, `pip sync` and `pip install` build sdists
(with the in-tree test backend, so no network) through `BuildDispatch` and pyfin-build."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from pyfin_e2e import RunPyfin, run_python

from pyfin_testing.index_server import IndexServer
from pyfin_testing.projects import sdist_from_tree, write_intree_project
from pyfin_testing.wheels import build_wheel


@pytest.fixture
def index(tmp_path: Path) -> Iterator[IndexServer]:
    """`app` 1.0 (sdist only, dynamic metadata: no PKG-INFO; needs `lib>=1`), `lib` 1.0 (a
    wheel) and `lib` 2.0 (sdist only), `broken` 1.0 (sdist whose build_wheel fails)."""
    files = tmp_path / "files"
    trees = tmp_path / "trees"
    app = write_intree_project(
        trees, "app", "1.0", dependencies=["lib>=1"], module_source="NAME = 'app'\n"
    )
    sdist_from_tree(app, files, "app-1.0")
    build_wheel(files, "lib", "1.0", files={"lib/__init__.py": "VALUE = 1\n"})
    lib = write_intree_project(trees / "v2", "lib", "2.0", module_source="VALUE = 2\n")
    sdist_from_tree(lib, files, "lib-2.0")
    broken = write_intree_project(trees, "broken", "1.0", fail_hook="build_wheel")
    sdist_from_tree(broken, files, "broken-1.0")
    with IndexServer(files) as server:
        yield server


@pytest.fixture
def env(tmp_path: Path) -> dict[str, str]:
    """A cache of this test's own (builds are counted) and the backend's hook log."""
    return {
        "PYFIN_CACHE_DIR": str(tmp_path / "cache"),
        "PYFIN_TEST_BACKEND_LOG": str(tmp_path / "hooks.log"),
    }


def _hooks(tmp_path: Path) -> list[str]:
    log = tmp_path / "hooks.log"
    return log.read_text().splitlines() if log.exists() else []


def _venv(run_pyfin: RunPyfin, tmp_path: Path, name: str, env: dict[str, str]) -> Path:
    result = run_pyfin("venv", "-q", "--python", "3.11", name, env=env)
    assert result.returncode == 0, result.stderr
    return tmp_path / name


def _lines(stderr: str) -> list[str]:
    return [line if line.startswith(" ") else line.split(" in ")[0] for line in stderr.splitlines()]


def test_compile_builds_sdists_with_dynamic_metadata(
    run_pyfin: RunPyfin, index: IndexServer, tmp_path: Path, env: dict[str, str]
) -> None:
    (tmp_path / "requirements.in").write_text("app\n")
    result = run_pyfin(
        "pip", "compile", "--index-url", index.index_url, "requirements.in", "--no-header",
        env=env,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert result.stdout == "app==1.0\n    # via -r requirements.in\nlib==2.0\n    # via app\n"
    # Metadata came from prepare_metadata_for_build_wheel; no wheel was built to learn it.
    assert _hooks(tmp_path) == [
        "get_requires_for_build_wheel app",
        "prepare_metadata_for_build_wheel app",
        "get_requires_for_build_wheel lib",
        "prepare_metadata_for_build_wheel lib",
    ]


def test_sync_builds_then_a_new_venv_reuses_the_built_wheels(
    run_pyfin: RunPyfin, index: IndexServer, tmp_path: Path, env: dict[str, str]
) -> None:
    (tmp_path / "req.txt").write_text(f"--index-url {index.index_url}\napp==1.0\nlib==2.0\n")
    first = _venv(run_pyfin, tmp_path, "one", env)
    result = run_pyfin("pip", "sync", "--python", first, "req.txt", env=env)
    assert result.returncode == 0, result.stderr
    assert _lines(result.stderr) == [
        "Resolved 2 packages",
        "Prepared 2 packages",
        "Installed 2 packages",
        " + app==1.0",
        " + lib==2.0",
    ]
    code = "import app, lib; print(app.NAME, lib.VALUE)"
    assert run_python(first / "bin" / "python", code) == "app 2"
    built = sorted(line for line in _hooks(tmp_path) if line.startswith("build_wheel"))
    assert built == ["build_wheel app", "build_wheel lib"]

    second = _venv(run_pyfin, tmp_path, "two", env)
    (tmp_path / "hooks.log").unlink()
    result = run_pyfin("pip", "sync", "--python", second, "req.txt", env=env)
    assert result.returncode == 0, result.stderr
    assert run_python(second / "bin" / "python", code) == "app 2"
    assert _hooks(tmp_path) == []  # no hook ran: both wheels came from the build cache


def test_install_builds_an_sdist_only_package_and_reuses_it(
    run_pyfin: RunPyfin, index: IndexServer, tmp_path: Path, env: dict[str, str]
) -> None:
    first = _venv(run_pyfin, tmp_path, "one", env)
    result = run_pyfin("pip", "install", "-p", first, "-i", index.index_url, "app", env=env)
    assert result.returncode == 0, result.stderr
    assert _lines(result.stderr) == [
        "Resolved 2 packages",
        "Prepared 2 packages",
        "Installed 2 packages",
        " + app==1.0",
        " + lib==2.0",
    ]
    assert run_python(first / "bin" / "python", "import app, lib; print(lib.VALUE)") == "2"
    assert "build_wheel app" in _hooks(tmp_path)

    second = _venv(run_pyfin, tmp_path, "two", env)
    (tmp_path / "hooks.log").unlink()
    result = run_pyfin("pip", "install", "-p", second, "-i", index.index_url, "app", env=env)
    assert result.returncode == 0, result.stderr
    assert run_python(second / "bin" / "python", "import app, lib; print(lib.VALUE)") == "2"
    assert _hooks(tmp_path) == []


@pytest.mark.parametrize(
    "options", [["--no-build"], ["--no-build-package", "lib"], ["--only-binary", ":all:"]]
)
def test_sync_with_builds_disabled_refuses_and_builds_nothing(
    run_pyfin: RunPyfin,
    index: IndexServer,
    tmp_path: Path,
    env: dict[str, str],
    options: list[str],
) -> None:
    (tmp_path / "req.txt").write_text(f"--index-url {index.index_url}\nlib==2.0\n")
    venv = _venv(run_pyfin, tmp_path, "venv", env)
    result = run_pyfin("pip", "sync", "--python", venv, "req.txt", *options, env=env)
    assert result.returncode == 1
    assert result.stderr.splitlines()[-1] == (
        "error: `lib==2.0` has no compatible wheel, only lib-2.0.tar.gz, and building `lib` is"
        " disabled; allow its build (drop --no-build, --no-build-package lib or --only-binary)"
        " or pick a version that has a compatible wheel."
    )
    assert _hooks(tmp_path) == []


def test_sync_without_a_version_pin_and_no_build_takes_the_wheel(
    run_pyfin: RunPyfin, index: IndexServer, tmp_path: Path, env: dict[str, str]
) -> None:
    (tmp_path / "req.txt").write_text(f"--index-url {index.index_url}\nlib\n")
    venv = _venv(run_pyfin, tmp_path, "venv", env)
    result = run_pyfin("pip", "sync", "--python", venv, "req.txt", "--no-build", env=env)
    assert result.returncode == 0, result.stderr
    assert " + lib==1.0" in result.stderr.splitlines()
    assert _hooks(tmp_path) == []


def test_install_with_no_build_refuses_naming_the_package(
    run_pyfin: RunPyfin, index: IndexServer, tmp_path: Path, env: dict[str, str]
) -> None:
    venv = _venv(run_pyfin, tmp_path, "venv", env)
    result = run_pyfin(
        "pip", "install", "-p", venv, "-i", index.index_url, "app", "--no-build", env=env
    )
    assert result.returncode == 1
    assert result.stderr == (
        "error: No solution found when resolving dependencies:\n"
        "Because app==1.0 has only a source distribution and building is disabled and you"
        " require app, we can conclude that your requirements are unsatisfiable.\n"
    )
    assert _hooks(tmp_path) == []


def test_a_failing_build_names_package_hook_and_output_tail(
    run_pyfin: RunPyfin, index: IndexServer, tmp_path: Path, env: dict[str, str]
) -> None:
    (tmp_path / "req.txt").write_text(f"--index-url {index.index_url}\nbroken==1.0\n")
    venv = _venv(run_pyfin, tmp_path, "venv", env)
    result = run_pyfin("pip", "sync", "--python", venv, "req.txt", env=env)
    assert result.returncode == 1
    lines = result.stderr.splitlines()
    assert lines[1] == "error: Failed to build `broken` from broken-1.0.tar.gz."
    assert lines[2] == (
        "  Caused by: Building broken failed: the backend's build_wheel exited with status 1;"
        " last lines of its output:"
    )
    assert "RuntimeError: build_wheel failed on purpose" in result.stderr
    assert "backend output line 30" in result.stderr
    assert "backend output line 1\n" not in result.stderr.split("Caused by:")[1]
    assert not (venv / "lib" / "python3.11" / "site-packages" / "broken").exists()


def test_config_settings_reach_the_backend(
    run_pyfin: RunPyfin, index: IndexServer, tmp_path: Path, env: dict[str, str]
) -> None:
    (tmp_path / "req.txt").write_text(f"--index-url {index.index_url}\nlib==2.0\n")
    venv = _venv(run_pyfin, tmp_path, "venv", env)
    result = run_pyfin(
        "pip", "sync", "--python", venv, "req.txt", "-C", "flavour=mint", "-C", "n=1",
        "-C", "n=2", env=env,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    found = list((venv / "lib" / "python3.11" / "site-packages").glob("lib-2.0.dist-info"))
    settings = (found[0] / "config_settings.json").read_text()
    assert settings == '{"flavour": "mint", "n": ["1", "2"]}'
