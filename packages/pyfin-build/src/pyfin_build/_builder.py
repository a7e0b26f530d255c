"""`Builder`: metadata and wheels of sources, read through the `BUILT_WHEELS` cache.

Cache layout (the `<name>` level is what `Cache.clean(packages)` removes)::

    built-wheels-v0/
    └── <kind>/                      index (archive, by sha256) | url | path (source tree)
        └── <key>/                   sha256 of the archive; sha256(URL or path)[:32]
            └── <name>/              normalized project name (`unknown` if it cannot be read)
                ├── <variant>.lock   flock held while building this variant
                └── <variant>/       cp311-<digest of interpreter + config>[-<tree fingerprint>]
                    ├── metadata/<dist>-<version>.dist-info/
                    ├── wheel/<wheel file>
                    ├── editable-metadata/<dist>-<version>.dist-info/
                    └── editable/<editable wheel file>

Every folder above the leaves is written with `atomic_dir`, so readers never lock: a present
leaf is complete. Writers hold the in-process key lock, then the file lock, then look again.
Tree variants carry the tree's fingerprint (newest mtime + file names); a new one replaces
older ones of the same prefix when its wheel is stored.
"""

from __future__ import annotations

import hashlib
import json
import shutil
import tempfile
import threading
import uuid
import weakref
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from pyfin_build._archive import archive_stem, extract_sdist
from pyfin_build._errors import BuildFailed, InvalidSourceArchive, UnsupportedSource
from pyfin_build._locks import KeyLocks, file_lock
from pyfin_build._session import BuildKind, BuildSession, ConfigSettings
from pyfin_build._source import SourceId, identify
from pyfin_cache import CacheBucket, atomic_dir

if TYPE_CHECKING:
    from packaging.utils import NormalizedName

    from pyfin_traits import BuildContext

_SHORT_IMPLEMENTATION = {"cpython": "cp", "pypy": "pp", "graalpy": "gp"}


@dataclass(frozen=True, slots=True)
class _Target:
    """One source, one kind of build, and where its results live in the cache."""

    source: SourceId
    editable: bool
    label: str  # the package name used in errors and cycle chains
    entry: Path  # the <variant> folder
    lock: Path  # the <variant>.lock file

    @property
    def metadata_dir(self) -> Path:
        return self.entry / ("editable-metadata" if self.editable else "metadata")

    @property
    def wheel_dir(self) -> Path:
        return self.entry / ("editable" if self.editable else "wheel")


class CachedBuild:
    """A `SourceBuild` whose results come from the cache when present (then nothing runs).

    Made by `Builder.setup`; `metadata()` and `wheel(out_dir)` may be called from any thread.
    """

    def __init__(self, builder: Builder, target: _Target) -> None:
        self._builder = builder
        self._target = target

    @property
    def source(self) -> Path:
        """The source archive or tree."""
        return self._target.source.path

    @property
    def editable(self) -> bool:
        return self._target.editable

    def metadata(self) -> Path:
        """The `.dist-info` folder (in the cache) from `prepare_metadata_for_build_wheel`
        (`_editable` for editable builds); when the backend lacks that hook, from a wheel that
        is built (and cached) instead, so this never returns None. Raises `BuildError`."""
        return self._builder._ensure_metadata(self._target)

    def cached_wheel(self) -> Path:
        """The built wheel's path inside the cache (built now unless cached).

        Raises `BuildError`."""
        return self._builder._ensure_wheel(self._target)

    def wheel(self, out_dir: Path) -> Path:
        """Copy the built wheel (built now unless cached) into `out_dir`; its path there."""
        cached = self.cached_wheel()
        out_dir.mkdir(parents=True, exist_ok=True)
        dest = out_dir / cached.name
        temp = out_dir / f".tmp-{uuid.uuid4().hex}-{cached.name}"
        try:
            shutil.copyfile(cached, temp)
            temp.replace(dest)
        finally:
            temp.unlink(missing_ok=True)
        return dest


