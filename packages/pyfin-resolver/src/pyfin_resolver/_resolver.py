"""Python packaging on top of the PubGrub core: extras, markers, Requires-Python, pre-releases,
yanked versions, constraints, overrides, preferences and resolution modes.

Packages seen by the solver are `_Package(name)` and, for each requested extra, a virtual
`_Package(name, extra)` pinned to the same version as `name` and carrying the extra's
requirements. The root (`_ROOT`) has one version and depends on the user's requirements.
"""

from __future__ import annotations

import functools
import itertools
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from packaging.ranges import VersionRange
from packaging.requirements import Requirement
from packaging.specifiers import SpecifierSet
from packaging.utils import NormalizedName, canonicalize_name
from packaging.version import Version

from pyfin_resolver._describe import format_range, format_specifiers
from pyfin_resolver._errors import ResolutionImpossible, UnsupportedRequirement
from pyfin_resolver._options import (
    PrereleaseMode,
    ResolutionMode,
    ResolverOptions,
    TargetEnvironment,
)
from pyfin_resolver._provider import Candidate, Metadata, Provider, Unavailable
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
from pyfin_resolver._pubgrub._partial_solution import PartialSolution
from pyfin_resolver._pubgrub._report import explain
from pyfin_resolver._pubgrub._solver import ROOT_VERSION, NoSolution, Solver
from pyfin_resolver._pubgrub._term import Term, full_range
from pyfin_traits import Resolution, ResolvedDist, Via


@dataclass(frozen=True, slots=True)
class _Package:
    name: NormalizedName
    extra: NormalizedName | None = None

    def __str__(self) -> str:
        return self.name if self.extra is None else f"{self.name}[{self.extra}]"


class _Root:
    __slots__ = ()

    def __str__(self) -> str:
        return "your requirements"


_ROOT = _Root()
_COUNT_CAP = 100
_PREFETCH_BATCH = 50


def resolve(
    requirements: Sequence[Requirement],
    provider: Provider,
    environment: TargetEnvironment,
    *,
    constraints: Sequence[Requirement] = (),
    overrides: Sequence[Requirement] = (),
    options: ResolverOptions | None = None,
) -> Resolution:
    """Pin one version of every package needed by `requirements` for `environment`.

    `constraints` restrict a package's versions only if something else requires it;
    `overrides` replace every requirement on their package (the user's and all transitive
    ones). Raises `ResolutionImpossible` with a plain-English proof when no solution exists,
    `UnsupportedRequirement` for direct-URL requirements; provider errors propagate unchanged.
    Cost: one `provider.candidates` call per package met, one `provider.metadata` call per
    version tried.
    """
    source = _Source(
        provider, environment, options or ResolverOptions(), requirements, constraints, overrides
    )
    solver = Solver(_ROOT, source)
    try:
        decisions = solver.solve()
    except NoSolution as failure:
        report = explain(failure.incompatibility, _ROOT, source)
        raise ResolutionImpossible(
            report, source.hints(failure.incompatibility), failure.incompatibility
        ) from failure
    return source.resolution(decisions)


def _range(specifier: SpecifierSet) -> VersionRange:
    """The versions `specifier` accepts, pre-releases included (policy is applied per candidate).

    Intersecting with `full_range()` drops packaging's "admits arbitrary strings" flag, which
    would otherwise make `SpecifierSet("")` a strict superset of every other full range.
    """
    return _range_of(str(specifier))


@functools.lru_cache(maxsize=4096)
def _range_of(specifier: str) -> VersionRange:
    # Keyed by text, not by SpecifierSet: equal sets ("<3", "<3.0.0") must keep their own
    # spelling, which the range remembers for messages.
    return SpecifierSet(specifier, prereleases=True).to_range() & full_range()


