"""Tests of the requirements reader: real files in a temporary folder, exact error lines."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from packaging.markers import Marker
from packaging.requirements import InvalidRequirement, Requirement

from pyfin._errors import PyfinError
from pyfin._requirements_txt import (
    DynamicDependenciesError,
    RequirementEntry,
    RequirementsSpec,
    RequirementsTxtError,
    SourceLocation,
    UnnamedRequirement,
    UnsupportedInputError,
    parse_requirements_text,
    parse_requirements_txt,
    read_requirements,
)
from pyfin._requirements_txt_lines import statements

SHA_A = "a" * 64
SHA_B = "b" * 64
DATA = Path(__file__).parent / "data" / "requirements"


@pytest.fixture
def work(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty folder that is also the working directory (paths show as users type them)."""
    monkeypatch.chdir(tmp_path)
    return tmp_path


def write(root: Path, files: Mapping[str, str]) -> None:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")


def read(
    root: Path,
    files: Mapping[str, str],
    inputs: Sequence[str] = ("requirements.in",),
    *,
    constraints: Sequence[str] = (),
    environ: Mapping[str, str] | None = None,
    extras: Sequence[str] = (),
    all_extras: bool = False,
) -> RequirementsSpec:
    write(root, files)
    return read_requirements(
        [Path(name) for name in inputs],
        constraints=[Path(name) for name in constraints],
        working_dir=root,
        environ={} if environ is None else environ,
        extras=extras,
        all_extras=all_extras,
    )


def texts(entries: Sequence[RequirementEntry]) -> list[str]:
    return [str(entry.requirement) for entry in entries]


def where(entries: Sequence[RequirementEntry]) -> list[str]:
    return [str(entry.location) for entry in entries]


def packaging_says(text: str) -> str:
    """The first line of packaging's own complaint about `text` (its wording is its own)."""
    with pytest.raises(InvalidRequirement) as info:
        Requirement(text)
    return str(info.value).splitlines()[0]


# -- requirement lines ---------------------------------------------------------------------


def test_named_requirements_keep_extras_markers_and_lines(work: Path) -> None:
    spec = read(
        work,
        {
            "requirements.in": (
                "# a comment\n"
                "\n"
                "flask>=2.0\n"
                "requests[socks,security]==2.31.0 ; python_version >= '3.8'\n"
                "  black  # formatter\n"
                "pkg @ https://example.com/pkg-1.0-py3-none-any.whl\n"
            )
        },
    )
    assert texts(spec.requirements) == [
        "flask>=2.0",
        'requests[security,socks]==2.31.0; python_version >= "3.8"',
        "black",
        "pkg @ https://example.com/pkg-1.0-py3-none-any.whl",
    ]
    assert where(spec.requirements) == [
        "requirements.in:3",
        "requirements.in:4",
        "requirements.in:5",
        "requirements.in:6",
    ]
    assert all(not entry.editable and entry.hashes == () for entry in spec.requirements)
    assert [entry.name for entry in spec.requirements] == ["flask", "requests", "black", "pkg"]


def test_comments_need_whitespace_before_the_hash_so_url_fragments_survive(work: Path) -> None:
    spec = read(
        work,
        {
            "requirements.in": (
                f"https://example.com/x-1.0.tar.gz#sha256={SHA_A}  # a comment\n"
                "git+https://github.com/org/repo@v1#egg=repo # another\n"
                "#flask\n"
                "   # indented comment\n"
                f"pkg @ https://example.com/pkg.whl#sha256={SHA_B}\t# tab, then comment\n"
            )
        },
    )
    archive, vcs, named = (entry.requirement for entry in spec.requirements)
    assert isinstance(archive, UnnamedRequirement)
    assert archive.url == f"https://example.com/x-1.0.tar.gz#sha256={SHA_A}"
    assert isinstance(vcs, UnnamedRequirement)
    assert (vcs.url, vcs.egg) == ("git+https://github.com/org/repo@v1#egg=repo", "repo")
    assert isinstance(named, Requirement)
    assert named.url == f"https://example.com/pkg.whl#sha256={SHA_B}"
    assert where(spec.requirements) == [
        "requirements.in:1",
        "requirements.in:2",
        "requirements.in:5",
    ]


def test_a_hash_glued_to_a_name_is_not_a_comment(work: Path) -> None:
    with pytest.raises(RequirementsTxtError) as info:
        read(work, {"requirements.in": "six#nope\n"})
    assert str(info.value) == (
        "requirements.in:1: invalid requirement 'six#nope': " + packaging_says("six#nope")
    )


