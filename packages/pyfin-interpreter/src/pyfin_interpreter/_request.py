"""Parse what a user asks for (`3.12`, `>=3.10`, `cp311`, `python3.12`, a path) and match it."""

from __future__ import annotations

import os
import re
from pathlib import Path

from pyfin_cache._frozen import Frozen
from pyfin_interpreter._errors import InvalidPythonRequest

# Not `typing.TYPE_CHECKING`: importing typing costs ~3 ms of every start-up (as in pyfin._parser).
TYPE_CHECKING = False
if TYPE_CHECKING:
    from packaging.specifiers import SpecifierSet

    from pyfin_interpreter._interpreter import Interpreter

_VERSION = re.compile(r"^(\d+)(?:\.(\d+))?(?:\.(\d+))?$")
_IMPLEMENTATION = re.compile(r"^(cpython|cp|pypy|pp)(\d+(?:\.\d+)*)?$")
_PYTHON_NAME = re.compile(r"^python(\d+(?:\.\d+)?)?$")
_IMPLEMENTATIONS = {"cp": "cpython", "cpython": "cpython", "pp": "pypy", "pypy": "pypy"}


class PythonRequest(Frozen):
    """A parsed request. Exactly one of `path`/`name` may be set; the rest narrow a search.

    - `path`: a file or venv folder to use as is;
    - `name`: an executable name to look up on PATH;
    - `specifier` / `implementation`: what a found interpreter must be;
    - `minor`: `(3, 12)` when the request names one minor version (we then look for
      `python3.12` on PATH first).
    """

    __slots__ = ("implementation", "minor", "name", "path", "specifier", "text")
    text: str | None
    path: Path | None
    name: str | None
    implementation: str | None
    specifier: SpecifierSet | None
    minor: tuple[int, int] | None

    def __init__(
        self,
        text: str | None,
        *,
        path: Path | None = None,
        name: str | None = None,
        implementation: str | None = None,
        specifier: SpecifierSet | None = None,
        minor: tuple[int, int] | None = None,
    ) -> None:
        object.__setattr__(self, "text", text)
        object.__setattr__(self, "path", path)
        object.__setattr__(self, "name", name)
        object.__setattr__(self, "implementation", implementation)
        object.__setattr__(self, "specifier", specifier)
        object.__setattr__(self, "minor", minor)

    def matches(self, interpreter: Interpreter) -> bool:
        """Whether `interpreter` satisfies the implementation and version constraints."""
        if self.implementation and interpreter.implementation_name != self.implementation:
            return False
        if self.specifier is None:
            return True
        return self.specifier.contains(interpreter.version, prereleases=True)

    def matches_version(self, version: str) -> bool:
        """Whether a version read from somewhere cheap (a pyenv folder name) could match."""
        return self.specifier is None or self.specifier.contains(version, prereleases=True)


def parse_request(text: str | None) -> PythonRequest:
    """Turn a request string into a `PythonRequest`; `InvalidPythonRequest` if malformed."""
    if text is None or not text.strip():
        return PythonRequest(text=None)
    text = text.strip()
    # A name that exists in the working directory (a venv folder `n1`) is a path, as in uv.
    if os.sep in text or "/" in text or text.startswith(("~", ".")) or Path(text).exists():
        return PythonRequest(text=text, path=Path(text).expanduser())
    if _VERSION.match(text):
        return _version_request(text, text)
    if text[0] in "<>=!~":
        from packaging.specifiers import InvalidSpecifier, SpecifierSet

        try:
            specifier = SpecifierSet(text)
        except InvalidSpecifier as exc:
            raise InvalidPythonRequest(text, str(exc)) from exc
        return PythonRequest(text=text, specifier=specifier)
    if match := _IMPLEMENTATION.match(text.lower()):
        implementation = _IMPLEMENTATIONS[match.group(1)]
        digits = match.group(2)
        if digits is None:
            return PythonRequest(text=text, implementation=implementation)
        if "." not in digits:  # cp311 -> 3.11
            digits = f"{digits[0]}.{digits[1:]}" if len(digits) > 1 else digits
        request = _version_request(text, digits)
        return PythonRequest(
            text=text,
            implementation=implementation,
            specifier=request.specifier,
            minor=request.minor,
        )
    if match := _PYTHON_NAME.match(text):
        digits = match.group(1)
        if digits is None:
            return PythonRequest(text=text, name=text)
        request = _version_request(text, digits)
        return PythonRequest(text=text, name=text, specifier=request.specifier, minor=request.minor)
    return PythonRequest(text=text, name=text)


def _version_request(text: str, version: str) -> PythonRequest:
    # Imported here: a path request, or none (the default), never needs specifiers.
    from packaging.specifiers import SpecifierSet

    match = _VERSION.match(version)
    if match is None:
        raise InvalidPythonRequest(text, f"`{version}` is not a version")
    major, minor, _ = match.groups()
    if minor is None:
        return PythonRequest(text=text, specifier=SpecifierSet(f"=={major}.*"))
    if match.group(3) is None:
        return PythonRequest(
            text=text,
            specifier=SpecifierSet(f"=={major}.{minor}.*"),
            minor=(int(major), int(minor)),
        )
    return PythonRequest(
        text=text, specifier=SpecifierSet(f"=={version}"), minor=(int(major), int(minor))
    )
