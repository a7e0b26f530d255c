"""`pyfin pip sync` / `pip uninstall` end to end against a loopback index, in real venvs."""

from __future__ import annotations

import hashlib
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from pyfin_e2e import PYFIN, RunPyfin, run_python

from pyfin_testing.index_server import IndexServer
from pyfin_testing.wheels import build_wheel

DATA = Path(__file__).parent / "data"


@pytest.fixture
def dists(tmp_path: Path) -> Path:
    folder = tmp_path / "dists"
    folder.mkdir()
    build_wheel(folder, "alpha", "1.0", files={"alpha/__init__.py": "A = 1\n"}, requires=["beta"])
    build_wheel(folder, "beta", "1.0", files={"beta/__init__.py": "B = 1\n"})
    build_wheel(folder, "beta", "2.0", files={"beta/__init__.py": "B = 2\n"})
    build_wheel(folder, "gamma", "1.0", files={"gamma/__init__.py": "G = 1\n"})
    many = {f"big/m{i:04}.py": f"V = {i}\n" for i in range(3000)}
    build_wheel(folder, "big", "1.0", files={"big/__init__.py": "", **many})
    return folder


@pytest.fixture
def index(dists: Path) -> Iterator[IndexServer]:
    with IndexServer(dists) as server:
        yield server


@pytest.fixture
def venv(run_pyfin: RunPyfin, tmp_path: Path) -> Path:
    result = run_pyfin("venv", "-q", "--python", "3.11", ".venv")
    assert result.returncode == 0, result.stderr
    return tmp_path / ".venv"


def _listing(root: Path) -> set[str]:
    return {str((Path(d) / f).relative_to(root)) for d, _, files in os.walk(root) for f in files}


def _lines(stderr: str) -> list[str]:
    """stderr without timings: `Installed 2 packages in 5ms` -> `Installed 2 packages`."""
    return [
        line.split(" in ")[0] if not line.startswith(" ") else line for line in stderr.splitlines()
    ]


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_sync_then_noop_then_extraneous_removed(
    run_pyfin: RunPyfin, tmp_path: Path, venv: Path, index: IndexServer
) -> None:
    (tmp_path / "req.txt").write_text(f"--index-url {index.index_url}\nalpha==1.0\nbeta==1.0\n")
    result = run_pyfin("pip", "sync", "req.txt")
    assert result.returncode == 0, result.stderr
    assert _lines(result.stderr) == [
        "Resolved 2 packages",
        "Prepared 2 packages",
        "Installed 2 packages",
        " + alpha==1.0",
        " + beta==1.0",
    ]
    assert run_python(venv / "bin" / "python", "import alpha, beta; print(alpha.A + beta.B)") == "2"
    index.clear()
    again = run_pyfin("pip", "sync", "req.txt")
    assert again.returncode == 0, again.stderr
    assert _lines(again.stderr) == ["Resolved 2 packages", "Audited 2 packages"]
    assert index.paths() == []
    (tmp_path / "req.txt").write_text(f"--index-url {index.index_url}\nbeta==2.0\n")
    third = run_pyfin("pip", "sync", "req.txt")
    assert third.returncode == 0, third.stderr
    assert _lines(third.stderr) == [
        "Resolved 1 package",
        "Prepared 1 package",
        "Uninstalled 2 packages",
        "Installed 1 package",
        " - alpha==1.0",
        " - beta==1.0",
        " + beta==2.0",
    ]
    assert run_pyfin("pip", "freeze").stdout == "beta==2.0\n"


def test_noop_sync_imports_no_network_code(
    clean_env: dict[str, str], run_pyfin: RunPyfin, tmp_path: Path, venv: Path, index: IndexServer
) -> None:
    (tmp_path / "req.txt").write_text(f"-i {index.index_url}\nbeta==1.0\n")
    assert run_pyfin("pip", "sync", "req.txt").returncode == 0
    code = (
        "import sys; from pyfin._cli import main; status = main(['pip', 'sync', 'req.txt']); "
        "print(sorted(m for m in ('httpx', 'pyfin_client', 'asyncio') if m in sys.modules)); "
        "sys.exit(status)"
    )
    done = subprocess.run(
        [sys.executable, "-c", code],
        cwd=tmp_path,
        env=clean_env,
        capture_output=True,
        text=True,
        check=True,
    )
    assert done.stdout == "[]\n"
    assert "Audited 1 package in " in done.stderr


