"""``select_wheel``: tag preference, build tags, yanked files and Requires-Python."""

from __future__ import annotations

from packaging.tags import Tag, sys_tags
from packaging.utils import canonicalize_name
from packaging.version import Version

from pyfin_client import IndexUrl
from pyfin_client._models import File
from pyfin_client._select import (
    python_allows,
    select_wheel,
    tag_priorities,
    tags_rank,
    wheel_rank,
)

INDEX = IndexUrl.parse("https://example.org/simple")
TAGS = [Tag("cp311", "cp311", "manylinux_2_17_x86_64"), Tag("cp311", "abi3", "linux_x86_64")]
TAGS += [Tag("py3", "none", "any"), Tag("py2.py3", "none", "any")]
PRIORITIES = tag_priorities(TAGS)


def _file(filename: str, *, yanked: str | None = None, requires_python: str | None = None) -> File:
    name, version = filename.removesuffix(".tar.gz").split("-")[:2]
    return File(
        filename=filename,
        name=canonicalize_name(name),
        version=Version(version),
        url=f"https://example.org/files/{filename}",
        index=INDEX,
        yanked=yanked,
        requires_python=requires_python,
    )


def test_most_preferred_tag_wins_whatever_the_order() -> None:
    pure = _file("demo-1.0-py3-none-any.whl")
    binary = _file("demo-1.0-cp311-cp311-manylinux_2_17_x86_64.whl")
    abi3 = _file("demo-1.0-cp311-abi3-linux_x86_64.whl")
    assert select_wheel([pure, abi3, binary], PRIORITIES) is binary
    assert select_wheel([pure, abi3], PRIORITIES) is abi3


def test_compressed_tag_sets_use_their_best_member() -> None:
    multi = _file("demo-1.0-py2.py3-none-any.whl")
    assert wheel_rank(multi, PRIORITIES) == 2
    assert select_wheel([multi], PRIORITIES) is multi


def test_unsupported_tags_sdists_and_bad_names_are_not_chosen() -> None:
    files = [
        _file("demo-1.0-cp312-cp312-win_amd64.whl"),
        _file("demo-1.0.tar.gz"),
        _file("demo-1.0-notatag.whl"),
    ]
    assert select_wheel(files, PRIORITIES) is None


def test_higher_build_tag_breaks_a_tie() -> None:
    plain = _file("demo-1.0-py3-none-any.whl")
    build2 = _file("demo-1.0-2-py3-none-any.whl")
    build10 = _file("demo-1.0-10-py3-none-any.whl")
    assert select_wheel([plain, build10, build2], PRIORITIES) is build10


def test_yanked_only_when_allowed() -> None:
    yanked = _file("demo-1.0-py3-none-any.whl", yanked="broken")
    assert select_wheel([yanked], PRIORITIES) is None
    assert select_wheel([yanked], PRIORITIES, allow_yanked=True) is yanked


def test_requires_python_excludes_the_interpreter() -> None:
    new = _file("demo-1.0-cp311-cp311-manylinux_2_17_x86_64.whl", requires_python=">=3.12")
    old = _file("demo-1.0-py3-none-any.whl", requires_python=">=3.8")
    assert select_wheel([new, old], PRIORITIES, Version("3.11.7")) is old
    assert select_wheel([new, old], PRIORITIES) is new  # no interpreter given: not checked


def test_python_allows() -> None:
    assert python_allows(None, Version("3.11"))
    assert python_allows(">=3.8,<4", Version("3.11.7"))
    assert not python_allows(">=3.12", Version("3.11.7"))
    assert not python_allows("not a specifier", Version("3.11.7"))
    assert python_allows(">=3.12", Version("3.13.0rc1"))


def test_running_interpreter_tags_pick_a_pure_wheel() -> None:
    priorities = tag_priorities(list(sys_tags()))
    pure = _file("demo-1.0-py3-none-any.whl")
    assert select_wheel([pure], priorities) is pure
    assert priorities[next(iter(sys_tags()))] == 0


def test_tags_rank_of_bare_tags() -> None:
    assert (
        tags_rank([Tag("py3", "none", "any"), Tag("cp311", "abi3", "linux_x86_64")], PRIORITIES)
        == 1
    )
    assert tags_rank([Tag("cp27", "cp27m", "win32")], PRIORITIES) is None
