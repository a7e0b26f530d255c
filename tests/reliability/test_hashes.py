"""`--require-hashes` and `--hash` through `pyfin pip sync`: every refusal leaves the venv and
the cache as they were; an artifact cached without hashes is checked before it is used."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
from reliability_rig import Rig, assert_entries_complete, leftovers, venv_state

WHEEL = "pkg0-1.0-py3-none-any.whl"


def _digest(dists: Path, algorithm: str = "sha256", name: str = WHEEL) -> str:
    return hashlib.new(algorithm, (dists / name).read_bytes()).hexdigest()


def _refused(rig: Rig, venv: Path, text: str, *extra: str) -> str:
    before = venv_state(venv)
    (rig.work / "req.txt").write_text(f"--index-url {rig.index.index_url}\n{text}")
    result = rig.run("pip", "sync", "-q", "req.txt", *extra)
    assert result.returncode == 1, result.stderr
    assert "Traceback" not in result.stderr
    lines = result.stderr.splitlines()
    assert len([line for line in lines if line.startswith("error: ")]) == 1, result.stderr
    assert venv_state(venv) == before
    assert leftovers(rig.cache) == []
    assert_entries_complete(rig.cache)
    return result.stderr


def test_wrong_digest_keeps_nothing(rig: Rig, dists: Path) -> None:
    venv = rig.venv()
    wrong = "ab" * 32
    stderr = _refused(rig, venv, f"pkg0==1.0 --hash=sha256:{wrong}\n", "--require-hashes")
    assert stderr == (
        f"error: Hash mismatch for {WHEEL}: expected sha256:{wrong}, got "
        f"sha256:{_digest(dists)}; the file differs from the one the requirements were written "
        "for, check the --hash values.\n"
    )
    assert not list(rig.cache.glob("wheels-v0/*/pkg0/pkg0-*"))  # neither entry nor digests


@pytest.mark.parametrize("algorithm", ["md5", "sha1"])
def test_weak_algorithm_is_refused(rig: Rig, dists: Path, algorithm: str) -> None:
    venv = rig.venv()
    digest = _digest(dists, algorithm)
    stderr = _refused(rig, venv, f"pkg0==1.0 --hash={algorithm}:{digest}\n", "--require-hashes")
    assert stderr.startswith("error: "), stderr
    assert f"unsupported hash algorithm '{algorithm}' in --hash; use sha256, sha384 or sha512" in (
        stderr
    ), stderr
    assert "req.txt" in stderr and ":2" in stderr, stderr  # file and line
    assert rig.index.paths() == []  # refused before any request


def test_unpinned_and_unhashed_requirements_are_refused(rig: Rig, dists: Path) -> None:
    venv = rig.venv()
    good = _digest(dists)
    unpinned = _refused(rig, venv, f"pkg0>=1.0 --hash=sha256:{good}\n", "--require-hashes")
    assert "`pkg0>=1.0` is not pinned with ==" in unpinned
    # A dependency listed without a hash (as a lock written without --generate-hashes for
    # one line would have it) fails the whole sync, before anything is downloaded.
    unhashed = _refused(
        rig, venv, f"pkg0==1.0 --hash=sha256:{good}\npkg1==1.0\n", "--require-hashes"
    )
    assert "`pkg1==1.0` has no --hash" in unhashed
    # The same from a `--require-hashes` line in the file itself.
    in_file = _refused(rig, venv, f"--require-hashes\npkg0==1.0 --hash=sha256:{good}\npkg1==1.0\n")
    assert "`pkg1==1.0` has no --hash" in in_file
    assert [p for p in rig.index.paths() if p.startswith("/files/")] == []


def test_artifact_cached_without_hashes(rig: Rig, dists: Path) -> None:
    first = rig.venv("first")
    plain = rig.lock("plain.txt", ("pkg0==1.0",))
    assert rig.run("pip", "sync", plain, "--python", first / "bin" / "python").returncode == 0
    (entry,) = rig.cache.glob("wheels-v0/*/pkg0/pkg0-1.0-py3-none-any")
    venv = rig.venv()
    # The wrong hash is caught against the digests kept beside the cached entry.
    rig.index.clear()
    wrong = "cd" * 32
    stderr = _refused(rig, venv, f"pkg0==1.0 --hash=sha256:{wrong}\n", "--require-hashes")
    assert stderr.startswith(f"error: Hash mismatch for {WHEEL}: expected sha256:{wrong}"), stderr
    assert entry.is_dir()  # the entry is good; only this requirement was wrong
    # The right sha256 is served from the cache, without a download.
    rig.index.clear()
    good = f"pkg0==1.0 --hash=sha256:{_digest(dists)}\n"
    (rig.work / "good.txt").write_text(f"--index-url {rig.index.index_url}\n{good}")
    ok = rig.run("pip", "sync", "good.txt", "--require-hashes")
    assert ok.returncode == 0, ok.stderr
    assert [p for p in rig.index.paths() if p.startswith("/files/")] == []
    assert rig.freeze(venv) == "pkg0==1.0\n"
    # An algorithm the cache never computed (sha512) means downloading once more to check it.
    second = rig.venv("second")
    sha512 = f"pkg0==1.0 --hash=sha512:{_digest(dists, 'sha512')}\n"
    (rig.work / "sha512.txt").write_text(f"--index-url {rig.index.index_url}\n{sha512}")
    rig.index.clear()
    again = rig.run("pip", "sync", "sha512.txt", "--python", second / "bin" / "python")
    assert again.returncode == 0, again.stderr
    assert f"/files/{WHEEL}" in rig.index.paths()
    bad512 = f"pkg0==1.0 --hash=sha512:{'e' * 128}\n"
    third = rig.venv("third")
    (rig.work / "bad512.txt").write_text(f"--index-url {rig.index.index_url}\n{bad512}")
    refused = rig.run("pip", "sync", "bad512.txt", "--python", third / "bin" / "python")
    assert refused.returncode == 1
    assert refused.stderr.splitlines()[-1].startswith(f"error: Hash mismatch for {WHEEL}")
    assert not list((third / "lib" / "python3.11" / "site-packages").glob("pkg0*"))
    assert leftovers(rig.cache) == []
