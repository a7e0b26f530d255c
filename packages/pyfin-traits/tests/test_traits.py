"""pyfin_traits: the public surface, the Resolution value type, and the protocols' shape."""

from __future__ import annotations

from pathlib import Path

import pytest
from packaging.requirements import Requirement
from packaging.utils import NormalizedName, canonicalize_name
from packaging.version import Version

import pyfin_traits
from pyfin_cache import Cache
from pyfin_interpreter import Interpreter
from pyfin_traits import BuildContext, Resolution, ResolvedDist, SourceBuild, Via


def test_all() -> None:
    assert sorted(pyfin_traits.__all__) == [
        "BuildContext",
        "Resolution",
        "ResolvedDist",
        "SourceBuild",
        "Via",
    ]


def dist(name: str, version: str, **kwargs: object) -> ResolvedDist:
    return ResolvedDist(canonicalize_name(name), Version(version), **kwargs)  # type: ignore[arg-type]


def test_resolution_is_a_sorted_read_only_mapping() -> None:
    via = (Via(None, Requirement("flask>=3")),)
    resolution = Resolution((dist("werkzeug", "3.0.1"), dist("flask", "3.0.0", via=via)))
    assert list(resolution) == ["flask", "werkzeug"]
    assert resolution["Flask"].via == via
    assert len(resolution) == 2
    assert resolution.pins() == {"flask": Version("3.0.0"), "werkzeug": Version("3.0.1")}
    assert "django" not in resolution
    with pytest.raises(KeyError):
        resolution["django"]
    assert resolution == Resolution((dist("flask", "3.0.0", via=via), dist("werkzeug", "3.0.1")))
    assert hash(resolution) == hash(Resolution(resolution.dists))


class RefusingContext:
    """A BuildContext that refuses to build, as the resolver's tests use."""

    def __init__(self, cache: Cache, interpreter: Interpreter) -> None:
        self._cache = cache
        self._interpreter = interpreter

    @property
    def cache(self) -> Cache:
        return self._cache

    @property
    def interpreter(self) -> Interpreter:
        return self._interpreter

    @property
    def no_build(self) -> bool:
        return True

    def resolve(self, requirements: object) -> Resolution:
        return Resolution()

    def install(self, resolution: Resolution, venv: Interpreter) -> None:
        raise RuntimeError("this context installs nothing")

    def setup_build(
        self, source: Path, *, name: NormalizedName | None = None, editable: bool = False
    ) -> SourceBuild:
        raise RuntimeError(f"building {name or source} is disabled")


def test_a_test_double_satisfies_the_protocol(tmp_path: Path) -> None:
    def accepts(context: BuildContext) -> bool:
        return context.no_build

    with Cache(tmp_path) as cache:
        context = RefusingContext(cache, None)  # type: ignore[arg-type]
        assert accepts(context)
        with pytest.raises(RuntimeError, match="building pkg is disabled"):
            context.setup_build(tmp_path, name=canonicalize_name("pkg"))
