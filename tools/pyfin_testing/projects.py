"""Source trees and sdists for build tests: an in-tree PEP 517 backend (stdlib only), projects
for real backends (setuptools, hatchling, flit), and hostile archives.

The in-tree backend (`BACKEND_SOURCE`, written to `<tree>/_backend/pyfin_test_backend.py` and
reached through `backend-path`) needs no build requirements, so trees that use it build
offline. It reads `[project]` (name, version, dependencies) and `[tool.testbackend]`:

- `prepare-metadata` (bool, default true): offer `prepare_metadata_for_build_wheel`/`_editable`;
- `wheel-requires` (list): what `get_requires_for_build_wheel`/`_editable` return;
- `fail-hook` (str): a hook name that prints 30 numbered lines and then raises (so does the
  hook named by `$PYFIN_TEST_BACKEND_FAIL`).

`$PYFIN_TEST_BACKEND_SLEEP` (seconds) makes every hook sleep first, so a test can kill a build
while it runs.

It appends `<hook> <name>` to `$PYFIN_TEST_BACKEND_LOG` when set (tests count hook calls), and
puts the config settings it was given in `<dist-info>/config_settings.json` of wheels.
"""

from __future__ import annotations

import io
import tarfile
import textwrap
import zipfile
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Literal

BACKEND_SOURCE = '''\
"""A tiny PEP 517 / PEP 660 backend for tests (stdlib only)."""

import base64
import hashlib
import io
import json
import os
import tarfile
import time
import tomllib
import zipfile


def _project():
    with open("pyproject.toml", "rb") as f:
        data = tomllib.load(f)
    return data["project"], data.get("tool", {}).get("testbackend", {})


def _log(hook):
    project, options = _project()
    time.sleep(float(os.environ.get("PYFIN_TEST_BACKEND_SLEEP") or 0))
    path = os.environ.get("PYFIN_TEST_BACKEND_LOG")
    if path:
        with open(path, "a", encoding="utf-8") as f:
            f.write(f"{hook} {project['name']}\\n")
    if hook in (options.get("fail-hook"), os.environ.get("PYFIN_TEST_BACKEND_FAIL")):
        for number in range(1, 31):
            print(f"backend output line {number}", flush=True)
        raise RuntimeError(f"{hook} failed on purpose")
    return project, options


def _dist(project):
    return project["name"].replace("-", "_").replace(".", "_")


def _metadata(project):
    lines = ["Metadata-Version: 2.1", f"Name: {project['name']}", f"Version: {project['version']}"]
    lines += [f"Requires-Dist: {req}" for req in project.get("dependencies", [])]
    return "\\n".join(lines) + "\\n"


def _write_dist_info(directory, project):
    info = os.path.join(directory, f"{_dist(project)}-{project['version']}.dist-info")
    os.makedirs(info, exist_ok=True)
    with open(os.path.join(info, "METADATA"), "w", encoding="utf-8") as f:
        f.write(_metadata(project))
    return os.path.basename(info)


def _record_line(name, data):
    digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()
    return f"{name},sha256={digest},{len(data)}"


def _wheel(directory, project, files, config_settings):
    dist = _dist(project)
    info = f"{dist}-{project['version']}.dist-info"
    entries = dict(files)
    entries[f"{info}/METADATA"] = _metadata(project).encode()
    entries[f"{info}/WHEEL"] = (
        b"Wheel-Version: 1.0\\nGenerator: pyfin-test-backend\\nRoot-Is-Purelib: true\\n"
        b"Tag: py3-none-any\\n"
    )
    entries[f"{info}/config_settings.json"] = json.dumps(config_settings or {}).encode()
    record = [_record_line(name, data) for name, data in entries.items()]
    record.append(f"{info}/RECORD,,")
    entries[f"{info}/RECORD"] = ("\\n".join(record) + "\\n").encode()
    filename = f"{dist}-{project['version']}-py3-none-any.whl"
    with zipfile.ZipFile(os.path.join(directory, filename), "w") as zf:
        for name, data in entries.items():
            zf.writestr(name, data)
    return filename


def _package_files(project):
    dist = _dist(project)
    files = {}
    for root, _dirs, names in os.walk(dist):
        for name in names:
            if not name.endswith(".pyc"):
                path = os.path.join(root, name)
                with open(path, "rb") as f:
                    files[path.replace(os.sep, "/")] = f.read()
    return files


def get_requires_for_build_wheel(config_settings=None):
    _project_data, options = _log("get_requires_for_build_wheel")
    return list(options.get("wheel-requires", []))


def get_requires_for_build_editable(config_settings=None):
    _project_data, options = _log("get_requires_for_build_editable")
    return list(options.get("wheel-requires", []))


def get_requires_for_build_sdist(config_settings=None):
    _log("get_requires_for_build_sdist")
    return []


def _prepare_metadata_for_build_wheel(metadata_directory, config_settings=None):
    project, _options = _log("prepare_metadata_for_build_wheel")
    return _write_dist_info(metadata_directory, project)


def _prepare_metadata_for_build_editable(metadata_directory, config_settings=None):
    project, _options = _log("prepare_metadata_for_build_editable")
    return _write_dist_info(metadata_directory, project)


def __getattr__(name):
    if name in ("prepare_metadata_for_build_wheel", "prepare_metadata_for_build_editable"):
        _project_data, options = _project()
        if options.get("prepare-metadata", True):
            return globals()["_" + name]
    raise AttributeError(name)


def build_wheel(wheel_directory, config_settings=None, metadata_directory=None):
    project, _options = _log("build_wheel")
    return _wheel(wheel_directory, project, _package_files(project), config_settings)


def build_editable(wheel_directory, config_settings=None, metadata_directory=None):
    project, _options = _log("build_editable")
    pth = {f"_{_dist(project)}_editable.pth": (os.path.abspath(".") + "\\n").encode()}
    return _wheel(wheel_directory, project, pth, config_settings)


def build_sdist(sdist_directory, config_settings=None):
    project, _options = _log("build_sdist")
    base = f"{_dist(project)}-{project['version']}"
    filename = f"{base}.tar.gz"
    with tarfile.open(os.path.join(sdist_directory, filename), "w:gz") as tar:
        for root, dirs, names in os.walk("."):
            dirs[:] = sorted(d for d in dirs if d not in ("__pycache__", "dist"))
            for name in sorted(names):
                path = os.path.normpath(os.path.join(root, name))
                tar.add(path, arcname=f"{base}/{path}")
        data = _metadata(project).encode()
        info = tarfile.TarInfo(f"{base}/PKG-INFO")
        info.size = len(data)
        tar.addfile(info, io.BytesIO(data))
    return filename
'''


