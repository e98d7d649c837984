"""Encodings decided from the bytes: UTF-8, GBK/GB18030 and Big5, declared wrongly or not at all."""

from __future__ import annotations

from extractor import extract
from extractor.encoding import decode

BODY = "<p>深入贯彻落实党的二十大精神，推动经济社会高质量发展，全面完成年度目标任务。</p>" * 3
BODY_TRAD = "<p>深入貫徹落實黨的二十大精神，推動經濟社會高質量發展，全面完成年度目標任務。</p>" * 3


def page(body: str, head: str = "", title: str = "政府工作报告 - 某市人民政府") -> str:
    return f"<html><head>{head}<title>{title}</title></head><body>{body}</body></html>"


TITLE_TRAD = "政府工作報告 - 某市人民政府"


def test_utf8_without_declaration() -> None:
    result = extract(page(BODY).encode("utf-8"))
    assert result.encoding == "utf-8"
    assert "高质量发展" in result.text


def test_gbk_declared_as_utf8() -> None:
    data = page(BODY, '<meta charset="utf-8">').encode("gbk")
    result = extract(data)
    assert result.encoding == "gb18030"
    assert "高质量发展" in result.text


def test_gb2312_declared_maps_to_gb18030() -> None:
    data = page(BODY, '<meta http-equiv="Content-Type" content="text/html; charset=gb2312">')
    result = extract(data.encode("gb18030"))
    assert result.encoding == "gb18030"
    assert "二十大精神" in result.text


def test_gbk_without_declaration() -> None:
    result = extract(page(BODY).encode("gbk"))
    assert result.encoding == "gb18030"
    assert "年度目标任务" in result.text


def test_wrong_header_charset_loses_to_the_bytes() -> None:
    data = page(BODY, '<meta charset="gbk">').encode("gbk")
    result = extract(data, content_type="text/html; charset=iso-8859-1")
    assert "年度目标任务" in result.text


def test_big5_declared() -> None:
    data = page(BODY_TRAD, '<meta charset="big5">', TITLE_TRAD).encode("big5")
    result = extract(data)
    assert result.encoding == "big5hkscs"
    assert "經濟社會高質量發展" in result.text
    assert "经济社会高质量发展" in result.text_simplified


def test_big5_without_declaration() -> None:
    text, name, _ = decode(page(BODY_TRAD, title=TITLE_TRAD).encode("big5"))
    assert name == "big5hkscs"
    assert "經濟社會高質量發展" in text


def test_big5_declared_as_gbk() -> None:
    data = page(BODY_TRAD, '<meta charset="gbk">', TITLE_TRAD).encode("big5")
    result = extract(data)
    assert "經濟社會高質量發展" in result.text


def test_utf8_bom() -> None:
    text, name, _ = decode(b"\xef\xbb\xbf" + page(BODY).encode("utf-8"))
    assert name == "utf-8" and text.startswith("<html>")


def test_damaged_gbk_is_decoded_with_a_warning() -> None:
    data = page(BODY).encode("gbk")
    cut = data.index("高".encode("gbk"))
    result = extract(data[:cut] + b"\xff" + data[cut:])
    assert result.encoding == "gb18030"
    assert "年度目标任务" in result.text
    assert any(w["kind"] == "encoding" for w in result.warnings)
