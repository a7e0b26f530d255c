"""Every packse scenario, resolved with an in-memory provider built from its TOML file."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from packaging.markers import default_environment
from packaging.requirements import Requirement
from packaging.specifiers import SpecifierSet
from packaging.tags import Tag, compatible_tags, cpython_tags, parse_tag
from packaging.utils import canonicalize_name
from packaging.version import Version

from pyfin_resolver import (
    Candidate,
    InMemoryProvider,
    Metadata,
    PrereleaseMode,
    ResolutionImpossible,
    ResolverOptions,
    TargetEnvironment,
    resolve,
)

tomllib = pytest.importorskip("tomllib", reason="reading the scenarios needs Python 3.11+")

SCENARIOS = Path(
    os.environ.get(
        "PYFIN_PACKSE_SCENARIOS", Path(__file__).parents[4] / "shared" / "packse-scenarios"
    )
)
UNIVERSAL = "universal resolution comes in a later wave"


def _load_all() -> list[Any]:
    if not SCENARIOS.is_dir():
        return [pytest.param(None, id="no-scenarios", marks=pytest.mark.skip(str(SCENARIOS)))]
    params = []
    for path in sorted(SCENARIOS.rglob("*.toml")):
        data = tomllib.loads(path.read_text(encoding="utf-8"))
        universal = data.get("resolver_options", {}).get("universal", False)
        marks = [pytest.mark.skip(reason=UNIVERSAL)] if universal else []
        params.append(pytest.param(path, id=data["name"], marks=marks))
    return params


@dataclass(frozen=True, slots=True)
class Scenario:
    """A scenario turned into resolver inputs."""

    name: str
    requirements: list[Requirement]
    provider: InMemoryProvider
    environment: TargetEnvironment
    options: ResolverOptions
    expected: Mapping[str, Any]


def _platform_tags(python: tuple[int, int]) -> set[Tag]:
    """CPython `python` on manylinux x86_64 (glibc 2.17), as uv's x86_64-manylinux2014."""
    platforms = [f"manylinux_2_{minor}_x86_64" for minor in range(17, 4, -1)]
    platforms += ["manylinux2014_x86_64", "manylinux2010_x86_64", "manylinux1_x86_64"]
    platforms.append("linux_x86_64")
    interpreter = f"cp{python[0]}{python[1]}"
    tags = set(cpython_tags(python_version=python, platforms=platforms))
    tags.update(
        compatible_tags(python_version=python, interpreter=interpreter, platforms=platforms)
    )
    return tags


def _names(value: object) -> set[str] | bool:
    if isinstance(value, bool):
        return value
    assert isinstance(value, list)
    return {canonicalize_name(name) for name in value}


def _enabled(setting: set[str] | bool, name: str) -> bool:
    return setting if isinstance(setting, bool) else name in setting or ":all:" in setting


