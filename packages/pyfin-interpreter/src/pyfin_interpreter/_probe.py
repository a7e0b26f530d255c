# ruff: noqa: UP004, UP024, UP035, PTH113, PTH118, F401, I001, E402
"""Runs inside the *target* interpreter and prints what pyfin needs to know about it as JSON.

This file is executed as a script (``python -E -s -B _probe.py``), never imported by pyfin.
It must stay parseable by Python 2.7 and 3.6 so that old interpreters reach the version check
below and report ``unsupported_python`` instead of a SyntaxError: no f-strings, no annotations
(mypy reads the type comments), no keyword-only arguments, no ``yield from``.

The platform tags are computed here, in the target, in the order ``packaging.tags.sys_tags()``
gives them (packaging 26.3+: native ``linux_*`` before ``manylinux``/``musllinux``), without
requiring ``packaging`` to be installed in the target.

Output, one JSON object on stdout:
``{"result": "success", ...fields...}`` or
``{"result": "error", "kind": "unsupported_python", "version": "2.7.18"}``.
"""

import sys

# Python puts this file's folder first on sys.path; nothing here should be importable from it.
if sys.path and sys.path[0]:
    del sys.path[0]

MINIMUM = (3, 8)

if sys.version_info[:2] < MINIMUM:
    sys.stdout.write(
        '{"result": "error", "kind": "unsupported_python", "version": "'
        + ".".join(str(part) for part in sys.version_info[:3])
        + '"}\n'
    )
    sys.stdout.flush()
    sys.exit(0)

import json
import os
import platform
import struct
import subprocess
import sysconfig

from typing import Dict, Iterator, List, Optional, Tuple

# glibc minor versions stop here for majors older than the running one (as packaging assumes).
LAST_GLIBC_MINOR = 50
LEGACY_MANYLINUX = {(2, 17): "manylinux2014", (2, 12): "manylinux2010", (2, 5): "manylinux1"}
MANYLINUX_ARCHS = ("x86_64", "aarch64", "ppc64", "ppc64le", "s390x", "loongarch64", "riscv64")
IMPLEMENTATION_SHORT_NAMES = {"cpython": "cp", "pypy": "pp", "ironpython": "ip", "jython": "jy"}


def full_version(info):
    # type: (Tuple[int, int, int, str, int]) -> str
    """``3.12.1``, ``3.13.0rc2``: the PEP 440 spelling of a ``sys.version_info``-like tuple."""
    version = str(info[0]) + "." + str(info[1]) + "." + str(info[2])
    level = info[3]
    if level != "final":
        version += {"alpha": "a", "beta": "b", "candidate": "rc"}.get(level, level[0])
        version += str(info[4])
    return version


def marker_environment():
    # type: () -> Dict[str, str]
    """The PEP 508 marker environment, key for key as ``packaging.markers.default_environment``."""
    impl = sys.implementation
    iver = impl.version
    implementation_version = full_version(
        (iver.major, iver.minor, iver.micro, iver.releaselevel, iver.serial)
    )
    return {
        "implementation_name": impl.name,
        "implementation_version": implementation_version,
        "os_name": os.name,
        "platform_machine": platform.machine(),
        "platform_release": platform.release(),
        "platform_system": platform.system(),
        "platform_version": platform.version(),
        "python_full_version": platform.python_version(),
        "platform_python_implementation": platform.python_implementation(),
        "python_version": ".".join(platform.python_version_tuple()[:2]),
        "sys_platform": sys.platform,
    }


def normalize(value):
    # type: (str) -> str
    return value.replace(".", "_").replace("-", "_").replace(" ", "_")


