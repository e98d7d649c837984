"""Charts on the overview and the document page: server-rendered SVG with exact numbers."""

from __future__ import annotations

from datetime import UTC, date, datetime

import lxml.html

from web.charts import events_chart, runs_chart


def test_overview_charts_count_events_and_runs(client, corpus):
    tree = lxml.html.fromstring(client.get("/").text)
    [events] = tree.cssselect("figure.chart-events svg.chart")
    [runs] = tree.cssselect("figure.chart-runs svg.chart")
    titles = [t.text for t in events.iter("title")]
    today = datetime.now(UTC).date().isoformat()
    # The corpus: two new documents, one changed, one removed, all today.
    assert sorted(titles) == sorted(
        [f"{today} new: 2", f"{today} changed: 1", f"{today} removed: 1"]
    )
    assert "4 change events over the last 90 days" in events.get("aria-label")
    assert len(runs.cssselect("rect.run")) == 6  # six recorded runs (a removal takes two)
    assert "6 crawl runs" in runs.get("aria-label")


def test_document_timeline_shows_versions_and_significance(client, corpus):
    tree = lxml.html.fromstring(client.get(f"/documents/{corpus.report_id}").text)
    [chart] = tree.cssselect("figure.chart-versions svg.chart")
    assert len(chart.cssselect("circle.version")) == 2
    [change] = chart.cssselect("circle.change")
    assert "changed" in change.get("class")
    assert "significance" in change.findtext("title")


def test_labels_are_escaped():
    day = date(2026, 12, 1)
    svg = str(events_chart("<script>alert(1)</script>", [day], {day: {"new": 1}}))
    assert "<script>" not in svg and "&lt;script&gt;" in svg
    run = {
        "id": 1,
        "started_at": datetime(2026, 12, 1, tzinfo=UTC),
        "seconds": 2.0,
        "errors": 3,
        "status": "finished",
    }
    rendered = str(runs_chart('"><b>x', [run]))
    assert '"><b>' not in rendered and 'rect class="run failed"' in rendered
