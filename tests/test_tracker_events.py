"""tracker.track: the change events recorded for real seed texts edited by the test.

Whitespace-, script- and furniture-only edits store a version with a significance-0 event;
a changed figure, a deleted or moved paragraph and an attachment change are what they are;
a soft 404 is a removal; and traditional and simplified copies of one edit give one event.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import pytest

from extractor.model import Attachment, Extraction
from storage.db import Database, open_database
from storage.models import ChangeEvent, Version, utcnow
from storage.queries import list_changes
from storage.runs import finish_run, start_run
from tracker.diff import diff_texts
from tracker.observations import Page
from tracker.track import Tracker

SEEDS = Path(__file__).resolve().parents[2] / "shared" / "seeds"
URL = "http://www.changan.gov.cn/zwgk/gzbg/content/post_4400123.html"
TITLE = "2024年长安镇政府工作报告"
PDF = {
    "url": "http://www.changan.gov.cn/attachment/0/403/403768/4501595.pdf",
    "text": "报告全文.pdf",
}


def seed(prefix: str) -> str:
    path = next(iter(sorted(SEEDS.glob(f"{prefix}_*.txt"))), None)
    if path is None:
        pytest.skip(f"seed texts not found in {SEEDS}")
    return path.read_text(encoding="utf-8")


def opencc(config: str):
    return pytest.importorskip("opencc").OpenCC(config)


def page(
    text: str,
    *,
    title: str = TITLE,
    attachments: list[dict[str, str]] | None = None,
    soft_404: str | None = None,
    status: int = 200,
) -> Page:
    extraction = Extraction(
        title=title,
        text=text,
        text_simplified=text,
        attachments=[Attachment(a["url"], a["text"]) for a in attachments or []],
    )
    return Page(
        url=URL,
        final_url=URL,
        status=status,
        headers={"content-type": "text/html; charset=utf-8"},
        body=text.encode("utf-8"),
        fetched_at=utcnow(),
        extraction=extraction if status == 200 else None,
        soft_404=soft_404,
    )


@dataclass
class Watched:
    """One document observed crawl after crawl, as the pipeline does."""

    db: Database
    source: str = "changan"

    def crawl(self, observed: Page) -> str:
        run = start_run(self.db, self.source)
        outcome = Tracker(self.db, run).observe_page(observed)
        finish_run(self.db, run.run_id, reason="finished", pages=1)
        return outcome

    def events(self) -> list[dict]:
        with self.db.reader() as session:
            return list(reversed(list_changes(session, source=self.source)))

    def versions(self) -> list[Version]:
        with self.db.reader() as session:
            return list(session.query(Version).order_by(Version.id))

    def last_diff_ops(self) -> dict[str, list[str]]:
        old, new = self.versions()[-2:]
        diff = diff_texts(old.text, new.text)
        ops: dict[str, list[str]] = {}
        for op in diff.ops:
            if op.kind != "equal":
                ops.setdefault(f"{op.kind}{'-' + op.side if op.side else ''}", []).append(op.text)
        return ops


@pytest.fixture
def watched(sqlite_url: str) -> Watched:
    return Watched(open_database(sqlite_url))


def first_then(watched: Watched, old: Page, new: Page) -> dict:
    """The event the second crawl records (the first is the quiet baseline)."""
    assert watched.crawl(old) == "new"
    watched.crawl(new)
    events = watched.events()
    assert len(events) <= 1, events
    return events[0] if events else {}


def test_whitespace_script_and_furniture_edits_score_zero(watched: Watched) -> None:
    report = seed("001")
    traditional = opencc("s2t").convert(report)
    spaced = traditional.replace("。", "。 ").replace("\n", "\n\n")
    counted = spaced + "\n浏览次数：1024　更新时间：2026-11-23"
    recounted = spaced + "\n浏览次数：1187　更新时间：2026-11-24"
    assert watched.crawl(page(report)) == "new"
    for text in (traditional, spaced, counted, recounted):
        assert watched.crawl(page(text)) == "changed"  # the text did change: a version
    events = watched.events()
    assert [e["significance"] for e in events] == [0.0] * 4
    assert events[0]["reasons"] == ["only whitespace, character width or script changed"]
    assert events[1]["reasons"] == ["only whitespace, character width or script changed"]
    assert events[2]["reasons"] == ["only page furniture changed (view counter, last-updated date)"]
    assert events[3]["reasons"] == events[2]["reasons"]
    assert len(watched.versions()) == 5


def test_changed_figure_is_significant_and_the_diff_is_that_number(watched: Watched) -> None:
    report = seed("003")
    assert "965.2億元" in report
    event = first_then(watched, page(report), page(report.replace("965.2億元", "985.2億元", 1)))
    assert event["kind"] == "changed"
    assert event["significance"] >= 0.5
    assert "figures changed: GDP 965.2亿元 → 985.2亿元" in event["reasons"]
    assert watched.last_diff_ops() == {"delete": ["965.2"], "insert": ["985.2"]}


def test_deleted_paragraph_is_one_deletion(watched: Watched) -> None:
    paragraphs = seed("001").split("\n")
    removed = paragraphs.pop(10)
    event = first_then(
        watched,
        page("\n".join([*paragraphs[:10], removed, *paragraphs[10:]])),
        page("\n".join(paragraphs)),
    )
    assert event["significance"] >= 0.5 and "1 paragraph removed" in event["reasons"]
    assert watched.last_diff_ops() == {"delete": [removed + "\n"]}


def test_moved_paragraph_is_one_move(watched: Watched) -> None:
    paragraphs = seed("001").split("\n")
    moved = paragraphs[4]
    edited = [*paragraphs[:4], *paragraphs[5:25], moved, *paragraphs[25:]]
    event = first_then(watched, page("\n".join(paragraphs)), page("\n".join(edited)))
    assert event["reasons"] == ["1 paragraph moved"]
    assert 0 < event["significance"] < 0.5
    assert watched.last_diff_ops() == {"move-old": [moved + "\n"], "move-new": [moved + "\n"]}


def test_soft_404_is_removed_and_the_return_restored(watched: Watched) -> None:
    report = seed("001")
    watched.crawl(page(report))
    soft_404 = page("", title="页面不存在", soft_404="error page: 页面不存在")
    assert watched.crawl(soft_404) == "error"  # gone once: a removal if the next run agrees
    assert watched.crawl(soft_404) == "removed"
    assert watched.crawl(page("", status=404)) == "unchanged"  # still gone: no second event
    assert watched.crawl(page(report)) == "restored"
    events = watched.events()
    assert [e["kind"] for e in events] == ["removed", "restored"]
    assert events[0]["reasons"] == ["error page: 页面不存在"]


def test_gone_for_one_run_is_no_event(watched: Watched) -> None:
    report = seed("001")
    watched.crawl(page(report))
    assert watched.crawl(page("", status=404)) == "error"
    assert watched.crawl(page(report)) == "unchanged"
    assert watched.events() == []
    assert len(watched.versions()) == 1  # the error page never became a version


@pytest.mark.parametrize(
    ("before", "after", "reason"),
    [
        ([], [PDF], "attachment added: 报告全文.pdf"),
        ([PDF], [], "attachment removed: 报告全文.pdf"),
        (
            [PDF],
            [{**PDF, "url": PDF["url"].replace("4501595", "4509999")}],
            "attachment replaced: 报告全文.pdf → 4509999.pdf",
        ),
    ],
)
def test_attachment_changes_are_significant(
    watched: Watched, before: list, after: list, reason: str
) -> None:
    report = seed("001")
    event = first_then(watched, page(report, attachments=before), page(report, attachments=after))
    assert event["kind"] == "changed"
    assert event["significance"] >= 0.7
    assert event["reasons"] == [reason]
    assert (event["chars_added"], event["chars_removed"]) == (0, 0)


def test_same_attachments_and_text_are_unchanged(watched: Watched) -> None:
    report = seed("001")
    watched.crawl(page(report, attachments=[PDF]))
    assert watched.crawl(page(report, attachments=[PDF])) == "unchanged"
    assert watched.events() == []


def _edits(text: str) -> dict[str, str]:
    """The same edits, whatever the script: by paragraph position and by figure."""
    paragraphs = text.split("\n")
    figure = re.search(r"\d+\.\d+", text)
    assert figure is not None
    added = paragraphs[:30] + [paragraphs[25]] + paragraphs[30:]
    moved = paragraphs[:23] + paragraphs[27:40] + paragraphs[23:27] + paragraphs[40:]
    return {
        "figure": text.replace(figure.group(), "7" + figure.group(), 1),
        "deleted": "\n".join(paragraphs[:25] + paragraphs[26:]),
        "added": "\n".join(added),
        "moved": "\n".join(moved),
        "reworded": text.replace(paragraphs[29][10:40], "", 1),
    }


@pytest.mark.parametrize("edit", ["figure", "deleted", "added", "moved", "reworded"])
def test_traditional_and_simplified_copies_give_the_same_event(sqlite_url: str, edit: str) -> None:
    traditional = seed("003")
    simplified = opencc("t2s").convert(traditional)
    assert simplified != traditional
    db = open_database(sqlite_url)
    events = []
    for source, text in (("traditional", traditional), ("simplified", simplified)):
        watched = Watched(db, source)
        events.append(first_then(watched, page(text), page(_edits(text)[edit])))
    keys = ("kind", "significance", "reasons", "chars_added", "chars_removed")
    assert [{k: e[k] for k in keys} for e in events][0] == {k: events[1][k] for k in keys}
    assert events[0]["significance"] > 0


def test_event_is_stored_with_its_reasons(watched: Watched) -> None:
    report = seed("001")
    first_then(watched, page(report), page(report, title="2024年长安镇政府工作报告（修订）"))
    with watched.db.reader() as session:
        [event] = session.query(ChangeEvent).all()
        assert event.significance >= 0.5
        assert event.reasons[0].startswith("title changed: ")
