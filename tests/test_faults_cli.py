"""Every CLI failure is one line, exit 2 for usage and configuration, 1 at run time (item 8).

Run in process through the same boundary ``python -m govwatch`` uses (one case runs it as a
child process, to show the program itself is inside the boundary).
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import PG_ADMIN_URL, REPO, write_config

from govwatch.errors import main

PG = PG_ADMIN_URL.replace("postgresql://", "postgresql+psycopg://", 1).rsplit("/", 1)[0]


def govwatch(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str]:
    with pytest.raises(SystemExit) as exited:
        main(list(args))
    err = capsys.readouterr().err
    return exited.value.code, err


def assert_one_line(err: str, *fragments: str) -> None:
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    assert lines[0].startswith("govwatch: "), err
    assert "Traceback" not in err
    for fragment in fragments:
        assert fragment in lines[0], (fragment, lines[0])


@pytest.fixture
def config(tmp_path: Path) -> Path:
    return write_config(tmp_path / "govwatch.toml", start_urls=["http://127.0.0.1:9/list"])


@pytest.mark.parametrize(
    ("url", "status", "fragments"),
    [
        (f"{PG.rsplit('@', 1)[0]}@127.0.0.1:1/test", 1, ["cannot use the database", ":1/test"]),
        (f"{PG.replace('postgres@', 'nobody_here@')}/test", 2, ["nobody_here", "does not exist"]),
        (f"{PG}/no_such_database_here", 2, ['"no_such_database_here" does not exist']),
        ("nosuchdriver://somewhere/db", 2, ["unknown database driver 'nosuchdriver'"]),
        ("not a url at all", 2, ["not a database URL", "[storage] url"]),
    ],
)
def test_database_urls(capsys, config, url, status, fragments):
    code, err = govwatch(capsys, "--config", str(config), "--db", url, "documents")
    assert code == status, err
    assert_one_line(err, *fragments)


def test_files_that_are_not_databases(capsys, config, tmp_path):
    not_sqlite = tmp_path / "notes.db"
    not_sqlite.write_bytes(b"these are my notes, not a database\n" * 100)
    code, err = govwatch(capsys, "--config", str(config), "--db", f"sqlite:///{not_sqlite}", "runs")
    assert code == 2
    assert_one_line(err, "file is not a database", "notes.db")

    folder = tmp_path / "a-folder"
    folder.mkdir()
    code, err = govwatch(capsys, "--config", str(config), "--db", f"sqlite:///{folder}", "runs")
    assert code == 2
    assert_one_line(err, "unable to open database file", "a-folder")


def test_read_only_database(capsys, config, tmp_path):
    from storage.db import open_database

    path = tmp_path / "ro.db"
    open_database(f"sqlite:///{path}").dispose()
    read_only = f"sqlite:///file:{path}?mode=ro&uri=true"
    code, err = govwatch(capsys, "--config", str(config), "--db", read_only, "crawl", "changan")
    assert code == 1, err
    assert_one_line(err, "readonly database")


def test_configuration_mistakes(capsys, config, tmp_path):
    db = f"sqlite:///{tmp_path / 'g.db'}"
    code, err = govwatch(capsys, "--config", str(config), "--db", db, "crawl", "UNKNOWN")
    assert code == 2
    assert_one_line(err, "no source named 'UNKNOWN'", str(config))

    latin = tmp_path / "latin1.toml"
    latin.write_bytes('[[sources]]\nname = "caf\xe9"\n'.encode("latin-1"))
    code, err = govwatch(capsys, "--config", str(latin), "documents")
    assert code == 2
    assert_one_line(err, "not UTF-8", str(latin))

    port = write_config(tmp_path / "port.toml", start_urls=["http://127.0.0.1:99999/list"])
    code, err = govwatch(capsys, "--config", str(port), "--db", db, "crawl", "changan")
    assert code == 2
    assert_one_line(err, "sources[0].start_urls", "99999", str(port))

    code, err = govwatch(capsys, "--config", str(config), "--db", db, "crawl", "--nonsense")
    assert code == 2
    assert_one_line(err, "--nonsense", "govwatch crawl")


def test_outputs_and_ids(capsys, config, db_url, tmp_path):
    missing = tmp_path / "missing" / "folder"
    base = ["--config", str(config), "--db", db_url]
    code, err = govwatch(capsys, *base, "export", str(missing / "corpus.jsonl"))
    assert code == 2
    assert_one_line(err, "no such folder", str(missing))
    code, err = govwatch(capsys, *base, "feed", "--output", str(missing / "feed.atom"))
    assert code == 2
    assert_one_line(err, "no such folder", str(missing))
    for huge in ("99999999999999999999999", str(2**31), str(2**63)):
        code, err = govwatch(capsys, *base, "runs", "--errors", huge)
        assert code == 1
        assert_one_line(err, f"no crawl run with id {huge}")


def test_the_program_is_inside_the_boundary(config, tmp_path):
    not_sqlite = tmp_path / "x.db"
    not_sqlite.write_bytes(b"\x00" * 4096)
    command = [sys.executable, "-m", "govwatch", "--config", str(config)]
    result = subprocess.run(
        [*command, "--db", f"sqlite:///{not_sqlite}", "runs"],
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ, "PYTHONPATH": str(REPO)},
    )
    assert result.returncode == 2
    assert_one_line(result.stderr, "x.db")
    debug = subprocess.run(
        [*command, "--debug", "--db", f"sqlite:///{not_sqlite}", "runs"],
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ, "PYTHONPATH": str(REPO)},
    )
    assert debug.returncode == 2
    assert "Traceback" in debug.stderr