class _Source:
    """Implements the solver's `Source` protocol for Python packages (see module docstring)."""

    def __init__(  # noqa: PLR0917 - private, one call site
        self,
        provider: Provider,
        environment: TargetEnvironment,
        options: ResolverOptions,
        requirements: Sequence[Requirement],
        constraints: Sequence[Requirement],
        overrides: Sequence[Requirement],
    ) -> None:
        self._provider = provider
        self._env = environment
        self._options = options
        self._python_floor = VersionRange.from_bounds(
            None, environment.python_version, prereleases=True
        )
        self._overrides: dict[NormalizedName, list[Requirement]] = {}
        for requirement in overrides:
            self._overrides.setdefault(canonicalize_name(requirement.name), []).append(requirement)
        user = [*requirements, *constraints, *overrides]
        for requirement in user:
            if requirement.url:
                raise UnsupportedRequirement(
                    str(requirement), "direct URL requirements are not supported yet"
                )
        self._direct = {canonicalize_name(r.name) for r in requirements}
        self._explicit_prereleases = {
            canonicalize_name(r.name)
            for r in user
            if any(
                Version(s.version.rstrip(".*")).is_prerelease
                for s in r.specifier
                if s.operator != "==="
            )
        }
        self._pinned: set[tuple[NormalizedName, str]] = {
            (canonicalize_name(r.name), spec.version)
            for r in user
            for spec in r.specifier
            if spec.operator in ("==", "===") and not spec.version.endswith(".*")
        }
        self._preferences = {
            canonicalize_name(name): version for name, version in options.preferences.items()
        }
        self._root_requirements = [r for r in requirements if self._applies(r, None)]
        self._constraints = [r for r in constraints if self._applies(r, None)]
        self._candidates: dict[NormalizedName, list[Candidate] | None] = {}
        self._metadata: dict[tuple[NormalizedName, Version], Metadata | Unavailable] = {}
        self._requirements_of: dict[tuple[Package, Version], list[Requirement]] = {}
        self._merged: dict[tuple[Package, Package, VersionRange], Incompatibility] = {}
        self._counts: dict[Package, tuple[VersionRange, int]] = {}
        self._prefetched: set[tuple[NormalizedName, Version | None]] = set()
        self._order: dict[Package, int] = {}
        self._selectable_cache: dict[NormalizedName, list[Candidate]] = {}
        self._listed: dict[NormalizedName, list[Version]] = {}
        self._positions: dict[NormalizedName, dict[Version, int]] = {}
        self._tried: dict[NormalizedName, int] = {}
        self._missing_extras: set[tuple[NormalizedName, Version, NormalizedName]] = set()

    # -- data access (cached) --------------------------------------------------------------

    def _candidates_of(self, name: NormalizedName) -> list[Candidate] | None:
        if name not in self._candidates:
            found = self._provider.candidates(name)
            self._candidates[name] = (
                None if found is None else sorted(found, key=lambda c: c.version)
            )
        return self._candidates[name]

    def _metadata_of(self, name: NormalizedName, candidate: Candidate) -> Metadata | Unavailable:
        key = (name, candidate.version)
        if key not in self._metadata:
            self._metadata[key] = self._provider.metadata(name, candidate)
        return self._metadata[key]

    def _prefetch(self, name: NormalizedName, versions: Sequence[Version]) -> None:
        """Pass on a hint once: the candidate list of `name`, and metadata of `versions`."""
        fresh = [v for v in versions if (name, v) not in self._prefetched]
        if (name, None) in self._prefetched and not fresh:
            return
        self._prefetched.add((name, None))
        self._prefetched.update((name, v) for v in fresh)
        self._provider.prefetch(name, fresh)

    # -- candidate policy -------------------------------------------------------------------

    def _applies(self, requirement: Requirement, extra: NormalizedName | None) -> bool:
        if requirement.marker is None:
            return True
        environment = {**self._env.markers, "extra": extra or ""}
        return requirement.marker.evaluate(environment)

    def _prereleases_allowed(self, name: NormalizedName, candidates: Sequence[Candidate]) -> bool:
        mode = self._options.prereleases
        if mode is PrereleaseMode.ALLOW:
            return True
        if mode is PrereleaseMode.DISALLOW:
            return False
        explicit = name in self._explicit_prereleases
        necessary = all(c.version.is_prerelease for c in candidates)
        if mode is PrereleaseMode.EXPLICIT:
            return explicit
        if mode is PrereleaseMode.IF_NECESSARY:
            return necessary
        return explicit or necessary

    def _yank_allowed(self, name: NormalizedName, version: Version) -> bool:
        return any(
            pinned_name == name and _same_version(pinned, version)
            for pinned_name, pinned in self._pinned
        )

    def _selectable(self, name: NormalizedName) -> list[Candidate]:
        """Candidates that pre-release and yank policy allow, best first (computed once)."""
        cached = self._selectable_cache.get(name)
        if cached is None:
            cached = self._selectable_cache[name] = self._order_candidates(name)
        return cached

    def _order_candidates(self, name: NormalizedName) -> list[Candidate]:
        candidates = self._candidates_of(name) or []
        prereleases = self._prereleases_allowed(name, candidates)
        allowed = [
            c
            for c in candidates
            if (prereleases or not c.version.is_prerelease)
            and (not c.yanked or self._yank_allowed(name, c.version))
        ]
        mode = self._options.resolution
        lowest = mode is ResolutionMode.LOWEST or (
            mode is ResolutionMode.LOWEST_DIRECT and name in self._direct
        )
        if not lowest:
            allowed.reverse()
        preferred = self._preferences.get(name)
        if preferred is not None:
            allowed.sort(key=lambda c: c.version != preferred)
        return allowed

    def _python_ok(self, requires_python: SpecifierSet | None) -> bool:
        if requires_python is None:
            return True
        return not (_range(requires_python) & self._python_floor).is_empty

    # -- the solver's Source protocol -----------------------------------------------------

    def choose_package(self, undecided: Sequence[Package], solution: PartialSolution) -> Package:
        def priority(package: Package) -> tuple[int, int, int, int]:
            self._order.setdefault(package, len(self._order))
            if not isinstance(package, _Package):
                return (0, 0, 0, self._order[package])
            term = solution.term(package)
            assert term is not None
            cached = self._counts.get(package)
            if cached is not None and cached[0] is term.versions:
                count = cached[1]
            else:
                # Counting stops at a cap: beyond it, "many" is all the heuristic needs.
                matching = itertools.islice(
                    (c for c in self._selectable(package.name) if c.version in term.versions),
                    _COUNT_CAP,
                )
                first = next(matching, None)
                count = 0 if first is None else 1 + sum(1 for _ in matching)
                self._counts[package] = (term.versions, count)
                if first is not None:
                    self._prefetch(package.name, [first.version])
            direct = package.name in self._direct
            return (0 if count <= 1 else 1, 0 if direct else 1, count, self._order[package])

        return min(undecided, key=priority)

    def choose_version(
        self, package: Package, versions: VersionRange
    ) -> Version | Incompatibility | None:
        if not isinstance(package, _Package):
            return ROOT_VERSION
        candidates = self._candidates_of(package.name)
        if candidates is None:
            return Incompatibility([(package, Term(full_range()))], NotFoundCause())
        in_range = (c for c in self._selectable(package.name) if c.version in versions)
        for candidate in in_range:
            single = VersionRange.singleton(candidate.version, prereleases=True)
            if candidate.unavailable is not None:
                return Incompatibility(
                    [(package, Term(single))], UnavailableCause(candidate.unavailable)
                )
            if not self._python_ok(candidate.requires_python):
                return self._python_incompatibility(package, single, candidate.requires_python)
            metadata = self._metadata_of(package.name, candidate)
            if isinstance(metadata, Unavailable):
                return Incompatibility([(package, Term(single))], UnavailableCause(metadata.reason))
            if not self._python_ok(metadata.requires_python):
                return self._python_incompatibility(package, single, metadata.requires_python)
            tried = self._tried[package.name] = self._tried.get(package.name, 0) + 1
            if tried > 1:
                # Walking down the versions of one package (boto3 against botocore): ask the
                # provider for the next batch at once so it can fetch them in parallel.
                batch = itertools.islice(in_range, _PREFETCH_BATCH)
                self._prefetch(package.name, [c.version for c in batch])
            return candidate.version
        return None

    def _python_incompatibility(
        self, package: Package, versions: VersionRange, requires_python: SpecifierSet | None
    ) -> Incompatibility:
        assert requires_python is not None
        reason = (
            f"requires Python{format_specifiers(requires_python)} "
            f"(the target is Python {self._env.python_version})"
        )
        return Incompatibility([(package, Term(versions))], UnavailableCause(reason))

    def dependencies(self, package: Package, version: Version) -> Sequence[Incompatibility]:
        if not isinstance(package, _Package):
            root = [
                i for r in self._root_requirements for i in self._dependency(package, version, r)
            ]
            return root + [self._constraint(r) for r in self._constraints]
        candidates = self._candidates_of(package.name) or []
        candidate = next(c for c in candidates if c.version == version)
        metadata = self._metadata_of(package.name, candidate)
        assert isinstance(metadata, Metadata)
        base = [r for r in metadata.requires_dist if self._applies(r, None)]
        if package.extra is None:
            requirements = base
        else:
            if package.extra not in metadata.provides_extras:
                self._missing_extras.add((package.name, version, package.extra))
            requirements = [
                r
                for r in metadata.requires_dist
                if r not in base and self._applies(r, package.extra)
            ]
        result: list[Incompatibility] = []
        if package.extra is not None:
            result.append(self._pin_extra_to_base(package, version))
        for requirement in requirements:
            result.extend(self._dependency(package, version, requirement))
        return result

    # -- building incompatibilities -------------------------------------------------------

    def _bucket(self, package: Package, version: Version) -> VersionRange:
        """The versions from `version` up to the next listed one: dependencies stated for them
        merge into ranges like "a>=1.0,<2.0 depends on b" in reports."""
        if not isinstance(package, _Package):
            return full_range()
        listed = self._listed.get(package.name)
        if listed is None:
            listed = self._listed[package.name] = [
                c.version for c in self._candidates_of(package.name) or []
            ]
            self._positions[package.name] = {v: i for i, v in enumerate(listed)}
        index = self._positions[package.name][version]
        lower = version if index > 0 else None
        upper = listed[index + 1] if index + 1 < len(listed) else None
        return VersionRange.from_bounds(lower, upper, include_upper=False, prereleases=True)

    def _pin_extra_to_base(self, package: _Package, version: Version) -> Incompatibility:
        base = _Package(package.name)
        single = VersionRange.singleton(version, prereleases=True)
        return Incompatibility(
            [(package, Term(single)), (base, Term(single, False))], DependencyCause()
        )

    def _dependency(
        self, package: Package, version: Version, requirement: Requirement
    ) -> list[Incompatibility]:
        name = canonicalize_name(requirement.name)
        replaced = self._overrides.get(name)
        if replaced is not None:
            effective = [r for r in replaced if self._applies(r, None)]
        else:
            effective = [requirement]
        result = []
        for actual in effective:
            if actual.url:
                raise UnsupportedRequirement(
                    str(actual), "direct URL requirements are not supported yet"
                )
            self._requirements_of.setdefault((package, version), []).append(actual)
            targets = [_Package(name)] + [
                _Package(name, canonicalize_name(extra)) for extra in sorted(actual.extras)
            ]
            versions = _range(actual.specifier)
            for target in targets:
                if target == package:
                    continue
                self._prefetch(name, ())
                result.append(self._merge(package, version, target, versions))
        return result

    def _merge(
        self, package: Package, version: Version, target: Package, versions: VersionRange
    ) -> Incompatibility:
        key = (package, target, versions)
        bucket = self._bucket(package, version)
        previous = self._merged.get(key)
        if previous is not None:
            bucket = bucket | previous.terms[package].versions
        incompatibility = Incompatibility(
            [(package, Term(bucket)), (target, Term(versions, False))], DependencyCause()
        )
        self._merged[key] = incompatibility
        return incompatibility

    def _constraint(self, requirement: Requirement) -> Incompatibility:
        """{root, name not allowed}: derives "not in the excluded range", which never forces
        the package into the resolution; that is what makes it a constraint."""
        name = canonicalize_name(requirement.name)
        allowed = _range(requirement.specifier)
        return Incompatibility(
            [(_ROOT, Term(full_range())), (_Package(name), Term(~allowed))], ConstraintCause()
        )

    # -- reporting --------------------------------------------------------------------------

    def _known(self, package: Package) -> list[Version]:
        if not isinstance(package, _Package):
            return []
        return [c.version for c in self._candidates.get(package.name) or []]

    def describe(self, package: Package, versions: VersionRange, *, exact: bool) -> str:
        known = self._known(package)
        if not exact and len(known) == 1 and known[0] in versions:
            return f"{package}=={known[0]}"
        if full_range().is_subset(versions):
            return str(package)
        return f"{package}{format_range(versions, known, exact=exact)}"

    def is_all_versions(self, package: Package, versions: VersionRange) -> bool:
        known = self._known(package)
        return bool(known) and all(version in versions for version in known)

    def hints(self, root: Incompatibility) -> tuple[str, ...]:
        """Notes on versions the policy hid from the failed ranges."""
        hints: list[str] = []
        for incompatibility in _externals(root):
            if not isinstance(incompatibility.cause, NoVersionsCause):
                continue
            ((package, term),) = incompatibility.terms.items()
            assert isinstance(package, _Package)
            inside = [
                c for c in self._candidates_of(package.name) or [] if c.version in term.versions
            ]
            candidates = self._candidates_of(package.name) or []
            prereleases = [str(c.version) for c in inside if c.version.is_prerelease]
            if prereleases and not self._prereleases_allowed(package.name, candidates):
                hints.append(
                    f"pre-releases of {package.name} exist in the requested range "
                    f"({', '.join(prereleases)}) but the '{self._options.prereleases.value}' "
                    "pre-release mode does not allow them; allow pre-releases (or, in the "
                    "default mode, name one in the requirement) to use them"
                )
            yanked = [str(c.version) for c in inside if c.yanked]
            if yanked:
                hints.append(
                    f"{package.name} {', '.join(yanked)} {'is' if len(yanked) == 1 else 'are'} "
                    "yanked; a yanked version is used only when a requirement pins it "
                    "exactly (==)"
                )
        for name, version, extra in sorted(self._missing_extras):
            hints.append(f"{name}=={version} does not provide the extra {extra!r}")
        return tuple(dict.fromkeys(hints))

    # -- the result -------------------------------------------------------------------------

    def resolution(self, decisions: Mapping[Package, Version]) -> Resolution:
        via: dict[NormalizedName, list[Via]] = {}
        extras: dict[NormalizedName, set[NormalizedName]] = {}
        for package, version in [(_ROOT, ROOT_VERSION), *decisions.items()]:
            parent = package.name if isinstance(package, _Package) else None
            if isinstance(package, _Package) and package.extra is not None:
                extras.setdefault(package.name, set()).add(package.extra)
            for requirement in self._requirements_of.get((package, version), []):
                name = canonicalize_name(requirement.name)
                entry = Via(parent, requirement)
                if _Package(name) in decisions and entry not in via.get(name, []):
                    via.setdefault(name, []).append(entry)
        dists = []
        for package, version in decisions.items():
            if not isinstance(package, _Package) or package.extra is not None:
                continue
            candidate = next(
                c for c in self._candidates_of(package.name) or [] if c.version == version
            )
            dists.append(
                ResolvedDist(
                    name=package.name,
                    version=version,
                    origin=candidate.origin,
                    extras=frozenset(extras.get(package.name, ())),
                    via=tuple(via.get(package.name, ())),
                )
            )
        return Resolution(tuple(dists))


def _same_version(pinned: str, version: Version) -> bool:
    try:
        return Version(pinned) == version
    except ValueError:
        return pinned.lower() == str(version).lower()


def _externals(root: Incompatibility) -> Iterable[Incompatibility]:
    """The leaves of the derivation tree (facts, not learned incompatibilities)."""
    stack, seen = [root], set()
    while stack:
        current = stack.pop()
        if id(current) in seen:
            continue
        seen.add(id(current))
        if isinstance(current.cause, ConflictCause):
            stack += [current.cause.conflict, current.cause.other]
        else:
            yield current
