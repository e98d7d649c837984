"""Reading govwatch.toml: TOML errors and validation errors become one clear message each.

Every error names the file, the field and what is wrong, so that a person can fix
the file without reading code; the CLI turns :class:`ConfigError` into exit status 2.
"""

from __future__ import annotations

import os
import tomllib
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from config.models import DB_ENV, DEFAULT_PATH, Config, ConfigError, StorageConfig


def load_config(path: Path | str | None = None, *, db_url: str | None = None) -> Config:
    """Read and validate a configuration file; the storage URL may be overridden.

    ``db_url`` (the ``--db`` option) wins over ``GOVWATCH_DB``, which wins over the file.
    A missing file at the default path is not an error: the defaults describe an empty
    installation that can still list, diff and extract.
    """
    path = Path(path) if path is not None else DEFAULT_PATH
    if path.exists():
        data = _read_toml(path)
    elif path == DEFAULT_PATH:
        data = {}
    else:
        raise _error(path, "no such file")
    try:
        config = Config.model_validate(data)
    except ValidationError as exc:
        problems = _describe(exc)
        raise ConfigError(
            "\n".join(f"{path}: {problem}" for problem in problems),
            where=str(path),
            problems=problems,
        ) from None
    override = db_url or os.environ.get(DB_ENV)
    storage = StorageConfig(url=override) if override else config.storage
    if config.cluster is not None and not storage.url.startswith("postgresql"):
        # Workers on other machines, the dispatcher's lock and the per-source locks all
        # meet in one database server.
        raise ConfigError(
            f"{path}: cluster: crawling on a cluster needs PostgreSQL storage "
            f"(storage.url is {storage.url.split(':', 1)[0]})"
        )
    return config.model_copy(update={"path": path, "storage": storage})


def _read_toml(path: Path) -> dict[str, Any]:
    try:
        with path.open("rb") as handle:
            return tomllib.load(handle)
    except tomllib.TOMLDecodeError as exc:
        raise _error(path, f"not valid TOML: {exc}") from None
    except UnicodeDecodeError as exc:
        byte = exc.object[exc.start]
        raise _error(path, f"not UTF-8 text (byte {exc.start} is {byte:#04x})") from None
    except OSError as exc:
        raise _error(path, f"cannot be read: {exc.strerror}") from None


def _error(path: Path, problem: str) -> ConfigError:
    return ConfigError(f"{path}: {problem}", where=str(path), problems=[problem])


def _describe(exc: ValidationError) -> list[str]:
    lines = []
    for error in exc.errors():
        where = _field_path(error["loc"]) or "(top level)"
        message = error["msg"].removeprefix("Value error, ")
        if error["type"] == "extra_forbidden":
            message = "unknown field"
        lines.append(f"{where}: {message}")
    return lines


def _field_path(loc: tuple[int | str, ...]) -> str:
    parts: list[str] = []
    for item in loc:
        if isinstance(item, int):
            parts[-1:] = [f"{parts[-1] if parts else ''}[{item}]"]
        else:
            parts.append(str(item))
    return ".".join(parts)
