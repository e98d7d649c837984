"""Never raise, bounded time, empty text plus a warning rather than garbage (property-based)."""

from __future__ import annotations

import time

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from extractor import Extraction, extract, extract_text

# CPU seconds per page: a bound on pathological inputs, not a speed target (that is the
# benchmark's). CPU time, not wall time, so that a busy machine does not fail it.
BOUND = 5.0
PARA = "<p>各镇街要深入贯彻落实市委市政府的决策部署，切实做好安全生产和民生保障工作。</p>"


def timed(data: bytes) -> Extraction:
    start = time.process_time()
    result = extract(data, "http://example.gov.cn/a/b.html")
    assert time.process_time() - start < BOUND
    assert isinstance(result, Extraction)
    assert isinstance(result.text, str) and isinstance(result.warnings, list)
    result.to_dict()
    return result


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.binary(max_size=4096))
def test_random_bytes(data: bytes) -> None:
    result = timed(data)
    if not result.text:
        assert result.warnings


@settings(max_examples=60, deadline=None)
@given(st.integers(min_value=0, max_value=4000), st.sampled_from(["utf-8", "gbk"]))
def test_truncated_html(cut: int, codec: str) -> None:
    body = f"<div id='zoom'>{PARA * 20}</div>"
    page = f"<html><head><title>标题</title></head><body>{body}</body></html>"
    timed(page.encode(codec)[:cut])


@settings(max_examples=60, deadline=None)
@given(st.text(max_size=2000))
def test_random_text_input(text: str) -> None:
    result = extract_text(text)
    assert isinstance(result.text, str)
    if not result.text:
        assert result.warnings


@settings(max_examples=10, deadline=None)
@given(st.integers(min_value=100, max_value=200_000), st.sampled_from(["div", "span", "table"]))
def test_deeply_nested_markup(depth: int, tag: str) -> None:
    page = f"<html><body>{f'<{tag}>' * depth}{PARA}{f'</{tag}>' * depth}</body></html>"
    timed(page.encode())


def test_random_bytes_give_empty_text_and_a_warning() -> None:
    import random

    noise = random.Random(3).randbytes(200_000)
    result = timed(noise)
    assert result.text == ""
    assert result.warnings


def test_empty_input() -> None:
    for data in (b"", b"   ", b"<html></html>"):
        result = timed(data)
        assert result.text == "" and result.warnings


def test_huge_page_is_capped() -> None:
    page = ("<html><body><div>" + PARA * 450_000 + "</div></body></html>").encode()
    assert len(page) > 50_000_000
    result = timed(page)
    assert any(w["kind"] == "truncated" for w in result.warnings)


def test_many_elements() -> None:
    page = ("<html><body>" + "<div><a href='#'>x</a></div>" * 300_000 + "</body></html>").encode()
    timed(page)


def test_huge_text_input_is_capped() -> None:
    start = time.process_time()
    result = extract_text("經(jīng)濟發(fā)展,,穩中求進。" * 400_000)
    assert time.process_time() - start < 3 * BOUND
    assert any(w["kind"] == "truncated" for w in result.warnings)
    assert "(jīng)" not in result.text[:1000]
