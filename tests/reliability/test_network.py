"""A misbehaving index, through `pyfin pip sync`: 5xx then success, failing forever, resets,
cut bodies, ignored Range, stalls and cross-origin redirects. The venv ends correct, or
unchanged with one clear error."""

from __future__ import annotations

import time
from pathlib import Path

from reliability_rig import (
    STANDARD_FREEZE,
    Rig,
    assert_entries_complete,
    check_imports,
    leftovers,
    listing,
    site_packages,
)

from pyfin_testing.index_server import IndexServer


def _sync_ok(rig: Rig, venv: Path) -> None:
    result = rig.run("pip", "sync", rig.lock())
    assert result.returncode == 0, result.stderr
    assert rig.freeze(venv) == STANDARD_FREEZE
    check_imports(venv)
    assert_entries_complete(rig.cache)
    assert leftovers(rig.cache) == []


def test_server_errors_then_success(rig: Rig) -> None:
    venv = rig.venv()
    rig.index.faults.fail_first = 3  # spread over pages and files: each is retried
    rig.index.faults.fail_status = 500
    _sync_ok(rig, venv)
    assert rig.index.faults.fail_first == 0
    assert sum(r.status == 500 for r in rig.index.requests) == 3


def test_resets_then_success(rig: Rig) -> None:
    venv = rig.venv()
    rig.index.faults.match = "/files/"
    rig.index.faults.reset_first = 3
    _sync_ok(rig, venv)
    assert rig.index.faults.reset_first == 0


def test_cut_bodies_then_success(rig: Rig) -> None:
    venv = rig.venv()
    rig.index.faults.truncate_first = 6  # pages and wheels alike
    _sync_ok(rig, venv)
    assert rig.index.faults.truncate_first == 0


def test_ignored_range_requests(rig: Rig) -> None:
    venv = rig.venv()
    rig.index.faults.ignore_range = True
    rig.index.faults.advertise_metadata = False
    _sync_ok(rig, venv)
    # `pip list --outdated` needs nothing but pages; metadata through range requests is the
    # client's (see test_corruption's metadata test, which also runs without sidecars here).
    outdated = rig.run("pip", "list", "--outdated", "-i", rig.index.index_url)
    assert outdated.returncode == 0, outdated.stderr


def test_failing_forever_names_the_url_without_credentials(rig: Rig) -> None:
    venv = rig.venv()
    before = listing(site_packages(venv))
    rig.index.faults.require_auth = ("alice", "s3cret-token")
    rig.index.faults.match = "/simple/pkg3/"
    rig.index.faults.fail_first = 1000
    url = rig.index.index_url.replace("http://", "http://alice:s3cret-token@")
    lock = rig.work / "req.txt"
    lock.write_text(f"--index-url {url}\n" + "".join(f"pkg{i}==1.0\n" for i in range(10)))
    started = time.monotonic()
    result = rig.run("pip", "sync", lock)
    assert time.monotonic() - started < 30
    assert result.returncode == 1
    assert "s3cret-token" not in result.stderr
    assert "Traceback" not in result.stderr
    errors = [line for line in result.stderr.splitlines() if line.startswith("error: ")]
    assert len(errors) == 1, result.stderr
    page = f"{rig.index.index_url}pkg3/"
    assert page.replace("http://", "http://alice:****@") in result.stderr or page in result.stderr
    assert "503" in result.stderr and "4 attempts" in result.stderr, result.stderr
    assert rig.index.paths().count("/simple/pkg3/") == 4  # the first try and 3 retries
    assert listing(site_packages(venv)) == before
    assert leftovers(rig.cache) == []


def test_stalled_server_gives_up_in_bounded_time(rig: Rig) -> None:
    venv = rig.venv()
    before = listing(site_packages(venv))
    rig.index.faults.match = "/files/pkg5"
    rig.index.faults.stall = 8.0
    started = time.monotonic()
    result = rig.run("pip", "sync", rig.lock(), env={"PYFIN_HTTP_TIMEOUT": "0.3"})
    took = time.monotonic() - started
    assert result.returncode == 1, result.stderr
    assert took < 20, took
    assert "Traceback" not in result.stderr
    errors = [line for line in result.stderr.splitlines() if line.startswith("error: ")]
    assert errors == ["error: Failed to fetch pkg5-1.0-py3-none-any.whl."], result.stderr
    assert f"{rig.index.files_url}pkg5-1.0-py3-none-any.whl" in result.stderr
    assert "ReadTimeout: no data for 0.3 s (PYFIN_HTTP_TIMEOUT sets this limit)" in result.stderr
    assert listing(site_packages(venv)) == before
    assert_entries_complete(rig.cache)
    assert leftovers(rig.cache) == []
    rig.index.faults.stall = 0.0
    _sync_ok(rig, venv)


def test_cross_origin_redirect_drops_credentials(rig: Rig, dists: Path) -> None:
    venv = rig.venv()
    with IndexServer(dists) as other:
        rig.index.faults.require_auth = ("alice", "s3cret-token")
        rig.index.faults.match = "/files/"
        rig.index.faults.redirect_to = other.url
        url = rig.index.index_url.replace("http://", "http://alice:s3cret-token@")
        lock = rig.work / "req.txt"
        lock.write_text(f"--index-url {url}\n" + "".join(f"pkg{i}==1.0\n" for i in range(10)))
        result = rig.run("pip", "sync", lock)
        assert result.returncode == 0, result.stderr
        assert rig.freeze(venv) == STANDARD_FREEZE
        check_imports(venv)
        files = [r for r in other.requests if r.path.startswith("/files/")]
        assert len(files) == 10
        assert all("authorization" not in r.headers for r in other.requests)
        # ... while every request to the first origin carried them.
        assert all("authorization" in r.headers for r in rig.index.requests)
        assert "s3cret-token" not in result.stderr