def _toml_list(items: Sequence[str]) -> str:
    return "[" + ", ".join(f'"{item}"' for item in items) + "]"


def write_intree_project(
    parent: Path,
    name: str,
    version: str = "1.0",
    *,
    build_requires: Sequence[str] = (),
    dependencies: Sequence[str] = (),
    prepare_metadata: bool = True,
    wheel_requires: Sequence[str] = (),
    fail_hook: str | None = None,
    backend_path: Sequence[str] = ("_backend",),
    module_source: str = "VALUE = 1\n",
) -> Path:
    """Write `parent/<name>/`, a project built by the in-tree test backend; return the tree.

    The importable package is `<name with _>/__init__.py` holding `module_source`.
    """
    tree = parent / name
    dist = name.replace("-", "_").replace(".", "_")
    (tree / "_backend").mkdir(parents=True)
    (tree / "_backend" / "pyfin_test_backend.py").write_text(BACKEND_SOURCE, encoding="utf-8")
    (tree / dist).mkdir()
    (tree / dist / "__init__.py").write_text(module_source, encoding="utf-8")
    options = [f"prepare-metadata = {'true' if prepare_metadata else 'false'}"]
    options.append(f"wheel-requires = {_toml_list(wheel_requires)}")
    if fail_hook is not None:
        options.append(f'fail-hook = "{fail_hook}"')
    (tree / "pyproject.toml").write_text(
        textwrap.dedent(
            f"""\
            [build-system]
            requires = {_toml_list(build_requires)}
            build-backend = "pyfin_test_backend"
            backend-path = {_toml_list(backend_path)}

            [project]
            name = "{name}"
            version = "{version}"
            dependencies = {_toml_list(dependencies)}

            [tool.testbackend]
            """
        )
        + "\n".join(options)
        + "\n",
        encoding="utf-8",
    )
    return tree


