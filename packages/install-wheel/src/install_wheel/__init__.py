"""Install a wheel (or an already unzipped wheel) into an environment; uninstall by RECORD. Standalone: stdlib and packaging only."""

from __future__ import annotations

__all__: list[str] = []
