"""`pyfin --version` and `--help` import nothing beyond the standard library and pyfin's parser,
and the help formatter that defers asking the terminal's width formats as argparse does."""

from __future__ import annotations

import argparse
import json
import subprocess
import sys

import pytest

from pyfin._parser import build_parser

# Run main() in a fresh interpreter and report the modules it imported beyond the stdlib.
_PROBE = """
import json, sys
before = set(sys.modules)
from pyfin.__main__ import main
main(sys.argv[1:])
new = set(sys.modules) - before
print(json.dumps(sorted(m for m in new if m.partition(".")[0] not in sys.stdlib_module_names)))
"""

_CLI_CORE = [
    "pyfin",
    "pyfin.__main__",
    "pyfin._cli",
    "pyfin._commands",
    "pyfin._errors",
    "pyfin._parser",
    "pyfin._version",
]


def _imported_by(*argv: str) -> list[str]:
    result = subprocess.run(
        [sys.executable, "-c", _PROBE, *argv], capture_output=True, text=True, check=True
    )
    imported: list[str] = json.loads(result.stdout.splitlines()[-1])
    return imported


@pytest.mark.parametrize("argv", [["--version"], ["--help"]])
def test_top_level_imports_only_the_cli_core(argv: list[str]) -> None:
    assert _imported_by(*argv) == _CLI_CORE


def test_a_command_imports_only_its_own_module_to_parse() -> None:
    imported = _imported_by("venv", "--help")
    assert imported == sorted([*_CLI_CORE, "pyfin._commands.venv"])


@pytest.mark.parametrize("columns", ["30", "80", "200"])
def test_help_is_formatted_as_argparse_formats_it(
    monkeypatch: pytest.MonkeyPatch, columns: str
) -> None:
    # pyfin's formatter only defers asking the terminal's width (shutil); the text is the same.
    monkeypatch.setenv("COLUMNS", columns)
    parser = build_parser()
    ours = (parser.format_help(), parser.format_usage())
    parser.formatter_class = argparse.HelpFormatter
    assert (parser.format_help(), parser.format_usage()) == ours
    wrapped = len(ours[1].splitlines()) > 1
    assert wrapped == (columns == "30")  # the terminal's width was asked for and honoured
