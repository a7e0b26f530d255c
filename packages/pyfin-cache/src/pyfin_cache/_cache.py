"""`Cache`: the cache root, the only place that turns buckets and keys into paths."""

from __future__ import annotations

import atexit
import os
import sys
from collections.abc import Callable, Sequence
from contextlib import AbstractContextManager
from pathlib import Path
from types import TracebackType

from pyfin_cache import _clean
from pyfin_cache._bucket import CacheBucket
from pyfin_cache._entry import CacheEntry
from pyfin_cache._errors import CacheIOError, InvalidCacheKey, NotACache
from pyfin_cache._lock import hold_lock
from pyfin_cache._names import TEMP_PREFIX
from pyfin_cache._remove import CleanSummary, remove_tree
from pyfin_cache._root import LOCK_FILE, init_root, is_tagged

CACHE_DIR_ENV = "PYFIN_CACHE_DIR"


class Cache:
    """The pyfin cache rooted at `root`; layout of the root in `pyfin_cache._root`, of each
    bucket in `CacheBucket`.

    Folders are created on demand: the root (with CACHEDIR.TAG and .gitignore) and a bucket the
    first time this object hands out a path in them. A temporary cache (`Cache.temporary()`,
    `from_settings(no_cache=True)`) behaves the same and is deleted by `close()` or at exit,
    so no caller needs to know whether caching is "on".

    Locking is advisory and the caller's job: hold `lock_shared()` while using the cache;
    `clean()` and `prune()` take the exclusive lock themselves, so call them without holding a
    lock on the same cache.
    """

    __slots__ = ("_buckets", "_owner_pid", "_ready", "root")

    def __init__(self, root: Path) -> None:
        """A cache at `root` (used as given). Does no I/O."""
        self.root = root
        # For a temporary cache, the process that made it: only that process deletes it at exit
        # (a forked child inherits the exit hook but must not delete its parent's cache).
        self._owner_pid: int | None = None
        self._ready = False
        self._buckets: set[CacheBucket] = set()

    @classmethod
    def from_settings(cls, cache_dir: Path | None = None, *, no_cache: bool = False) -> Cache:
        """The cache the user asked for: a temporary one if `no_cache`, else at `cache_dir`, else
        at `$PYFIN_CACHE_DIR` (if set and non-empty), else the platform's user cache folder
        for "pyfin" (`~/.cache/pyfin` on Linux). `~` is expanded and the path made absolute."""
        if no_cache:
            return cls.temporary()
        if cache_dir is None:
            from_env = os.environ.get(CACHE_DIR_ENV, "")
            cache_dir = Path(from_env) if from_env else user_cache_dir()
        return cls(cache_dir.expanduser().absolute())

    @classmethod
    def temporary(cls) -> Cache:
        """A new, empty cache in the system's temporary folder, deleted by `close()` (or, if
        `close()` is never called, when the interpreter exits normally)."""
        import tempfile  # only for --no-cache: keeps the import of pyfin_cache light

        cache = cls(Path(tempfile.mkdtemp(prefix="pyfin-cache-")))
        cache._owner_pid = os.getpid()
        atexit.register(cache._remove_at_exit)
        cache._ensure_root()
        return cache

    def close(self) -> None:
        """Delete the cache if it is temporary; nothing for a persistent cache. Idempotent.
        Do not use a temporary cache after closing it."""
        if self._owner_pid is not None:
            atexit.unregister(self._remove_at_exit)
            self._remove_temporary()

    def __enter__(self) -> Cache:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()

    def __repr__(self) -> str:
        kind = ", temporary" if self._owner_pid is not None else ""
        return f"Cache({str(self.root)!r}{kind})"

    def bucket(self, bucket: CacheBucket) -> Path:
        """The folder of `bucket`, created (with the root) on first use by this object.
        Raises `CacheIOError` if it cannot be created."""
        path = self.root / bucket.value
        if bucket not in self._buckets:
            self._ensure_root()
            try:
                path.mkdir(exist_ok=True)
            except OSError as exc:
                raise CacheIOError("create", path, exc) from exc
            self._buckets.add(bucket)
        return path

    def shard(self, bucket: CacheBucket, *parts: str) -> Path:
        """The path `bucket/<parts...>`. Creates the bucket folder, not the shard: writers
        (`write_atomic`, `atomic_file`, `atomic_dir`) create what they need.

        Raises `InvalidCacheKey` for a part that is empty, `.`/`..`, holds a path separator or
        NUL, or starts with `.tmp-`.
        """
        for part in parts:
            _check_key(bucket, part)
        return self.bucket(bucket).joinpath(*parts)

    def entry(self, bucket: CacheBucket, *parts: str, file: str) -> CacheEntry:
        """The entry `file` in the shard `bucket/<parts...>`. Raises `InvalidCacheKey`."""
        _check_key(bucket, file)
        return CacheEntry(self.shard(bucket, *parts), file)

    def lock_shared(
        self, *, timeout: float | None = None, on_wait: Callable[[str], None] | None = None
    ) -> AbstractContextManager[None]:
        """Hold the cache's shared lock: many processes may, while none cleans or prunes.

        `timeout` defaults to `$PYFIN_LOCK_TIMEOUT` seconds, else 300; `on_wait(message)` is
        called once if the lock is not free at once. Raises `LockTimeout`, `InvalidSetting`.
        """
        self._ensure_root()
        return hold_lock(
            self.root / LOCK_FILE,
            exclusive=False,
            timeout=timeout,
            on_wait=on_wait,
            wait_message=(
                f"Waiting for another pyfin process to finish cleaning the cache at {self.root}..."
            ),
        )

    def lock_exclusive(
        self, *, timeout: float | None = None, on_wait: Callable[[str], None] | None = None
    ) -> AbstractContextManager[None]:
        """Hold the cache's exclusive lock: no other process holds any lock on it meanwhile.
        Same `timeout` and `on_wait` as `lock_shared`."""
        self._ensure_root()
        return hold_lock(
            self.root / LOCK_FILE,
            exclusive=True,
            timeout=timeout,
            on_wait=on_wait,
            wait_message=(
                f"Waiting for other pyfin processes to finish using the cache at {self.root}..."
            ),
        )

    def clean(
        self,
        packages: Sequence[str] = (),
        *,
        timeout: float | None = None,
        on_wait: Callable[[str], None] | None = None,
    ) -> CleanSummary:
        """Under the exclusive lock, delete every entry, or only the entries of `packages` (any
        spelling of the names). The root and its CACHEDIR.TAG, .gitignore and lock file stay.

        A root that does not exist counts as empty. Raises `NotACache` if the root exists without
        CACHEDIR.TAG, `LockTimeout`, `CacheIOError`. Cost: a walk of the buckets' top levels
        (by package) or of everything (all).
        """
        return self._remove_under_lock(
            lambda: (
                _clean.clean_packages(self.root, packages)
                if packages
                else _clean.clean_all(self.root)
            ),
            timeout,
            on_wait,
        )

    def prune(
        self, *, timeout: float | None = None, on_wait: Callable[[str], None] | None = None
    ) -> CleanSummary:
        """Under the exclusive lock, delete `.tmp-` leftovers of interrupted runs anywhere and
        every top-level entry that is no current bucket (older versions like `wheels-v-1`).
        Same errors as `clean`. Cost: a walk of the whole cache."""
        return self._remove_under_lock(lambda: _clean.prune(self.root), timeout, on_wait)

    def _remove_under_lock(
        self,
        remove: Callable[[], CleanSummary],
        timeout: float | None,
        on_wait: Callable[[str], None] | None,
    ) -> CleanSummary:
        if not self.root.exists():
            return CleanSummary()
        if not is_tagged(self.root):
            raise NotACache(self.root)
        with self.lock_exclusive(timeout=timeout, on_wait=on_wait):
            self._buckets.clear()
            return remove()

    def _ensure_root(self) -> None:
        if not self._ready:
            init_root(self.root)
            self._ready = True

    def _remove_at_exit(self) -> None:
        if os.getpid() == self._owner_pid:
            self._remove_temporary()

    def _remove_temporary(self) -> None:
        remove_tree(self.root)
        self._ready = False
        self._buckets.clear()


