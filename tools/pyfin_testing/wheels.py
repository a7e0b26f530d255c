"""Build real wheel files from declarative specs, including deliberately broken or hostile ones.

The common case::

    build_wheel(tmp_path, "demo", "1.0", files={"demo/__init__.py": "x = 1\\n"},
                requires=["attrs>=21"], entry_points={"console_scripts": {"demo": "demo:main"}})

writes ``tmp_path/demo-1.0-py3-none-any.whl`` with METADATA, WHEEL, entry_points.txt and a
correct RECORD (sha256 + size). Knobs for broken wheels: ``lie`` (RECORD lies about a file's
hash or size, or omits it), ``raw_entries`` (zip entries added verbatim, outside RECORD, with
any name: ``..``, absolute, NUL, duplicates, symlinks), ``metadata_name``/``metadata_version``
and ``dist_info`` (disagree with the file name), ``wheel_version``, ``filename``.

``PYPI_CORPUS`` pins real wheels (file name + sha256) chosen to cover what installing means
(pure and binary, ``.data`` scripts/data/headers, entry points, namespace packages, ``.libs``,
very large wheels); ``fetch_pypi_wheel`` downloads one into a cache directory once.
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
import stat
import tempfile
import urllib.request
import warnings
import zipfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

Content = bytes | str
Lie = Literal["hash", "size", "omit"]


@dataclass(frozen=True, slots=True)
class RawEntry:
    """A zip entry written as given, after the regular ones.

    ``name`` may be anything (a NUL byte survives, unlike with ``zipfile``'s own API);
    ``symlink`` marks it as a symbolic link whose target is ``content``; ``in_record`` adds a
    correct RECORD line for it; ``mode`` sets the Unix permission bits.
    """

    name: str
    content: Content = b""
    symlink: bool = False
    in_record: bool = False
    mode: int = 0o644


def _bytes(content: Content) -> bytes:
    return content.encode("utf-8") if isinstance(content, str) else content


def record_hash(data: bytes) -> str:
    """The RECORD hash field for ``data``: ``sha256=<urlsafe b64, no padding>``."""
    digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()
    return f"sha256={digest}"


def _metadata(
    name: str,
    version: str,
    requires: Sequence[str],
    requires_python: str | None,
    extras: Mapping[str, Sequence[str]],
) -> str:
    lines = ["Metadata-Version: 2.1", f"Name: {name}", f"Version: {version}"]
    if requires_python is not None:
        lines.append(f"Requires-Python: {requires_python}")
    lines.extend(f"Requires-Dist: {req}" for req in requires)
    for extra, reqs in extras.items():
        lines.append(f"Provides-Extra: {extra}")
        for req in reqs:
            marker = f'extra == "{extra}"'
            joined = f"{req} and {marker}" if ";" in req else f"{req}; {marker}"
            lines.append(f"Requires-Dist: {joined}")
    return "\n".join(lines) + "\n\n"


def _entry_points(groups: Mapping[str, Mapping[str, str]]) -> str:
    chunks = []
    for group, items in groups.items():
        body = "".join(f"{key} = {value}\n" for key, value in items.items())
        chunks.append(f"[{group}]\n{body}")
    return "\n".join(chunks)


def _write(zf: zipfile.ZipFile, name: str, data: bytes, mode: int, symlink: bool = False) -> None:
    info = zipfile.ZipInfo("placeholder", date_time=(2020, 1, 1, 0, 0, 0))
    # Set after construction: ZipInfo() would cut a name at a NUL byte.
    info.filename = name
    info.orig_filename = name
    info.compress_type = zipfile.ZIP_DEFLATED
    kind = stat.S_IFLNK if symlink else stat.S_IFREG
    info.external_attr = (kind | mode) << 16
    info.create_system = 3  # Unix, so external_attr's high half is read as a mode
    zf.writestr(info, data)


def build_wheel(
    out_dir: Path,
    name: str,
    version: str,
    *,
    files: Mapping[str, Content] | None = None,
    requires: Sequence[str] = (),
    requires_python: str | None = None,
    extras: Mapping[str, Sequence[str]] | None = None,
    tag: str = "py3-none-any",
    build_tag: str | None = None,
    entry_points: Mapping[str, Mapping[str, str]] | None = None,
    data: Mapping[str, Mapping[str, Content]] | None = None,
    executable: Sequence[str] = (),
    root_is_purelib: bool = True,
    wheel_version: str = "1.0",
    metadata_name: str | None = None,
    metadata_version: str | None = None,
    dist_info: str | None = None,
    extra_metadata_files: Mapping[str, Content] | None = None,
    lie: Mapping[str, Lie] | None = None,
    raw_entries: Sequence[RawEntry] = (),
    filename: str | None = None,
) -> Path:
    """Write a wheel into ``out_dir`` and return its path.

    ``files`` maps wheel-relative paths to contents; ``data`` maps a ``.data`` key
    (``scripts``, ``data``, ``headers``, ``purelib``, ``platlib``) to files under it;
    ``executable`` lists paths (as they appear in the wheel) that get mode 0o755.
    ``extra_metadata_files`` adds files to ``.dist-info`` (e.g. ``LICENSE``).
    ``lie[path]`` makes RECORD wrong for that path: ``"hash"``, ``"size"`` or ``"omit"``.
    Everything else takes a correct default derived from ``name``/``version``.
    """
    dist_name = name.replace("-", "_")
    stem = f"{dist_name}-{version}"
    info_dir = dist_info or f"{stem}.dist-info"
    data_dir = f"{stem}.data"
    entries: dict[str, bytes] = {path: _bytes(content) for path, content in (files or {}).items()}
    for key, items in (data or {}).items():
        for path, content in items.items():
            entries[f"{data_dir}/{key}/{path}"] = _bytes(content)
    entries[f"{info_dir}/METADATA"] = _metadata(
        metadata_name or name,
        metadata_version or version,
        requires,
        requires_python,
        extras or {},
    ).encode()
    entries[f"{info_dir}/WHEEL"] = (
        f"Wheel-Version: {wheel_version}\nGenerator: pyfin-testing\n"
        f"Root-Is-Purelib: {'true' if root_is_purelib else 'false'}\n"
        + "".join(f"Tag: {t}\n" for t in _expand_tags(tag))
    ).encode()
    if entry_points:
        entries[f"{info_dir}/entry_points.txt"] = _entry_points(entry_points).encode()
    for path, content in (extra_metadata_files or {}).items():
        entries[f"{info_dir}/{path}"] = _bytes(content)
    lies = lie or {}
    rows: list[str] = []
    for path, content in entries.items():
        how = lies.get(path)
        if how == "omit":
            continue
        digest = record_hash(content)
        size = len(content)
        if how == "hash":
            digest = record_hash(content + b"tampered")
        elif how == "size":
            size += 1
        rows.append(f"{path},{digest},{size}")
    for raw in raw_entries:
        if raw.in_record:
            content = _bytes(raw.content)
            rows.append(f"{raw.name},{record_hash(content)},{len(content)}")
    rows.append(f"{info_dir}/RECORD,,")
    entries[f"{info_dir}/RECORD"] = ("\n".join(rows) + "\n").encode()

    build = f"-{build_tag}" if build_tag else ""
    wheel_path = Path(out_dir) / (filename or f"{stem}{build}-{tag}.whl")
    wheel_path.parent.mkdir(parents=True, exist_ok=True)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # zipfile warns about the duplicates we ask for
        with zipfile.ZipFile(wheel_path, "w") as zf:
            for path, content in entries.items():
                _write(zf, path, content, 0o755 if path in executable else 0o644)
            for raw in raw_entries:
                _write(zf, raw.name, _bytes(raw.content), raw.mode, raw.symlink)
    return wheel_path


def _expand_tags(tag: str) -> list[str]:
    interpreters, abis, platforms = tag.split("-")
    return [
        f"{i}-{a}-{p}"
        for i in interpreters.split(".")
        for a in abis.split(".")
        for p in platforms.split(".")
    ]


# Real wheels for cp311 manylinux x86_64, uploaded before 2024-02; sizes in comments.
PYPI_CORPUS: tuple[tuple[str, str], ...] = (
    (
        "six-1.16.0-py2.py3-none-any.whl",
        "8abb2f1d86890a2dfb989f9a77cfcfd3e47c2a354b01111771326f8aa26e0254",
    ),  # 10 KiB
    (
        "attrs-23.2.0-py3-none-any.whl",
        "99b87a485a5820b23b879f04c2305b44b951b502fd64be915879d77a7e8fc6f1",
    ),  # 59 KiB
    (
        "requests-2.31.0-py3-none-any.whl",
        "58cd2187c01e70e6e26505bca751777aa9f2ee0b7f4300988b709f44e013003f",
    ),  # 61 KiB
    (
        "click-8.1.7-py3-none-any.whl",
        "ae74fb96c20a0277a1d615f1e4d73c8414f5a98db8b799a7931d1582f3390c28",
    ),  # 95 KiB
    (
        "idna-3.6-py3-none-any.whl",
        "c05567e9c24a6b9faaa835c4821bad0590fbb9d5779e7caa6e1cc4978e7eb24f",
    ),  # 60 KiB
    (
        "certifi-2024.2.2-py3-none-any.whl",
        "dc383c07b76109f368f6106eee2b593b04a011ea4d55f652c6ca24a754d1cdd1",
    ),  # 159 KiB
    (
        "packaging-23.2-py3-none-any.whl",
        "8c491190033a9af7e1d931d0b5dacc2ef47509b34dd0de67ed209b5203fc88c7",
    ),  # 51 KiB
    (
        "pyparsing-3.1.1-py3-none-any.whl",
        "32c7c0b711493c72ff18a981d24f28aaf9c1fb7ed5e9667c9e84e3db623bdbfb",
    ),  # 100 KiB
    (
        "typing_extensions-4.9.0-py3-none-any.whl",
        "af72aea155e91adfc61c3ae9e0e342dbc0cba726d6cba4b6c72c1f34e47291cd",
    ),  # 31 KiB
    (
        "pip-24.0-py3-none-any.whl",
        "ba0d021a166865d2265246961bec0152ff124de910c5cc39f1156ce3fa7c69dc",
    ),  # 2060 KiB
    (
        "setuptools-69.0.3-py3-none-any.whl",
        "385eb4edd9c9d5c17540511303e39a147ce2fc04bc55289c322b9e5904fe2c05",
    ),  # 800 KiB
    (
        "wheel-0.42.0-py3-none-any.whl",
        "177f9c9b0d45c47873b619f5b650346d632cdc35fb5e4d25058e09c9e581433d",
    ),  # 63 KiB
    (
        "black-24.1.1-cp311-cp311-manylinux_2_17_x86_64.manylinux2014_x86_64.whl",
        "b3d64db762eae4a5ce04b6e3dd745dcca0fb9560eb931a5be97472e38652a161",
    ),  # 1650 KiB
    (
        "zope.interface-6.1-cp311-cp311-manylinux_2_5_x86_64.manylinux1_x86_64.manylinux_2_17_x86_64.manylinux2014_x86_64.whl",
        "fddbab55a2473f1d3b8833ec6b7ac31e8211b0aa608df5ab09ce07f3727326de",
    ),  # 243 KiB
    (
        "jaraco.functools-4.0.0-py3-none-any.whl",
        "daf276ddf234bea897ef14f43c4e1bf9eefeac7b7a82a4dd69228ac20acff68d",
    ),  # 9 KiB
    (
        "protobuf-4.25.2-cp37-abi3-manylinux2014_x86_64.whl",
        "fc381d1dd0516343f1440019cedf08a7405f791cd49eef4ae1ea06520bc1c020",
    ),  # 287 KiB
    (
        "numpy-1.26.3-cp311-cp311-manylinux_2_17_x86_64.manylinux2014_x86_64.whl",
        "f25e2811a9c932e43943a2615e65fc487a0b6b49218899e62e426e7f0a57eeda",
    ),  # 17824 KiB
    (
        "scipy-1.12.0-cp311-cp311-manylinux_2_17_x86_64.manylinux2014_x86_64.whl",
        "8b8066bce124ee5531d12a74b617d9ac0ea59245246410e19bca549656d9a40a",
    ),  # 37518 KiB
    (
        "pillow-10.2.0-cp311-cp311-manylinux_2_28_x86_64.whl",
        "a086c2af425c5f62a65e12fbf385f7c9fcb8f107d0849dba5839461a129cf311",
    ),  # 4389 KiB
    (
        "docutils-0.20.1-py3-none-any.whl",
        "96f387a2c5562db4476f09f13bbab2192e764cac08ebbf3a34a95d9b1e4a59d6",
    ),  # 559 KiB
    (
        "ipykernel-6.29.0-py3-none-any.whl",
        "076663ca68492576f051e4af7720d33f34383e655f2be0d544c8b1c9de915b2f",
    ),  # 113 KiB
    (
        "pybind11-2.11.1-py3-none-any.whl",
        "33cdd02a6453380dd71cc70357ce388ad1ee8d32bd0e38fc22b273d050aa29b3",
    ),  # 222 KiB
    (
        "greenlet-3.0.3-cp311-cp311-manylinux_2_24_x86_64.manylinux_2_28_x86_64.whl",
        "b7f009caad047246ed379e1c4dbcb8b020f0a390667ea74d2387be2998f58a22",
    ),  # 605 KiB
    (
        "MarkupSafe-2.1.4-cp311-cp311-manylinux_2_17_x86_64.manylinux2014_x86_64.whl",
        "3ab3a886a237f6e9c9f4f7d272067e712cdb4efa774bef494dccad08f39d8ae6",
    ),  # 27 KiB
    (
        "PyYAML-6.0.1-cp311-cp311-manylinux_2_17_x86_64.manylinux2014_x86_64.whl",
        "d2b04aac4d386b172d5b9692e2d2da8de7bfb6c387fa4f801fbf6fb2e6ba4673",
    ),  # 739 KiB
    (
        "charset_normalizer-3.3.2-cp311-cp311-manylinux_2_17_x86_64.manylinux2014_x86_64.whl",
        "753f10e867343b4511128c6ed8c82f7bec3bd026875576dfd88483c5c73b2fd8",
    ),  # 136 KiB
    (
        "psutil-5.9.8-cp36-abi3-manylinux_2_12_x86_64.manylinux2010_x86_64.manylinux_2_17_x86_64.manylinux2014_x86_64.whl",
        "d06016f7f8625a1825ba3732081d77c94589dca78b7a3fc072194851e88461a4",
    ),  # 281 KiB
    (
        "lxml-5.1.0-cp311-cp311-manylinux_2_17_x86_64.manylinux2014_x86_64.whl",
        "7cfced4a069003d8913408e10ca8ed092c49a7f6cefee9bb74b6b3e860683b45",
    ),  # 7922 KiB
    (
        "cryptography-42.0.2-cp39-abi3-manylinux_2_28_x86_64.whl",
        "2f9f14185962e6a04ab32d1abe34eae8a9001569ee4edb64d2304bf0d65c53f3",
    ),  # 4542 KiB
    (
        "pygments-2.17.2-py3-none-any.whl",
        "b27c2826c47d0f3219f29554824c30c5e8945175d888647acd804ddd04af846c",
    ),  # 1152 KiB
    (
        "urllib3-2.1.0-py3-none-any.whl",
        "55901e917a5896a349ff771be919f8bd99aff50b79fe58fec595eb37bbc56bb3",
    ),  # 102 KiB
    (
        "pytest-8.0.0-py3-none-any.whl",
        "50fb9cbe836c3f20f0dfa99c565201fb75dc54c8d76373cd1bde06b06657bdb6",
    ),  # 326 KiB
    (
        "qtconsole-5.5.1-py3-none-any.whl",
        "8c75fa3e9b4ed884880ff7cea90a1b67451219279ec33deaee1d59e3df1a5d2b",
    ),  # 120 KiB
    (
        "mypy-1.8.0-cp311-cp311-manylinux_2_17_x86_64.manylinux2014_x86_64.whl",
        "d19c413b3c07cbecf1f991e2221746b0d2a9410b59cb3f4fb9557f0365a1a817",
    ),  # 12101 KiB
    (
        "ruff-0.1.14-py3-none-manylinux_2_17_x86_64.manylinux2014_x86_64.whl",
        "87b3acc6c4e6928459ba9eb7459dd4f0c4bf266a053c863d72a44c33246bfdbf",
    ),  # 7354 KiB
)


def _simple_url(filename: str) -> str:
    project = filename.split("-", maxsplit=1)[0].replace("_", "-").replace(".", "-").lower()
    index = f"https://pypi.org/simple/{project}/"
    request = urllib.request.Request(
        index, headers={"Accept": "application/vnd.pypi.simple.v1+json"}
    )
    with urllib.request.urlopen(request, timeout=60) as response:
        page = json.load(response)
    for file in page["files"]:
        if file["filename"] == filename:
            return str(file["url"])
    raise LookupError(f"{filename} is not on {index}")


def fetch_pypi_wheel(cache_dir: Path, filename: str, sha256: str) -> Path:
    """``cache_dir/filename``, downloaded from PyPI unless already there; checks ``sha256``.

    Safe for concurrent callers (download to a temp file, then rename). Raises ``ValueError``
    when the bytes do not match the pin.
    """
    target = Path(cache_dir) / filename
    if target.is_file():
        return target
    target.parent.mkdir(parents=True, exist_ok=True)
    digest = hashlib.sha256()
    fd, tmp_name = tempfile.mkstemp(prefix=".tmp-", dir=target.parent)
    tmp = Path(tmp_name)
    try:
        with (
            os.fdopen(fd, "wb") as out,
            urllib.request.urlopen(_simple_url(filename), timeout=300) as response,
        ):
            while chunk := response.read(1 << 20):
                digest.update(chunk)
                out.write(chunk)
        if digest.hexdigest() != sha256:
            raise ValueError(f"{filename}: sha256 {digest.hexdigest()} is not the pinned {sha256}")
        tmp.replace(target)
    finally:
        tmp.unlink(missing_ok=True)
    return target
