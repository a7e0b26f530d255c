"""`python tools/bench [--scenario NAME...] [--runs N] [--warmup N] [--profile] [--list]`.

Builds (or refreshes) the benchmark environment, collects the scenarios of every module in
`tools/bench/scenarios/`, runs the selected ones and writes `results/<UTC time>.{json,md}`.
"""

from __future__ import annotations

import argparse
import importlib
import pkgutil
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent.parent
if __package__ in (None, ""):
    # Run as `python tools/bench`: make the `bench` package (and its siblings in tools/)
    # importable by name, instead of this folder's modules as top-level ones.
    sys.path[:] = [entry for entry in sys.path if Path(entry or ".").resolve() != HERE]
    sys.path.insert(0, str(HERE.parent))

from bench import scenarios as scenario_package  # noqa: E402
from bench._env import ensure_env  # noqa: E402
from bench._harness import (  # noqa: E402
    BenchContext,
    Command,
    Sample,
    Scenario,
    ScenarioResult,
    run_scenario,
)
from bench._profile import profile_scenario  # noqa: E402
from bench._report import to_json, to_markdown, write_results  # noqa: E402

RESULTS = HERE / "results"


def collect(ctx: BenchContext) -> list[Scenario]:
    """Every scenario of every module in tools/bench/scenarios/, in module order."""
    found: list[Scenario] = []
    for module_info in sorted(pkgutil.iter_modules(scenario_package.__path__)):
        module = importlib.import_module(f"{scenario_package.__name__}.{module_info.name}")
        found.extend(module.scenarios(ctx))
    return found


def base_python() -> Path:
    """The real binary of the interpreter running the harness (outside any virtualenv)."""
    version = f"{sys.version_info.major}.{sys.version_info.minor}"
    return Path(sys.base_prefix) / "bin" / f"python{version}"


def tool_versions(ctx: BenchContext) -> dict[str, str]:
    versions = {"python": str(ctx.python)}
    for name in ("pyfin", "uv", "pip"):
        result = subprocess.run(
            [ctx.tool(name), "--version"], capture_output=True, text=True, check=True
        )
        versions[name] = result.stdout.split("\n")[0].strip()
    return versions


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python tools/bench", description=__doc__)
    parser.add_argument("--scenario", action="append", metavar="NAME", help="run only these")
    parser.add_argument("--runs", type=int, help="timed runs per command (default: per scenario)")
    parser.add_argument("--warmup", type=int, default=1, help="untimed runs first (default: 1)")
    parser.add_argument("--profile", action="store_true", help="also profile pyfin commands")
    parser.add_argument("--list", action="store_true", help="list the scenarios and stop")
    args = parser.parse_args(argv)

    python = base_python()
    bin_dir = ensure_env(HERE / ".env", REPO, python)
    work = Path(tempfile.mkdtemp(prefix="pyfin-bench-"))
    try:
        ctx = BenchContext(work=work, python=python, bin_dir=bin_dir)
        selected = collect(ctx)
        if args.scenario:
            unknown = set(args.scenario) - {scenario.name for scenario in selected}
            if unknown:
                parser.error(f"unknown scenario(s): {', '.join(sorted(unknown))}")
            selected = [scenario for scenario in selected if scenario.name in args.scenario]
        if args.list:
            for scenario in selected:
                tools = ", ".join(command.tool for command in scenario.commands)
                print(f"{scenario.name}: {tools} (baseline {scenario.baseline})")
            return 0
        started = time.strftime("%Y%m%dT%H%M%SZ", time.gmtime())
        versions = tool_versions(ctx)
        results: list[ScenarioResult] = []
        for scenario in selected:
            print(f"== {scenario.name}", file=sys.stderr)
            results.append(
                run_scenario(scenario, runs=args.runs, warmup=args.warmup, on_sample=_progress)
            )
            if args.profile:
                for report in profile_scenario(scenario, ctx, RESULTS / "profiles"):
                    print(f"profile: {report}", file=sys.stderr)
        markdown = to_markdown(results, versions=versions)
        document = to_json(results, started=started, versions=versions)
        path = write_results(RESULTS, started, document, markdown)
        print(markdown)
        print(f"written: {path} and {path.with_suffix('.json')}", file=sys.stderr)
        return 0
    finally:
        shutil.rmtree(work, ignore_errors=True)


def _progress(command: Command, sample: Sample) -> None:
    print(f"  {command.tool}: {sample.seconds * 1000:.1f} ms", file=sys.stderr)


if __name__ == "__main__":
    sys.exit(main())
