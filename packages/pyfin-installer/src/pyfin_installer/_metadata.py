"""Reading the header block of an installed distribution's METADATA / PKG-INFO (RFC 822 style)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from packaging.requirements import InvalidRequirement, Requirement
from packaging.specifiers import InvalidSpecifier, SpecifierSet


@dataclass(frozen=True, slots=True)
class CoreMetadata:
    """The fields of installed metadata that inspecting commands use.

    ``fields`` maps each lowercased header name to its values in file order; requirements and
    ``Requires-Python`` that do not parse are dropped (``invalid`` lists them as written).
    """

    fields: Mapping[str, tuple[str, ...]]
    requires_dist: tuple[Requirement, ...]
    requires_python: SpecifierSet | None
    invalid: tuple[str, ...]

    def get(self, name: str) -> str | None:
        """The first value of header ``name`` (case-insensitive), or None."""
        values = self.fields.get(name.lower())
        return values[0] if values else None


def parse_headers(text: str) -> dict[str, tuple[str, ...]]:
    """Header name (lowercased) -> values, up to the first blank line; folded lines joined."""
    found: dict[str, list[str]] = {}
    last: list[str] | None = None
    for line in text.splitlines():
        if not line.strip():
            break
        if line[0] in " \t" and last is not None:
            last[-1] += "\n" + line.strip()
            continue
        name, colon, value = line.partition(":")
        if not colon:
            last = None
            continue
        last = found.setdefault(name.strip().lower(), [])
        last.append(value.strip())
    return {name: tuple(values) for name, values in found.items()}


def parse_core_metadata(text: str) -> CoreMetadata:
    """Parse METADATA / PKG-INFO text; never raises for malformed values (see ``invalid``)."""
    fields = parse_headers(text)
    requirements: list[Requirement] = []
    invalid: list[str] = []
    for value in fields.get("requires-dist", ()):
        try:
            requirements.append(Requirement(value))
        except InvalidRequirement:
            invalid.append(value)
    requires_python: SpecifierSet | None = None
    raw = fields.get("requires-python")
    if raw:
        try:
            requires_python = SpecifierSet(raw[0])
        except InvalidSpecifier:
            invalid.append(f"Requires-Python: {raw[0]}")
    return CoreMetadata(fields, tuple(requirements), requires_python, tuple(invalid))