class Elf(object):
    """The few ELF header fields tag computation needs, or ``valid = False``."""

    def __init__(self, path):
        # type: (str) -> None
        self.valid = False
        self.is_64 = False
        self.little = True
        self.machine = 0
        self.flags = 0
        self.interpreter = None  # type: Optional[str]
        try:
            with open(path, "rb") as handle:
                self._read(handle.read())
        except (OSError, IOError, struct.error, ValueError, IndexError):
            self.valid = False

    def _read(self, data):
        # type: (bytes) -> None
        if data[:4] != b"\x7fELF":
            return
        self.is_64 = data[4:5] == b"\x02"
        self.little = data[5:6] == b"\x01"
        order = "<" if self.little else ">"
        self.machine = struct.unpack(order + "H", data[18:20])[0]
        if self.is_64:
            phoff = struct.unpack(order + "Q", data[32:40])[0]
            self.flags = struct.unpack(order + "I", data[48:52])[0]
            phentsize, phnum = struct.unpack(order + "HH", data[54:58])
        else:
            phoff = struct.unpack(order + "I", data[28:32])[0]
            self.flags = struct.unpack(order + "I", data[36:40])[0]
            phentsize, phnum = struct.unpack(order + "HH", data[42:46])
        for index in range(phnum):
            start = phoff + index * phentsize
            p_type = struct.unpack(order + "I", data[start : start + 4])[0]
            if p_type != 3:  # PT_INTERP: the dynamic loader's path
                continue
            if self.is_64:
                offset = struct.unpack(order + "Q", data[start + 8 : start + 16])[0]
                size = struct.unpack(order + "Q", data[start + 32 : start + 40])[0]
            else:
                offset = struct.unpack(order + "I", data[start + 4 : start + 8])[0]
                size = struct.unpack(order + "I", data[start + 16 : start + 20])[0]
            raw = data[offset : offset + size].split(b"\x00")[0]
            self.interpreter = raw.decode("ascii", "replace")
        self.valid = True


def glibc_version():
    # type: () -> Tuple[int, int]
    """(major, minor) of the glibc this process runs on, (-1, -1) when it is not glibc."""
    text = None  # type: Optional[str]
    try:
        confstr = os.confstr("CS_GNU_LIBC_VERSION")
        if confstr:
            text = confstr.split()[-1]
    except (AttributeError, OSError, ValueError):
        text = None
    if not text:
        try:
            import ctypes

            function = ctypes.CDLL(None).gnu_get_libc_version
            function.restype = ctypes.c_char_p
            raw = function()
            text = raw.decode("ascii") if isinstance(raw, bytes) else raw
        except (ImportError, OSError, AttributeError):
            return (-1, -1)
    digits = []  # type: List[int]
    for part in (text or "").split(".")[:2]:
        number = ""
        for char in part:
            if not char.isdigit():
                break
            number += char
        if not number:
            return (-1, -1)
        digits.append(int(number))
    if len(digits) != 2:
        return (-1, -1)
    return (digits[0], digits[1])


def manylinux_module_allows(arch, version):
    # type: (str, Tuple[int, int]) -> bool
    """The optional ``_manylinux`` module (PEP 600) may veto a glibc version."""
    try:
        module = __import__("_manylinux")
    except ImportError:
        return True
    if hasattr(module, "manylinux_compatible"):
        answer = module.manylinux_compatible(version[0], version[1], arch)
        return True if answer is None else bool(answer)
    legacy = {(2, 5): "manylinux1_compatible", (2, 12): "manylinux2010_compatible"}
    legacy[(2, 17)] = "manylinux2014_compatible"
    name = legacy.get(version)
    if name is not None and hasattr(module, name):
        return bool(getattr(module, name))
    return True


def manylinux_platforms(archs, elf):
    # type: (List[str], Elf) -> Iterator[str]
    if "armv7l" in archs:
        # hard-float ARM EABI5, 32-bit little endian
        compatible = (
            elf.valid
            and not elf.is_64
            and elf.little
            and elf.machine == 40
            and elf.flags & 0xFF000000 == 0x05000000
            and elf.flags & 0x400 == 0x400
        )
    elif "i686" in archs:
        compatible = elf.valid and not elf.is_64 and elf.little and elf.machine == 3
    else:
        compatible = any(arch in MANYLINUX_ARCHS for arch in archs)
    if not compatible:
        return
    current = glibc_version()
    oldest = (2, 4) if set(archs) & set(["x86_64", "i686"]) else (2, 16)
    maxima = [current] + [(major, LAST_GLIBC_MINOR) for major in range(current[0] - 1, 1, -1)]
    for arch in archs:
        for major, max_minor in maxima:
            min_minor = oldest[1] if major == oldest[0] else -1
            for minor in range(max_minor, min_minor, -1):
                version = (major, minor)
                if version > current or not manylinux_module_allows(arch, version):
                    continue
                yield "manylinux_" + str(major) + "_" + str(minor) + "_" + arch
                if version in LEGACY_MANYLINUX:
                    yield LEGACY_MANYLINUX[version] + "_" + arch


