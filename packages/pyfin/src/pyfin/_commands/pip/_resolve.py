"""Resolution shared by `pyfin pip compile` and `pyfin pip install`: their resolution and build
options, the run's index client and `BuildDispatch`, and requirements -> `RegistryProvider` ->
`pyfin_resolver.resolve`.
"""

from __future__ import annotations

import argparse

from pyfin._errors import PyfinError

TYPE_CHECKING = False  # not typing.TYPE_CHECKING: see pyfin._parser
if TYPE_CHECKING:
    from collections.abc import Callable, Mapping, Sequence
    from datetime import datetime

    from packaging.requirements import Requirement
    from packaging.version import Version

    from pyfin._dispatch import BuildDispatch
    from pyfin._requirements_txt import RequirementEntry, RequirementsSpec
    from pyfin._session import Session
    from pyfin._target import Target
    from pyfin_client import RegistryClient
    from pyfin_interpreter import Interpreter
    from pyfin_traits import Resolution

__all__ = [
    "Files",
    "UnsupportedInput",
    "add_build_options",
    "add_config_setting_option",
    "add_resolution_options",
    "config_settings",
    "install_policy",
    "make_dispatch",
    "named_requirements",
    "no_build_names",
    "parse_exclude_newer",
    "resolution_client_factory",
    "resolve_requirements",
]

_PRERELEASE = ["disallow", "allow", "if-necessary", "explicit", "if-necessary-or-explicit"]

Files = dict[str, tuple[str, ...]]
"""`sha256:<hex>` of every file of each pinned name (`--generate-hashes`)."""


class UnsupportedInput(PyfinError):
    """A command cannot do what it was asked (`reason`, a sentence)."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason

    def __str__(self) -> str:
        return self.reason


def add_resolution_options(parser: argparse.ArgumentParser) -> None:
    """`-U`, `-P`, `--resolution`, `--prerelease`, `--exclude-newer`, `--refresh`."""
    group = parser.add_argument_group("resolution options")
    group.add_argument("-U", "--upgrade", action="store_true", help="prefer no earlier pins")
    group.add_argument("-P", "--upgrade-package", action="append", default=[], metavar="NAME")
    group.add_argument(
        "--resolution", choices=["highest", "lowest", "lowest-direct"], default="highest"
    )
    group.add_argument("--prerelease", choices=_PRERELEASE, default=None)
    group.add_argument(
        "--exclude-newer", type=parse_exclude_newer, metavar="DATE", help="ignore later uploads"
    )
    group.add_argument("--refresh", action="store_true", help="revalidate cached index pages")


def add_build_options(parser: argparse.ArgumentParser) -> None:
    """`--no-build`, `--no-build-package`, `--no-binary`, `--only-binary`, `-C KEY=VALUE`."""
    group = parser.add_argument_group("build options")
    group.add_argument("--no-build", action="store_true", help="use wheels only, never build")
    group.add_argument("--no-build-package", action="append", default=[], metavar="NAME")
    group.add_argument("--no-binary", action="append", default=[], metavar="NAME|:all:")
    group.add_argument("--only-binary", action="append", default=[], metavar="NAME|:all:")
    add_config_setting_option(group)


def add_config_setting_option(group: argparse._ActionsContainer) -> None:
    """`-C/--config-setting KEY=VALUE` alone (`pyfin build`)."""
    group.add_argument(
        "-C",
        "--config-setting",
        action="append",
        default=[],
        type=_config_setting,
        metavar="KEY=VALUE",
        help="a setting for the build backends (repeatable; a repeated key makes a list)",
    )


def parse_exclude_newer(text: str) -> datetime:
    """`2026-11-01T00:00:00Z`, any ISO 8601 date-time (naive means UTC), or a date (midnight
    UTC). Raises `argparse.ArgumentTypeError` (argparse prints it as a usage error)."""
    from datetime import datetime, timezone

    try:
        value = datetime.fromisoformat(text.replace("Z", "+00:00").replace("z", "+00:00"))
    except ValueError as exc:
        raise argparse.ArgumentTypeError(
            f"{text!r} is not a date (YYYY-MM-DD) or an ISO 8601 date-time"
        ) from exc
    return value if value.tzinfo is not None else value.replace(tzinfo=timezone.utc)


def _config_setting(text: str) -> tuple[str, str]:
    key, sep, value = text.partition("=")
    if not sep or not key:
        raise argparse.ArgumentTypeError(f"{text!r} is not KEY=VALUE")
    return key, value


def config_settings(args: argparse.Namespace) -> dict[str, str | list[str]]:
    """The `-C` settings as PEP 517 wants them: a key given twice maps to a list."""
    settings: dict[str, str | list[str]] = {}
    for key, value in args.config_setting:
        known = settings.get(key)
        if known is None:
            settings[key] = value
        elif isinstance(known, list):
            known.append(value)
        else:
            settings[key] = [known, value]
    return settings


def _names(from_files: frozenset[str], given: Sequence[str]) -> frozenset[str]:
    from packaging.utils import canonicalize_name

    names = set(from_files)
    for value in given:
        for name in value.split(","):
            names.add(":all:" if name.strip() == ":all:" else canonicalize_name(name.strip()))
    return frozenset(names)


def no_build_names(args: argparse.Namespace) -> frozenset[str]:
    """Packages (or `":all:"`) never to build: `--no-build`, `--no-build-package`."""
    no_build = getattr(args, "no_build", False)
    return _names(frozenset([":all:"] if no_build else []), getattr(args, "no_build_package", []))


def _binary_sets(
    args: argparse.Namespace, spec: RequirementsSpec | None
) -> tuple[frozenset[str], frozenset[str]]:
    """(`--no-binary`, `--only-binary`) of the command line and the requirements files."""
    no_binary = _names(spec.no_binary if spec else frozenset(), args.no_binary)
    only_binary = _names(spec.only_binary if spec else frozenset(), args.only_binary)
    return no_binary, only_binary


def install_policy(
    args: argparse.Namespace, spec: RequirementsSpec | None
) -> tuple[frozenset[str], frozenset[str]]:
    """(never build, never use a wheel) for the installer: `--only-binary` forbids builds."""
    no_binary, only_binary = _binary_sets(args, spec)
    return no_build_names(args) | only_binary, no_binary


def named_requirements(
    entries: Sequence[RequirementEntry], kind: str, command: str
) -> list[Requirement]:
    """The requirements of `entries`; an unnamed one (a path or URL) is refused, naming it."""
    from packaging.requirements import Requirement

    found = []
    for entry in entries:
        requirement = entry.requirement
        if entry.editable or not isinstance(requirement, Requirement):
            raise UnsupportedInput(
                f"{entry.location}: the {kind} `{requirement}` is given by location; "
                f"pyfin pip {command} supports only named requirements from an index yet"
            )
        found.append(requirement)
    return found


def resolution_client_factory(
    args: argparse.Namespace, session: Session, spec: RequirementsSpec | None
) -> Callable[[], RegistryClient]:
    """The index client of a resolving run: index options of the command line, then the
    files'; with `--offline`, `--refresh` and `--exclude-newer`."""
    from pyfin_client import ClientSettings, IndexLocations, RegistryClient

    locations = IndexLocations.from_args(
        index_url=args.index_url or (spec.index_url if spec else None),
        extra_index_urls=[*args.extra_index_url, *(spec.extra_index_urls if spec else ())],
        find_links=[*args.find_links, *(spec.find_links if spec else ())],
        no_index=args.no_index or bool(spec and spec.no_index),
        strategy=args.index_strategy,
    )
    settings = ClientSettings(
        offline=args.offline,
        refresh=getattr(args, "refresh", False),
        exclude_newer=getattr(args, "exclude_newer", None),
    )
    cache = session.cache

    def make() -> RegistryClient:
        return RegistryClient(cache, locations, settings)

    return make


