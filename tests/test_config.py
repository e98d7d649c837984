import subprocess
import sys
from pathlib import Path

import pytest

from config import ConfigError, load_config

EXAMPLE = r"""
[storage]
url = "sqlite:///govwatch.db"

[notify]
urls = ["json://127.0.0.1:8099/hook"]

[[sources]]
name = "changan"
start_urls = ["http://127.0.0.1:8000/zwgk/gzbg/index.html"]
schedule = "0 */6 * * *"
allow = ['/content/post_\d+\.html$']
max_pages = 500
notify = ["dingtalk://secret@token"]
"""


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "govwatch.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_example_from_the_docs_loads(tmp_path):
    config = load_config(write(tmp_path, EXAMPLE))
    source = config.source("changan")
    assert source.max_pages == 500
    assert config.notify_urls(source) == ["json://127.0.0.1:8099/hook", "dingtalk://secret@token"]
    assert config.storage.url == "sqlite:///govwatch.db"


def test_db_option_beats_environment_beats_file(tmp_path, monkeypatch):
    path = write(tmp_path, EXAMPLE)
    monkeypatch.setenv("GOVWATCH_DB", "sqlite:///from-env.db")
    assert load_config(path).storage.url == "sqlite:///from-env.db"
    assert (
        load_config(path, db_url="sqlite:///from-option.db").storage.url
        == "sqlite:///from-option.db"
    )


def test_missing_default_file_means_defaults(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("GOVWATCH_DB", raising=False)
    assert load_config().sources == []


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            EXAMPLE.replace('schedule = "0 */6 * * *"', 'schedule = "every day"'),
            "sources[0].schedule: 'every day' is not a crontab expression",
        ),
        (
            EXAMPLE.replace("max_pages = 500", "max_pages = 0"),
            "sources[0].max_pages: Input should be greater than or equal to 1",
        ),
        (EXAMPLE.replace("max_pages = 500", "max_page = 5"), "sources[0].max_page: unknown field"),
        (
            EXAMPLE.replace(r"'/content/post_\d+\.html$'", "'(unclosed'"),
            "sources[0].allow: '(unclosed' is not a valid regular expression",
        ),
        (
            EXAMPLE.replace('["http://127.0.0.1:8000/zwgk/gzbg/index.html"]', '["ftp://x/"]'),
            "sources[0].start_urls: 'ftp://x/' is not an http(s) URL",
        ),
        (EXAMPLE + EXAMPLE[EXAMPLE.index("[[sources]]") :], "the name 'changan' is used twice"),
        (EXAMPLE.replace("[notify]", "[notify"), "not valid TOML"),
        (EXAMPLE.replace('name = "changan"', 'name = "长安 镇"'), "sources[0].name: use letters"),
    ],
)
def test_errors_name_file_and_field(tmp_path, text, message):
    path = write(tmp_path, text)
    with pytest.raises(ConfigError) as caught:
        load_config(path)
    assert str(path) in str(caught.value)
    assert message in str(caught.value)


def test_named_file_must_exist(tmp_path):
    with pytest.raises(ConfigError, match="no such file"):
        load_config(tmp_path / "nope.toml")


def test_cli_exits_2_and_names_the_field(tmp_path):
    path = write(tmp_path, EXAMPLE.replace("max_pages = 500", 'max_pages = "many"'))
    result = subprocess.run(
        [sys.executable, "-m", "govwatch", "--config", str(path), "crawl", "changan"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 2
    assert "sources[0].max_pages" in result.stderr
    assert str(path) in result.stderr


def test_init_writes_a_config_that_loads(tmp_path):
    target = tmp_path / "govwatch.toml"
    result = subprocess.run(
        [sys.executable, "-m", "govwatch", "init", str(target)],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    config = load_config(target)
    assert config.sources[0].name == "example"
    again = subprocess.run(
        [sys.executable, "-m", "govwatch", "init", str(target)],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert again.returncode != 0 and "exists" in again.stderr
