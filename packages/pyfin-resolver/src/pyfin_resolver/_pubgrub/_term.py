"""A term: the statement "package is selected at a version in this range" or its negation."""

from __future__ import annotations

import enum
from dataclasses import dataclass

from packaging.ranges import VersionRange


def full_range() -> VersionRange:
    """Every version, pre-releases included (pre-release policy is applied to candidates)."""
    return VersionRange.full(admit_arbitrary=False, prereleases=True)


def empty_range() -> VersionRange:
    """No version."""
    return VersionRange.empty(prereleases=True)


class Relation(enum.Enum):
    """How the assignments for a package relate to a term."""

    SATISFIED = "satisfied"  # every allowed selection makes the term true
    CONTRADICTED = "contradicted"  # no allowed selection makes the term true
    INCONCLUSIVE = "inconclusive"


@dataclass(frozen=True, slots=True)
class Term:
    """`positive`: the package is selected with a version in `versions`.

    Negative: the package is *not* selected with a version in `versions` — which includes not
    being selected at all. That difference is why the algebra below is not plain set algebra:
    a negative term never implies a positive one.
    """

    versions: VersionRange
    positive: bool = True

    def negate(self) -> Term:
        return Term(self.versions, not self.positive)

    def intersect(self, other: Term) -> Term:
        """The term that holds exactly when both hold."""
        if self.positive and other.positive:
            return Term(self.versions & other.versions, True)
        if self.positive:
            return Term(self.versions - other.versions, True)
        if other.positive:
            return Term(other.versions - self.versions, True)
        return Term(self.versions | other.versions, False)

    def difference(self, other: Term) -> Term:
        """The term that holds when this one holds and `other` does not."""
        return self.intersect(other.negate())

    @property
    def is_empty(self) -> bool:
        """True if no selection (not even "not selected") satisfies the term."""
        return self.positive and self.versions.is_empty

    def subset_of(self, other: Term) -> bool:
        """True if every selection satisfying this term satisfies `other`."""
        if self.positive and other.positive:
            return self.versions.is_subset(other.versions)
        if self.positive:
            return self.versions.is_disjoint(other.versions)
        if other.positive:
            return False
        return other.versions.is_subset(self.versions)

    def disjoint(self, other: Term) -> bool:
        """True if no selection satisfies both terms."""
        if self.positive and other.positive:
            return self.versions.is_disjoint(other.versions)
        if self.positive:
            return self.versions.is_subset(other.versions)
        if other.positive:
            return other.versions.is_subset(self.versions)
        return False

    def relation(self, assigned: Term) -> Relation:
        """How `assigned` (the intersection of all assignments for a package) relates to self."""
        if assigned.subset_of(self):
            return Relation.SATISFIED
        if assigned.disjoint(self):
            return Relation.CONTRADICTED
        return Relation.INCONCLUSIVE
