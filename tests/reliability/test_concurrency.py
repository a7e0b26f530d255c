"""Many pyfin processes at once: one cold cache, one venv, `cache clean` during a sync, and a
target venv whose packages shadow pyfin's own module names."""

from __future__ import annotations

import time
from pathlib import Path

from reliability_rig import (
    STANDARD_FREEZE,
    Rig,
    assert_entries_complete,
    check_imports,
    leftovers,
    site_packages,
    unzipped_wheels,
)

from pyfin_cache import Cache
from pyfin_testing.wheels import build_wheel


def test_six_syncs_from_one_cold_cache(rig: Rig) -> None:
    lock = rig.lock()
    venvs = [rig.venv(f"v{i}") for i in range(6)]
    procs = [rig.popen("pip", "sync", lock, "--python", venv / "bin" / "python") for venv in venvs]
    outputs = [proc.communicate(timeout=120) for proc in procs]
    assert [proc.returncode for proc in procs] == [0] * 6, outputs
    for venv in venvs:
        assert rig.freeze(venv) == STANDARD_FREEZE
        check_imports(venv)
    assert leftovers(rig.cache) == []
    entries = unzipped_wheels(rig.cache)
    assert sorted(entry.name for entry in entries) == [
        f"pkg{i}-1.0-py3-none-any" for i in range(10)
    ]
    assert_entries_complete(rig.cache)
    # Each wheel was unzipped into one entry; a later run finds all ten without the network.
    rig.index.clear()
    again = rig.run("pip", "sync", lock, "--python", venvs[0] / "bin" / "python", "--reinstall")
    assert again.returncode == 0, again.stderr
    assert [p for p in rig.index.paths() if p.startswith("/files/")] == []


def test_two_syncs_into_one_venv(rig: Rig) -> None:
    venv = rig.venv()
    first = rig.lock("a.txt", tuple(f"pkg{i}==1.0" for i in range(0, 6)))
    second = rig.lock("b.txt", tuple(f"pkg{i}==1.0" for i in range(4, 10)))
    procs = [rig.popen("pip", "sync", path) for path in (first, second)]
    outputs = [proc.communicate(timeout=120) for proc in procs]
    assert [proc.returncode for proc in procs] == [0, 0], outputs
    # One ran after the other (the environment lock): the venv is exactly one of the two sets.
    freeze = rig.freeze(venv)
    assert freeze in (
        "".join(f"pkg{i}==1.0\n" for i in range(0, 6)),
        "".join(f"pkg{i}==1.0\n" for i in range(4, 10)),
    )
    installed = tuple(line.split("==")[0] for line in freeze.splitlines())
    check_imports(venv, installed)
    site = site_packages(venv)
    assert len(list(site.glob("pkg*.dist-info"))) == 6
    assert sorted(p.name for p in site.glob("pkg?")) == sorted(installed)
    assert rig.run("pip", "check").returncode == 0


def test_cache_clean_while_a_sync_runs(rig: Rig) -> None:
    venv = rig.venv()
    lock = rig.lock()
    rig.index.faults.match = "/files/"
    rig.index.faults.stall = 0.3  # every download takes a while: the sync holds the cache
    sync = rig.popen("pip", "sync", lock)
    deadline = time.monotonic() + 30
    while not any(p.startswith("/files/") for p in rig.index.paths()):
        assert time.monotonic() < deadline, "the sync never started downloading"
        assert sync.poll() is None, sync.communicate()
        time.sleep(0.01)
    clean = rig.popen("cache", "clean")
    _, clean_err = clean.communicate(timeout=120)
    _, sync_err = sync.communicate(timeout=120)
    assert sync.returncode == 0, sync_err
    assert clean.returncode == 0, clean_err
    # The design: `cache clean` takes the cache exclusively, so it waits for the sync, says so,
    # and then empties the cache; the sync finished with a correct venv either way.
    assert clean_err.splitlines()[0].startswith(
        "Waiting for other pyfin processes to finish using the cache"
    ), clean_err
    assert clean_err.splitlines()[-1].startswith("Removed "), clean_err
    assert rig.freeze(venv) == STANDARD_FREEZE
    check_imports(venv)
    assert unzipped_wheels(rig.cache) == []
    assert leftovers(rig.cache) == []
    # The installed files do not depend on the cache entries that were removed.
    again = rig.run("pip", "sync", lock)
    assert again.returncode == 0, again.stderr
    assert "Audited 10 packages" in again.stderr


def test_target_packages_named_like_pyfin_are_never_imported(rig: Rig, dists: Path) -> None:
    marker = rig.work / "imported-from-target"
    payload = f"open({str(marker)!r}, 'w').write('pwned')\nraise SystemExit('target code ran')\n"
    shadows = (
        "pyfin",
        "pyfin_cache",
        "pyfin_installer",
        "pyfin_client",
        "install_wheel",
        "pyfin_interpreter",
        "gourgeist",
        "packaging",
        "httpx",
    )
    files = {f"{name}/__init__.py": payload for name in shadows}
    # Code the target's own interpreter would run at start-up: pyfin must not start it with
    # `site` enabled either (bytecode compilation runs it with -I -S).
    files["sitecustomize.py"] = payload
    files["shadow.pth"] = f"import os; open({str(marker)!r}, 'w').write('pth')\n"
    build_wheel(dists, "shadow", "1.0", files=files)
    venv = rig.venv()
    lock = rig.lock("req.txt", ("shadow==1.0", "pkg0==1.0"))
    result = rig.run("pip", "sync", lock, "--compile-bytecode")
    assert result.returncode == 0, result.stderr
    assert (site_packages(venv) / "pyfin_cache" / "__init__.py").is_file()
    assert not marker.exists()
    # Every command that looks at the venv afterwards runs pyfin's own code, not the target's.
    for args in (
        ("pip", "freeze"),
        ("pip", "list"),
        ("pip", "check"),
        ("pip", "show", "shadow"),
        ("pip", "tree"),
        ("pip", "sync", lock),
        ("pip", "sync", lock, "--reinstall"),
        ("python", "find"),
        ("pip", "uninstall", "shadow"),
    ):
        done = rig.run(*args)
        assert done.returncode == 0, (args, done.stderr)
        assert not marker.exists(), args
    assert rig.freeze(venv) == "pkg0==1.0\n"


def test_commands_that_use_the_cache_wait_for_a_clean(rig: Rig) -> None:
    cache = Cache(rig.cache)
    with cache.lock_exclusive():  # what `pyfin cache clean` holds while it deletes
        result = rig.run("venv", "v", "--python", "3.11", env={"PYFIN_LOCK_TIMEOUT": "1"})
    assert result.returncode == 1
    assert "Waiting for another pyfin process to finish cleaning the cache" in result.stderr
    assert not (rig.work / "v").exists()
