"""Settings: `PYFIN_*` variables and configuration files as defaults for options."""

from __future__ import annotations

import argparse
from pathlib import Path

import pytest

from pyfin.__main__ import main
from pyfin._options import GlobalOptions
from pyfin._parser import build_parser
from pyfin._settings import SETTINGS, Settings, SettingsError, apply, parse_bool


def _args(tmp_path: Path, *argv: str, environ: dict[str, str] | None = None) -> argparse.Namespace:
    """Parse `argv` and fill in settings as `pyfin._run` does, from `tmp_path` as the cwd."""
    args = build_parser().parse_args(argv)
    options = GlobalOptions.from_namespace(args)
    settings = Settings.load(
        config_file=options.config_file,
        no_config=options.no_config,
        cwd=tmp_path,
        environ=environ or {},
    )
    apply(args, settings)
    return args


COMPILE = ("pip", "compile", "requirements.in")


def test_built_in_defaults_without_settings(tmp_path: Path) -> None:
    args = _args(tmp_path, *COMPILE)
    assert args.index_url is None
    assert args.extra_index_url == []
    assert args.index_strategy == "first-index"
    assert args.resolution == "highest"
    assert args.prerelease is None
    assert args.offline is False


def test_environment_gives_defaults(tmp_path: Path) -> None:
    environ = {
        "PYFIN_INDEX_URL": "http://one.test/simple",
        "PYFIN_EXTRA_INDEX_URL": "http://two.test/simple  http://three.test/simple",
        "PYFIN_RESOLUTION": "lowest",
        "PYFIN_OFFLINE": "Yes",
        "PYFIN_EXCLUDE_NEWER": "2026-01-02",
    }
    args = _args(tmp_path, *COMPILE, environ=environ)
    assert args.index_url == "http://one.test/simple"
    assert args.extra_index_url == ["http://two.test/simple", "http://three.test/simple"]
    assert args.resolution == "lowest"
    assert args.offline is True
    assert args.exclude_newer.isoformat() == "2026-01-02T00:00:00+00:00"


def test_command_line_beats_environment_beats_file(tmp_path: Path) -> None:
    (tmp_path / "pyfin.toml").write_text(
        'index-url = "http://file.test/simple"\nresolution = "lowest-direct"\nlink-mode = "copy"\n'
    )
    environ = {"PYFIN_INDEX_URL": "http://env.test/simple", "PYFIN_RESOLUTION": "lowest"}
    args = _args(tmp_path, *COMPILE, "--resolution", "highest", environ=environ)
    assert args.resolution == "highest"
    assert args.index_url == "http://env.test/simple"
    args = _args(tmp_path, "pip", "sync", "r.txt", environ=environ)
    assert args.link_mode == "copy"


