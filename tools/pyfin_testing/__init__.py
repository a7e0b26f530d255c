"""Helpers shared by pyfin's test suites: fixture builders and loopback servers (not shipped)."""
