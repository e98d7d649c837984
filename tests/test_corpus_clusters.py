"""Near-duplicate clustering: the seeds and made-up copies of them, against unrelated reports.

Copies are made here the way the web makes them (field notes, section 1): the other
script, pinyin after characters, stray commas, an SEO spam line, content-farm chrome, a
paragraph rewritten. The negative case is the portal's work reports of one town and year,
which share stock phrases but are different reports.
"""

from __future__ import annotations

import functools
import hashlib
import itertools
import random
from pathlib import Path

import pytest
from sqlalchemy import select

from corpus import clusters
from corpus.canonical import Candidate, choose
from corpus.fingerprint import fingerprint
from corpus.lsh import BANDS, ROWS, THRESHOLD, linked
from corpus.minhash import BINS, similarity
from corpus.shingles import K, normalise
from corpus.stats import corpus_stats
from extractor import extract_text
from extractor.official import is_official, site_id_code_in
from portal.content import Filler, work_report
from storage.db import open_database
from storage.models import CorpusCluster, CorpusMember, Document, Source, Version

SEEDS = Path(__file__).resolve().parents[2] / "shared" / "seeds"
SPAM = "糖心vlog高颜值排行榜|国产精品自产自拍在|91制片厂bb|久久ab|国产原创swag在线,国产综合区"
FARM_HEAD = "文似观山不喜平 — — 观山文库◆记住我,来上我~"
FARM_FOOT = "网络 分享 时间: 加入收藏 共计307941个字,预计阅读时长1027分钟"
PINYIN = {
    "发": "fā",
    "展": "zhǎn",
    "经": "jīng",
    "济": "jì",
    "标": "biāo",
    "镇": "zhèn",
    "会": "huì",
    "应": "yìng",
    "战": "zhàn",
    "习": "xí",
    "进": "jìn",
    "质": "zhì",
}


@functools.cache
def _opencc(config: str):
    import opencc

    return opencc.OpenCC(config)


def traditional(text: str) -> str:
    return _opencc("s2t").convert(text)


def simplified(text: str) -> str:
    return _opencc("t2s").convert(text)


def with_pinyin(text: str, rng: random.Random) -> str:
    """`發(fā)展`: a tone-marked syllable after some traditional characters."""
    out = []
    for char in text:
        out.append(char)
        plain = simplified(char)
        if plain != char and plain in PINYIN and rng.random() < 0.6:
            out.append(f"({PINYIN[plain]})")
    return "".join(out)


def with_stray_commas(text: str, rng: random.Random) -> str:
    return "".join(("," + c if c in "，。、；" and rng.random() < 0.4 else c) for c in text)


def with_paragraph_edited(text: str) -> str:
    """The middle third of the longest paragraph rewritten."""
    paragraphs = text.split("\n")
    index = max(range(1, len(paragraphs)), key=lambda i: len(paragraphs[i]))
    old = paragraphs[index]
    third = len(old) // 3
    paragraphs[index] = (
        old[:third] + "在此基础上进一步加强统筹协调，压实工作责任。" + old[2 * third :]
    )
    return "\n".join(paragraphs)


def copies_of(seed: str, rng: random.Random) -> dict[str, str]:
    """The circulating copies of one report: (role, text)."""
    trad = traditional(simplified(seed))
    return {
        "official": seed,
        "other-script": simplified(seed) if trad == seed else trad,
        "mirror": SPAM + "\n\n" + with_stray_commas(with_pinyin(trad, rng), rng),
        "clean-mirror": with_stray_commas(simplified(seed), rng),
        "farm-edited": "\n".join([FARM_HEAD, with_paragraph_edited(simplified(seed)), FARM_FOOT]),
    }


def same_town_reports(count: int = 6) -> list[str]:
    """Unrelated work reports of one town and one year (portal/content.py)."""
    reports = []
    for seed in range(count):
        title, paragraphs = work_report(Filler(random.Random(seed), "长安镇", 2024))
        reports.append("\n".join([title, *paragraphs]))
    return reports


def load_seeds() -> list[str]:
    paths = sorted(SEEDS.glob("*.txt"))
    if not paths:
        pytest.skip(f"seed texts not found in {SEEDS}")
    return [p.read_text(encoding="utf-8") for p in paths]


def page(text: str, *, site_id_code: str | None = None) -> bytes:
    meta = f'<meta name="SiteIDCode" content="{site_id_code}">' if site_id_code else ""
    body = "".join(f"<p>{line}</p>" for line in text.split("\n"))
    return f"<html><head>{meta}<title>t</title></head><body>{body}</body></html>".encode()


def add_document(session, source: Source, url: str, text: str, **version: object) -> Document:  # noqa: ANN001
    """A document with one version, its text cleaned the way the crawler cleans it."""
    cleaned = extract_text(text)
    document = Document(source_id=source.id, url=url, version_count=0)
    session.add(document)
    session.flush()
    add_version(
        session, document, cleaned.text, cleaned.text_simplified, cleaned.warnings, **version
    )
    return document


