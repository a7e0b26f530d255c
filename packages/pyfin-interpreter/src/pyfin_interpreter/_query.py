"""Run the query script in a target interpreter, and cache its answer by executable mtime.

Cache entry (bucket `interpreter-v1`, file `<sha256(realpath of executable)[:16]>.marshal`):
`marshal` of `{"timestamp": <st_mtime_ns of the real binary>, "data": <the query script's JSON
object>}` (marshal is built in: reading JSON would cost every warm start-up the `json` import).
An entry whose timestamp differs from the binary's mtime, or that does not parse, is a miss and
is overwritten. A shim (the reported `sys.executable` is not the file we ran) is never cached;
a pyenv shim whose choice can be read from pyenv's settings is not run at all: the binary it
would run is queried instead (see `_pyenv`), and that answer is cached like any other.
"""

from __future__ import annotations

import contextlib
import marshal
import os
from pathlib import Path

from pyfin_cache import (
    Cache,
    CacheBucket,
    CachedByTimestamp,
    CacheEntry,
    CacheError,
    read_timestamp,
)
from pyfin_interpreter._errors import (
    BrokenVirtualEnv,
    InterpreterNotFound,
    QueryFailed,
    UnsupportedPython,
)
from pyfin_interpreter._interpreter import Interpreter
from pyfin_interpreter._pyenv import shim_target
from pyfin_interpreter._venv import find_venv_root

# Not `typing.TYPE_CHECKING`: importing typing costs ~3 ms of every start-up (as in pyfin._parser).
TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

try:
    # CPython's built-in SHA-256 (`_sha2` from 3.12, `_sha256` before): `hashlib` would first
    # load OpenSSL's `_hashlib`, about 2 ms of every start-up, to hash one short path.
    from _sha2 import sha256 as _sha256  # type: ignore[import-not-found, unused-ignore]
except ImportError:  # pragma: no cover - depends on the Python version and build
    try:
        from _sha256 import sha256 as _sha256  # type: ignore[import-not-found, no-redef, unused-ignore]
    except ImportError:
        from hashlib import sha256 as _sha256  # type: ignore[assignment, unused-ignore]

PROBE = Path(__file__).with_name("_probe.py")
# -E: ignore PYTHON* variables (PYTHONHOME would change the answer), -s: no user site,
# -B: write no bytecode. Not -I (Python 2.7 rejects it before our version check can run) and
# not -S (before 3.11 it is `site` that sets sys.prefix inside a virtual environment).
PROBE_FLAGS = ("-E", "-s", "-B")


def query_interpreter(executable: Path, cache: Cache) -> Interpreter:
    """See `Interpreter.query`.

    We run the *real* binary (symlinks resolved), so the cache key always names the file that
    answered; a venv whose python is a symlink therefore shares its base's entry, and its own
    paths are computed with `with_virtualenv`.
    """
    # Absolute but not resolved: a venv is recognised by where its python *appears* to be.
    asked = Path(os.path.abspath(Path(executable).expanduser()))  # noqa: PTH100
    venv_root = find_venv_root(asked)
    real = os.path.realpath(asked)
    if not Path(real).is_file():
        if venv_root is not None:
            raise BrokenVirtualEnv(venv_root, f"{asked} points to {real}, which does not exist")
        raise InterpreterNotFound(str(executable), [f"{asked} (no such file)"])
    target = shim_target(asked, real)
    if target is not None:
        return query_interpreter(target, cache)

    entry = cache.entry(CacheBucket.INTERPRETER, file=f"{_digest(real)}.marshal")
    interpreter = _read_cached(entry, Path(real))
    if interpreter is None:
        # The timestamp is read before the query, so a binary replaced meanwhile looks stale.
        try:
            timestamp = read_timestamp(Path(real))
        except CacheError as exc:
            raise InterpreterNotFound(str(executable), [f"{real} ({exc})"]) from exc
        info = _run_probe(asked, real)
        interpreter = _parse(asked, info)
        if os.path.realpath(interpreter.sys_executable) == real:
            _write_cached(entry, CachedByTimestamp(timestamp=timestamp, data=info))

    if venv_root is not None and not (
        interpreter.is_virtualenv and interpreter.prefix == venv_root
    ):
        interpreter = interpreter.with_virtualenv(venv_root)
    return interpreter


def _digest(real: str) -> str:
    hexdigest: str = _sha256(os.fsencode(real)).hexdigest()
    return hexdigest[:16]


def _read_cached(entry: CacheEntry, real: Path) -> Interpreter | None:
    """The cached interpreter if the entry exists, parses and is fresh for `real`; else None."""
    try:
        raw = entry.read()
    except CacheError:
        return None  # an unreadable entry is a miss, like a missing one
    if raw is None:
        return None
    try:
        stored = marshal.loads(raw)
        cached = CachedByTimestamp(timestamp=int(stored["timestamp"]), data=stored["data"])
        if not cached.is_fresh(real):
            return None
        return Interpreter.from_json(cached.data)
    except (ValueError, EOFError, KeyError, TypeError, AttributeError):
        return None  # a corrupt or foreign entry is a miss; the fresh answer overwrites it


def _write_cached(entry: CacheEntry, cached: CachedByTimestamp[dict[str, Any]]) -> None:
    """Store the answer; a cache that cannot be written only costs the next run a query."""
    data = marshal.dumps({"timestamp": cached.timestamp, "data": cached.data})
    with contextlib.suppress(CacheError):
        entry.write(data)


def _run_probe(asked: Path, real: str) -> dict[str, Any]:
    """Run the query script with the binary at `real`; the parsed JSON object it printed."""
    import json  # only on a cache miss, like subprocess: keeps a warm start-up light
    import subprocess

    try:
        process = subprocess.run(
            [real, *PROBE_FLAGS, str(PROBE)],
            stdin=subprocess.DEVNULL,
            capture_output=True,
            check=False,
        )
    except OSError as exc:
        raise QueryFailed(asked, -1, str(exc)) from exc
    stderr = process.stderr.decode(errors="replace")
    if process.returncode != 0:
        raise QueryFailed(asked, process.returncode, stderr)
    try:
        info = json.loads(process.stdout)
        if not isinstance(info, dict):
            raise TypeError("not an object")
    except (ValueError, TypeError) as exc:
        output = process.stdout.decode(errors="replace")[:200]
        raise QueryFailed(asked, 0, f"unexpected output {output!r}; {stderr}") from exc
    if info.get("result") == "error" and info.get("kind") == "unsupported_python":
        raise UnsupportedPython(asked, str(info.get("version")))
    return info


def _parse(asked: Path, info: dict[str, Any]) -> Interpreter:
    try:
        return Interpreter.from_json(info)
    except (KeyError, TypeError, ValueError) as exc:
        raise QueryFailed(asked, 0, f"the query script's answer is incomplete: {exc!r}") from exc
