"""A PubGrub version solver over `packaging.ranges.VersionRange`; `_solver` is the entry point.

Reading order: `_term` (a constraint on one package), `_incompatibility` (a set of terms that
must not all hold, and why), `_partial_solution` (the assignments made so far),
`_solver` (unit propagation, decisions, conflict resolution with learning), `_report` (a
derivation tree as plain English). The algorithm is the one described in Natalie Weizenbaum's
"PubGrub: Next-Generation Version Solving" and the Dart pub `solver.md`; nothing here knows
about Python packaging beyond versions and ranges — markers, extras, Requires-Python,
pre-releases and yanked files live in `pyfin_resolver._resolver`.
"""

from __future__ import annotations
