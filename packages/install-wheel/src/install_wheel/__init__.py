"""Install a wheel (or an already unzipped wheel) into an environment; uninstall by RECORD.

Standalone: stdlib and ``packaging`` only. The seam, as in pypa/installer, is a *source* and a
*destination*:

- sources: ``WheelFile`` (a ``.whl``) and ``UnpackedWheel`` (a directory made by ``unpack``,
  the cache form), both verified against RECORD before anything is written;
- destination: ``Destination`` = ``Scheme`` + interpreter + ``LinkMode`` (+ bytecode), made by
  ``destination_for(python=None, prefix=None)``;
- ``install(source, destination, installer=..., requested=..., direct_url=..., parallel=True)``;
- ``unpack(wheel, target_dir)``: stream a wheel into the cache form once, validated and hashed;
- ``uninstall(dist_info, scheme)`` and ``find_installed(scheme, name)``.

Errors derive from ``InstallWheelError``.
"""

from __future__ import annotations

from install_wheel._direct_url import DirectUrl
from install_wheel._errors import (
    InstallFailed,
    InstallWheelError,
    InvalidWheel,
    InvalidWheelFilename,
    SchemeQueryFailed,
    UninstallError,
    UnsupportedWheelVersion,
)
from install_wheel._install import InstallReport, install
from install_wheel._link import LinkMode
from install_wheel._scheme import Destination, Scheme, destination_for
from install_wheel._sources import UnpackedWheel, WheelFile, WheelSource, source_for
from install_wheel._uninstall import UninstallReport, find_installed, uninstall
from install_wheel._unpack import unpack

__all__ = [
    "Destination",
    "DirectUrl",
    "InstallFailed",
    "InstallReport",
    "InstallWheelError",
    "InvalidWheel",
    "InvalidWheelFilename",
    "LinkMode",
    "Scheme",
    "SchemeQueryFailed",
    "UninstallError",
    "UninstallReport",
    "UnpackedWheel",
    "UnsupportedWheelVersion",
    "WheelFile",
    "WheelSource",
    "destination_for",
    "find_installed",
    "install",
    "source_for",
    "uninstall",
    "unpack",
]
