"""PubGrub resolution over index metadata, with explanations of failures.

- `resolve`: the entry point; pins versions for requirements, constraints and overrides.
- `Provider`, `Candidate`, `Metadata`, `Unavailable`: the data-access protocol and its values
  (see `_provider`); `InMemoryProvider` serves a fixed table (tests, fixtures);
  `RegistryProvider` serves package indexes through pyfin-client, choosing files by
  `BinaryPolicy` (see `_registry_provider`, `_file_choice`).
- `TargetEnvironment`, `ResolverOptions`, `ResolutionMode`, `PrereleaseMode`: what to resolve
  for and how to choose (see `_options`).
- Errors: `ResolverError`, `ResolutionImpossible`, `UnsupportedRequirement`, `IndexLookupFailed`
  (see `_errors`).

The solver itself lives in `_pubgrub/` and knows nothing about Python packaging.
"""

from __future__ import annotations

from pyfin_resolver._errors import ResolutionImpossible, ResolverError, UnsupportedRequirement
from pyfin_resolver._file_choice import BinaryPolicy
from pyfin_resolver._options import (
    PrereleaseMode,
    ResolutionMode,
    ResolverOptions,
    TargetEnvironment,
)
from pyfin_resolver._provider import Candidate, InMemoryProvider, Metadata, Provider, Unavailable
from pyfin_resolver._registry_provider import IndexLookupFailed, RegistryProvider
from pyfin_resolver._resolver import resolve

__all__ = [
    "BinaryPolicy",
    "Candidate",
    "InMemoryProvider",
    "IndexLookupFailed",
    "Metadata",
    "PrereleaseMode",
    "Provider",
    "RegistryProvider",
    "ResolutionImpossible",
    "ResolutionMode",
    "ResolverError",
    "ResolverOptions",
    "TargetEnvironment",
    "Unavailable",
    "UnsupportedRequirement",
    "resolve",
]
