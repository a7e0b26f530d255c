"""Turn a derivation tree into a short proof in plain English.

The layout follows Dart pub's failure writer: each derived incompatibility is explained by the
two it was learned from; an explanation used more than once gets a line number, "(1)", and is
referred to by it; chains of single external facts are collapsed into "And because ..." lines.
"""

from __future__ import annotations

from typing import Protocol

from packaging.ranges import VersionRange

from pyfin_resolver._pubgrub._incompatibility import (
    ConflictCause,
    ConstraintCause,
    DependencyCause,
    Incompatibility,
    NotFoundCause,
    NoVersionsCause,
    Package,
    UnavailableCause,
)
from pyfin_resolver._pubgrub._term import Term


class Describer(Protocol):
    """How packages and their version ranges read in a sentence."""

    def describe(self, package: Package, versions: VersionRange, *, exact: bool) -> str:
        """`package` restricted to `versions`, for example "flask>=2,<3" or "flask".

        `exact`: spell the range as given (a requirement); otherwise it may be described by
        the known versions it contains (a range the solver computed).
        """
        ...

    def is_all_versions(self, package: Package, versions: VersionRange) -> bool:
        """True when `versions` covers every known version of `package`."""
        ...


def explain(incompatibility: Incompatibility, root: Package, describer: Describer) -> str:
    """The whole proof that `incompatibility` (a failure) holds, one sentence per line."""
    return _Writer(root, describer).write(incompatibility)


