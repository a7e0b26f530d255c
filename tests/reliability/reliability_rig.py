"""Helpers of the reliability suite (conftest.py puts this folder on sys.path): the `Rig` a test
runs pyfin through, the standard wheels, and readers of the state on disk."""

from __future__ import annotations

import os
import subprocess
from dataclasses import dataclass
from pathlib import Path

from pyfin_e2e import PYFIN

from pyfin_testing.index_server import IndexServer
from pyfin_testing.wheels import build_wheel

#: The ten projects of the standard lock: `pkg0==1.0` ... `pkg9==1.0`, a few modules each.
PROJECTS = tuple(f"pkg{i}" for i in range(10))


@dataclass(frozen=True, slots=True)
class Rig:
    """One test's world: a working folder, its own cache, an index and a way to run pyfin."""

    work: Path
    cache: Path
    env: dict[str, str]
    index: IndexServer

    def run(
        self,
        *args: str | os.PathLike[str],
        env: dict[str, str] | None = None,
        timeout: float = 120,
    ) -> subprocess.CompletedProcess[str]:
        """`pyfin *args` in `work`, to completion; text output."""
        return subprocess.run(
            [str(PYFIN), *(os.fspath(arg) for arg in args)],
            cwd=self.work,
            env={**self.env, **(env or {})},
            capture_output=True,
            text=True,
            check=False,
            timeout=timeout,
        )

    def popen(
        self, *args: str | os.PathLike[str], env: dict[str, str] | None = None
    ) -> subprocess.Popen[str]:
        """`pyfin *args` started in the background, output piped."""
        return subprocess.Popen(
            [str(PYFIN), *(os.fspath(arg) for arg in args)],
            cwd=self.work,
            env={**self.env, **(env or {})},
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )

    def venv(self, name: str = ".venv") -> Path:
        """A new virtual environment `work/name` (made by `pyfin venv`)."""
        result = self.run("venv", "-q", "--python", "3.11", name)
        assert result.returncode == 0, result.stderr
        return self.work / name

    def lock(self, name: str = "req.txt", lines: tuple[str, ...] | None = None) -> Path:
        """A requirements file pinning `lines` (default: the ten standard projects)."""
        pins = lines if lines is not None else tuple(f"{p}==1.0" for p in PROJECTS)
        path = self.work / name
        path.write_text(f"--index-url {self.index.index_url}\n" + "".join(f"{p}\n" for p in pins))
        return path

    def freeze(self, venv: Path) -> str:
        result = self.run("pip", "freeze", "--python", venv / "bin" / "python")
        assert result.returncode == 0, result.stderr
        return result.stdout


def make_dists(folder: Path) -> Path:
    """The standard wheels: `pkg<i>` 1.0 with three modules and a constant `V = i`."""
    folder.mkdir(parents=True, exist_ok=True)
    for i, name in enumerate(PROJECTS):
        files = {f"{name}/__init__.py": f"V = {i}\n"}
        files.update({f"{name}/m{j}.py": f"X = {j}\n" for j in range(3)})
        build_wheel(folder, name, "1.0", files=files)
    return folder


STANDARD_FREEZE = "".join(f"{p}==1.0\n" for p in PROJECTS)


def site_packages(venv: Path) -> Path:
    return venv / "lib" / "python3.11" / "site-packages"


def listing(root: Path) -> dict[str, bytes]:
    """Every file under `root` (relative path -> contents); symlinks by target."""
    found: dict[str, bytes] = {}
    for folder, dirs, files in os.walk(root):
        base = Path(folder)
        for name in files + [d for d in dirs if (base / d).is_symlink()]:
            path = base / name
            key = str(path.relative_to(root))
            found[key] = str(path.readlink()).encode() if path.is_symlink() else path.read_bytes()
    return found


def venv_state(venv: Path) -> dict[str, bytes]:
    """`listing(venv)` without the environment's lock file (made by the first install)."""
    found = listing(venv)
    found.pop(".lock", None)
    return found


def leftovers(cache: Path) -> list[Path]:
    """`.tmp-` files and folders anywhere in the cache."""
    if not cache.exists():
        return []
    return sorted(p for p in cache.rglob(".tmp-*"))


def unzipped_wheels(cache: Path) -> list[Path]:
    """Every unzipped wheel entry in the WHEELS bucket (a folder beside its `.json` sidecar)."""
    bucket = cache / "wheels-v0"
    if not bucket.exists():
        return []
    return sorted(
        path for path in bucket.glob("*/*/*") if path.is_dir() and not path.name.startswith(".tmp-")
    )


def assert_entries_complete(cache: Path) -> None:
    """Every visible unzipped wheel is whole: its verified marker lists files that all exist."""
    for entry in unzipped_wheels(cache):
        marker = entry / ".install-wheel-verified"
        assert marker.is_file(), f"{entry} has no marker"
        rows = marker.read_text().splitlines()[1:]
        assert rows, entry
        for row in rows:
            relative = row.split(",")[0]
            assert (entry / relative).is_file(), f"{entry} lacks {relative}"


def check_imports(venv: Path, names: tuple[str, ...] = PROJECTS) -> None:
    """Each project imports in the venv and has its constant."""
    code = "import importlib, sys\n" + "".join(
        f"assert importlib.import_module({n!r}).V == {int(n[3:])}, {n!r}\n" for n in names
    )
    done = subprocess.run(
        [str(venv / "bin" / "python"), "-c", code], capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stderr
