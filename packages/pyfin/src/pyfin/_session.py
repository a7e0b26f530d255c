"""What one run of a command works with: its options, its printer and (on demand) the cache."""

from __future__ import annotations

from pyfin._options import GlobalOptions
from pyfin._printer import Printer

TYPE_CHECKING = False  # not typing.TYPE_CHECKING: see pyfin._parser
if TYPE_CHECKING:
    from contextlib import AbstractContextManager
    from types import TracebackType

    from pyfin_cache import Cache

__all__ = ["Session"]


class Session:
    """Options, printer and a lazily opened cache; closing it removes a `--no-cache` cache.

    The cache (and the pyfin_cache import) is only paid for by commands that use it.
    """

    __slots__ = ("_cache", "_shared_lock", "options", "printer")

    def __init__(self, options: GlobalOptions, printer: Printer) -> None:
        self.options = options
        self.printer = printer
        self._cache: Cache | None = None
        self._shared_lock: AbstractContextManager[None] | None = None

    @property
    def cache(self) -> Cache:
        """The cache, opened on first use and held under its shared lock until the session
        closes, so `pyfin cache clean` / `prune` never delete under a running command (this one
        waits, saying so, while they run)."""
        cache = self.maintenance_cache
        if self._shared_lock is None:
            lock = cache.lock_shared(on_wait=self.printer.notice)
            lock.__enter__()
            self._shared_lock = lock
        return cache

    @property
    def maintenance_cache(self) -> Cache:
        """The cache chosen by --cache-dir / --no-cache / PYFIN_CACHE_DIR, without the shared
        lock: for `cache clean` and `prune`, which take the exclusive lock themselves."""
        if self._cache is None:
            from pyfin_cache import Cache

            self._cache = Cache.from_settings(
                self.options.cache_dir, no_cache=self.options.no_cache
            )
            self.printer.debug(f"Using cache at: {self._cache.root}")
        return self._cache

    def close(self) -> None:
        if self._shared_lock is not None:
            lock, self._shared_lock = self._shared_lock, None
            lock.__exit__(None, None, None)
        if self._cache is not None:
            cache, self._cache = self._cache, None
            cache.close()

    def __enter__(self) -> Session:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()
