"""The layer order in pyproject.toml's [tool.importlinter] holds: no package imports upward.

Lazy imports inside functions count too: grimp reads every import statement.
"""

import ast
import os
import re
import subprocess
import sys
import tomllib
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
NOT_SHIPPED = {"tests", "benchmarks"}
# scheduler.py is a module, which import-linter cannot take: its place in the layers is
# checked here. It sits below dispatch, above the pipeline stages; only dispatch uses it.
SCHEDULER_BELOW = {"crawler", "alerts", "corpus", "tracker", "extractor", "storage", "config",
                   "portal"}
SCHEDULER_USERS = {"dispatch"}


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


def _project_imports(path: Path, project: set[str]) -> set[str]:
    """The project's top-level names that a file imports, lazily or not."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names = [node.module]
        else:
            continue
        found |= {name.split(".")[0] for name in names} & project
    return found


def test_scheduler_module_keeps_its_layer():
    packages = set(_contract()["root_packages"])
    assert _project_imports(REPO / "scheduler.py", packages | {"scheduler"}) <= SCHEDULER_BELOW
    users = {
        path.relative_to(REPO).parts[0]
        for package in packages
        for path in (REPO / package).rglob("*.py")
        if "scheduler" in _project_imports(path, {"scheduler"})
    }
    assert users <= SCHEDULER_USERS, users
