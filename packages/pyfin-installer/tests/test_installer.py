"""install_wanted end to end in a real venv: index and direct wheels, plans, hashes, cache reuse."""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from packaging.specifiers import SpecifierSet
from packaging.utils import canonicalize_name

from pyfin_cache import Cache, CacheBucket
from pyfin_client import ClientSettings, HttpSettings, IndexLocations, RegistryClient
from pyfin_installer import (
    Environment,
    HashMismatch,
    HashRequirementError,
    InstallOptions,
    NeedsBuild,
    NoCompatibleWheel,
    Reinstall,
    Wanted,
    install_wanted,
    uninstall_names,
)
from pyfin_testing.index_server import IndexServer, make_sdist
from pyfin_testing.wheels import build_wheel

FAST = ClientSettings(http=HttpSettings(retries=1, backoff=0.01, http2=False))


@pytest.fixture
def server(wheels: Path) -> Iterator[IndexServer]:
    with IndexServer(wheels) as running:
        yield running


def _factory(cache: Cache, server: IndexServer) -> Callable[[], RegistryClient]:
    locations = IndexLocations.from_args(index_url=server.index_url)
    return lambda: RegistryClient(cache, locations, FAST)


def _pin(name: str, version: str, *hashes: str) -> Wanted:
    return Wanted(canonicalize_name(name), SpecifierSet(f"=={version}"), hashes=hashes)


def _sha256(path: Path) -> str:
    return "sha256:" + hashlib.sha256(path.read_bytes()).hexdigest()


def _listing(root: Path) -> set[str]:
    return {str((Path(d) / f).relative_to(root)) for d, _, files in os.walk(root) for f in files}


def test_sync_installs_then_is_a_noop_without_network(
    venv: Environment, cache: Cache, server: IndexServer
) -> None:
    wanted = [_pin("alpha", "1.0"), _pin("beta", "1.0")]
    outcome = install_wanted(
        venv, wanted, cache=cache, client_factory=_factory(cache, server), remove_extraneous=True
    )
    assert [(p.name, str(p.version), p.cached) for p in outcome.prepared] == [
        ("alpha", "1.0", False),
        ("beta", "1.0", False),
    ]
    inventory = venv.inventory()
    assert {d.name: str(d.version) for d in inventory} == {"alpha": "1.0", "beta": "1.0"}
    assert inventory.dists[canonicalize_name("beta")].installer() == "pyfin"
    assert (venv.scheme.scripts / "beta").is_file()
    server.clear()

    def no_client() -> RegistryClient:
        raise AssertionError("a no-op must not create a client")

    again = install_wanted(
        venv, wanted, cache=cache, client_factory=no_client, remove_extraneous=True
    )
    assert again.plan.is_noop
    assert server.paths() == []


def test_sync_replaces_changed_versions_and_removes_extraneous(
    venv: Environment, cache: Cache, server: IndexServer
) -> None:
    factory = _factory(cache, server)
    install_wanted(
        venv,
        [_pin("alpha", "1.0"), _pin("beta", "1.0"), _pin("gamma", "1.0")],
        cache=cache,
        client_factory=factory,
    )
    outcome = install_wanted(
        venv,
        [_pin("beta", "2.0"), _pin("gamma", "1.0")],
        cache=cache,
        client_factory=factory,
        remove_extraneous=True,
    )
    assert sorted((d.name, str(d.version)) for d in outcome.plan.remove) == [
        ("alpha", "1.0"),
        ("beta", "1.0"),
    ]
    assert [d.name for d in outcome.plan.keep] == ["gamma"]
    assert {d.name: str(d.version) for d in venv.inventory()} == {"beta": "2.0", "gamma": "1.0"}
    assert not (venv.scheme.scripts / "beta").exists()  # beta 2.0 has no script
    assert not (venv.scheme.purelib / "alpha").exists()


def test_reinstall_options(venv: Environment, cache: Cache, server: IndexServer) -> None:
    factory = _factory(cache, server)
    wanted = [_pin("beta", "1.0"), _pin("gamma", "1.0")]
    install_wanted(venv, wanted, cache=cache, client_factory=factory)
    one = install_wanted(
        venv,
        wanted,
        cache=cache,
        client_factory=factory,
        options=InstallOptions(
            reinstall=Reinstall(packages=frozenset({canonicalize_name("gamma")}))
        ),
    )
    assert [w.name for w in one.plan.install] == ["gamma"]
    assert [p.cached for p in one.prepared] == [True]  # from the cache: nothing downloaded
    every = install_wanted(
        venv,
        wanted,
        cache=cache,
        client_factory=factory,
        options=InstallOptions(reinstall=Reinstall(all=True)),
    )
    assert [w.name for w in every.plan.install] == ["beta", "gamma"]


