"""The subprocess runner given to `pyproject_hooks`: runs a hook in the build environment and
captures its output (stdout and stderr interleaved) so failures can show its tail.

Warnings that the backend raised are reported by pyproject-hooks' in-process script in its
`output.json`, and the caller would re-emit them as `BuildBackendWarning` in *our* process
(where they would leak into the user's warning filters, or turn into errors under
`-W error`). The runner moves them into the captured output instead: build output is where a
backend's complaints belong.
"""

from __future__ import annotations

import json
import os
import subprocess
from collections.abc import Mapping, Sequence
from pathlib import Path

TAIL_LINES = 20

# Variables that would leak the frontend's environment into the isolated build.
_DROPPED = ("PYTHONPATH", "PYTHONHOME", "PYTHONSTARTUP", "PYTHONUSERBASE", "__PYVENV_LAUNCHER__")


class HookProcessFailed(Exception):
    """Internal: the hook subprocess exited with `returncode`; translated to `BuildFailed`."""

    def __init__(self, returncode: int, output: str) -> None:
        super().__init__(returncode, output)
        self.returncode = returncode
        self.output = output

    def __str__(self) -> str:
        # The output itself is quoted (its tail) by `BuildFailed`; repeating it here would
        # print the whole of it again as the "Caused by" line.
        return f"the hook process exited with status {self.returncode}"


def build_environ(venv_root: Path, scripts: Path) -> dict[str, str]:
    """The environment for hooks: ours, activated for the venv, without Python overrides."""
    env = {key: value for key, value in os.environ.items() if key not in _DROPPED}
    env["VIRTUAL_ENV"] = str(venv_root)
    env["PATH"] = os.pathsep.join([str(scripts), env.get("PATH", os.defpath)])
    env["PYTHONNOUSERSITE"] = "1"
    env.pop("PIP_REQUIRE_VIRTUALENV", None)
    return env


def tail(output: str, lines: int = TAIL_LINES) -> str:
    """The last `lines` lines of `output`, trailing blank lines dropped."""
    return "\n".join(output.rstrip().splitlines()[-lines:])


class CapturingRunner:
    """A `pyproject_hooks` subprocess runner; `last_output` is the latest hook's output.

    Not thread-safe: one runner serves one build session, whose hooks run one after another.
    """

    def __init__(self, environ: Mapping[str, str]) -> None:
        self._environ = dict(environ)
        self.last_output = ""

    def __call__(
        self,
        cmd: Sequence[str],
        cwd: str | None = None,
        extra_environ: Mapping[str, str] | None = None,
    ) -> None:
        env = dict(self._environ)
        if extra_environ:
            env.update(extra_environ)
        process = subprocess.run(
            list(cmd),
            cwd=cwd,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            check=False,
        )
        output = process.stdout.decode("utf-8", errors="replace")
        if process.returncode == 0:
            output += _take_warnings(Path(cmd[-1]) / "output.json")
        self.last_output = output
        if process.returncode != 0:
            raise HookProcessFailed(process.returncode, output)


def _take_warnings(output_json: Path) -> str:
    """Remove the recorded warnings from pyproject-hooks' answer file; return them as text."""
    try:
        data = json.loads(output_json.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return ""
    if not isinstance(data, dict) or not data.get("warnings"):
        return ""
    lines = [
        f"{w.get('filename')}:{w.get('lineno')}: {w.get('category', 'Warning')}: "
        f"{w.get('message')}\n"
        for w in data["warnings"]
        if isinstance(w, dict)
    ]
    data["warnings"] = []
    output_json.write_text(json.dumps(data), encoding="utf-8")
    return "".join(lines)
