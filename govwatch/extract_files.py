"""``govwatch extract`` over many files: one record a file, on every core by default.

Extraction is CPU-bound Python, so files are spread over worker processes (threads would
share one core); records come back in the order of the files.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path


def default_jobs() -> int:
    """The cores this process may run on."""
    try:
        return len(os.sched_getaffinity(0)) or 1
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def record(path: Path) -> dict:
    """The extraction of one file as a JSON-ready dict."""
    from extractor import extract, extract_text
    from extractor.model import DOCUMENT_FIELDS

    data = path.read_bytes()
    if path.suffix.lower() == ".txt":
        result = extract_text(data.decode("utf-8", errors="replace"))
    else:
        result = extract(data, path.resolve().as_uri())
    return {
        "path": str(path),
        "title": result.title,
        "published_at": result.published_at,
        "timezone": result.timezone,
        "publisher": result.publisher,
        **{name: getattr(result, name) for name in (*DOCUMENT_FIELDS, "citations")},
        "text": result.text,
        "text_simplified": result.text_simplified,
        "tables": result.tables,
        "warnings": result.warnings,
    }


def records(files: list[Path], jobs: int) -> Iterator[dict]:
    """Records of the files in order, extracted by up to `jobs` processes."""
    jobs = max(1, min(jobs, len(files)))
    if jobs == 1:
        yield from map(record, files)
        return
    from concurrent.futures import ProcessPoolExecutor

    chunk = max(1, len(files) // (jobs * 8))  # small enough to keep every worker busy
    with ProcessPoolExecutor(max_workers=jobs) as pool:
        yield from pool.map(record, files, chunksize=chunk)
