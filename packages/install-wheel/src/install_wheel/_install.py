"""Install a verified wheel tree into a destination: plan, place with one link mode, record.

Everything that can be refused is refused while planning, before the first write. Writing
goes through a ``Journal``: any failure removes what this install wrote and restores files it
replaced. RECORD is written last, listing every installed file with sha256 and size.
"""

# str paths and os calls on purpose: this runs once per file (STYLE.md, "Values").
# ruff: noqa: PTH100, PTH112, PTH118, PTH120

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor, wait
from dataclasses import dataclass
from pathlib import Path

from install_wheel._compile import CompiledFile, compile_sources
from install_wheel._direct_url import DirectUrl
from install_wheel._errors import InstallFailed, InvalidWheel
from install_wheel._layout import read_wheel_info
from install_wheel._link import (
    CHUNK,
    LINKERS,
    PARALLEL_FROM,
    Journal,
    LinkMode,
    ModeUnsupported,
    shared_pool,
)
from install_wheel._record import b64_digest, format_record
from install_wheel._scheme import Destination
from install_wheel._scripts import parse_entry_points, rewrite_shebang
from install_wheel._sources import WheelFile, WheelSource
from install_wheel._tree import VerifiedTree

# dist-info files the installer writes itself; copies inside a wheel are not installed.
_OWN_METADATA = frozenset(
    {"RECORD", "RECORD.jws", "RECORD.p7s", "INSTALLER", "REQUESTED", "direct_url.json"}
)


@dataclass(frozen=True, slots=True)
class InstallReport:
    """What an install did."""

    name: str
    version: str
    dist_info: Path
    link_mode: LinkMode
    files: int
    warnings: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class _Linked:
    src: str
    dst: str
    record: str
    sha256: str
    size: int
    executable: bool


@dataclass(frozen=True, slots=True)
class _Written:
    dst: str
    record: str
    content: bytes
    executable: bool


@dataclass(frozen=True, slots=True)
class _Plan:
    linked: list[_Linked]
    written: list[_Written]
    lib_dir: str
    dist_info: str
    sources_to_compile: list[str]
    project_name: str
    warnings: tuple[str, ...]


def _rel(path: str, start: str) -> str:
    return os.path.relpath(path, start).replace(os.sep, "/")


def _plan(tree: VerifiedTree, destination: Destination, metadata: list[tuple[str, bytes]]) -> _Plan:
    wheel = tree.wheel.filename
    layout = tree.layout
    info = read_wheel_info(
        tree.wheel,
        layout,
        tree.read(f"{layout.dist_info}/WHEEL"),
        tree.read(f"{layout.dist_info}/METADATA"),
    )
    scheme = destination.scheme
    python = os.fspath(destination.python)
    lib_dir = os.path.abspath(scheme.purelib if info.root_is_purelib else scheme.platlib)
    bases = {
        "purelib": os.path.abspath(scheme.purelib),
        "platlib": os.path.abspath(scheme.platlib),
        "scripts": os.path.abspath(scheme.scripts),
        "data": os.path.abspath(scheme.data),
        "headers": os.path.join(os.path.abspath(scheme.headers), info.project_name),
    }
    rel_bases = {key: _rel(base, lib_dir) for key, base in bases.items()}
    root = os.path.abspath(tree.root)  # symlinks must point at an absolute path
    data_prefix = layout.data_dir + "/"
    own = {f"{layout.dist_info}/{name}" for name in _OWN_METADATA}
    linked: list[_Linked] = []
    written: list[_Written] = []
    compile_py: list[str] = []
    destinations: dict[str, str] = {}

    def claim(dst: str, entry: str) -> None:
        if dst in destinations:
            raise InvalidWheel(wheel, entry, f"installs to the same path as {destinations[dst]!r}")
        destinations[dst] = entry

    for file in tree.files:
        path = file.path
        if path in own:
            continue
        if path.startswith(data_prefix):
            key, _, rest = path[len(data_prefix) :].partition("/")
            dst = f"{bases[key]}/{rest}"
            record = f"{rel_bases[key]}/{rest}"
            if key == "scripts":
                content = tree.read(path)
                rewritten = rewrite_shebang(content, python)
                claim(dst, path)
                written.append(_Written(dst, record, rewritten or content, True))
                continue
            in_lib = key in ("purelib", "platlib")
        else:
            dst = f"{lib_dir}/{path}"
            record = path
            in_lib = True
        claim(dst, path)
        linked.append(
            _Linked(f"{root}/{path}", dst, record, file.sha256, file.size, file.executable)
        )
        if in_lib and destination.compile_bytecode and path.endswith(".py"):
            compile_py.append(dst)
    entry_points = f"{layout.dist_info}/entry_points.txt"
    if any(f.path == entry_points for f in tree.files):
        for launcher in parse_entry_points(wheel, tree.read(entry_points)):
            dst = f"{bases['scripts']}/{launcher.name}"
            claim(dst, f"entry_points.txt {launcher.name}")
            written.append(
                _Written(
                    dst, f"{rel_bases['scripts']}/{launcher.name}", launcher.render(python), True
                )
            )
    for name, content in metadata:
        dst = f"{lib_dir}/{layout.dist_info}/{name}"
        claim(dst, name)
        written.append(_Written(dst, f"{layout.dist_info}/{name}", content, False))
    warnings = () if info.warning is None else (info.warning,)
    return _Plan(
        linked, written, lib_dir, layout.dist_info, compile_py, info.project_name, warnings
    )


