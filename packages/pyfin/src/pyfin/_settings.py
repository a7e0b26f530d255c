"""Defaults for options from `PYFIN_*` environment variables and configuration files.

One table, `SETTINGS`, names every option that has a setting: its argparse `dest`, its
environment variable and its kind. The configuration key is the long option in kebab case
(`index_url` -> `index-url`). Precedence: command line > environment > file > built-in default.

A file is `--config-file` / `$PYFIN_CONFIG_FILE`, else the nearest `pyfin.toml` (keys at top
level) or `pyproject.toml` with a `[tool.pyfin]` table, searching the working directory and its
parents (`pyfin.toml` wins in the same folder). `--no-config` / `$PYFIN_NO_CONFIG` skip the
search. pip's own configuration (pip.conf, `PIP_*`) is never read.

`pyfin._parser` defers the defaults of the chosen command's options (so an unset option is
visible) and `pyfin._run` fills in what the command line left unset (`apply`) before the
command runs; the global `--cache-dir` / `--no-cache` go through `global_setting`.
"""

from __future__ import annotations

import argparse
import os
from pathlib import Path

from pyfin._errors import PyfinError
from pyfin._parser import OPTION_DEFAULTS

TYPE_CHECKING = False  # not typing.TYPE_CHECKING: see pyfin._parser
if TYPE_CHECKING:
    from collections.abc import Mapping

__all__ = [
    "GLOBAL_SETTINGS",
    "SETTINGS",
    "Settings",
    "SettingsError",
    "apply",
    "global_setting",
    "parse_bool",
]

_BOOL, _STR, _LIST = "bool", "str", "list"

#: argparse `dest` -> (environment variable, kind). A list's variable is space-separated.
SETTINGS: dict[str, tuple[str, str]] = {
    "index_url": ("PYFIN_INDEX_URL", _STR),
    "extra_index_url": ("PYFIN_EXTRA_INDEX_URL", _LIST),
    "find_links": ("PYFIN_FIND_LINKS", _LIST),
    "no_index": ("PYFIN_NO_INDEX", _BOOL),
    "index_strategy": ("PYFIN_INDEX_STRATEGY", _STR),
    "offline": ("PYFIN_OFFLINE", _BOOL),
    "exclude_newer": ("PYFIN_EXCLUDE_NEWER", _STR),
    "prerelease": ("PYFIN_PRERELEASE", _STR),
    "resolution": ("PYFIN_RESOLUTION", _STR),
    "python": ("PYFIN_PYTHON", _STR),
    "system": ("PYFIN_SYSTEM_PYTHON", _BOOL),
    "link_mode": ("PYFIN_LINK_MODE", _STR),
    "compile_bytecode": ("PYFIN_COMPILE_BYTECODE", _BOOL),
    "no_build": ("PYFIN_NO_BUILD", _BOOL),
    "require_hashes": ("PYFIN_REQUIRE_HASHES", _BOOL),
    # Global options (declared on every level; merged by pyfin._options.GlobalOptions):
    "cache_dir": ("PYFIN_CACHE_DIR", _STR),
    "no_cache": ("PYFIN_NO_CACHE", _BOOL),
}

#: Global options that choose the files themselves: environment only, never a file's key.
GLOBAL_SETTINGS: dict[str, tuple[str, str]] = {
    "config_file": ("PYFIN_CONFIG_FILE", _STR),
    "no_config": ("PYFIN_NO_CONFIG", _BOOL),
}

_TRUE = frozenset({"1", "true", "yes", "on"})
_FALSE = frozenset({"0", "false", "no", "off"})


class SettingsError(PyfinError):
    """A setting in `source` (a file or an environment variable) is wrong: `key` and `reason`."""

    def __init__(self, source: str, key: str, reason: str) -> None:
        super().__init__(source, key, reason)
        self.source = source
        self.key = key
        self.reason = reason

    def __str__(self) -> str:
        where = self.source if self.source == self.key else f"`{self.key}` in {self.source}"
        return f"invalid setting {where}: {self.reason}"


def parse_bool(text: str, variable: str) -> bool:
    """`1/true/yes/on` or `0/false/no/off` (any case); else a `SettingsError` naming `variable`."""
    lowered = text.strip().lower()
    if lowered in _TRUE:
        return True
    if lowered in _FALSE:
        return False
    raise SettingsError(
        variable, variable, f"{text!r} is not a boolean; use 1, true, yes, 0, false or no"
    )


class Settings:
    """The environment and the one configuration file (if any) that give defaults."""

    __slots__ = ("environ", "file", "values")

    def __init__(
        self, environ: Mapping[str, str], file: Path | None, values: Mapping[str, object]
    ) -> None:
        self.environ = environ
        self.file = file
        self.values = values

    @classmethod
    def load(
        cls,
        *,
        config_file: str | None,
        no_config: bool,
        cwd: Path | None = None,
        environ: Mapping[str, str] | None = None,
    ) -> Settings:
        """Read the settings: the command line's choice of file first, then the environment's."""
        env = os.environ if environ is None else environ
        if config_file is None:
            config_file = env.get("PYFIN_CONFIG_FILE") or None
        if not no_config and "PYFIN_NO_CONFIG" in env:
            no_config = parse_bool(env["PYFIN_NO_CONFIG"], "PYFIN_NO_CONFIG")
        if config_file is not None:
            path = Path(config_file)
            return cls(env, path, _read_file(path, table=path.name == "pyproject.toml"))
        if no_config:
            return cls(env, None, {})
        found = _discover(Path.cwd() if cwd is None else cwd)
        return cls(env, None, {}) if found is None else cls(env, found[0], found[1])

    def lookup(self, dest: str) -> tuple[object, str] | None:
        """The raw value for `dest` and where it came from, or None if nothing sets it."""
        variable, kind = SETTINGS[dest]
        text = self.environ.get(variable)
        if text:
            if kind == _BOOL:
                return parse_bool(text, variable), variable
            return (text.split() if kind == _LIST else text), variable
        key = dest.replace("_", "-")
        if key in self.values:
            return self.values[key], str(self.file)
        return None


