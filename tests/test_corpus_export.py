"""Exports read back (JSONL, CSV, Parquet with pyarrow, WARC with warcio) against the database.

One real crawl of the local portal fills the database (and clusters it, as every crawl
does); a mirror copy of one article is then stored under a second source, as another
crawl would store it, and the exports must put it in the official article's cluster.
"""

from __future__ import annotations

import csv
import hashlib
import json
from datetime import date

import pytest
from sqlalchemy import select

from corpus import export as export_module
from corpus.export import Format, export
from corpus.records import Filters
from extractor import extract_text
from storage.db import open_database
from storage.models import Document, Source, Version

SPAM = "香蕉在线视频网站,国产视频综合,亚洲综合五月天欧美,成人亚洲综合"


def _store_mirror_and_second_version(db, official_url: str) -> tuple[str, str]:  # noqa: ANN001
    """A traditional-script mirror of the official page, and a second version of another page."""
    import opencc

    with db.transaction() as session:
        official = session.scalar(
            select(Version).join(Document).where(Document.url == official_url)
        )
        mirror_text = SPAM + "\n" + opencc.OpenCC("s2t").convert(official.text)
        cleaned = extract_text(mirror_text)
        source = Source(name="mirror")
        session.add(source)
        session.flush()
        mirror_url = "http://12ap.example/dg/post_1.html"
        document = Document(source_id=source.id, url=mirror_url, version_count=1)
        session.add(document)
        session.flush()
        raw = f"<html><body><p>{mirror_text}</p></body></html>".encode()
        session.add(
            Version(
                document_id=document.id,
                number=1,
                sha256=hashlib.sha256(cleaned.text.encode()).hexdigest(),
                title=official.title,
                published_at="2000-01-01",  # earlier than the official copy: still not canonical
                text=cleaned.text,
                text_simplified=cleaned.text_simplified,
                warnings=cleaned.warnings,
                http_status=200,
                headers={"content-type": "text/html"},
                raw_compressed=Version.compress(raw),
                official=False,
            )
        )
        edited = session.scalar(select(Document).where(Document.url != official_url).limit(1))
        first = session.scalar(select(Version).where(Version.document_id == edited.id))
        edited.version_count = 2
        text = first.text + "\n新增一段说明。"
        session.add(
            Version(
                document_id=edited.id,
                number=2,
                sha256=hashlib.sha256(text.encode()).hexdigest(),
                title=first.title,
                published_at=first.published_at,
                text=text,
                text_simplified=text,
                warnings=[],
                http_status=200,
                headers=dict(first.headers),
                raw_compressed=first.raw_compressed,
                official=first.official,
            )
        )
    return mirror_url, edited.url


def _latest(db) -> dict[str, dict]:  # noqa: ANN001
    with db.reader() as session:
        rows = session.execute(
            select(Document.url, Version, Source.name)
            .join(
                Version,
                (Version.document_id == Document.id) & (Version.number == Document.version_count),
            )
            .join(Source, Source.id == Document.source_id)
        ).all()
    return {url: {"version": v, "source": name} for url, v, name in rows}


