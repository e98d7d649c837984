"""The tracker with second fetches: a suspect change is held, then believed or dropped."""

from dataclasses import replace

from sqlalchemy import select

from extractor.model import Extraction
from storage.db import open_database
from storage.models import ChangeEvent, CrawlError, Version, utcnow
from storage.runs import finish_run, start_run
from tracker.observations import Page
from tracker.track import Tracker

URL = "http://www.changan.gov.cn/zwgk/content/post_1.html"
REPORT = "\n".join(f"第{n}段：全镇规模以上工业增加值增长百分之{n}点三，各项工作稳步推进。"
                   for n in range(1, 9))
NOTICE = "根据上级部署，本文件自2026年12月1日起废止。"


def _page(text: str) -> Page:
    return Page(URL, URL, 200, {"content-type": "text/html; charset=utf-8"},
                text.encode("utf-8"), utcnow(),
                extraction=Extraction(title="通知", published_at="2026-11-20", text=text,
                                      text_simplified=text))


def _run(db, *pages: Page) -> list[str]:  # noqa: ANN001
    run = start_run(db, "changan")
    tracker = Tracker(db, run, confirm=True)
    outcomes = [tracker.observe_page(p) for p in pages]
    finish_run(db, run.run_id, reason="finished", pages=len(pages))
    return outcomes


def _counts(db) -> tuple[int, int, list[str]]:  # noqa: ANN001
    with db.reader() as session:
        versions = len(session.scalars(select(Version)).all())
        events = len(session.scalars(select(ChangeEvent)).all())
        errors = [e.kind for e in session.scalars(select(CrawlError).order_by(CrawlError.id))]
    return versions, events, errors


def test_held_then_believed_or_dropped(db_url):
    db = open_database(db_url)
    try:
        _run(db, _page(REPORT))
        first = _page(NOTICE)
        assert _run(db, first) == ["suspect"]  # nothing recorded: the caller fetches again
        assert first.suspicion is not None and _counts(db) == (1, 0, [])

        # The second fetch shows the stored text again: an error of the run, no event.
        again = replace(_page(REPORT), confirming=first.suspicion)
        assert _run(db, again) == ["unchanged"]
        assert _counts(db) == (1, 0, ["transient_change"])

        # The second fetch shows the same short notice: a real change, recorded once.
        first = _page(NOTICE)
        _run(db, first)
        again = replace(_page(NOTICE), confirming=first.suspicion)
        assert _run(db, again) == ["changed"]
        assert _counts(db) == (2, 1, ["transient_change"])
    finally:
        db.dispose()