def add_version(
    session,
    document: Document,
    text: str,
    text_simplified: str,  # noqa: ANN001
    warnings: list,
    *,
    published: str | None = None,
    raw: bytes | None = None,
    official: bool | None = None,
) -> Version:
    document.version_count += 1
    version = Version(
        document_id=document.id,
        number=document.version_count,
        sha256=hashlib.sha256(text.encode()).hexdigest(),
        title=text.split("\n", 1)[0][:60],
        published_at=published,
        publisher="本网",
        text=text,
        text_simplified=text_simplified,
        warnings=warnings,
        http_status=200,
        headers={"content-type": "text/html; charset=utf-8"},
        raw_compressed=Version.compress(raw if raw is not None else page(text)),
        official=official,
    )
    session.add(version)
    session.flush()
    return version


def build_corpus(db, seeds: list[str]) -> dict[str, list[tuple[str, int]]]:  # noqa: ANN001
    """Every seed with its copies, and the same-town reports; returns role -> [(url, id)]."""
    made: dict[str, list[tuple[str, int]]] = {}
    with db.transaction() as session:
        sources = {name: Source(name=name) for name in ("portal", "mirror", "farm")}
        session.add_all(sources.values())
        session.flush()
        for number, seed in enumerate(seeds):
            rng = random.Random(number)
            for role, text in copies_of(seed, rng).items():
                if role == "official":
                    # official by host; published later than the mirror's copy, still canonical
                    source, url, published = (
                        "portal",
                        f"http://www.dg.gov.cn/{number}.html",
                        "2024-02-26",
                    )
                elif role == "other-script":
                    # official by its SiteIDCode, decided from the raw page (flag left unset)
                    source, url, published = (
                        "portal",
                        f"http://127.0.0.1:9/big5/{number}.html",
                        "2024-02-27",
                    )
                else:
                    source, url, published = (
                        "farm" if role.startswith("farm") else "mirror",
                        f"http://12ap.example/{role}/{number}.html",
                        "2024-02-20",
                    )
                raw = page(text, site_id_code="4419000001") if role == "other-script" else None
                document = add_document(
                    session,
                    sources[source],
                    url,
                    text,
                    published=published,
                    raw=raw,
                    official=None if role == "other-script" else role == "official",
                )
                made.setdefault(f"seed{number}", []).append((url, document.id))
        for number, report in enumerate(same_town_reports()):
            url = f"http://127.0.0.1:9/report/{number}.html"
            document = add_document(session, sources["portal"], url, report, published="2024-03-01")
            made[f"report{number}"] = [(url, document.id)]
    return made


def partition(db) -> set[frozenset[int]]:  # noqa: ANN001
    with db.reader() as session:
        groups: dict[int, set[int]] = {}
        for member in session.scalars(select(CorpusMember)):
            groups.setdefault(member.cluster_id, set()).add(member.document_id)
    return {frozenset(g) for g in groups.values()}


def canonical_urls(db) -> dict[frozenset[int], str]:  # noqa: ANN001
    with db.reader() as session:
        out = {}
        for cluster in session.scalars(select(CorpusCluster)):
            ids = frozenset(
                session.scalars(
                    select(CorpusMember.document_id).where(CorpusMember.cluster_id == cluster.id)
                )
            )
            out[ids] = session.get(Document, cluster.canonical_document_id).url
            assert cluster.size == len(ids)
    return out


def test_seeds_and_their_copies_cluster_with_the_official_copy_canonical(db_url):
    seeds = load_seeds()
    db = open_database(db_url)
    made = build_corpus(db, seeds)
    expected = {frozenset(i for _, i in members) for members in made.values()}

    report = clusters.update(db)
    assert report.documents == sum(len(m) for m in made.values())
    assert partition(db) == expected
    canonical = canonical_urls(db)
    for group, members in made.items():
        ids = frozenset(i for _, i in members)
        if group.startswith("seed"):
            assert canonical[ids] == members[0][0]  # the *.gov.cn copy, not the earlier mirror
    with db.reader() as session:  # the SiteIDCode copy was found official from its raw bytes
        flags = dict(session.execute(select(Document.url, Version.official).join(Version)).all())
    assert flags["http://127.0.0.1:9/big5/0.html"] is True
    assert flags["http://12ap.example/mirror/0.html"] is False

    # A full rebuild finds the same clusters and canonicals.
    rebuilt = clusters.rebuild(db)
    assert rebuilt.clusters == len(expected)
    assert partition(db) == expected
    assert canonical_urls(db) == canonical
    assert clusters.update(db).documents == 0  # nothing pending
    with db.reader() as session:
        stats = corpus_stats(session)
    documents = sum(len(m) for m in made.values())
    assert (stats["documents"], stats["versions"], stats["sources"]) == (documents, documents, 3)
    assert stats["clusters"] == len(expected) and stats["unclustered_documents"] == 0
    assert stats["duplicate_documents"] == documents - len(expected)
    assert stats["official_documents"] == 2 * len(seeds)  # by host, and by SiteIDCode
    assert 0 < stats["documents_with_warnings"] < documents  # the mirrors' pinyin, spam...
    db.dispose()


