"""The public surface of the pyfin distribution."""

from __future__ import annotations

from importlib.metadata import version

import pyfin


def test_all_is_what_we_export() -> None:
    assert pyfin.__all__ == ["PyfinError", "__version__"]


def test_version_is_the_distribution_version() -> None:
    assert pyfin.__version__ == version("pyfin")


def test_pyfin_error_is_an_exception() -> None:
    assert issubclass(pyfin.PyfinError, Exception)
