"""Parsing core metadata (METADATA, PKG-INFO) into ``Metadata`` with ``packaging.metadata``."""

from __future__ import annotations

from packaging.metadata import parse_email
from packaging.requirements import InvalidRequirement
from packaging.specifiers import InvalidSpecifier, SpecifierSet
from packaging.utils import canonicalize_name
from packaging.version import InvalidVersion, Version

from ._errors import MetadataError
from ._lenient import parse_requirement
from ._models import Metadata

# Fields that, when Dynamic in an sdist's PKG-INFO, make it useless to a resolver.
_RESOLVER_FIELDS = frozenset({"requires-dist", "requires-python", "provides-extra"})


def parse_metadata(data: bytes, filename: str) -> Metadata:
    """Parse METADATA/PKG-INFO bytes of ``filename``.

    Lenient where old uploads are sloppy (unknown fields are ignored, specifiers that tools of
    their day accepted are repaired, see ``_lenient``) but raises
    ``MetadataError`` when name, version, a requirement or Requires-Python is invalid.
    """
    raw, _unparsed = parse_email(data)
    name = raw.get("name")
    version_text = raw.get("version")
    if not name or not version_text:
        raise MetadataError(filename, "the Name or Version field is missing")
    try:
        version = Version(version_text)
    except InvalidVersion as exc:
        raise MetadataError(filename, f"invalid Version {version_text!r}") from exc
    requirements = []
    for text in raw.get("requires_dist", []):
        try:
            requirements.append(parse_requirement(text))
        except InvalidRequirement as exc:
            raise MetadataError(filename, f"invalid Requires-Dist {text!r}: {exc}") from exc
    requires_python = None
    if (rp := raw.get("requires_python")) is not None:
        try:
            requires_python = SpecifierSet(rp)
        except InvalidSpecifier as exc:
            raise MetadataError(filename, f"invalid Requires-Python {rp!r}") from exc
    return Metadata(
        name=canonicalize_name(name),
        version=version,
        requires_dist=tuple(requirements),
        requires_python=requires_python,
        provides_extra=tuple(canonicalize_name(e) for e in raw.get("provides_extra", [])),
        dynamic=tuple(d.lower() for d in raw.get("dynamic", [])),
        metadata_version=raw.get("metadata_version", "1.0"),
    )


def pkg_info_is_static(metadata: Metadata) -> str | None:
    """None when a PKG-INFO can stand in for a build, else the reason it cannot (PEP 643)."""
    try:
        too_old = Version(metadata.metadata_version) < Version("2.2")
    except InvalidVersion:
        too_old = True
    if too_old:
        return f"PKG-INFO has Metadata-Version {metadata.metadata_version} (2.2+ needed)"
    dynamic = sorted(_RESOLVER_FIELDS.intersection(metadata.dynamic))
    if dynamic:
        return f"PKG-INFO declares {', '.join(dynamic)} as Dynamic"
    return None
