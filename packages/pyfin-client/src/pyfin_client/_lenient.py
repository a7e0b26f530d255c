"""Reading the Requires-Dist lines of old uploads that strict PEP 508 refuses.

Published metadata is immutable, and some widely used releases carry specifiers that were
accepted by the tools of their day: `elasticsearch-dsl (>=7.0.0<8.0.0)` (no comma between
clauses), `foo (>=1.0.*)` (a wildcard on an ordered comparison), `bar >=1.0,` (a trailing comma).
uv and pip read these by repairing them; we do the same, and only after strict parsing failed.
"""

from __future__ import annotations

import re

from packaging.requirements import InvalidRequirement, Requirement

_OPERATOR = re.compile(r"===|~=|==|!=|<=|>=|<|>")
# A clause that directly follows a version, with no comma between: `7.0.0<8.0.0`.
_MISSING_COMMA = re.compile(r"(?<=[\w*+!.])\s*(?====|~=|==|!=|<=|>=|<(?!=)|>(?!=))")
# `>=1.0.*`: a wildcard is only meaningful with == and !=.
_ORDERED_WILDCARD = re.compile(r"(~=|<=|>=|<|>)(\s*[^,;)\s]+?)\.\*")
_TRAILING_COMMA = re.compile(r",\s*(?=\)|$)")


def parse_requirement(text: str) -> Requirement:
    """`Requirement(text)`, or the requirement that `text` evidently meant.

    Raises the strict parser's `InvalidRequirement` when no repair makes it valid.
    """
    try:
        return Requirement(text)
    except InvalidRequirement as strict_error:
        repaired = repair(text)
        if repaired == text:
            raise
        try:
            return Requirement(repaired)
        except InvalidRequirement:
            raise strict_error from None


def repair(text: str) -> str:
    """`text` with the sloppy specifier forms above rewritten; markers are left alone."""
    head, semicolon, marker = text.partition(";")
    first = _OPERATOR.search(head)
    if first is None:
        return text
    start = first.start()
    rest = _MISSING_COMMA.sub(",", head[start:])
    rest = _ORDERED_WILDCARD.sub(r"\1\2", rest)
    rest = _TRAILING_COMMA.sub("", rest.rstrip()) + (" " if semicolon else "")
    return head[:start] + rest + semicolon + marker
