"""One build of one source tree: its isolated environment and the backend hooks called in it.

The environment is made lazily (on the first hook) with gourgeist in `scratch/env`; build
requirements are resolved and installed through the `BuildContext` (never pip): first
`[build-system] requires`, then whatever `get_requires_for_build_*` adds that the first
resolution does not already satisfy. Hooks run through `pyproject_hooks` with a capturing
runner; their failures become `BuildFailed` (package, hook, exit status, output tail).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from packaging.requirements import InvalidRequirement, Requirement

from pyfin_build._errors import (
    BackendImportFailed,
    BuildEnvironmentFailed,
    BuildError,
    BuildFailed,
    HookNotSupported,
)
from pyfin_build._pyproject import BuildSystem, check_backend_path, read_build_system
from pyfin_build._runner import CapturingRunner, HookProcessFailed, build_environ, tail

if TYPE_CHECKING:
    from pyfin_interpreter import Interpreter
    from pyfin_traits import BuildContext, Resolution

BuildKind = Literal["wheel", "editable", "sdist"]
ConfigSettings = Mapping[str, "str | Sequence[str]"]


class BuildSession:
    """Calls the backend hooks of `tree` for one kind of build, in an isolated environment.

    `package` names the project in errors. `scratch` is an empty folder this session may fill
    (the environment goes there); the caller removes it. Reading `[build-system]` and checking
    `backend-path` happen here, before anything is created. Not thread-safe: callers serialise
    use of one session.
    """

    def __init__(
        self,
        context: BuildContext,
        tree: Path,
        package: str,
        kind: BuildKind,
        *,
        scratch: Path,
        config_settings: ConfigSettings | None = None,
    ) -> None:
        self.tree = tree
        self.package = package
        self.kind: BuildKind = kind
        self.system: BuildSystem = read_build_system(tree)
        check_backend_path(package, tree, self.system.backend_path)
        self._context = context
        self.scratch = scratch
        self._config: dict[str, Any] | None = (
            None if config_settings is None else _plain(config_settings)
        )
        self._caller: Any = None
        self._runner: CapturingRunner | None = None

    def prepare_metadata(self, out_dir: Path) -> Path | None:
        """Run `prepare_metadata_for_build_wheel` (or `_editable`) into `out_dir`; the
        `.dist-info` folder, or None when the backend lacks the hook."""
        caller = self._ready()
        hook = f"prepare_metadata_for_build_{self.kind}"
        out_dir.mkdir(parents=True, exist_ok=True)
        try:
            method = getattr(caller, hook)
            name = self._call(
                hook, lambda: method(str(out_dir), self._config, _allow_fallback=False)
            )
        except _Missing:
            return None
        return out_dir / str(name)

    def build(self, out_dir: Path, metadata_directory: Path | None = None) -> Path:
        """Run `build_wheel`, `build_editable` or `build_sdist` into `out_dir`; the artifact."""
        caller = self._ready()
        hook = f"build_{self.kind}"
        out_dir.mkdir(parents=True, exist_ok=True)
        method = getattr(caller, hook)
        if self.kind == "sdist":
            name = self._call(hook, lambda: method(str(out_dir), self._config))
        else:
            meta = None if metadata_directory is None else str(metadata_directory)
            name = self._call(hook, lambda: method(str(out_dir), self._config, meta))
        return out_dir / str(name)

    def _ready(self) -> Any:
        """The hook caller, creating and filling the environment on first use."""
        if self._caller is not None:
            return self._caller
        from pyproject_hooks import BuildBackendHookCaller

        venv = self._create_venv()
        installed = self._install(list(self.system.requires), venv, None)
        self._runner = CapturingRunner(build_environ(venv.prefix, venv.scheme.scripts))
        caller = BuildBackendHookCaller(
            str(self.tree),
            self.system.backend,
            backend_path=[*self.system.backend_path] or None,
            runner=self._runner,
            python_executable=str(venv.sys_executable),
        )
        hook = f"get_requires_for_build_{self.kind}"
        extra_text = self._call(hook, lambda: getattr(caller, hook)(self._config))
        extra = _parse_requirements(self.package, hook, extra_text)
        missing = [req for req in extra if not _satisfied(req, installed, venv)]
        if missing:
            self._install([*self.system.requires, *extra], venv, installed)
        self._caller = caller
        return caller

    def _create_venv(self) -> Interpreter:
        from gourgeist import GourgeistError, create_venv

        try:
            return create_venv(self.scratch / "env", self._context.interpreter)
        except GourgeistError as exc:
            raise BuildEnvironmentFailed(
                self.package, "creating the virtual environment", str(exc)
            ) from exc

    def _install(
        self, requirements: list[Requirement], venv: Interpreter, before: Resolution | None
    ) -> Resolution | None:
        if not requirements:
            return before
        wanted = ", ".join(str(r) for r in requirements)
        try:
            resolution = self._context.resolve(requirements)
        except BuildError:
            raise  # a nested build's own error (a cycle, a failed backend) says it best
        except Exception as exc:
            # The context is another component; anything it raises means "cannot resolve".
            raise BuildEnvironmentFailed(
                self.package, f"resolving the build requirements ({wanted})", str(exc)
            ) from exc
        try:
            self._context.install(resolution, venv)
        except BuildError:
            raise
        except Exception as exc:
            raise BuildEnvironmentFailed(
                self.package, f"installing the build requirements ({wanted})", str(exc)
            ) from exc
        return resolution

    def _call(self, hook: str, call: Callable[[], Any]) -> Any:
        """Run one hook, translating pyproject-hooks' and the subprocess's failures."""
        from pyproject_hooks import BackendUnavailable, HookMissing, UnsupportedOperation

        try:
            return call()
        except HookProcessFailed as exc:
            raise BuildFailed(self.package, hook, exc.returncode, tail(exc.output)) from exc
        except BackendUnavailable as exc:
            output = self._runner.last_output if self._runner is not None else ""
            detail = "\n".join(filter(None, [tail(output), tail(exc.traceback)]))
            raise BackendImportFailed(self.package, self.system.backend, detail) from exc
        except HookMissing as exc:
            if hook.startswith("prepare_metadata_for_build_"):
                raise _Missing from exc
            raise HookNotSupported(self.package, hook) from exc
        except UnsupportedOperation as exc:
            raise HookNotSupported(self.package, hook) from exc


class _Missing(Exception):
    """Internal: an optional hook is absent."""


def _plain(settings: ConfigSettings) -> dict[str, Any]:
    return {k: v if isinstance(v, str) else list(v) for k, v in settings.items()}


def _parse_requirements(package: str, hook: str, value: object) -> list[Requirement]:
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        raise BuildFailed(package, hook, 0, f"the hook returned {value!r}, not a list of strings")
    try:
        return [Requirement(item) for item in value]
    except InvalidRequirement as exc:
        raise BuildFailed(
            package, hook, 0, f"the hook returned an invalid requirement: {exc}"
        ) from exc


def _satisfied(req: Requirement, installed: Resolution | None, venv: Interpreter) -> bool:
    """Whether `req` is met by what was installed (or does not apply to this environment)."""
    if req.marker is not None and not req.marker.evaluate(venv.environment()):
        return True
    if installed is None or req.name not in installed:
        return False
    dist = installed[req.name]
    return req.specifier.contains(dist.version, prereleases=True) and req.extras <= {
        str(extra) for extra in dist.extras
    }
