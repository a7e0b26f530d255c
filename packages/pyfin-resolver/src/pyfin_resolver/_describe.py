"""Readable text for version ranges: PEP 440 specifiers where possible, runs of known versions
otherwise ("a>=1.0,<=2.0 | ==3.1")."""

from __future__ import annotations

from collections.abc import Sequence

from packaging.ranges import VersionRange
from packaging.specifiers import Specifier, SpecifierSet
from packaging.version import Version

_OPERATOR_ORDER = {"==": 0, "===": 0, "~=": 1, ">=": 2, ">": 2, "<=": 3, "<": 3, "!=": 4}


def format_specifiers(specifiers: SpecifierSet) -> str:
    """`>=1.0,<2.0,!=1.5`: lower bounds first, then upper bounds, then exclusions."""

    def key(spec: Specifier) -> tuple[int, str]:
        return (_OPERATOR_ORDER.get(spec.operator, 5), spec.version)

    return ",".join(str(spec) for spec in sorted(specifiers, key=key))


def format_range(versions: VersionRange, known: Sequence[Version], *, exact: bool) -> str:
    """The specifier part of a description (empty string for every version).

    `known` (sorted ascending) are the versions that exist. With `exact`, the range is spelled
    as PEP 440 specifiers when it can be; otherwise the runs of known versions it contains are
    preferred ("<=1.0.0 | >=3.0.0", "!=2.0.0"), since that is what matters to a reader.
    """
    runs = _runs(versions, known)
    inside = [version for version in known if version in versions]
    if not exact and runs:
        outside = [version for version in known if version not in versions]
        if len(outside) == 1 and len(inside) > 1:
            return f"!={outside[0]}"
        return " | ".join(runs)
    spelled = versions.to_specifier_set()
    if spelled is not None:
        return format_specifiers(spelled)
    complement = (~versions).to_specifier_set()
    if complement is not None and len(complement) == 1:
        (only,) = complement
        if only.operator == "==":
            return f"!={only.version}"
    if inside:
        return " | ".join(runs)
    text = repr(versions)
    return text[text.index("'") + 1 : text.rindex("'")]


def _runs(versions: VersionRange, known: Sequence[Version]) -> list[str]:
    """Maximal runs of consecutive known versions inside `versions`, each as a specifier."""
    runs: list[tuple[int, int]] = []
    for index, version in enumerate(known):
        if version in versions:
            if runs and runs[-1][1] == index - 1:
                runs[-1] = (runs[-1][0], index)
            else:
                runs.append((index, index))
    last = len(known) - 1
    parts = []
    for start, end in runs:
        if start == end:
            parts.append(f"=={known[start]}")
        elif start == 0:
            parts.append(f"<={known[end]}")
        elif end == last:
            parts.append(f">={known[start]}")
        else:
            parts.append(f">={known[start]},<={known[end]}")
    return parts