def test_continuations_join_lines_and_report_the_first_line(work: Path) -> None:
    spec = read(
        work,
        {
            "requirements.in": (
                "flask\n"
                "requests==2.31.0 \\\n"
                f"    --hash=sha256:{SHA_A} \\\n"
                f"    --hash=sha256:{SHA_B.upper()}\n"
                "django\\\n"
                ">=4\n"
                "idna \\\n"
                "# a comment line ends the continuation\n"
                "six\n"
            )
        },
    )
    assert texts(spec.requirements) == ["flask", "requests==2.31.0", "django>=4", "idna", "six"]
    assert where(spec.requirements) == [
        "requirements.in:1",
        "requirements.in:2",
        "requirements.in:5",
        "requirements.in:7",
        "requirements.in:9",
    ]
    assert spec.requirements[1].hashes == (f"sha256:{SHA_A}", f"sha256:{SHA_B}")


def test_a_backslash_on_the_last_line_ends_the_file_cleanly(work: Path) -> None:
    spec = read(work, {"requirements.in": "flask \\"})
    assert texts(spec.requirements) == ["flask"]


def test_line_endings_crlf_and_cr(work: Path) -> None:
    (work / "requirements.in").write_bytes(b"flask\r\nsix \\\r\n  >=1\rclick\n")
    spec = read(work, {})
    assert texts(spec.requirements) == ["flask", "six>=1", "click"]
    assert where(spec.requirements)[-1] == "requirements.in:4"


def test_env_vars_only_braced_upper_case_and_unset_ones_stay(work: Path) -> None:
    spec = read(
        work,
        {
            "requirements.in": (
                "${PKG}==${VERSION}\n"
                "--extra-index-url https://${USER_1}:${TOKEN}@example.com/simple\n"
                "--index-url ${INDEX}\n"
            )
        },
        environ={"PKG": "flask", "VERSION": "2.0", "TOKEN": "s3cret", "INDEX": "https://i/simple"},
    )
    assert texts(spec.requirements) == ["flask==2.0"]
    assert spec.extra_index_urls == ("https://${USER_1}:s3cret@example.com/simple",)
    assert spec.index_url == "https://i/simple"


@pytest.mark.parametrize(
    "line",
    ["$PKG==1.0", "${pkg}==1.0"],
    ids=["unbraced", "lower-case"],
)
def test_env_vars_in_other_forms_are_not_expanded(work: Path, line: str) -> None:
    with pytest.raises(RequirementsTxtError) as info:
        read(work, {"requirements.in": line + "\n"}, environ={"PKG": "flask", "pkg": "flask"})
    assert str(info.value).startswith(f"requirements.in:1: invalid requirement {line!r}: ")


# -- unnamed requirements ------------------------------------------------------------------


#: url, path (relative to the working directory), extras, marker, egg
Expected = tuple[str, str | None, tuple[str, ...], str | None, str | None]


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("./pkg", ("./pkg", "pkg", (), None, None)),
        ("./pkg[Extra_One, b]", ("./pkg", "pkg", ("b", "extra-one"), None, None)),
        ("../x-1.0.tar.gz", ("../x-1.0.tar.gz", "../x-1.0.tar.gz", (), None, None)),
        (
            "x-1.0-py3-none-any.whl",
            ("x-1.0-py3-none-any.whl", "x-1.0-py3-none-any.whl", (), None, None),
        ),
        ("sub/dir", ("sub/dir", "sub/dir", (), None, None)),
        ("/abs/pkg", ("/abs/pkg", "/abs/pkg", (), None, None)),
        ("./pkg ; python_version < '3.9'", ("./pkg", "pkg", (), 'python_version < "3.9"', None)),
        (
            "https://example.com/x-1.0-py3-none-any.whl",
            ("https://example.com/x-1.0-py3-none-any.whl", None, (), None, None),
        ),
        (
            "https://example.com/x.whl ; sys_platform == 'linux'",
            ("https://example.com/x.whl", None, (), 'sys_platform == "linux"', None),
        ),
        (
            "git+https://github.com/org/repo@v1.0#subdirectory=sub&egg=thing[a]",
            (
                "git+https://github.com/org/repo@v1.0#subdirectory=sub&egg=thing[a]",
                None,
                ("a",),
                None,
                "thing",
            ),
        ),
        (
            "file:///srv/wheels/x-1.0-py3-none-any.whl",
            (
                "file:///srv/wheels/x-1.0-py3-none-any.whl",
                "/srv/wheels/x-1.0-py3-none-any.whl",
                (),
                None,
                None,
            ),
        ),
    ],
)
def test_unnamed_requirements_keep_their_location(
    work: Path, line: str, expected: Expected
) -> None:
    url, path, extras, marker, egg = expected
    spec = read(work, {"requirements.in": line + "\n"})
    [entry] = spec.requirements
    requirement = entry.requirement
    assert isinstance(requirement, UnnamedRequirement)
    assert entry.name is None
    assert requirement.url == url
    assert requirement.path == (None if path is None else Path(os.path.normpath(work / path)))
    assert requirement.is_local is (path is not None)
    assert requirement.extras == extras
    assert requirement.marker == (None if marker is None else Marker(marker))
    assert requirement.egg == egg


