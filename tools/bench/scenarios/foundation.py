"""Start-up and virtual environment creation: pyfin vs uv vs the standard library."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

from bench._harness import BenchContext, Command, Scenario


def _removing(path: Path) -> Callable[[], None]:
    def setup() -> None:
        shutil.rmtree(path, ignore_errors=True)

    return setup


def scenarios(ctx: BenchContext) -> list[Scenario]:
    # The Python-based tools all start from the benchmark environment's interpreter, so none
    # pays for (or escapes) the base interpreter's site-packages.
    python = ctx.tool("python")
    pyfin_venv = ctx.work / "pyfin-venv"
    uv_venv = ctx.work / "uv-venv"
    std_venv = ctx.work / "std-venv"
    venv = Scenario(
        "venv",
        [
            Command(
                "pyfin",
                [
                    ctx.tool("pyfin"),
                    "venv",
                    pyfin_venv,
                    "--python",
                    ctx.python,
                    "--cache-dir",
                    ctx.work / "pyfin-cache",
                ],
                setup=_removing(pyfin_venv),
            ),
            Command(
                "uv",
                [
                    ctx.tool("uv"),
                    "venv",
                    uv_venv,
                    "--python",
                    ctx.python,
                    "--cache-dir",
                    ctx.work / "uv-cache",
                ],
                setup=_removing(uv_venv),
            ),
            Command(
                "python -m venv",
                [python, "-m", "venv", "--without-pip", std_venv],
                setup=_removing(std_venv),
            ),
        ],
        runs=10,
    )
    version = Scenario(
        "version",
        [
            Command("pyfin", [ctx.tool("pyfin"), "--version"]),
            Command("uv", [ctx.tool("uv"), "--version"]),
            Command("python -c pass", [python, "-c", "pass"]),
        ],
        runs=20,
    )
    return [venv, version]
