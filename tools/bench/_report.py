"""Benchmark results as JSON (for machines) and a Markdown table (for notes and reviews)."""

from __future__ import annotations

import json
import os
import platform
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from bench._harness import ScenarioResult

__all__ = ["to_json", "to_markdown", "write_results"]


def to_json(
    results: Sequence[ScenarioResult], *, started: str, versions: Mapping[str, str]
) -> dict[str, Any]:
    return {
        "started": started,
        "machine": {
            "platform": platform.platform(),
            "cpus": os.cpu_count(),
            "python": platform.python_version(),
        },
        "versions": dict(versions),
        "scenarios": [
            {
                "name": result.name,
                "baseline": result.baseline,
                "runs": result.runs,
                "rss_floor_bytes": result.rss_floor,
                "tools": [
                    {
                        "tool": tool.tool,
                        "median_s": tool.median,
                        "min_s": tool.min,
                        "max_s": tool.max,
                        "peak_rss_bytes": tool.peak_rss,
                        "ratio_to_baseline": tool.ratio,
                        "samples_s": [sample.seconds for sample in tool.samples],
                    }
                    for tool in result.tools
                ],
            }
            for result in results
        ],
    }


def to_markdown(results: Sequence[ScenarioResult], *, versions: Mapping[str, str]) -> str:
    lines = [
        "| scenario | tool | median | min - max | peak RSS | vs baseline |",
        "|---|---|---:|---:|---:|---:|",
    ]
    for result in results:
        for tool in result.tools:
            ratio = f"{tool.ratio:.2f}x {result.baseline}" if tool.ratio is not None else "-"
            lines.append(
                f"| {result.name} ({result.runs} runs) | {tool.tool} | {_ms(tool.median)}"
                f" | {_ms(tool.min)} - {_ms(tool.max)} | {tool.peak_rss / 2**20:.1f} MiB"
                f" | {ratio} |"
            )
    lines.append("")
    lines.append(
        "Versions: " + ", ".join(f"{name} {version}" for name, version in versions.items())
    )
    return "\n".join(lines) + "\n"


def write_results(folder: Path, stem: str, document: dict[str, Any], markdown: str) -> Path:
    """Write `<stem>.json` and `<stem>.md` into `folder` (each atomically); return the .md path."""
    folder.mkdir(parents=True, exist_ok=True)
    _write_atomic(folder / f"{stem}.json", json.dumps(document, indent=2) + "\n")
    markdown_path = folder / f"{stem}.md"
    _write_atomic(markdown_path, markdown)
    return markdown_path


def _write_atomic(path: Path, text: str) -> None:
    temporary = path.with_name(path.name + ".tmp")
    temporary.write_text(text, encoding="utf-8")
    temporary.replace(path)


def _ms(seconds: float) -> str:
    return f"{seconds * 1000:.1f} ms" if seconds < 10 else f"{seconds:.2f} s"