def test_relative_paths_are_taken_from_the_working_directory(work: Path) -> None:
    # As in pip and uv: -r is relative to the including file, a requirement path is not.
    spec = read(work, {"requirements.in": "-r sub/inner.in\n", "sub/inner.in": "./pkg\n"})
    [entry] = spec.requirements
    assert isinstance(entry.requirement, UnnamedRequirement)
    assert entry.requirement.path == work / "pkg"
    assert str(entry.location) == "sub/inner.in:1"


def test_unnamed_requirement_str_round_trips_extras_and_marker(work: Path) -> None:
    spec = read(work, {"requirements.in": "./pkg[b,a] ; os_name == 'posix'\n"})
    assert texts(spec.requirements) == ['./pkg[a,b] ; os_name == "posix"']


# -- editables -----------------------------------------------------------------------------


def test_editables(work: Path) -> None:
    (work / "local").mkdir()
    spec = read(
        work,
        {
            "requirements.in": (
                "-e ./pkg\n"
                "--editable=./pkg2[dev,test]\n"
                "-e git+https://github.com/org/repo@main#egg=repo\n"
                "-e local\n"
                "-e'./with space'\n"
                "-e file:///srv/project\n"
            )
        },
    )
    assert spec.requirements == ()
    assert all(entry.editable for entry in spec.editables)
    urls = []
    for entry in spec.editables:
        assert isinstance(entry.requirement, UnnamedRequirement)
        urls.append((entry.requirement.url, entry.requirement.extras, entry.requirement.egg))
    assert urls == [
        ("./pkg", (), None),
        ("./pkg2", ("dev", "test"), None),
        ("git+https://github.com/org/repo@main#egg=repo", (), "repo"),
        ("local", (), None),
        ("./with space", (), None),
        ("file:///srv/project", (), None),
    ]
    assert where(spec.editables) == [f"requirements.in:{n}" for n in range(1, 7)]


# -- includes and constraints --------------------------------------------------------------


def test_includes_are_relative_to_the_including_file(work: Path) -> None:
    spec = read(
        work,
        {
            "requirements.in": "flask\n-r sub/base.in\n--requirement=sub/other.in\n-rlast.in\n",
            "sub/base.in": "-r ../shared/common.in\nidna\n",
            "sub/other.in": "click\n",
            "shared/common.in": "six\n",
            "last.in": "attrs\n",
        },
    )
    assert texts(spec.requirements) == ["flask", "six", "idna", "click", "attrs"]
    assert where(spec.requirements) == [
        "requirements.in:1",
        "shared/common.in:1",
        "sub/base.in:2",
        "sub/other.in:1",
        "last.in:1",
    ]


def test_include_paths_expand_env_vars_and_may_be_quoted(work: Path) -> None:
    spec = read(
        work,
        {
            "requirements.in": '-r ${DIR}/base.in\n-c "my constraints.txt"\n',
            "reqs/base.in": "six\n",
            "my constraints.txt": "six<2\n",
        },
        environ={"DIR": "reqs"},
    )
    assert where(spec.requirements) == ["reqs/base.in:1"]
    assert where(spec.constraints) == ["my constraints.txt:1"]


def test_a_file_reached_twice_is_read_once(work: Path) -> None:
    spec = read(
        work,
        {
            "requirements.in": "-r a.in\n-r b.in\n",
            "a.in": "-r common.in\nflask\n",
            "b.in": "-r ./common.in\nclick\n",
            "common.in": "six\n",
        },
    )
    assert texts(spec.requirements) == ["six", "flask", "click"]


def test_constraints_and_files_included_from_them(work: Path) -> None:
    spec = read(
        work,
        {
            "requirements.in": "flask\n-c constraints.txt\n",
            "constraints.txt": "werkzeug<3\n-r more.txt\n",
            "more.txt": f"click==8.0 --hash=sha256:{SHA_A}\n",
            "cli.txt": "jinja2<4\n",
        },
        constraints=["cli.txt"],
    )
    assert texts(spec.requirements) == ["flask"]
    assert texts(spec.constraints) == ["werkzeug<3", "click==8.0", "jinja2<4"]
    assert where(spec.constraints) == ["constraints.txt:1", "more.txt:1", "cli.txt:1"]
    assert spec.constraints[1].hashes == (f"sha256:{SHA_A}",)


def test_a_file_may_be_both_requirements_and_constraints(work: Path) -> None:
    spec = read(work, {"requirements.in": "-r pins.txt\n-c pins.txt\n", "pins.txt": "six==1\n"})
    assert texts(spec.requirements) == ["six==1"]
    assert texts(spec.constraints) == ["six==1"]


# -- options -------------------------------------------------------------------------------


