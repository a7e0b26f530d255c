"""The PubGrub main loop: unit propagation, decision making and conflict-driven backtracking.

The solver knows packages only as hashable keys and versions as `packaging` versions; a
`Source` supplies the rest (which package to decide next, which version, its dependencies as
incompatibilities). Costs, for the `Source` implementer: `choose_package` and `choose_version`
are called once per decision step, `dependencies` once per decided (package, version) that was
not decided before at the same point of the search.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

from packaging.ranges import VersionRange
from packaging.version import Version

from pyfin_resolver._pubgrub._incompatibility import (
    ConflictCause,
    Incompatibility,
    NoVersionsCause,
    Package,
    RootCause,
)
from pyfin_resolver._pubgrub._partial_solution import Assignment, PartialSolution
from pyfin_resolver._pubgrub._term import Relation, Term, full_range

ROOT_VERSION = Version("0")


class NoSolution(Exception):
    """Raised by `Solver.solve`: `incompatibility` is the root of the derivation tree."""

    def __init__(self, incompatibility: Incompatibility) -> None:
        super().__init__(incompatibility)
        self.incompatibility = incompatibility


class Source(Protocol):
    """What the solver asks about packages; see the module docstring for costs."""

    def choose_package(self, undecided: Sequence[Package], solution: PartialSolution) -> Package:
        """Pick the next package to decide among `undecided` (never empty)."""
        ...

    def choose_version(
        self, package: Package, versions: VersionRange
    ) -> Version | Incompatibility | None:
        """The version to try next within `versions`; an incompatibility ruling out versions
        that cannot be used (the solver adds it and asks again); or None if no version is left."""
        ...

    def dependencies(self, package: Package, version: Version) -> Sequence[Incompatibility]:
        """The dependencies of `package==version` as incompatibilities (each has a positive term
        for `package` containing `version`)."""
        ...


class Solver:
    """One resolution: `Solver(root, source).solve()` maps every selected package to its version."""

    def __init__(self, root: Package, source: Source) -> None:
        self._root = root
        self._source = source
        self._solution = PartialSolution()
        self._incompatibilities: dict[Package, list[Incompatibility]] = {}
        # Incompatibilities known to be contradicted, with the decision level at which that
        # was seen: they stay contradicted until a backtrack below that level, so propagation
        # skips them (without this, walking down 1000 versions of one package is quadratic
        # in range operations).
        self._contradicted: dict[int, int] = {}
        self.decisions_made = 0
        self.conflicts_resolved = 0

    def solve(self) -> dict[Package, Version]:
        """Run to completion; raises `NoSolution` with the derivation tree on failure."""
        self._add(Incompatibility([(self._root, Term(full_range(), False))], RootCause()))
        next_package: Package | None = self._root
        while next_package is not None:
            self._propagate(next_package)
            next_package = self._choose_and_decide()
        return {
            package: version
            for package, version in self._solution.decisions.items()
            if package != self._root
        }

    def _add(self, incompatibility: Incompatibility) -> None:
        for package in incompatibility.terms:
            self._incompatibilities.setdefault(package, []).append(incompatibility)

    def _propagate(self, package: Package) -> None:
        changed = [package]
        while changed:
            current = changed.pop()
            # Newest first: learned incompatibilities are the most general ones.
            for incompatibility in reversed(self._incompatibilities.get(current, [])):
                if id(incompatibility) in self._contradicted:
                    continue
                result = self._propagate_one(incompatibility)
                if result is _CONFLICT:
                    root_cause = self._resolve_conflict(incompatibility)
                    derived = self._propagate_one(root_cause)
                    assert derived is not _CONFLICT and derived is not None
                    changed = [derived]
                    break
                if result is not None:
                    changed.append(result)

    def _propagate_one(self, incompatibility: Incompatibility) -> Package | object | None:
        """Derive the negation of the single undecided term, if all others are satisfied.

        Returns the package derived about, `_CONFLICT` when every term is satisfied, or None.
        """
        unsatisfied: tuple[Package, Term] | None = None
        for package, term in incompatibility.terms.items():
            relation = self._solution.relation(package, term)
            if relation is Relation.CONTRADICTED:
                self._contradicted[id(incompatibility)] = self._solution.decision_level
                return None
            if relation is Relation.INCONCLUSIVE:
                if unsatisfied is not None:
                    return None
                unsatisfied = (package, term)
        if unsatisfied is None:
            return _CONFLICT
        package, term = unsatisfied
        self._solution.derive(package, term.negate(), incompatibility)
        # The term just derived contradicts this incompatibility from now on.
        self._contradicted[id(incompatibility)] = self._solution.decision_level
        return package

    def _resolve_conflict(self, incompatibility: Incompatibility) -> Incompatibility:
        """Learn from a satisfied incompatibility and backtrack to where it becomes a unit."""
        learned = False
        while not incompatibility.is_failure(self._root):
            most_recent: tuple[Package, Term] | None = None
            satisfier: Assignment | None = None
            difference: Term | None = None
            previous_level = 1
            for package, term in incompatibility.terms.items():
                candidate = self._solution.satisfier(package, term)
                if satisfier is None or satisfier.index < candidate.index:
                    if satisfier is not None:
                        previous_level = max(previous_level, satisfier.decision_level)
                    most_recent, satisfier, difference = (package, term), candidate, None
                else:
                    previous_level = max(previous_level, candidate.decision_level)
                if satisfier is candidate:
                    # The satisfier may satisfy the term only together with earlier
                    # assignments; what it adds beyond the term must be explained too.
                    rest = candidate.term.difference(term)
                    if not rest.is_empty:
                        difference = rest
                        earlier = self._solution.satisfier(package, rest.negate())
                        previous_level = max(previous_level, earlier.decision_level)
            assert satisfier is not None and most_recent is not None
            if previous_level < satisfier.decision_level or satisfier.cause is None:
                self._solution.backtrack(previous_level)
                self._contradicted = {
                    key: level
                    for key, level in self._contradicted.items()
                    if level <= previous_level
                }
                if learned:
                    self._add(incompatibility)
                return incompatibility
            terms = [(p, t) for p, t in incompatibility.terms.items() if p != most_recent[0]]
            terms += [(p, t) for p, t in satisfier.cause.terms.items() if p != satisfier.package]
            if difference is not None:
                terms.append((most_recent[0], difference.negate()))
            incompatibility = Incompatibility(
                terms, ConflictCause(incompatibility, satisfier.cause)
            )
            learned = True
            self.conflicts_resolved += 1
        raise NoSolution(incompatibility)

    def _choose_and_decide(self) -> Package | None:
        undecided = self._solution.undecided()
        if not undecided:
            return None
        package = self._source.choose_package(undecided, self._solution)
        term = self._solution.term(package)
        assert term is not None
        choice = self._source.choose_version(package, term.versions)
        if choice is None:
            self._add(Incompatibility([(package, Term(term.versions))], NoVersionsCause()))
            return package
        if isinstance(choice, Incompatibility):
            self._add(choice)
            return package
        conflict = False
        for dependency in self._source.dependencies(package, choice):
            self._add(dependency)
            conflict = conflict or all(
                p == package or self._solution.satisfies(p, t) for p, t in dependency.terms.items()
            )
        if not conflict:
            self._solution.decide(
                package, choice, Term(VersionRange.singleton(choice, prereleases=True))
            )
            self.decisions_made += 1
        return package


_CONFLICT = object()
