"""Carry out a plan in the environment: uninstall, then link the prepared wheels, in parallel.

Each distribution is installed by install-wheel on its own (rolled back on failure), from the
unzipped cache entry with the chosen link mode. Bytecode, when asked for, is compiled once for
the whole environment at the end, in the target interpreter (one process, all cores).
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import shutil
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from install_wheel import (
    InstallWheelError,
    LinkMode,
    UnpackedWheel,
    install,
    uninstall,
)
from pyfin_installer._environment import Environment
from pyfin_installer._errors import LinkFailed
from pyfin_installer._fetch import PreparedWheel
from pyfin_installer._inventory import InstalledDist
from pyfin_installer._reporter import NullReporter, Reporter

INSTALLER_NAME = "pyfin"
# Linking is system calls (they release the GIL) on a small tree per wheel: a few threads
# overlap them; more only contend for the two cores.
_LINK_THREADS = 4


@dataclass(frozen=True, slots=True)
class CompileReport:
    """What bytecode compilation said when it did not fully succeed (empty when it did)."""

    returncode: int
    output: str


def remove_dists(
    environment: Environment, dists: Sequence[InstalledDist], reporter: Reporter | None = None
) -> None:
    """Uninstall ``dists`` (by RECORD / installed-files.txt, inside the scheme only).

    A ``.dist-info`` without RECORD (an interrupted install) has no known files: only its
    metadata folder is removed; the reinstall that follows overwrites its files. Raises
    ``LinkFailed``.
    """
    report = reporter if reporter is not None else NullReporter()
    scheme = environment.scheme
    for dist in dists:
        try:
            if not dist.complete:
                shutil.rmtree(dist.path)
            else:
                uninstall(dist.path, scheme)
        except (InstallWheelError, OSError) as exc:
            raise LinkFailed("uninstall", dist.name, str(exc)) from exc
        report.on_uninstalled(dist.name, dist.version)


_FICLONE = 0x40049409  # ioctl(FICLONE): share one file's extents with another (reflink)


def _first_file(folder: Path) -> Path | None:
    with os.scandir(folder) as entries:
        for entry in entries:
            if entry.is_file(follow_symlinks=False):
                return Path(entry.path)
    return None


def _try_mode(mode: LinkMode, source: Path, probe: Path) -> bool:
    if mode is LinkMode.HARDLINK:
        os.link(source, probe)
        return True
    with open(source, "rb") as src, open(probe, "wb") as dst:
        fcntl.ioctl(dst.fileno(), _FICLONE, src.fileno())
    return True


def usable_link_mode(requested: LinkMode, wheel_dir: Path, target: Path) -> LinkMode:
    """The first mode of ``requested``'s fallback chain that works from the cache folder
    ``wheel_dir`` to ``target``, tried once on one file (two system calls).

    install-wheel falls back per wheel after trying; deciding once per run saves every wheel
    a failed attempt (on ext4, where reflinks fail, that attempt costs as much as a copy).
    """
    source = _first_file(wheel_dir)
    if source is None:
        return requested
    for mode in requested.chain():
        if mode in (LinkMode.COPY, LinkMode.SYMLINK):
            return mode
        probe = target / f".tmp-pyfin-link-probe-{os.getpid()}"
        try:
            if _try_mode(mode, source, probe):
                return mode
        except OSError:
            continue
        finally:
            with contextlib.suppress(FileNotFoundError):
                probe.unlink()
    return LinkMode.COPY


def link_wheels(
    environment: Environment,
    wheels: Sequence[PreparedWheel],
    *,
    link_mode: LinkMode = LinkMode.CLONE,
    reporter: Reporter | None = None,
) -> None:
    """Install every prepared wheel into the environment, a few at a time. Raises
    ``LinkFailed`` for the first failure (the others that finished stay installed)."""
    report = reporter if reporter is not None else NullReporter()
    if wheels:
        target = environment.scheme.purelib
        target.mkdir(parents=True, exist_ok=True)
        link_mode = usable_link_mode(link_mode, wheels[0].path, target)
    destination = environment.destination(link_mode)
    # Threads within threads (install-wheel's pool for a large wheel, inside ours) only contend
    # for the GIL and the same directories: measured 27% slower on a 150-wheel sync. A wheel
    # uses install-wheel's pool only when ours has threads to spare.
    inner_parallel = len(wheels) < _LINK_THREADS

    def one(wheel: PreparedWheel) -> None:
        try:
            install(
                UnpackedWheel(wheel.path, wheel.filename),
                destination,
                installer=INSTALLER_NAME,
                requested=wheel.wanted.requested,
                direct_url=wheel.direct_url,
                parallel=inner_parallel,
            )
        except (InstallWheelError, OSError) as exc:
            raise LinkFailed("install", wheel.name, str(exc)) from exc
        report.on_installed(wheel.name, wheel.version)

    if len(wheels) <= 1:
        for wheel in wheels:
            one(wheel)
        return
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(max_workers=min(_LINK_THREADS, len(wheels))) as pool:
        for future in [pool.submit(one, wheel) for wheel in wheels]:
            future.result()


def compile_bytecode(environment: Environment) -> CompileReport | None:
    """Compile every ``.py`` in the environment's lib folders with its own interpreter
    (``compileall``, all cores; files already compiled are skipped). Returns None on success,
    else what the interpreter said (sources that do not compile are reported, not fatal).

    ``-I -S``: nothing from the environment runs while compiling it (no ``sitecustomize``, no
    ``.pth`` import lines of the packages just installed)."""
    import subprocess

    argv = [os.fspath(environment.interpreter.sys_executable), "-I", "-S", "-m", "compileall"]
    argv += ["-q", "-j", "0", *(os.fspath(d) for d in environment.lib_dirs() if d.is_dir())]
    done = subprocess.run(argv, capture_output=True, text=True, check=False)
    if done.returncode == 0:
        return None
    return CompileReport(done.returncode, (done.stdout + done.stderr).strip())
