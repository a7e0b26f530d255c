"""Global options are accepted before and after (nested) subcommands, and merged."""

from __future__ import annotations

from pathlib import Path

import pytest

from pyfin._options import GlobalOptions
from pyfin._parser import build_parser


def _options(*argv: str) -> GlobalOptions:
    return GlobalOptions.from_namespace(build_parser().parse_args(argv))


def test_defaults() -> None:
    assert _options("cache", "dir") == GlobalOptions()


@pytest.mark.parametrize(
    "argv",
    [
        ["-v", "--no-cache", "cache", "dir"],
        ["cache", "-v", "--no-cache", "dir"],
        ["cache", "dir", "-v", "--no-cache"],
        ["--no-cache", "cache", "dir", "-v"],
    ],
)
def test_accepted_at_every_level(argv: list[str]) -> None:
    assert _options(*argv) == GlobalOptions(verbose=1, no_cache=True)


def test_counts_add_up_across_levels() -> None:
    assert _options("-q", "cache", "-q", "clean", "-qv") == GlobalOptions(quiet=3, verbose=1)


def test_the_innermost_cache_dir_wins() -> None:
    options = _options("--cache-dir", "outer", "cache", "--cache-dir", "mid", "dir")
    assert options.cache_dir == Path("mid")
    options = _options("--cache-dir", "outer", "cache", "dir", "--cache-dir", "inner")
    assert options.cache_dir == Path("inner")
    assert _options("--cache-dir", "outer", "venv").cache_dir == Path("outer")


def test_subcommand_arguments_are_parsed() -> None:
    args = build_parser().parse_args(["venv", "env", "--python", "3.12", "--clear", "-q"])
    assert (args.path, args.python, args.clear, args.system_site_packages, args.prompt) == (
        Path("env"),
        "3.12",
        True,
        False,
        None,
    )
    assert build_parser().parse_args(["venv"]).path == Path(".venv")
