"""Attachments: PDF and DOCX reports become documents of their own, linked to their article.

They are tracked like pages (versions, conditional recrawls, change events); a Word 97
file is recorded as an unsupported format, not stored.
"""

from __future__ import annotations

from sqlalchemy import select

from portal import Portal
from storage.db import open_database
from storage.models import Document, Version

REPORT = [
    "一、2025年主要工作",
    "全年完成固定资产投资58.3亿元，同比增长6.1%。",
    "二、2026年目标任务",
    "计划新增就业岗位2400个，城镇登记失业率控制在3%以内。",
]


def _stored(db_url: str) -> dict[str, tuple[str | None, str, int]]:
    """url -> (parent url, latest text, number of versions)."""
    db = open_database(db_url, upgrade=False)
    try:
        with db.reader() as session:
            urls = dict(session.execute(select(Document.id, Document.url)).all())
            rows = {}
            for document in session.scalars(select(Document)):
                latest = session.scalar(
                    select(Version).where(Version.document_id == document.id)
                    .order_by(Version.number.desc()).limit(1)
                )
                rows[document.url] = (urls.get(document.parent_id), latest.text,
                                      document.version_count)
            return rows
    finally:
        db.dispose()


def test_pdf_and_docx_attachments_are_tracked_documents(cli_factory, sqlite_url):
    site = Portal(articles=12, per_page=10, seed=5)
    with site.serve() as server:
        with_pdf, with_docx, with_doc = site.articles[:3]
        site.attach(with_pdf.id, "pdf", REPORT)
        site.attach(with_docx.id, "docx")
        site.attach(with_doc.id, "doc")
        pdf_url = server.url + site.article(with_pdf.id).attachment_path
        docx_url = server.url + site.article(with_docx.id).attachment_path
        doc_url = server.url + site.article(with_doc.id).attachment_path

        cli = cli_factory(sqlite_url, start_urls=[site.listing_url])
        cli.run("crawl", "changan")
        run = cli.json("runs")[0]
        assert (run["new"], run["errors"]) == (14, 1)  # 12 articles, the PDF and the DOCX
        (error,) = cli.json("runs", "--errors", str(run["id"]))
        assert (error["url"], error["kind"]) == (doc_url, "unsupported_format")

        stored = _stored(sqlite_url)
        expected = "\n".join([with_pdf.title, *REPORT])
        assert stored[pdf_url] == (server.url + with_pdf.path, expected, 1)
        parent, text, _ = stored[docx_url]
        assert parent == server.url + with_docx.path
        assert text.split("\n")[1:] == site.article(with_docx.id).attachment_text
        titles = {d["url"]: d["title"] for d in cli.json("documents")}
        assert (titles[pdf_url], titles[docx_url]) == (with_pdf.title, with_docx.title)

        # Only the PDF changes: its new text is a new version and a change event, while the
        # article and the DOCX answer 304.
        site.edit_attachment(with_pdf.id, replace=("58.3亿元", "61.9亿元"))
        site.clear_requests()
        cli.run("crawl", "changan")
        run = cli.json("runs")[0]
        assert (run["changed"], run["new"], run["unchanged"], run["errors"]) == (1, 0, 13, 0)
        statuses = {r.path: r.status for r in site.requests}
        assert statuses[site.article(with_pdf.id).attachment_path] == 200
        assert statuses[site.article(with_docx.id).attachment_path] == 304
        assert statuses[with_pdf.path] == 304
        (change,) = cli.json("changes")
        assert change["url"] == pdf_url and change["kind"] == "changed"
        parent, text, versions = _stored(sqlite_url)[pdf_url]
        assert versions == 2 and "61.9亿元" in text and "58.3亿元" not in text