def test_crawl_cluster_and_export_every_format(
    portal, cli_factory, sqlite_url, tmp_path, monkeypatch
):
    cli = cli_factory(sqlite_url, start_urls=[portal.listing_url])
    cli.run("crawl", "changan")
    stats = cli.json("stats")
    assert stats["documents"] == 36 and stats["unclustered_documents"] == 0
    assert stats["clusters"] == 36  # the crawl clustered its documents; none are copies
    assert stats["official_documents"] == 36  # every portal page has a SiteIDCode

    db = open_database(sqlite_url)
    official_url = portal.server.url + portal.articles[0].path
    mirror_url, edited_url = _store_mirror_and_second_version(db, official_url)

    # JSONL through the command line: the export clusters the new mirror first.
    jsonl = tmp_path / "corpus.jsonl"
    cli.run("export", str(jsonl), "--quiet")
    records = {r["url"]: r for r in map(json.loads, jsonl.read_text("utf-8").splitlines())}
    stored = _latest(db)
    assert records.keys() == stored.keys()
    for url, record in records.items():
        version = stored[url]["version"]
        assert record["source"] == stored[url]["source"]
        assert record["text"] == version.text
        assert record["text_simplified"] == version.text_simplified
        assert record["sha256"] == version.sha256
        assert (record["title"], record["published_at"]) == (version.title, version.published_at)
        assert record["publisher"] == version.publisher
        assert record["version"] == version.number
        assert record["fetched_at"] == version.fetched_at.isoformat(timespec="seconds")
        assert record["official"] is (url != mirror_url)
        if url != mirror_url:
            assert record["canonical_url"] == url
    mirror, official = records[mirror_url], records[official_url]
    assert mirror["canonical_url"] == official_url and not mirror["canonical"]
    assert official["canonical"] and official["cluster_id"] == mirror["cluster_id"]
    assert official["cluster_size"] == 2
    assert records[edited_url]["version"] == 2

    # WARC through the command line: every version's raw response, with the JSONL's IDs.
    from warcio.archiveiterator import ArchiveIterator

    warc = tmp_path / "corpus.warc.gz"
    cli.run("export", "--format", "warc", "--versions", str(warc), "--quiet")
    with open(warc, "rb") as stream:
        responses = {
            r.rec_headers.get_header("WARC-Record-ID"): (
                r.rec_headers.get_header("WARC-Target-URI"),
                r.http_headers.get_statuscode(),
                r.content_stream().read(),
                r.rec_headers.get_header("WARC-Govwatch-Canonical-URI"),
            )
            for r in ArchiveIterator(stream)
            if r.rec_type == "response"
        }
    assert len(responses) == 36 + 1 + 1  # 37 documents, one with two versions
    with db.reader() as session:
        raws = {
            (url, number): raw
            for url, number, raw in session.execute(
                select(Document.url, Version.number, Version.raw_compressed).join(Version)
            )
        }
    for record in records.values():
        uri, status, body, canonical = responses[record["warc_record_id"]]
        assert (uri, status, canonical) == (record["url"], "200", record["canonical_url"])
        assert body == Version(raw_compressed=raws[(uri, record["version"])]).raw

    stats = cli.json("stats")
    assert (stats["documents"], stats["versions"], stats["sources"]) == (37, 38, 2)
    assert (stats["clusters"], stats["duplicate_documents"]) == (36, 1)
    assert stats["characters"] == sum(len(s["version"].text) for s in stored.values())
    [shared] = cli.json("corpus", "clusters")
    assert shared["canonical_url"] == official_url
    assert sorted(shared["urls"]) == sorted([official_url, mirror_url])

    # Parquet and CSV, in process: the same records; Parquet in row groups (streamed).
    monkeypatch.setattr(export_module, "PARQUET_ROWS", 10)
    parquet = tmp_path / "corpus.parquet"
    assert export(db, parquet, Format.parquet).records == 37
    import pyarrow.parquet as pq

    assert pq.ParquetFile(parquet).num_row_groups == 4
    for row in pq.read_table(parquet).to_pylist():
        record = records[row["url"]]
        assert row["fetched_at"].isoformat(timespec="seconds") == record["fetched_at"]
        assert [w["kind"] for w in row["warnings"]] == [w["kind"] for w in record["warnings"]]
        for field in ("text", "sha256", "canonical_url", "official", "version", "warc_record_id"):
            assert row[field] == record[field], field
    csv_path = tmp_path / "corpus.csv"
    export(db, csv_path, Format.csv)
    with open(csv_path, encoding="utf-8", newline="") as stream:
        rows = list(csv.DictReader(stream))
    assert {r["url"]: r["text"] for r in rows} == {u: r["text"] for u, r in records.items()}

    # Filters: canonical only, a source, a date range, every version.
    def urls(**filters: object) -> list[str]:
        out = tmp_path / "filtered.jsonl"
        export(db, out, Format.jsonl, Filters(**filters))
        return [json.loads(line)["url"] for line in out.read_text("utf-8").splitlines()]

    assert mirror_url not in urls(canonical_only=True)
    assert len(urls(canonical_only=True)) == 36
    assert urls(sources=("mirror",)) == [mirror_url]
    assert len(urls(versions=True)) == 38
    dates = sorted({r["published_at"][:10] for r in records.values() if r["url"] != mirror_url})
    low, high = date.fromisoformat(dates[1]), date.fromisoformat(dates[-2])
    expected = {
        u
        for u, r in records.items()
        if r["published_at"] and dates[1] <= r["published_at"][:10] <= dates[-2]
    }
    assert set(urls(since=low, until=high)) == expected
    assert 0 < len(expected) < 36
    db.dispose()


def test_export_refuses_binary_formats_on_stdout(sqlite_url):
    db = open_database(sqlite_url)
    with pytest.raises(ValueError):
        export(db, "-", Format.parquet)
    db.dispose()
