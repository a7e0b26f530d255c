"""install-wheel alone: install the pinned PyPI corpus (35 wheels, ~100 MB, numpy and scipy
included) into a fresh venv, from unpacked directories (hardlink) and from ``.whl`` files,
against ``uv pip install --no-deps`` (warm cache, hardlink) and ``pip install --no-deps``.

The corpus (``pyfin_testing.wheels.PYPI_CORPUS``) is shared with install-wheel's conformance
test and downloaded once into ``.pytest_cache/d/install-wheel-corpus`` (or
``$PYFIN_BENCH_CORPUS``). Every run starts from a new stdlib venv, made untimed in ``setup``.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from bench._harness import BenchContext, Scenario

REPO = Path(__file__).resolve().parents[3]
SMALL = 10  # the first (small, pure) wheels of the corpus: where start-up dominates


def corpus_dir() -> Path:
    return Path(os.environ.get("PYFIN_BENCH_CORPUS", REPO / ".pytest_cache/d/install-wheel-corpus"))


def _prepare(ctx: BenchContext, wheels: list[Path], unpacked: list[Path]) -> Callable[[], None]:
    """Download the corpus and unpack it once (install-wheel's cache form); idempotent."""

    def prepare() -> None:
        from pyfin_testing.wheels import PYPI_CORPUS, fetch_pypi_wheel

        pins = dict(PYPI_CORPUS)
        missing: list[str] = []
        for wheel, directory in zip(wheels, unpacked, strict=True):
            fetch_pypi_wheel(wheel.parent, wheel.name, pins[wheel.name])
            if not directory.exists():
                missing += [str(wheel), str(directory)]
        if missing:
            # install-wheel lives in the benchmark environment, not in the harness's Python.
            script = (
                "import sys\nfrom pathlib import Path\nfrom install_wheel import unpack\n"
                "for wheel, target in zip(sys.argv[1::2], sys.argv[2::2]):\n"
                "    unpack(Path(wheel), Path(target))\n"
            )
            subprocess.run([str(ctx.tool("python")), "-c", script, *missing], check=True)

    return prepare


def _fresh_venv(ctx: BenchContext, venv: Path, before: Callable[[], None]) -> Callable[[], None]:
    def setup() -> None:
        before()
        shutil.rmtree(venv, ignore_errors=True)
        subprocess.run([str(ctx.python), "-m", "venv", "--without-pip", str(venv)], check=True)

    return setup


def _scenario(ctx: BenchContext, name: str, count: int | None, runs: int) -> Scenario:
    from bench._harness import Command, Scenario
    from pyfin_testing.wheels import PYPI_CORPUS

    pins = PYPI_CORPUS[:count]
    wheels = [corpus_dir() / filename for filename, _ in pins]
    cache = ctx.work / "install-wheel-unpacked"
    unpacked = [cache / filename[: -len(".whl")] for filename, _ in pins]
    prepare = _prepare(ctx, wheels, unpacked)
    venvs = {tool: ctx.work / name / tool for tool in ("unpacked", "whl", "uv", "pip")}
    python = {tool: venv / "bin" / "python" for tool, venv in venvs.items()}
    iw = [str(ctx.tool("python")), "-m", "install_wheel"]
    uv_env = {"UV_CACHE_DIR": str(ctx.work / "uv-cache"), "UV_NO_PROGRESS": "1"}
    pip_env = {"PIP_CONFIG_FILE": os.devnull, "PIP_DISABLE_PIP_VERSION_CHECK": "1"}
    return Scenario(
        name,
        [
            Command(
                "install-wheel (unpacked)",
                [*iw, "--python", python["unpacked"], "--link-mode", "hardlink", *unpacked],
                setup=_fresh_venv(ctx, venvs["unpacked"], prepare),
            ),
            Command(
                "install-wheel (.whl)",
                [*iw, "--python", python["whl"], *wheels],
                setup=_fresh_venv(ctx, venvs["whl"], prepare),
            ),
            Command(
                "uv",
                [
                    ctx.tool("uv"),
                    "pip",
                    "install",
                    "--no-deps",
                    "--offline",
                    "--link-mode",
                    "hardlink",
                    "--python",
                    python["uv"],
                    *wheels,
                ],
                setup=_fresh_venv(ctx, venvs["uv"], prepare),
                env=uv_env,
            ),
            Command(
                "pip",
                [
                    ctx.tool("pip"),
                    "--python",
                    python["pip"],
                    "install",
                    "--no-deps",
                    "--no-index",
                    "--no-compile",
                    "-q",
                    *wheels,
                ],
                setup=_fresh_venv(ctx, venvs["pip"], prepare),
                env=pip_env,
            ),
        ],
        baseline="uv",
        runs=runs,
    )


def scenarios(ctx: BenchContext) -> list[Scenario]:
    return [
        _scenario(ctx, "install-wheel-corpus", None, runs=5),
        _scenario(ctx, "install-wheel-small", SMALL, runs=10),
    ]
