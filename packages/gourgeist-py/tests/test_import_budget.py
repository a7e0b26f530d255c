"""Start-up budget of `python -m gourgeist`: modules a warm run must not import.

Counted, not timed: each module listed here costs milliseconds to import on every run (more
than creating the venv itself), and none is needed when the interpreter's query is cached.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

# What a warm `python -m gourgeist PATH --python X` must not load, and why it would be a waste.
AVOIDABLE = (
    "tempfile",  # only for a temporary (--no-cache) cache
    "secrets",  # temp names use os.urandom
    "random",  # pulled in by tempfile/secrets
    "subprocess",  # only on a query cache miss, or for a pyenv shim we cannot resolve
    "packaging.tags",  # Interpreter.tags is parsed on first use; creating a venv never uses it
    "dataclasses",  # value classes derive from pyfin_cache._frozen.Frozen instead
    "typing",  # annotations only: `TYPE_CHECKING = False` blocks, a run-time `Generic` stand-in
    "inspect",  # pulled in by dataclasses
    "packaging.specifiers",  # only for version requests (3.12, >=3.10)
    "packaging.version",  # Interpreter.version is parsed on first use; full_version suffices
    "hashlib",  # the cache key uses the built-in SHA-256, without loading OpenSSL
    "platformdirs",  # the default cache folder on Linux is computed without it
    "httpx",  # nothing here talks to an index
)

SCRIPT = """
import json, sys
from gourgeist.__main__ import main
status = main(sys.argv[1:])
print(json.dumps({"status": status, "modules": sorted(sys.modules)}))
"""


def loaded_modules(*args: str, env: dict[str, str] | None = None) -> list[str]:
    process = subprocess.run(
        [sys.executable, "-c", SCRIPT, *args], capture_output=True, text=True, check=True, env=env
    )
    result = json.loads(process.stdout)
    assert result["status"] == 0, process.stderr
    modules: list[str] = result["modules"]
    return modules


def test_a_warm_run_imports_none_of_the_avoidable_modules(tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    python = sys.executable
    # The first run queries the interpreter (a subprocess) and fills the cache.
    cold = loaded_modules(str(tmp_path / "one"), "--python", python, "--cache-dir", str(cache))
    assert "subprocess" in cold

    warm = loaded_modules(str(tmp_path / "two"), "--python", python, "--cache-dir", str(cache))

    assert "gourgeist._create" in warm
    assert "pyfin_interpreter._query" in warm
    assert [name for name in AVOIDABLE if name in warm] == []
    assert (tmp_path / "two" / "pyvenv.cfg").is_file()


def test_the_import_alone_loads_no_query_machinery() -> None:
    process = subprocess.run(
        [sys.executable, "-c", "import sys, gourgeist; print(' '.join(sorted(sys.modules)))"],
        capture_output=True,
        text=True,
        check=True,
    )
    modules = process.stdout.split()

    assert "gourgeist" in modules
    # shutil: only to remove a tree (--clear, a failure); the command line loads it anyway,
    # because argparse's help formatter imports it for the terminal width.
    heavy = (*AVOIDABLE, "shutil", "argparse", "json")
    unexpected = [name for name in heavy if name in modules]
    assert unexpected == []


def test_the_default_cache_folder_needs_no_platformdirs_on_linux(tmp_path: Path) -> None:
    if sys.platform != "linux":
        pytest.skip("the default cache folder is computed without platformdirs only on Linux")
    env = {k: v for k, v in os.environ.items() if k not in ("PYFIN_CACHE_DIR", "ANDROID_DATA")}
    env["XDG_CACHE_HOME"] = str(tmp_path / "xdg")
    python = sys.executable
    loaded_modules(str(tmp_path / "one"), "--python", python, env=env)

    warm = loaded_modules(str(tmp_path / "two"), "--python", python, env=env)

    assert [name for name in AVOIDABLE if name in warm] == []
    assert list((tmp_path / "xdg" / "pyfin" / "interpreter-v1").glob("*.marshal")) != []
