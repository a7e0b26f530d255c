"""Incompatibilities: sets of terms that must never all be true, with the reason each one exists.

The reasons (`Cause` subclasses) make up the derivation tree: external causes are facts
(a dependency, a missing version, the user's requirement), `ConflictCause` records that an
incompatibility was learned from two others during conflict resolution.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable
from dataclasses import dataclass

from pyfin_resolver._pubgrub._term import Term

Package = Hashable
"""Anything hashable with a readable `str()`; the solver never looks inside."""


class Cause:
    """Why an incompatibility holds."""

    __slots__ = ()


@dataclass(frozen=True, slots=True)
class RootCause(Cause):
    """The root package must be selected."""


@dataclass(frozen=True, slots=True)
class NoVersionsCause(Cause):
    """No selectable version of the package lies in the range."""


@dataclass(frozen=True, slots=True)
class NotFoundCause(Cause):
    """The package does not exist in any index."""


@dataclass(frozen=True, slots=True)
class DependencyCause(Cause):
    """The versions of the first package depend on the second package in the given range."""


@dataclass(frozen=True, slots=True)
class ConstraintCause(Cause):
    """The user constrained the package to the complement of the incompatibility's range."""


@dataclass(frozen=True, slots=True)
class UnavailableCause(Cause):
    """The versions cannot be used; `reason` is a verb phrase ("is yanked")."""

    reason: str


@dataclass(frozen=True, slots=True, eq=False)
class ConflictCause(Cause):
    """Learned by resolving `conflict` against the cause of a satisfier, `other`."""

    conflict: Incompatibility
    other: Incompatibility


class Incompatibility:
    """A set of terms, at most one per package, that cannot all be satisfied at once.

    Terms naming the same package are merged by intersection when built. Compared by identity:
    two learned incompatibilities with equal terms are still two nodes of the derivation tree.
    """

    __slots__ = ("cause", "terms")

    def __init__(self, terms: Iterable[tuple[Package, Term]], cause: Cause) -> None:
        merged: dict[Package, Term] = {}
        for package, term in terms:
            previous = merged.get(package)
            merged[package] = term if previous is None else previous.intersect(term)
        self.terms = merged
        self.cause = cause

    def is_failure(self, root: Package) -> bool:
        """True if this incompatibility says the root itself cannot be selected."""
        if not self.terms:
            return True
        return len(self.terms) == 1 and root in self.terms and self.terms[root].positive

    @property
    def is_derived(self) -> bool:
        return isinstance(self.cause, ConflictCause)

    def __repr__(self) -> str:
        inner = ", ".join(
            f"{'' if term.positive else 'not '}{package}{term.versions!r}"
            for package, term in self.terms.items()
        )
        return f"Incompatibility({{{inner}}}, {type(self.cause).__name__})"
