"""The benchmark environment `tools/bench/.env`: reference tools from PyPI, pyfin from the repo.

Reference tools (uv, pip-tools, pip) are installed once. pyfin's distributions are installed
non-editable (compiled like any installed tool) and reinstalled whenever their sources change,
detected by a digest of `packages/*/pyproject.toml` and `packages/*/src/**`.
"""

from __future__ import annotations

import hashlib
import subprocess
import sys
from pathlib import Path

__all__ = ["REFERENCE_TOOLS", "ensure_env"]

REFERENCE_TOOLS = ("uv", "pip-tools", "pip", "hatchling")  # hatchling: builds pyfin, no isolation
_TOOLS_STAMP = "reference-tools.txt"
_PYFIN_STAMP = "pyfin-sources.sha256"


def ensure_env(env: Path, repo: Path, base_python: Path, *, log: bool = True) -> Path:
    """Create or update the environment at `env`; return its bin folder."""
    bin_dir = env / "bin"
    python = bin_dir / "python"
    if not python.exists():
        _run(log, str(base_python), "-m", "venv", str(env))
    tools_stamp = env / _TOOLS_STAMP
    if not tools_stamp.exists() or tools_stamp.read_text() != " ".join(REFERENCE_TOOLS):
        _run(log, str(python), "-m", "pip", "install", "--quiet", "--upgrade", *REFERENCE_TOOLS)
        tools_stamp.write_text(" ".join(REFERENCE_TOOLS))
    folders = sorted(str(path.parent) for path in repo.glob("packages/*/pyproject.toml"))
    digest = _digest(repo)
    pyfin_stamp = env / _PYFIN_STAMP
    if not pyfin_stamp.exists() or pyfin_stamp.read_text() != digest:
        pip = [str(python), "-m", "pip", "install", "--quiet", "--no-build-isolation"]
        # Same version, new code: force the reinstall; then let pip add any new dependency.
        _run(log, *pip, "--force-reinstall", "--no-deps", *folders)
        _run(log, *pip, *folders)
        pyfin_stamp.write_text(digest)
    return bin_dir


def _digest(repo: Path) -> str:
    digest = hashlib.sha256()
    paths = [*repo.glob("packages/*/pyproject.toml"), *repo.glob("packages/*/src/**/*")]
    for path in sorted(path for path in paths if path.is_file()):
        digest.update(str(path.relative_to(repo)).encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


def _run(log: bool, *argv: str) -> None:
    if log:
        print("$", " ".join(argv), file=sys.stderr)
    subprocess.run(argv, check=True)