class Builder:
    """Builds metadata and wheels of source archives and trees, in isolated environments, once.

    `context` resolves and installs build requirements (and gives the cache and the
    interpreter); `config_settings` are passed to every hook (`-C key=value`). Thread-safe:
    independent sources build in parallel, the same source is built once (an in-process lock
    per cache entry plus a file lock for other processes), and a build that needs itself
    raises `BuildCycle`. Temporary folders (extracted sdists, build environments) live under
    one scratch folder removed by `close()` or when the builder is garbage-collected.
    """

    def __init__(
        self, context: BuildContext, *, config_settings: ConfigSettings | None = None
    ) -> None:
        self._context = context
        self._config: dict[str, str | list[str]] | None = (
            None
            if config_settings is None
            else {k: v if isinstance(v, str) else list(v) for k, v in config_settings.items()}
        )
        self._locks = KeyLocks()
        self._mutex = threading.Lock()
        self._sessions: dict[Path, BuildSession] = {}
        self._scratch: Path | None = None
        self._finalizer: weakref.finalize[[str, bool], Builder] | None = None

    def close(self) -> None:
        """Remove the scratch folder (build environments, extracted sources). Call it when no
        build of this builder is running; the builder stays usable (a new scratch folder)."""
        with self._mutex:
            self._sessions.clear()
            if self._finalizer is not None:
                self._finalizer()

    def __enter__(self) -> Builder:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def setup(
        self,
        source: Path,
        *,
        name: NormalizedName | None = None,
        editable: bool = False,
        url: str | None = None,
    ) -> CachedBuild:
        """Prepare (lazily: nothing is built yet) a build of the archive or tree `source`.

        `name` names the package in errors and cycle detection; `url`, for an archive that was
        downloaded from it, keys the cache by URL instead of content. Raises `UnsupportedSource`
        (missing, not an archive, editable build of an archive). Cost: hashing the archive or
        walking the tree's file times.
        """
        sid = identify(source, name=name, url=url)
        if editable and not sid.is_tree:
            raise UnsupportedSource(
                sid.path, "an editable build needs a source tree, not an archive"
            )
        return CachedBuild(self, self._target(sid, editable))

    def metadata(
        self, source: Path, *, name: NormalizedName | None = None, editable: bool = False
    ) -> Path:
        """Shortcut for `setup(...).metadata()`: the cached `.dist-info` folder."""
        return self.setup(source, name=name, editable=editable).metadata()

    def build_wheel(
        self, source: Path, *, name: NormalizedName | None = None, editable: bool = False
    ) -> Path:
        """Shortcut for `setup(...).cached_wheel()`: the wheel in the cache, built unless there."""
        return self.setup(source, name=name, editable=editable).cached_wheel()

    # -- internals --------------------------------------------------------------------------

    def _target(self, sid: SourceId, editable: bool) -> _Target:
        interpreter = self._context.interpreter
        major, minor = interpreter.python_version
        short = _SHORT_IMPLEMENTATION.get(
            interpreter.implementation_name, interpreter.implementation_name
        )
        digest = hashlib.sha256(
            json.dumps(
                {"python": str(interpreter.base_executable), "config": self._config},
                sort_keys=True,
            ).encode()
        ).hexdigest()[:12]
        variant = f"{short}{major}{minor}-{digest}"
        if sid.fingerprint is not None:
            variant = f"{variant}-{sid.fingerprint}"
        folder = self._context.cache.shard(
            CacheBucket.BUILT_WHEELS, sid.kind, sid.key, sid.name or "unknown"
        )
        label = sid.name or (archive_stem(sid.path) if not sid.is_tree else sid.path.name)
        return _Target(sid, editable, label, folder / variant, folder / f"{variant}.lock")

    @contextmanager
    def _exclusive(self, target: _Target) -> Iterator[None]:
        with self._locks.hold(str(target.entry), target.label), file_lock(target.lock):
            yield

    def _ensure_metadata(self, target: _Target) -> Path:
        found = _dist_info_in(target.metadata_dir)
        if found is not None:
            return found
        with self._exclusive(target):
            found = _dist_info_in(target.metadata_dir)
            if found is not None:
                return found
            wheel = _wheel_in(target.wheel_dir)
            if wheel is None:
                session = self._session(target)
                with self._dropped_on_error(target):
                    prepared = session.prepare_metadata(session.scratch / "metadata")
                    if prepared is not None:
                        with atomic_dir(target.metadata_dir) as temp:
                            shutil.copytree(prepared, temp / prepared.name)
                        return _found(target.metadata_dir, target)
                wheel = self._build_locked(target, session)
            _store_metadata_from_wheel(target, wheel)
            return _found(target.metadata_dir, target)

    def _ensure_wheel(self, target: _Target) -> Path:
        found = _wheel_in(target.wheel_dir)
        if found is not None:
            return found
        with self._exclusive(target):
            found = _wheel_in(target.wheel_dir)
            if found is not None:
                return found
            wheel = self._build_locked(target, self._session(target))
            if _dist_info_in(target.metadata_dir) is None:
                _store_metadata_from_wheel(target, wheel)
            return wheel

    def _build_locked(self, target: _Target, session: BuildSession) -> Path:
        """Build the wheel with `session` into the cache (caller holds the target's locks)."""
        scratch = session.scratch
        prepared = _dist_info_in(scratch / "metadata")
        with self._dropped_on_error(target):
            built = session.build(scratch / "out", metadata_directory=prepared)
            if built.suffix != ".whl" or not built.is_file():
                raise BuildFailed(
                    target.label,
                    f"build_{session.kind}",
                    0,
                    f"the hook returned {built.name!r}, not a wheel",
                )
            with atomic_dir(target.wheel_dir) as temp:
                shutil.copyfile(built, temp / built.name)
        self._drop_session(target)
        _drop_stale_variants(target)
        return target.wheel_dir / built.name

    def _session(self, target: _Target) -> BuildSession:
        with self._mutex:
            session = self._sessions.get(target.entry)
            if session is not None:
                return session
            scratch = self._scratch_root() / uuid.uuid4().hex[:12]
            scratch.mkdir()
        try:
            if target.source.is_tree:
                tree = target.source.path
            else:
                tree = extract_sdist(target.source.path, scratch / "src")
            kind: BuildKind = "editable" if target.editable else "wheel"
            session = BuildSession(
                self._context,
                tree,
                target.label,
                kind,
                scratch=scratch,
                config_settings=self._config,
            )
        except BaseException:
            shutil.rmtree(scratch, ignore_errors=True)
            raise
        with self._mutex:
            self._sessions[target.entry] = session
        return session

    @contextmanager
    def _dropped_on_error(self, target: _Target) -> Iterator[None]:
        """A failed hook may leave its environment half made: the next attempt starts afresh."""
        try:
            yield
        except BaseException:
            self._drop_session(target)
            raise

    def _drop_session(self, target: _Target) -> None:
        with self._mutex:
            session = self._sessions.pop(target.entry, None)
        if session is not None:
            shutil.rmtree(session.scratch, ignore_errors=True)

    def _scratch_root(self) -> Path:
        """Called with `_mutex` held."""
        if self._scratch is None or self._finalizer is None or not self._finalizer.alive:
            self._scratch = Path(tempfile.mkdtemp(prefix="pyfin-build-"))
            self._finalizer = weakref.finalize(self, shutil.rmtree, str(self._scratch), True)
        return self._scratch


