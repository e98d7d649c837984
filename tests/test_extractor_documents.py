"""Attachments to text: PDF and DOCX read, .doc/.wps recognised and refused, junk survived."""

from __future__ import annotations

import pytest

from extractor.documents import UNREADABLE, UNSUPPORTED, document_format, extract_document
from portal import documents

TITLE = "长安镇2025年政府工作报告"
PARAGRAPHS = [
    "一、2025年工作回顾",
    "全镇地区生产总值达到386.7亿元，同比增长5.2%。",
    "二、2026年工作安排",
    "新建改建道路12.4公里，完成老旧小区改造8个。",
]


@pytest.mark.parametrize("kind", ["pdf", "docx"])
def test_generated_documents_read_back_exactly(kind):
    data = documents.WRITERS[kind](TITLE, PARAGRAPHS)
    assert document_format("http://x.gov.cn/a/1." + kind, "application/octet-stream", data) == kind
    result = extract_document(data, "http://x.gov.cn/a/1." + kind, kind=kind)
    assert result.title == TITLE
    assert result.text.split("\n") == [TITLE, *PARAGRAPHS]
    assert result.text_simplified == result.text
    assert not [w for w in result.warnings if w["kind"] in (UNSUPPORTED, UNREADABLE)]


def test_long_pdf_spans_pages_and_keeps_order():
    paragraphs = [f"第{i}条，本办法自发布之日起施行，编号{i:04d}。" for i in range(95)]
    data = documents.pdf(TITLE, paragraphs)
    assert data.count(b"/Type /Page ") == 3
    assert extract_document(data, kind="pdf").text.split("\n")[1:] == paragraphs


def test_format_is_decided_by_bytes_before_headers_and_names():
    pdf = documents.pdf(TITLE, PARAGRAPHS)
    # a PDF served as octet-stream under a download script's URL
    assert document_format("http://x/module/download/downfile.jsp?id=3", "", pdf) == "pdf"
    assert document_format("http://x/a.wps", "application/octet-stream",
                           documents.doc(TITLE, PARAGRAPHS)) == "wps"
    assert document_format("http://x/a.doc", "", documents.doc(TITLE, PARAGRAPHS)) == "doc"
    assert document_format("http://x/a.html", "text/html", b"<html></html>") is None
    # an HTML error page behind a .pdf link is not a PDF
    assert document_format("http://x/a.pdf", "application/octet-stream", b"<html>404") is None
    assert document_format("http://x/a.bin", "application/octet-stream", b"\x00\x01") is None


def test_word_97_is_recorded_as_unsupported_and_broken_files_as_unreadable():
    doc = extract_document(documents.doc(TITLE, PARAGRAPHS), kind="doc")
    assert doc.text == "" and doc.warnings[0]["kind"] == UNSUPPORTED
    broken = extract_document(b"%PDF-1.4\n garbage", kind="pdf")
    assert broken.text == "" and broken.warnings[0]["kind"] == UNREADABLE
    truncated = documents.docx(TITLE, PARAGRAPHS)[:300]
    assert extract_document(truncated, kind="docx").warnings[0]["kind"] == UNREADABLE
