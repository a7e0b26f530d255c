"""The global options of one run, merged from every level of the command line they were given on."""

from __future__ import annotations

import argparse
from dataclasses import dataclass
from pathlib import Path

from pyfin._parser import KEY_SEPARATOR

__all__ = ["GlobalOptions"]


@dataclass(frozen=True, slots=True)
class GlobalOptions:
    """What the global options asked for, whichever level they were given on."""

    quiet: int = 0
    verbose: int = 0
    cache_dir: Path | None = None
    no_cache: bool = False

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
