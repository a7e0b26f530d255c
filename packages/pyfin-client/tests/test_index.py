"""Index locations, credentials and redaction."""

from __future__ import annotations

from pathlib import Path

import pytest

from pyfin_client import FindLinks, IndexLocations, IndexStrategy, IndexUrl, redact_url
from pyfin_client._auth import CredentialStore


def test_credentials_are_split_off_and_hidden() -> None:
    index = IndexUrl.parse("https://us%40er:p%3Ass@example.org/simple")
    assert index.url == "https://example.org/simple/"
    assert index.credentials == ("us@er", "p:ss")
    assert "p:ss" not in repr(index) and "p%3Ass" not in repr(index)
    assert str(index) == "https://example.org/simple/"


def test_redact_url() -> None:
    assert redact_url("https://tok@h.org:8080/x?y#z") == "https://****@h.org:8080/x?y#z"
    assert redact_url("https://u:p@h.org/") == "https://****@h.org/"
    assert redact_url("https://h.org/") == "https://h.org/"


def test_locations_order_and_no_index(tmp_path: Path) -> None:
    locations = IndexLocations.from_args(
        index_url="https://main.example/simple",
        extra_index_urls=["https://extra.example/simple/"],
        find_links=[str(tmp_path)],
        strategy="unsafe-best-match",
    )
    assert [i.url for i in locations.indexes] == [
        "https://extra.example/simple/",
        "https://main.example/simple/",
    ]
    assert locations.find_links == (FindLinks(tmp_path.as_uri()),)
    assert locations.strategy is IndexStrategy.UNSAFE_BEST_MATCH
    none = IndexLocations.from_args(
        extra_index_urls=["https://extra.example/simple"], no_index=True
    )
    assert none.indexes == ()
    with pytest.raises(ValueError, match="'best'"):
        IndexLocations.from_args(strategy="best")


def test_netrc_lookup(tmp_path: Path) -> None:
    netrc = tmp_path / "netrc"
    netrc.write_text("machine files.example login u password p\n")
    netrc.chmod(0o600)
    store = CredentialStore(netrc)
    store.add("https://index.example/simple/", ("a", "b"))
    assert store.lookup("https://index.example:443/other") == ("a", "b")
    assert store.lookup("http://index.example/simple/") is None  # another origin (scheme)
    assert store.lookup("https://files.example/x.whl") == ("u", "p")
    assert store.authorization("https://files.example/x.whl") == "Basic dTpw"
    assert CredentialStore(tmp_path / "missing").lookup("https://files.example/") is None
