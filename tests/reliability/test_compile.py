"""`pyfin pip compile` (present since this suite was started) under the same stresses: a flaky
index, several processes on one cold cache, damaged metadata entries, hostile input."""

from __future__ import annotations

from pathlib import Path

import pytest
from reliability_rig import Rig, leftovers

from pyfin_testing.wheels import build_wheel

EXPECTED = ["needy==1.0", "pkg0==1.0", "pkg1==1.0", "pkg2==1.0"]


@pytest.fixture
def needy(dists: Path) -> Path:
    return build_wheel(
        dists, "needy", "1.0", requires=["pkg0>=1", "pkg1", "pkg2; python_version >= '3'"]
    )


def _compile(rig: Rig, *extra: str) -> tuple[int, list[str], str]:
    (rig.work / "req.in").write_text("needy\n")
    result = rig.run(
        "pip", "compile", "req.in", "-i", rig.index.index_url, "--python-version", "3.11", *extra
    )
    pins = [line for line in result.stdout.splitlines() if line and not line.startswith(" ")]
    return result.returncode, [p for p in pins if not p.startswith("#")], result.stderr


@pytest.mark.parametrize("fault", ["fail_first", "reset_first", "truncate_first"])
def test_flaky_index_gives_the_same_lock(rig: Rig, needy: Path, fault: str) -> None:
    setattr(rig.index.faults, fault, 2)
    status, pins, stderr = _compile(rig)
    assert status == 0, stderr
    assert pins == EXPECTED
    assert getattr(rig.index.faults, fault) == 0
    assert leftovers(rig.cache) == []


def test_index_failing_forever(rig: Rig, needy: Path) -> None:
    rig.index.faults.match = "/simple/pkg1/"
    rig.index.faults.fail_first = 1000
    status, _, stderr = _compile(rig)
    assert status == 1
    assert "Traceback" not in stderr
    errors = [line for line in stderr.splitlines() if line.startswith("error: ")]
    assert len(errors) == 1, stderr
    assert f"{rig.index.index_url}pkg1/" in stderr and "4 attempts" in stderr, stderr


def test_four_compiles_on_one_cold_cache(rig: Rig, needy: Path) -> None:
    (rig.work / "req.in").write_text("needy\n")
    argv = ("pip", "compile", "req.in", "-i", rig.index.index_url, "--python-version", "3.11")
    procs = [rig.popen(*argv) for _ in range(4)]
    outputs = [proc.communicate(timeout=120) for proc in procs]
    assert [proc.returncode for proc in procs] == [0] * 4, outputs
    assert len({out for out, _ in outputs}) == 1
    assert leftovers(rig.cache) == []


def test_damaged_metadata_entry_still_gives_every_dependency(rig: Rig, needy: Path) -> None:
    status, pins, stderr = _compile(rig)
    assert (status, pins) == (0, EXPECTED), stderr
    (entry,) = rig.cache.rglob("needy-1.0-py3-none-any.whl.metadata")
    data = entry.read_bytes()
    entry.write_bytes(data[: data.index(b"Requires-Dist")])  # still parses, lost its deps
    status, pins, stderr = _compile(rig)
    assert (status, pins) == (0, EXPECTED), stderr
    assert entry.read_bytes() == data