def test_index_options_in_both_forms(work: Path) -> None:
    (work / "wheels").mkdir()
    (work / "sub").mkdir()
    spec = read(
        work,
        {
            "requirements.in": (
                "-i https://pypi.org/simple\n"
                "--extra-index-url=https://a.example/simple\n"
                "--extra-index-url https://b.example/simple\n"
                "--extra-index-url https://a.example/simple\n"
                "-f ./wheels\n"
                "--find-links=https://example.com/links/\n"
                "--no-index\n"
                "--trusted-host a.example --trusted-host=b.example\n"
                "-r sub/more.in\n"
            ),
            "sub/more.in": "--find-links local\n--index-url=https://pypi.org/simple\n",
        },
    )
    assert spec.index_url == "https://pypi.org/simple"
    assert spec.extra_index_urls == ("https://a.example/simple", "https://b.example/simple")
    assert spec.find_links == (
        str(work / "wheels"),
        "https://example.com/links/",
        str(work / "sub" / "local"),
    )
    assert spec.no_index is True
    assert spec.trusted_hosts == ("a.example", "b.example")


def test_index_url_may_be_a_local_directory(work: Path) -> None:
    (work / "simple").mkdir()
    spec = read(work, {"requirements.in": "--index-url ./simple\n"})
    assert spec.index_url == str(work / "simple")


def test_flags(work: Path) -> None:
    spec = read(
        work,
        {
            "requirements.in": (
                "--pre --prefer-binary\n--require-hashes\n--use-feature=truststore\n"
                f"six==1.0 --hash=sha256:{SHA_A}\n"
            )
        },
    )
    assert (spec.pre, spec.prefer_binary, spec.require_hashes) == (True, True, True)
    default = read(work, {"other.in": "six\n"}, ["other.in"])
    assert (default.pre, default.prefer_binary, default.require_hashes) == (False, False, False)


@pytest.mark.parametrize(
    ("lines", "no_binary", "only_binary"),
    [
        (["--no-binary :all:"], {":all:"}, set()),
        (["--no-binary Foo_Bar,baz"], {"foo-bar", "baz"}, set()),
        (["--only-binary :all:", "--no-binary foo"], {"foo"}, {":all:"}),
        (["--no-binary foo", "--only-binary foo"], set(), {"foo"}),
        (["--no-binary foo,bar", "--no-binary :none:"], set(), set()),
        (["--no-binary :all:,foo"], {":all:"}, set()),
        (["--no-binary :all:,:none:,foo"], {"foo"}, set()),
        (["--only-binary foo", "--no-binary :all:"], {":all:"}, set()),
    ],
)
def test_binary_options_follow_pips_rules(
    work: Path, lines: list[str], no_binary: set[str], only_binary: set[str]
) -> None:
    spec = read(work, {"requirements.in": "\n".join(lines) + "\n"})
    assert spec.no_binary == no_binary
    assert spec.only_binary == only_binary


def test_hashes_are_normalized(work: Path) -> None:
    spec = read(
        work,
        {
            "requirements.in": (
                f"six==1.0 --hash SHA256:{SHA_A.upper()} --hash=sha512:{'c' * 128}"
                f" --hash=sha384:{'d' * 96}\n"
            )
        },
    )
    assert spec.requirements[0].hashes == (
        f"sha256:{SHA_A}",
        f"sha512:{'c' * 128}",
        f"sha384:{'d' * 96}",
    )


# -- pyproject.toml ------------------------------------------------------------------------

PYPROJECT = """\
[project]
name = "demo"
version = "1.0"
dependencies = [
    "flask>=2",
    'click',
]

[project.optional-dependencies]
Dev_Tools = ["pytest>=7"]
docs = ["sphinx"]
"""


def test_pyproject_dependencies(work: Path) -> None:
    spec = read(work, {"pyproject.toml": PYPROJECT}, ["pyproject.toml"])
    assert texts(spec.requirements) == ["flask>=2", "click"]
    assert spec.requirements[0].location == SourceLocation("pyproject.toml", 5, "demo")
    assert spec.requirements[1].location == SourceLocation("pyproject.toml", 6, "demo")


def test_pyproject_selected_extras(work: Path) -> None:
    spec = read(work, {"pyproject.toml": PYPROJECT}, ["pyproject.toml"], extras=["dev-tools"])
    assert texts(spec.requirements) == ["flask>=2", "click", "pytest>=7"]
    assert str(spec.requirements[2].location) == "pyproject.toml:10"


def test_pyproject_all_extras(work: Path) -> None:
    spec = read(work, {"pyproject.toml": PYPROJECT}, ["pyproject.toml"], all_extras=True)
    assert texts(spec.requirements) == ["flask>=2", "click", "pytest>=7", "sphinx"]


def test_pyproject_in_a_subfolder_mixed_with_a_requirements_file(work: Path) -> None:
    spec = read(
        work,
        {"proj/pyproject.toml": PYPROJECT, "requirements.in": "six\n"},
        ["requirements.in", "proj/pyproject.toml"],
        extras=["docs"],
    )
    assert texts(spec.requirements) == ["six", "flask>=2", "click", "sphinx"]
    assert spec.requirements[1].location.file == "proj/pyproject.toml"


