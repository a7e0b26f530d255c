"""The cache root's own files: CACHEDIR.TAG, .gitignore and the lock file, and creating the root.

```
<root>/
├── CACHEDIR.TAG      marks a cache (https://bford.info/cachedir/): backup tools skip it
├── .gitignore        "*": a cache inside a repository is never committed
├── .lock             flock target of Cache.lock_shared() / Cache.lock_exclusive()
└── <bucket value>/   one folder per CacheBucket, e.g. wheels-v0/
```
"""

from __future__ import annotations

from pathlib import Path

from pyfin_cache._atomic import atomic_dir, write_atomic
from pyfin_cache._errors import CacheIOError

CACHEDIR_TAG = "CACHEDIR.TAG"
GITIGNORE = ".gitignore"
LOCK_FILE = ".lock"
ROOT_FILES = frozenset({CACHEDIR_TAG, GITIGNORE, LOCK_FILE})

_TAG_CONTENT = (
    b"Signature: 8a477f597d28d172789f06886806bc55\n"
    b"# This file is a cache directory tag created by pyfin.\n"
    b"# For information about cache directory tags see https://bford.info/cachedir/\n"
)
_GITIGNORE_CONTENT = b"*\n"
_MARKERS = ((CACHEDIR_TAG, _TAG_CONTENT), (GITIGNORE, _GITIGNORE_CONTENT))


def init_root(root: Path) -> None:
    """Make sure `root` exists with its CACHEDIR.TAG and .gitignore.

    A new root is built aside with both files and renamed into place, so no process ever sees
    a root without its tag. An existing root (for example an empty folder the user made) gets
    whichever file it lacks, each written atomically. Raises `CacheIOError`.
    Cost: two stats when the root is already set up.
    """
    if not root.is_dir():
        with atomic_dir(root) as building:
            for name, content in _MARKERS:
                try:
                    with open(building / name, "wb") as file:
                        file.write(content)
                except OSError as exc:
                    raise CacheIOError("create", root / name, exc) from exc
    for name, content in _MARKERS:
        if not (root / name).exists():
            write_atomic(root / name, content)


def is_tagged(root: Path) -> bool:
    """True if `root` carries a CACHEDIR.TAG, i.e. pyfin (or another tool) made it a cache."""
    return (root / CACHEDIR_TAG).is_file()
