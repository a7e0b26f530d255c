"""Printer levels, colour decisions and size formatting."""

from __future__ import annotations

import io
import os

import pytest

from pyfin._printer import Printer, format_size, wants_color


def _printer(
    *, quiet: int = 0, verbose: int = 0, color: bool = False
) -> tuple[Printer, io.StringIO]:
    stream = io.StringIO()
    return Printer(stream, quiet=quiet, verbose=verbose, color=color), stream


def _say_everything(printer: Printer) -> None:
    printer.debug("debug")
    printer.info("info")
    printer.notice("notice")
    printer.error(ValueError("error"))


@pytest.mark.parametrize(
    ("quiet", "verbose", "expected"),
    [
        (0, 0, ["info", "notice", "error: error"]),
        (0, 1, ["debug", "info", "notice", "error: error"]),
        (1, 0, ["notice", "error: error"]),
        (2, 0, ["error: error"]),
        (1, 1, ["notice", "error: error"]),
    ],
)
def test_levels(quiet: int, verbose: int, expected: list[str]) -> None:
    printer, stream = _printer(quiet=quiet, verbose=verbose)
    _say_everything(printer)
    assert stream.getvalue().splitlines() == expected


def test_error_prints_the_chain_of_causes() -> None:
    printer, stream = _printer()
    try:
        try:
            try:
                raise OSError("disk full")
            except OSError as exc:
                raise LookupError("cannot write the entry") from exc
        except LookupError as exc:
            raise RuntimeError("cannot install") from exc
    except RuntimeError as exc:
        printer.error(exc)
    assert stream.getvalue().splitlines() == [
        "error: cannot install",
        "  Caused by: cannot write the entry",
        "  Caused by: disk full",
    ]


def test_implicit_context_is_not_a_cause() -> None:
    printer, stream = _printer()
    try:
        try:
            raise OSError("inner")
        except OSError:
            raise RuntimeError("outer") from None
    except RuntimeError as exc:
        printer.error(exc)
    assert stream.getvalue() == "error: outer\n"


def test_message_less_error_shows_its_type() -> None:
    printer, stream = _printer()
    printer.error(KeyError())
    assert stream.getvalue() == "error: KeyError\n"


def test_colour_wraps_the_labels() -> None:
    printer, stream = _printer(color=True)
    printer.error(ValueError("boom"))
    assert stream.getvalue() == "\033[1;31merror\033[0m: boom\n"


def test_no_colour_when_not_a_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("NO_COLOR", raising=False)
    assert not wants_color(io.StringIO())


def test_colour_on_a_terminal_unless_no_color(monkeypatch: pytest.MonkeyPatch) -> None:
    leader, follower = os.openpty()
    try:
        with open(follower, "w", closefd=False) as terminal:
            monkeypatch.delenv("NO_COLOR", raising=False)
            assert wants_color(terminal)
            monkeypatch.setenv("NO_COLOR", "1")
            assert not wants_color(terminal)
            monkeypatch.setenv("NO_COLOR", "")
            assert wants_color(terminal)
    finally:
        os.close(leader)
        os.close(follower)


@pytest.mark.parametrize(
    ("size", "expected"),
    [
        (0, "0 B"),
        (1023, "1023 B"),
        (1024, "1.0 KiB"),
        (4_718_592, "4.5 MiB"),
        (3 * 1024**3 // 2, "1.5 GiB"),
        (2048 * 1024**4, "2048.0 TiB"),
    ],
)
def test_format_size(size: int, expected: str) -> None:
    assert format_size(size) == expected
