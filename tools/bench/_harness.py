"""Timing of benchmark scenarios: interleaved runs, medians, spreads, peak memory, ratios.

Each timed run is one child process, spawned and reaped (`os.wait4`, whose resource usage
gives the child's peak RSS) by a small runner process (see `Runner`). The commands of a scenario run
interleaved (A B C A B C ...), so a slow moment of the machine hits every tool alike.
"""

from __future__ import annotations

import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

__all__ = [
    "BenchContext",
    "BenchError",
    "Command",
    "Runner",
    "Sample",
    "Scenario",
    "ScenarioResult",
    "ToolResult",
    "run_scenario",
]


class BenchError(Exception):
    """A benchmark could not run: a missing tool, or a command that failed."""


@dataclass(frozen=True, slots=True)
class Command:
    """One tool's way of doing a scenario's job.

    `setup` runs, untimed, before every run of this command (e.g. to delete the target);
    `env` is merged over the harness's environment.
    """

    tool: str
    argv: Sequence[str | os.PathLike[str]]
    setup: Callable[[], None] | None = None
    env: Mapping[str, str] | None = None


@dataclass(frozen=True, slots=True)
class Scenario:
    """A job done by several tools; ratios are to the `baseline` tool's median."""

    name: str
    commands: Sequence[Command]
    baseline: str = "uv"
    runs: int = 5


@dataclass(frozen=True, slots=True)
class BenchContext:
    """What scenario modules get: a scratch folder, the Python under test, the tools."""

    work: Path
    python: Path
    bin_dir: Path

    def tool(self, name: str) -> Path:
        """The executable `name` (uv, pip, pip-compile, pyfin) of the benchmark environment."""
        path = self.bin_dir / name
        if not path.exists():
            raise BenchError(f"{name} is not installed in the benchmark environment {self.bin_dir}")
        return path


@dataclass(frozen=True, slots=True)
class Sample:
    """One timed run: wall-clock seconds and the child's peak resident memory in bytes."""

    seconds: float
    max_rss: int


@dataclass(frozen=True, slots=True)
class ToolResult:
    tool: str
    samples: tuple[Sample, ...]
    ratio: float | None  # median / the baseline's median; None without a baseline

    @property
    def median(self) -> float:
        return statistics.median(sample.seconds for sample in self.samples)

    @property
    def min(self) -> float:
        return min(sample.seconds for sample in self.samples)

    @property
    def max(self) -> float:
        return max(sample.seconds for sample in self.samples)

    @property
    def peak_rss(self) -> int:
        return max(sample.max_rss for sample in self.samples)


@dataclass(frozen=True, slots=True)
class ScenarioResult:
    name: str
    baseline: str
    runs: int
    tools: tuple[ToolResult, ...]
    rss_floor: int  # no child can show a smaller peak RSS (see Runner)


class Runner:
    """A minimal Python process that starts and reaps the timed children.

    On Linux a child's peak RSS (`ru_maxrss`) is at least that of the process it was spawned
    from (exec records the old address space's high-water mark), so children are spawned by
    this small process (`python -I -S`, about 10 MiB) rather than by the harness itself.
    `rss_floor`, the runner's own peak, is about the smallest peak RSS a child can show.
    """

    def __init__(self) -> None:
        self._process = subprocess.Popen(
            [sys.executable, "-I", "-S", "-c", _RUNNER],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        self.rss_floor = int(self._read()["max_rss_kib"]) * 1024

    def measure(self, command: Command) -> Sample:
        """Run `command` once (after its setup) and time it. Raises `BenchError` if it fails."""
        if command.setup is not None:
            command.setup()
        env = {**os.environ, **command.env} if command.env else dict(os.environ)
        argv = [os.fspath(arg) for arg in command.argv]
        executable = shutil.which(argv[0])
        if executable is None:
            raise BenchError(f"{command.tool}: {argv[0]} is not an executable")
        with tempfile.NamedTemporaryFile(prefix="bench-output-") as output:
            request = {"argv": [executable, *argv[1:]], "env": env, "output": output.name}
            assert self._process.stdin is not None
            self._process.stdin.write(json.dumps(request) + "\n")
            self._process.stdin.flush()
            answer = self._read()
            if answer["status"] != 0:
                tail = output.read()[-2000:].decode(errors="replace")
                raise BenchError(
                    f"{command.tool} failed with status {answer['status']}: {' '.join(argv)}"
                    f"\n{tail}"
                )
        # Linux reports ru_maxrss in KiB.
        return Sample(seconds=float(answer["seconds"]), max_rss=int(answer["max_rss_kib"]) * 1024)

    def close(self) -> None:
        assert self._process.stdin is not None
        assert self._process.stdout is not None
        self._process.stdin.close()  # the runner's loop ends
        self._process.wait()
        self._process.stdout.close()

    def __enter__(self) -> Runner:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def _read(self) -> dict[str, Any]:
        assert self._process.stdout is not None
        line = self._process.stdout.readline()
        if not line:
            raise BenchError("the benchmark runner process died")
        answer: dict[str, Any] = json.loads(line)
        return answer


# The runner: one JSON request per line in, one JSON answer per line out. Children get
# /dev/null as stdin and a file for stdout + stderr (shown if they fail).
_RUNNER = """
import json, os, sys, time
# VmHWM, not getrusage: the latter also counts the harness's memory, recorded at our exec.
with open("/proc/self/status") as status:
    hwm = next(int(line.split()[1]) for line in status if line.startswith("VmHWM:"))
print(json.dumps({"max_rss_kib": hwm}), flush=True)
for line in sys.stdin:
    request = json.loads(line)
    actions = [
        (os.POSIX_SPAWN_OPEN, 0, os.devnull, os.O_RDONLY, 0),
        (os.POSIX_SPAWN_OPEN, 1, request["output"], os.O_WRONLY | os.O_TRUNC, 0),
        (os.POSIX_SPAWN_DUP2, 1, 2),
    ]
    start = time.perf_counter()
    pid = os.posix_spawn(request["argv"][0], request["argv"], request["env"], file_actions=actions)
    _, status, usage = os.wait4(pid, 0)
    seconds = time.perf_counter() - start
    status = os.waitstatus_to_exitcode(status)
    print(json.dumps({"seconds": seconds, "max_rss_kib": usage.ru_maxrss, "status": status}))
    sys.stdout.flush()
"""


def run_scenario(
    scenario: Scenario,
    *,
    runs: int | None = None,
    warmup: int = 1,
    on_sample: Callable[[Command, Sample], None] | None = None,
) -> ScenarioResult:
    """Run every command `warmup` times untimed, then `runs` times interleaved."""
    runs = runs if runs is not None else scenario.runs
    samples: dict[str, list[Sample]] = {command.tool: [] for command in scenario.commands}
    with Runner() as runner:
        for _ in range(warmup):
            for command in scenario.commands:
                runner.measure(command)
        for _ in range(runs):
            for command in scenario.commands:
                sample = runner.measure(command)
                samples[command.tool].append(sample)
                if on_sample is not None:
                    on_sample(command, sample)
        rss_floor = runner.rss_floor
    medians = {tool: statistics.median(s.seconds for s in found) for tool, found in samples.items()}
    baseline = medians.get(scenario.baseline)
    return ScenarioResult(
        name=scenario.name,
        baseline=scenario.baseline,
        runs=runs,
        rss_floor=rss_floor,
        tools=tuple(
            ToolResult(
                tool=tool,
                samples=tuple(found),
                ratio=medians[tool] / baseline if baseline else None,
            )
            for tool, found in samples.items()
        ),
    )
