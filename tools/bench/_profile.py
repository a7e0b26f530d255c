"""`--profile`: run each pyfin command of a scenario once more under cProfile, untimed.

Writes `<scenario>[-<n>].prof` (for snakeviz & co.) and `.txt` (the 40 costliest calls by
cumulative time) per pyfin command. Profiling slows what it watches, so it is never timed.
"""

from __future__ import annotations

import io
import os
import pstats
import subprocess
from pathlib import Path

from bench._harness import BenchContext, BenchError, Scenario

__all__ = ["profile_scenario"]


def profile_scenario(scenario: Scenario, ctx: BenchContext, folder: Path) -> list[Path]:
    """Profile the scenario's pyfin commands; return the text reports written."""
    folder.mkdir(parents=True, exist_ok=True)
    pyfin = os.fspath(ctx.tool("pyfin"))
    commands = [cmd for cmd in scenario.commands if cmd.tool == "pyfin"]
    reports = []
    for index, command in enumerate(commands):
        argv = [os.fspath(arg) for arg in command.argv]
        if argv[0] != pyfin:
            raise BenchError(f"{scenario.name}: a pyfin command must start with {pyfin}")
        stem = scenario.name if len(commands) == 1 else f"{scenario.name}-{index}"
        dump = folder / f"{stem}.prof"
        if command.setup is not None:
            command.setup()
        env = {**os.environ, **command.env} if command.env else None
        python = os.fspath(ctx.bin_dir / "python")
        subprocess.run(
            [python, "-m", "cProfile", "-o", str(dump), "-m", "pyfin", *argv[1:]],
            check=True,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        text = io.StringIO()
        stats = pstats.Stats(str(dump), stream=text)
        stats.sort_stats("cumulative").print_stats(40)
        report = folder / f"{stem}.txt"
        report.write_text(f"$ pyfin {' '.join(argv[1:])}\n{text.getvalue()}", encoding="utf-8")
        reports.append(report)
    return reports
