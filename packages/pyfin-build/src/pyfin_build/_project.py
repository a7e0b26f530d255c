"""`build_project`: what `pyfin build` does, like `python -m build` (sdist, then wheel from it)."""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING

from pyfin_build._errors import BuildFailed, UnsupportedSource
from pyfin_build._pyproject import guess_project_name
from pyfin_build._session import BuildSession, ConfigSettings

if TYPE_CHECKING:
    from pyfin_traits import BuildContext


def build_project(
    source_dir: Path,
    out_dir: Path,
    context: BuildContext,
    sdist: bool = True,
    wheel: bool = True,
    *,
    config_settings: ConfigSettings | None = None,
) -> list[Path]:
    """Build the project in `source_dir` into `out_dir`; the artifacts' paths, sdist first.

    With both `sdist` and `wheel` (the default), the sdist is built from the tree and the
    wheel from that sdist (which proves the sdist is complete); with `wheel` alone, the wheel
    is built from the tree. Neither flag means both, as for `python -m build`. The sdist step
    runs here (in its own isolated environment, with `config_settings`); the wheel step goes
    through `context.setup_build`, so it shares the context's builder (cache, locks, cycle
    detection, and the context's own config settings). Raises `BuildError`.
    """
    source_dir = Path(source_dir).absolute()
    if not source_dir.is_dir():
        raise UnsupportedSource(source_dir, "it is not a folder")
    if not sdist and not wheel:
        sdist = wheel = True
    out_dir.mkdir(parents=True, exist_ok=True)
    built: list[Path] = []
    name = guess_project_name(source_dir)
    if sdist:
        package = name or source_dir.name
        scratch = Path(tempfile.mkdtemp(prefix="pyfin-build-sdist-"))
        try:
            session = BuildSession(
                context,
                source_dir,
                package,
                "sdist",
                scratch=scratch,
                config_settings=config_settings,
            )
            made = session.build(scratch / "out")
            if not made.is_file():
                raise BuildFailed(
                    package, "build_sdist", 0, f"the hook returned {made.name!r}, not a file"
                )
            target = out_dir / made.name
            shutil.copyfile(made, target)
        finally:
            shutil.rmtree(scratch, ignore_errors=True)
        built.append(target)
        if wheel:
            built.append(context.setup_build(target, name=name).wheel(out_dir))
    else:
        built.append(context.setup_build(source_dir, name=name).wheel(out_dir))
    return built