def build(path: Path) -> Scenario:
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    options = data.get("resolver_options", {})
    # Every non-universal scenario targets manylinux x86_64; another platform needs new tags.
    assert options.get("python_platform", "x86_64-manylinux2014") == "x86_64-manylinux2014"
    python_text = options.get("python") or data.get("environment", {}).get("python", "3.12")
    python = Version(python_text)
    markers = {key: str(value) for key, value in default_environment().items()}
    markers.update(
        python_version=f"{python.major}.{python.minor}",
        python_full_version=str(python),
        implementation_name="cpython",
        platform_python_implementation="CPython",
        sys_platform="linux",
        platform_system="Linux",
        platform_machine="x86_64",
        os_name="posix",
    )
    tags = _platform_tags((python.major, python.minor))
    no_binary = _names(options.get("no_binary", False))
    no_build = _names(options.get("no_build", False))
    packages: dict[str, list[tuple[Candidate, Metadata]]] = {}
    for raw_name, package in data.get("packages", {}).items():
        name = canonicalize_name(raw_name)
        entries = packages.setdefault(name, [])
        for raw_version, spec in package.get("versions", {}).items():
            wheel_tags = spec.get("wheel_tags", ["py3-none-any"])
            wheel_listed = spec.get("wheel", True)
            wheel = wheel_listed and not _enabled(no_binary, name)
            wheel = wheel and any(tag in tags for text in wheel_tags for tag in parse_tag(text))
            sdist = spec.get("sdist", True) and not _enabled(no_build, name)
            unavailable = None
            if not (wheel or sdist):
                if spec.get("sdist", True):
                    unavailable = "has only a source distribution and building is disabled"
                elif wheel_listed and _enabled(no_binary, name):
                    unavailable = "has no source distribution and binaries are disabled"
                elif wheel_listed:
                    unavailable = "has no wheel for this platform and no source distribution"
                else:
                    unavailable = "has no files"
            extras = spec.get("extras", {})
            requires = [Requirement(text) for text in spec.get("requires", [])]
            for extra, extra_requires in extras.items():
                for text in extra_requires:
                    requirement = Requirement(text)
                    marker = f'extra == "{extra}"'
                    if requirement.marker is not None:
                        marker = f"({requirement.marker}) and {marker}"
                    requirement.marker = Requirement(f"x; {marker}").marker
                    requires.append(requirement)
            candidate = Candidate(
                version=Version(raw_version),
                requires_python=SpecifierSet(spec.get("requires_python", ">=3.12")),
                yanked=spec.get("yanked", False),
                unavailable=unavailable,
                origin=(name, raw_version),
            )
            metadata = Metadata(
                requires_dist=tuple(requires),
                provides_extras=frozenset(canonicalize_name(extra) for extra in extras),
            )
            entries.append((candidate, metadata))
    prereleases = PrereleaseMode.ALLOW if options.get("prereleases") else None
    return Scenario(
        name=data["name"],
        requirements=[Requirement(text) for text in data["root"].get("requires", [])],
        provider=InMemoryProvider(packages),
        environment=TargetEnvironment(markers, python),
        options=ResolverOptions(prereleases=prereleases or PrereleaseMode.IF_NECESSARY_OR_EXPLICIT),
        expected=data["expected"],
    )


def solve(scenario: Scenario) -> dict[str, str]:
    resolution = resolve(
        scenario.requirements, scenario.provider, scenario.environment, options=scenario.options
    )
    return {name: str(dist.version) for name, dist in resolution.items()}


@pytest.mark.parametrize("path", _load_all())
def test_scenario(path: Path) -> None:
    scenario = build(path)
    if scenario.expected["satisfiable"]:
        pins = solve(scenario)
        expected = scenario.expected.get("packages")
        if expected is not None:
            assert pins == {canonicalize_name(k): v for k, v in expected.items()}
    else:
        with pytest.raises(ResolutionImpossible) as failure:
            solve(scenario)
        assert failure.value.report.endswith("your requirements are unsatisfiable.")


def _scenario_error(name: str) -> str:
    (path,) = SCENARIOS.rglob(f"{name}.toml")
    with pytest.raises(ResolutionImpossible) as failure:
        solve(build(path))
    return str(failure.value)


