"""The one exception family of the requirements-file reader, with the file and line it blames.

```
PyfinError                         (pyfin's base, from pyfin._errors)
└── RequirementsTxtError           any bad input: file, line (or None), reason
    ├── UnsupportedInputError      setup.py / setup.cfg given as an input
    └── DynamicDependenciesError   pyproject.toml whose dependencies need a build to be known
```
"""

from __future__ import annotations

from pathlib import Path

from pyfin._errors import PyfinError

__all__ = [
    "DynamicDependenciesError",
    "RequirementsTxtError",
    "UnsupportedInputError",
]


class RequirementsTxtError(PyfinError):
    """An input file (requirements file, pyproject.toml, ...) cannot be read as requirements.

    `file` is the path as the user would recognise it (as given on the command line, or joined
    onto the including file's folder for `-r`/`-c`); `line` is the 1-based line the problem
    starts on, or None when the problem concerns the whole file (missing, undecodable, ...).
    `str()` is one line: ``requirements.in:3: invalid requirement 'flask==': Expected ...``.
    """

    file: str | None
    line: int | None
    reason: str

    def __init__(self, file: str | None, line: int | None, reason: str) -> None:
        super().__init__(file, line, reason)
        self.file = file
        self.line = line
        self.reason = reason

    def __str__(self) -> str:
        if self.file is None:
            return self.reason
        if self.line is None:
            return f"{self.file}: {self.reason}"
        return f"{self.file}:{self.line}: {self.reason}"


class UnsupportedInputError(RequirementsTxtError):
    """An input pyfin does not read (setup.py, setup.cfg): use pyproject.toml or requirements."""


class DynamicDependenciesError(RequirementsTxtError):
    """pyproject.toml declares its dependencies `dynamic`: only a build backend can tell them.

    `project_dir` is the folder holding the pyproject.toml, for the code that will ask the
    build backend for the metadata (prepare_metadata_for_build_wheel) instead of failing.
    """

    project_dir: Path

    def __init__(self, file: str, project_dir: Path, reason: str) -> None:
        super().__init__(file, None, reason)
        self.project_dir = project_dir
