"""The classic PubGrub examples (Natalie Weizenbaum's solver.md, pubgrub-rs) through `resolve`."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import pytest
from packaging.markers import default_environment
from packaging.requirements import Requirement
from packaging.version import Version

from pyfin_resolver import (
    Candidate,
    InMemoryProvider,
    Metadata,
    ResolutionImpossible,
    TargetEnvironment,
    resolve,
)

Index = Mapping[str, Mapping[str, Sequence[str]]]


def provider(index: Index) -> InMemoryProvider:
    return InMemoryProvider(
        {
            name: [
                (
                    Candidate(Version(version), origin=f"{name}-{version}"),
                    Metadata(requires_dist=tuple(Requirement(r) for r in requires)),
                )
                for version, requires in versions.items()
            ]
            for name, versions in index.items()
        }
    )


def environment() -> TargetEnvironment:
    markers = {key: str(value) for key, value in default_environment().items()}
    return TargetEnvironment(markers, Version("3.12"))


def pins(requirements: Sequence[str], index: Index) -> dict[str, str]:
    resolution = resolve([Requirement(r) for r in requirements], provider(index), environment())
    return {name: str(dist.version) for name, dist in resolution.items()}


def failure(requirements: Sequence[str], index: Index) -> str:
    with pytest.raises(ResolutionImpossible) as caught:
        resolve([Requirement(r) for r in requirements], provider(index), environment())
    return caught.value.report


def test_no_conflicts() -> None:
    index: Index = {
        "foo": {"1.0.0": ["bar>=2.0.0,<3"]},
        "bar": {"1.0.0": [], "2.0.0": [], "2.1.0": []},
    }
    assert pins(["foo>=1.0.0,<2"], index) == {"foo": "1.0.0", "bar": "2.1.0"}


def test_avoiding_conflict_during_decision_making() -> None:
    index: Index = {
        "foo": {"1.0.0": [], "1.1.0": ["bar>=2.0.0,<3"]},
        "bar": {"1.0.0": [], "1.1.0": [], "2.0.0": []},
    }
    assert pins(["foo>=1.0.0,<2", "bar>=1.0.0,<2"], index) == {"foo": "1.0.0", "bar": "1.1.0"}


def test_performing_conflict_resolution() -> None:
    index: Index = {
        "foo": {"1.0.0": [], "2.0.0": ["bar>=1.0.0,<2"]},
        "bar": {"1.0.0": ["foo>=1.0.0,<2"]},
    }
    assert pins(["foo>=1.0.0"], index) == {"foo": "1.0.0"}


def test_conflict_resolution_with_a_partial_satisfier() -> None:
    index: Index = {
        "foo": {"1.0.0": [], "1.1.0": ["left>=1.0.0,<2", "right>=1.0.0,<2"]},
        "left": {"1.0.0": ["shared>=1.0.0"]},
        "right": {"1.0.0": ["shared<2.0.0"]},
        "shared": {"1.0.0": ["target>=1.0.0,<2"], "2.0.0": []},
        "target": {"1.0.0": [], "2.0.0": []},
    }
    assert pins(["foo>=1.0.0,<2", "target>=2.0.0,<3"], index) == {
        "foo": "1.0.0",
        "target": "2.0.0",
    }


def test_linear_error_reporting() -> None:
    index: Index = {
        "foo": {"1.0.0": ["bar>=2.0.0,<3"]},
        "bar": {"2.0.0": ["baz>=3.0.0,<4"]},
        "baz": {"1.0.0": [], "3.0.0": []},
    }
    assert failure(["foo>=1.0.0,<2", "baz>=1.0.0,<2"], index) == (
        "Because all versions of foo depend on bar>=2.0.0,<3 and all versions of bar depend on"
        " baz>=3.0.0,<4, we can conclude that all versions of foo depend on baz==3.0.0.\n"
        "And because you require foo>=1.0.0,<2 and you require baz>=1.0.0,<2, we can conclude"
        " that your requirements are unsatisfiable."
    )


def test_branching_error_reporting() -> None:
    index: Index = {
        "foo": {"1.0.0": ["a>=1.0.0,<2", "b>=1.0.0,<2"], "1.1.0": ["x>=1.0.0,<2", "y>=1.0.0,<2"]},
        "a": {"1.0.0": ["b>=2.0.0,<3"]},
        "b": {"1.0.0": [], "2.0.0": []},
        "x": {"1.0.0": ["y>=2.0.0,<3"]},
        "y": {"1.0.0": [], "2.0.0": []},
    }
    assert failure(["foo>=1.0.0,<2"], index) == (
        "Because all versions of a depend on b>=2.0.0,<3 and foo==1.0.0 depends on a>=1.0.0,<2,"
        " we can conclude that foo==1.0.0 depends on b==2.0.0.\n"
        "So, because foo==1.0.0 depends on b>=1.0.0,<2, we can conclude that foo==1.0.0 cannot"
        " be used. (1)\n"
        "\n"
        "Because all versions of x depend on y>=2.0.0,<3 and foo==1.1.0 depends on x>=1.0.0,<2,"
        " we can conclude that foo==1.1.0 depends on y==2.0.0.\n"
        "And because foo==1.1.0 depends on y>=1.0.0,<2, we can conclude that foo==1.1.0 cannot"
        " be used.\n"
        "And because foo==1.0.0 cannot be used (1), we can conclude that no version of foo can"
        " be used.\n"
        "And because you require foo>=1.0.0,<2, we can conclude that your requirements are"
        " unsatisfiable."
    )
