"""Bytecode compilation of installed ``.py`` files, in the target interpreter, in parallel."""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

# Run as a script in the target interpreter; never imported here (it pulls in multiprocessing).
_WORKER = Path(__file__).with_name("_compile_worker.py")


@dataclass(frozen=True, slots=True)
class CompiledFile:
    """A ``.pyc`` written by compilation, with its sha256 (RECORD encoding) and size."""

    path: str
    sha256: str
    size: int


class CompileFailed(OSError):
    """Internal: the target interpreter could not run the compilation."""


def compile_sources(python: Path, sources: Sequence[str]) -> list[CompiledFile]:
    """Compile ``sources`` with ``python -I -S`` (nothing from the target is imported).

    Cost: one interpreter start plus compilation, using up to 8 processes for many files.
    Raises ``CompileFailed`` when the interpreter cannot run or dies.
    """
    if not sources:
        return []
    import subprocess
    import tempfile

    # Run from an empty directory so nothing nearby can be picked up.
    with tempfile.TemporaryDirectory(prefix=".tmp-install-wheel-") as cwd:
        try:
            done = subprocess.run(
                [os.fspath(python), "-I", "-S", os.fspath(_WORKER)],
                input="".join(s + "\n" for s in sources),
                capture_output=True,
                text=True,
                cwd=cwd,
                check=False,
            )
        except OSError as exc:
            raise CompileFailed(exc.errno, f"cannot run {python}: {exc}") from exc
    compiled = []
    for line in done.stdout.splitlines():
        path, digest, size = line.split("\t")
        compiled.append(CompiledFile(path, digest, int(size)))
    if done.returncode != 0:
        raise CompileFailed(0, f"{python} failed compiling bytecode: {done.stderr.strip()[-500:]}")
    return compiled
