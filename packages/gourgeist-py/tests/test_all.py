"""The public surface of gourgeist is exactly what we mean to export."""

from __future__ import annotations

import gourgeist


def test_all_is_the_public_api() -> None:
    assert sorted(gourgeist.__all__) == [
        "BaseInterpreterMissing",
        "CreateFailed",
        "GourgeistError",
        "NotAVirtualEnv",
        "VirtualEnvExists",
        "__version__",
        "create_venv",
    ]
    for name in gourgeist.__all__:
        value = getattr(gourgeist, name)
        if isinstance(value, type) and issubclass(value, Exception):
            assert issubclass(value, gourgeist.GourgeistError)