def test_dynamic_dependencies_need_a_build(work: Path) -> None:
    files = {
        "proj/pyproject.toml": '[project]\nname = "x"\ndynamic = ["version", "dependencies"]\n'
    }
    with pytest.raises(DynamicDependenciesError) as info:
        read(work, files, ["proj/pyproject.toml"])
    assert str(info.value) == (
        "proj/pyproject.toml: [project] dependencies is dynamic: a build of the project is "
        "needed to know them, which pyfin does not do yet; list them statically in "
        "pyproject.toml"
    )
    assert info.value.project_dir == Path("proj")
    assert isinstance(info.value, RequirementsTxtError)


def test_dynamic_optional_dependencies_matter_only_with_extras(work: Path) -> None:
    files = {
        "pyproject.toml": (
            '[project]\nname = "x"\ndependencies = ["six"]\ndynamic = ["optional-dependencies"]\n'
        )
    }
    assert texts(read(work, files, ["pyproject.toml"]).requirements) == ["six"]
    with pytest.raises(DynamicDependenciesError):
        read(work, files, ["pyproject.toml"], all_extras=True)


@pytest.mark.parametrize("name", ["setup.py", "setup.cfg"])
def test_setup_files_are_unsupported(work: Path, name: str) -> None:
    with pytest.raises(UnsupportedInputError) as info:
        read(work, {name: ""}, [name])
    assert str(info.value) == (
        f"{name}: unsupported input; use pyproject.toml or a requirements file"
    )


# -- merging -------------------------------------------------------------------------------


def test_several_inputs_merge_in_order(work: Path) -> None:
    spec = read(
        work,
        {
            "a.in": "flask\n-e ./one\n--extra-index-url https://x/simple\n--pre\n",
            "b.in": "click\n-e ./two\n--extra-index-url https://x/simple\n-i https://i/simple\n"
            "--no-binary foo\n",
            "c.in": "-i https://i/simple\n--only-binary foo\n",
        },
        ["a.in", "b.in", "c.in"],
    )
    assert texts(spec.requirements) == ["flask", "click"]
    assert texts(spec.editables) == ["./one", "./two"]
    assert spec.extra_index_urls == ("https://x/simple",)
    assert spec.index_url == "https://i/simple"
    assert spec.pre is True
    assert (spec.no_binary, spec.only_binary) == (frozenset(), frozenset({"foo"}))


def test_the_same_input_twice_is_read_once(work: Path) -> None:
    spec = read(work, {"requirements.in": "six\n"}, ["requirements.in", "./requirements.in"])
    assert texts(spec.requirements) == ["six"]


def test_parse_requirements_txt_and_text(work: Path) -> None:
    write(work, {"sub/req.txt": "-r base.txt\n", "sub/base.txt": "six\n", "base.txt": "attrs\n"})
    one = parse_requirements_txt(Path("sub/req.txt"), environ={})
    assert where(one.requirements) == ["sub/base.txt:1"]
    text = parse_requirements_text("-r base.txt\nflask\n", environ={})
    assert texts(text.requirements) == ["attrs", "flask"]
    assert where(text.requirements) == ["base.txt:1", "-:2"]
    inner = parse_requirements_text("-r base.txt\n", base_dir=work / "sub", environ={})
    assert texts(inner.requirements) == ["six"]