def _write_bytes(content: bytes, executable: bool) -> Callable[[str], None]:
    def put(dst: str) -> None:
        flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_CLOEXEC", 0)
        fd = os.open(dst, flags, 0o755 if executable else 0o644)
        try:
            view = memoryview(content)
            while view:
                view = view[os.write(fd, view) :]
        finally:
            os.close(fd)

    return put


def _linker(
    link: Callable[[str, str, bool], None],
    src: str,
    executable: bool,
) -> Callable[[str], None]:
    def put(dst: str) -> None:
        link(src, dst, executable)

    return put


def _digest(content: bytes) -> str:
    return b64_digest(hashlib.sha256(content).digest())


def _link_chunk(
    link: Callable[[str, str, bool], None], journal: Journal, items: list[_Linked]
) -> None:
    files = journal.files
    for item in items:
        try:
            link(item.src, item.dst, item.executable)
        except FileExistsError:
            journal.place(item.dst, _linker(link, item.src, item.executable))
            continue
        files.append(item.dst)


def _write_chunk(journal: Journal, items: list[_Written]) -> None:
    for out in items:
        journal.place(out.dst, _write_bytes(out.content, out.executable))


def _place(
    plan: _Plan,
    mode: LinkMode,
    journal: Journal,
    pool: ThreadPoolExecutor | None,
) -> list[tuple[str, str, str]]:
    """Put every planned file in place; the RECORD rows of what was placed.

    Raises ``ModeUnsupported`` or ``OSError`` only once every started thread has finished,
    so the journal is complete for a rollback.
    """
    link = LINKERS[mode]
    linked, written = plan.linked, plan.written
    if linked:
        # One file first: a mode the filesystems cannot do (a reflink on ext4) fails here,
        # before every directory of the wheel is made only to be removed by the rollback.
        journal.ensure_dir(linked[0].dst.rpartition("/")[0])
        _link_chunk(link, journal, linked[:1])
        linked = linked[1:]
    parents = {item.dst.rpartition("/")[0] for item in linked}
    parents.update(out.dst.rpartition("/")[0] for out in written)
    if pool is None:
        journal.ensure_dirs(parents, lambda f, items: [f(i) for i in items])
        _link_chunk(link, journal, linked)
        _write_chunk(journal, written)
    else:
        journal.ensure_dirs(parents, lambda f, items: list(pool.map(f, items)))
        futures = [
            pool.submit(_link_chunk, link, journal, linked[start : start + CHUNK])
            for start in range(0, len(linked), CHUNK)
        ]
        futures.extend(
            pool.submit(_write_chunk, journal, written[start : start + CHUNK])
            for start in range(0, len(written), CHUNK)
        )
        wait(futures)
        for future in futures:
            future.result()
    rows = [(item.record, f"sha256={item.sha256}", str(item.size)) for item in plan.linked]
    rows.extend(
        (out.record, f"sha256={_digest(out.content)}", str(len(out.content)))
        for out in plan.written
    )
    return rows


def _pycache_dirs(sources: list[str]) -> set[str]:
    return {os.path.join(os.path.dirname(s), "__pycache__") for s in sources}


