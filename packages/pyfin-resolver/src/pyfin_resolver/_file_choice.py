"""Which file of one version the resolver reads and installs: binary policy, tags, yanks.

A version is usable through its most preferred compatible wheel, else through a source
distribution (which may need a build to learn its metadata). `--no-binary` hides wheels,
`--only-binary` and `--no-build` hide source distributions; when nothing is left the version
gets an `unavailable` phrase the resolver quotes in failure reports.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from packaging.tags import Tag
from packaging.utils import NormalizedName

from pyfin_client import File, select_wheel

__all__ = ["BinaryPolicy", "FileChoice", "FileChooser"]


@dataclass(frozen=True, slots=True)
class BinaryPolicy:
    """Which kinds of files may be used, per package.

    `no_binary` / `only_binary` / `no_build` hold normalized names, or ``":all:"`` for every
    package (pip's spelling). `no_build` is `--no-build` (all) plus `--no-build-package`.
    """

    no_binary: frozenset[str] = frozenset()
    only_binary: frozenset[str] = frozenset()
    no_build: frozenset[str] = frozenset()

    def wheels_allowed(self, name: NormalizedName) -> bool:
        return not _applies(self.no_binary, name)

    def sdists_allowed(self, name: NormalizedName) -> bool:
        return not (_applies(self.only_binary, name) or _applies(self.no_build, name))


def _applies(names: frozenset[str], name: NormalizedName) -> bool:
    return ":all:" in names or name in names


@dataclass(frozen=True, slots=True)
class FileChoice:
    """The outcome for one version: a file to use, or why none can be (a verb phrase)."""

    file: File | None
    unavailable: str | None
    yanked: bool


class FileChooser:
    """Chooses files for one target (its tag priorities) under one `BinaryPolicy`.

    Cost: linear in the number of files, with a string test per wheel before any parsing:
    compiling a large lock meets some 50,000 files, most of them wheels for other platforms,
    and parsing each name into tags is what `select_wheel` would spend its time on.
    """

    def __init__(self, priorities: Mapping[Tag, int], policy: BinaryPolicy) -> None:
        self._priorities = priorities
        self._supported = frozenset(str(tag) for tag in priorities)
        self._policy = policy
        self._fits: dict[tuple[str, str, str], bool] = {}

    def _may_fit(self, filename: str) -> bool:
        """False when no tag of the wheel `filename` is supported (a superset test: the
        precise choice among the survivors is `select_wheel`'s). Memoized by the tag part of
        the name, which few distinct values share among thousands of files."""
        tags = filename[:-4].lower().rsplit("-", 3)
        if len(tags) < 4:
            return True  # malformed: let select_wheel judge it
        key = (tags[1], tags[2], tags[3])
        known = self._fits.get(key)
        if known is None:
            interpreters, abis, platforms = key
            known = self._fits[key] = any(
                f"{i}-{a}-{p}" in self._supported
                for i in interpreters.split(".")
                for a in abis.split(".")
                for p in platforms.split(".")
            )
        return known

    def choose(self, name: NormalizedName, files: Sequence[File]) -> FileChoice:
        """Pick the file of one version to read metadata from (see the module docstring).

        Yanked files count only when every file of the version is yanked (then the version
        is yanked, and usable only through an exact pin).
        """
        yanked = bool(files) and all(file.is_yanked for file in files)
        if not files:
            return FileChoice(None, "has no files", yanked)
        policy = self._policy
        wheels_allowed = policy.wheels_allowed(name)
        if wheels_allowed:
            fitting = [f for f in files if f.is_wheel and self._may_fit(f.filename)]
            wheel = (
                select_wheel(fitting, self._priorities, allow_yanked=yanked) if fitting else None
            )
            if wheel is not None:
                return FileChoice(wheel, None, yanked)
        sdists = [f for f in files if not f.is_wheel and (yanked or not f.is_yanked)]
        if sdists:
            if policy.sdists_allowed(name):
                # .tar.gz before .zip, as pip and uv prefer it.
                sdists.sort(key=lambda f: not f.filename.endswith(".tar.gz"))
                return FileChoice(sdists[0], None, yanked)
            return FileChoice(
                None, "has only a source distribution and building is disabled", yanked
            )
        if not wheels_allowed and any(f.is_wheel for f in files):
            return FileChoice(None, "has no source distribution and binaries are disabled", yanked)
        return FileChoice(None, "has no wheel for this platform and no source distribution", yanked)