def test_data_files_parse(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(DATA)
    spec = read_requirements([Path("kitchen-sink.in")], environ={"TOKEN": "t0k"})
    assert texts(spec.requirements) == [
        "anyio[trio]>=4",
        'tomli>=1.1; python_version < "3.11"',
        "requests==2.31.0",
        "./vendored/pkg-1.0.tar.gz",
        "git+https://github.com/org/tool@v2#subdirectory=cli",
        "idna",
    ]
    assert texts(spec.editables) == ["./src/project[dev]"]
    assert texts(spec.constraints) == ["urllib3<2"]
    assert spec.extra_index_urls == ("https://t0k@private.example/simple",)
    assert spec.requirements[2].hashes == (f"sha256:{SHA_A}", f"sha256:{SHA_B}")
    assert where(spec.requirements) == [
        "kitchen-sink.in:4",
        "kitchen-sink.in:5",
        "kitchen-sink.in:6",
        "kitchen-sink.in:9",
        "kitchen-sink.in:10",
        "nested/base.in:2",
    ]


# -- decoding ------------------------------------------------------------------------------


@pytest.mark.parametrize("encoding", ["utf-8-sig", "utf-16", "utf-32"])
def test_files_with_a_byte_order_mark(work: Path, encoding: str) -> None:
    (work / "requirements.in").write_bytes("flask\nsix  # ünïcode\n".encode(encoding))
    assert texts(read(work, {}).requirements) == ["flask", "six"]


def test_not_utf8_names_the_line(work: Path) -> None:
    (work / "requirements.in").write_bytes(b"flask\n# caf\xe9\n")
    with pytest.raises(RequirementsTxtError) as info:
        read(work, {})
    assert str(info.value) == "requirements.in:2: the file is not UTF-8 text; save it as UTF-8"


# -- every error, with its exact line ------------------------------------------------------


ERRORS: list[tuple[str, dict[str, str], str]] = [
    (
        "bad specifier",
        {"requirements.in": "flask\n\nflask==\n"},
        "requirements.in:3: invalid requirement 'flask==': " + packaging_says("flask=="),
    ),
    (
        "bad name",
        {"requirements.in": "fl!sk\n"},
        "requirements.in:1: invalid requirement 'fl!sk': " + packaging_says("fl!sk"),
    ),
    (
        "bad line in an included file",
        {"requirements.in": "six\n-r sub/b.in\n", "sub/b.in": "ok\n\n\nbad ==\n"},
        "sub/b.in:4: invalid requirement 'bad ==': " + packaging_says("bad =="),
    ),
    (
        "unknown option",
        {"requirements.in": "--frobnicate\n"},
        "requirements.in:1: unknown option '--frobnicate'",
    ),
    (
        "unknown short option",
        {"requirements.in": "-x foo\n"},
        "requirements.in:1: unknown option '-x'",
    ),
    (
        "option without value",
        {"requirements.in": "six\n--index-url\n"},
        "requirements.in:2: option '--index-url' needs a value",
    ),
    (
        "empty option value",
        {"requirements.in": "--index-url=\n"},
        "requirements.in:1: option '--index-url' needs a non-empty value",
    ),
    (
        "flag with a value",
        {"requirements.in": "--pre=yes\n"},
        "requirements.in:1: option '--pre' takes no value",
    ),
    (
        "global option after a requirement",
        {"requirements.in": "six --pre\n"},
        "requirements.in:1: option '--pre' cannot follow a requirement; put it on a line of "
        "its own",
    ),
    (
        "argument after options",
        {"requirements.in": "--pre six\n"},
        "requirements.in:1: unexpected argument 'six': a requirement must come before any "
        "option on its line",
    ),
    (
        "unbalanced quote",
        {"requirements.in": "-r 'a b\n"},
        'requirements.in:1: cannot split the options "-r \'a b": No closing quotation',
    ),
    (
        "missing include",
        {"requirements.in": "six\n-r missing.txt\n"},
        "requirements.in:2: cannot read 'missing.txt': No such file or directory",
    ),
    (
        "missing include in a folder",
        {"requirements.in": "-c sub/c.txt\n", "sub/c.txt": "\n-r ../nope/x.txt\n"},
        "sub/c.txt:2: cannot read 'nope/x.txt': No such file or directory",
    ),
    (
        "include of a folder",
        {"requirements.in": "-r sub\n", "sub/x": ""},
        "requirements.in:1: cannot read 'sub': Is a directory",
    ),
    (
        "remote include",
        {"requirements.in": "-r https://example.com/r.txt\n"},
        "requirements.in:1: remote requirements files are not supported: "
        "'https://example.com/r.txt'; download it",
    ),
    (
        "self include",
        {"requirements.in": "six\n-r requirements.in\n"},
        "requirements.in:2: requirements files include each other: requirements.in -> "
        "requirements.in",
    ),
    (
        "include cycle",
        {
            "requirements.in": "-r a/one.in\n",
            "a/one.in": "six\n-r ../b/two.in\n",
            "b/two.in": "\n\n-r ../a/one.in\n",
        },
        "b/two.in:3: requirements files include each other: a/one.in -> b/two.in -> a/one.in",
    ),
    (
        "constraint cycle",
        {"requirements.in": "-c c.txt\n", "c.txt": "-c c.txt\n"},
        "c.txt:1: requirements files include each other: c.txt -> c.txt",
    ),
    (
        "unnamed constraint",
        {"requirements.in": "-c c.txt\n", "c.txt": "six\n./pkg\n"},
        "c.txt:2: constraints must be named requirements, not './pkg' (write 'name @ url' instead)",
    ),
    (
        "editable constraint",
        {"requirements.in": "-c c.txt\n", "c.txt": "-e ./pkg\n"},
        "c.txt:1: editable requirements cannot be constraints: './pkg'",
    ),
    (
        "editable name",
        {"requirements.in": "-e flask\n"},
        "requirements.in:1: invalid editable 'flask': expected a local directory or a VCS URL "
        "(for a folder named 'flask', write './flask')",
    ),
    (
        "editable archive URL",
        {"requirements.in": "-e https://example.com/x.whl\n"},
        "requirements.in:1: invalid editable 'https://example.com/x.whl': an editable URL "
        "must be a file: or VCS (git+, hg+, svn+, bzr+) URL",
    ),
    (
        "hash without a requirement",
        {"requirements.in": f"--hash=sha256:{SHA_A}\n"},
        "requirements.in:1: --hash must follow a requirement on the same line",
    ),
    (
        "hash without algorithm",
        {"requirements.in": f"six --hash={SHA_A}\n"},
        f"requirements.in:1: invalid --hash '{SHA_A}': expected an algorithm and a digest, "
        "like --hash=sha256:<64 hex digits>",
    ),
    (
        "weak hash",
        {"requirements.in": "six --hash=md5:0123456789abcdef0123456789abcdef\n"},
        "requirements.in:1: unsupported hash algorithm 'md5' in --hash; use sha256, sha384 or "
        "sha512",
    ),
    (
        "short digest",
        {"requirements.in": "six \\\n  --hash=sha256:abc\n"},
        "requirements.in:1: invalid --hash 'sha256:abc': a sha256 digest is 64 hex digits",
    ),
    (
        "bad marker on a path",
        {"requirements.in": "./pkg ; python_version <\n"},
        "requirements.in:1: invalid marker in './pkg ; python_version <': "
        "Expected a marker variable or quoted string",
    ),
    (
        "bad extra on a path",
        {"requirements.in": "./pkg[a b]\n"},
        "requirements.in:1: invalid extra 'a b' in './pkg[a b]'",
    ),
    (
        "bad egg",
        {"requirements.in": "git+https://h/r#egg=-x\n"},
        "requirements.in:1: invalid #egg= name '-x' in 'git+https://h/r#egg=-x'",
    ),
    (
        "broken URL host",
        {"requirements.in": "https://[::1/x.whl\n"},
        "requirements.in:1: invalid URL 'https://[::1/x.whl': Invalid IPv6 URL",
    ),
    (
        "conflicting index URLs",
        {
            "requirements.in": "-i https://a/simple\n-r more.in\n",
            "more.in": "-i https://b/simple\n",
        },
        "more.in:1: --index-url 'https://b/simple' conflicts with --index-url "
        "'https://a/simple' given at requirements.in:1; keep one",
    ),
    (
        "index that is neither URL nor folder",
        {"requirements.in": "--index-url pypi.org/simple\n"},
        "requirements.in:1: invalid index URL 'pypi.org/simple': expected a URL like "
        "https://host/simple or an existing directory",
    ),
    (
        "bad package in --no-binary",
        {"requirements.in": "--no-binary foo,-bar\n"},
        "requirements.in:1: invalid package name '-bar' in --no-binary; expected names "
        "separated by commas, ':all:' or ':none:'",
    ),
    (
        "missing top-level file",
        {},
        "requirements.in: cannot read the file: No such file or directory",
    ),
]


@pytest.mark.parametrize(
    ("files", "message"),
    [(files, message) for _, files, message in ERRORS],
    ids=[name for name, _, _ in ERRORS],
)
def test_input_errors_are_one_line_naming_file_and_line(
    work: Path, files: dict[str, str], message: str
) -> None:
    with pytest.raises(RequirementsTxtError) as info:
        read(work, files)
    assert str(info.value) == message
    assert "\n" not in str(info.value)
    assert isinstance(info.value, PyfinError)


PYPROJECT_ERRORS: list[tuple[str, str, dict[str, object], str]] = [
    (
        "invalid TOML",
        '[project]\nname = "x"\ndependencies = [\n  "six"\n  "flask",\n]\n',
        {},
        "pyproject.toml:5: invalid TOML: ",
    ),
    (
        "invalid dependency",
        '[project]\nname = "x"\ndependencies = [\n  "six",\n  "flask==",\n]\n',
        {},
        "pyproject.toml:5: invalid requirement 'flask==': " + packaging_says("flask=="),
    ),
    (
        "invalid optional dependency",
        '[project]\nname = "x"\n[project.optional-dependencies]\ndev = ["pytest >"]\n',
        {"extras": ["dev"]},
        "pyproject.toml:4: invalid requirement 'pytest >': " + packaging_says("pytest >"),
    ),
    (
        "no project table",
        "[tool.black]\nline-length = 100\n",
        {},
        "pyproject.toml: no [project] table; pyfin reads PEP 621 metadata (add [project] with "
        "name, version and dependencies)",
    ),
    (
        "dependencies not a list",
        '[project]\nname = "x"\ndependencies = "six"\n',
        {},
        "pyproject.toml: [project] dependencies must be a list of strings",
    ),
    (
        "undefined extra",
        PYPROJECT,
        {"extras": ["docs", "nope"]},
        "pyproject.toml: extra 'nope' is not defined in [project.optional-dependencies]",
    ),
]


@pytest.mark.parametrize(
    ("text", "options", "message"),
    [(text, options, message) for _, text, options, message in PYPROJECT_ERRORS],
    ids=[name for name, _, _, _ in PYPROJECT_ERRORS],
)
def test_pyproject_errors(work: Path, text: str, options: dict[str, object], message: str) -> None:
    extras = options.get("extras", [])
    assert isinstance(extras, list)
    with pytest.raises(RequirementsTxtError) as info:
        read(work, {"pyproject.toml": text}, ["pyproject.toml"], extras=extras)
    assert str(info.value).startswith(message)
    assert "\n" not in str(info.value)


def test_extras_need_a_pyproject_input(work: Path) -> None:
    with pytest.raises(RequirementsTxtError) as info:
        read(work, {"requirements.in": "six\n"}, extras=["dev"])
    assert str(info.value) == "extras can only be selected for a pyproject.toml input"


def test_error_fields(work: Path) -> None:
    with pytest.raises(RequirementsTxtError) as info:
        read(work, {"requirements.in": "six\n--bogus\n"})
    assert (info.value.file, info.value.line, info.value.reason) == (
        "requirements.in",
        2,
        "unknown option '--bogus'",
    )


# -- fuzzing -------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def fuzz_dir() -> Iterator[Path]:
    with tempfile.TemporaryDirectory() as name:
        root = Path(name)
        (root / "inc.txt").write_text("six\n-r inc2.txt\n", encoding="utf-8")
        (root / "inc2.txt").write_text("-r inc.txt\n", encoding="utf-8")
        (root / "pkg").mkdir()
        yield root


FRAGMENTS = st.sampled_from(
    [
        "flask",
        "Flask_2",
        "-r",
        "-c",
        "-e",
        "-i",
        "-f",
        "--hash",
        "--hash=",
        "sha256:",
        SHA_A,
        "==",
        ">=",
        "1.0",
        "[",
        "]",
        ",",
        ";",
        " ; ",
        "python_version",
        "<",
        "'3.8'",
        "@",
        " @ ",
        "https://",
        "git+https://h/r",
        "#egg=",
        "#",
        " #",
        "\\",
        "\\\n",
        "\n",
        "\r\n",
        " ",
        "\t",
        "./pkg",
        "../x.tar.gz",
        "x.whl",
        "file:",
        "${",
        "}",
        "${HOME}",
        "--no-binary",
        ":all:",
        ":none:",
        "--only-binary",
        "--index-url",
        "--extra-index-url",
        "--pre",
        "--no-index",
        "--require-hashes",
        "--trusted-host",
        "=",
        "'",
        '"',
        "inc.txt",
        "inc2.txt",
        "pkg",
        "--editable",
        "--requirement",
        "--constraint",
        "-",
        "--",
        "[::1",
        "\x00",
        "é",
        "\u2028",
    ]
)


def _assert_parses_or_fails_cleanly(text: str, root: Path) -> None:
    try:
        parse_requirements_text(text, file="fuzz.in", working_dir=root, environ={})
    except RequirementsTxtError as exc:
        assert exc.file is not None
        assert exc.line is not None and exc.line >= 1
        assert str(exc).startswith(exc.file + ":")


@settings(
    max_examples=300, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow]
)
@given(text=st.text())
def test_fuzz_arbitrary_text(fuzz_dir: Path, text: str) -> None:
    _assert_parses_or_fails_cleanly(text, fuzz_dir)