class _Writer:
    def __init__(self, root: Package, describer: Describer) -> None:
        self._root = root
        self._d = describer
        self._derivations: dict[int, int] = {}
        self._lines: list[tuple[str, int | None]] = []
        self._numbers: dict[int, int] = {}

    def write(self, incompatibility: Incompatibility) -> str:
        incompatibility = _collapse_no_versions(incompatibility, {})
        self._count(incompatibility)
        if isinstance(incompatibility.cause, ConflictCause):
            self._visit(incompatibility, conclusion=False)
        else:
            self._write(
                incompatibility,
                f"Because {self._external(incompatibility)}, "
                f"we can conclude that {self._derived(incompatibility)}.",
                numbered=False,
            )
        width = len(str(max(self._numbers.values(), default=0)))
        out = []
        for message, number in self._lines:
            out.append(f"{message} ({number:>{width}})" if number is not None else message)
        return "\n".join(out).strip("\n")

    def _count(self, incompatibility: Incompatibility) -> None:
        key = id(incompatibility)
        self._derivations[key] = self._derivations.get(key, 0) + 1
        cause = incompatibility.cause
        if isinstance(cause, ConflictCause) and self._derivations[key] == 1:
            self._count(cause.conflict)
            self._count(cause.other)

    def _write(self, incompatibility: Incompatibility, message: str, *, numbered: bool) -> None:
        if numbered:
            number = len(self._numbers) + 1
            self._numbers[id(incompatibility)] = number
            self._lines.append((message, number))
        else:
            self._lines.append((message, None))

    def _visit(self, incompatibility: Incompatibility, *, conclusion: bool) -> None:
        numbered = conclusion or self._derivations[id(incompatibility)] > 1
        conjunction = "So," if numbered else "And"
        now = f"we can conclude that {self._derived(incompatibility)}"
        cause = incompatibility.cause
        assert isinstance(cause, ConflictCause)
        conflict, other = cause.conflict, cause.other
        if conflict.is_derived and other.is_derived:
            conflict_line = self._numbers.get(id(conflict))
            other_line = self._numbers.get(id(other))
            if conflict_line is not None and other_line is not None:
                self._write(
                    incompatibility,
                    f"Because {self._text(conflict)} ({conflict_line}) and "
                    f"{self._text(other)} ({other_line}), {now}.",
                    numbered=numbered,
                )
            elif conflict_line is not None or other_line is not None:
                with_line, without_line = (
                    (conflict, other) if conflict_line is not None else (other, conflict)
                )
                line = self._numbers[id(with_line)]
                self._visit(without_line, conclusion=False)
                self._write(
                    incompatibility,
                    f"{conjunction} because {self._text(with_line)} ({line}), {now}.",
                    numbered=numbered,
                )
            else:
                single_conflict = _single_line(conflict)
                single_other = _single_line(other)
                if single_conflict or single_other:
                    first, second = (conflict, other) if single_other else (other, conflict)
                    self._visit(first, conclusion=False)
                    self._visit(second, conclusion=False)
                    self._write(incompatibility, f"Thus, {now}.", numbered=numbered)
                else:
                    self._visit(conflict, conclusion=True)
                    self._lines.append(("", None))
                    self._visit(other, conclusion=False)
                    self._write(
                        incompatibility,
                        f"{conjunction} because {self._text(conflict)} "
                        f"({self._numbers[id(conflict)]}), {now}.",
                        numbered=numbered,
                    )
        elif conflict.is_derived or other.is_derived:
            derived, external = (conflict, other) if conflict.is_derived else (other, conflict)
            derived_line = self._numbers.get(id(derived))
            if derived_line is not None:
                self._write(
                    incompatibility,
                    f"Because {self._text(external)} and {self._text(derived)} "
                    f"({derived_line}), {now}.",
                    numbered=numbered,
                )
            elif self._collapsible(derived):
                inner = derived.cause
                assert isinstance(inner, ConflictCause)
                if inner.conflict.is_derived:
                    collapsed_derived, collapsed_external = inner.conflict, inner.other
                else:
                    collapsed_derived, collapsed_external = inner.other, inner.conflict
                self._visit(collapsed_derived, conclusion=False)
                self._write(
                    incompatibility,
                    f"{conjunction} because {self._text(collapsed_external)} and "
                    f"{self._text(external)}, {now}.",
                    numbered=numbered,
                )
            else:
                self._visit(derived, conclusion=False)
                self._write(
                    incompatibility,
                    f"{conjunction} because {self._text(external)}, {now}.",
                    numbered=numbered,
                )
        else:
            self._write(
                incompatibility,
                f"Because {self._text(conflict)} and {self._text(other)}, {now}.",
                numbered=numbered,
            )

    def _collapsible(self, incompatibility: Incompatibility) -> bool:
        if self._derivations[id(incompatibility)] > 1:
            return False
        cause = incompatibility.cause
        assert isinstance(cause, ConflictCause)
        if cause.conflict.is_derived == cause.other.is_derived:
            return False
        complex_ = cause.conflict if cause.conflict.is_derived else cause.other
        return id(complex_) not in self._numbers

    def _text(self, incompatibility: Incompatibility) -> str:
        if incompatibility.is_derived:
            return self._derived(incompatibility)
        return self._external(incompatibility)

    def _name(self, package: Package, term: Term, *, exact: bool = False) -> str:
        return self._d.describe(package, term.versions, exact=exact)

    def _subject(self, package: Package, term: Term) -> tuple[str, bool]:
        """The package as the subject of a sentence, and whether it reads as plural."""
        if self._d.is_all_versions(package, term.versions):
            return f"all versions of {package}", True
        return self._name(package, term), False

    def _external(self, incompatibility: Incompatibility) -> str:
        cause = incompatibility.cause
        terms = incompatibility.terms
        if isinstance(cause, NotFoundCause):
            ((package, _),) = terms.items()
            return f"{package} was not found in the package index"
        if isinstance(cause, NoVersionsCause):
            ((package, term),) = terms.items()
            return f"there is no usable version of {self._name(package, term, exact=True)}"
        if isinstance(cause, UnavailableCause):
            ((package, term),) = terms.items()
            return f"{self._name(package, term)} {cause.reason}"
        if isinstance(cause, ConstraintCause):
            (package, term), *_ = ((p, t) for p, t in terms.items() if p != self._root)
            allowed = Term(~term.versions)
            return f"you constrain {self._name(package, allowed, exact=True)}"
        if isinstance(cause, DependencyCause):
            depender = next((p, t) for p, t in terms.items() if t.positive)
            dependency = next((p, t) for p, t in terms.items() if not t.positive)
            target = self._name(dependency[0], dependency[1].negate(), exact=True)
            if depender[0] == self._root:
                return f"you require {target}"
            subject, plural = self._subject(*depender)
            return f"{subject} {'depend' if plural else 'depends'} on {target}"
        return self._derived(incompatibility)

    def _derived(self, incompatibility: Incompatibility) -> str:
        terms = [(p, t) for p, t in incompatibility.terms.items()]
        has_root = any(p == self._root and t.positive for p, t in terms)
        others = [(p, t) for p, t in terms if p != self._root]
        if not others:
            return "your requirements are unsatisfiable"
        if len(others) == 1:
            package, term = others[0]
            if has_root:
                if term.positive:
                    if self._d.is_all_versions(package, term.versions):
                        return f"you cannot use {package}"
                    # "you require flask!=3.0.0" reads better than the complement's ranges
                    # when the excluded part is one known version.
                    forbidden = self._name(package, term)
                    single = forbidden.removeprefix(f"{package}==")
                    if single != forbidden and not any(c in single for c in " ,|<>=!"):
                        return f"you require {package}!={single}"
                    return f"you require {self._name(package, Term(~term.versions))}"
                return f"you require {self._name(package, term)}"
            if term.positive:
                if self._d.is_all_versions(package, term.versions):
                    return f"no version of {package} can be used"
                return f"{self._name(package, term)} cannot be used"
            return f"{self._name(package, term)} is required"
        if len(others) == 2 and not has_root:
            positive = [(p, t) for p, t in others if t.positive]
            negative = [(p, t) for p, t in others if not t.positive]
            if len(positive) == 1:
                subject, plural = self._subject(*positive[0])
                target = self._name(negative[0][0], negative[0][1].negate())
                return f"{subject} {'depend' if plural else 'depends'} on {target}"
            if len(positive) == 2:
                return f"{self._name(*positive[0])} and {self._name(*positive[1])} are incompatible"
        parts = [
            self._name(p, t) if t.positive else f"not {self._name(p, t.negate())}"
            for p, t in others
        ]
        prefix = "your requirements and " if has_root else ""
        return f"{prefix}{', '.join(parts[:-1])} and {parts[-1]} are incompatible"


