"""Field-level accuracy of the government document fields, per metadata-table layout.

Usage: .venv/bin/python benchmarks/metadata.py [--per-layout N] [--seed S] [--real DIR]

Pages come from the portal simulator's policy documents (portal/govdocs.py): every layout,
with each field present or absent at random, 文号 printed in its three bracket forms, one or
two issuing bodies, the 文号 line and the 落款 present or not, and plain articles without any
table ("none"). A field is right when the extracted value equals the page's own, None
included: a value on a page that does not show the field counts as *invented*.

The peer, in the same run: trafilatura 2.3.1's metadata (``extract_metadata``), which has
two of these fields: the publication date (``date``, compared by day) and keywords
(``tags``). The other fields have no counterpart in any extractor we know of. Also printed:
how often each tool's main text repeats the metadata table (a label of it in the text).

``--real DIR`` also runs over a folder of real pages (``*.html``) and counts, per field,
the pages where a value was read: there is no reference, so check them by hand.
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from collections import Counter, defaultdict
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from extractor import extract  # noqa: E402
from portal import pages  # noqa: E402
from portal.govdocs import LAYOUTS, GovDoc, expected  # noqa: E402
from portal.state import Article  # noqa: E402

FIELDS = (
    "document_number",
    "issuing_authority",
    "written_date",
    "index_number",
    "topic",
    "validity",
    "keywords",
    "published_at",
)
TABLE_LABELS = ("索引号", "主题分类", "发文机关", "成文日期", "发布机构", "有效性", "公开方式")
ISSUERS = (
    "东莞市人民政府办公室", "东莞市发展和改革局", "东莞市财政局", "东莞市生态环境局",
    "广东省人民政府办公厅", "长安镇人民政府", "东莞市住房和城乡建设局",
)
PREFIXES = ("东府办", "东府", "东发改", "粤府办", "长府", "东财", "东环")
BRACKETS = (("〔", "〕"), ("[", "]"), ("（", "）"))
TOPICS = ("综合政务", "生态环境", "城乡建设、环境保护", "财政、金融、审计", "国民经济管理")
KEYWORDS = ("环境", "保护", "财政", "预算", "规划", "安全生产", "住房")
BODY = [
    "各镇人民政府（街道办事处），市府直属各单位：",
    "根据《广东省人民政府关于加强生态环境保护工作的意见》（粤府〔2023〕45号）精神，"
    "现将有关事项通知如下，请认真贯彻执行。",
    "一、各单位要加强组织领导，明确责任分工，确保各项措施落到实处。",
    "二、执行中遇到的问题，请径向市有关部门反映。",
]
SITE = pages.Site(
    name="东莞市人民政府", host="www.dg.gov.cn", town="东莞市", id_code="4419000001",
    icp="粤ICP备12345678号", police="粤公网安备 44190002000001号",
)


def random_doc(rng: random.Random, layout: str | None) -> GovDoc:
    open_, close = rng.choice(BRACKETS)
    year = rng.randrange(2015, 2026)
    written = datetime(year, 1, 1) + timedelta(days=rng.randrange(0, 360))
    maybe = lambda value: value if rng.random() < 0.75 else None  # noqa: E731
    return GovDoc(
        number=maybe(f"{rng.choice(PREFIXES)}{open_}{year}{close}{rng.randrange(1, 300)}号"),
        issuers=tuple(rng.sample(ISSUERS, rng.choice((1, 1, 1, 2)))),
        written=maybe(written.strftime("%Y-%m-%d")),
        index_number=maybe(f"11441900{rng.randrange(10**7)}/{year}-{rng.randrange(999):05d}"),
        topic=maybe(rng.choice(TOPICS)),
        validity=rng.choice(("有效", "有效", "失效", "废止", None)),
        keywords=tuple(rng.sample(KEYWORDS, rng.randrange(0, 3))),
        layout=layout,
        number_in_text=rng.random() < 0.6,
        signed=rng.random() < 0.7,
    )


def render(doc: GovDoc | None, rng: random.Random, index: int) -> tuple[bytes, str]:
    published = datetime(2024, 1, 1, 9, 0) + timedelta(days=rng.randrange(0, 600))
    article = Article(
        id=4_400_000 + index, title="东莞市人民政府办公室关于做好有关工作的通知",
        paragraphs=list(BODY), published=published.strftime("%Y-%m-%d %H:%M"),
        modified=datetime(2024, 1, 1, tzinfo=UTC), source="东莞市人民政府办公室",
        related=(("东莞市关于做好防汛工作的通知", "/zwgk/a.html", "2024-02-01"),), govdoc=doc,
    )
    html = pages.article_page(SITE, article, "", "utf-8").encode("utf-8")
    return html, published.strftime("%Y-%m-%dT%H:%M")


def truth(doc: GovDoc | None, published: str) -> dict[str, object]:
    fields: dict[str, object] = dict.fromkeys(FIELDS)
    if doc is not None:
        fields.update(expected(doc))
    fields["published_at"] = published
    return fields


def trafilatura_fields(html: bytes) -> tuple[dict[str, object], str]:
    import trafilatura
    from trafilatura.metadata import extract_metadata

    meta = extract_metadata(html)
    text = trafilatura.extract(html) or ""
    tags = [t for t in (meta.tags or []) if t] if meta is not None else []
    return {"published_at": meta.date if meta is not None else None, "keywords": tags or None}, text


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--per-layout", type=int, default=40)
    parser.add_argument("--seed", type=int, default=16)
    parser.add_argument("--real", type=Path, default=None)
    args = parser.parse_args()
    rng = random.Random(args.seed)

    right: dict[str, Counter] = defaultdict(Counter)
    invented: Counter = Counter()
    shown: Counter = Counter()
    peer_right: Counter = Counter()
    peer_invented: Counter = Counter()
    leaks: Counter = Counter()
    pages_per_layout: Counter = Counter()
    seconds = 0.0
    for layout in (*LAYOUTS, None):
        for n in range(args.per_layout):
            doc = random_doc(rng, layout) if layout else None
            if layout is None and n % 2:
                doc = replace(random_doc(rng, None), layout=None)  # 文号 line and 落款 only
            html, published = render(doc, rng, n)
            want = truth(doc, published)
            started = time.perf_counter()
            got = extract(html)
            seconds += time.perf_counter() - started
            name = layout or "none"
            pages_per_layout[name] += 1
            leaks["govwatch"] += any(label in got.text for label in TABLE_LABELS)
            for field in FIELDS:
                value = getattr(got, field)
                right[name][field] += value == want[field]
                shown[field] += want[field] is not None
                invented[field] += want[field] is None and value is not None
            peer, peer_text = trafilatura_fields(html)
            leaks["trafilatura"] += any(label in peer_text for label in TABLE_LABELS)
            day = str(want["published_at"])[:10]
            peer_right["published_at"] += (peer["published_at"] or "")[:10] == day
            peer_right["keywords"] += peer["keywords"] == want["keywords"]
            peer_invented["keywords"] += want["keywords"] is None and peer["keywords"] is not None

    total = sum(pages_per_layout.values())
    print(f"{total} pages, {args.per_layout} per layout, seed {args.seed}; "
          f"govwatch extract: {total / seconds:.0f} pages/s\n")
    width = max(len(f) for f in FIELDS)
    header = "layout".ljust(8) + "".join(f.replace("_", " ")[:13].rjust(14) for f in FIELDS)
    print(header)
    for name in (*LAYOUTS, "none"):
        count = pages_per_layout[name]
        row = "".join(f"{right[name][f] / count:14.3f}" for f in FIELDS)
        print(name.ljust(8) + row)
    overall = "".join(f"{sum(right[n][f] for n in right) / total:14.3f}" for f in FIELDS)
    print("all".ljust(8) + overall)
    print("\ninvented (a value on a page that does not show the field):")
    for field in FIELDS:
        print(f"  {field.ljust(width)}  govwatch {invented[field]:4d} of {total - shown[field]:4d}")
    print("\npeer, same pages: trafilatura 2.3.1 extract_metadata")
    print(f"  published_at (by day)  govwatch "
          f"{sum(right[n]['published_at'] for n in right) / total:.3f}   "
          f"trafilatura {peer_right['published_at'] / total:.3f}")
    print(f"  keywords               govwatch "
          f"{sum(right[n]['keywords'] for n in right) / total:.3f}   "
          f"trafilatura {peer_right['keywords'] / total:.3f} "
          f"(invented on {peer_invented['keywords']} pages)")
    print("  other fields           trafilatura has no such field")
    print(f"\nmain text repeats the metadata table: govwatch {leaks['govwatch']} of {total} pages, "
          f"trafilatura {leaks['trafilatura']} of {total}")
    if args.real:
        real(args.real)


def real(folder: Path) -> None:
    found: Counter = Counter()
    files = sorted(folder.glob("*.html"))
    for path in files:
        got = extract(path.read_bytes())
        for field in FIELDS[:-1]:
            found[field] += getattr(got, field) is not None
    print(f"\nreal pages in {folder}: {len(files)}; pages with a value (check by hand):")
    for field in FIELDS[:-1]:
        print(f"  {field}: {found[field]}")


if __name__ == "__main__":
    main()