def test_changed_document_moves_and_its_old_cluster_chooses_again(sqlite_url):
    seeds = load_seeds()[:2]
    db = open_database(sqlite_url)
    made = build_corpus(db, seeds)
    clusters.update(db)
    official_url, official_id = made["seed0"][0]
    # The official page of seed 0 is replaced by the text of seed 1.
    with db.transaction() as session:
        document = session.get(Document, official_id)
        cleaned = extract_text(seeds[1])
        add_version(
            session,
            document,
            cleaned.text,
            cleaned.text_simplified,
            [],
            published="2024-02-26",
            official=True,
        )
    assert clusters.update(db).documents == 1
    seed0 = frozenset(i for _, i in made["seed0"]) - {official_id}
    seed1 = frozenset(i for _, i in made["seed1"]) | {official_id}
    assert {seed0, seed1} <= partition(db)
    canonical = canonical_urls(db)
    # Seed 0's cluster falls back to its other official copy (the SiteIDCode page).
    assert canonical[seed0] == "http://127.0.0.1:9/big5/0.html"
    # Seed 1's cluster has two official copies now: the earlier published one wins.
    assert canonical[seed1] == official_url
    before = partition(db)
    clusters.rebuild(db)
    assert partition(db) == before
    db.dispose()


def test_copies_score_high_and_same_town_reports_low():
    seeds = load_seeds()
    rng = random.Random(1)
    for seed in seeds:
        prints = {
            role: fingerprint(extract_text(text).text_simplified)
            for role, text in copies_of(seed, rng).items()
        }
        official = prints.pop("official")
        for role, other in prints.items():
            assert similarity(official.signature, other.signature) >= 0.85, role
            assert linked(official.signature, other.signature), role
    reports = [fingerprint(r).signature for r in same_town_reports()]
    for a, b in itertools.combinations(reports, 2):
        assert similarity(a, b) < THRESHOLD - 0.2
        assert not linked(a, b)


def _exact_jaccard(a: str, b: str) -> float:
    first, second = normalise(a), normalise(b)
    sa = {first[i : i + K] for i in range(len(first) - K + 1)}
    sb = {second[i : i + K] for i in range(len(second) - K + 1)}
    return len(sa & sb) / len(sa | sb)


def test_signatures_estimate_jaccard_and_bands_match_datasketch():
    datasketch = pytest.importorskip("datasketch")
    reports = same_town_reports(4)
    edited = [with_paragraph_edited(r) for r in reports]
    for a, b in [*itertools.combinations(reports, 2), *zip(reports, edited, strict=True)]:
        estimate = similarity(fingerprint(a).signature, fingerprint(b).signature)
        assert abs(estimate - _exact_jaccard(a, b)) < 0.12
    # The banding is what datasketch's MinHashLSH chooses for this threshold and size.
    lsh = datasketch.MinHashLSH(threshold=THRESHOLD, num_perm=BINS)
    assert (lsh.b, lsh.r) == (BANDS, ROWS)


def test_short_and_empty_texts():
    tiny = fingerprint("通知")
    assert tiny.signature is not None and similarity(tiny.signature, tiny.signature) == 1.0
    assert fingerprint("。，！").signature is None
    assert (
        similarity(
            fingerprint("关于开展消防检查的通知").signature,
            fingerprint("关于开展燃气检查的通知").signature,
        )
        < THRESHOLD
    )


def test_canonical_order():
    mirror_early = Candidate(1, official=False, published_at="2024-01-01", warnings=0)
    official_late = Candidate(2, official=True, published_at="2024-03-01", warnings=5)
    official_early = Candidate(3, official=True, published_at="2024-02-01T10:00", warnings=5)
    official_clean = Candidate(4, official=True, published_at="2024-02-01T10:00", warnings=0)
    undated = Candidate(5, official=True, published_at=None, warnings=0)
    assert choose([mirror_early, official_late]) == official_late
    assert choose([official_late, official_early, undated]) == official_early
    assert choose([official_early, official_clean]) == official_clean


def test_official_copy_rules():
    assert is_official("http://www.dg.gov.cn/a.html", None)
    assert is_official("https://GOV.CN/x", None)
    assert not is_official("http://dg.gov.cn.12ap.com/a.html", None)
    assert is_official("http://127.0.0.1:9/a.html", "4419000001")
    assert site_id_code_in(b'<meta content="4419000001" name="SiteIDCode">') == "4419000001"
    assert site_id_code_in(b"<meta name='siteidcode' content='123'>") == "123"
    assert site_id_code_in(b'<meta name="SiteName" content="x">') is None
