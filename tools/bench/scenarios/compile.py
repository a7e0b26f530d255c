"""`pip compile` of the benchmark requirement sets (small, medium, large): pyfin vs uv vs
pip-compile, with a cold cache (emptied before every run) and a warm one (kept between runs).

pyfin and uv resolve with `--exclude-newer 2026-11-01T00:00:00Z --python-version 3.11` (their
answers are identical, see tests/test_pip_compile_network.py); pip-compile has neither option
and resolves today's index for the benchmark environment's Python 3.11. The output file is
deleted before each run, so no tool starts from earlier pins.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

from bench._harness import BenchContext, Command, Scenario

BENCH_REQS = Path(__file__).resolve().parents[4] / "shared" / "bench-reqs"
SETS = ("small", "medium", "large")
CUTOFF = "2026-11-01T00:00:00Z"


def _removing(*paths: Path) -> Callable[[], None]:
    def setup() -> None:
        for path in paths:
            if path.is_dir():
                shutil.rmtree(path, ignore_errors=True)
            else:
                path.unlink(missing_ok=True)

    return setup


def _commands(ctx: BenchContext, name: str, *, cold: bool) -> list[Command]:
    source = BENCH_REQS / f"{name}.in"
    temperature = "cold" if cold else "warm"
    commands = []
    for tool in ("pyfin", "uv", "pip-compile"):
        cache = ctx.work / f"{tool}-{name}-{temperature}-cache"
        output = ctx.work / f"{tool}-{name}-{temperature}.txt"
        argv: list[str | Path] = [ctx.tool(tool)]
        if tool == "pip-compile":
            argv += [source, "-o", output, "--cache-dir", cache, "--quiet", "--no-header"]
        else:
            argv += ["pip", "compile", source, "-o", output, "--cache-dir", cache, "--quiet"]
            argv += ["--exclude-newer", CUTOFF, "--python-version", "3.11", "--no-header"]
        setup = _removing(output, cache) if cold else _removing(output)
        commands.append(Command(tool, argv, setup=setup))
    return commands


def scenarios(ctx: BenchContext) -> list[Scenario]:
    found = []
    for name in SETS:
        runs = 3 if name == "large" else 5
        for cold in (True, False):
            label = f"compile-{name}-{'cold' if cold else 'warm'}"
            found.append(Scenario(label, _commands(ctx, name, cold=cold), runs=runs))
    return found