def test_install_uninstall_round_trip_leaves_nothing(
    venv: Environment, cache: Cache, server: IndexServer
) -> None:
    before = _listing(venv.root)
    install_wanted(
        venv,
        [_pin("alpha", "1.0"), _pin("beta", "1.0")],
        cache=cache,
        client_factory=_factory(cache, server),
        options=InstallOptions(compile_bytecode=True),
    )
    assert any(p.endswith(".pyc") for p in _listing(venv.root) - before)
    plan, missing = uninstall_names(venv, ["Alpha", "beta", "delta"])
    assert sorted(d.name for d in plan.remove) == ["alpha", "beta"]
    assert missing == ["delta"]
    assert _listing(venv.root) - before == {".lock"}


def test_direct_wheel_url_records_its_origin(venv: Environment, cache: Cache, wheels: Path) -> None:
    url = (wheels / "gamma-1.0-py3-none-any.whl").as_uri()
    wanted = [Wanted(canonicalize_name("gamma"), url=url)]
    install_wanted(venv, wanted, cache=cache, client_factory=None)
    dist = venv.inventory().dists[canonicalize_name("gamma")]
    assert dist.direct_url is not None and dist.direct_url.url == url
    assert install_wanted(venv, wanted, cache=cache, client_factory=None).plan.is_noop
    # The same version from the index is a different origin: reinstalled.
    plan = install_wanted(
        venv,
        [_pin("gamma", "1.0")],
        cache=cache,
        client_factory=None,
        options=InstallOptions(dry_run=True),
    ).plan
    assert [w.name for w in plan.install] == ["gamma"]


def test_require_hashes_refuses_unpinned_and_unhashed(venv: Environment, cache: Cache) -> None:
    options = InstallOptions(require_hashes=True)
    loose = Wanted(canonicalize_name("beta"), SpecifierSet(">=1"), hashes=("sha256:" + "0" * 64,))
    with pytest.raises(HashRequirementError) as caught:
        install_wanted(venv, [loose], cache=cache, client_factory=None, options=options)
    assert str(caught.value) == (
        "In --require-hashes mode, every requirement must be pinned with == and carry a --hash, "
        "but `beta>=1` is not pinned with ==; pin it and add its hashes "
        "(`pyfin pip compile --generate-hashes`)."
    )
    with pytest.raises(HashRequirementError, match=r"`beta==1\.0` has no --hash"):
        install_wanted(
            venv, [_pin("beta", "1.0")], cache=cache, client_factory=None, options=options
        )
    assert len(venv.inventory()) == 0


def test_hashes_are_checked_on_download_and_from_the_cache(
    venv: Environment, cache: Cache, server: IndexServer, wheels: Path
) -> None:
    factory = _factory(cache, server)
    good = _sha256(wheels / "beta-1.0-py3-none-any.whl")
    wrong = "sha256:" + "1" * 64
    with pytest.raises(HashMismatch) as caught:
        install_wanted(venv, [_pin("beta", "1.0", wrong)], cache=cache, client_factory=factory)
    assert caught.value.actual == (good,)
    assert len(venv.inventory()) == 0
    # Filled without hashes, then checked from the digests kept beside the entry.
    install_wanted(venv, [_pin("beta", "1.0")], cache=cache, client_factory=factory)
    uninstall_names(venv, ["beta"])
    server.clear()
    with pytest.raises(HashMismatch):
        install_wanted(
            venv,
            [_pin("beta", "1.0", wrong)],
            cache=cache,
            client_factory=factory,
            options=InstallOptions(require_hashes=True),
        )
    outcome = install_wanted(
        venv,
        [_pin("beta", "1.0", good)],
        cache=cache,
        client_factory=factory,
        options=InstallOptions(require_hashes=True),
    )
    assert [p.cached for p in outcome.prepared] == [True]
    assert not any(p.startswith("/files/") for p in server.paths())
    sidecars = list(cache.bucket(CacheBucket.WHEELS).glob("*/beta/beta-1.0-py3-none-any.json"))
    assert len(sidecars) == 1


