"""The `pyfin` command end to end: version, help, usage errors, failures in words, colour."""

from __future__ import annotations

import os
import subprocess
import sys
from importlib.metadata import version
from pathlib import Path

from pyfin_e2e import PYFIN, RunPyfin


def test_version(run_pyfin: RunPyfin) -> None:
    result = run_pyfin("--version")
    assert (result.returncode, result.stdout, result.stderr) == (
        0,
        f"pyfin {version('pyfin')}\n",
        "",
    )


def test_python_dash_m_is_the_same_command(clean_env: dict[str, str]) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "pyfin", "-V"],
        env=clean_env,
        capture_output=True,
        text=True,
        check=True,
    )
    assert result.stdout == f"pyfin {version('pyfin')}\n"


def test_help_lists_the_commands(run_pyfin: RunPyfin) -> None:
    result = run_pyfin("--help")
    assert result.returncode == 0
    assert result.stdout.startswith("usage: pyfin ")
    for line in ("venv ", "python ", "cache ", "--cache-dir DIR", "--no-cache"):
        assert line in result.stdout


def test_unknown_command_is_a_usage_error(run_pyfin: RunPyfin) -> None:
    result = run_pyfin("instal")
    assert result.returncode == 2
    assert "error: argument COMMAND: invalid choice: 'instal'" in result.stderr
    assert "Traceback" not in result.stderr


def test_unknown_option_after_a_subcommand_is_a_usage_error(run_pyfin: RunPyfin) -> None:
    result = run_pyfin("cache", "dir", "--frobnicate")
    assert result.returncode == 2
    assert "unrecognized arguments: --frobnicate" in result.stderr


def test_venv_refuses_a_folder_that_is_not_a_venv(run_pyfin: RunPyfin, tmp_path: Path) -> None:
    target = tmp_path / "project"
    target.mkdir()
    (target / "notes.txt").write_text("mine")
    result = run_pyfin("venv", target, "--python", "3.11")
    assert result.returncode == 1
    last = result.stderr.splitlines()[-1]
    assert last.startswith(f"error: Refusing to create a virtual environment at {target}")
    assert "Traceback" not in result.stderr
    assert [path.name for path in target.iterdir()] == ["notes.txt"]
    assert (target / "notes.txt").read_text() == "mine"


def test_failure_without_a_terminal_has_no_colour(run_pyfin: RunPyfin) -> None:
    result = run_pyfin("python", "find", "2.1")
    assert result.returncode == 1
    assert result.stderr.startswith("error: No Python interpreter matching `2.1` was found.")
    assert "\033[" not in result.stderr


def _stderr_on_a_terminal(clean_env: dict[str, str], **extra: str) -> str:
    leader, follower = os.openpty()
    try:
        subprocess.run(
            [str(PYFIN), "python", "find", "2.1"],
            env={**clean_env, **extra},
            stdout=subprocess.DEVNULL,
            stderr=follower,
            check=False,
            timeout=120,
        )
        os.close(follower)
        chunks = []
        while True:
            try:
                chunk = os.read(leader, 4096)
            except OSError:  # EIO: the terminal's other side is closed and drained
                break
            if not chunk:
                break
            chunks.append(chunk)
        return b"".join(chunks).decode()
    finally:
        os.close(leader)


def test_colour_on_a_terminal_unless_no_color(clean_env: dict[str, str]) -> None:
    assert _stderr_on_a_terminal(clean_env).startswith("\033[1;31merror\033[0m: No Python")
    assert _stderr_on_a_terminal(clean_env, NO_COLOR="1").startswith("error: No Python")
