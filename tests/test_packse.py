"""Every packse scenario through a loopback index and the real `pyfin pip compile`."""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Any

import pytest
from packaging.utils import canonicalize_name
from pyfin_e2e import RunPyfin

from pyfin_testing.index_server import IndexServer
from pyfin_testing.packse import (
    PackseScenario,
    compile_arguments,
    load_scenario,
    requirements_text,
    scenario_paths,
    write_scenario,
)

SCENARIOS = Path(
    os.environ.get(
        "PYFIN_PACKSE_SCENARIOS", Path(__file__).parents[2] / "shared" / "packse-scenarios"
    )
)
_PIN = re.compile(r"^([a-z0-9][a-z0-9._-]*)==(\S+)", re.MULTILINE)


def _params() -> list[Any]:
    if not SCENARIOS.is_dir():
        return [pytest.param(None, id="no-scenarios", marks=pytest.mark.skip(str(SCENARIOS)))]
    params = []
    for path in scenario_paths(SCENARIOS):
        scenario = load_scenario(path)
        marks = (
            [pytest.mark.skip(reason="universal resolution (--universal) is not supported yet")]
            if scenario.universal
            else []
        )
        params.append(
            pytest.param(scenario, id=f"{scenario.category}/{scenario.name}", marks=marks)
        )
    return params


@pytest.mark.parametrize("scenario", _params())
def test_scenario(scenario: PackseScenario, tmp_path: Path, run_pyfin: RunPyfin) -> None:
    files = tmp_path / "files"
    files.mkdir()
    faults = write_scenario(scenario, files)
    (tmp_path / "requirements.in").write_text(requirements_text(scenario.requires))
    with IndexServer(files, faults) as server:
        result = run_pyfin(
            "pip",
            "compile",
            "requirements.in",
            "--index-url",
            server.index_url,
            "--no-header",
            *compile_arguments(scenario),
        )
    if scenario.satisfiable:
        assert result.returncode == 0, result.stderr
        assert "Resolved" in result.stderr
        if scenario.expected_packages is not None:
            pins = dict(_PIN.findall(result.stdout))
            expected = {canonicalize_name(k): v for k, v in scenario.expected_packages.items()}
            assert pins == expected
    else:
        assert result.returncode == 1, result.stdout
        assert result.stderr.startswith("error: No solution found when resolving dependencies:")
        assert "we can conclude that your requirements are unsatisfiable." in result.stderr