def test_sdist_only_and_missing_versions_are_clear_errors(
    venv: Environment, cache: Cache, server: IndexServer, wheels: Path
) -> None:
    make_sdist(wheels, "delta", "1.0")
    factory = _factory(cache, server)
    with pytest.raises(NeedsBuild) as caught:
        install_wanted(venv, [_pin("delta", "1.0")], cache=cache, client_factory=factory)
    assert str(caught.value) == (
        "`delta==1.0` needs a build, which is not supported yet: no wheel fits this "
        "interpreter, only delta-1.0.tar.gz; use a version or a URL that has a compatible wheel."
    )
    with pytest.raises(NoCompatibleWheel, match=r"the index has no such version"):
        install_wanted(venv, [_pin("beta", "9.0")], cache=cache, client_factory=factory)


def test_unpinned_requirement_takes_the_newest_wheel(
    venv: Environment, cache: Cache, server: IndexServer, wheels: Path
) -> None:
    build_wheel(wheels, "beta", "3.0", files={"beta/__init__.py": ""}, tag="cp27-cp27m-win32")
    loose = Wanted(canonicalize_name("beta"), SpecifierSet(">=1"))
    install_wanted(venv, [loose], cache=cache, client_factory=_factory(cache, server))
    assert str(venv.inventory().dists[canonicalize_name("beta")].version) == "2.0"


def test_a_cached_pin_needs_no_index_request(
    venv: Environment, cache: Cache, server: IndexServer
) -> None:
    factory = _factory(cache, server)
    install_wanted(
        venv, [_pin("beta", "1.0"), _pin("gamma", "1.0")], cache=cache, client_factory=factory
    )
    uninstall_names(venv, ["beta", "gamma"])
    server.clear()
    outcome = install_wanted(
        venv, [_pin("beta", "1.0"), _pin("gamma", "1.0")], cache=cache, client_factory=factory
    )
    assert [p.cached for p in outcome.prepared] == [True, True]
    assert server.paths() == []
    # A version that is not cached still goes to the index.
    install_wanted(venv, [_pin("beta", "2.0")], cache=cache, client_factory=factory)
    assert server.paths()[0] == "/simple/beta/"


def test_link_mode_is_probed_once(venv: Environment, wheels: Path, tmp_path: Path) -> None:
    from install_wheel import LinkMode, unpack
    from pyfin_installer._execute import usable_link_mode

    entry = unpack(wheels / "gamma-1.0-py3-none-any.whl", tmp_path / "entry")
    target = venv.scheme.purelib
    assert usable_link_mode(LinkMode.COPY, entry, target) is LinkMode.COPY
    assert usable_link_mode(LinkMode.HARDLINK, entry, target) is LinkMode.HARDLINK
    assert usable_link_mode(LinkMode.CLONE, entry, target) in (LinkMode.CLONE, LinkMode.HARDLINK)
    assert not list(target.glob(".tmp-*"))


def test_an_install_without_record_is_repaired(
    venv: Environment, cache: Cache, server: IndexServer
) -> None:
    factory = _factory(cache, server)
    install_wanted(venv, [_pin("beta", "1.0")], cache=cache, client_factory=factory)
    dist_info = venv.scheme.purelib / "beta-1.0.dist-info"
    (dist_info / "RECORD").unlink()
    # A copy cut short (a new inode: writing through a hard link would change the cache too).
    module = venv.scheme.purelib / "beta" / "__init__.py"
    module.unlink()
    module.write_text("half written")
    outcome = install_wanted(
        venv, [_pin("beta", "1.0")], cache=cache, client_factory=factory, remove_extraneous=True
    )
    assert [d.name for d in outcome.plan.remove] == ["beta"]
    assert (dist_info / "RECORD").is_file()
    assert "def main" in (venv.scheme.purelib / "beta" / "__init__.py").read_text()
    assert install_wanted(
        venv, [_pin("beta", "1.0")], cache=cache, client_factory=factory
    ).plan.is_noop


def test_prefix_and_target_installs(
    venv: Environment, cache: Cache, wheels: Path, tmp_path: Path
) -> None:
    url = (wheels / "beta-1.0-py3-none-any.whl").as_uri()
    wanted = [Wanted(canonicalize_name("beta"), url=url)]
    prefix = Environment.for_prefix(venv.interpreter, tmp_path / "prefix")
    install_wanted(prefix, wanted, cache=cache, client_factory=None)
    assert (tmp_path / "prefix/lib/python3.11/site-packages/beta/__init__.py").is_file()
    assert (tmp_path / "prefix/bin/beta").is_file()
    target = Environment.for_target(venv.interpreter, tmp_path / "target")
    install_wanted(target, wanted, cache=cache, client_factory=None)
    assert (tmp_path / "target/beta/__init__.py").is_file()
    assert [d.name for d in target.inventory()] == ["beta"]
    assert len(venv.inventory()) == 0


