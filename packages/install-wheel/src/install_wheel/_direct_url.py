"""``direct_url.json`` (PEP 610): where a distribution installed from a URL or path came from."""

from __future__ import annotations

from dataclasses import dataclass


def redact_url(url: str) -> str:
    """``url`` without credentials; ``git@`` (ssh) and ``${ENV}`` user parts are kept (PEP 610)."""
    import urllib.parse

    parts = urllib.parse.urlsplit(url)
    if "@" not in parts.netloc:
        return url
    userinfo, _, host = parts.netloc.rpartition("@")
    if userinfo == "git" or (userinfo.startswith("${") and userinfo.endswith("}")):
        return url
    return urllib.parse.urlunsplit(parts._replace(netloc=host))


@dataclass(frozen=True, slots=True)
class DirectUrl:
    """The origin of a direct (non-index) install.

    Exactly one kind: an archive (``archive_hash`` like ``sha256=...``), a local directory
    (``editable``), or a VCS checkout (``vcs`` with ``commit_id`` and ``requested_revision``).
    """

    url: str
    archive_hash: str | None = None
    directory: bool = False
    editable: bool = False
    vcs: str | None = None
    commit_id: str | None = None
    requested_revision: str | None = None
    subdirectory: str | None = None

    def to_json(self) -> bytes:
        """The file's bytes, credentials removed from the URL."""
        import json

        data: dict[str, object] = {"url": redact_url(self.url)}
        if self.vcs is not None:
            vcs_info: dict[str, str] = {"vcs": self.vcs}
            if self.commit_id is not None:
                vcs_info["commit_id"] = self.commit_id
            if self.requested_revision is not None:
                vcs_info["requested_revision"] = self.requested_revision
            data["vcs_info"] = vcs_info
        elif self.directory or self.editable:
            data["dir_info"] = {"editable": True} if self.editable else {}
        else:
            archive: dict[str, object] = {}
            if self.archive_hash is not None:
                algorithm, _, digest = self.archive_hash.partition("=")
                archive = {"hash": self.archive_hash, "hashes": {algorithm: digest}}
            data["archive_info"] = archive
        if self.subdirectory is not None:
            data["subdirectory"] = self.subdirectory
        return json.dumps(data, sort_keys=True).encode()