@settings(
    max_examples=500, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow]
)
@given(parts=st.lists(st.one_of(FRAGMENTS, st.text(max_size=4)), max_size=30))
def test_fuzz_requirement_shaped_text(fuzz_dir: Path, parts: list[str]) -> None:
    _assert_parses_or_fails_cleanly("".join(parts), fuzz_dir)


@settings(
    max_examples=150, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow]
)
@given(data=st.binary(max_size=200))
def test_fuzz_arbitrary_bytes_in_a_file(fuzz_dir: Path, data: bytes) -> None:
    path = fuzz_dir / "bytes.in"
    path.write_bytes(data)
    try:
        parse_requirements_txt(path, file="bytes.in", working_dir=fuzz_dir, environ={})
    except RequirementsTxtError as exc:
        assert exc.file is not None
        assert exc.line is not None and exc.line >= 1


OPTION_WORDS = st.sampled_from(
    [
        "--pre",
        "-i",
        "https://x/simple",
        "--hash=sha256:" + SHA_A,
        "--hash",
        "-r",
        "a.txt",
        "--no-binary",
        ":all:",
        "-e",
        "./pkg",
        "a\xa0b",
        "é",
        "=",
        "-f",
        "x y",
    ]
)


@settings(max_examples=300, deadline=None, database=None)
@given(
    words=st.lists(OPTION_WORDS, min_size=1, max_size=12),
    spaces=st.lists(st.sampled_from([" ", "\t", "  ", " \t "]), min_size=12, max_size=12),
)
def test_plain_option_text_splits_as_shlex_would(words: list[str], spaces: list[str]) -> None:
    # Text without quotes or backslashes skips shlex; quoting a last value forces shlex.
    text = "-r x " + "".join(word + space for word, space in zip(words, spaces, strict=False))
    quoted = text + " --trusted-host 'h'"

    def options(line: str) -> tuple[tuple[str, str | None], ...] | str:
        try:
            [statement] = statements(line, "t.in", {})
        except RequirementsTxtError as exc:
            return str(exc)
        return statement.options

    plain, forced = options(text), options(quoted)
    if not isinstance(plain, str):  # (a failing text may take the suffix as a value)
        assert forced == (*plain, ("--trusted-host", "h"))
