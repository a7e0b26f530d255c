"""The benchmark harness (tools/bench) on real child processes: timing, memory, reports."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest
from bench._harness import BenchError, Command, Runner, Scenario, run_scenario
from bench._report import to_json, to_markdown, write_results

# A child that holds about 64 MiB for a moment, then exits.
_BIG = "b = bytearray(64 * 2**20); b[::4096] = b'x' * len(b[::4096])"


def test_runner_measures_time_and_peak_memory() -> None:
    with Runner() as runner:
        small = runner.measure(Command("small", [sys.executable, "-c", "pass"]))
        big = runner.measure(Command("big", [sys.executable, "-c", _BIG]))
        floor = runner.rss_floor
    assert 0 < small.seconds < 30
    # Neither the floor nor a small child shows the memory of the (larger) test process.
    assert floor < 30 * 2**20
    assert small.max_rss < 30 * 2**20
    assert big.max_rss > 64 * 2**20


def test_a_failing_command_is_an_error_with_its_output() -> None:
    code = "import sys; print('went wrong'); sys.exit(3)"
    with Runner() as runner, pytest.raises(BenchError, match="status 3") as caught:
        runner.measure(Command("bad", [sys.executable, "-c", code]))
    assert "went wrong" in str(caught.value)


def test_runs_are_interleaved_after_setup_and_warmup(tmp_path: Path) -> None:
    log = tmp_path / "log"
    order: list[str] = []

    def command(tool: str) -> Command:
        code = f"open({str(log)!r}, 'a').write({tool!r})"
        return Command(tool, [sys.executable, "-c", code], setup=lambda: order.append(tool))

    scenario = Scenario("order", [command("a"), command("b")], baseline="a", runs=3)
    result = run_scenario(scenario, warmup=1)
    assert log.read_text() == "ab" * 4
    assert order == ["a", "b"] * 4
    assert [tool.tool for tool in result.tools] == ["a", "b"]
    assert [len(tool.samples) for tool in result.tools] == [3, 3]
    assert result.tools[0].ratio == 1.0
    assert result.tools[1].ratio == pytest.approx(result.tools[1].median / result.tools[0].median)
    assert result.tools[1].min <= result.tools[1].median <= result.tools[1].max


def test_results_are_written_as_json_and_markdown(tmp_path: Path) -> None:
    scenario = Scenario("pass", [Command("python", [sys.executable, "-c", "pass"])], runs=2)
    result = run_scenario(scenario, warmup=0)
    versions = {"python": sys.version.split()[0]}
    markdown = to_markdown([result], versions=versions)
    document = to_json([result], started="20260101T000000Z", versions=versions)
    path = write_results(tmp_path, "run", document, markdown)
    assert path == tmp_path / "run.md"
    assert path.read_text().startswith("| scenario | tool | median |")
    assert "| pass (2 runs) | python |" in path.read_text()
    assert path.read_text().rstrip().endswith(f"Versions: python {versions['python']}")
    saved = json.loads((tmp_path / "run.json").read_text())
    (tool,) = saved["scenarios"][0]["tools"]
    assert tool["tool"] == "python"
    assert len(tool["samples_s"]) == 2
    assert tool["ratio_to_baseline"] is None  # the default baseline, uv, did not run
    assert sorted(path.name for path in tmp_path.iterdir()) == ["run.json", "run.md"]
