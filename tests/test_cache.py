"""`pyfin cache dir|clean|prune`, the cache lock, and `--no-cache` leaving nothing behind."""

from __future__ import annotations

from pathlib import Path

import pytest
from pyfin_e2e import RunPyfin, pyenv_python

from pyfin._printer import format_size
from pyfin_cache import Cache, CacheBucket


def test_cache_dir_follows_the_option_then_the_environment(
    run_pyfin: RunPyfin, tmp_path: Path
) -> None:
    chosen = tmp_path / "chosen"
    result = run_pyfin("cache", "dir", "--cache-dir", chosen)
    assert (result.returncode, result.stdout) == (0, f"{chosen}\n")
    from_env = tmp_path / "from-env"
    result = run_pyfin("cache", "dir", env={"PYFIN_CACHE_DIR": str(from_env)})
    assert result.stdout == f"{from_env}\n"
    result = run_pyfin("-v", "cache", "dir", env={"PYFIN_CACHE_DIR": str(from_env)})
    assert result.stderr == f"Using cache at: {from_env}\n"


def test_clean_removes_what_a_command_cached(run_pyfin: RunPyfin, tmp_path: Path) -> None:
    python = pyenv_python("3.11")
    if python is None:
        pytest.skip("pyenv has no Python 3.11 on this machine")
    cache = tmp_path / "cache"
    # A real binary, not a shim: its answer is cached (see pyfin-interpreter).
    assert run_pyfin("python", "find", python, "--cache-dir", cache).returncode == 0
    cached = [path for path in (cache / CacheBucket.INTERPRETER.value).rglob("*") if path.is_file()]
    assert cached
    size = sum(path.stat().st_size for path in cached)
    result = run_pyfin("cache", "clean", "--cache-dir", cache)
    assert result.returncode == 0, result.stderr
    plural = "" if len(cached) == 1 else "s"
    assert result.stderr == f"Removed {len(cached)} file{plural} ({format_size(size)})\n"
    assert not any(path.exists() for path in cached)


def test_clean_only_the_named_packages(run_pyfin: RunPyfin, tmp_path: Path) -> None:
    cache = Cache(tmp_path / "cache")
    cache.entry(CacheBucket.SIMPLE, "pypi", file="six.json").write(b"six")
    cache.entry(CacheBucket.SIMPLE, "pypi", file="idna.json").write(b"idna")
    result = run_pyfin("cache", "clean", "Six", "--cache-dir", cache.root)
    assert result.returncode == 0, result.stderr
    assert result.stderr == "Removed 1 file (3 B)\n"
    shard = cache.shard(CacheBucket.SIMPLE, "pypi")
    assert sorted(path.name for path in shard.iterdir()) == ["idna.json"]


def test_prune_removes_leftovers_of_interrupted_runs(run_pyfin: RunPyfin, tmp_path: Path) -> None:
    cache = Cache(tmp_path / "cache")
    keep = cache.entry(CacheBucket.SIMPLE, "pypi", file="six.json")
    keep.write(b"six")
    leftover = keep.dir / ".tmp-interrupted"
    leftover.write_bytes(b"x" * 2048)
    result = run_pyfin("cache", "prune", "--cache-dir", cache.root)
    assert result.returncode == 0, result.stderr
    assert result.stderr == "Removed 1 file (2.0 KiB)\n"
    assert not leftover.exists()
    assert keep.read() == b"six"


def test_clean_waits_for_the_lock_and_says_so(run_pyfin: RunPyfin, tmp_path: Path) -> None:
    cache = Cache(tmp_path / "cache")
    entry = cache.entry(CacheBucket.SIMPLE, "pypi", file="six.json")
    entry.write(b"six")
    with cache.lock_shared():
        result = run_pyfin(
            "cache", "clean", "--cache-dir", cache.root, env={"PYFIN_LOCK_TIMEOUT": "1"}
        )
    assert result.returncode == 1
    lines = result.stderr.splitlines()
    assert lines[0].startswith("Waiting for other pyfin processes to finish using the cache")
    assert lines[1].startswith("error: Timed out after 1 seconds waiting for the cache lock")
    assert "Traceback" not in result.stderr
    assert entry.read() == b"six"


def test_no_cache_leaves_nothing_behind(run_pyfin: RunPyfin, tmp_path: Path) -> None:
    temp = tmp_path / "temp"
    temp.mkdir()
    persistent = tmp_path / "persistent-cache"
    env = {"TMPDIR": str(temp), "PYFIN_CACHE_DIR": str(persistent)}
    found = run_pyfin("--no-cache", "python", "find", "3.11", env=env)
    assert found.returncode == 0, found.stderr
    made = run_pyfin("venv", "env", "--python", "3.11", "--no-cache", env=env)
    assert made.returncode == 0, made.stderr
    failed = run_pyfin("--no-cache", "python", "find", "2.1", env=env)
    assert failed.returncode == 1
    assert list(temp.iterdir()) == []
    assert not persistent.exists()
    assert not (tmp_path / "xdg-cache").exists()
