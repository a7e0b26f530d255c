"""Read requirement inputs (requirements files in pip's syntax, pyproject.toml) into one spec.

Entry points: `read_requirements` (several inputs, as `pyfin pip compile a.in b.in -c c.txt`
gets them), `parse_requirements_txt` (one file) and `parse_requirements_text` (text already in
memory, e.g. stdin). Every input error is one `RequirementsTxtError` naming file and line.

Merge rule for several inputs: files are read in the order given, each `-r`/`-c` where it
appears. Requirements, editables and constraints keep that order. A file reached twice in the
same role (as requirements, or as constraints) is read once; a file that includes itself,
directly or through others, is an error. All `--index-url` values must agree. Extra index
URLs, find-links and trusted hosts are concatenated without repeats; flags (`--no-index`,
`--pre`, `--prefer-binary`, `--require-hashes`) hold if any input sets them; `--no-binary` and
`--only-binary` are applied in reading order with pip's rules.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping, Sequence
from pathlib import Path

from packaging.utils import canonicalize_name

from pyfin._requirements_txt_errors import (
    DynamicDependenciesError,
    RequirementsTxtError,
    UnsupportedInputError,
)
from pyfin._requirements_txt_lines import Statement, decode_requirements_file, statements
from pyfin._requirements_txt_model import (
    RequirementEntry,
    RequirementsSpec,
    SourceLocation,
    UnnamedRequirement,
)
from pyfin._requirements_txt_pyproject import parse_pyproject
from pyfin._requirements_txt_requirement import parse_editable, parse_requirement

__all__ = [
    "DynamicDependenciesError",
    "RequirementEntry",
    "RequirementsSpec",
    "RequirementsTxtError",
    "SourceLocation",
    "UnnamedRequirement",
    "UnsupportedInputError",
    "parse_requirements_text",
    "parse_requirements_txt",
    "read_requirements",
]

_URL = re.compile(r"^[A-Za-z][A-Za-z0-9+.\-]+://")
_PACKAGE_NAME = re.compile(r"^([A-Z0-9]|[A-Z0-9][A-Z0-9._-]*[A-Z0-9])$", re.IGNORECASE)
_HASH_LENGTHS = {"sha256": 64, "sha384": 96, "sha512": 128}
_HEX = re.compile(r"^[0-9a-fA-F]+$")
_UNSUPPORTED_INPUTS = frozenset({"setup.py", "setup.cfg"})


def _fail(location: SourceLocation, reason: str) -> RequirementsTxtError:
    return RequirementsTxtError(location.file, location.line, reason)


def _parse_hash(value: str, location: SourceLocation) -> str:
    algorithm, colon, digest = value.partition(":")
    if not colon or not algorithm or not digest:
        raise _fail(
            location,
            f"invalid --hash {value!r}: expected an algorithm and a digest, "
            "like --hash=sha256:<64 hex digits>",
        )
    algorithm = algorithm.lower()
    expected = _HASH_LENGTHS.get(algorithm)
    if expected is None:
        raise _fail(
            location,
            f"unsupported hash algorithm {algorithm!r} in --hash; use sha256, sha384 or sha512",
        )
    if _HEX.match(digest) is None or len(digest) != expected:
        raise _fail(
            location,
            f"invalid --hash {value!r}: a {algorithm} digest is {expected} hex digits",
        )
    return f"{algorithm}:{digest.lower()}"


def _apply_binary_option(
    value: str, target: set[str], other: set[str], option: str, location: SourceLocation
) -> None:
    """pip's rule: `:all:` empties both sets and wins over the names after it (unless a
    `:none:` follows), `:none:` empties the target, a name moves from `other` to `target`."""
    names = [raw.strip() for raw in value.split(",")]
    for name in names:
        if name not in (":all:", ":none:") and _PACKAGE_NAME.match(name) is None:
            raise _fail(
                location,
                f"invalid package name {name!r} in {option}; expected names separated by "
                "commas, ':all:' or ':none:'",
            )
    while ":all:" in names:
        other.clear()
        target.clear()
        target.add(":all:")
        names = names[names.index(":all:") + 1 :]
        if ":none:" not in names:
            return
    for name in names:
        if name == ":none:":
            target.clear()
        else:
            normalized = canonicalize_name(name)
            other.discard(normalized)
            target.add(normalized)


class _Reader:
    """Accumulates what the inputs say; `spec()` freezes it. One reader per call."""

    def __init__(self, working_dir: Path, environ: Mapping[str, str]) -> None:
        self.working_dir = working_dir
        self.environ = environ
        self.requirements: list[RequirementEntry] = []
        self.constraints: list[RequirementEntry] = []
        self.editables: list[RequirementEntry] = []
        self.index_url: str | None = None
        self.index_url_at: SourceLocation | None = None
        self.extra_index_urls: list[str] = []
        self.find_links: list[str] = []
        self.trusted_hosts: list[str] = []
        self.no_binary: set[str] = set()
        self.only_binary: set[str] = set()
        self.no_index = False
        self.pre = False
        self.prefer_binary = False
        self.require_hashes = False
        self._visited: dict[bool, set[str]] = {False: set(), True: set()}
        self._chain: list[tuple[str, str]] = []

    def spec(self) -> RequirementsSpec:
        return RequirementsSpec(
            requirements=tuple(self.requirements),
            constraints=tuple(self.constraints),
            editables=tuple(self.editables),
            index_url=self.index_url,
            extra_index_urls=tuple(self.extra_index_urls),
            no_index=self.no_index,
            find_links=tuple(self.find_links),
            no_binary=frozenset(self.no_binary),
            only_binary=frozenset(self.only_binary),
            pre=self.pre,
            prefer_binary=self.prefer_binary,
            require_hashes=self.require_hashes,
            trusted_hosts=tuple(self.trusted_hosts),
        )

    # -- files ---------------------------------------------------------------------------

    def read_file(
        self, path: Path, file: str, *, constraint: bool, at: SourceLocation | None
    ) -> None:
        """Read `path` (shown as `file`); `at` is the `-r`/`-c` line that included it."""
        try:
            real = os.path.realpath(path)
        except (OSError, ValueError) as exc:  # ValueError: a NUL in the name
            raise self._unreadable(file, at, str(exc)) from exc
        chain = [real_path for real_path, _ in self._chain]
        if real in chain:
            assert at is not None  # a top-level file cannot be its own ancestor
            cycle = [shown for _, shown in self._chain[chain.index(real) :]] + [file]
            raise _fail(at, "requirements files include each other: " + " -> ".join(cycle))
        if real in self._visited[constraint]:
            return
        self._visited[constraint].add(real)
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise self._unreadable(file, at, exc.strerror or str(exc)) from exc
        text = decode_requirements_file(data, file)
        self._chain.append((real, file))
        try:
            self.read_text(text, file, path.parent, constraint=constraint)
        finally:
            self._chain.pop()

    @staticmethod
    def _unreadable(file: str, at: SourceLocation | None, reason: str) -> RequirementsTxtError:
        if at is None:
            return RequirementsTxtError(file, None, f"cannot read the file: {reason}")
        return _fail(at, f"cannot read {file!r}: {reason}")

    def read_text(self, text: str, file: str, base_dir: Path, *, constraint: bool) -> None:
        for statement in statements(text, file, self.environ):
            location = SourceLocation(file, statement.line)
            if statement.requirement is not None:
                self._requirement_line(statement, statement.requirement, location, constraint)
            else:
                for option, value in statement.options:
                    self._option(
                        option, value, location, file=file, base_dir=base_dir, constraint=constraint
                    )

    # -- lines ---------------------------------------------------------------------------

    def _requirement_line(
        self, statement: Statement, text: str, location: SourceLocation, constraint: bool
    ) -> None:
        requirement = parse_requirement(text, location, self.working_dir)
        hashes: list[str] = []
        for option, value in statement.options:
            if option != "--hash":
                raise _fail(
                    location,
                    f"option '{option}' cannot follow a requirement; put it on a line of its own",
                )
            assert value is not None
            hashes.append(_parse_hash(value, location))
        entry = RequirementEntry(requirement, location, tuple(hashes))
        if not constraint:
            self.requirements.append(entry)
        elif isinstance(requirement, UnnamedRequirement):
            raise _fail(
                location,
                f"constraints must be named requirements, not {text!r} "
                "(write 'name @ url' instead)",
            )
        else:
            self.constraints.append(entry)

    def _include(
        self, value: str, file: str, base_dir: Path, location: SourceLocation, constraint: bool
    ) -> None:
        if _URL.match(value):
            raise _fail(
                location, f"remote requirements files are not supported: {value!r}; download it"
            )
        target = Path(value)
        shown = value if target.is_absolute() else os.path.normpath(Path(file).parent / value)
        self.read_file(base_dir / target, shown, constraint=constraint, at=location)

    def _option(
        self,
        option: str,
        value: str | None,
        location: SourceLocation,
        *,
        file: str,
        base_dir: Path,
        constraint: bool,
    ) -> None:
        if option in ("--requirement", "--constraint"):
            assert value is not None
            self._include(value, file, base_dir, location, constraint or option == "--constraint")
        elif option == "--editable":
            assert value is not None
            if constraint:
                raise _fail(location, f"editable requirements cannot be constraints: {value!r}")
            requirement = parse_editable(value, location, self.working_dir)
            self.editables.append(RequirementEntry(requirement, location, editable=True))
        elif option == "--index-url":
            assert value is not None
            url = self._index_location(value, location)
            if self.index_url is not None and self.index_url != url:
                raise _fail(
                    location,
                    f"--index-url {url!r} conflicts with --index-url {self.index_url!r} "
                    f"given at {self.index_url_at}; keep one",
                )
            self.index_url, self.index_url_at = url, location
        elif option == "--extra-index-url":
            assert value is not None
            url = self._index_location(value, location)
            if url not in self.extra_index_urls:
                self.extra_index_urls.append(url)
        elif option == "--find-links":
            assert value is not None
            link = value if _URL.match(value) else os.path.normpath(base_dir.absolute() / value)
            if link not in self.find_links:
                self.find_links.append(link)
        elif option == "--trusted-host":
            assert value is not None
            if value not in self.trusted_hosts:
                self.trusted_hosts.append(value)
        elif option == "--no-binary":
            assert value is not None
            _apply_binary_option(value, self.no_binary, self.only_binary, option, location)
        elif option == "--only-binary":
            assert value is not None
            _apply_binary_option(value, self.only_binary, self.no_binary, option, location)
        elif option == "--no-index":
            self.no_index = True
        elif option == "--pre":
            self.pre = True
        elif option == "--prefer-binary":
            self.prefer_binary = True
        elif option == "--require-hashes":
            self.require_hashes = True
        elif option == "--hash":
            raise _fail(location, "--hash must follow a requirement on the same line")
        # "--use-feature" is pip-specific and accepted for compatibility; it changes nothing.

    def _index_location(self, value: str, location: SourceLocation) -> str:
        if _URL.match(value):
            return value
        directory = self.working_dir / value
        try:
            is_dir = directory.is_dir()
        except (OSError, ValueError):
            is_dir = False
        if not is_dir:
            raise _fail(
                location,
                f"invalid index URL {value!r}: expected a URL like https://host/simple "
                "or an existing directory",
            )
        return os.path.normpath(directory.absolute())


def read_requirements(
    requirements: Sequence[Path],
    *,
    constraints: Sequence[Path] = (),
    extras: Sequence[str] = (),
    all_extras: bool = False,
    working_dir: Path | None = None,
    environ: Mapping[str, str] | None = None,
) -> RequirementsSpec:
    """Read and merge several inputs (see the module docstring for the merge rule).

    Each of `requirements` is a requirements file, or a ``pyproject.toml`` (its
    dependencies, plus the optional dependencies of `extras`, or of all extras). `constraints`
    are requirements files read as `-c`. Files are shown in errors and origins as given.
    `working_dir` (default: the current directory) anchors relative paths of requirements
    and editables; `environ` (default: os.environ) feeds ``${VAR}`` expansion.

    Raises RequirementsTxtError (one line: file, line, reason); UnsupportedInputError for
    setup.py / setup.cfg; DynamicDependenciesError for pyproject.toml with dynamic
    dependencies. Cost: reads each file once; no network.
    """
    reader = _Reader(working_dir or Path.cwd(), os.environ if environ is None else environ)
    pyprojects: list[str] = []
    found_extras: set[str] = set()
    for path in requirements:
        file = str(path)
        if path.name in _UNSUPPORTED_INPUTS:
            raise UnsupportedInputError(
                file, None, "unsupported input; use pyproject.toml or a requirements file"
            )
        if path.name == "pyproject.toml":
            entries, found = parse_pyproject(path, file, extras=extras, all_extras=all_extras)
            reader.requirements.extend(entries)
            pyprojects.append(file)
            found_extras |= found
        else:
            reader.read_file(path, file, constraint=False, at=None)
    for path in constraints:
        reader.read_file(path, str(path), constraint=True, at=None)
    if (extras or all_extras) and not pyprojects:
        raise RequirementsTxtError(
            None, None, "extras can only be selected for a pyproject.toml input"
        )
    missing = sorted({canonicalize_name(extra) for extra in extras} - found_extras)
    if missing:
        raise RequirementsTxtError(
            pyprojects[0],
            None,
            f"extra {missing[0]!r} is not defined in [project.optional-dependencies]",
        )
    return reader.spec()


def parse_requirements_txt(
    path: Path,
    *,
    file: str | None = None,
    working_dir: Path | None = None,
    environ: Mapping[str, str] | None = None,
) -> RequirementsSpec:
    """Read one requirements file (shown as `file`, default ``str(path)``) with its includes."""
    reader = _Reader(working_dir or Path.cwd(), os.environ if environ is None else environ)
    reader.read_file(path, str(path) if file is None else file, constraint=False, at=None)
    return reader.spec()


def parse_requirements_text(
    text: str,
    *,
    file: str = "-",
    base_dir: Path | None = None,
    working_dir: Path | None = None,
    environ: Mapping[str, str] | None = None,
) -> RequirementsSpec:
    """Read requirements text already in memory (stdin: `file` = ``-``).

    `-r`/`-c` paths and find-links are taken from `base_dir` (default: `working_dir`, itself
    defaulting to the current directory).
    """
    cwd = working_dir or Path.cwd()
    reader = _Reader(cwd, os.environ if environ is None else environ)
    reader.read_text(text, file, base_dir or cwd, constraint=False)
    return reader.spec()
