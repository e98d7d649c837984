"""`govwatch demo`, the README's first command, runs from an empty folder to the end."""

import subprocess
import sys


def test_demo_shows_baseline_new_changed_and_removed_alerts(tmp_path):
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "govwatch",
            "demo",
            "--rounds",
            "3",
            "--pause",
            "0",
            "--port",
            "0",
            "--workdir",
            str(tmp_path / "demo"),
        ],
        capture_output=True,
        text=True,
        timeout=300,
        env={"COLUMNS": "200", "PATH": ""},
    )
    assert result.returncode == 0, result.stdout + result.stderr
    for expected in (
        "now watching 24 documents",
        "新发布 new",
        "内容变更 changed",
        "已删除 removed",
        "Done.",
    ):
        assert expected in result.stdout, expected
    assert "Traceback" not in result.stdout + result.stderr