# The full message a user sees, for a representative set of failures.
SNAPSHOTS = {
    "backtrack-to-missing-package": (
        "No solution found when resolving dependencies:\n"
        "Because a==1.0.0 depends on c and c was not found in the package index, we can conclude"
        " that a==1.0.0 cannot be used.\n"
        "And because all versions of b depend on a==1.0.0 and you require b, we can conclude"
        " that your requirements are unsatisfiable."
    ),
    "dependency-excludes-non-contiguous-range-of-compatible-versions": (
        "No solution found when resolving dependencies:\n"
        "Because c==1.0.0 depends on a<2.0.0 and a==1.0.0 depends on b==1.0.0, we can conclude"
        " that c==1.0.0 depends on b==1.0.0.\n"
        "And because c==2.0.0 depends on a>=3.0.0 and a==3.0.0 depends on b==3.0.0, we can"
        " conclude that all versions of c depend on b!=2.0.0.\n"
        "And because you require b>=2.0.0,<3.0.0 and you require c, we can conclude that your"
        " requirements are unsatisfiable."
    ),
    "excluded-only-compatible-version": (
        "No solution found when resolving dependencies:\n"
        "Because a==3.0.0 depends on b==3.0.0 and a==1.0.0 depends on b==1.0.0, we can conclude"
        " that a!=2.0.0 depends on b!=2.0.0.\n"
        "And because you require a!=2.0.0 and you require b>=2.0.0,<3.0.0, we can conclude that"
        " your requirements are unsatisfiable."
    ),
    "extra-incompatible-with-root": (
        "No solution found when resolving dependencies:\n"
        "Because all versions of a[extra] depend on b==1.0.0 and you require a[extra], we can"
        " conclude that you require b==1.0.0.\n"
        "And because you require b==2.0.0, we can conclude that your requirements are"
        " unsatisfiable."
    ),
    "local-transitive-greater-than": (
        "No solution found when resolving dependencies:\n"
        "Because all versions of a depend on b>2.0.0 and you require a, we can conclude that you"
        " require b>2.0.0.\n"
        "And because you require b==2.0.0+foo, we can conclude that your requirements are"
        " unsatisfiable."
    ),
    "package-only-prereleases-in-range": (
        "No solution found when resolving dependencies:\n"
        "Because there is no usable version of a>0.1.0 and you require a>0.1.0, we can conclude"
        " that your requirements are unsatisfiable.\n"
        "hint: pre-releases of a exist in the requested range (1.0.0a1) but the"
        " 'if-necessary-or-explicit' pre-release mode does not allow them; allow pre-releases"
        " (or, in the default mode, name one in the requirement) to use them"
    ),
    "python-greater-than-current-excluded": (
        "No solution found when resolving dependencies:\n"
        "Because a==2.0.0 requires Python>=3.10 (the target is Python 3.9) and a==3.0.0 requires"
        " Python>=3.11 (the target is Python 3.9), we can conclude that a>=2.0.0,<=3.0.0 cannot"
        " be used.\n"
        "And because a==4.0.0 requires Python>=3.12 (the target is Python 3.9) and you require"
        " a>=2.0.0, we can conclude that your requirements are unsatisfiable."
    ),
    "no-sdist-no-wheels-with-matching-platform": (
        "No solution found when resolving dependencies:\n"
        "Because a==1.0.0 has no wheel for this platform and no source distribution and you"
        " require a, we can conclude that your requirements are unsatisfiable."
    ),
    "transitive-yanked-and-unyanked-dependency": (
        "No solution found when resolving dependencies:\n"
        "Because all versions of a depend on c==2.0.0 and there is no usable version of"
        " c==2.0.0, we can conclude that no version of a can be used.\n"
        "And because you require a, we can conclude that your requirements are unsatisfiable.\n"
        "hint: c 2.0.0 is yanked; a yanked version is used only when a requirement pins it"
        " exactly (==)"
    ),
    "requires-package-does-not-exist": (
        "No solution found when resolving dependencies:\n"
        "Because a was not found in the package index and you require a, we can conclude that"
        " your requirements are unsatisfiable."
    ),
    "only-wheels-no-binary": (
        "No solution found when resolving dependencies:\n"
        "Because a==1.0.0 has no source distribution and binaries are disabled and you require"
        " a, we can conclude that your requirements are unsatisfiable."
    ),
}


@pytest.mark.parametrize("name", sorted(SNAPSHOTS))
def test_failure_message(name: str) -> None:
    if not SCENARIOS.is_dir():
        pytest.skip(str(SCENARIOS))
    assert _scenario_error(name) == SNAPSHOTS[name]