def install_tree(
    tree: VerifiedTree,
    destination: Destination,
    *,
    modes: tuple[LinkMode, ...],
    installer: str,
    requested: bool,
    direct_url: DirectUrl | None,
    parallel: bool = True,
) -> InstallReport:
    """Install a verified tree, trying ``modes`` in order until one can place every file
    (with the shared thread pool if ``parallel`` and the wheel has many files)."""
    metadata: list[tuple[str, bytes]] = [("INSTALLER", f"{installer}\n".encode())]
    if requested:
        metadata.append(("REQUESTED", b""))
    if direct_url is not None:
        metadata.append(("direct_url.json", direct_url.to_json()))
    plan = _plan(tree, destination, metadata)
    parallel = parallel and len(plan.linked) + len(plan.written) >= PARALLEL_FROM
    pool = shared_pool() if parallel else None
    for index, mode in enumerate(modes):
        journal = Journal()
        try:
            return _install_with(plan, tree, destination, mode, journal=journal, pool=pool)
        except ModeUnsupported as exc:
            journal.rollback()
            if index + 1 == len(modes):
                raise InstallFailed(
                    tree.wheel.filename, Path(plan.lib_dir), OSError(0, str(exc))
                ) from exc
    raise AssertionError("unreachable: modes is never empty")


def _install_with(
    plan: _Plan,
    tree: VerifiedTree,
    destination: Destination,
    mode: LinkMode,
    *,
    journal: Journal,
    pool: ThreadPoolExecutor | None,
) -> InstallReport:
    """One attempt with one link mode; rolls back (except on ``ModeUnsupported``) on failure."""
    dist_info_dir = f"{plan.lib_dir}/{plan.dist_info}"
    new_pycache: set[str] = set()
    try:
        rows = _place(plan, mode, journal, pool)
        if plan.sources_to_compile:
            new_pycache = {
                d for d in _pycache_dirs(plan.sources_to_compile) if not os.path.isdir(d)
            }
            compiled = compile_sources(destination.python, plan.sources_to_compile)
            rows.extend(_compiled_rows(compiled, plan.lib_dir))
        rows.append((f"{plan.dist_info}/RECORD", "", ""))
        journal.place(f"{dist_info_dir}/RECORD", _write_bytes(format_record(rows), False))
    except ModeUnsupported:
        raise
    except BaseException as exc:
        journal.rollback()
        import shutil

        for directory in new_pycache:
            shutil.rmtree(directory, ignore_errors=True)
        if isinstance(exc, OSError):
            failed = Path(exc.filename or dist_info_dir)
            raise InstallFailed(tree.wheel.filename, failed, exc) from exc
        raise
    journal.commit()
    return InstallReport(
        name=plan.project_name,
        version=tree.wheel.version,
        dist_info=Path(dist_info_dir),
        link_mode=mode,
        files=len(rows),
        warnings=plan.warnings,
    )


def _compiled_rows(compiled: list[CompiledFile], lib_dir: str) -> list[tuple[str, str, str]]:
    return [(_rel(c.path, lib_dir), f"sha256={c.sha256}", str(c.size)) for c in compiled]


def install(
    source: WheelSource,
    destination: Destination,
    *,
    installer: str = "install-wheel",
    requested: bool = False,
    direct_url: DirectUrl | None = None,
    parallel: bool = True,
) -> InstallReport:
    """Install a wheel from ``source`` into ``destination``.

    A ``WheelFile`` is unzipped (verified) into a temporary directory beside the target and
    its files moved in by hard link (copy across filesystems); an ``UnpackedWheel`` is linked
    with ``destination.link_mode`` and its fallbacks. Existing files at the same paths are
    replaced (restored if the install fails). A wheel with many files is placed by a shared
    thread pool unless ``parallel`` is False, as it should be when the caller installs several
    wheels at once: threads within threads only contend for the GIL and the directories.

    Raises ``InvalidWheel`` (nothing written) for hostile or broken wheels,
    ``InvalidWheelFilename`` for a bad file name, and ``InstallFailed`` (everything rolled
    back) when writing fails.
    """
    near = destination.scheme.purelib
    with source.tree(near) as tree:
        if isinstance(source, WheelFile):
            modes: tuple[LinkMode, ...] = (LinkMode.HARDLINK, LinkMode.COPY)
        else:
            modes = destination.link_mode.chain()
        return install_tree(
            tree,
            destination,
            modes=modes,
            installer=installer,
            requested=requested,
            direct_url=direct_url,
            parallel=parallel,
        )
