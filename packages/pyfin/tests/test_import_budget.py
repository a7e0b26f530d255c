"""Start-up budget of `pyfin venv` and of a no-op `pyfin pip sync`: modules they must not import.

Counted, not timed (timing belongs to tools/bench): each module listed costs milliseconds on
every run, more than the work itself, and none is needed on these paths.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from pyfin_testing.wheels import build_wheel

# What a warm `pyfin venv` must not load, and why it would be a waste.
VENV_AVOIDABLE = (
    "dataclasses",  # GlobalOptions and the value classes below derive from a lighter base
    "inspect",  # pulled in by dataclasses
    "typing",  # annotations only: `TYPE_CHECKING = False` blocks
    "packaging.version",  # the banner prints Interpreter.full_version, no Version is parsed
    "packaging.tags",  # creating a venv needs no platform tags
    "shutil",  # argparse's help formatter asks the terminal's width only to format help
    "subprocess",  # the interpreter's query is cached
    "tempfile",  # only for a --no-cache cache
    "hashlib",  # the cache key uses the built-in SHA-256
    "pyfin_installer",  # not an installation
    "pyfin_client",  # nothing talks to an index
    "httpx",
    "asyncio",
)

# What a no-op sync (everything installed) must not load: it reads the requirements, the
# environment and its inventory, plans, and stops.
NOOP_SYNC_AVOIDABLE = (
    "httpx",
    "asyncio",
    "pyfin_client",  # the client is made only when something must be fetched
    "pyfin_resolver",
    "pyfin_build",
    "zipfile",  # nothing is unpacked
    "tempfile",
)

SCRIPT = """
import json, sys
from pyfin.__main__ import main
status = main(sys.argv[1:])
print(json.dumps({"status": status, "modules": sorted(sys.modules)}))
"""


def loaded_modules(*args: str) -> list[str]:
    process = subprocess.run(
        [sys.executable, "-c", SCRIPT, *args], capture_output=True, text=True, check=True
    )
    result = json.loads(process.stdout.splitlines()[-1])
    assert result["status"] == 0, process.stderr
    modules: list[str] = result["modules"]
    return modules


def test_a_warm_venv_imports_none_of_the_avoidable_modules(tmp_path: Path) -> None:
    cache = str(tmp_path / "cache")
    python = sys.executable
    # The first run queries the interpreter (a subprocess) and fills the cache.
    loaded_modules("venv", str(tmp_path / "one"), "--python", python, "--cache-dir", cache)

    warm = loaded_modules("venv", str(tmp_path / "two"), "--python", python, "--cache-dir", cache)

    assert "gourgeist._create" in warm
    assert [name for name in VENV_AVOIDABLE if name in warm] == []
    assert (tmp_path / "two" / "pyvenv.cfg").is_file()


def test_a_noop_sync_imports_none_of_the_avoidable_modules(tmp_path: Path) -> None:
    cache = str(tmp_path / "cache")
    loaded_modules("venv", str(tmp_path / "venv"), "--python", sys.executable, "--cache-dir", cache)
    python = str(tmp_path / "venv" / "bin" / "python")
    wheel = build_wheel(tmp_path / "wheels", "pkg", "1.0", files={"pkg/__init__.py": "x = 1\n"})
    lock = tmp_path / "requirements.txt"
    lock.write_text(f"pkg @ {wheel.as_uri()}\n")
    sync = ("pip", "sync", str(lock), "--python", python, "--cache-dir", cache)
    assert "zipfile" in loaded_modules(*sync)  # the first sync unpacks and installs

    modules = loaded_modules(*sync)

    assert "pyfin_installer" in modules
    assert [name for name in NOOP_SYNC_AVOIDABLE if name in modules] == []
    assert len(list((tmp_path / "venv").glob("lib/python*/site-packages/pkg-1.0.dist-info"))) == 1
