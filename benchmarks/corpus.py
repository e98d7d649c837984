"""Clustering and export at corpus scale: time, peak memory, and clustering accuracy.

Usage: .venv/bin/python benchmarks/corpus.py [--docs 100000] [--export-sizes 10000,100000]
                                            [--workdir DIR] [--sample 200]

Synthetic documents of report length (30 to 100 paragraphs, about 6,500 characters) are
drawn from a pool of paragraphs that the portal's generator writes for eight towns
(portal/content.py), so unrelated documents share stock phrases as real ones do. One in
ten documents is a copy of an earlier one, made as the web makes them (field notes,
section 1): the other script (converted back, as the extractor does), pinyin after
characters, stray commas, an SEO spam line, content-farm chrome, one or two paragraphs
rewritten. Documents are regenerated from their number when needed and never held in
memory all at once.

Phases, each in a child process so that its peak memory (ru_maxrss) is its own:
1. cluster: fingerprint every document and group them (corpus/grouping.py, what the full
   rebuild runs); time, peak memory, and pair precision/recall against the known copies.
   Also the per-document cost of datasketch's MinHash on a sample, for comparison.
2. for each export size: store that many documents in a fresh SQLite database, run the
   real ``corpus.clusters.rebuild`` on it, then export JSONL and Parquet with the real
   ``corpus.export.export``; time and peak memory of each. After the rebuild, a crawl's
   worth of new documents is stored and ``corpus.clusters.update`` (the step every crawl
   ends with) is timed. The schema is created from the
   models rather than the migrations, which leaves out the full-text search index (its
   triggers would dominate the load time and play no part in clustering or export).
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import subprocess
import sys
import tempfile
import time
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

TOWNS = ("长安镇", "虎门镇", "厚街镇", "东城街道", "南城街道", "塘厦镇", "常平镇", "石龙镇")
COPY_SHARE = 0.1
CRAWL_BATCH = 200  # documents a crawl brings after the rebuild
SPAM = "糖心vlog高颜值排行榜|国产精品自产自拍在|91制片厂bb|久久ab|国产原创swag在线"
FARM = (
    "文似观山不喜平 — — 观山文库◆记住我,来上我~",
    "加入收藏 共计307941个字,预计阅读时长1027分钟",
)
PINYIN = {"发": "fā", "展": "zhǎn", "经": "jīng", "济": "jì", "镇": "zhèn", "会": "huì"}


def peak_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


class Synthetic:
    """Document ``i`` of a synthetic corpus: (text_simplified, origin), from ``i`` alone."""

    def __init__(self, seed: int = 7) -> None:
        from portal.content import generate

        self.seed = seed
        self.pool: list[str] = []
        for number, town in enumerate(TOWNS):
            drafts = generate(random.Random(seed * 100 + number), 400, town, datetime(2025, 6, 1))
            self.pool += [p for d in drafts for p in d.paragraphs if len(p) >= 20]
        self._s2t = self._t2s = None

    def origin(self, index: int) -> int:
        rng = random.Random(f"{self.seed}:{index}:copy")
        if index < 10 or rng.random() >= COPY_SHARE:
            return index
        return self.origin(rng.randrange(index))  # a copy of an earlier document's original

    def original(self, index: int) -> list[str]:
        rng = random.Random(f"{self.seed}:{index}")
        return rng.sample(self.pool, rng.randrange(30, 101))

    def document(self, index: int) -> tuple[str, int]:
        origin = self.origin(index)
        paragraphs = self.original(origin)
        if origin == index:
            return "\n".join(paragraphs), origin
        return self._copy(paragraphs, random.Random(f"{self.seed}:{index}:variant")), origin

    def _copy(self, paragraphs: list[str], rng: random.Random) -> str:
        import opencc

        if self._s2t is None:
            self._s2t, self._t2s = opencc.OpenCC("s2t"), opencc.OpenCC("t2s")
        paragraphs = list(paragraphs)
        kind = rng.randrange(4)
        if kind == 0:  # traditional mirror with pinyin and stray commas, simplified back
            text = self._s2t.convert("\n".join(paragraphs))
            text = (
                "".join(
                    c
                    + (
                        f"({PINYIN[self._t2s.convert(c)]})"
                        if self._t2s.convert(c) in PINYIN
                        and c != self._t2s.convert(c)
                        and rng.random() < 0.5
                        else ""
                    )
                    for c in text
                )
                if rng.random() < 0.3
                else text
            )
            return self._t2s.convert(text.replace("。", ",。"))
        if kind == 1:  # SEO spam line on top, stray commas
            return SPAM + "\n" + "\n".join(p.replace("，", ",，") for p in paragraphs)
        for _ in range(1 if kind == 2 else 2):  # one or two paragraphs rewritten
            at = rng.randrange(len(paragraphs))
            paragraphs[at] = rng.choice(self.pool)
        if kind == 3:
            paragraphs = [FARM[0], *paragraphs, FARM[1]]
        return "\n".join(paragraphs)


def pair_scores(labels: list[int], origins: list[int]) -> tuple[float, float]:
    """Precision and recall over pairs of documents put in one cluster."""

    def pairs(counter: Counter) -> int:
        return sum(n * (n - 1) // 2 for n in counter.values())

    predicted = pairs(Counter(labels))
    true = pairs(Counter(origins))
    both = pairs(Counter(zip(labels, origins, strict=True)))
    return (both / predicted if predicted else 1.0), (both / true if true else 1.0)


def phase_cluster(docs: int, sample: int) -> dict:
    from corpus.fingerprint import fingerprint
    from corpus.grouping import group

    corpus = Synthetic()
    base = peak_mib()
    hashes, signatures, origins = [], [], []
    characters = 0
    generating = fingerprinting = 0.0
    for index in range(docs):
        started = time.perf_counter()
        text, origin = corpus.document(index)
        between = time.perf_counter()
        print_ = fingerprint(text)
        fingerprinting += time.perf_counter() - between
        generating += between - started
        characters += len(text)
        hashes.append(print_.content_hash)
        signatures.append(print_.signature)
        origins.append(origin)
    started = time.perf_counter()
    labels = group(hashes, signatures)
    grouping = time.perf_counter() - started
    precision, recall = pair_scores(labels, origins)
    return {
        "docs": docs,
        "mean_chars": round(characters / docs),
        "copies": sum(1 for i, o in enumerate(origins) if i != o),
        "clusters": len(set(labels)),
        "true_clusters": len(set(origins)),
        "generate_s": round(generating, 1),
        "fingerprint_s": round(fingerprinting, 1),
        "group_s": round(grouping, 1),
        "precision": round(precision, 4),
        "recall": round(recall, 4),
        "peak_mib": round(peak_mib()),
        "baseline_mib": round(base),
        "datasketch_ms_per_doc": _datasketch_ms(corpus, sample),
        "govwatch_ms_per_doc": round(1000 * fingerprinting / docs, 2),
    }


def _datasketch_ms(corpus: Synthetic, sample: int) -> float | None:
    """datasketch MinHash (128 permutations) over the same 5-character shingles."""
    try:
        from datasketch import MinHash
    except ImportError:
        return None
    from corpus.shingles import K, normalise

    started = time.perf_counter()
    for index in range(sample):
        text = normalise(corpus.document(index)[0])
        minhash = MinHash(num_perm=128)
        minhash.update_batch([text[i : i + K].encode() for i in range(len(text) - K + 1)])
    return round(1000 * (time.perf_counter() - started) / sample, 2)


def phase_build(docs: int, path: str) -> dict:
    """Store ``docs`` documents in a new SQLite database, cluster them for real, then time
    the incremental step that follows a crawl bringing ``CRAWL_BATCH`` more."""
    from corpus.clusters import rebuild, update
    from storage.db import open_database
    from storage.models import Base, CorpusState, Source

    db = open_database(f"sqlite:///{path}", upgrade=False)
    Base.metadata.create_all(db.engine)
    corpus = Synthetic()
    started = time.perf_counter()
    with db.transaction() as session:
        session.add(CorpusState(id=1))
        session.add_all(Source(name=f"s{i}") for i in range(4))
    for start in range(0, docs, 1000):
        _store(db, corpus, start, min(docs, start + 1000))
    loading = time.perf_counter() - started
    report = rebuild(db)
    _store(db, corpus, docs, docs + CRAWL_BATCH)
    incremental = update(db)
    db.dispose()
    return {
        "docs": docs,
        "load_s": round(loading, 1),
        "rebuild_s": round(report.seconds, 1),
        "clusters": report.clusters,
        f"update_{CRAWL_BATCH}_new_s": round(incremental.seconds, 2),
        "db_mib": round(Path(path).stat().st_size / 2**20),
        "peak_mib": round(peak_mib()),
    }


def _store(db, corpus: Synthetic, start: int, stop: int) -> None:  # noqa: ANN001 - a Database
    """Documents ``start``..``stop`` with one version each, as the tracker would store them."""
    import hashlib

    from sqlalchemy import insert

    from storage.models import Document, Version

    now = datetime(2025, 6, 1, tzinfo=UTC)
    raw = Version.compress(b"<html><body>synthetic</body></html>")
    documents, versions = [], []
    for index in range(start, stop):
        text, _ = corpus.document(index)
        url = f"http://www.example{index % 4}.gov.cn/post_{index}.html"
        documents.append(
            {
                "id": index + 1,
                "source_id": index % 4 + 1,
                "url": url,
                "status": "active",
                "first_seen": now,
                "last_seen": now,
                "version_count": 1,
            }
        )
        versions.append(
            {
                "id": index + 1,
                "document_id": index + 1,
                "number": 1,
                "fetched_at": now,
                "sha256": hashlib.sha256(text.encode()).hexdigest(),
                "title": text[:30],
                "published_at": f"20{10 + index % 15}-0{1 + index % 9}-1{index % 9}",
                "publisher": "本网",
                "text": text,
                "text_simplified": text,
                "warnings": [],
                "attachments": [],
                "http_status": 200,
                "headers": {"content-type": "text/html"},
                "encoding": "utf-8",
                "raw_compressed": raw,
                "official": index % 3 == 0,
            }
        )
    with db.transaction() as session:
        session.execute(insert(Document), documents)
        session.execute(insert(Version), versions)


def phase_export(path: str, fmt: str, out: str) -> dict:
    from corpus.export import Format, export
    from storage.db import open_database

    db = open_database(f"sqlite:///{path}", upgrade=False)
    base = peak_mib()
    report = export(db, out, Format(fmt))
    db.dispose()
    return {
        "format": fmt,
        "records": report.records,
        "seconds": round(report.seconds, 1),
        "file_mib": round(Path(out).stat().st_size / 2**20),
        "peak_mib": round(peak_mib()),
        "baseline_mib": round(base),
    }


def child(*args: str) -> dict:
    """Run one phase in a fresh interpreter; its last output line is the JSON result."""
    done = subprocess.run(
        [sys.executable, __file__, "--phase", *args], capture_output=True, text=True, check=False
    )
    if done.returncode != 0:
        raise SystemExit(f"phase {args} failed:\n{done.stderr}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def table(rows: list[dict]) -> str:
    columns = list(rows[0])
    widths = [max(len(c), *(len(str(r[c])) for r in rows)) for c in columns]
    lines = ["  ".join(c.ljust(w) for c, w in zip(columns, widths, strict=True))]
    lines += [
        "  ".join(str(r[c]).ljust(w) for c, w in zip(columns, widths, strict=True)) for r in rows
    ]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--docs", type=int, default=100_000)
    parser.add_argument("--export-sizes", default="10000,100000")
    parser.add_argument("--sample", type=int, default=200, help="documents for datasketch")
    parser.add_argument("--workdir", type=Path, default=None)
    parser.add_argument("--phase", nargs="+", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.phase:
        name, *rest = args.phase
        if name == "cluster":
            result = phase_cluster(int(rest[0]), int(rest[1]))
        elif name == "build":
            result = phase_build(int(rest[0]), rest[1])
        else:
            result = phase_export(*rest)
        print(json.dumps(result))
        return

    workdir = args.workdir or Path(tempfile.mkdtemp(prefix="govwatch-corpus-bench-"))
    workdir.mkdir(parents=True, exist_ok=True)
    print(f"clustering {args.docs} synthetic documents ({COPY_SHARE:.0%} copies)", flush=True)
    print(table([child("cluster", str(args.docs), str(args.sample))]), flush=True)
    builds, exports = [], []
    for size in [int(s) for s in args.export_sizes.split(",") if s]:
        path = str(workdir / f"corpus-{size}.db")
        Path(path).unlink(missing_ok=True)
        builds.append(child("build", str(size), path))
        for fmt in ("jsonl", "parquet"):
            out = str(workdir / f"corpus-{size}.{fmt}")
            exports.append({"docs": size, **child("export", path, fmt, out)})
            Path(out).unlink(missing_ok=True)
        Path(path).unlink(missing_ok=True)
    if builds:
        print("\nstored in SQLite and clustered by corpus.clusters.rebuild", flush=True)
        print(table(builds))
        print("\nexported by corpus.export.export (streamed)")
        print(table(exports))


if __name__ == "__main__":
    main()
