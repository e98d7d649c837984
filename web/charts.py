"""Charts as server-rendered SVG: no scripts, every label escaped, readable on a phone.

Each chart is an inline ``<svg class="chart">`` with a 360-unit wide view box (a phone's
width at 1:1; wider screens scale it up to the stylesheet's maximum), presentation
attributes only (the Content-Security-Policy forbids inline styles), a ``<title>`` on every
mark for its exact numbers, and an ``aria-label`` that says what the chart shows.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from typing import Any

from markupsafe import Markup, escape

WIDTH = 360
COLOURS = {"new": "#2563eb", "changed": "#d97706", "removed": "#dc2626", "restored": "#16a34a"}
PLOT_LEFT, PLOT_RIGHT, PLOT_TOP = 34, 8, 18


def _svg(height: int, label: str, body: list[str]) -> Markup:
    return Markup(
        f'<svg class="chart" role="img" viewBox="0 0 {WIDTH} {height}" '
        f'xmlns="http://www.w3.org/2000/svg" aria-label="{escape(label)}">'
        + "".join(body)
        + "</svg>"
    )


def _text(
    x: float, y: float, text: str, *, anchor: str = "start", size: int = 10, fill: str = "#667085"
) -> str:
    return (
        f'<text x="{x:.1f}" y="{y:.1f}" font-size="{size}" fill="{fill}" '
        f'text-anchor="{anchor}">{escape(text)}</text>'
    )


def _axis(height: int, top: float, plot_height: float, maximum: float, unit: str) -> list[str]:
    bottom = top + plot_height
    return [
        f'<line x1="{PLOT_LEFT}" y1="{bottom:.1f}" x2="{WIDTH - PLOT_RIGHT}" y2="{bottom:.1f}" '
        'stroke="#d9dee7"/>',
        _text(PLOT_LEFT - 4, top + 8, f"{_number(maximum)}{unit}", anchor="end"),
        _text(PLOT_LEFT - 4, bottom, f"0{unit}", anchor="end"),
    ]


def _number(value: float) -> str:
    return f"{value:.0f}" if value >= 10 or value == int(value) else f"{value:.1f}"


def events_chart(source: str, days: Sequence[date], counts: dict[date, dict[str, int]]) -> Markup:
    """Stacked bars: new, changed and removed documents per day."""
    height, plot_height = 150, 100
    top = PLOT_TOP
    totals = [sum(counts.get(day, {}).values()) for day in days]
    maximum = max(totals + [1])
    step = (WIDTH - PLOT_LEFT - PLOT_RIGHT) / max(len(days), 1)
    body = [_text(0, 11, f"{source}: 每日变更 events per day", size=11, fill="#1d2430")]
    body += _axis(height, top, plot_height, maximum, "")
    for i, day in enumerate(days):
        day_counts = counts.get(day, {})
        y = top + plot_height
        for kind in ("new", "changed", "removed"):
            n = day_counts.get(kind, 0)
            if not n:
                continue
            bar = plot_height * n / maximum
            y -= bar
            body.append(
                f'<rect class="bar {kind}" x="{PLOT_LEFT + i * step:.1f}" y="{y:.1f}" '
                f'width="{max(step - 0.6, 0.8):.1f}" height="{bar:.1f}" fill="{COLOURS[kind]}">'
                f"<title>{escape(f'{day.isoformat()} {kind}: {n}')}</title></rect>"
            )
    bottom = top + plot_height
    body.append(_text(PLOT_LEFT, bottom + 12, days[0].isoformat() if days else ""))
    body.append(
        _text(WIDTH - PLOT_RIGHT, bottom + 12, days[-1].isoformat() if days else "", anchor="end")
    )
    x = PLOT_LEFT
    for kind in ("new", "changed", "removed"):
        body.append(
            f'<rect x="{x}" y="{bottom + 20}" width="8" height="8" fill="{COLOURS[kind]}"/>'
        )
        body.append(_text(x + 11, bottom + 28, kind))
        x += 62
    total = sum(totals)
    if not total:
        body.append(
            _text(
                (PLOT_LEFT + WIDTH) / 2, top + plot_height / 2, "无变更 no events", anchor="middle"
            )
        )
    label = f"{source}: {total} change events over the last {len(days)} days, by kind and day"
    return _svg(height, label, body)


def runs_chart(source: str, runs: Sequence[dict[str, Any]]) -> Markup:
    """Bars of crawl duration per run; runs with errors marked red with their count."""
    height, plot_height = 140, 90
    top = PLOT_TOP
    maximum = max([r["seconds"] for r in runs] + [1.0])
    # A few runs are narrow bars from the left, not a wall: at most 24 units each.
    step = min((WIDTH - PLOT_LEFT - PLOT_RIGHT) / max(len(runs), 1), 24)
    body = [
        _text(0, 11, f"{source}: 抓取用时与错误 crawl time and errors", size=11, fill="#1d2430")
    ]
    body += _axis(height, top, plot_height, maximum, " s")
    bottom = top + plot_height
    for i, run in enumerate(runs):
        bar = max(plot_height * run["seconds"] / maximum, 1.0)
        x = PLOT_LEFT + i * step
        failed = run["errors"] > 0 or run["status"] == "interrupted"
        note = (
            f"run {run['id']} {run['started_at']:%Y-%m-%d %H:%M}: {run['seconds']:.1f} s, "
            f"{run['errors']} errors"
        )
        body.append(
            f'<rect class="run{" failed" if failed else ""}" x="{x:.1f}" y="{bottom - bar:.1f}" '
            f'width="{max(step - 1, 1):.1f}" height="{bar:.1f}" '
            f'fill="{"#dc2626" if failed else "#94a3b8"}"><title>{escape(note)}</title></rect>'
        )
        if run["errors"] and step >= 9:
            body.append(
                _text(
                    x + step / 2,
                    bottom - bar - 2,
                    str(run["errors"]),
                    anchor="middle",
                    size=8,
                    fill="#dc2626",
                )
            )
    if runs:
        body.append(_text(PLOT_LEFT, bottom + 12, f"{runs[0]['started_at']:%m-%d}"))
    if len(runs) * step > 80:  # room for a second date that does not overlap the first
        body.append(
            _text(
                PLOT_LEFT + len(runs) * step,
                bottom + 12,
                f"{runs[-1]['started_at']:%m-%d}",
                anchor="end",
            )
        )
    errors = sum(r["errors"] for r in runs)
    body.append(_text(PLOT_LEFT, bottom + 26, f"{len(runs)} runs · {errors} errors · red: errors"))
    return _svg(
        height, f"{source}: duration of the last {len(runs)} crawl runs; {errors} errors", body
    )


def versions_chart(versions: Sequence[dict[str, Any]], changes: Sequence[dict[str, Any]]) -> Markup:
    """A document's versions on a time line; each change at its significance (0 to 1)."""
    height, plot_height = 130, 70
    top = PLOT_TOP + 4
    moments = [_parse(v["fetched_at"]) for v in versions] + [_parse(c["at"]) for c in changes]
    moments = [m for m in moments if m is not None]
    if not moments:
        return Markup("")
    first, last = min(moments), max(moments)
    span = (last - first).total_seconds() or 1.0
    left, right = PLOT_LEFT + 6, WIDTH - PLOT_RIGHT - 6

    def x_of(moment: datetime) -> float:
        return left + (right - left) * (moment - first).total_seconds() / span

    bottom = top + plot_height
    body = [_text(0, 11, "版本与重要性 versions and significance", size=11, fill="#1d2430")]
    body += _axis(height, top, plot_height, 1, "")
    body.append(
        f'<line x1="{left}" y1="{bottom + 14}" x2="{right}" y2="{bottom + 14}" stroke="#94a3b8"/>'
    )
    for v in versions:
        moment = _parse(v["fetched_at"])
        if moment is None:
            continue
        x = x_of(moment)
        note = f"v{v['version']} {moment:%Y-%m-%d %H:%M}"
        body.append(
            f'<circle class="version" cx="{x:.1f}" cy="{bottom + 14}" r="4" fill="#1f5fbf">'
            f"<title>{escape(note)}</title></circle>"
        )
        body.append(_text(x, bottom + 28, f"v{v['version']}", anchor="middle", size=9))
    for c in changes:
        moment = _parse(c["at"])
        if moment is None:
            continue
        x, y = x_of(moment), bottom - plot_height * c["significance"]
        body.append(
            f'<line x1="{x:.1f}" y1="{bottom}" x2="{x:.1f}" y2="{y:.1f}" '
            f'stroke="{COLOURS.get(c["kind"], "#667085")}"/>'
        )
        note = f"{c['kind']} {moment:%Y-%m-%d %H:%M}: significance {c['significance']:.2f}"
        body.append(
            f'<circle class="change {c["kind"]}" cx="{x:.1f}" cy="{y:.1f}" r="5" '
            f'fill="{COLOURS.get(c["kind"], "#667085")}"><title>{escape(note)}</title></circle>'
        )
    label = f"{len(versions)} versions and {len(changes)} changes with their significance"
    return _svg(height, label, body)


def _parse(moment: str | None) -> datetime | None:
    return datetime.fromisoformat(moment) if moment else None


def overview_charts(db: Any, names: Sequence[str], days: int = 90) -> list[dict[str, Markup]]:
    """Per source: its events per day and its recent runs (``db``: storage.db.Database)."""
    from storage.activity import events_per_day, recent_runs

    with db.reader() as session:
        day_list, counts = events_per_day(session, days)
        runs = recent_runs(session)
    return [
        {
            "source": name,
            "events": events_chart(name, day_list, counts.get(name, {})),
            "runs": runs_chart(name, runs.get(name, [])),
        }
        for name in names
    ]
