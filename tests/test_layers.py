"""tools/check_layers.py: the real workspace passes, and synthetic bad workspaces fail."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from check_layers import LAYERS, Violation, check, load_workspace

ROOT = Path(__file__).resolve().parent.parent
SCRIPT = ROOT / "tools" / "check_layers.py"

# A three-layer slice of the real table, so synthetic workspaces stay small.
SMALL_LAYERS = {"pyfin-cache": 0, "pyfin-interpreter": 1, "gourgeist-py": 2}
IMPORT_NAMES = {"pyfin-cache": "pyfin_cache", "pyfin-interpreter": "pyfin_interpreter"}
THIRD_PARTY = {"packaging": ["packaging"], "platformdirs": ["platformdirs"]}


def make_dist(root: Path, name: str, dependencies: list[str], code: str = "") -> None:
    import_name = IMPORT_NAMES.get(name, "gourgeist")
    folder = root / "packages" / name
    package = folder / "src" / import_name
    package.mkdir(parents=True)
    deps = ", ".join(f'"{dep}"' for dep in dependencies)
    (folder / "pyproject.toml").write_text(
        f'[project]\nname = "{name}"\nversion = "0"\ndependencies = [{deps}]\n'
    )
    (package / "__init__.py").write_text('"""A synthetic distribution."""\n')
    (package / "_code.py").write_text(textwrap.dedent(code))


def good_workspace(root: Path) -> None:
    make_dist(root, "pyfin-cache", ["platformdirs>=4"], "import os\nimport platformdirs\n")
    make_dist(
        root,
        "pyfin-interpreter",
        ["pyfin-cache", "packaging>=23; python_version >= '3'"],
        "from pyfin_cache import Cache\nfrom packaging.version import Version\n",
    )
    make_dist(root, "gourgeist-py", ["pyfin-interpreter"], "import pyfin_interpreter._x\n")


def messages(root: Path) -> list[str]:
    return [violation.message for violation in check(root, SMALL_LAYERS, THIRD_PARTY)]


def test_the_real_workspace_respects_its_layers() -> None:
    violations = check(ROOT)
    assert violations == [], "\n".join(str(violation) for violation in violations)


def test_the_table_names_every_distribution() -> None:
    assert sorted(LAYERS) == sorted(dist.name for dist in load_workspace(ROOT))


def test_a_good_synthetic_workspace_passes(tmp_path: Path) -> None:
    good_workspace(tmp_path)
    assert messages(tmp_path) == []


def test_undeclared_sibling_import_in_a_function(tmp_path: Path) -> None:
    make_dist(tmp_path, "pyfin-cache", [])
    make_dist(
        tmp_path,
        "pyfin-interpreter",
        [],
        """
        def later():
            from pyfin_cache import Cache
            return Cache
        """,
    )
    make_dist(tmp_path, "gourgeist-py", ["pyfin-interpreter"])
    violations = check(tmp_path, SMALL_LAYERS, THIRD_PARTY)
    assert violations == [
        Violation(
            "packages/pyfin-interpreter/src/pyfin_interpreter/_code.py:3",
            "pyfin-interpreter imports pyfin_cache but does not declare pyfin-cache in the"
            " dependencies of its pyproject.toml",
        )
    ]


def test_import_from_a_higher_layer_under_type_checking(tmp_path: Path) -> None:
    good_workspace(tmp_path)
    code = tmp_path / "packages/pyfin-cache/src/pyfin_cache/_code.py"
    code.write_text("from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    import gourgeist\n")
    assert messages(tmp_path) == [
        "pyfin-cache imports gourgeist but does not declare gourgeist-py in the dependencies"
        " of its pyproject.toml",
        "pyfin-cache (layer 0) imports gourgeist from gourgeist-py (layer 2): a distribution"
        " may import only from lower layers",
    ]


def test_same_layer_import_and_declaration(tmp_path: Path) -> None:
    make_dist(tmp_path, "pyfin-cache", [])
    make_dist(tmp_path, "pyfin-interpreter", ["pyfin-cache"])
    make_dist(tmp_path, "gourgeist-py", ["pyfin-interpreter"])
    layers = {**SMALL_LAYERS, "pyfin-interpreter": 0}
    code = tmp_path / "packages/pyfin-interpreter/src/pyfin_interpreter/_code.py"
    code.write_text("import pyfin_cache\n")
    found = [violation.message for violation in check(tmp_path, layers, THIRD_PARTY)]
    assert found == [
        "pyfin-interpreter (layer 0) declares a dependency on pyfin-cache (layer 0): a"
        " distribution may depend only on lower layers",
        "pyfin-interpreter (layer 0) imports pyfin_cache from pyfin-cache (layer 0): a"
        " distribution may import only from lower layers",
    ]


def test_a_cycle_in_declared_dependencies(tmp_path: Path) -> None:
    make_dist(tmp_path, "pyfin-cache", ["gourgeist-py"])
    make_dist(tmp_path, "pyfin-interpreter", ["pyfin-cache"])
    make_dist(tmp_path, "gourgeist-py", ["pyfin-interpreter"])
    found = messages(tmp_path)
    assert (
        "dependency cycle: gourgeist-py -> pyfin-interpreter -> pyfin-cache -> gourgeist-py"
        in found
    )
    assert any("pyfin-cache (layer 0) declares a dependency on gourgeist-py" in m for m in found)


def test_undeclared_third_party_import(tmp_path: Path) -> None:
    good_workspace(tmp_path)
    code = tmp_path / "packages/gourgeist-py/src/gourgeist/_code.py"
    code.write_text("import json\nimport packaging.tags\n")
    assert messages(tmp_path) == [
        "gourgeist-py imports packaging (from packaging) without declaring it in the"
        " dependencies of its pyproject.toml"
    ]


def test_a_declared_import_not_installed_here(tmp_path: Path) -> None:
    good_workspace(tmp_path)
    make_dist(
        tmp_path / "other",
        "pyfin-cache",
        ["tomli>=1.1; python_version < '3.11'"],
        "import sys\nif sys.version_info < (3, 11):\n    import tomli\n",
    )
    assert check(tmp_path / "other", {"pyfin-cache": 0}, THIRD_PARTY) == []


def test_stdlib_modules_of_newer_pythons(tmp_path: Path) -> None:
    good_workspace(tmp_path)
    code = tmp_path / "packages/pyfin-cache/src/pyfin_cache/_code.py"
    code.write_text(
        "try:\n    import _sha2\nexcept ImportError:\n    import _sha256\nimport tomllib\n"
    )
    assert messages(tmp_path) == []


def test_import_of_something_unknown(tmp_path: Path) -> None:
    good_workspace(tmp_path)
    code = tmp_path / "packages/gourgeist-py/src/gourgeist/_code.py"
    code.write_text("import pyfin_testing\n")
    assert messages(tmp_path) == [
        "gourgeist-py imports pyfin_testing, which is neither the standard library, a workspace"
        " distribution nor an installed distribution: declare the distribution that provides"
        " it and install it"
    ]


def test_a_distribution_missing_from_the_table(tmp_path: Path) -> None:
    good_workspace(tmp_path)
    layers = {"pyfin-cache": 0, "pyfin-interpreter": 1}
    found = [violation.message for violation in check(tmp_path, layers, THIRD_PARTY)]
    assert found == ["gourgeist-py has no layer: add it to LAYERS in tools/check_layers.py"]


def test_relative_imports_stay_inside_the_distribution(tmp_path: Path) -> None:
    good_workspace(tmp_path)
    code = tmp_path / "packages/pyfin-cache/src/pyfin_cache/_code.py"
    code.write_text("from . import _other\nfrom ._other import thing\n")
    assert messages(tmp_path) == []


def test_a_file_that_does_not_parse(tmp_path: Path) -> None:
    good_workspace(tmp_path)
    code = tmp_path / "packages/pyfin-cache/src/pyfin_cache/_code.py"
    code.write_text("import os\nif True\n    pass\n")
    assert [str(violation) for violation in check(tmp_path, SMALL_LAYERS, THIRD_PARTY)] == [
        "packages/pyfin-cache/src/pyfin_cache/_code.py:2: cannot read the imports of a file"
        " Python cannot parse: expected ':'"
    ]


@pytest.mark.parametrize("bad", [True, False])
def test_the_script_exits_non_zero_with_the_violations(tmp_path: Path, bad: bool) -> None:
    root = tmp_path if bad else ROOT
    if bad:
        good_workspace(tmp_path)
        (tmp_path / "packages/pyfin-cache/src/pyfin_cache/_code.py").write_text(
            "import gourgeist\n"
        )
    result = subprocess.run(
        [sys.executable, str(SCRIPT), "--root", str(root)],
        check=False,
        capture_output=True,
        text=True,
    )
    if bad:
        assert result.returncode == 1
        assert "packages/pyfin-cache/src/pyfin_cache/_code.py:1: pyfin-cache (layer 0)" in (
            result.stderr
        )
        assert "layer check failed" in result.stderr
    else:
        assert result.returncode == 0, result.stderr
        assert result.stdout.startswith("layer check passed: 10 distributions")
