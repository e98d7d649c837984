"""Government documents as documents, end to end: a policy declared 废止 is one alert that
says so; the same document on two portals is linked to the issuer's copy; citations link
documents both ways; documents are found by 文号, issuing body, validity and dates."""

from __future__ import annotations

from dataclasses import replace

import pytest

from portal import Portal
from portal.govdocs import GovDoc

ISSUER = "长安镇人民政府办公室"
POLICY = GovDoc(
    number="长府办〔2024〕12号",
    issuers=(ISSUER,),
    written="2024-03-05",
    index_number="007330010/2024-00012",
    topic="城乡建设",
    layout="hanweb",
)
POLICY_TITLE = "长安镇人民政府办公室关于印发长安镇老旧小区改造实施办法的通知"
POLICY_TEXT = [
    "各社区居委会，镇直各单位：",
    "现将《长安镇老旧小区改造实施办法》印发给你们，请认真贯彻执行。",
    "改造资金由镇财政统筹安排，2024年安排专项资金1200万元。",
]
CITING_TITLE = "长安镇人民政府办公室关于做好2025年老旧小区改造工作的通知"
CITING_TEXT = [
    "各社区居委会：",
    "根据《长安镇人民政府办公室关于印发长安镇老旧小区改造实施办法的通知》"
    "（长府办〔2024〕12号）要求，现就2025年改造工作通知如下。",
]


@pytest.fixture
def small_portal():
    site = Portal(articles=3, per_page=10, seed=11)
    with site.serve(host="127.0.0.1", port=0):
        yield site


def test_validity_flip_is_one_alert_that_names_the_status_change(
    small_portal, sink, cli_factory, sqlite_url
):
    policy = small_portal.publish_document(POLICY_TITLE, POLICY_TEXT, POLICY)
    cli = cli_factory(sqlite_url, start_urls=[small_portal.listing_url], notify=[sink.url])
    url = small_portal.url(policy.id)

    cli.run("crawl", "changan")
    assert len(sink.wait_for(1)) == 1  # the baseline summary
    stored = next(d for d in cli.json("documents") if d["url"] == url)
    assert stored["document_number"] == "长府办〔2024〕12号"
    assert stored["issuing_authority"] == [ISSUER]
    assert stored["written_date"] == "2024-03-05"
    assert stored["validity"] == "有效"

    small_portal.set_validity(policy.id, "废止", notice="本文件已于2026年11月30日废止。")
    cli.run("crawl", "changan")
    messages = sink.wait_for(2)
    assert len(messages) == 2
    alert = messages[1]
    assert "状态变更：有效 → 废止" in alert["title"]
    assert "状态变更：有效 → 废止" in alert["message"]
    assert "长府办〔2024〕12号" in alert["message"]
    changes = cli.json("changes")
    assert len(changes) == 1 and changes[0]["url"] == url
    assert changes[0]["significance"] == 1.0
    assert changes[0]["reasons"][0] == "状态变更：有效 → 废止"
    notice = "废止通知：本文件已于2026年11月30日废止"
    assert any(r.startswith(notice) for r in changes[0]["reasons"])

    # An unchanged recrawl adds nothing; the filter finds the abolished document.
    cli.run("crawl", "changan")
    assert len(cli.json("changes")) == 1
    assert len(sink.messages) == 2
    abolished = cli.json("documents", "--validity", "废止")
    assert [d["url"] for d in abolished] == [url]


def _observe(db, source: str, url: str, body: bytes) -> str:
    """Store a fetched page through the real extractor and tracker (no crawl)."""
    from extractor import extract
    from storage.models import utcnow
    from storage.runs import finish_run, start_run
    from tracker.observations import Page
    from tracker.track import Tracker

    page = Page(
        url=url,
        final_url=url,
        status=200,
        headers={"content-type": "text/html; charset=utf-8"},
        body=body,
        fetched_at=utcnow(),
        extraction=extract(body, url),
    )
    run = start_run(db, source)
    outcome = Tracker(db, run).observe_page(page)
    finish_run(db, run.run_id, reason="finished", pages=1)
    return outcome


def _page(site: Portal, article_id: int) -> bytes:
    import urllib.request

    with urllib.request.urlopen(site.url(article_id), timeout=10) as response:
        return response.read()


