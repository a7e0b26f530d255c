"""Types shared by resolver, installer and builder, and the BuildContext / SourceBuild protocols.

- `Resolution`, `ResolvedDist`, `Via`: what a resolution produced and why (see `_resolution`).
- `BuildContext`, `SourceBuild`: the build callback protocols (see `_build`).

This distribution raises nothing; it only defines values and protocols.
"""

from __future__ import annotations

from pyfin_traits._build import BuildContext, SourceBuild
from pyfin_traits._resolution import Resolution, ResolvedDist, Via

__all__ = ["BuildContext", "Resolution", "ResolvedDist", "SourceBuild", "Via"]
