"""`CacheBucket`: the cache's top-level folders, each with a versioned name and a drawn layout."""

from __future__ import annotations

import enum


class CacheBucket(enum.Enum):
    """One top-level folder of the cache. The value is the folder name, which carries a format
    version: a change of layout or of an entry's format bumps it (`wheels-v0` -> `wheels-v1`),
    and `Cache.prune()` deletes folders of versions this code no longer knows.

    The docstring below each member draws its tree. Keys written `<...>` are produced by the
    distribution that owns the bucket's contents; `<normalized-name>` is a PEP 503 normalised
    project name.
    """

    INTERPRETER = "interpreter-v1"
    """Answers of interpreter queries, valid while the executable's mtime is unchanged.

    interpreter-v1/
    └── <sha256(canonical executable path)[:16]>.marshal   CachedByTimestamp of the query result
    """

    SIMPLE = "simple-v0"
    """Parsed simple-API project pages with their HTTP freshness data.

    simple-v0/
    └── <index-key>/                       hash of the index URL
        └── <normalized-name>.<ext>        one page per project and index
    """

    METADATA = "metadata-v0"
    """Core metadata of distributions (PEP 658 files or read from wheels); immutable.

    metadata-v0/
    └── <index-key>/
        └── <normalized-name>/
            └── <filename>.metadata        <filename>: the wheel or sdist file name
    """

    WHEELS = "wheels-v0"
    """Unzipped wheels, linked from here into environments; immutable once renamed in.

    wheels-v0/
    └── <index-key>/
        └── <normalized-name>/
            └── <wheel-stem>/              the wheel's contents, unzipped
                ├── <package>/...
                └── <name>-<version>.dist-info/
    """

    BUILT_WHEELS = "built-wheels-v0"
    """Wheels built from source distributions, source trees or Git checkouts.

    built-wheels-v0/
    └── <source-kind>/                     e.g. index, url, path, git
        └── <key>/                         hash identifying the source
            └── <normalized-name>/
                └── ...                    built wheels and their metadata
    """

    GIT = "git-v0"
    """Git repositories and checkouts of the commits asked for.

    git-v0/
    ├── db/
    │   └── <url-key>/                     bare repository
    └── checkouts/
        └── <url-key>/
            └── <commit>/                  working tree of that commit
    """

    @property
    def package_component(self) -> int | None:
        """Index, below the bucket folder, of the path component that holds the normalised
        project name (for a file: its stem before the first `.`), as drawn in the member's
        tree; `Cache.clean(packages)` deletes at that depth. None for buckets whose entries
        belong to no single project."""
        return _PACKAGE_COMPONENT[self]


_PACKAGE_COMPONENT: dict[CacheBucket, int | None] = {
    CacheBucket.INTERPRETER: None,
    CacheBucket.SIMPLE: 1,
    CacheBucket.METADATA: 1,
    CacheBucket.WHEELS: 1,
    CacheBucket.BUILT_WHEELS: 2,
    CacheBucket.GIT: None,
}