def _dist_info_in(folder: Path) -> Path | None:
    try:
        for child in folder.iterdir():
            if child.name.endswith(".dist-info") and child.is_dir():
                return child
    except OSError:
        return None
    return None


def _wheel_in(folder: Path) -> Path | None:
    try:
        for child in folder.iterdir():
            if child.suffix == ".whl":
                return child
    except OSError:
        return None
    return None


def _found(folder: Path, target: _Target) -> Path:
    found = _dist_info_in(folder)
    if found is None:  # the backend produced a folder without .dist-info
        raise BuildFailed(target.label, "prepare_metadata", 0, f"no .dist-info folder in {folder}")
    return found


def _store_metadata_from_wheel(target: _Target, wheel: Path) -> None:
    """Copy the wheel's `.dist-info` files into the target's metadata folder."""
    try:
        with zipfile.ZipFile(wheel) as zf, atomic_dir(target.metadata_dir) as temp:
            for info in zf.infolist():
                top, _, rest = info.filename.partition("/")
                if not top.endswith(".dist-info") or not rest or info.is_dir():
                    continue
                parts = rest.split("/")
                if any(part in ("", ".", "..") for part in parts) or "\\" in rest:
                    raise InvalidSourceArchive(wheel, f"entry {info.filename!r} is unsafe")
                dest = temp.joinpath(top, *parts)
                dest.parent.mkdir(parents=True, exist_ok=True)
                dest.write_bytes(zf.read(info))
    except (zipfile.BadZipFile, OSError) as exc:
        raise InvalidSourceArchive(wheel, f"the built wheel cannot be read ({exc})") from exc
    _found(target.metadata_dir, target)


def _drop_stale_variants(target: _Target) -> None:
    """For trees: remove variants of older fingerprints (same interpreter and config)."""
    if target.source.fingerprint is None:
        return
    prefix = target.entry.name.rsplit("-", 1)[0] + "-"
    for sibling in target.entry.parent.iterdir():
        if sibling.name.startswith(prefix) and sibling != target.entry and sibling.is_dir():
            shutil.rmtree(sibling, ignore_errors=True)
