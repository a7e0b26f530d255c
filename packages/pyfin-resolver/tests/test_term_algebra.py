"""Terms and version ranges against brute force over generated versions (hypothesis)."""

from __future__ import annotations

from collections.abc import Callable

from hypothesis import given, settings
from hypothesis import strategies as st
from packaging.specifiers import SpecifierSet
from packaging.version import Version

from pyfin_resolver._pubgrub._term import Term, empty_range, full_range
from pyfin_resolver._resolver import _range


@st.composite
def versions(draw: st.DrawFn, *, local: bool = True) -> Version:
    release = ".".join(str(draw(st.integers(0, 3))) for _ in range(draw(st.integers(1, 3))))
    text = release
    if draw(st.booleans()):
        text += draw(st.sampled_from(["a", "b", "rc"])) + str(draw(st.integers(0, 2)))
    if draw(st.booleans()):
        text += f".post{draw(st.integers(0, 2))}"
    if draw(st.integers(0, 3)) == 0:
        text += f".dev{draw(st.integers(0, 1))}"
    if local and draw(st.integers(0, 3)) == 0:
        text += "+" + draw(st.sampled_from(["foo", "1", "bar.2"]))
    return Version(text)


@st.composite
def specifiers(draw: st.DrawFn) -> str:
    operator = draw(st.sampled_from(["==", "!=", "<", "<=", ">", ">=", "~=", "==*", "!=*"]))
    if operator in ("==*", "!=*"):
        release = ".".join(str(draw(st.integers(0, 3))) for _ in range(draw(st.integers(1, 2))))
        return f"{operator[:2]}{release}.*"
    if operator == "~=":  # needs at least two release segments
        major, minor = draw(st.integers(0, 3)), draw(st.integers(0, 3))
        suffix = draw(st.sampled_from(["", ".1", "a1", ".post1", ".2rc1"]))
        return f"~={major}.{minor}{suffix}"
    return f"{operator}{draw(versions(local=operator in ('==', '!=')))}"


specifier_sets = st.lists(specifiers(), min_size=0, max_size=3).map(",".join)
samples = st.lists(versions(), min_size=1, max_size=25)


def holds(term: Term) -> Callable[[Version | None], bool]:
    """The term as a predicate over a selection: a version, or None for "not selected"."""
    if term.positive:
        return lambda v: v is not None and v in term.versions
    return lambda v: v is None or v not in term.versions


@settings(max_examples=300, deadline=None)
@given(specifier_sets, samples)
def test_specifier_ranges_match_packaging(spec: str, sample: list[Version]) -> None:
    versions_range = _range(SpecifierSet(spec))
    for version in sample:
        expected = SpecifierSet(spec).contains(version, prereleases=True)
        assert (version in versions_range) == expected, (spec, version)


@st.composite
def terms(draw: st.DrawFn) -> Term:
    return Term(_range(SpecifierSet(draw(specifier_sets))), draw(st.booleans()))


@settings(max_examples=300, deadline=None)
@given(terms(), terms(), samples)
def test_term_operations_match_brute_force(a: Term, b: Term, sample: list[Version]) -> None:
    selections: list[Version | None] = [None, *sample]
    in_a, in_b = holds(a), holds(b)
    intersection = holds(a.intersect(b))
    negation = holds(a.negate())
    difference = holds(a.difference(b))
    for x in selections:
        assert intersection(x) == (in_a(x) and in_b(x))
        assert negation(x) == (not in_a(x))
        assert difference(x) == (in_a(x) and not in_b(x))
    # Exact answers must agree with every sampled witness.
    if a.subset_of(b):
        assert all(in_b(x) for x in selections if in_a(x))
    if a.disjoint(b):
        assert not any(in_a(x) and in_b(x) for x in selections)
    if a.is_empty:
        assert not any(in_a(x) for x in selections)
    # And the algebra's own identities hold exactly.
    assert a.intersect(b).subset_of(a)
    assert a.subset_of(a.intersect(b)) == a.subset_of(b)
    assert a.intersect(a.negate()).is_empty
    assert a.disjoint(b) == a.intersect(b).is_empty


def test_pep440_corner_cases() -> None:
    def members(spec: str, *candidates: str) -> list[str]:
        versions_range = _range(SpecifierSet(spec))
        return [c for c in candidates if Version(c) in versions_range]

    assert members("==1.0", "1.0", "1.0+local", "1.0.post1") == ["1.0", "1.0+local"]
    assert members("!=1.2.*", "1.1.9", "1.2", "1.2.5", "1.2.0.dev0", "1.3") == ["1.1.9", "1.3"]
    assert members("==1.2.*", "1.2.dev0", "1.2", "1.2.9.post1", "1.3.dev0") == [
        "1.2.dev0",
        "1.2",
        "1.2.9.post1",
    ]
    assert members("~=1.4.2", "1.4.1", "1.4.2", "1.4.9", "1.5") == ["1.4.2", "1.4.9"]
    assert members("<2.0", "1.9", "2.0a1", "2.0.dev0") == ["1.9"]
    assert members(">1.0", "1.0.post1", "1.0+local", "1.0.1") == ["1.0.1"]
    assert members("<=1.0", "1.0+local", "1.0.post1") == ["1.0+local"]
    assert members("===1.0", "1.0", "1.0.0") == ["1.0"]


def test_full_and_empty() -> None:
    assert Term(full_range()).negate().intersect(Term(full_range())).is_empty
    assert Term(empty_range()).is_empty
    assert not Term(empty_range(), positive=False).is_empty
    assert Term(full_range()).subset_of(Term(_range(SpecifierSet(""))))
