"""Compile ``.py`` files to bytecode; runs as a script inside the target interpreter (-I -S).

Reads one source path per line on stdin; prints ``pyc<TAB>sha256<TAB>size`` per compiled
file. Files that do not compile (e.g. Python 2 code in a test folder) are skipped, like pip.
Stdlib only, Python 3.7 syntax: it runs in whatever interpreter the target uses.
"""

from __future__ import annotations

import base64
import hashlib
import os
import py_compile
import sys
from concurrent.futures import ProcessPoolExecutor


def compile_one(source: str) -> str | None:
    try:
        pyc = py_compile.compile(source, doraise=True)
    except (py_compile.PyCompileError, OSError, SyntaxError, ValueError):
        return None
    if pyc is None:
        return None
    with open(pyc, "rb") as handle:
        data = handle.read()
    digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()
    return "%s\t%s\t%d" % (pyc, digest, len(data))  # noqa: UP031 - runs on old Pythons too


def main() -> None:
    sources = [line for line in sys.stdin.read().split("\n") if line]
    workers = min(os.cpu_count() or 1, 8)
    if workers > 1 and len(sources) > 64:
        with ProcessPoolExecutor(workers) as pool:
            results = list(pool.map(compile_one, sources, chunksize=32))
    else:
        results = [compile_one(source) for source in sources]
    sys.stdout.write("".join(r + "\n" for r in results if r is not None))


if __name__ == "__main__":
    main()
