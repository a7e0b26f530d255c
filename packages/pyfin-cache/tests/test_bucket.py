"""Tests of pyfin_cache._bucket: versioned folder names and the trees drawn under each member."""

from __future__ import annotations

import ast
import inspect
import re

import pyfin_cache._bucket
from pyfin_cache import CacheBucket


def member_docstrings() -> dict[str, str]:
    """The string literal written under each member in the source, by member name."""
    source = inspect.getsource(pyfin_cache._bucket)
    [klass] = [
        node
        for node in ast.parse(source).body
        if isinstance(node, ast.ClassDef) and node.name == "CacheBucket"
    ]
    docs: dict[str, str] = {}
    for assign, following in zip(klass.body, klass.body[1:], strict=False):
        if (
            isinstance(assign, ast.Assign)
            and isinstance(following, ast.Expr)
            and isinstance(following.value, ast.Constant)
            and isinstance(following.value.value, str)
        ):
            [target] = assign.targets
            assert isinstance(target, ast.Name)
            docs[target.id] = inspect.cleandoc(following.value.value)
    return docs


def test_folder_names_carry_a_version() -> None:
    values = [bucket.value for bucket in CacheBucket]
    assert len(set(values)) == len(values)
    assert all(re.fullmatch(r"[a-z-]+-v\d+", value) for value in values)


def test_every_member_draws_its_tree() -> None:
    docs = member_docstrings()
    assert set(docs) == {bucket.name for bucket in CacheBucket}
    for bucket in CacheBucket:
        lines = docs[bucket.name].splitlines()
        assert f"{bucket.value}/" in lines, bucket
        assert any("└──" in line for line in lines), bucket


def test_package_component_matches_the_drawn_tree() -> None:
    docs = member_docstrings()
    for bucket in CacheBucket:
        lines = docs[bucket.name].splitlines()
        top = lines.index(f"{bucket.value}/")
        depth = None
        for line in lines[top + 1 :]:
            if "<normalized-name>" in line:
                depth = line.index("──") // 4
                break
        assert depth == bucket.package_component, bucket
