"""The environment packages go into: a venv, the system interpreter, a ``--prefix`` or a
``--target`` folder; its install scheme, its lock and the PEP 668 check."""

from __future__ import annotations

import fcntl
import hashlib
import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from install_wheel import Destination, LinkMode, Scheme
from pyfin_installer._errors import ExternallyManaged, NoVirtualEnv
from pyfin_installer._inventory import Inventory, read_inventory

if TYPE_CHECKING:
    from pyfin_cache import Cache
    from pyfin_interpreter import Interpreter

EnvironmentKind = Literal["venv", "system", "prefix", "target"]


@dataclass(frozen=True, slots=True)
class Environment:
    """Where an installation writes: ``scheme`` (install-wheel's) for ``interpreter``.

    ``root`` is the venv root, the interpreter's prefix, or the ``--prefix``/``--target``
    folder. Build one with ``find_environment`` or the ``for_*`` constructors (no I/O).
    """

    interpreter: Interpreter
    scheme: Scheme
    root: Path
    kind: EnvironmentKind

    @classmethod
    def for_interpreter(cls, interpreter: Interpreter) -> Environment:
        """The interpreter's own environment (its venv, or its system site-packages)."""
        own = interpreter.scheme
        scheme = Scheme(own.purelib, own.platlib, own.scripts, own.data, own.include)
        kind: EnvironmentKind = "venv" if interpreter.is_virtualenv else "system"
        return cls(interpreter, scheme, interpreter.prefix, kind)

    @classmethod
    def for_prefix(cls, interpreter: Interpreter, prefix: Path) -> Environment:
        """``interpreter``'s layout rooted at ``prefix`` (``--prefix``)."""
        prefix = Path(os.path.abspath(prefix))  # noqa: PTH100 - keep symlinks as given
        own = interpreter.scheme

        def moved(path: Path, fallback: str) -> Path:
            try:
                return prefix / path.relative_to(interpreter.prefix)
            except ValueError:
                return prefix / fallback

        major, minor = interpreter.python_version
        site = f"lib/python{major}.{minor}/site-packages"
        scheme = Scheme(
            purelib=moved(own.purelib, site),
            platlib=moved(own.platlib, site),
            scripts=moved(own.scripts, "bin"),
            data=prefix,
            headers=moved(own.include, f"include/python{major}.{minor}"),
        )
        return cls(interpreter, scheme, prefix, "prefix")

    @classmethod
    def for_target(cls, interpreter: Interpreter, target: Path) -> Environment:
        """A flat folder (``--target``): packages at its top, scripts in ``bin``."""
        target = Path(os.path.abspath(target))  # noqa: PTH100 - keep symlinks as given
        scheme = Scheme(target, target, target / "bin", target, target / "include")
        return cls(interpreter, scheme, target, "target")

    def lib_dirs(self) -> tuple[Path, ...]:
        """purelib and platlib, once each."""
        return tuple(dict.fromkeys((self.scheme.purelib, self.scheme.platlib)))

    def inventory(self) -> Inventory:
        """What is installed here (see ``read_inventory``)."""
        return read_inventory(self.lib_dirs())

    def destination(
        self, link_mode: LinkMode = LinkMode.CLONE, *, compile_bytecode: bool = False
    ) -> Destination:
        """install-wheel's destination for this environment."""
        return Destination(
            self.scheme, self.interpreter.sys_executable, link_mode, compile_bytecode
        )

    def lock_path(self) -> Path:
        """``<venv>/.lock``; for other kinds a file in the temp folder named after purelib
        (a system prefix is usually not writable)."""
        if self.kind == "venv":
            return self.root / ".lock"
        import tempfile

        key = hashlib.sha256(os.path.realpath(self.scheme.purelib).encode()).hexdigest()[:16]
        return Path(tempfile.gettempdir()) / f"pyfin-env-{key}.lock"

    @contextmanager
    def lock(self, on_wait: Callable[[str], None] | None = None) -> Iterator[None]:
        """Hold the environment's exclusive lock (``flock``) for the block, so that two pyfin
        processes never change one environment at once. If another holds it, ``on_wait`` is
        called once with "Waiting for another pyfin process to finish with <root>" and the
        call blocks until it is free. Released when the block ends or the process dies."""
        path = self.lock_path()
        fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o666)
        try:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                if on_wait is not None:
                    on_wait(f"Waiting for another pyfin process to finish with {self.root}")
                fcntl.flock(fd, fcntl.LOCK_EX)
            yield
        finally:
            os.close(fd)

    def externally_managed(self) -> ExternallyManaged | None:
        """The PEP 668 refusal for a system environment whose stdlib folder holds an
        ``EXTERNALLY-MANAGED`` file; None for venvs, prefixes, targets and free interpreters."""
        if self.kind != "system":
            return None
        interpreter = self.interpreter
        major, minor = interpreter.python_version
        marker = interpreter.base_prefix / "lib" / f"python{major}.{minor}" / "EXTERNALLY-MANAGED"
        try:
            text = marker.read_text(encoding="utf-8", errors="replace")
        except (FileNotFoundError, NotADirectoryError):
            return None
        import configparser

        parser = configparser.ConfigParser(interpolation=None)
        try:
            parser.read_string(text)
            message = parser.get("externally-managed", "Error", fallback=None)
        except configparser.Error:
            message = None
        return ExternallyManaged(interpreter.sys_executable, marker, message)


def find_environment(
    cache: Cache,
    python: str | None = None,
    *,
    system: bool = False,
    break_system_packages: bool = False,
    prefix: Path | None = None,
    target: Path | None = None,
) -> Environment:
    """The environment a pip-style command acts on.

    Default: the active or nearest virtual environment (``VIRTUAL_ENV``, ``CONDA_PREFIX``,
    ``.venv``); none found raises ``NoVirtualEnv``. ``python`` names the interpreter
    explicitly (a venv or not); ``system`` searches outside virtual environments. With
    ``prefix``/``target`` the interpreter only gives the layout. A system environment with an
    ``EXTERNALLY-MANAGED`` marker raises ``ExternallyManaged`` unless
    ``break_system_packages``. Raises ``pyfin_interpreter`` errors when no interpreter fits.
    """
    from pyfin_interpreter import find_interpreter, find_virtualenv

    if python is None and not system and prefix is None and target is None:
        found = find_virtualenv(cache)
        if found is None:
            raise NoVirtualEnv(
                ["VIRTUAL_ENV", "CONDA_PREFIX", f".venv in {Path.cwd()} or a parent"]
            )
        interpreter = found
    else:
        interpreter = find_interpreter(python, cache, system=system)
    if prefix is not None:
        return Environment.for_prefix(interpreter, prefix)
    if target is not None:
        return Environment.for_target(interpreter, target)
    environment = Environment.for_interpreter(interpreter)
    refusal = environment.externally_managed()
    if refusal is not None and not break_system_packages:
        raise refusal
    return environment
