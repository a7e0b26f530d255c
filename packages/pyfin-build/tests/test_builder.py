"""Builder with the in-tree test backend (offline): metadata, wheels, cache, errors, cycles."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import threading
import zipfile
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from packaging.utils import canonicalize_name

from gourgeist import create_venv
from install_wheel import WheelFile, destination_for, install
from pyfin_build import (
    BackendImportFailed,
    BackendPathOutsideTree,
    BuildCycle,
    BuildEnvironmentFailed,
    BuildFailed,
    HookNotSupported,
    UnsafeArchive,
    UnsupportedSource,
)
from pyfin_cache import Cache, CacheBucket
from pyfin_interpreter import Interpreter
from pyfin_testing.projects import (
    hostile_sdist,
    sdist_from_tree,
    write_files,
    write_intree_project,
)
from pyfin_testing.wheels import build_wheel

if TYPE_CHECKING:
    from conftest import DoubleContext, MakeContext


def hooks(log: Path) -> list[str]:
    return log.read_text().splitlines()


def test_metadata_comes_from_prepare_metadata_without_building(
    context: DoubleContext, tmp_path: Path, backend_log: Path
) -> None:
    tree = write_intree_project(tmp_path, "alpha", "1.2", dependencies=["idna>=3"])
    dist_info = context.setup_build(tree).metadata()
    assert dist_info.name == "alpha-1.2.dist-info"
    assert "Requires-Dist: idna>=3" in (dist_info / "METADATA").read_text()
    assert hooks(backend_log) == [
        "get_requires_for_build_wheel alpha",
        "prepare_metadata_for_build_wheel alpha",
    ]
    assert context.resolve_calls == []  # requires = [], and the hook asked for nothing


def test_without_prepare_hook_metadata_falls_back_to_a_wheel(
    context: DoubleContext, tmp_path: Path, backend_log: Path
) -> None:
    tree = write_intree_project(tmp_path, "beta", prepare_metadata=False)
    build = context.setup_build(tree)
    dist_info = build.metadata()
    assert (dist_info / "METADATA").read_text().startswith("Metadata-Version: 2.1\nName: beta")
    assert hooks(backend_log) == ["get_requires_for_build_wheel beta", "build_wheel beta"]
    wheel = build.wheel(tmp_path / "out")  # already built: copied from the cache
    assert wheel == tmp_path / "out" / "beta-1.0-py3-none-any.whl"
    assert len(hooks(backend_log)) == 2


def test_metadata_then_wheel_reuses_the_environment(
    context: DoubleContext, tmp_path: Path, backend_log: Path
) -> None:
    tree = write_intree_project(tmp_path, "gamma")
    build = context.setup_build(tree)
    build.metadata()
    wheel = build.wheel(tmp_path / "out")
    assert hooks(backend_log) == [
        "get_requires_for_build_wheel gamma",
        "prepare_metadata_for_build_wheel gamma",
        "build_wheel gamma",
    ]
    with zipfile.ZipFile(wheel) as zf:
        assert zf.read("gamma/__init__.py") == b"VALUE = 1\n"


def test_second_build_of_an_sdist_is_a_cache_hit(
    make_context: MakeContext, cache: Cache, tmp_path: Path, backend_log: Path
) -> None:
    tree = write_intree_project(tmp_path / "src", "delta", "2.0")
    sdist = sdist_from_tree(tree, tmp_path / "dist", "delta-2.0")
    first = make_context()
    wheel = first.builder.build_wheel(sdist)
    built_at = wheel.stat().st_mtime_ns
    calls = len(hooks(backend_log))
    # Another run (new builder), the same bytes under another folder: found by sha256.
    copy = tmp_path / "elsewhere" / sdist.name
    copy.parent.mkdir()
    shutil.copyfile(sdist, copy)
    second = make_context()
    assert second.builder.build_wheel(copy) == wheel
    assert second.setup_build(copy).metadata().name == "delta-2.0.dist-info"
    assert len(hooks(backend_log)) == calls  # no hook ran: no subprocess at all
    assert wheel.stat().st_mtime_ns == built_at
    assert wheel.is_relative_to(cache.bucket(CacheBucket.BUILT_WHEELS) / "index")
    assert wheel.parts[-4] == canonicalize_name("delta")


def test_a_tree_is_rebuilt_when_a_file_changes(
    context: DoubleContext, tmp_path: Path, backend_log: Path
) -> None:
    tree = write_intree_project(tmp_path, "epsilon")
    first = context.builder.build_wheel(tree)
    assert context.builder.build_wheel(tree) == first
    assert hooks(backend_log).count("build_wheel epsilon") == 1
    (tree / "build").mkdir()  # build outputs do not count
    (tree / "build" / "junk.txt").write_text("x")
    assert context.builder.build_wheel(tree) == first
    source = tree / "epsilon" / "__init__.py"
    source.write_text("VALUE = 2\n")
    os.utime(source, ns=(source.stat().st_mtime_ns + 10**9,) * 2)
    second = context.builder.build_wheel(tree)
    assert second != first
    assert not first.exists()  # the stale variant was dropped
    assert hooks(backend_log).count("build_wheel epsilon") == 2
    with zipfile.ZipFile(second) as zf:
        assert zf.read("epsilon/__init__.py") == b"VALUE = 2\n"
    extra = tree / "epsilon" / "extra.py"
    extra.write_text("")
    os.utime(extra, ns=(0, 0))  # an old file appearing still changes the fingerprint
    third = context.builder.build_wheel(tree)
    assert third != second
    extra.unlink()  # and so does one disappearing (back to the second state, rebuilt)
    assert context.builder.build_wheel(tree) != third
    assert hooks(backend_log).count("build_wheel epsilon") == 4


def test_config_settings_pass_through_and_key_the_cache(
    make_context: MakeContext, tmp_path: Path, backend_log: Path
) -> None:
    tree = write_intree_project(tmp_path, "zeta")
    plain = make_context()
    configured = make_context(config_settings={"mode": "fast", "flags": ["a", "b"]})
    with_settings = configured.builder.build_wheel(tree)
    without = plain.builder.build_wheel(tree)
    assert with_settings != without
    with zipfile.ZipFile(with_settings) as zf:
        settings = json.loads(zf.read("zeta-1.0.dist-info/config_settings.json"))
    assert settings == {"mode": "fast", "flags": ["a", "b"]}
    with zipfile.ZipFile(without) as zf:
        assert json.loads(zf.read("zeta-1.0.dist-info/config_settings.json")) == {}


def test_a_failing_hook_reports_package_hook_and_output_tail(
    context: DoubleContext, tmp_path: Path, backend_log: Path
) -> None:
    tree = write_intree_project(tmp_path, "broken", fail_hook="build_wheel")
    build = context.setup_build(tree)
    with pytest.raises(BuildFailed) as info:
        build.wheel(tmp_path / "out")
    error = info.value
    assert (error.package, error.hook, error.returncode) == ("broken", "build_wheel", 1)
    lines = error.output_tail.splitlines()
    assert len(lines) == 20
    assert lines[-1] == "RuntimeError: build_wheel failed on purpose"
    assert "backend output line 30" in lines
    assert "backend output line 1" not in lines
    assert str(error).startswith(
        "Building broken failed: the backend's build_wheel exited with status 1; "
        "last lines of its output:\n"
    )
    # The cause is chained but does not repeat the whole output (the CLI prints it too).
    assert str(error.__cause__) == "the hook process exited with status 1"
    assert not (tmp_path / "out").exists()
    shard = context.cache.bucket(CacheBucket.BUILT_WHEELS)
    assert not list(shard.rglob("*.whl"))


def test_after_a_failure_the_same_build_can_be_retried(
    context: DoubleContext, tmp_path: Path, backend_log: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    tree = write_intree_project(tmp_path, "flaky")
    build = context.setup_build(tree)
    monkeypatch.setenv("PYFIN_TEST_BACKEND_FAIL", "build_wheel")  # read when the env is made
    build.metadata()
    with pytest.raises(BuildFailed):
        build.wheel(tmp_path / "out")
    monkeypatch.delenv("PYFIN_TEST_BACKEND_FAIL")
    assert build.wheel(tmp_path / "out").name == "flaky-1.0-py3-none-any.whl"
    assert hooks(backend_log)[-2:] == ["get_requires_for_build_wheel flaky", "build_wheel flaky"]


def test_backend_path_outside_the_tree_is_refused_before_any_work(
    context: DoubleContext, tmp_path: Path, backend_log: Path
) -> None:
    tree = write_intree_project(tmp_path, "escape", backend_path=["../_backend"])
    with pytest.raises(BackendPathOutsideTree) as info:
        context.setup_build(tree).metadata()
    assert info.value.entry == "../_backend"
    assert hooks(backend_log) == []


def test_build_requirements_from_hooks_are_resolved_and_installed(
    make_context: MakeContext, tmp_path: Path, backend_log: Path
) -> None:
    wheelhouse = tmp_path / "wheels"
    build_wheel(wheelhouse, "helper", "1.0", requires=["support"], files={"helper.py": "X=1\n"})
    build_wheel(wheelhouse, "support", "3.1", files={"support.py": "Y=1\n"})
    build_wheel(wheelhouse, "plugin", "0.5", files={"plugin.py": "Z=1\n"})
    context = make_context(wheelhouse)
    tree = write_intree_project(
        tmp_path, "eta", build_requires=["helper"], wheel_requires=["plugin>=0.1", "helper"]
    )
    context.builder.build_wheel(tree)
    assert context.resolve_calls == [["helper"], ["helper", "plugin>=0.1", "helper"]]
    assert context.install_calls == [["helper", "support"], ["helper", "plugin", "support"]]


def test_unresolvable_build_requirements_name_the_package(
    context: DoubleContext, tmp_path: Path
) -> None:
    tree = write_intree_project(tmp_path, "theta", build_requires=["nowhere>=1"])
    with pytest.raises(BuildEnvironmentFailed) as info:
        context.setup_build(tree).metadata()
    assert str(info.value) == (
        "Cannot prepare the build environment of theta: resolving the build requirements "
        "(nowhere>=1) failed: no wheel for nowhere>=1"
    )


def test_a_build_requirement_built_from_an_sdist(
    context: DoubleContext, tmp_path: Path, backend_log: Path
) -> None:
    dep = write_intree_project(tmp_path / "src", "iota-backend", "1.0")
    context.sdists[canonicalize_name("iota-backend")] = sdist_from_tree(
        dep, tmp_path / "dist", "iota_backend-1.0"
    )
    tree = write_intree_project(tmp_path, "iota", build_requires=["iota-backend"])
    assert context.builder.build_wheel(tree).name == "iota-1.0-py3-none-any.whl"
    assert "build_wheel iota-backend" in hooks(backend_log)


def test_a_build_that_needs_itself_is_a_cycle_error(context: DoubleContext, tmp_path: Path) -> None:
    for name, needs in (("kappa", "lambda"), ("lambda", "kappa")):
        tree = write_intree_project(tmp_path / "src", name, build_requires=[needs])
        context.sdists[canonicalize_name(name)] = sdist_from_tree(
            tree, tmp_path / "dist", f"{name}-1.0"
        )
    with pytest.raises(BuildCycle) as info:
        context.setup_build(context.sdists[canonicalize_name("kappa")]).metadata()
    assert info.value.chain == ("kappa", "lambda", "kappa")
    assert str(info.value) == (
        "Build cycle: kappa -> lambda -> kappa; kappa is needed to build itself; "
        "provide a wheel for one of these packages"
    )


def test_parallel_requests_for_one_source_build_once(
    context: DoubleContext, tmp_path: Path, backend_log: Path
) -> None:
    trees = [write_intree_project(tmp_path, name) for name in ("mu", "nu")]
    results: list[Path] = []
    errors: list[BaseException] = []

    def run(tree: Path) -> None:
        try:
            results.append(context.builder.build_wheel(tree))
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=run, args=(tree,)) for tree in trees * 3]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert len(set(results)) == 2
    assert sorted(h for h in hooks(backend_log) if h.startswith("build_wheel")) == [
        "build_wheel mu",
        "build_wheel nu",
    ]


def test_editable_build_reflects_source_edits(
    context: DoubleContext, interpreter: Interpreter, tmp_path: Path, backend_log: Path
) -> None:
    tree = write_intree_project(tmp_path / "src", "xi", module_source="VALUE = 'first'\n")
    build = context.setup_build(tree, editable=True)
    assert build.metadata().name == "xi-1.0.dist-info"
    wheel = build.wheel(tmp_path / "out")
    assert "build_editable xi" in hooks(backend_log)
    venv = create_venv(tmp_path / "venv", interpreter)
    install(WheelFile(wheel), destination_for(venv.sys_executable))
    code = ["-c", "import xi; print(xi.VALUE)"]
    run = [str(venv.sys_executable), *code]
    assert subprocess.run(run, capture_output=True, text=True, check=True).stdout == "first\n"
    (tree / "xi" / "__init__.py").write_text("VALUE = 'edited'\n")
    assert subprocess.run(run, capture_output=True, text=True, check=True).stdout == "edited\n"


def test_editable_build_of_an_archive_is_refused(context: DoubleContext, tmp_path: Path) -> None:
    sdist = sdist_from_tree(write_intree_project(tmp_path, "omicron"), tmp_path, "omicron-1.0")
    with pytest.raises(UnsupportedSource, match="an editable build needs a source tree"):
        context.setup_build(sdist, editable=True)


def test_a_hostile_sdist_is_refused_and_nothing_is_cached(
    context: DoubleContext, tmp_path: Path
) -> None:
    sdist = hostile_sdist(tmp_path / "dist", "symlink")
    with pytest.raises(UnsafeArchive):
        context.setup_build(sdist).metadata()
    shard = context.cache.bucket(CacheBucket.BUILT_WHEELS)
    assert [p for p in shard.rglob("*") if p.is_file() and p.suffix != ".lock"] == []


def test_sources_that_are_not_buildable(context: DoubleContext, tmp_path: Path) -> None:
    with pytest.raises(UnsupportedSource, match="it does not exist"):
        context.setup_build(tmp_path / "missing.tar.gz")
    (tmp_path / "notes.txt").write_text("hello")
    with pytest.raises(UnsupportedSource, match="neither a folder nor a source archive"):
        context.setup_build(tmp_path / "notes.txt")
    with pytest.raises(UnsupportedSource, match=r"no pyproject\.toml, setup\.py or setup\.cfg"):
        context.setup_build(tmp_path)


def test_a_backend_that_cannot_be_imported(context: DoubleContext, tmp_path: Path) -> None:
    tree = write_files(
        tmp_path / "nobackend",
        {
            "pyproject.toml": """\
                [build-system]
                requires = []
                build-backend = "no_such_backend_module"
                """
        },
    )
    with pytest.raises(BackendImportFailed) as info:
        context.setup_build(tree).metadata()
    assert (info.value.package, info.value.backend) == ("nobackend", "no_such_backend_module")
    assert "No module named 'no_such_backend_module'" in info.value.output_tail


def test_a_backend_without_build_editable(context: DoubleContext, tmp_path: Path) -> None:
    tree = write_files(
        tmp_path / "old",
        {
            "pyproject.toml": """\
                [build-system]
                requires = []
                build-backend = "mini"
                backend-path = ["b"]

                [project]
                name = "old"
                version = "1"
                """,
            "b/mini.py": "def build_wheel(wheel_directory, config_settings=None, m=None):\n"
            "    raise NotImplementedError\n",
        },
    )
    with pytest.raises(HookNotSupported) as info:
        context.setup_build(tree, editable=True).wheel(tmp_path / "out")
    assert str(info.value) == "Cannot build old: its build backend does not support build_editable"