def apply(args: argparse.Namespace, settings: Settings) -> None:
    """Fill in each of the command's own options the command line left unset (see
    `pyfin._parser.OPTION_DEFAULTS`): from the environment, then the file, then its built-in
    default."""
    noted: dict[str, tuple[argparse.Action, object]] = getattr(args, OPTION_DEFAULTS, {})
    for dest, (action, builtin) in noted.items():
        value = getattr(args, dest)
        # Unset: None (the deferred default), or the very False or list argparse started from
        # (identity: a given list is a copy; a given string may be the default's own object).
        unset = value is None or (value is builtin and (value is False or isinstance(value, list)))
        if not unset:
            continue
        found = settings.lookup(dest) if dest in SETTINGS else None
        if found is None:
            # argparse passes a string default through `type`; it was deferred, so here.
            typed = isinstance(builtin, str) and action.type is not None
            setattr(args, dest, _convert(action, builtin, "default", dest) if typed else builtin)
            continue
        raw, source = found
        if isinstance(raw, list):
            setattr(args, dest, [_convert(action, item, source, dest) for item in raw])
        else:
            kind = SETTINGS[dest][1]
            setattr(args, dest, raw if kind == _BOOL else _convert(action, raw, source, dest))


def global_setting(settings: Settings, dest: str) -> object:
    """The setting for a global option (`cache_dir`, `no_cache`), or None."""
    found = settings.lookup(dest)
    return None if found is None else found[0]


def _convert(action: argparse.Action, raw: object, source: str, dest: str) -> object:
    key = source if source.startswith("PYFIN_") else dest.replace("_", "-")
    if action.type is not None and callable(action.type):
        try:
            value = action.type(str(raw))
        except (ValueError, TypeError, argparse.ArgumentTypeError) as exc:
            raise SettingsError(source, key, str(exc)) from None
    else:
        value = raw
    if action.choices is not None and value not in action.choices:
        choices = ", ".join(str(choice) for choice in action.choices)
        raise SettingsError(source, key, f"{value!r} is not one of: {choices}")
    return value


def _discover(start: Path) -> tuple[Path, dict[str, object]] | None:
    """The nearest `pyfin.toml`, or `pyproject.toml` with `[tool.pyfin]`, and its settings."""
    for folder in (start, *start.parents):
        candidate = folder / "pyfin.toml"
        if candidate.is_file():
            return candidate, _read_file(candidate, table=False)
        candidate = folder / "pyproject.toml"
        if candidate.is_file():
            data = candidate.read_bytes()
            # Most pyproject.toml files have no pyfin table: skip parsing them (and tomllib).
            if b"pyfin" in data and (b"[tool.pyfin" in data or b"[tool]" in data):
                values = _parse(candidate, data, table=True)
                if values is not None:
                    return candidate, values
    return None


def _read_file(path: Path, *, table: bool) -> dict[str, object]:
    try:
        data = path.read_bytes()
    except OSError as exc:
        reason = f"cannot read it ({exc.strerror or exc})"
        raise SettingsError(str(path), str(path), reason) from None
    return _parse(path, data, table=table) or {}


def _parse(path: Path, data: bytes, *, table: bool) -> dict[str, object] | None:
    """The settings of a file (its `[tool.pyfin]` table if `table`; None if it has none),
    checked: every key known, every value of its kind."""
    from pyfin._requirements_txt_pyproject import _loads_toml

    try:
        document: dict[str, object] = _loads_toml(data.decode("utf-8"))
    except (ValueError, UnicodeDecodeError) as exc:
        raise SettingsError(str(path), str(path), f"it is not valid TOML ({exc})") from None
    if table:
        tool = document.get("tool")
        section = tool.get("pyfin") if isinstance(tool, dict) else None
        if section is None:
            return None
        if not isinstance(section, dict):
            raise SettingsError(str(path), "tool.pyfin", "it must be a table")
        document = section
    for key, value in document.items():
        dest = key.replace("-", "_")
        if dest not in SETTINGS or "_" in key:
            known = ", ".join(sorted(name.replace("_", "-") for name in SETTINGS))
            raise SettingsError(str(path), key, f"unknown key; known keys: {known}")
        kind = SETTINGS[dest][1]
        if kind == _BOOL and not isinstance(value, bool):
            raise SettingsError(str(path), key, f"expected true or false, got {value!r}")
        if kind == _STR and not isinstance(value, str):
            raise SettingsError(str(path), key, f"expected a string, got {value!r}")
        if kind == _LIST and not (
            isinstance(value, list) and all(isinstance(item, str) for item in value)
        ):
            raise SettingsError(str(path), key, f"expected a list of strings, got {value!r}")
    return document
