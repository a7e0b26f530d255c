"""The public surface of install_wheel, and small pure helpers."""

from __future__ import annotations

import install_wheel
from install_wheel import DirectUrl, LinkMode
from install_wheel._scripts import shebang


def test_all_is_what_we_export() -> None:
    assert sorted(install_wheel.__all__) == [
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


def test_link_mode_fallback_chains() -> None:
    assert LinkMode.CLONE.chain() == (LinkMode.CLONE, LinkMode.HARDLINK, LinkMode.COPY)
    assert LinkMode.HARDLINK.chain() == (LinkMode.HARDLINK, LinkMode.COPY)
    assert LinkMode.SYMLINK.chain() == (LinkMode.SYMLINK,)


def test_shebang_limit() -> None:
    short = "/usr/bin/python3"
    assert shebang(short) == b"#!/usr/bin/python3\n"
    exactly = "/" + "p" * 124  # "#!" + 125 characters = 127 bytes: still fits
    assert shebang(exactly) == f"#!{exactly}\n".encode()
    assert shebang(exactly + "p").startswith(b"#!/bin/sh\n")
    assert shebang("/a b/python") == b"#!/bin/sh\n'''exec' '/a b/python' \"$0\" \"$@\"\n' '''\n"


def test_direct_url_kinds() -> None:
    vcs = DirectUrl(
        "https://tok@github.com/o/r.git", vcs="git", commit_id="abc", requested_revision="main"
    )
    assert vcs.to_json() == (
        b'{"url": "https://github.com/o/r.git", "vcs_info": '
        b'{"commit_id": "abc", "requested_revision": "main", "vcs": "git"}}'
    )
    ssh = DirectUrl("ssh://git@github.com/o/r.git", vcs="git", commit_id="abc")
    assert b"git@github.com" in ssh.to_json()
    editable = DirectUrl("file:///src/proj", directory=True, editable=True)
    assert editable.to_json() == b'{"dir_info": {"editable": true}, "url": "file:///src/proj"}'
    env = DirectUrl("https://${TOKEN}@example.org/x.whl")
    assert b"${TOKEN}@" in env.to_json()
