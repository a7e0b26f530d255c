"""Helpers of the `pyfin pip` commands: tree and column rendering, timings, requirement lines."""

from __future__ import annotations

from pathlib import Path

import pytest
from packaging.requirements import Requirement

from pyfin._cli import main
from pyfin._commands.pip import PIP_COMMANDS
from pyfin._commands.pip._shared import elapsed, packages, wanted_from_entries
from pyfin._commands.pip.list import format_columns
from pyfin._commands.pip.tree import render_tree
from pyfin._requirements_txt import RequirementEntry, SourceLocation, UnnamedRequirement
from pyfin_installer import NeedsBuild

HERE = SourceLocation("req.txt", 1)
MARKERS = {"python_version": "3.11", "sys_platform": "linux"}


def test_shared_subtrees_are_shown_once() -> None:
    edges = {"a": ["b", "c"], "b": ["d"], "c": ["b"], "d": []}
    versions = {"a": "1", "b": "2", "c": "3", "d": "4"}
    assert render_tree(edges, versions, ["a"], depth=255) == [
        "a v1",
        "├── b v2",
        "│   └── d v4",
        "└── c v3",
        "    └── b v2 (*)",
        "(*) Package tree already displayed",
    ]


def test_cycles_end() -> None:
    edges = {"a": ["b"], "b": ["a"]}
    assert render_tree(edges, {"a": "1", "b": "1"}, ["a"], depth=9) == [
        "a v1",
        "└── b v1",
        "    └── a v1 (*)",
        "(*) Package tree already displayed",
    ]


def test_columns() -> None:
    assert format_columns(["Package", "Version"], [["a-long-name", "1"], ["b", "10.0"]]) == [
        "Package     Version",
        "----------- -------",
        "a-long-name 1",
        "b           10.0",
    ]


def test_elapsed_and_counts() -> None:
    assert elapsed(0.0123) == "12ms"
    assert elapsed(1.234) == "1.23s"
    assert packages(1) == "1 package"
    assert packages(2) == "2 packages"


def test_requirement_lines_become_wanted(tmp_path: Path) -> None:
    wheel = tmp_path / "Demo_Pkg-1.0-py3-none-any.whl"
    entries = [
        RequirementEntry(Requirement("Foo==1.0"), HERE, hashes=("sha256:" + "a" * 64,)),
        RequirementEntry(Requirement("winonly==1; sys_platform == 'win32'"), HERE),
        RequirementEntry(UnnamedRequirement(str(wheel), path=wheel), HERE),
    ]
    wanted = wanted_from_entries(entries, MARKERS)
    assert [w.describe() for w in wanted] == ["foo==1.0", f"demo-pkg @ {wheel.as_uri()}"]
    assert wanted[0].hashes == ("sha256:" + "a" * 64,)
    tree = UnnamedRequirement(str(tmp_path), path=tmp_path)
    with pytest.raises(NeedsBuild, match="needs a build, which is not supported yet"):
        wanted_from_entries([RequirementEntry(tree, HERE)], MARKERS)


def test_pip_help_lists_every_subcommand(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["pip", "--help"]) == 0
    out = capsys.readouterr().out
    for spec in PIP_COMMANDS:
        assert spec.name in out
    assert [spec.name for spec in PIP_COMMANDS] == [
        "compile",
        "sync",
        "install",
        "uninstall",
        "freeze",
        "list",
        "show",
        "check",
        "tree",
    ]
