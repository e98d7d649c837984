"""``govwatch export``: the corpus as JSONL, CSV, Parquet or WARC, streamed.

Records are read in batches (corpus/records.py) and written as they come: JSONL and CSV a
line at a time, Parquet a row group per batch of at most ``PARQUET_ROWS`` rows or
``PARQUET_BYTES`` of text, WARC a record at a time. Memory stays flat whatever the corpus
size. The file is written beside its destination and renamed into place at the end, so an
interrupted export leaves no half file under the final name.
"""

from __future__ import annotations

import csv
import json
import os
import sys
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import IO, Any

from corpus.records import FIELDS, LIST_FIELDS, Filters, count, records
from storage.db import Database

PARQUET_ROWS = 1_000
PARQUET_BYTES = 32 * 1024 * 1024
PROGRESS_EVERY = 100


class Format(StrEnum):
    jsonl = "jsonl"
    csv = "csv"
    parquet = "parquet"
    warc = "warc"


@dataclass(frozen=True)
class ExportReport:
    records: int
    path: str
    seconds: float


def export(
    db: Database,
    out: Path | str,
    fmt: Format,
    filters: Filters = Filters(),  # noqa: B008 - a frozen dataclass, never mutated
    *,
    on_start: Callable[[int], None] | None = None,
    on_progress: Callable[[int], None] | None = None,
) -> ExportReport:
    """Write the selected records to ``out`` ("-" is standard output for JSONL and CSV)."""
    started = time.monotonic()
    if str(out) == "-" and fmt in (Format.parquet, Format.warc):
        raise ValueError(f"{fmt} needs a file, not standard output")
    written = 0
    with db.reader() as session:
        if on_start:
            on_start(count(session, filters))
        rows = _counted(records(session, filters, raw=fmt is Format.warc), on_progress)
        with _destination(out, binary=fmt in (Format.parquet, Format.warc)) as stream:
            written = WRITERS[fmt](rows, stream, str(out))
    return ExportReport(written, str(out), time.monotonic() - started)


def _counted(
    rows: Iterable[dict[str, Any]], on_progress: Callable[[int], None] | None
) -> Iterator[dict[str, Any]]:
    pending = 0
    for row in rows:
        yield row
        pending += 1
        if on_progress and pending == PROGRESS_EVERY:
            on_progress(pending)
            pending = 0
    if on_progress and pending:
        on_progress(pending)


@contextmanager
def _destination(out: Path | str, *, binary: bool) -> Iterator[IO]:
    if str(out) == "-":
        yield sys.stdout.buffer if binary else sys.stdout
        sys.stdout.flush()
        return
    path = Path(out)
    partial = path.with_name(path.name + ".part")
    mode = "wb" if binary else "w"
    try:
        with open(partial, mode, **({} if binary else {"encoding": "utf-8", "newline": ""})) as f:
            yield f
        os.replace(partial, path)
    finally:
        partial.unlink(missing_ok=True)


def write_jsonl(rows: Iterable[dict[str, Any]], stream: IO[str], _name: str) -> int:
    written = 0
    for row in rows:
        stream.write(json.dumps(row, ensure_ascii=False) + "\n")
        written += 1
    return written


def write_csv(rows: Iterable[dict[str, Any]], stream: IO[str], _name: str) -> int:
    writer = csv.DictWriter(stream, fieldnames=FIELDS)
    writer.writeheader()
    written = 0
    for row in rows:
        lists = {name: json.dumps(row[name], ensure_ascii=False) for name in LIST_FIELDS}
        writer.writerow(
            {**row, **lists, "warnings": json.dumps(row["warnings"], ensure_ascii=False)}
        )
        written += 1
    return written


def parquet_schema() -> Any:
    import pyarrow as pa

    types = {
        "version": pa.int32(),
        "official": pa.bool_(),
        "canonical": pa.bool_(),
        "cluster_id": pa.int64(),
        "cluster_size": pa.int32(),
        "http_status": pa.int32(),
        "fetched_at": pa.timestamp("s", tz="UTC"),
        "issuing_authority": pa.list_(pa.string()),
        "keywords": pa.list_(pa.string()),
        "warnings": pa.list_(
            pa.struct(
                [
                    ("kind", pa.string()),
                    ("message", pa.string()),
                    ("start", pa.int64()),  # offsets into text, where the warning applies
                    ("end", pa.int64()),
                ]
            )
        ),
    }
    return pa.schema([(name, types.get(name, pa.string())) for name in FIELDS])


def write_parquet(rows: Iterable[dict[str, Any]], stream: IO[bytes], _name: str) -> int:
    from datetime import datetime

    import pyarrow as pa
    import pyarrow.parquet as pq

    schema = parquet_schema()
    written = 0
    batch: list[dict[str, Any]] = []
    size = 0
    with pq.ParquetWriter(stream, schema, compression="zstd") as writer:

        def flush() -> None:
            nonlocal size
            if batch:
                writer.write_batch(pa.RecordBatch.from_pylist(batch, schema=schema))
                batch.clear()
                size = 0

        for row in rows:
            batch.append(
                {
                    **row,
                    "fetched_at": datetime.fromisoformat(row["fetched_at"]),
                    "warnings": [_warning(w) for w in row["warnings"]],
                }
            )
            size += 3 * (len(row["text"]) + len(row["text_simplified"]))
            written += 1
            if len(batch) >= PARQUET_ROWS or size >= PARQUET_BYTES:
                flush()
        flush()
    return written


def _warning(warning: dict[str, Any]) -> dict[str, Any]:
    def offset(key: str) -> int | None:
        value = warning.get(key)
        return value if isinstance(value, int) else None

    return {
        "kind": str(warning.get("kind", "")),
        "message": str(warning.get("message", "")),
        "start": offset("start"),
        "end": offset("end"),
    }


def write_warc(rows: Iterable[dict[str, Any]], stream: IO[bytes], name: str) -> int:
    from corpus.warc import WarcOut

    out = WarcOut(stream, Path(name).name)
    written = 0
    for row in rows:
        out.write(row)
        written += 1
    return written


WRITERS: dict[Format, Callable[[Iterable[dict[str, Any]], Any, str], int]] = {
    Format.jsonl: write_jsonl,
    Format.csv: write_csv,
    Format.parquet: write_parquet,
    Format.warc: write_warc,
}
