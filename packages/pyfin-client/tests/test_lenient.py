"""Repairs of Requires-Dist lines that strict PEP 508 refuses but real uploads carry."""

from __future__ import annotations

import pytest
from packaging.requirements import InvalidRequirement

from pyfin_client import parse_metadata
from pyfin_client._lenient import parse_requirement


@pytest.mark.parametrize(
    ("text", "meant"),
    [
        # django-elasticsearch-dsl 7.1.0-7.2.2 on PyPI
        ("elasticsearch-dsl (>=7.0.0<8.0.0)", "elasticsearch-dsl<8.0.0,>=7.0.0"),
        ("foo (>=1.0.*)", "foo>=1.0"),
        ("bar >=1.0,", "bar>=1.0"),
        ("z (>=1.0, <2.0,)", "z<2.0,>=1.0"),
        ('baz>=1.0<2; python_version<"3.8"', 'baz<2,>=1.0; python_version < "3.8"'),
    ],
)
def test_sloppy_specifiers_are_read_as_meant(text: str, meant: str) -> None:
    assert str(parse_requirement(text)) == meant


@pytest.mark.parametrize("text", ["x==1.*", "y>=1,<2", "v===1.0", 'w; python_version<"3"'])
def test_valid_requirements_are_untouched(text: str) -> None:
    assert str(parse_requirement(text)) == str(parse_requirement(text.replace(" ", "")))


@pytest.mark.parametrize("text", ["foo>=", "foo (>=1.0", "foo >=1.0 <<2"])
def test_what_no_repair_fixes_keeps_the_strict_error(text: str) -> None:
    with pytest.raises(InvalidRequirement):
        parse_requirement(text)


def test_metadata_with_a_sloppy_requires_dist_parses() -> None:
    data = (
        b"Metadata-Version: 2.1\nName: django-elasticsearch-dsl\nVersion: 7.1.0\n"
        b"Requires-Dist: elasticsearch-dsl (>=7.0.0<8.0.0)\n"
    )
    metadata = parse_metadata(data, "django_elasticsearch_dsl-7.1.0-py2.py3-none-any.whl")
    assert [str(r) for r in metadata.requires_dist] == ["elasticsearch-dsl<8.0.0,>=7.0.0"]
