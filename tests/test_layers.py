"""The layer order in pyproject.toml's [tool.importlinter] holds: no package imports upward.

Lazy imports inside functions count too: grimp reads every import statement.
"""

import os
import re
import subprocess
import sys
import tomllib
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
NOT_SHIPPED = {"tests", "benchmarks"}


def _contract() -> dict:
    return tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["tool"][
        "importlinter"
    ]


def test_every_top_level_package_has_a_layer():
    packages = {
        path.parent.name
        for path in REPO.glob("*/__init__.py")
        if path.parent.name not in NOT_SHIPPED
    }
    settings = _contract()
    assert set(settings["root_packages"]) == packages
    [layers] = [c["layers"] for c in settings["contracts"] if c["type"] == "layers"]
    named = [name for layer in layers for name in re.split(r"[|:]", layer)]
    assert sorted(name.strip() for name in named) == sorted(packages)


def test_no_package_imports_a_layer_above_it():
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    result = subprocess.run(
        [sys.executable, "-c", "import sys; from importlinter.cli import lint_imports_command;"
         " sys.exit(lint_imports_command())", "--no-cache"],
        capture_output=True, text=True, cwd=REPO, env=env, check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 broken" in result.stdout