def _single_line(incompatibility: Incompatibility) -> bool:
    cause = incompatibility.cause
    assert isinstance(cause, ConflictCause)
    return not cause.conflict.is_derived and not cause.other.is_derived


def _collapse_no_versions(
    incompatibility: Incompatibility, done: dict[int, Incompatibility]
) -> Incompatibility:
    """Fold "there is no version of p in R" into the fact it was resolved against.

    A derived node learned from `NoVersions(p in R)` and an external fact E that has a positive
    term for p says the same as E with p's range widened to the node's own: "a==1.0.0 requires
    Python>=3.10" instead of a line about the empty gap next to 1.0.0. Only done when the
    node's other terms are E's, so every parent still follows from what is printed.
    """
    key = id(incompatibility)
    if key in done:
        return done[key]
    result = incompatibility
    cause = incompatibility.cause
    if isinstance(cause, ConflictCause):
        conflict = _collapse_no_versions(cause.conflict, done)
        other = _collapse_no_versions(cause.other, done)
        result = Incompatibility(incompatibility.terms.items(), ConflictCause(conflict, other))
        for no_versions, fact in ((conflict, other), (other, conflict)):
            if isinstance(no_versions.cause, NoVersionsCause) and not fact.is_derived:
                (package,) = no_versions.terms
                mine = incompatibility.terms
                if (
                    package in fact.terms
                    and fact.terms[package].positive
                    and mine.keys() == fact.terms.keys()
                    and mine[package].positive
                    and all(mine[p] == t for p, t in fact.terms.items() if p != package)
                ):
                    result = Incompatibility(mine.items(), fact.cause)
                    break
    done[key] = result
    return result
