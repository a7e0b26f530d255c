"""Settings end to end: `PYFIN_*` variables and configuration files steer the real command."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from pyfin_e2e import RunPyfin

from pyfin_testing.index_server import IndexServer
from pyfin_testing.wheels import build_wheel

#: Nothing listens here: an index at this address fails every request.
BOGUS_INDEX = "http://127.0.0.1:9/simple"


@pytest.fixture
def index(tmp_path: Path) -> Iterator[IndexServer]:
    """idna 3.4 / 3.6."""
    files = tmp_path / "files"
    files.mkdir()
    build_wheel(files, "idna", "3.4")
    build_wheel(files, "idna", "3.6")
    with IndexServer(files) as server:
        yield server


@pytest.fixture
def other_index(tmp_path: Path) -> Iterator[IndexServer]:
    """idna 3.4 only: a second index, to tell which one was used."""
    files = tmp_path / "other-files"
    files.mkdir()
    build_wheel(files, "idna", "3.4")
    with IndexServer(files) as server:
        yield server


def _compile(
    run_pyfin: RunPyfin, *args: str, env: dict[str, str] | None = None, cwd: Path | None = None
) -> tuple[int, str, str]:
    result = run_pyfin("pip", "compile", "requirements.in", "--no-header", *args, env=env, cwd=cwd)
    return result.returncode, result.stdout, result.stderr


@pytest.fixture(autouse=True)
def requirements(tmp_path: Path) -> None:
    (tmp_path / "requirements.in").write_text("idna\n")


def test_environment_variable_sets_the_index(run_pyfin: RunPyfin, index: IndexServer) -> None:
    code, out, err = _compile(run_pyfin, env={"PYFIN_INDEX_URL": index.index_url})
    assert code == 0, err
    assert out == "idna==3.6\n    # via -r requirements.in\n"
    assert index.paths("GET")


def test_config_file_sets_the_index(
    run_pyfin: RunPyfin, index: IndexServer, other_index: IndexServer, tmp_path: Path
) -> None:
    (tmp_path / "pyproject.toml").write_text(
        f'[project]\nname = "demo"\n\n[tool.pyfin]\nindex-url = "{index.index_url}"\n'
    )
    code, out, err = _compile(run_pyfin)
    assert code == 0, err
    assert out.startswith("idna==3.6\n")
    (tmp_path / "pyfin.toml").write_text(f'index-url = "{other_index.index_url}"\n')
    code, out, err = _compile(run_pyfin)  # pyfin.toml wins in the same folder
    assert code == 0, err
    assert out.startswith("idna==3.4\n")


def test_command_line_beats_environment_beats_file(
    run_pyfin: RunPyfin, index: IndexServer, other_index: IndexServer, tmp_path: Path
) -> None:
    (tmp_path / "pyfin.toml").write_text(f'index-url = "{BOGUS_INDEX}"\n')
    env = {"PYFIN_INDEX_URL": other_index.index_url}
    code, out, err = _compile(run_pyfin, env=env)
    assert code == 0, err
    assert out.startswith("idna==3.4\n")  # the environment's index, not the file's
    code, out, err = _compile(run_pyfin, "--index-url", index.index_url, env=env)
    assert code == 0, err
    assert out.startswith("idna==3.6\n")  # the command line's
    code, out, err = _compile(run_pyfin, "--no-config", env=env)
    assert code == 0, err
    assert out.startswith("idna==3.4\n")


def test_no_config_ignores_the_file(
    run_pyfin: RunPyfin, index: IndexServer, tmp_path: Path
) -> None:
    (tmp_path / "pyfin.toml").write_text('resolution = "lowest"\n')
    code, out, err = _compile(run_pyfin, "--index-url", index.index_url)
    assert code == 0, err
    assert out.startswith("idna==3.4\n")
    for extra, env in (("--no-config",), {}), ((), {"PYFIN_NO_CONFIG": "1"}):
        code, out, err = _compile(run_pyfin, "--index-url", index.index_url, *extra, env=env)
        assert code == 0, err
        assert out.startswith("idna==3.6\n")


def test_invalid_boolean_variable_is_a_usage_error(run_pyfin: RunPyfin) -> None:
    result = run_pyfin("venv", "env", env={"PYFIN_NO_CACHE": "sometimes"})
    assert result.returncode == 2
    assert result.stderr == (
        "error: invalid setting PYFIN_NO_CACHE: 'sometimes' is not a boolean; "
        "use 1, true, yes, 0, false or no\n"
    )


def test_unknown_key_is_a_usage_error(run_pyfin: RunPyfin, tmp_path: Path) -> None:
    (tmp_path / "pyfin.toml").write_text('index-urll = "http://x.test/simple"\n')
    result = run_pyfin("pip", "compile", "requirements.in")
    assert result.returncode == 2
    assert result.stderr.startswith(
        f"error: invalid setting `index-urll` in {tmp_path / 'pyfin.toml'}: unknown key; "
    )


def test_wrong_type_is_a_usage_error(run_pyfin: RunPyfin, tmp_path: Path) -> None:
    config = tmp_path / "settings.toml"
    config.write_text('extra-index-url = "http://x.test/simple"\n')
    result = run_pyfin("pip", "compile", "requirements.in", env={"PYFIN_CONFIG_FILE": str(config)})
    assert result.returncode == 2
    assert result.stderr == (
        f"error: invalid setting `extra-index-url` in {config}: "
        "expected a list of strings, got 'http://x.test/simple'\n"
    )


def test_pip_configuration_is_ignored(
    run_pyfin: RunPyfin, index: IndexServer, tmp_path: Path
) -> None:
    pip_conf = tmp_path / "pip.conf"
    pip_conf.write_text(f"[global]\nindex-url = {BOGUS_INDEX}\nextra-index-url = {BOGUS_INDEX}\n")
    env = {
        "PIP_INDEX_URL": BOGUS_INDEX,
        "PIP_EXTRA_INDEX_URL": BOGUS_INDEX,
        "PIP_CONFIG_FILE": str(pip_conf),
        "PYFIN_INDEX_URL": index.index_url,
    }
    code, out, err = _compile(run_pyfin, env=env)
    assert code == 0, err
    assert out == "idna==3.6\n    # via -r requirements.in\n"
    # The same bogus extra index given the pyfin way is used (and fails): the check bites.
    code, _, err = _compile(run_pyfin, env={**env, "PYFIN_EXTRA_INDEX_URL": BOGUS_INDEX})
    assert code == 1
    assert "127.0.0.1:9" in err
