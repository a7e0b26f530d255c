"""The resolver's exceptions.

    ResolverError
    ├── ResolutionImpossible      no set of versions satisfies the requirements (carries the proof)
    ├── UnsupportedRequirement    a requirement the resolver cannot handle (also a ValueError)
    └── IndexLookupFailed         the index could not answer (in `_registry_provider`, beside
                                  the code that raises it; the client's error is the cause)

Errors raised by other providers propagate unchanged: they are the provider's.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from pyfin_resolver._pubgrub._incompatibility import Incompatibility


class ResolverError(Exception):
    """Base class of every error pyfin-resolver raises."""


class ResolutionImpossible(ResolverError):
    """The requirements cannot be satisfied.

    `report` is the proof in plain English (one sentence per line), `hints` are follow-up notes
    (excluded pre-releases, yanked versions, missing extras), and `incompatibility` is the root
    of the derivation tree the report was written from.
    """

    def __init__(
        self, report: str, hints: tuple[str, ...], incompatibility: Incompatibility
    ) -> None:
        super().__init__(report)
        self.report = report
        self.hints = hints
        self.incompatibility = incompatibility

    def __str__(self) -> str:
        text = f"No solution found when resolving dependencies:\n{self.report}"
        for hint in self.hints:
            text += f"\nhint: {hint}"
        return text


class UnsupportedRequirement(ResolverError, ValueError):
    """`requirement` cannot be resolved by this resolver; `reason` says why."""

    def __init__(self, requirement: str, reason: str) -> None:
        super().__init__(requirement, reason)
        self.requirement = requirement
        self.reason = reason

    def __str__(self) -> str:
        return f"cannot resolve {self.requirement!r}: {self.reason}"
