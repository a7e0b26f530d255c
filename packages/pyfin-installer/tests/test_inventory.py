"""Reading what is installed: dist-info names, direct_url.json, REQUESTED, egg-info, leftovers."""

from __future__ import annotations

import json
from pathlib import Path

from packaging.specifiers import SpecifierSet
from packaging.utils import canonicalize_name

from install_wheel import DirectUrl, WheelFile, install
from pyfin_installer import Environment, Reinstall, Wanted, make_plan, read_inventory


def _install(venv: Environment, wheels: Path, filename: str, **kwargs: object) -> None:
    install(WheelFile(wheels / filename), venv.destination(), **kwargs)  # type: ignore[arg-type]


def test_dist_info_and_its_files(venv: Environment, wheels: Path) -> None:
    _install(venv, wheels, "alpha-1.0-py3-none-any.whl", installer="pip", requested=True)
    url = (wheels / "gamma-1.0-py3-none-any.whl").as_uri()
    _install(
        venv,
        wheels,
        "gamma-1.0-py3-none-any.whl",
        direct_url=DirectUrl(url=url, archive_hash="sha256=00"),
    )
    inventory = venv.inventory()
    assert [(d.name, str(d.version)) for d in inventory] == [("alpha", "1.0"), ("gamma", "1.0")]
    alpha = inventory.dists[canonicalize_name("alpha")]
    assert alpha.installer() == "pip"
    assert alpha.requested()
    assert alpha.direct_url is None
    assert [str(r) for r in alpha.metadata().requires_dist] == ["beta>=1"]
    assert "alpha/__init__.py" in alpha.files()
    gamma = inventory.dists[canonicalize_name("gamma")]
    assert gamma.direct_url is not None and gamma.direct_url.url == url
    assert not gamma.requested() and not gamma.editable


def test_legacy_egg_info_and_editables(tmp_path: Path) -> None:
    lib = tmp_path / "site"
    (lib / "Old_Thing-0.5-py3.11.egg-info").mkdir(parents=True)
    (lib / "Old_Thing-0.5-py3.11.egg-info" / "PKG-INFO").write_text(
        "Metadata-Version: 1.1\nName: Old-Thing\nVersion: 0.5\n"
    )
    (lib / "single.egg-info").write_text("Metadata-Version: 1.0\nName: single\nVersion: 2\n")
    editable = lib / "proj-0.1.dist-info"
    editable.mkdir()
    (editable / "RECORD").write_text("")
    (editable / "direct_url.json").write_text(
        json.dumps({"url": "file:///src/proj", "dir_info": {"editable": True}})
    )
    inventory = read_inventory([lib, lib])
    assert [(d.name, str(d.version), d.kind) for d in inventory] == [
        ("old-thing", "0.5", "egg-info"),
        ("proj", "0.1", "dist-info"),
        ("single", "2", "egg-info"),
    ]
    assert inventory.dists[canonicalize_name("proj")].editable
    assert inventory.dists[canonicalize_name("single")].metadata().get("name") == "single"


def test_interrupted_install_is_not_satisfied(venv: Environment, wheels: Path) -> None:
    _install(venv, wheels, "beta-1.0-py3-none-any.whl")
    (venv.scheme.purelib / "beta-1.0.dist-info" / "RECORD").unlink()
    inventory = venv.inventory()
    beta = inventory.dists[canonicalize_name("beta")]
    assert not beta.complete
    plan = make_plan(inventory, [Wanted(beta.name, SpecifierSet("==1.0"))])
    assert [w.name for w in plan.install] == ["beta"]
    assert plan.remove == (beta,)


def test_plan_keeps_reinstalls_and_removes(venv: Environment, wheels: Path) -> None:
    for filename in ("alpha-1.0-py3-none-any.whl", "beta-1.0-py3-none-any.whl"):
        _install(venv, wheels, filename)
    inventory = venv.inventory()
    alpha, beta = canonicalize_name("alpha"), canonicalize_name("beta")
    wanted = [Wanted(alpha, SpecifierSet("==1.0")), Wanted(beta, SpecifierSet("==2.0"))]
    plan = make_plan(inventory, wanted)
    assert [d.name for d in plan.keep] == ["alpha"]
    assert [w.name for w in plan.install] == ["beta"]
    assert [d.name for d in plan.remove] == ["beta"]
    sync = make_plan(inventory, wanted[:1], remove_extraneous=True)
    assert [d.name for d in sync.remove] == ["beta"] and not sync.install
    spared = make_plan(inventory, wanted[:1], remove_extraneous=True, protected=["Beta"])
    assert spared.is_noop
    forced = make_plan(inventory, wanted[:1], reinstall=Reinstall(packages=frozenset({alpha})))
    assert [w.name for w in forced.install] == ["alpha"]
    loose = make_plan(inventory, [Wanted(beta, SpecifierSet(">=1"))])
    assert loose.is_noop
