"""The partial solution: the ordered decisions and derivations made so far, and backtracking."""

from __future__ import annotations

from dataclasses import dataclass

from packaging.version import Version

from pyfin_resolver._pubgrub._incompatibility import Incompatibility, Package
from pyfin_resolver._pubgrub._term import Relation, Term


@dataclass(frozen=True, slots=True)
class Assignment:
    """One step of the solution: a decision (`cause is None`) or a derivation from `cause`.

    `accumulated` is the intersection of this and every earlier assignment to the package.
    """

    package: Package
    term: Term
    accumulated: Term
    decision_level: int
    index: int
    cause: Incompatibility | None


class PartialSolution:
    """Assignments in order, plus per package the intersection of its assignments' terms.

    `relation` is O(1) range operations; `satisfier` is O(log k) for k assignments of the
    package (accumulated terms only shrink, so "satisfies the term" is monotone along them).
    """

    def __init__(self) -> None:
        self._assignments: list[Assignment] = []
        self._by_package: dict[Package, list[Assignment]] = {}
        self._terms: dict[Package, Term] = {}
        self.decisions: dict[Package, Version] = {}

    @property
    def decision_level(self) -> int:
        return len(self.decisions)

    def term(self, package: Package) -> Term | None:
        """The intersection of every assignment to `package`, or None if it has none."""
        return self._terms.get(package)

    def decide(self, package: Package, version: Version, versions: Term) -> None:
        """Select `version` of `package`; `versions` is the term recorded (containing it)."""
        self.decisions[package] = version
        self._append(package, versions, None)

    def derive(self, package: Package, term: Term, cause: Incompatibility) -> None:
        self._append(package, term, cause)

    def _append(self, package: Package, term: Term, cause: Incompatibility | None) -> None:
        previous = self._terms.get(package)
        accumulated = term if previous is None else previous.intersect(term)
        assignment = Assignment(
            package, term, accumulated, self.decision_level, len(self._assignments), cause
        )
        self._assignments.append(assignment)
        self._by_package.setdefault(package, []).append(assignment)
        self._terms[package] = accumulated

    def undecided(self) -> list[Package]:
        """Packages with a positive term but no decision, in the order they were first derived."""
        return [
            package
            for package, term in self._terms.items()
            if term.positive and package not in self.decisions
        ]

    def relation(self, package: Package, term: Term) -> Relation:
        assigned = self._terms.get(package)
        if assigned is None:
            return Relation.INCONCLUSIVE
        return term.relation(assigned)

    def satisfies(self, package: Package, term: Term) -> bool:
        return self.relation(package, term) is Relation.SATISFIED

    def satisfier(self, package: Package, term: Term) -> Assignment:
        """The earliest assignment after which the solution satisfies `term`.

        The caller guarantees the whole solution satisfies it.
        """
        assignments = self._by_package[package]
        low, high = 0, len(assignments) - 1
        if not assignments[high].accumulated.subset_of(term):
            raise AssertionError(f"{package} {term} is not satisfied by the partial solution")
        while low < high:
            middle = (low + high) // 2
            if assignments[middle].accumulated.subset_of(term):
                high = middle
            else:
                low = middle + 1
        return assignments[low]

    def backtrack(self, decision_level: int) -> None:
        """Drop every assignment made after the decision at `decision_level`."""
        keep = self._assignments
        while keep and keep[-1].decision_level > decision_level:
            dropped = keep.pop()
            if dropped.cause is None:
                del self.decisions[dropped.package]
        self._by_package = {}
        self._terms = {}
        for assignment in keep:
            self._by_package.setdefault(assignment.package, []).append(assignment)
            self._terms[assignment.package] = assignment.accumulated
