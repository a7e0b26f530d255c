"""`seed_venv`: pip, setuptools and wheel into a fresh venv, from a loopback index."""

from __future__ import annotations

import io
from pathlib import Path

from gourgeist import create_venv
from pyfin._commands.pip._seed import seed_packages, seed_venv
from pyfin._options import GlobalOptions
from pyfin._printer import Printer
from pyfin._session import Session
from pyfin_client import IndexLocations
from pyfin_installer import Environment
from pyfin_interpreter import find_interpreter
from pyfin_testing.index_server import IndexServer
from pyfin_testing.wheels import build_wheel


def test_seed_installs_the_newest_wheels(tmp_path: Path) -> None:
    dists = tmp_path / "dists"
    dists.mkdir()
    for name, version in [
        ("pip", "24.0"),
        ("pip", "25.1"),
        ("setuptools", "80.0"),
        ("wheel", "0.45.0"),
    ]:
        build_wheel(dists, name, version, files={f"{name}/__init__.py": ""})
    stream = io.StringIO()
    options = GlobalOptions(cache_dir=tmp_path / "cache")
    with Session(options, Printer(stream, color=False)) as session, IndexServer(dists) as server:
        base = find_interpreter("3.11", session.cache, system=True)
        venv = create_venv(tmp_path / "venv", base)
        assert seed_packages(venv) == ["pip", "setuptools", "wheel"]
        locations = IndexLocations.from_args(index_url=server.index_url)
        seed_venv(session, venv, locations)
        installed = Environment.for_interpreter(venv).inventory()
    assert [(d.name, str(d.version)) for d in installed] == [
        ("pip", "25.1"),
        ("setuptools", "80.0"),
        ("wheel", "0.45.0"),
    ]
    assert stream.getvalue() == " + pip==25.1\n + setuptools==80.0\n + wheel==0.45.0\n"