def user_cache_dir() -> Path:
    """`platformdirs.user_cache_dir("pyfin", appauthor=False)`, without importing platformdirs
    in the common case.

    On Linux (not Android) platformdirs answers `$XDG_CACHE_HOME/pyfin` when that is an absolute
    path, else `$HOME/.cache/pyfin`; we compute that when `HOME` is absolute too. Every other
    case (macOS, Windows, Android, an unusable `HOME`) asks platformdirs, whose import alone
    (it loads tempfile, among others) costs about 8 ms of every start-up.
    """
    if (
        sys.platform == "linux"
        and not hasattr(sys, "getandroidapilevel")
        and "ANDROID_DATA" not in os.environ
    ):
        xdg = os.environ.get("XDG_CACHE_HOME", "")
        if xdg.startswith("/"):
            return Path(xdg, "pyfin")
        home = os.environ.get("HOME", "")
        if home.startswith("/"):
            return Path(home, ".cache", "pyfin")
    import platformdirs

    return Path(platformdirs.user_cache_dir("pyfin", appauthor=False))


def _check_key(bucket: CacheBucket, part: str) -> None:
    reason = None
    if not part:
        reason = "is empty"
    elif part in (".", ".."):
        reason = "would leave its folder"
    elif os.sep in part or (os.altsep is not None and os.altsep in part):
        reason = "contains a path separator"
    elif "\0" in part:
        reason = "contains a NUL character"
    elif part.startswith(TEMP_PREFIX):
        reason = f"starts with {TEMP_PREFIX!r}, which marks leftovers that prune deletes"
    if reason is not None:
        raise InvalidCacheKey(bucket.value, part, reason)