def test_copies_across_portals_citations_and_field_filters(db_url, tmp_path):
    from corpus.govdocs import cited_by, cites, copies, field_filter
    from storage.db import open_database
    from storage.models import Document
    from storage.queries import list_documents

    issuer_site = Portal(
        articles=1, seed=3, site_name="长安镇人民政府", host_name="www.changan.gov.cn"
    )
    county = Portal(articles=1, seed=4, site_name="东莞市人民政府", host_name="www.dg.gov.cn")
    with issuer_site.serve(), county.serve():
        own = issuer_site.publish_document(POLICY_TITLE, POLICY_TEXT, POLICY)
        # The county portal reposts it: another layout, the same 文号 and issuing body.
        repost = county.publish_document(
            POLICY_TITLE, POLICY_TEXT, replace(POLICY, layout="gkmlpt"), source=ISSUER
        )
        other = county.publish_document(
            "东莞市人民政府办公室关于加强燃气安全管理的通知",
            ["各镇人民政府：", "为加强燃气安全管理，现就有关事项通知如下。"],
            GovDoc(number="东府办〔2024〕12号", issuers=("东莞市人民政府办公室",),
                   written="2024-05-01", layout="trs"),
        )
        citing = issuer_site.publish_document(
            CITING_TITLE, CITING_TEXT,
            GovDoc(number="长府办〔2025〕3号", issuers=(ISSUER,), written="2025-02-10",
                   layout="dl"),
        )
        pages = [
            ("changan", issuer_site.url(own.id), _page(issuer_site, own.id)),
            ("dongguan", county.url(repost.id), _page(county, repost.id)),
            ("dongguan", county.url(other.id), _page(county, other.id)),
            ("changan", issuer_site.url(citing.id), _page(issuer_site, citing.id)),
        ]
    db = open_database(db_url)
    try:
        for source, url, body in pages:
            assert _observe(db, source, url, body) == "new"
        with db.reader() as session:
            ids = {d.url: d.id for d in session.query(Document)}
            own_id, repost_id, other_id, citing_id = (ids[url] for _s, url, _b in pages)

            # The same 文号 from another issuer (东府办 vs 长府办 differ; same number 12) is
            # not a copy; the repost is, and the issuer's own site holds the canonical copy.
            linked = copies(session, repost_id)
            assert linked["linked_by"] == "document_number"
            assert {c["document_id"] for c in linked["copies"]} == {own_id, repost_id}
            assert linked["canonical_document_id"] == own_id
            assert copies(session, other_id)["copies"] == []

            # Citations, both ways, resolved to the canonical stored copy.
            assert cites(session, citing_id) == [
                {
                    "title": POLICY_TITLE,
                    "document_number": "长府办〔2024〕12号",
                    "document_id": own_id,
                }
            ]
            assert {c["document_id"] for c in cited_by(session, own_id)} == {citing_id}
            assert cited_by(session, citing_id) == []

            # Finding by field: any printed form of the 文号, part of an issuing body, dates.
            def found(**given: object) -> set[int]:
                return {d["id"] for d in list_documents(session, fields=field_filter(**given))}

            assert found(number="长府办[2024]第12号") == {own_id, repost_id}
            assert found(issuer="东莞市人民政府") == {other_id}
            assert found(issuer=ISSUER) == {own_id, repost_id, citing_id}
            from datetime import date

            assert found(written_from=date(2025, 1, 1)) == {citing_id}
            assert found(validity="有效") == {own_id, repost_id, other_id, citing_id}
        _check_web(db, own_id, repost_id, citing_id)
        _check_export(db, tmp_path / "corpus.jsonl", pages[0][1], pages[1][1])
    finally:
        db.dispose()


def _check_web(db, own_id: int, repost_id: int, citing_id: int) -> None:  # noqa: ANN001
    """The API returns the fields, copies and citations; the pages show them, escaped."""
    from fastapi.testclient import TestClient
    from web_corpus import web_config

    from web.app import create_app

    with TestClient(create_app(web_config(), db)) as client:
        listed = client.get("/api/documents", params={"number": "长府办（2024）12号"}).json()
        assert {d["id"] for d in listed} == {own_id, repost_id}
        assert all(d["issuing_authority"] == [ISSUER] for d in listed)
        detail = client.get(f"/api/documents/{repost_id}").json()
        assert detail["fields"]["document_number"] == "长府办〔2024〕12号"
        assert detail["linked_by"] == "document_number"
        assert detail["canonical_document_id"] == own_id
        cited = client.get(f"/api/documents/{own_id}").json()["cited_by"]
        assert [c["document_id"] for c in cited] == [citing_id]
        cites = client.get(f"/api/documents/{citing_id}").json()["cites"]
        assert [c["document_id"] for c in cites] == [own_id]
        hits = client.get("/api/search", params={"issuer": "长安镇", "written_to": "2024-12-31"})
        assert {h["document_id"] for h in hits.json()} == {own_id, repost_id}
        assert client.get("/api/search").status_code == 422

        page = client.get(f"/documents/{repost_id}").text
        assert "长府办〔2024〕12号" in page and f'href="/documents/{own_id}"' in page
        assert "权威版本 canonical" in page
        page = client.get(f"/documents/{own_id}").text
        assert "被引用 Cited by" in page and f'href="/documents/{citing_id}"' in page
        found = client.get("/search", params={"number": "长府办[2024]12号", "validity": "有效"})
        assert f"/documents/{own_id}?" in found.text
        assert f"/documents/{citing_id}?" not in found.text