def test_pyproject_table_and_pyfin_toml_wins_in_the_same_folder(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text(
        '[project]\nname = "x"\n[tool.pyfin]\nindex-url = "http://pyproject.test/simple"\n'
    )
    nested = tmp_path / "a" / "b"
    nested.mkdir(parents=True)
    assert _args(nested, *COMPILE).index_url == "http://pyproject.test/simple"
    (tmp_path / "pyfin.toml").write_text('index-url = "http://pyfin.test/simple"\n')
    assert _args(nested, *COMPILE).index_url == "http://pyfin.test/simple"


def test_a_pyproject_without_a_pyfin_table_is_passed_over(tmp_path: Path) -> None:
    (tmp_path / "pyfin.toml").write_text('python = "3.12"\n')
    (tmp_path / "inner").mkdir()
    (tmp_path / "inner" / "pyproject.toml").write_text("[tool.ruff]\nline-length = 99\n")
    assert _args(tmp_path / "inner", "venv").python == "3.12"


def test_no_config_ignores_files_and_config_file_names_one(tmp_path: Path) -> None:
    (tmp_path / "pyfin.toml").write_text('index-url = "http://found.test/simple"\n')
    assert _args(tmp_path, *COMPILE, "--no-config").index_url is None
    no_config = {"PYFIN_NO_CONFIG": "true"}
    assert _args(tmp_path, *COMPILE, environ=no_config).index_url is None
    named = tmp_path / "elsewhere.toml"
    named.write_text('index-url = "http://named.test/simple"\n')
    assert _args(tmp_path, "--config-file", str(named), *COMPILE).index_url == (
        "http://named.test/simple"
    )
    environ = {"PYFIN_CONFIG_FILE": str(named)}
    assert _args(tmp_path, *COMPILE, environ=environ).index_url == "http://named.test/simple"


def test_global_settings_reach_the_global_options(tmp_path: Path) -> None:
    (tmp_path / "pyfin.toml").write_text('cache-dir = "from-file"\nno-cache = true\n')
    args = build_parser().parse_args(["cache", "dir"])
    options = GlobalOptions.from_namespace(args)
    settings = Settings.load(config_file=None, no_config=False, cwd=tmp_path, environ={})
    assert settings.lookup("cache_dir") == ("from-file", str(tmp_path / "pyfin.toml"))
    assert settings.lookup("no_cache") == (True, str(tmp_path / "pyfin.toml"))
    given = options.with_defaults("from-settings", True)
    assert given.cache_dir == Path("from-settings")
    assert given.no_cache is True
    explicit = GlobalOptions(cache_dir=Path("cli")).with_defaults("from-settings", False)
    assert explicit.cache_dir == Path("cli")


@pytest.mark.parametrize(("text", "value"), [("1", True), ("TRUE", True), ("no", False)])
def test_booleans(text: str, value: bool) -> None:
    assert parse_bool(text, "PYFIN_OFFLINE") is value


def test_an_invalid_boolean_names_the_variable(tmp_path: Path) -> None:
    with pytest.raises(SettingsError) as caught:
        _args(tmp_path, *COMPILE, environ={"PYFIN_OFFLINE": "maybe"})
    assert caught.value.key == "PYFIN_OFFLINE"
    assert str(caught.value) == (
        "invalid setting PYFIN_OFFLINE: 'maybe' is not a boolean; use 1, true, yes, 0, false or no"
    )


def test_a_bad_choice_names_its_source(tmp_path: Path) -> None:
    with pytest.raises(SettingsError, match="PYFIN_LINK_MODE: 'fast' is not one of"):
        _args(tmp_path, "pip", "sync", "r.txt", environ={"PYFIN_LINK_MODE": "fast"})
    (tmp_path / "pyfin.toml").write_text('exclude-newer = "yesterday"\n')
    with pytest.raises(SettingsError) as caught:
        _args(tmp_path, *COMPILE)
    assert caught.value.key == "exclude-newer"
    assert caught.value.source == str(tmp_path / "pyfin.toml")


@pytest.mark.parametrize(
    ("text", "key", "reason"),
    [
        ('index-urls = "x"\n', "index-urls", "unknown key"),
        ('index_url = "x"\n', "index_url", "unknown key"),
        ('config-file = "x"\n', "config-file", "unknown key"),
        ("offline = 1\n", "offline", "expected true or false, got 1"),
        ('extra-index-url = "x"\n', "extra-index-url", "expected a list of strings"),
        ("python = 3.12\n", "python", "expected a string, got 3.12"),
    ],
)
def test_unknown_keys_and_wrong_types(tmp_path: Path, text: str, key: str, reason: str) -> None:
    (tmp_path / "pyfin.toml").write_text(text)
    with pytest.raises(SettingsError) as caught:
        _args(tmp_path, "venv")
    assert caught.value.key == key
    assert caught.value.source == str(tmp_path / "pyfin.toml")
    assert reason in str(caught.value)
    assert str(caught.value).startswith(f"invalid setting `{key}` in {tmp_path / 'pyfin.toml'}")


def test_invalid_toml_and_missing_named_file(tmp_path: Path) -> None:
    (tmp_path / "pyfin.toml").write_text("index-url = \n")
    with pytest.raises(SettingsError, match="is not valid TOML"):
        _args(tmp_path, "venv")
    with pytest.raises(SettingsError, match="cannot read it"):
        _args(tmp_path, "--config-file", str(tmp_path / "missing.toml"), "venv")


def test_every_setting_has_a_pyfin_variable() -> None:
    assert all(variable.startswith("PYFIN_") for variable, _ in SETTINGS.values())
    assert {kind for _, kind in SETTINGS.values()} == {"str", "list", "bool"}


def test_an_option_given_as_its_built_in_value_still_beats_the_environment(
    tmp_path: Path,
) -> None:
    environ = {"PYFIN_LINK_MODE": "copy", "PYFIN_INDEX_STRATEGY": "unsafe-best-match"}
    args = _args(tmp_path, "pip", "sync", "r.txt", "--link-mode", "clone", environ=environ)
    assert args.link_mode == "clone"
    assert args.index_strategy == "unsafe-best-match"
    environ = {"PYFIN_EXTRA_INDEX_URL": "http://env.test/simple", "PYFIN_OFFLINE": "no"}
    args = _args(
        tmp_path,
        *COMPILE,
        "--extra-index-url",
        "http://cli.test/simple",
        "--offline",
        environ=environ,
    )
    assert args.extra_index_url == ["http://cli.test/simple"]
    assert args.offline is True


def test_other_options_keep_their_built_in_defaults(tmp_path: Path) -> None:
    args = _args(tmp_path, *COMPILE)
    assert args.annotation_style == "split"
    assert _args(tmp_path, "pip", "tree").depth == 255
    assert _args(tmp_path, "pip", "tree", "--depth", "0").depth == 0


def test_configuration_options_are_accepted_at_every_level(tmp_path: Path) -> None:
    named = tmp_path / "named.toml"
    named.write_text('resolution = "lowest"\n')
    for argv in (
        ("--config-file", str(named), *COMPILE),
        ("pip", "--config-file", str(named), "compile", "requirements.in"),
        (*COMPILE, "--config-file", str(named)),
    ):
        assert _args(tmp_path, *argv).resolution == "lowest"
    (tmp_path / "pyfin.toml").write_text('resolution = "lowest"\n')
    assert _args(tmp_path, "--no-config", *COMPILE).resolution == "highest"


def test_version_reads_no_settings(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("PYFIN_NO_CACHE", "sometimes")
    assert main(["--version"]) == 0
    assert capsys.readouterr().out.startswith("pyfin ")


def test_a_bad_setting_is_a_usage_error_before_the_command_runs(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("PYFIN_NO_CACHE", "sometimes")
    assert main(["cache", "dir"]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert "invalid setting PYFIN_NO_CACHE" in captured.err
