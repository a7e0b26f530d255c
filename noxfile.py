"""Every routine task of the workspace: `nox -s lint|typecheck|tests|e2e|layers|bench|suite`.

`suite` is what CI runs (`.ci/run`): one environment with every distribution installed from
its folder, and the whole test suite in parallel. `tests` proves each distribution's own tests
pass with nothing but that distribution, the siblings it declares and the test requirements.
"""

from __future__ import annotations

import os
import re
import sys
from collections.abc import Iterable
from pathlib import Path

import nox

ROOT = Path(__file__).resolve().parent
sys.path.insert(0, str(ROOT / "tools"))

from check_layers import Distribution, load_workspace  # noqa: E402

#: The one list of what the test suites need besides the distributions themselves.
TEST_REQUIREMENTS = (
    "pytest>=8",
    "pytest-xdist>=3.5",
    "pytest-timeout>=2.3",  # `suite` stops a hung test instead of hanging CI
    "hypothesis>=6.100",
    "hatchling>=1.18",  # builds the workspace, and tests/test_packaging.py builds wheels with it
    "tomli>=2; python_version < '3.11'",  # tools/check_layers.py on Python 3.10
)
LINT_REQUIREMENTS = ("ruff>=0.6",)
TYPECHECK_REQUIREMENTS = ("mypy>=1.11", "nox>=2024.10")

#: pytest's status when it collected no test: a distribution without tests yet is not a failure.
NO_TESTS_COLLECTED = 5
#: Seconds after which `suite` fails a single test: far above any test we mean to have.
TEST_TIMEOUT = 300

WORKSPACE = {dist.name: dist for dist in load_workspace(ROOT)}

nox.options.sessions = ["lint", "typecheck", "layers", "suite"]


def closure(names: Iterable[str]) -> list[Distribution]:
    """The named distributions plus every workspace sibling they need, transitively."""
    seen: dict[str, Distribution] = {}
    pending = list(names)
    while pending:
        name = pending.pop()
        if name in seen:
            continue
        seen[name] = WORKSPACE[name]
        pending.extend(dep for dep in WORKSPACE[name].dependencies if dep in WORKSPACE)
    return sorted(seen.values(), key=lambda dist: dist.name)


def install_workspace(session: nox.Session, names: Iterable[str]) -> None:
    """Install the test requirements and the distributions (with their siblings) from folders.

    Every sibling is named by its path on one pip command line, so pip never looks for a
    pyfin distribution on PyPI. hatchling is installed first so builds need no isolated env.
    """
    session.install(*TEST_REQUIREMENTS)
    folders = [str(dist.folder) for dist in closure(names)]
    session.install("--no-build-isolation", *folders)


@nox.session
def lint(session: nox.Session) -> None:
    """ruff check and ruff format --check over the whole repository."""
    session.install(*LINT_REQUIREMENTS)
    session.run("ruff", "check", ".")
    session.run("ruff", "format", "--check", ".")


@nox.session
def typecheck(session: nox.Session) -> None:
    """mypy --strict over every distribution with its tests, the root tests, tools, noxfile."""
    session.install(*TYPECHECK_REQUIREMENTS)
    install_workspace(session, WORKSPACE)
    for arguments, search_path in mypy_groups():
        session.run("mypy", *arguments, env={"MYPYPATH": search_path} if search_path else None)


def mypy_groups() -> list[tuple[list[str], str]]:
    """The mypy runs: arguments (paths relative to the root, excludes) and a MYPYPATH.

    Test folders are not packages, so two `conftest.py` files in one run collide as the same
    module: each distribution is one run, and so is every test folder with its own conftest
    (with its parent test folder on MYPYPATH, for the helper modules it imports from there).
    """
    groups = [[dist.folder / "src", dist.folder / "tests"] for dist in WORKSPACE.values()]
    groups.append([ROOT / "tests", ROOT / "tools"])
    runs: list[tuple[list[str], str]] = []
    for group in groups:
        folders = [folder for folder in group if any(folder.rglob("*.py"))]  # mypy refuses empty
        if not folders:
            continue
        nested = sorted(
            path.parent
            for folder in folders
            for path in folder.rglob("conftest.py")
            if path.parent not in folders
        )
        runs.append(([*(_relative(folder) for folder in folders), *_excludes(nested)], ""))
        search_path = os.pathsep.join(_relative(folder) for folder in folders)
        for folder in nested:
            inside = [other for other in nested if other != folder and other.is_relative_to(folder)]
            runs.append(([_relative(folder), *_excludes(inside)], search_path))
    runs.append((["noxfile.py", "conftest.py"], ""))
    return runs


def _relative(path: Path) -> str:
    return path.relative_to(ROOT).as_posix()


def _excludes(folders: Iterable[Path]) -> list[str]:
    return [f"--exclude=^{re.escape(_relative(folder))}/" for folder in folders]


@nox.session
@nox.parametrize("distribution", sorted(WORKSPACE))
def tests(session: nox.Session, distribution: str) -> None:
    """One distribution's tests, with only it, its declared siblings and the test requirements."""
    install_workspace(session, [distribution])
    session.run(
        "pytest",
        str(WORKSPACE[distribution].folder / "tests"),
        *session.posargs,
        success_codes=[0, NO_TESTS_COLLECTED],
    )


@nox.session
def e2e(session: nox.Session) -> None:
    """The end-to-end tests in tests/, against every distribution."""
    install_workspace(session, WORKSPACE)
    session.run("pytest", "tests", *session.posargs, success_codes=[0, NO_TESTS_COLLECTED])


@nox.session
def layers(session: nox.Session) -> None:
    """tools/check_layers.py, with the distributions installed so imports map to them."""
    install_workspace(session, WORKSPACE)
    session.run("python", "tools/check_layers.py")


@nox.session(venv_backend="none")
def bench(session: nox.Session) -> None:
    """The benchmarks (tools/bench manages its own environment); arguments after -- pass on."""
    session.run(sys.executable, "tools/bench", *session.posargs, external=True)


@nox.session
def suite(session: nox.Session) -> None:
    """Every test of the repository in one environment, in parallel: what CI runs."""
    install_workspace(session, WORKSPACE)
    session.run(
        "pytest",
        "-n",
        "auto",
        "--durations=15",  # the suite must stay fast: show where its time goes
        f"--timeout={TEST_TIMEOUT}",
        *session.posargs,
        success_codes=[0, NO_TESTS_COLLECTED],
    )
