"""SIGKILL at random points of download, unzip, link and uninstall; a full disk while writing the
cache. The next ordinary run repairs everything; readers never see a partial cache entry."""

from __future__ import annotations

import random
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from reliability_rig import (
    STANDARD_FREEZE,
    Rig,
    assert_entries_complete,
    check_imports,
    leftovers,
    listing,
    site_packages,
)

from pyfin_testing.wheels import build_wheel

BIG_FILES = 1500


@pytest.fixture
def big(dists: Path) -> Path:
    """A wheel with many small modules, so unzipping and linking take a noticeable while."""
    files = {f"big/m{i:04}.py": f"V = {i}\n" for i in range(BIG_FILES)}
    return build_wheel(dists, "big", "1.0", files={"big/__init__.py": "V = -1\n", **files})


def _kill_when(proc: subprocess.Popen[str], ready: Callable[[], bool], delay: float) -> bool:
    """SIGKILL `proc` `delay` seconds after `ready()` holds; False if it finished first (then
    it must have succeeded)."""
    with proc:
        deadline = time.monotonic() + 60
        while not ready() and proc.poll() is None:
            assert time.monotonic() < deadline, "the point to kill at never came"
            time.sleep(0.002)
        if proc.poll() is None:
            time.sleep(delay)
        killed = proc.poll() is None
        if killed:
            proc.send_signal(signal.SIGKILL)
        _, stderr = proc.communicate(timeout=60)
        assert killed or proc.returncode == 0, stderr
        return killed


def _repairs(rig: Rig, venv: Path, lock: Path) -> None:
    """An ordinary sync after the kill: correct venv; then prune leaves no `.tmp-` behind."""
    assert_entries_complete(rig.cache)  # nothing partial is visible, even before the repair
    result = rig.run("pip", "sync", lock)
    assert result.returncode == 0, result.stderr
    assert rig.freeze(venv) == "big==1.0\n" + STANDARD_FREEZE
    check_imports(venv)
    done = subprocess.run(
        [str(venv / "bin" / "python"), "-c", f"import big.m{BIG_FILES - 1:04} as m; print(m.V)"],
        capture_output=True,
        text=True,
        check=True,
    )
    assert done.stdout == f"{BIG_FILES - 1}\n"
    assert rig.run("pip", "check").returncode == 0
    assert_entries_complete(rig.cache)
    pruned = rig.run("cache", "prune")
    assert pruned.returncode == 0, pruned.stderr
    assert leftovers(rig.cache) == []
    assert_entries_complete(rig.cache)


def _big_lock(rig: Rig) -> Path:
    return rig.lock("req.txt", ("big==1.0", *(f"pkg{i}==1.0" for i in range(10))))


@pytest.mark.parametrize("seed", [1, 2])
def test_kill_while_downloading(rig: Rig, big: Path, seed: int) -> None:
    venv = rig.venv()
    lock = _big_lock(rig)
    rig.index.faults.match = "/files/"
    rig.index.faults.stall = 3.0  # far longer than the kill delay: the kill lands mid-download
    proc = rig.popen("pip", "sync", lock)
    delay = random.Random(seed).uniform(0.0, 0.4)
    downloading = lambda: any(p.startswith("/files/") for p in rig.index.paths())  # noqa: E731
    assert _kill_when(proc, downloading, delay), "the sync finished before the kill"
    rig.index.faults.stall = 0.0
    _repairs(rig, venv, lock)


@pytest.mark.parametrize("seed", [1, 2])
def test_kill_while_unzipping(rig: Rig, big: Path, seed: int) -> None:
    venv = rig.venv()
    lock = _big_lock(rig)
    shard = rig.cache / "wheels-v0"
    proc = rig.popen("pip", "sync", lock)

    def unzipping() -> bool:
        return any(shard.glob("*/big/.tmp-*")) if shard.is_dir() else False

    _kill_when(proc, unzipping, random.Random(seed).uniform(0.0, 0.05))
    _repairs(rig, venv, lock)


@pytest.mark.parametrize("seed", [1, 2])
def test_kill_while_linking(rig: Rig, big: Path, seed: int) -> None:
    venv = rig.venv()
    lock = _big_lock(rig)
    warm = rig.run("pip", "sync", lock, "--target", rig.work / "scratch")
    assert warm.returncode == 0, warm.stderr
    proc = rig.popen("pip", "sync", lock, "--link-mode", "copy")
    target = site_packages(venv) / "big"
    _kill_when(proc, target.is_dir, random.Random(seed).uniform(0.0, 0.1))
    _repairs(rig, venv, lock)


@pytest.mark.parametrize("seed", [1, 2])
def test_kill_while_uninstalling(rig: Rig, big: Path, seed: int) -> None:
    venv = rig.venv()
    lock = _big_lock(rig)
    assert rig.run("pip", "sync", lock, "--link-mode", "copy").returncode == 0
    target = site_packages(venv) / "big"
    last = target / f"m{BIG_FILES - 1:04}.py"
    first = target / "m0000.py"
    proc = rig.popen("pip", "uninstall", "big", "pkg3")
    started = lambda: not first.exists() or not last.exists()  # noqa: E731
    _kill_when(proc, started, random.Random(seed).uniform(0.0, 0.05))
    # Whatever the kill left, `big` is whole or reads as incomplete (no RECORD): never a
    # .dist-info with RECORD whose files are half gone, which a sync would take as installed.
    record = site_packages(venv) / "big-1.0.dist-info" / "RECORD"
    if record.exists():
        for row in record.read_text().splitlines():
            assert (site_packages(venv) / row.split(",")[0]).exists(), row
    _repairs(rig, venv, lock)


