"""pyfin's benchmark runner: times pyfin against reference tools on the same scenarios.

Run it as `python tools/bench` (or `nox -s bench`); see README.md beside this file.
"""
