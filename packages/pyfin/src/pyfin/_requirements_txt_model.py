"""The values a requirements input is read into: entries, unnamed requirements, the whole spec."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from packaging.markers import Marker
from packaging.requirements import Requirement

__all__ = [
    "RequirementEntry",
    "RequirementsSpec",
    "SourceLocation",
    "UnnamedRequirement",
]


@dataclass(frozen=True, slots=True)
class SourceLocation:
    """Where a requirement was written: `file` as the user knows it, 1-based `line`.

    `line` is None for inputs without lines (a requirement given on the command line).
    `project` is the project name when the file is a pyproject.toml (for `# via` annotations
    such as ``project (pyproject.toml)``).
    """

    file: str
    line: int | None = None
    project: str | None = None

    def __str__(self) -> str:
        return self.file if self.line is None else f"{self.file}:{self.line}"


@dataclass(frozen=True, slots=True)
class UnnamedRequirement:
    """A requirement given by location only: a local path, an archive URL, a VCS URL.

    Its name is only known once its metadata is read (later, by the resolver/builder).

    - `url`: what was written, after `${VAR}` expansion and without extras or markers
      (``./pkg``, ``../x.tar.gz``, ``https://host/x.whl#sha256=...``,
      ``git+https://host/repo@rev#subdirectory=sub``).
    - `path`: the absolute local path for a path or a ``file:`` URL (relative paths are taken
      from the working directory, as pip does), else None.
    - `egg`: the name from an ``#egg=name`` fragment, if any (a hint, not checked).
    - `extras`: from ``./pkg[a,b]`` or ``#egg=name[a,b]``, normalized and sorted.
    """

    url: str
    path: Path | None = None
    extras: tuple[str, ...] = ()
    marker: Marker | None = None
    egg: str | None = None

    @property
    def is_local(self) -> bool:
        """Whether it names something on this machine (a path or a ``file:`` URL)."""
        return self.path is not None

    def __str__(self) -> str:
        text = self.url
        if self.extras and self.egg is None:
            text += "[" + ",".join(self.extras) + "]"
        if self.marker is not None:
            text += f" ; {self.marker}"
        return text


@dataclass(frozen=True, slots=True)
class RequirementEntry:
    """One requirement line: the requirement, where it was written, its hashes, editability."""

    requirement: Requirement | UnnamedRequirement
    location: SourceLocation
    hashes: tuple[str, ...] = ()
    editable: bool = False

    @property
    def name(self) -> str | None:
        """The requirement's name as written, or None for an unnamed requirement."""
        if isinstance(self.requirement, Requirement):
            return self.requirement.name
        return None


@dataclass(frozen=True, slots=True)
class RequirementsSpec:
    """Everything read from the inputs, merged (see `read_requirements` for the merge rule).

    - `requirements`: requirement lines in input order (named and unnamed, not editables).
    - `constraints`: lines of `-c` files (always named); they restrict versions, add nothing.
    - `editables`: `-e` lines (`editable=True`), in input order.
    - `index_url`, `extra_index_urls`, `no_index`, `find_links`: index options; URLs as written
      (after `${VAR}` expansion), local find-links paths made absolute from the including file.
    - `no_binary` / `only_binary`: normalized package names, or ``":all:"``, with pip's rules
      (a later `--no-binary x` removes `x` from `only_binary` and the other way round).
    - `pre`, `prefer_binary`, `require_hashes`: flags seen in any input.
    - `trusted_hosts`: accepted and recorded (pyfin does not skip TLS checks by itself).
    """

    requirements: tuple[RequirementEntry, ...] = ()
    constraints: tuple[RequirementEntry, ...] = ()
    editables: tuple[RequirementEntry, ...] = ()
    index_url: str | None = None
    extra_index_urls: tuple[str, ...] = ()
    no_index: bool = False
    find_links: tuple[str, ...] = ()
    no_binary: frozenset[str] = frozenset()
    only_binary: frozenset[str] = frozenset()
    pre: bool = False
    prefer_binary: bool = False
    require_hashes: bool = False
    trusted_hosts: tuple[str, ...] = ()