def test_install_uninstall_round_trip_leaves_no_files(
    run_pyfin: RunPyfin, tmp_path: Path, venv: Path, index: IndexServer
) -> None:
    before = _listing(venv)
    (tmp_path / "req.txt").write_text("alpha==1.0\nbeta==1.0\ngamma==1.0\n")
    synced = run_pyfin("pip", "sync", "req.txt", "-i", index.index_url, "--compile-bytecode")
    assert synced.returncode == 0, synced.stderr
    result = run_pyfin("pip", "uninstall", "-r", "req.txt")
    assert result.returncode == 0, result.stderr
    assert _lines(result.stderr) == [
        "Uninstalled 3 packages",
        " - alpha==1.0",
        " - beta==1.0",
        " - gamma==1.0",
    ]
    assert _listing(venv) - before == {".lock"}
    missing = run_pyfin("pip", "uninstall", "alpha")
    assert missing.returncode == 0
    assert missing.stderr == "warning: Skipping alpha as it is not installed\n"


def test_require_hashes_failures(
    run_pyfin: RunPyfin, tmp_path: Path, venv: Path, index: IndexServer, dists: Path
) -> None:
    good = _sha(dists / "beta-1.0-py3-none-any.whl")
    cases = {
        "wrong": (
            f"beta==1.0 --hash=sha256:{'0' * 64}\n",
            f"error: Hash mismatch for beta-1.0-py3-none-any.whl: expected sha256:{'0' * 64}, "
            f"got sha256:{good}; the file differs from the one the requirements were written "
            "for, check the --hash values.\n",
        ),
        "unhashed": (
            f"beta==1.0 --hash=sha256:{good}\ngamma==1.0\n",
            "error: In --require-hashes mode, every requirement must be pinned with == and carry "
            "a --hash, but `gamma==1.0` has no --hash; pin it and add its hashes "
            "(`pyfin pip compile --generate-hashes`).\n",
        ),
        "unpinned": (
            f"beta>=1.0 --hash=sha256:{good}\n",
            "error: In --require-hashes mode, every requirement must be pinned with == and carry "
            "a --hash, but `beta>=1.0` is not pinned with ==; pin it and add its hashes "
            "(`pyfin pip compile --generate-hashes`).\n",
        ),
    }
    for name, (text, expected) in cases.items():
        (tmp_path / f"{name}.txt").write_text(text)
        result = run_pyfin(
            "pip", "sync", "-q", "--require-hashes", f"{name}.txt", "-i", index.index_url
        )
        assert result.returncode == 1, name
        assert result.stderr == expected, name
    assert not list((venv / "lib").glob("python3.11/site-packages/beta*"))
    (tmp_path / "ok.txt").write_text(f"beta==1.0 --hash=sha256:{good}\n")
    ok = run_pyfin("pip", "sync", "--require-hashes", "ok.txt", "-i", index.index_url)
    assert ok.returncode == 0, ok.stderr