@pytest.mark.parametrize("damage", ["file-deleted", "marker-deleted", "emptied"])
def test_a_damaged_cache_entry_is_unzipped_again(
    venv: Environment, cache: Cache, server: IndexServer, tmp_path: Path, damage: str
) -> None:
    import shutil

    factory = _factory(cache, server)
    install_wanted(venv, [_pin("gamma", "1.0")], cache=cache, client_factory=factory)
    uninstall_names(venv, ["gamma"])
    (entry,) = cache.bucket(CacheBucket.WHEELS).glob("*/gamma/gamma-1.0-py3-none-any")
    if damage == "file-deleted":
        (entry / "gamma" / "__init__.py").unlink()
    elif damage == "marker-deleted":
        (entry / ".install-wheel-verified").unlink()
    else:
        shutil.rmtree(entry)
        entry.mkdir()
    server.clear()
    outcome = install_wanted(venv, [_pin("gamma", "1.0")], cache=cache, client_factory=factory)
    assert [p.cached for p in outcome.prepared] == [False]
    assert "/files/gamma-1.0-py3-none-any.whl" in server.paths()
    assert (entry / "gamma" / "__init__.py").read_text() == "G = 1\n"
    assert (entry / ".install-wheel-verified").is_file()
    site = venv.interpreter.scheme.purelib
    assert (site / "gamma" / "__init__.py").read_text() == "G = 1\n"
    assert not list(entry.parent.glob(".tmp-*"))


def test_a_full_cache_disk_is_one_clear_error(
    venv: Environment, cache: Cache, server: IndexServer, wheels: Path
) -> None:
    import random
    import resource
    import signal

    from pyfin_installer import FetchFailed

    noise = random.Random(0).randbytes(64 << 10).hex()  # does not compress
    build_wheel(wheels, "huge", "1.0", files={"huge/__init__.py": f"# {noise}\n"})
    factory = _factory(cache, server)
    bucket = cache.bucket(CacheBucket.WHEELS)
    before = _listing(venv.root)
    limits = resource.getrlimit(resource.RLIMIT_FSIZE)
    handler = signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    resource.setrlimit(resource.RLIMIT_FSIZE, (32 << 10, limits[1]))  # pages fit, the wheel not
    try:
        with pytest.raises(FetchFailed) as info:
            install_wanted(venv, [_pin("huge", "1.0")], cache=cache, client_factory=factory)
    finally:
        resource.setrlimit(resource.RLIMIT_FSIZE, limits)
        signal.signal(signal.SIGXFSZ, handler)
    assert str(info.value) == (
        "Failed to fetch huge-1.0-py3-none-any.whl: cannot write it into the cache at "
        f"{bucket} (File too large)."
    )
    assert _listing(venv.root) - {".lock"} == before
    assert not list(bucket.rglob(".tmp-*"))


def test_compiling_runs_nothing_from_the_environment(
    venv: Environment, cache: Cache, server: IndexServer, wheels: Path, tmp_path: Path
) -> None:
    marker = tmp_path / "ran"
    code = f"open({str(marker)!r}, 'w').write('ran')\n"
    build_wheel(
        wheels, "hooks", "1.0", files={"sitecustomize.py": code, "hooks.pth": f"import os; {code}"}
    )
    options = InstallOptions(compile_bytecode=True)
    factory = _factory(cache, server)
    install_wanted(
        venv, [_pin("hooks", "1.0")], cache=cache, client_factory=factory, options=options
    )
    site = venv.interpreter.scheme.purelib
    assert list((site / "__pycache__").glob("sitecustomize.*.pyc"))  # compiled ...
    assert not marker.exists()  # ... without running the environment's start-up hooks


def test_a_refused_wheel_leaves_nothing_in_the_cache(
    venv: Environment, cache: Cache, server: IndexServer, wheels: Path
) -> None:
    from pyfin_installer import FetchFailed

    build_wheel(
        wheels,
        "liar",
        "1.0",
        files={"liar/__init__.py": "X = 1\n"},
        lie={"liar/__init__.py": "hash"},
    )
    before = _listing(venv.root)
    with pytest.raises(FetchFailed) as info:
        install_wanted(
            venv, [_pin("liar", "1.0")], cache=cache, client_factory=_factory(cache, server)
        )
    assert str(info.value) == "Failed to fetch liar-1.0-py3-none-any.whl."
    assert "hash does not match RECORD" in str(info.value.__cause__)
    (shard,) = cache.bucket(CacheBucket.WHEELS).glob("*/liar")
    assert list(shard.iterdir()) == []  # no entry, no digests, no .tmp- leftover
    assert _listing(venv.root) - {".lock"} == before
