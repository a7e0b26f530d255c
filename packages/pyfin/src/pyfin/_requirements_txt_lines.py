"""Turn the text of one requirements file into statements, with pip's line rules.

Order of operations, as pip does it: split into physical lines; join a line ending in a
backslash with the next one (a comment line ends a continuation); drop comments (``#`` at the
start of a line or after whitespace, so ``#egg=`` and ``#sha256=`` in URLs survive); expand
``${NAME}`` (upper-case letters, digits, ``_``; unset variables stay as written); split the
line into the requirement part (words before the first word starting with ``-``) and the
options part, which is split like a shell command line.
"""

from __future__ import annotations

import codecs
import os
import re
import shlex
from collections.abc import Iterator, Mapping
from dataclasses import dataclass

from pyfin._requirements_txt_errors import RequirementsTxtError

__all__ = ["Statement", "decode_requirements_file", "statements"]

_COMMENT = re.compile(r"(^|\s+)#.*$")
_ENV_VAR = re.compile(r"\$\{([A-Z0-9_]+)\}")
_FIRST_OPTION = re.compile(r"(?:^|\s)-")
#: shlex's whitespace, and the characters that make its split differ from a plain split.
_SHELL_SPACE = re.compile(r"[ \t\r\n]+")
_SHELL_SPECIAL = re.compile(r"[\"'\\]")

#: Options that take a value, by every spelling, mapped to their long name.
_VALUE_OPTIONS = {
    "-r": "--requirement",
    "--requirement": "--requirement",
    "-c": "--constraint",
    "--constraint": "--constraint",
    "-e": "--editable",
    "--editable": "--editable",
    "-i": "--index-url",
    "--index-url": "--index-url",
    "--extra-index-url": "--extra-index-url",
    "-f": "--find-links",
    "--find-links": "--find-links",
    "--no-binary": "--no-binary",
    "--only-binary": "--only-binary",
    "--trusted-host": "--trusted-host",
    "--hash": "--hash",
    "--use-feature": "--use-feature",
}
#: Options that take no value.
_FLAG_OPTIONS = frozenset({"--no-index", "--pre", "--require-hashes", "--prefer-binary"})


@dataclass(frozen=True, slots=True)
class Statement:
    """One logical line: its first physical line number, requirement text, and options.

    `options` holds (long option name, value) pairs in the order written; flags have
    value None.
    """

    line: int
    requirement: str | None
    options: tuple[tuple[str, str | None], ...]


def decode_requirements_file(data: bytes, file: str) -> str:
    """Decode a requirements file: a BOM picks UTF-8/UTF-16/UTF-32, else UTF-8.

    Raises RequirementsTxtError naming the line of the first byte that is not UTF-8.
    """
    for bom, encoding in (
        (codecs.BOM_UTF32_LE, "utf-32"),
        (codecs.BOM_UTF32_BE, "utf-32"),
        (codecs.BOM_UTF8, "utf-8-sig"),
        (codecs.BOM_UTF16_LE, "utf-16"),
        (codecs.BOM_UTF16_BE, "utf-16"),
    ):
        if data.startswith(bom):
            try:
                return data.decode(encoding)
            except UnicodeDecodeError as exc:
                good = data[: exc.start].decode(encoding, errors="replace")
                raise RequirementsTxtError(
                    file, good.count("\n") + 1, f"the file is not valid {encoding} text"
                ) from exc
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise RequirementsTxtError(
            file, line, "the file is not UTF-8 text; save it as UTF-8"
        ) from exc


def _logical_lines(text: str) -> Iterator[tuple[int, str]]:
    """Yield (first physical line number, joined line), joining backslash continuations."""
    start: int | None = None
    parts: list[str] = []
    for number, physical in enumerate(text.splitlines(), start=1):
        is_comment = _COMMENT.match(physical) is not None
        line = physical
        if is_comment or not line.endswith("\\"):
            if is_comment:
                # A leading space keeps the comment recognisable once glued to a previous part.
                line = " " + line
            if parts:
                parts.append(line)
                assert start is not None
                yield start, "".join(parts)
                parts = []
                start = None
            else:
                yield number, line
        else:
            if not parts:
                start = number
            parts.append(line[:-1])
    if parts:
        assert start is not None
        yield start, "".join(parts)


def expand_env_vars(text: str, environ: Mapping[str, str]) -> str:
    """Replace each ``${NAME}`` whose NAME is set; leave the others as written (like pip)."""

    def replace(match: re.Match[str]) -> str:
        return environ.get(match.group(1), match.group(0))

    return _ENV_VAR.sub(replace, text)


def _split_options(text: str, file: str, line: int) -> tuple[tuple[str, str | None], ...]:
    try:
        # shlex reads one character at a time; lock files carry thousands of --hash words,
        # so text without quotes or escapes (nearly all of it) takes the same split directly.
        tokens = (
            _SHELL_SPACE.split(text.strip(" \t\r\n"))
            if _SHELL_SPECIAL.search(text) is None
            else shlex.split(text, posix=True)
        )
    except ValueError as exc:
        raise RequirementsTxtError(file, line, f"cannot split the options {text!r}: {exc}") from exc
    options: list[tuple[str, str | None]] = []
    index = 0
    while index < len(tokens):
        token = tokens[index]
        index += 1
        if not token.startswith("-") or token == "-":
            raise RequirementsTxtError(
                file,
                line,
                f"unexpected argument {token!r}: a requirement must come before any option "
                "on its line",
            )
        value: str | None
        if token.startswith("--"):
            name, equals, attached = token.partition("=")
            value = attached if equals else None
        else:
            name, value = token[:2], token[2:] or None
            if value is not None and value.startswith("="):
                value = value[1:]
        if name in _FLAG_OPTIONS:
            if value is not None:
                raise RequirementsTxtError(file, line, f"option '{name}' takes no value")
            options.append((name, None))
            continue
        long_name = _VALUE_OPTIONS.get(name)
        if long_name is None:
            raise RequirementsTxtError(file, line, f"unknown option '{name}'")
        if value is None:
            if index >= len(tokens):
                raise RequirementsTxtError(file, line, f"option '{name}' needs a value")
            value = tokens[index]
            index += 1
        if not value:
            raise RequirementsTxtError(file, line, f"option '{name}' needs a non-empty value")
        options.append((long_name, value))
    return tuple(options)


def statements(
    text: str, file: str, environ: Mapping[str, str] | None = None
) -> Iterator[Statement]:
    """Yield the statements of a requirements file's text, skipping blanks and comments.

    `file` names the file in errors. Raises RequirementsTxtError for unknown options,
    options lacking a value, and unbalanced quotes in the options part.
    """
    env = os.environ if environ is None else environ
    for line, raw in _logical_lines(text):
        content = _COMMENT.sub("", raw).strip()
        if not content:
            continue
        content = expand_env_vars(content, env)
        match = _FIRST_OPTION.search(content)
        if match is None:
            requirement, option_text = content, ""
        else:
            requirement = content[: match.start()].strip()
            option_text = content[match.start() :].strip()
        options = _split_options(option_text, file, line) if option_text else ()
        yield Statement(line, requirement or None, options)