def test_killed_sync_then_a_normal_one(
    clean_env: dict[str, str], run_pyfin: RunPyfin, tmp_path: Path, venv: Path, index: IndexServer
) -> None:
    (tmp_path / "req.txt").write_text(f"-i {index.index_url}\nbig==1.0\ngamma==1.0\n")
    # Fill the cache first, so that the kill lands while linking into the venv.
    warm = run_pyfin("pip", "sync", "req.txt", "--target", tmp_path / "scratch")
    assert warm.returncode == 0, warm.stderr
    site = venv / "lib" / "python3.11" / "site-packages"
    with subprocess.Popen(
        [str(PYFIN), "pip", "sync", "req.txt", "--link-mode", "copy"],
        cwd=tmp_path,
        env=clean_env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    ) as victim:
        deadline = time.monotonic() + 60
        while not (site / "big").is_dir() and time.monotonic() < deadline:
            time.sleep(0.001)
        victim.send_signal(signal.SIGKILL)
        victim.wait()
    # The kill landed mid-install: package files are there, the RECORD that completes it is not.
    assert (site / "big").is_dir()
    assert not (site / "big-1.0.dist-info" / "RECORD").exists()
    result = run_pyfin("pip", "sync", "req.txt")
    assert result.returncode == 0, result.stderr
    assert run_pyfin("pip", "freeze").stdout == "big==1.0\ngamma==1.0\n"
    code = "import big.m2999, gamma; print(big.m2999.V + gamma.G)"
    assert run_python(venv / "bin" / "python", code) == "3000"
    record = (site / "big-1.0.dist-info" / "RECORD").read_text()
    assert record.count("\n") == 3000 + 6  # every module, METADATA, WHEEL, INSTALLER, ...


def test_two_syncs_at_once(
    clean_env: dict[str, str], run_pyfin: RunPyfin, tmp_path: Path, venv: Path, index: IndexServer
) -> None:
    (tmp_path / "a.txt").write_text(f"-i {index.index_url}\nbig==1.0\nbeta==1.0\n")
    (tmp_path / "b.txt").write_text(f"-i {index.index_url}\nbig==1.0\nbeta==2.0\n")
    procs = [
        subprocess.Popen(
            [str(PYFIN), "pip", "sync", name],
            cwd=tmp_path,
            env=clean_env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for name in ("a.txt", "b.txt")
    ]
    outputs = [proc.communicate(timeout=120) for proc in procs]
    assert [proc.returncode for proc in procs] == [0, 0], outputs
    freeze = run_pyfin("pip", "freeze").stdout
    assert freeze in ("beta==1.0\nbig==1.0\n", "beta==2.0\nbig==1.0\n")
    assert run_pyfin("pip", "check").returncode == 0
    site = venv / "lib" / "python3.11" / "site-packages"
    assert len(list(site.glob("beta-*.dist-info"))) == 1


def test_no_venv_is_refused(run_pyfin: RunPyfin, tmp_path: Path) -> None:
    (tmp_path / "req.txt").write_text("beta==1.0\n")
    result = run_pyfin("pip", "sync", "req.txt")
    assert result.returncode == 1
    assert result.stderr.splitlines()[-1] == (
        "error: No virtual environment found; run `pyfin venv` to create one, or pass --system "
        "to install into a non-virtual environment."
    )


def test_list_outdated(run_pyfin: RunPyfin, tmp_path: Path, venv: Path, index: IndexServer) -> None:
    (tmp_path / "req.txt").write_text("beta==1.0\ngamma==1.0\n")
    assert run_pyfin("pip", "sync", "req.txt", "-i", index.index_url).returncode == 0
    result = run_pyfin("pip", "list", "--outdated", "-i", index.index_url)
    assert result.returncode == 0, result.stderr
    assert result.stdout == (
        "Package Version Latest Type\n------- ------- ------ -----\nbeta    1.0     2.0    wheel\n"
    )


@pytest.mark.network
def test_small_lock_from_pypi_matches_uv(
    run_pyfin: RunPyfin, tmp_path: Path, venv: Path, uv: Path
) -> None:
    lock = DATA / "pip_sync_small.txt"
    result = run_pyfin("pip", "sync", "--require-hashes", lock)
    assert result.returncode == 0, result.stderr
    other = tmp_path / "uv-venv"
    assert run_pyfin("venv", "-q", "--python", "3.11", other).returncode == 0
    subprocess.run(
        [str(uv), "pip", "sync", "-q", "--python", str(other / "bin" / "python"), str(lock)],
        check=True,
        env={**os.environ, "UV_CACHE_DIR": str(tmp_path / "uv-cache")},
    )
    uv_freeze = subprocess.run(
        [str(uv), "pip", "freeze", "--python", str(other / "bin" / "python")],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    ours = run_pyfin("pip", "freeze").stdout
    assert ours == uv_freeze
    assert len(ours.splitlines()) == 19
    assert run_pyfin("pip", "check").returncode == 0
