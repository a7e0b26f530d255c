"""Hostile input to the CLI, in-process through `pyfin._cli.main(argv)`: requirements files
(fuzzed content, run all the way through `pip sync`) and command lines. Never a traceback;
a failure is one `error:` line (with file and line for a requirements file), exit non-zero.

The runs are contained: no interpreter exists outside the fuzz venv (PATH, PYENV_ROOT and
HOME point at empty folders), every proxy points at a closed port, the cache is a temp one.
"""

from __future__ import annotations

import contextlib
import io
import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from reliability_rig import venv_state

from pyfin._cli import main
from pyfin._requirements_txt import read_requirements
from pyfin._requirements_txt_errors import RequirementsTxtError

FUZZ = settings(
    max_examples=300,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)


@pytest.fixture(scope="module")
def sandbox(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """A working folder with a venv, entered, under a contained environment."""
    root = tmp_path_factory.mktemp("fuzz")
    empty = root / "empty"
    empty.mkdir()
    (root / "work").mkdir()
    (root / "work" / "inc.txt").write_text("six==1.0\n-r inc.txt\n")
    saved_env = dict(os.environ)
    saved_cwd = Path.cwd()
    os.chdir(root / "work")
    with contextlib.redirect_stderr(io.StringIO()):
        assert main(["venv", "-q", "--python", str(_real_python()), str(root / "venv")]) == 0
    os.environ.clear()
    os.environ.update(
        {
            "PATH": str(empty),
            "PYENV_ROOT": str(empty),
            "HOME": str(empty),
            "PYFIN_CACHE_DIR": str(root / "cache"),
            "VIRTUAL_ENV": str(root / "venv"),
            "HTTP_PROXY": "http://127.0.0.1:9",
            "HTTPS_PROXY": "http://127.0.0.1:9",
            "ALL_PROXY": "http://127.0.0.1:9",
            "NO_COLOR": "1",
            "PYFIN_HTTP_TIMEOUT": "1",
        }
    )
    try:
        yield root
    finally:
        os.environ.clear()
        os.environ.update(saved_env)
        os.chdir(saved_cwd)


def _real_python() -> Path:
    import sys

    return Path(sys.base_prefix) / "bin" / "python3.11"


def _run(argv: list[str]) -> tuple[int, str]:
    err = io.StringIO()
    with contextlib.redirect_stderr(err), contextlib.redirect_stdout(io.StringIO()):
        status = main(argv)
    return status, err.getvalue()


_SHOW_MISSING = ("warning: Package(s) not found for: ",)


def _assert_clean_failure(status: int, stderr: str, *, show: bool = False) -> None:
    assert "Traceback" not in stderr
    if status == 0:
        return
    assert status in (1, 2), (status, stderr)
    errors = [line for line in stderr.splitlines() if line.startswith("error: ")]
    usage = [
        line for line in stderr.splitlines() if line.startswith("pyfin") and ": error: " in line
    ]
    if show and status == 1 and not errors and (not stderr or stderr.startswith(_SHOW_MISSING)):
        return  # `pip show` of a missing package: a warning (hidden by -qq), exit 1, as in pip
    assert len(errors) + len(usage) == 1, stderr


LINE_PARTS = st.sampled_from(
    [
        "pkg0",
        "pkg0==1.0",
        "Pkg_0",
        "==",
        "===",
        "~=",
        ">=",
        "!=",
        "1.0",
        "1.*",
        "a",
        "[x]",
        "[",
        "]",
        ";",
        " ; ",
        "python_version",
        "platform_machine",
        "extra",
        "os_name",
        " and ",
        " or ",
        "<",
        "'3.8'",
        "'abc'",
        "'1.0.0.0.0a'",
        '"',
        "(",
        ")",
        " @ ",
        "@",
        "file:///dev/null",
        "file:///nonexistent/x-1.0-py3-none-any.whl",
        "x-1.0-py3-none-any.whl",
        "https://127.0.0.1:9/x.whl",
        "git+https://h/r",
        "#egg=x",
        "#",
        " #",
        "\\",
        "\\\n",
        "\n",
        "\r\n",
        " ",
        "\t",
        "-r",
        "-c",
        "-e",
        "-f",
        "-i",
        "--hash=",
        "sha256:",
        "md5:" + "0" * 32,
        "--hash=sha256:" + "0" * 64,
        "--require-hashes",
        "--no-index",
        "--pre",
        "--no-binary",
        ":all:",
        "--only-binary",
        "--index-url",
        "--extra-index-url",
        "inc.txt",
        ".",
        "..",
        "/",
        "${HOME}",
        "${",
        "}",
        "\x00",
        "é",
        "\u2028",
        "-",
        "--",
        "--editable",
        "./pkg",
        "pyproject.toml",
        "setup.py",
        "*",
        "~",
        "$",
        "%",
        "%2F",
    ]
)


@FUZZ
@given(parts=st.lists(st.one_of(LINE_PARTS, st.text(max_size=3)), max_size=25))
def test_requirements_files_through_pip_sync(sandbox: Path, parts: list[str]) -> None:
    path = Path("fuzz.txt")
    path.write_text("".join(parts), encoding="utf-8", errors="surrogatepass")
    before = venv_state(sandbox / "venv")
    status, stderr = _run(["pip", "sync", "--offline", "fuzz.txt"])
    _assert_clean_failure(status, stderr)
    assert venv_state(sandbox / "venv") == before
    try:
        read_requirements([path])
    except RequirementsTxtError as exc:
        # A file the parser refuses: the CLI says exactly that, naming file and line.
        assert status == 1
        assert f"error: {exc}" in stderr.splitlines(), stderr
        assert str(exc).startswith("fuzz.txt:"), exc


@settings(FUZZ, max_examples=100)
@given(parts=st.lists(st.one_of(LINE_PARTS, st.text(max_size=3)), max_size=25))
def test_requirements_files_through_pip_compile(sandbox: Path, parts: list[str]) -> None:
    path = Path("fuzz.in")
    path.write_text("".join(parts), encoding="utf-8", errors="surrogatepass")
    status, stderr = _run(["pip", "compile", "--offline", "--python-version", "3.11", "fuzz.in"])
    _assert_clean_failure(status, stderr)
    try:
        read_requirements([path])
    except RequirementsTxtError as exc:
        assert status == 1
        assert f"error: {exc}" in stderr.splitlines(), stderr


@FUZZ
@given(data=st.binary(max_size=120))
def test_arbitrary_bytes_as_a_requirements_file(sandbox: Path, data: bytes) -> None:
    Path("bytes.txt").write_bytes(data)
    status, stderr = _run(["pip", "sync", "--offline", "bytes.txt"])
    _assert_clean_failure(status, stderr)


COMMANDS = st.sampled_from(
    [
        ["pip", "sync"],
        ["pip", "freeze"],
        ["pip", "list"],
        ["pip", "show"],
        ["pip", "check"],
        ["pip", "tree"],
        ["pip", "uninstall"],
        ["python", "find"],
        ["cache", "dir"],
        ["cache", "prune"],
        ["pip", "compile"],
        ["pip"],
        ["cache"],
        ["python"],
        [],
    ]
)
ARGS = st.sampled_from(
    [
        "-q",
        "-v",
        "-qq",
        "-vvv",
        "--offline",
        "--no-cache",
        "--cache-dir",
        "",
        "fuzz.txt",
        "inc.txt",
        "-r",
        "--link-mode",
        "clone",
        "bogus",
        "--reinstall-package",
        "--require-hashes",
        "-i",
        "http://",
        "http://u:p@[::1",
        "--index-url",
        "--find-links",
        "/nonexistent",
        "--exclude-editable",
        "--format",
        "json",
        "columns",
        "freeze",
        "--outdated",
        "--strict",
        "--depth",
        "-1",
        "0",
        "99999999999999999999",
        "--files",
        "--all",
        "pkg0",
        "pkg0==1.0",
        "pkg0[",
        "--dry-run",
        "--compile-bytecode",
        "-h",
        "--help",
        "-V",
        "=",
        "--=",
        "-",
        "--",
        "\x00",
        "é",
        "\u202e",
        " ",
        "--link-mode=",
        "--no-index",
        "--no-deps",
        "--user",
    ]
)


@FUZZ
@given(command=COMMANDS, args=st.lists(st.one_of(ARGS, st.text(max_size=6)), max_size=6))
def test_command_lines(sandbox: Path, command: list[str], args: list[str]) -> None:
    argv = [*command, *args]
    if any(arg.startswith("--sy") or arg.startswith("--br") for arg in argv):
        return  # never let a fuzzed abbreviation reach for a system interpreter
    status, stderr = _run(argv)
    _assert_clean_failure(status, stderr, show=command == ["pip", "show"])
