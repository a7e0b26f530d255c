"""`pyfin venv --seed`: install pip (and setuptools and wheel before Python 3.12) into a new
virtual environment, through the installer, newest versions with a compatible wheel."""

from __future__ import annotations

TYPE_CHECKING = False  # not typing.TYPE_CHECKING: see pyfin._parser
if TYPE_CHECKING:
    from pyfin._session import Session
    from pyfin_client import IndexLocations
    from pyfin_installer import InstallOutcome
    from pyfin_interpreter import Interpreter

__all__ = ["seed_packages", "seed_venv"]


def seed_packages(interpreter: Interpreter) -> list[str]:
    """pip, plus setuptools and wheel on Pythons that still expect them (< 3.12)."""
    if interpreter.python_version < (3, 12):
        return ["pip", "setuptools", "wheel"]
    return ["pip"]


def seed_venv(
    session: Session, venv: Interpreter, locations: IndexLocations | None = None
) -> InstallOutcome:
    """Install the seed packages into the virtual environment `venv` (default index: PyPI)
    and print ` + name==version` lines. Raises the installer's and the client's errors."""
    from packaging.utils import canonicalize_name

    from pyfin_client import ClientSettings, RegistryClient
    from pyfin_installer import Environment, Wanted, install_wanted

    cache = session.cache
    wanted = [Wanted(canonicalize_name(name)) for name in seed_packages(venv)]

    def client() -> RegistryClient:
        return RegistryClient(cache, locations, ClientSettings())

    outcome = install_wanted(
        Environment.for_interpreter(venv),
        wanted,
        cache=cache,
        client_factory=client,
        on_wait=session.printer.notice,
    )
    for prepared in sorted(outcome.prepared, key=lambda p: p.name):
        session.printer.info(f" + {prepared.name}=={prepared.version}")
    return outcome
