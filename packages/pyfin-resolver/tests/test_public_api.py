"""The public surface of pyfin_resolver is exactly what we mean to export."""

from __future__ import annotations

import pyfin_resolver


def test_all() -> None:
    assert sorted(pyfin_resolver.__all__) == [
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
    for name in pyfin_resolver.__all__:
        assert getattr(pyfin_resolver, name).__module__.startswith("pyfin_resolver._")


def test_errors_share_one_base() -> None:
    assert issubclass(pyfin_resolver.ResolutionImpossible, pyfin_resolver.ResolverError)
    assert issubclass(pyfin_resolver.UnsupportedRequirement, pyfin_resolver.ResolverError)
    assert issubclass(pyfin_resolver.UnsupportedRequirement, ValueError)
    assert issubclass(pyfin_resolver.IndexLookupFailed, pyfin_resolver.ResolverError)


def test_in_memory_provider_implements_the_protocol() -> None:
    provider: pyfin_resolver.Provider = pyfin_resolver.InMemoryProvider({})
    assert provider.candidates(pyfin_resolver.InMemoryProvider.__name__.lower()) is None  # type: ignore[arg-type]
