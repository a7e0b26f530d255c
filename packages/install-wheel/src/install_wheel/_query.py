"""Report an interpreter's install scheme as JSON; runs in-process or as a script in the target.

Kept to the stdlib and Python 3.7 syntax because it runs inside whatever interpreter is asked.
"""

from __future__ import annotations

import os
import sys
import sysconfig


def scheme_paths(prefix: str | None, venv: bool = False) -> dict[str, str]:
    """The running interpreter's scheme (or its layout rooted at ``prefix``, as a venv's when
    ``venv``) and executable."""
    kwargs: dict[str, object] = {}
    if prefix:
        kwargs["vars"] = {"base": prefix, "platbase": prefix}
        if venv and "venv" in sysconfig.get_scheme_names():
            kwargs["scheme"] = "venv"
        else:
            kwargs["scheme"] = "posix_prefix" if os.name == "posix" else "nt"
    paths = sysconfig.get_paths(**kwargs)  # type: ignore[arg-type]
    base = prefix or sys.prefix
    if prefix or sys.prefix != sys.base_prefix:
        version = "%d.%d" % sys.version_info[:2]  # noqa: UP031 - runs on old Pythons too
        headers = os.path.join(base, "include", "site", "python" + version)  # noqa: PTH118
    else:
        headers = paths["include"]
    return {
        "purelib": paths["purelib"],
        "platlib": paths["platlib"],
        "scripts": paths["scripts"],
        "data": paths["data"],
        "headers": headers,
        "executable": sys.executable,
    }


if __name__ == "__main__":
    import json

    print(json.dumps(scheme_paths(sys.argv[1] if len(sys.argv) > 1 else None)))
