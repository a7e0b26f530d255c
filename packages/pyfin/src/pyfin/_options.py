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

    __slots__ = ("cache_dir", "config_file", "no_cache", "no_config", "quiet", "verbose")
    quiet: int
    verbose: int
    cache_dir: Path | None
    no_cache: bool
    config_file: str | None
    no_config: bool

    def __init__(
        self,
        *,
        quiet: int = 0,
        verbose: int = 0,
        cache_dir: Path | None = None,
        no_cache: bool = False,
        config_file: str | None = None,
        no_config: bool = False,
    ) -> None:
        object.__setattr__(self, "quiet", quiet)
        object.__setattr__(self, "verbose", verbose)
        object.__setattr__(self, "cache_dir", cache_dir)
        object.__setattr__(self, "no_cache", no_cache)
        object.__setattr__(self, "config_file", config_file)
        object.__setattr__(self, "no_config", no_config)

    @classmethod
    def from_namespace(cls, namespace: argparse.Namespace) -> GlobalOptions:
        """Merge the per-parser copies (see `pyfin._parser`): counts add up, the innermost wins."""
        quiet = verbose = 0
        no_cache = no_config = False
        cache_dirs: list[tuple[int, str]] = []
        config_files: list[tuple[int, str]] = []
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
            elif name == "no_config":
                no_config = no_config or value
            elif name == "cache_dir" and value is not None:
                # A deeper parser has a longer prog ("pyfin cache clean"): it was given later.
                cache_dirs.append((len(prog.split()), value))
            elif name == "config_file" and value is not None:
                config_files.append((len(prog.split()), value))
        return cls(
            quiet=quiet,
            verbose=verbose,
            cache_dir=Path(max(cache_dirs)[1]) if cache_dirs else None,
            no_cache=no_cache,
            config_file=max(config_files)[1] if config_files else None,
            no_config=no_config,
        )

    def with_defaults(self, cache_dir: str | None, no_cache: bool) -> GlobalOptions:
        """These options, with `cache_dir` / `no_cache` where the command line gave none
        (from `pyfin._settings`: the environment or a configuration file)."""
        return GlobalOptions(
            quiet=self.quiet,
            verbose=self.verbose,
            cache_dir=self.cache_dir or (Path(cache_dir) if cache_dir else None),
            no_cache=self.no_cache or no_cache,
            config_file=self.config_file,
            no_config=self.no_config,
        )