def write_files(tree: Path, files: Mapping[str, str]) -> Path:
    """Write `files` (relative path -> text, dedented) under `tree`; return `tree`."""
    for relative, text in files.items():
        path = tree / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text), encoding="utf-8")
    return tree


def sdist_from_tree(tree: Path, out_dir: Path, top: str, *, fmt: str = "tar.gz") -> Path:
    """Pack every file of `tree` under the top folder `top` into `out_dir/<top>.<fmt>`
    (`tar.gz` or `zip`), as an sdist would be laid out."""
    out_dir.mkdir(parents=True, exist_ok=True)
    files = sorted(p for p in tree.rglob("*") if p.is_file() and "__pycache__" not in p.parts)
    path = out_dir / f"{top}.{fmt}"
    if fmt == "zip":
        with zipfile.ZipFile(path, "w") as zf:
            for file in files:
                zf.write(file, f"{top}/{file.relative_to(tree).as_posix()}")
    else:
        with tarfile.open(path, "w:gz") as tar:
            for file in files:
                tar.add(file, arcname=f"{top}/{file.relative_to(tree).as_posix()}")
    return path


HostileKind = Literal["traversal", "absolute", "symlink", "hardlink", "device"]


def hostile_sdist(out_dir: Path, kind: HostileKind, *, fmt: str = "tar.gz") -> Path:
    """An sdist `evil-1.0.<fmt>` with a harmless first member and then one hostile member:
    `../escaped.txt` (traversal), `/tmp/...` (absolute), a symlink or hard link to
    `../../outside`, or a character device. Zip supports traversal and absolute only."""
    out_dir.mkdir(parents=True, exist_ok=True)
    top = "evil-1.0"
    good = (f"{top}/pyproject.toml", b'[project]\nname = "evil"\nversion = "1.0"\n')
    path = out_dir / f"{top}-{kind}.{fmt}"
    bad_names = {
        "traversal": f"{top}/../../escaped.txt",
        "absolute": "/tmp/pyfin-escaped.txt",
    }
    if fmt == "zip":
        with zipfile.ZipFile(path, "w") as zf:
            zf.writestr(good[0], good[1])
            zf.writestr(bad_names[kind], b"escaped\n")
        return path
    with tarfile.open(path, "w:gz") as tar:
        first = tarfile.TarInfo(good[0])
        first.size = len(good[1])
        tar.addfile(first, io.BytesIO(good[1]))
        if kind in bad_names:
            info = tarfile.TarInfo(bad_names[kind])
            info.size = 8
            tar.addfile(info, io.BytesIO(b"escaped\n"))
        elif kind in ("symlink", "hardlink"):
            info = tarfile.TarInfo(f"{top}/link")
            info.type = tarfile.SYMTYPE if kind == "symlink" else tarfile.LNKTYPE
            info.linkname = "../../outside" if kind == "symlink" else "../outside"
            tar.addfile(info)
        else:
            info = tarfile.TarInfo(f"{top}/device")
            info.type = tarfile.CHRTYPE
            info.devmajor, info.devminor = 1, 3
            tar.addfile(info)
    return path
