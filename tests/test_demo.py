"""`govwatch demo`, the README's first command, runs from an empty folder to the end."""

import re
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
    output = result.stdout + result.stderr
    assert "Traceback" not in output
    assert not re.search(r"warning", output, re.IGNORECASE), output  # Scrapy's deprecations
    # The changed figure is named with what it measures and its unit, old and new.
    flat = " ".join(result.stdout.replace("│", " ").split())
    assert re.search(r"figures changed: \w+ \d+\.\d亿元 → \d+\.\d亿元", flat), flat
    assert "China Standard Time" in flat  # the new notice's time from the page, with its zone
    assert re.search(r"govwatch --config \S+ serve", result.stdout)
