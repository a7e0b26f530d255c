"""`pyfin --version` and `--help` import nothing beyond the standard library and pyfin's parser."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

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