def make_dispatch(
    args: argparse.Namespace,
    session: Session,
    interpreter: Interpreter,
    make_client: Callable[[], RegistryClient],
) -> BuildDispatch:
    """The run's `BuildContext`, with its `--no-build*` and `-C` options."""
    from pyfin._dispatch import BuildDispatch

    return BuildDispatch(
        session.cache,
        interpreter,
        make_client,
        no_build=getattr(args, "no_build", False),
        no_build_packages=no_build_names(args),
        config_settings=config_settings(args),
    )


def resolve_requirements(
    args: argparse.Namespace,
    session: Session,
    spec: RequirementsSpec,
    *,
    requirements: Sequence[Requirement],
    constraints: Sequence[Requirement] = (),
    overrides: Sequence[Requirement] = (),
    preferences: Mapping[str, Version],
    target: Target,
    dispatch: BuildDispatch,
    make_client: Callable[[], RegistryClient],
    generate_hashes: bool = False,
) -> tuple[Resolution, Files]:
    """Resolve for `target` from the run's indexes (`--resolution`, `--prerelease`, the binary
    policy of the options and files, `preferences`); with `generate_hashes`, also the sha256
    of every file of each pin. Raises `pyfin_resolver.ResolverError`."""
    from pyfin_resolver import (
        BinaryPolicy,
        PrereleaseMode,
        RegistryProvider,
        ResolutionMode,
        ResolverOptions,
        TargetEnvironment,
        resolve,
    )

    if args.prerelease is not None:
        prereleases = PrereleaseMode(args.prerelease)
    else:
        prereleases = PrereleaseMode.ALLOW if spec.pre else PrereleaseMode.IF_NECESSARY_OR_EXPLICIT
    options = ResolverOptions(
        resolution=ResolutionMode(args.resolution),
        prereleases=prereleases,
        preferences=dict(preferences),
    )
    no_binary, only_binary = _binary_sets(args, spec)
    policy = BinaryPolicy(
        no_binary=no_binary, only_binary=only_binary, no_build=no_build_names(args)
    )
    with RegistryProvider(
        make_client, target.tags, dispatch, policy=policy, markers=target.markers
    ) as provider:
        resolution = resolve(
            requirements,
            provider,
            TargetEnvironment(target.markers, target.python_version),
            constraints=constraints,
            overrides=overrides,
            options=options,
        )
        files: Files = {}
        if generate_hashes:
            for dist in resolution.dists:
                found = provider.files(dist.name, dist.version)
                files[dist.name] = tuple(
                    f"{algorithm}:{digest}"
                    for file in found
                    for algorithm, digest in file.hashes
                    if algorithm == "sha256"
                )
    return resolution, files
