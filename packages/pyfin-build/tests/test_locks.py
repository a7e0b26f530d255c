"""Build locks: cycles across threads fail fast, and other processes' builds are waited for."""

from __future__ import annotations

import shutil
import subprocess
import sys
import threading
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from pyfin_build import BuildCycle
from pyfin_build._locks import KeyLocks
from pyfin_testing.projects import write_intree_project

if TYPE_CHECKING:
    from conftest import MakeContext


def test_a_thread_asking_again_for_what_it_builds_is_a_cycle() -> None:
    locks = KeyLocks()
    with locks.hold("key-a", "a"), locks.hold("key-b", "b"):
        with pytest.raises(BuildCycle) as info, locks.hold("key-a-other-version", "a"):
            pass
        assert info.value.chain == ("a", "b", "a")
        with pytest.raises(BuildCycle), locks.hold("key-b", "b-by-another-name"):
            pass
    with locks.hold("key-a", "a"):  # everything was released
        pass


def test_two_threads_waiting_for_each_other_is_a_cycle_not_a_hang() -> None:
    locks = KeyLocks()
    first_holds = threading.Event()
    second_holds = threading.Event()
    errors: list[BuildCycle] = []

    def first() -> None:
        with locks.hold("key-a", "a"):
            first_holds.set()
            second_holds.wait()
            try:
                with locks.hold("key-b", "b"):
                    pass
            except BuildCycle as exc:
                errors.append(exc)

    thread = threading.Thread(target=first)
    thread.start()
    first_holds.wait()
    with locks.hold("key-b", "b"):
        second_holds.set()
        # Wait until the first thread is blocked on key-b, then ask for key-a.
        while "key-b" not in locks._waiting.values():
            threading.Event().wait(0.001)
        with pytest.raises(BuildCycle), locks.hold("key-a", "a"):
            pass
    thread.join()
    assert errors == []  # the first thread got key-b once we released it


def test_a_build_waits_for_another_process_and_uses_its_result(
    make_context: MakeContext, tmp_path: Path, backend_log: Path
) -> None:
    tree = write_intree_project(tmp_path, "shared")
    wheel = make_context().builder.build_wheel(tree)
    variant = wheel.parent.parent
    saved = tmp_path / "saved"
    shutil.move(variant, saved)  # as if nothing were cached yet
    lock = variant.with_name(variant.name + ".lock")
    script = (
        "import fcntl, os, sys; fd = os.open(sys.argv[1], os.O_RDWR);"
        "fcntl.flock(fd, fcntl.LOCK_EX); print('locked', flush=True); sys.stdin.read()"
    )
    results: list[Path] = []
    second = make_context()
    waiting = threading.Thread(target=lambda: results.append(second.builder.build_wheel(tree)))
    with subprocess.Popen(
        [sys.executable, "-c", script, str(lock)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    ) as holder:
        assert holder.stdout is not None and holder.stdin is not None
        assert holder.stdout.readline() == "locked\n"
        waiting.start()
        waiting.join(0.3)
        assert waiting.is_alive()  # blocked on the other process's lock
        shutil.move(saved, variant)  # the other process finishes its build ...
        holder.stdin.close()  # ... and releases the lock
    waiting.join()
    assert results == [wheel]
    assert backend_log.read_text().splitlines().count("build_wheel shared") == 1
