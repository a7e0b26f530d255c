"""Resolver options and results: modes, preferences, constraints, overrides, markers, extras,
Requires-Python, unavailable metadata, provider traffic and `# via` data."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import pytest
from packaging.markers import default_environment
from packaging.requirements import Requirement
from packaging.specifiers import SpecifierSet
from packaging.utils import canonicalize_name
from packaging.version import Version

from pyfin_resolver import (
    Candidate,
    InMemoryProvider,
    Metadata,
    PrereleaseMode,
    ResolutionImpossible,
    ResolutionMode,
    ResolverError,
    ResolverOptions,
    TargetEnvironment,
    Unavailable,
    UnsupportedRequirement,
    resolve,
)
from pyfin_traits import Via

INDEX: Mapping[str, Mapping[str, Sequence[str]]] = {
    "app": {"1.0": ["lib>=1", "tool; sys_platform == 'win32'"], "2.0": ["lib>=2"]},
    "lib": {"1.0": [], "1.5": [], "2.0": [], "2.1": [], "3.0b1": []},
    "tool": {"1.0": []},
    "web": {"1.0": ["lib", "speed>=1; extra == 'fast'"]},
    "speed": {"1.0": ["lib<2"], "2.0": []},
}


def provider(index: Mapping[str, Mapping[str, Sequence[str]]] = INDEX) -> InMemoryProvider:
    return InMemoryProvider(
        {
            name: [
                (
                    Candidate(Version(version), origin=f"{name}-{version}.whl"),
                    Metadata(
                        requires_dist=tuple(Requirement(r) for r in requires),
                        provides_extras=frozenset(
                            canonicalize_name(r.split("extra == '")[1].rstrip("'"))
                            for r in requires
                            if "extra ==" in r
                        ),
                    ),
                )
                for version, requires in versions.items()
            ]
            for name, versions in index.items()
        }
    )


def env(python: str = "3.12", **markers: str) -> TargetEnvironment:
    environment = {key: str(value) for key, value in default_environment().items()}
    environment.update(sys_platform="linux", python_version=python, python_full_version=python)
    environment.update(markers)
    return TargetEnvironment(environment, Version(python))


def pins(
    requirements: Sequence[str], *, source: InMemoryProvider | None = None, **kwargs: object
) -> dict[str, str]:
    options = kwargs.pop("options", None)
    assert options is None or isinstance(options, ResolverOptions)
    resolution = resolve(
        [Requirement(r) for r in requirements],
        source or provider(),
        env(),
        options=options,
        constraints=[Requirement(r) for r in kwargs.pop("constraints", ())],  # type: ignore[attr-defined]
        overrides=[Requirement(r) for r in kwargs.pop("overrides", ())],  # type: ignore[attr-defined]
    )
    return {name: str(dist.version) for name, dist in resolution.items()}


def test_highest_is_the_default_and_skips_prereleases() -> None:
    assert pins(["app"]) == {"app": "2.0", "lib": "2.1"}


@pytest.mark.parametrize(
    ("mode", "expected"),
    [
        (ResolutionMode.LOWEST, {"app": "1.0", "lib": "1.0"}),
        (ResolutionMode.LOWEST_DIRECT, {"app": "1.0", "lib": "2.1"}),
    ],
)
def test_resolution_modes(mode: ResolutionMode, expected: dict[str, str]) -> None:
    assert pins(["app"], options=ResolverOptions(resolution=mode)) == expected


def test_preferences_are_tried_first_but_never_forced() -> None:
    preferred = ResolverOptions(preferences={"lib": Version("1.5"), "app": Version("9")})
    assert pins(["app<2"], options=preferred) == {"app": "1.0", "lib": "1.5"}
    assert pins(["app>=2"], options=preferred) == {"app": "2.0", "lib": "2.1"}


def test_prerelease_modes() -> None:
    allow = ResolverOptions(prereleases=PrereleaseMode.ALLOW)
    assert pins(["lib"], options=allow) == {"lib": "3.0b1"}
    assert pins(["lib>=3.0a1"]) == {"lib": "3.0b1"}
    assert pins(["lib>=3.0a1"], options=ResolverOptions(prereleases=PrereleaseMode.EXPLICIT)) == {
        "lib": "3.0b1"
    }
    for mode in (PrereleaseMode.IF_NECESSARY, PrereleaseMode.DISALLOW):
        with pytest.raises(ResolutionImpossible) as failure:
            pins(["lib>=3.0a1"], options=ResolverOptions(prereleases=mode))
        assert failure.value.hints == (
            f"pre-releases of lib exist in the requested range (3.0b1) but the '{mode.value}'"
            " pre-release mode does not allow them; allow pre-releases (or, in the default mode,"
            " name one in the requirement) to use them",
        )


def test_constraints_apply_only_to_required_packages() -> None:
    assert pins(["app"], constraints=["lib<2", "tool==1.0"]) == {"app": "1.0", "lib": "1.5"}


def test_constraint_conflict_is_explained() -> None:
    with pytest.raises(ResolutionImpossible) as failure:
        pins(["lib>=2"], constraints=["lib<2"])
    assert failure.value.report == (
        "Because you require lib>=2 and you constrain lib<2, we can conclude that your"
        " requirements are unsatisfiable."
    )


def test_overrides_replace_every_requirement_on_a_package() -> None:
    assert pins(["app==2.0", "lib>=2"], overrides=["lib==1.0"]) == {"app": "2.0", "lib": "1.0"}


def test_markers_are_evaluated_against_the_target() -> None:
    windows = env(sys_platform="win32")
    resolution = resolve([Requirement("app==1.0")], provider(), windows)
    assert set(resolution) == {"app", "lib", "tool"}
    assert set(resolve([Requirement("app==1.0")], provider(), env())) == {"app", "lib"}


def test_extras_are_virtual_packages_pinned_to_their_base() -> None:
    requirements = [Requirement("web[fast]"), Requirement("speed<2")]
    resolution = resolve(requirements, provider(), env())
    assert resolution.pins() == {
        "lib": Version("1.5"),
        "speed": Version("1.0"),
        "web": Version("1.0"),
    }
    assert resolution["web"].extras == {"fast"}
    assert resolution["web"].origin == "web-1.0.whl"
    assert set(resolution["lib"].via) == {
        Via(canonicalize_name("web"), Requirement("lib")),
        Via(canonicalize_name("speed"), Requirement("lib<2")),
    }
    assert resolution["web"].via == (Via(None, Requirement("web[fast]")),)
    assert resolution["speed"].via == (
        Via(None, Requirement("speed<2")),
        Via(canonicalize_name("web"), Requirement("speed>=1; extra == 'fast'")),
    )


def test_missing_extra_is_ignored_and_hinted_on_failure() -> None:
    assert pins(["lib[nope]"]) == {"lib": "2.1"}
    source = provider({"solo": {"1.0": []}, "late": {"1.0": ["solo>1"], "2.0": ["solo>1"]}})
    with pytest.raises(ResolutionImpossible) as failure:
        pins(["solo[nope]", "late"], source=source)
    assert failure.value.hints == ("solo==1.0 does not provide the extra 'nope'",)


def test_a_derived_exclusion_reads_as_a_requirement() -> None:
    with pytest.raises(ResolutionImpossible) as failure:
        pins(["lib==2.1", "speed==1.0"])
    assert failure.value.report == (
        "Because speed==1.0 depends on lib<2 and you require lib==2.1, we can conclude that you"
        " require speed!=1.0.\n"
        "And because you require speed==1.0, we can conclude that your requirements are"
        " unsatisfiable."
    )


def test_requires_python_uses_the_lower_bound_only() -> None:
    def candidate(version: str, requires_python: str) -> tuple[Candidate, Metadata]:
        return Candidate(Version(version), SpecifierSet(requires_python)), Metadata()

    source = InMemoryProvider({"old": [candidate("1.0", "<=3.8"), candidate("2.0", ">=3.13")]})
    assert resolve([Requirement("old")], source, env("3.12")).pins() == {"old": Version("1.0")}


def test_unavailable_metadata_is_a_reason_not_a_crash() -> None:
    source = InMemoryProvider(
        {
            "pkg": [
                (Candidate(Version("1.0")), Metadata()),
                (Candidate(Version("2.0")), Unavailable("could not be built: no compiler")),
            ]
        }
    )
    assert resolve([Requirement("pkg")], source, env()).pins() == {"pkg": Version("1.0")}
    with pytest.raises(ResolutionImpossible) as failure:
        resolve([Requirement("pkg>=2")], source, env())
    assert failure.value.report == (
        "Because pkg==2.0 could not be built: no compiler and you require pkg>=2, we can"
        " conclude that your requirements are unsatisfiable."
    )


def test_provider_is_asked_once_and_given_prefetch_hints() -> None:
    source = provider()
    pins(["app", "web"], source=source)
    assert source.calls["candidates"] == 3  # app, web, lib
    assert source.calls["metadata"] == 3
    hinted = {name for name, _ in source.prefetched}
    assert {"app", "web", "lib"} <= hinted


def test_direct_urls_are_rejected_with_a_clear_error() -> None:
    with pytest.raises(UnsupportedRequirement) as failure:
        pins(["pkg @ https://example.invalid/pkg-1.0.tar.gz"])
    assert isinstance(failure.value, ResolverError)
    assert str(failure.value) == (
        "cannot resolve 'pkg @ https://example.invalid/pkg-1.0.tar.gz': direct URL requirements"
        " are not supported yet"
    )


def test_walking_down_versions_prefetches_the_next_batch() -> None:
    boto3 = {f"1.{i}.0": [f"botocore>=1.{i}.0,<1.{i + 1}.0"] for i in range(80)}
    botocore: dict[str, list[str]] = {f"1.{i}.0": [] for i in range(80)}
    source = provider({"boto3": boto3, "botocore": botocore})
    assert pins(["boto3", "botocore<1.3"], source=source) == {
        "boto3": "1.2.0",
        "botocore": "1.2.0",
    }
    batches = [versions for name, versions in source.prefetched if name == "boto3"]
    assert max(len(batch) for batch in batches) == 50
    hinted = [version for batch in batches for version in batch]
    assert len(hinted) == len(set(hinted))  # each version is hinted once
