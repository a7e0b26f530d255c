"""The global options of one run, merged from every level of the command line they were given on."""

from __future__ import annotations

from pathlib import Path

from pyfin._parser import KEY_SEPARATOR

# Frozen slotted values without `dataclasses`, whose import (with `inspect`) would cost every
# command ~7 ms of start-up; pyfin-cache's value classes and pyfin-interpreter's use it too.
from pyfin_cache._frozen import Frozen

TYPE_CHECKING = False  # not typing.TYPE_CHECKING: see pyfin._parser
if TYPE_CHECKING:
    import argparse

__all__ = ["GlobalOptions"]


class GlobalOptions(Frozen):
    """What the global options asked for, whichever level they were given on."""

    __slots__ = ("cache_dir", "no_cache", "quiet", "verbose")
    quiet: int
    verbose: int
    cache_dir: Path | None
    no_cache: bool

    def __init__(
        self,
        quiet: int = 0,
        verbose: int = 0,
        cache_dir: Path | None = None,
        no_cache: bool = False,
    ) -> None:
        object.__setattr__(self, "quiet", quiet)
        object.__setattr__(self, "verbose", verbose)
        object.__setattr__(self, "cache_dir", cache_dir)
        object.__setattr__(self, "no_cache", no_cache)

    @classmethod
    def from_namespace(cls, namespace: argparse.Namespace) -> GlobalOptions:
        """Merge the per-parser copies (see `pyfin._parser`): counts add up, the innermost wins."""
        quiet = verbose = 0
        no_cache = False
        cache_dirs: list[tuple[int, str]] = []
        for key, value in vars(namespace).items():
            name, separator, prog = key.partition(KEY_SEPARATOR)
            if not separator:
                continue
            if name == "quiet":
                quiet += value
            elif name == "verbose":
                verbose += value
            elif name == "no_cache":
                no_cache = no_cache or value
            elif name == "cache_dir" and value is not None:
                # A deeper parser has a longer prog ("pyfin cache clean"): it was given later.
                cache_dirs.append((len(prog.split()), value))
        cache_dir = Path(max(cache_dirs)[1]) if cache_dirs else None
        return cls(quiet=quiet, verbose=verbose, cache_dir=cache_dir, no_cache=no_cache)