def _fields(recorder, url: str, text: str, **fields: object) -> str:  # noqa: ANN001
    """Record a version of a policy page with the given document fields (no crawl)."""
    from extractor.model import Extraction
    from extractor.textclean import to_simplified
    from storage.models import utcnow
    from storage.runs import finish_run, start_run
    from tracker.observations import Page
    from tracker.track import Tracker

    extraction = Extraction(
        title=POLICY_TITLE, text=text, text_simplified=to_simplified(text), **fields
    )
    page = Page(url=url, final_url=url, status=200, headers={}, body=text.encode(),
                fetched_at=utcnow(), extraction=extraction)
    run = start_run(recorder.db, "changan")
    outcome = Tracker(recorder.db, run).observe_page(page)
    finish_run(recorder.db, run.run_id, reason="finished", pages=1)
    return outcome


def test_a_field_alone_changing_is_a_change_and_old_versions_are_filled_in(recorder):
    from sqlalchemy import select, update

    from storage.models import ChangeEvent, Version

    url = "http://www.changan.gov.cn/zwgk/content/post_9.html"
    text = "\n".join(POLICY_TEXT)
    given = {
        "document_number": "长府办〔2024〕12号",
        "validity": "有效",
        "written_date": "2024-03-05",
    }
    assert _fields(recorder, url, text, **given) == "new"
    # A version stored before the fields were read: unknown, so filled in, not compared.
    with recorder.db.transaction() as session:
        session.execute(
            update(Version).values(fields_read=False, document_number=None, validity=None)
        )
    assert _fields(recorder, url, text, **given) == "unchanged"
    with recorder.db.reader() as session:
        (version,) = session.scalars(select(Version)).all()
        assert (version.document_number, version.validity) == ("长府办〔2024〕12号", "有效")
        assert version.fields_read

    # Only the table's 有效性 and 成文日期 change: a change, scored high, saying so.
    flipped = {**given, "validity": "失效", "written_date": "2024-03-06"}
    assert _fields(recorder, url, text, **flipped) == "changed"
    with recorder.db.reader() as session:
        (event,) = session.scalars(select(ChangeEvent)).all()
        assert event.significance == 1.0
        assert event.reasons == ["状态变更：有效 → 失效", "成文日期变更：2024-03-05 → 2024-03-06"]
        document_id = event.document_id

    # The diff of the two versions (API and page) names the field changes too.
    from fastapi.testclient import TestClient
    from web_corpus import web_config

    from web.app import create_app

    with TestClient(create_app(web_config(), recorder.db)) as client:
        diff = client.get(f"/api/documents/{document_id}/diff").json()
        assert diff["reasons"][0] == "状态变更：有效 → 失效"
        assert "状态变更：有效 → 失效" in client.get(f"/documents/{document_id}/diff").text


def _check_export(db, path, own_url: str, repost_url: str) -> None:  # noqa: ANN001
    """The corpus export carries the fields, and a copy names the issuer's own copy."""
    import json

    from corpus.export import Format, export

    export(db, path, Format.jsonl)
    records = {r["url"]: r for r in map(json.loads, path.read_text("utf-8").splitlines())}
    assert records[repost_url]["document_number"] == "长府办〔2024〕12号"
    assert records[repost_url]["issuing_authority"] == [ISSUER]
    assert records[repost_url]["validity"] == "有效"
    assert records[repost_url]["copy_of_url"] == own_url
    assert records[own_url]["copy_of_url"] is None


def test_storage_and_extractor_name_the_same_fields():
    from extractor.model import DOCUMENT_FIELDS
    from storage.govdocs import DOCUMENT_COLUMNS

    assert DOCUMENT_COLUMNS == DOCUMENT_FIELDS
