"""`pyfin.__main__.main` in-process: exit statuses, output streams, errors in words."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from pyfin import PyfinError, __version__
from pyfin.__main__ import main
from pyfin._commands import COMMANDS
from pyfin._commands.cache import describe_summary
from pyfin._errors import is_expected
from pyfin._parser import build_parser
from pyfin._run import run
from pyfin._session import Session

if TYPE_CHECKING:
    from pyfin._commands import Handler
from pyfin_cache import CacheError, CleanSummary


def test_version(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--version"]) == 0
    assert capsys.readouterr().out == f"pyfin {__version__}\n"


def test_help_lists_every_command(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--help"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("usage: pyfin")
    for spec in COMMANDS:
        assert f"    {spec.name}" in out
        assert spec.help in out


def test_unknown_command_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["frobnicate"]) == 2
    err = capsys.readouterr().err
    assert "invalid choice: 'frobnicate'" in err


def test_missing_command_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    assert main([]) == 2
    assert "required: COMMAND" in capsys.readouterr().err
    assert main(["cache"]) == 2


def test_cache_dir_prints_the_root(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["cache", "dir", "--cache-dir", str(tmp_path / "c")]) == 0
    assert capsys.readouterr().out == f"{tmp_path / 'c'}\n"


def test_cache_clean_reports_what_it_removed(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from pyfin_cache import Cache, CacheBucket

    root = tmp_path / "cache"
    cache = Cache(root)
    cache.entry(CacheBucket.SIMPLE, "pypi", file="idna.json").write(b"x" * 3000)
    cache.entry(CacheBucket.SIMPLE, "pypi", file="six.json").write(b"y" * 100)
    assert main(["--cache-dir", str(root), "cache", "clean"]) == 0
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err == "Removed 2 files (3.0 KiB)\n"
    assert not any((root / CacheBucket.SIMPLE.value).rglob("*.json"))


def test_cache_clean_refuses_a_folder_that_is_no_cache(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    precious = tmp_path / "precious.txt"
    precious.write_text("keep me")
    assert main(["cache", "clean", "--cache-dir", str(tmp_path)]) == 1
    err = capsys.readouterr().err
    assert err.startswith(f"error: Refusing to clean {tmp_path}:")
    assert "Traceback" not in err
    assert precious.read_text() == "keep me"


def test_quiet_hides_the_summary(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["cache", "prune", "-q", "--cache-dir", str(tmp_path / "c")]) == 0
    assert capsys.readouterr().err == ""


def test_no_cache_uses_a_temporary_cache_removed_at_exit(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["--no-cache", "cache", "dir"]) == 0
    root = Path(capsys.readouterr().out.strip())
    assert root.name.startswith("pyfin-cache-")
    assert not root.exists()


def test_expected_errors() -> None:
    assert is_expected(PyfinError("x"))
    assert is_expected(CacheError("x"))
    assert not is_expected(ValueError("x"))
    assert not is_expected(KeyError("x"))


@pytest.mark.parametrize(
    ("summary", "expected"),
    [
        (CleanSummary(files=0, bytes=0, dirs=0), "Removed 0 files (0 B)"),
        (CleanSummary(files=1, bytes=10, dirs=1), "Removed 1 file (10 B)"),
        (CleanSummary(files=123, bytes=4_718_592, dirs=7), "Removed 123 files (4.5 MiB)"),
        (CleanSummary(files=0, bytes=0, dirs=1), "Removed 0 files and 1 directory (0 B)"),
        (CleanSummary(files=0, bytes=0, dirs=3), "Removed 0 files and 3 directories (0 B)"),
    ],
)
def test_describe_summary(summary: CleanSummary, expected: str) -> None:
    assert describe_summary(summary) == expected


def _namespace_running(handler: Handler, *argv: str) -> argparse.Namespace:
    args = build_parser().parse_args(["cache", "dir", *argv])
    args.run = handler
    return args


def test_expected_error_is_printed_with_its_causes(capsys: pytest.CaptureFixture[str]) -> None:
    def fails(args: argparse.Namespace, session: Session) -> int:
        try:
            raise OSError("disk full")
        except OSError as exc:
            raise PyfinError("cannot write the lock file") from exc

    assert run(_namespace_running(fails)) == 1
    assert capsys.readouterr().err == "error: cannot write the lock file\n  Caused by: disk full\n"


def test_unexpected_error_keeps_its_traceback() -> None:
    def bug(args: argparse.Namespace, session: Session) -> int:
        raise ZeroDivisionError("a bug")

    with pytest.raises(ZeroDivisionError, match="a bug"):
        run(_namespace_running(bug))


def test_interrupt_exits_130_quietly(capsys: pytest.CaptureFixture[str]) -> None:
    def interrupted(args: argparse.Namespace, session: Session) -> int:
        raise KeyboardInterrupt

    assert run(_namespace_running(interrupted, "-q")) == 130
    assert capsys.readouterr() == ("", "")


def test_the_session_cache_is_closed_after_the_command() -> None:
    roots: list[Path] = []

    def uses_cache(args: argparse.Namespace, session: Session) -> int:
        roots.append(session.cache.root)
        assert session.cache.root.is_dir()
        return 7

    assert run(_namespace_running(uses_cache, "--no-cache")) == 7
    assert not roots[0].exists()
