"""Read requirements from a pyproject.toml: ``[project] dependencies`` and selected extras.

Only static PEP 621 metadata is read here. Dependencies listed in ``project.dynamic`` are
only known to the build backend, so they raise DynamicDependenciesError (a later step asks
the backend instead).
"""

from __future__ import annotations

import importlib
import re
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any, cast

from packaging.requirements import InvalidRequirement, Requirement
from packaging.utils import canonicalize_name

from pyfin._requirements_txt_errors import DynamicDependenciesError, RequirementsTxtError
from pyfin._requirements_txt_model import RequirementEntry, SourceLocation

__all__ = ["parse_pyproject"]

_TOML_LINE = re.compile(r"\(at line (\d+), column \d+\)")


def _loads_toml(text: str) -> dict[str, Any]:
    """Parse TOML; raises ValueError (tomllib's and tomli's TOMLDecodeError both are one)."""
    if sys.version_info >= (3, 11):
        import tomllib

        return tomllib.loads(text)
    # Python 3.10 has no tomllib: tomli is the same parser, declared as a dependency for
    # Python < 3.11 only, so it is looked up by name rather than imported statically.
    tomli = importlib.import_module("tomli")
    return cast("dict[str, Any]", tomli.loads(text))


def _line_of(text: str, needle: str) -> int | None:
    """The line of the first string literal holding `needle` (TOML values carry no lines)."""
    for number, line in enumerate(text.splitlines(), start=1):
        if f'"{needle}"' in line or f"'{needle}'" in line:
            return number
    return None


def _string_list(value: object, file: str, what: str) -> list[str]:
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        raise RequirementsTxtError(file, None, f"{what} must be a list of strings")
    return cast("list[str]", value)


def parse_pyproject(
    path: Path,
    file: str,
    *,
    extras: Sequence[str] = (),
    all_extras: bool = False,
) -> tuple[list[RequirementEntry], set[str]]:
    """Read the dependencies of `path` plus those of the chosen extras.

    `file` names the file in errors and origins. Returns the entries and the normalized names
    of the extras that were found (so the caller can report extras no input defines).
    Raises RequirementsTxtError for unreadable TOML, a missing ``[project]`` table, or an
    invalid requirement string, and DynamicDependenciesError for dynamic dependencies.
    """
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise RequirementsTxtError(file, None, f"cannot read the file: {exc}") from exc
    try:
        document = _loads_toml(text)
    except ValueError as exc:
        match = _TOML_LINE.search(str(exc))
        line = int(match.group(1)) if match else None
        raise RequirementsTxtError(file, line, f"invalid TOML: {exc}") from exc
    project = document.get("project")
    if not isinstance(project, dict):
        raise RequirementsTxtError(
            file,
            None,
            "no [project] table; pyfin reads PEP 621 metadata (add [project] with "
            "name, version and dependencies)",
        )
    name = project.get("name")
    project_name = name if isinstance(name, str) else None
    dynamic = _string_list(project.get("dynamic", []), file, "[project] dynamic")
    wanted_extras = bool(extras) or all_extras
    for field in ("dependencies", "optional-dependencies"):
        if field in dynamic and (field == "dependencies" or wanted_extras):
            raise DynamicDependenciesError(
                file,
                path.parent,
                f"[project] {field} is dynamic: a build of the project is needed to know "
                "them, which pyfin does not do yet; list them statically in pyproject.toml",
            )
    raw: list[str] = _string_list(project.get("dependencies", []), file, "[project] dependencies")
    optional = project.get("optional-dependencies", {})
    if not isinstance(optional, dict):
        raise RequirementsTxtError(file, None, "[project.optional-dependencies] must be a table")
    defined: dict[str, str] = {canonicalize_name(extra): extra for extra in optional}
    wanted: set[str] = (
        set(defined) if all_extras else {canonicalize_name(extra) for extra in extras}
    )
    for extra in sorted(wanted & set(defined)):
        raw.extend(
            _string_list(
                optional[defined[extra]],
                file,
                f"[project.optional-dependencies] {defined[extra]}",
            )
        )
    entries: list[RequirementEntry] = []
    for item in raw:
        line = _line_of(text, item)
        try:
            requirement = Requirement(item)
        except InvalidRequirement as exc:
            first = str(exc).splitlines()[0]
            raise RequirementsTxtError(
                file, line, f"invalid requirement {item!r}: {first}"
            ) from exc
        location = SourceLocation(file, line, project_name)
        entries.append(RequirementEntry(requirement, location))
    return entries, wanted & set(defined)
