"""`pip sync` of the pinned benchmark locks (`tools/bench/locks/`): pyfin vs `uv pip sync` vs
`pip install --no-deps -r`, into a fresh virtual environment with a warm cache (kept between
runs) and a cold one (emptied before every run), and as a no-op (everything already there).

Every tool gets its own cache folder under the scratch folder, on the same filesystem as the
environments, so each links from its cache with its default link mode. Fresh environments are
made untimed (`python -m venv --without-pip`) before every run. The harness's untimed warm-up
run fills the warm caches and brings the no-op environments up to date. pip runs with
`--no-compile` (pyfin and uv write no bytecode by default) and without its config files; it is
left out of the cold scenarios, where it only measures PyPI.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path

from bench._harness import BenchContext, Command, Scenario

LOCKS = Path(__file__).resolve().parent.parent / "locks"
SETS = ("small", "medium", "large")
RUNS = {"small": 5, "medium": 5, "large": 3}
KINDS = ("warm", "cold", "noop")


def _fresh_venv(ctx: BenchContext, venv: Path, *, keep: bool = False) -> Callable[[], None]:
    """Make `venv` anew (or, with `keep`, only if it is missing)."""

    def make() -> None:
        if keep and (venv / "pyvenv.cfg").is_file():
            return
        shutil.rmtree(venv, ignore_errors=True)
        subprocess.run([str(ctx.python), "-m", "venv", "--without-pip", str(venv)], check=True)

    return make


def _then(*steps: Callable[[], None]) -> Callable[[], None]:
    def setup() -> None:
        for step in steps:
            step()

    return setup


def _removing(path: Path) -> Callable[[], None]:
    def remove() -> None:
        shutil.rmtree(path, ignore_errors=True)

    return remove


def _commands(ctx: BenchContext, name: str, kind: str) -> list[Command]:
    lock = LOCKS / f"{name}.txt"
    tools = ("pyfin", "uv") if kind == "cold" else ("pyfin", "uv", "pip")
    commands = []
    for tool in tools:
        folder = ctx.work / f"sync-{name}-{kind}" / tool
        venv = folder / "venv"
        cache = folder / "cache"
        python = venv / "bin" / "python"
        argv: list[str | Path]
        env: dict[str, str] = {}
        if tool == "pyfin":
            argv = [ctx.tool("pyfin"), "pip", "sync", lock, "--python", python]
            argv += ["--cache-dir", cache]
        elif tool == "uv":
            argv = [ctx.tool("uv"), "pip", "sync", lock, "--python", python]
            argv += ["--cache-dir", cache, "--no-config"]
            env = {"UV_NO_PROGRESS": "1"}
        else:
            argv = [ctx.tool("pip"), "--python", python, "install", "--no-deps", "-r", lock]
            argv += ["--cache-dir", cache, "--no-compile", "--quiet"]
            env = {"PIP_CONFIG_FILE": os.devnull, "PIP_DISABLE_PIP_VERSION_CHECK": "1"}
        if kind == "noop":
            setup = _fresh_venv(ctx, venv, keep=True)
        elif kind == "cold":
            setup = _then(_removing(cache), _fresh_venv(ctx, venv))
        else:
            setup = _fresh_venv(ctx, venv)
        commands.append(Command(tool, argv, setup=setup, env=env))
    return commands


def scenarios(ctx: BenchContext) -> list[Scenario]:
    return [
        Scenario(f"sync-{name}-{kind}", _commands(ctx, name, kind), runs=RUNS[name])
        for name in SETS
        for kind in KINDS
    ]