def _huge_wheel(dists: Path, stage: str) -> None:
    """`huge` 1.0 with one 256 KiB module: its unzip writes more than the room allowed; random
    bytes (hex) do not compress, so then the download already does."""
    if stage == "unzip":
        content: bytes = b"X = 1\n" + b"#" * (256 << 10)
    else:
        content = b"X = 1\n#" + random.Random(0).randbytes(256 << 10).hex().encode()
    build_wheel(dists, "huge", "1.0", files={"huge/__init__.py": content})


def _check_refused(
    rig: Rig, venv: Path, before: dict[str, bytes], stderr: str, *, stage: str, reason: str
) -> None:
    """One clear error saying where and why; no partial entry, no `.tmp-`, venv untouched."""
    assert "Traceback" not in stderr
    errors = [line for line in stderr.splitlines() if line.startswith("error: ")]
    shard = rig.cache / "wheels-v0"
    assert len(errors) == 1, stderr
    if stage == "unzip":
        assert errors[0].startswith(
            "error: Failed to fetch huge-1.0-py3-none-any.whl: cannot unzip it into the cache at "
            f"{shard}/"
        ), stderr
        assert errors[0].endswith(f"/huge ({reason})."), stderr
    else:
        assert errors[0] == (
            "error: Failed to fetch huge-1.0-py3-none-any.whl: cannot write it into the cache "
            f"at {shard} ({reason})."
        ), stderr
    assert listing(site_packages(venv)) == before
    assert_entries_complete(rig.cache)
    assert not list(rig.cache.glob("wheels-v0/*/huge/*"))  # no entry, no digests
    assert leftovers(rig.cache) == []


@pytest.mark.parametrize("stage", ["download", "unzip"])
def test_file_size_limit_while_writing_the_cache(rig: Rig, dists: Path, stage: str) -> None:
    """RLIMIT_FSIZE (SIGXFSZ ignored) makes every large write fail with EFBIG: a clear error,
    no partial entry, no half-made venv; with the limit gone the same run succeeds."""
    venv = rig.venv()
    before = listing(site_packages(venv))
    _huge_wheel(dists, stage)
    lock = rig.lock("req.txt", ("huge==1.0", "pkg0==1.0"))
    limit = (
        "import resource, signal, sys; signal.signal(signal.SIGXFSZ, signal.SIG_IGN); "
        "resource.setrlimit(resource.RLIMIT_FSIZE, (64 * 1024, 64 * 1024)); "
        "from pyfin._cli import main; sys.exit(main(sys.argv[1:]))"
    )
    done = subprocess.run(
        [sys.executable, "-c", limit, "pip", "sync", str(lock)],
        cwd=rig.work,
        env=rig.env,
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )
    assert done.returncode == 1, done.stderr
    _check_refused(rig, venv, before, done.stderr, stage=stage, reason="File too large")
    ok = rig.run("pip", "sync", lock)
    assert ok.returncode == 0, ok.stderr
    assert rig.freeze(venv) == "huge==1.0\npkg0==1.0\n"


@pytest.fixture
def tiny_cache(tmp_path: Path) -> Iterator[Path]:
    """A 160 KiB tmpfs (needs root and mount rights; skipped elsewhere), unmounted after."""
    mount = tmp_path / "tiny-cache"
    mount.mkdir()
    made = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=160k", "tmpfs", str(mount)],
        capture_output=True,
        text=True,
        check=False,
    )
    if made.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {made.stderr.strip()}")
    try:
        yield mount
    finally:
        subprocess.run(["umount", "-l", str(mount)], check=False)


@pytest.mark.parametrize("stage", ["download", "unzip"])
def test_full_disk_while_writing_the_cache(
    rig: Rig, dists: Path, tiny_cache: Path, stage: str
) -> None:
    """A real ENOSPC: the cache lives on a tiny tmpfs. Then the file system grows (remount)
    and the same run succeeds."""
    small = Rig(rig.work, tiny_cache, {**rig.env, "PYFIN_CACHE_DIR": str(tiny_cache)}, rig.index)
    venv = small.venv()
    before = listing(site_packages(venv))
    _huge_wheel(dists, stage)
    lock = small.lock("req.txt", ("huge==1.0", "pkg0==1.0"))
    done = small.run("pip", "sync", lock)
    assert done.returncode == 1, done.stderr
    _check_refused(small, venv, before, done.stderr, stage=stage, reason="No space left on device")
    grown = subprocess.run(
        ["mount", "-o", "remount,size=8m", str(tiny_cache)], capture_output=True, check=False
    )
    assert grown.returncode == 0, grown.stderr
    ok = small.run("pip", "sync", lock)
    assert ok.returncode == 0, ok.stderr
    assert small.freeze(venv) == "huge==1.0\npkg0==1.0\n"


@pytest.mark.parametrize("seed", [1, 2])
def test_ctrl_c_while_preparing(rig: Rig, big: Path, seed: int) -> None:
    """SIGINT (Ctrl-C) mid-download/unzip: exit 130 without a traceback; the next run repairs."""
    venv = rig.venv()
    lock = _big_lock(rig)
    rig.index.faults.match = "/files/"
    rig.index.faults.stall = 0.2
    with rig.popen("pip", "sync", lock) as proc:
        deadline = time.monotonic() + 30
        while not any(p.startswith("/files/") for p in rig.index.paths()):
            assert time.monotonic() < deadline and proc.poll() is None
            time.sleep(0.005)
        time.sleep(random.Random(seed).uniform(0.0, 0.3))
        proc.send_signal(signal.SIGINT)
        _, stderr = proc.communicate(timeout=60)
    assert proc.returncode == 130, stderr
    assert "Traceback" not in stderr
    rig.index.faults.stall = 0.0
    _repairs(rig, venv, lock)