def musl_version(elf):
    # type: (Elf) -> Optional[Tuple[int, int]]
    """Ask the musl loader named in the executable's PT_INTERP for its version."""
    loader = elf.interpreter
    if not loader or "musl" not in loader:
        return None
    try:
        process = subprocess.Popen([loader], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        _, err = process.communicate()
    except OSError:
        return None
    lines = [line.strip() for line in err.decode("utf-8", "replace").splitlines()]
    lines = [line for line in lines if line]
    if len(lines) < 2 or not lines[0].startswith("musl") or not lines[1].startswith("Version "):
        return None
    parts = lines[1][len("Version ") :].split(".")
    try:
        return (int(parts[0]), int(parts[1]))
    except (ValueError, IndexError):
        return None


def linux_platforms():
    # type: () -> List[str]
    linux = normalize(sysconfig.get_platform())
    if not linux.startswith("linux_"):
        return [linux]
    if struct.calcsize("P") == 4:
        linux = {"linux_x86_64": "linux_i686", "linux_aarch64": "linux_armv8l"}.get(linux, linux)
    arch = linux.split("_", 1)[1]
    archs = ["armv8l", "armv7l"] if arch == "armv8l" else [arch]
    platforms = ["linux_" + each for each in archs]
    elf = Elf(sys.executable)
    platforms.extend(manylinux_platforms(archs, elf))
    musl = musl_version(elf)
    if musl is not None:
        for each in archs:
            for minor in range(musl[1], -1, -1):
                platforms.append("musllinux_" + str(musl[0]) + "_" + str(minor) + "_" + each)
    return platforms


def mac_binary_formats(version, arch):
    # type: (Tuple[int, int], str) -> List[str]
    formats = [arch]
    if arch == "x86_64":
        if version < (10, 4):
            return []
        formats.extend(["intel", "fat64", "fat32"])
    elif arch == "i386":
        if version < (10, 4):
            return []
        formats.extend(["intel", "fat32", "fat"])
    elif arch == "ppc64":
        if version > (10, 5) or version < (10, 4):
            return []
        formats.append("fat64")
    elif arch == "ppc":
        if version > (10, 6):
            return []
        formats.extend(["fat32", "fat"])
    if arch in ("arm64", "x86_64"):
        formats.append("universal2")
    if arch in ("x86_64", "i386", "ppc64", "ppc", "intel"):
        formats.append("universal")
    return formats


def mac_platforms():
    # type: () -> List[str]
    release = platform.mac_ver()[0]
    numbers = [int(part) for part in release.split(".")[:2]] + [0]
    version = (numbers[0], numbers[1])
    if version == (10, 16):
        # An interpreter built against an old SDK sees 11.x as 10.16; ask the system.
        try:
            output = subprocess.check_output(
                [sys.executable, "-sS", "-c", "import platform; print(platform.mac_ver()[0])"],
                env={"SYSTEM_VERSION_COMPAT": "0"},
            )
            parts = output.decode("ascii").strip().split(".")
            version = (int(parts[0]), int(parts[1]) if len(parts) > 1 else 0)
        except (OSError, subprocess.CalledProcessError, ValueError):
            pass
    arch = platform.mac_ver()[2]
    if struct.calcsize("P") == 4:
        arch = "ppc" if arch.startswith("ppc") else "i386"
    platforms = []  # type: List[str]
    if (10, 0) <= version < (11, 0):
        for minor in range(version[1], -1, -1):
            for fmt in mac_binary_formats((10, minor), arch):
                platforms.append("macosx_10_" + str(minor) + "_" + fmt)
    if version >= (11, 0):
        for major in range(version[0], 10, -1):
            for fmt in mac_binary_formats((major, 0), arch):
                platforms.append("macosx_" + str(major) + "_0_" + fmt)
        if arch == "x86_64":
            for minor in range(16, 3, -1):
                for fmt in mac_binary_formats((10, minor), arch):
                    platforms.append("macosx_10_" + str(minor) + "_" + fmt)
        else:
            for minor in range(16, 3, -1):
                platforms.append("macosx_10_" + str(minor) + "_universal2")
    return platforms


def platform_tags():
    # type: () -> List[str]
    system = platform.system()
    if system == "Linux":
        return linux_platforms()
    if system == "Darwin":
        return mac_platforms()
    return [normalize(sysconfig.get_platform())]


def config_var(name):
    # type: (str) -> object
    return sysconfig.get_config_var(name)


def cpython_abis(version):
    # type: (Tuple[int, int]) -> List[str]
    nodot = str(version[0]) + str(version[1])
    debug = ""
    threading = ""
    with_debug = config_var("Py_DEBUG")
    import importlib.machinery

    has_debug_ext = "_d.pyd" in importlib.machinery.EXTENSION_SUFFIXES
    if with_debug or (with_debug is None and (hasattr(sys, "gettotalrefcount") or has_debug_ext)):
        debug = "d"
    if version >= (3, 13) and config_var("Py_GIL_DISABLED"):
        threading = "t"
    abis = ["cp" + nodot + threading + debug]
    if debug:
        abis.append("cp" + nodot + threading)
    return abis


def generic_abis():
    # type: () -> List[str]
    suffix = config_var("EXT_SUFFIX")
    if not isinstance(suffix, str) or not suffix.startswith("."):
        return []
    parts = suffix.split(".")
    if len(parts) < 3:
        return cpython_abis((sys.version_info[0], sys.version_info[1]))
    soabi = parts[1]
    if soabi.startswith("cpython"):
        abi = "cp" + soabi.split("-")[1]
    elif soabi.startswith("cp"):
        abi = soabi.split("-")[0]
    elif soabi.startswith("pypy"):
        abi = "-".join(soabi.split("-")[:2])
    elif soabi.startswith("graalpy"):
        abi = "-".join(soabi.split("-")[:3])
    elif soabi:
        abi = soabi
    else:
        return []
    return [normalize(abi)]


def supported_tags():
    # type: () -> List[str]
    """Every tag this interpreter accepts, most preferred first (``sys_tags()`` order)."""
    major, minor = sys.version_info[0], sys.version_info[1]
    platforms = platform_tags()
    name = sys.implementation.name
    short = IMPLEMENTATION_SHORT_NAMES.get(name, name)
    nodot = config_var("py_version_nodot")
    interpreter_version = str(nodot) if nodot else str(major) + str(minor)
    tags = []  # type: List[str]

    def add(interpreter, abi, plats):
        # type: (str, str, List[str]) -> None
        for plat in plats:
            tags.append(interpreter + "-" + abi + "-" + plat)

    if short == "cp":
        interpreter = "cp" + str(major) + str(minor)
        abis = cpython_abis((major, minor))
        threaded = "t" in abis[0][len(interpreter) :]
        for abi in abis:
            add(interpreter, abi, platforms)
        if not threaded:
            add(interpreter, "abi3", platforms)
        else:
            add(interpreter, "abi3t", platforms)
        add(interpreter, "none", platforms)
        for older in range(minor - 1, 1, -1):
            add("cp" + str(major) + str(older), "abi3t" if threaded else "abi3", platforms)
        exact = "cp" + interpreter_version  # type: Optional[str]
    else:
        interpreter = short + interpreter_version
        abis = generic_abis()
        if "none" not in abis:
            abis.append("none")
        for abi in abis:
            add(interpreter, abi, platforms)
        exact = "pp3" if short == "pp" else None
    py_versions = ["py" + str(major) + str(minor), "py" + str(major)]
    py_versions.extend("py" + str(major) + str(older) for older in range(minor - 1, -1, -1))
    for version in py_versions:
        add(version, "none", platforms)
    if exact:
        tags.append(exact + "-none-any")
    for version in py_versions:
        tags.append(version + "-none-any")
    return tags


def base_executable():
    # type: () -> str
    """The binary of the base interpreter: this one, or the one a virtualenv points at."""
    if sys.prefix == sys.base_prefix:
        return sys.executable
    candidate = getattr(sys, "_base_executable", None)
    if candidate and candidate != sys.executable and os.path.isfile(candidate):
        return str(candidate)
    home = None
    try:
        with open(os.path.join(sys.prefix, "pyvenv.cfg")) as handle:
            for line in handle:
                key, sep, value = line.partition("=")
                if sep and key.strip().lower() == "home":
                    home = value.strip()
    except (OSError, IOError):
        home = None
    if home:
        version = sys.version_info
        for name in ("python" + str(version[0]) + "." + str(version[1]), "python3", "python"):
            path = os.path.join(home, name)
            if os.path.isfile(path):
                return path
    return sys.executable


def scheme():
    # type: () -> Dict[str, str]
    paths = sysconfig.get_paths()
    keys = ("purelib", "platlib", "scripts", "data", "include")
    return {key: paths[key] for key in keys}


def main():
    # type: () -> None
    gil_disabled = bool(config_var("Py_GIL_DISABLED"))
    info = {
        "result": "success",
        "sys_executable": sys.executable,
        "prefix": sys.prefix,
        "base_prefix": sys.base_prefix,
        "base_exec_prefix": sys.base_exec_prefix,
        "base_executable": base_executable(),
        "version": full_version(tuple(sys.version_info)),  # type: ignore[arg-type]
        "implementation_name": sys.implementation.name,
        "markers": marker_environment(),
        "tags": supported_tags(),
        "scheme": scheme(),
        "is_virtualenv": sys.prefix != sys.base_prefix,
        "gil_disabled": gil_disabled,
        "pointer_size": struct.calcsize("P") * 8,
    }
    sys.stdout.write(json.dumps(info))
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
