"""pip check's problems and the dependency graph, from real installed metadata."""

from __future__ import annotations

from pathlib import Path

from packaging.version import Version

from install_wheel import WheelFile, install
from pyfin_installer import Environment, dependency_graph, find_problems
from pyfin_testing.wheels import build_wheel


def test_missing_conflicting_and_python(venv: Environment, tmp_path: Path) -> None:
    out = tmp_path / "more"
    out.mkdir()
    paths = [
        build_wheel(
            out,
            "app",
            "1.0",
            requires=["lib>=2", "gone", "win; sys_platform == 'win32'", "opt; extra == 'x'"],
        ),
        build_wheel(out, "lib", "1.5"),
        build_wheel(out, "future", "1.0", requires_python=">=3.99"),
    ]
    for path in paths:
        install(WheelFile(path), venv.destination())
    inventory = venv.inventory()
    markers = venv.interpreter.markers
    problems = [str(p) for p in find_problems(inventory, markers, Version("3.11.7"))]
    assert problems == [
        "The package `app` requires `lib>=2`, but `1.5` is installed",
        "The package `app` requires `gone`, but it's not installed",
        "The package `future` requires Python >=3.99, but `3.11.7` is installed",
    ]
    graph = dependency_graph(inventory, markers)
    assert {name: [str(r) for r in reqs] for name, reqs in graph.items()} == {
        "app": ["lib>=2", "gone"],
        "future": [],
        "lib": [],
    }
