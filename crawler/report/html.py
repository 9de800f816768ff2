"""The coverage report as one self-contained HTML page: inline CSS and SVG, no script.

Titles, outlet names and URLs come from crawled pages: every one goes through `esc` (text
and attributes alike), links are kept only for http(s) URLs, and the page's Content Security
Policy forbids scripts and any outside resource, should anything slip through.
"""

from __future__ import annotations

import html
from datetime import UTC, datetime, timedelta

from crawler import __version__
from crawler.report.data import ArticlePoint, ReportData, SourceHealth
from crawler.stories.report import StoryRow

__all__ = ["render_html"]

# Colours told apart with common colour blindness (Okabe & Ito's palette), one per outlet.
PALETTE = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442",
           "#000000")
RUN_COLOURS = {"finished": "#009E73", "failed": "#D55E00", "interrupted": "#E69F00",
               "running": "#999999"}
# Sizes in SVG user units (CSS pixels at 100%): a timeline fills the 760px content column.
TIMELINE_WIDTH, TIMELINE_LABELS, TIMELINE_ROW = 760, 140, 22
CHART_WIDTH, CHART_HEIGHT = 320, 70
SKIPPED_REASONS_SHOWN = 6   # more would not fit a card; the rest are summed as "other"
RUNS_SHOWN = 48             # a week of hourly-ish runs; older ones are left out

CSS = """
body { font: 15px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif;
       color: #1d1d1f; background: #fafafa; margin: 0; }
main { max-width: 1100px; margin: 0 auto; padding: 24px; }
h1 { font-size: 26px; margin: 0 0 4px; } h2 { font-size: 20px; margin: 32px 0 12px; }
h3 { font-size: 16px; margin: 0 0 4px; }
.meta { color: #555; font-size: 13px; margin: 0 0 8px; }
.story, .source { background: #fff; border: 1px solid #e3e3e3; border-radius: 8px;
                  padding: 14px 16px; margin-bottom: 14px; }
.sources { display: grid; grid-template-columns: repeat(auto-fill, minmax(340px, 1fr));
           gap: 14px; }
.source { margin: 0; }
a { color: #0060a0; text-decoration: none; } a:hover { text-decoration: underline; }
svg { display: block; max-width: 100%; height: auto; }
svg text { font: 11px system-ui, sans-serif; fill: #333; }
figure { margin: 10px 0 0; } figcaption { font-size: 12px; color: #555; margin-bottom: 2px; }
.none { color: #777; font-size: 13px; font-style: italic; }
.failed { color: #b34700; }
"""


def esc(value: object) -> str:
    """Text or attribute value, escaped (quotes too)."""
    return html.escape("" if value is None else str(value), quote=True)


def safe_href(url: str | None) -> str | None:
    """A URL fit for href: http(s) only (no javascript:, data:, ...)."""
    if url and url.strip().lower().startswith(("http://", "https://")):
        return url.strip()
    return None


def render_html(data: ReportData) -> str:
    """The whole page."""
    colours = {s.source: PALETTE[i % len(PALETTE)] for i, s in enumerate(data.sources)}
    stories = "\n".join(_story(row, data.timelines.get(row.story_id, []), colours)
                        for row in data.stories)
    if not stories:
        stories = (f'<p class="none">No story covered by {data.min_sources} or more outlets '
                   f"in these {data.days} days.</p>")
    sources = "\n".join(_source(health, data) for health in data.sources)
    if not sources:
        sources = '<p class="none">No source has been crawled yet.</p>'
    until = data.until.astimezone(UTC)
    articles = sum(h.articles for h in data.sources)
    return f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Liputan coverage to {until:%Y-%m-%d %H:%M} UTC</title>
<style>{CSS}</style>
</head>
<body>
<main>
<header>
<h1>Liputan coverage</h1>
<p class="meta">{esc(data.database)} · the {data.days} day(s) to {until:%Y-%m-%d %H:%M} UTC ·
{len(data.stories)} stor{"y" if len(data.stories) == 1 else "ies"} covered by
{data.min_sources}+ outlets · {articles} article(s) first seen from {len(data.sources)}
source(s) · liputan {esc(__version__)}</p>
</header>
<section id="stories">
<h2>Stories</h2>
{stories}
</section>
<section id="sources-health">
<h2>Sources</h2>
<div class="sources">
{sources}
</div>
</section>
</main>
</body>
</html>
"""


# ------------------------------------------------------------------------------------------
# Stories


def _story(row: StoryRow, points: list[ArticlePoint], colours: dict[str, str]) -> str:
    first = points[0] if points else None
    title = esc(row.title or "(untitled)")
    href = safe_href(first.url) if first else None
    heading = f'<a href="{esc(href)}">{title}</a>' if href else title
    outlets = ", ".join(esc(s) for s in row.sources)
    return f"""<article class="story" id="story-{row.story_id}">
<h3>{heading}</h3>
<p class="meta">story {row.story_id} · {row.article_count} article(s) from {row.source_count}
outlet(s): {outlets} · {_when(row.first_published_at)} to {_when(row.last_published_at)} UTC</p>
{_timeline(row, points, colours)}
</article>"""


def _timeline(row: StoryRow, points: list[ArticlePoint], colours: dict[str, str]) -> str:
    """One row per outlet, a dot per article at its publication time."""
    outlets = sorted({p.source for p in points}, key=lambda s: min(
        p.published_at for p in points if p.source == s))
    if not outlets:
        return ""
    first = min(p.published_at for p in points)
    span = max(max(p.published_at for p in points) - first, timedelta(hours=1))
    start, end = first - span * 0.05, first + span * 1.05  # dots clear of the edges
    left, right = TIMELINE_LABELS, TIMELINE_WIDTH - 12
    height = 8 + TIMELINE_ROW * len(outlets) + 24

    def x(moment: datetime) -> float:
        return left + (right - left) * ((moment - start) / (end - start))

    parts = []
    for i, source in enumerate(outlets):
        y = 8 + TIMELINE_ROW * i + TIMELINE_ROW / 2
        parts.append(f'<text x="{left - 8}" y="{y + 4:.1f}" text-anchor="end">{esc(source)}</text>'
                     f'<line x1="{left}" x2="{right}" y1="{y:.1f}" y2="{y:.1f}" '
                     f'stroke="#e3e3e3"/>')
        for point in (p for p in points if p.source == source):
            tip = esc(f"{source} · {_when(point.published_at)} UTC · {point.title or ''}")
            dot = (f'<circle cx="{x(point.published_at):.1f}" cy="{y:.1f}" r="5" '
                   f'fill="{colours.get(source, PALETTE[0])}"><title>{tip}</title></circle>')
            href = safe_href(point.url)
            parts.append(f'<a href="{esc(href)}">{dot}</a>' if href else dot)
    axis_y = 8 + TIMELINE_ROW * len(outlets)
    parts.append(f'<line x1="{left}" x2="{right}" y1="{axis_y}" y2="{axis_y}" stroke="#999"/>')
    for moment, anchor in ((first, "start"), (first + span / 2, "middle"),
                           (first + span, "end")):
        parts.append(f'<text x="{x(moment):.1f}" y="{axis_y + 16}" text-anchor="{anchor}">'
                     f"{_when(moment)}</text>")
    label = esc(f"Timeline of story {row.story_id}: {len(points)} article(s) from "
                f"{len(outlets)} outlet(s)")
    return (f'<svg class="timeline" role="img" aria-label="{label}" '
            f'viewBox="0 0 {TIMELINE_WIDTH} {height}" width="{TIMELINE_WIDTH}" '
            f'height="{height}">{"".join(parts)}</svg>')


# ------------------------------------------------------------------------------------------
# Sources


def _source(health: SourceHealth, data: ReportData) -> str:
    runs = health.runs
    failed_runs = sum(1 for r in runs if r[1] == "failed")
    last = (f'last run {_when(runs[-1][0])} UTC: <span class="{esc(runs[-1][1])}">'
            f"{esc(runs[-1][1])}</span>" if runs else "no crawl run in these days")
    skipped = sum(n for _, _, n in health.skipped)
    return f"""<article class="source" id="source-{esc(health.source)}">
<h3>{esc(health.source)}</h3>
<p class="meta">{health.articles} article(s) in {data.days} day(s) · {len(runs)} run(s),
{failed_runs} failed · {last} · {skipped} page(s) not stored</p>
<figure><figcaption>Articles first seen per day (UTC)</figcaption>
{_per_day_chart(health, data)}</figure>
<figure><figcaption>Crawl runs, oldest first</figcaption>
{_runs_chart(health)}</figure>
<figure><figcaption>Pages not stored, by stage and reason</figcaption>
{_skipped_chart(health)}</figure>
</article>"""


def _per_day_chart(health: SourceHealth, data: ReportData) -> str:
    days = data.day_list
    counts = [health.per_day.get(day, 0) for day in days]
    top = max(counts + [1])
    plot_h, gap = CHART_HEIGHT - 18, 2
    width = (CHART_WIDTH - 30) / len(days)
    bars = []
    for i, (day, count) in enumerate(zip(days, counts, strict=True)):
        h = plot_h * count / top
        bars.append(f'<rect x="{30 + i * width:.1f}" y="{plot_h - h + 2:.1f}" '
                    f'width="{max(width - gap, 1):.1f}" height="{h:.1f}" fill="#0072B2">'
                    f"<title>{day:%Y-%m-%d}: {count} article(s)</title></rect>")
    label = esc(f"{health.source}: articles per day, {sum(counts)} in {len(days)} day(s), "
                f"at most {max(counts)}")
    return (f'<svg class="chart per-day" role="img" aria-label="{label}" '
            f'viewBox="0 0 {CHART_WIDTH} {CHART_HEIGHT}" width="{CHART_WIDTH}" '
            f'height="{CHART_HEIGHT}">'
            f'<text x="26" y="12" text-anchor="end">{top}</text>'
            f'<text x="26" y="{plot_h + 2}" text-anchor="end">0</text>'
            f'<line x1="30" x2="{CHART_WIDTH}" y1="{plot_h + 2}" y2="{plot_h + 2}" '
            f'stroke="#999"/>{"".join(bars)}'
            f'<text x="30" y="{CHART_HEIGHT - 2}">{days[0]:%d %b}</text>'
            f'<text x="{CHART_WIDTH}" y="{CHART_HEIGHT - 2}" text-anchor="end">'
            f"{days[-1]:%d %b}</text></svg>")


def _runs_chart(health: SourceHealth) -> str:
    runs = health.runs[-RUNS_SHOWN:]
    if not runs:
        return '<p class="none">no crawl run in these days</p>'
    size = 12
    squares = []
    for i, (started, status, fetched, failed) in enumerate(runs):
        tip = esc(f"{_when(started)} UTC: {status}, {fetched} fetched, {failed} failed")
        squares.append(f'<rect x="{i * (size + 2)}" y="0" width="{size}" height="{size}" '
                       f'rx="2" fill="{RUN_COLOURS.get(status, "#999999")}">'
                       f"<title>{tip}</title></rect>")
    width = len(runs) * (size + 2)
    label = esc(f"{health.source}: {len(runs)} crawl run(s)")
    return (f'<svg class="chart runs" role="img" aria-label="{label}" '
            f'viewBox="0 0 {width} {size}" width="{width}" height="{size}">'
            f'{"".join(squares)}</svg>')


def _skipped_chart(health: SourceHealth) -> str:
    reasons = [(f"{stage}: {reason}", n) for stage, reason, n in health.skipped]
    if len(reasons) > SKIPPED_REASONS_SHOWN:
        rest = sum(n for _, n in reasons[SKIPPED_REASONS_SHOWN - 1:])
        reasons = reasons[:SKIPPED_REASONS_SHOWN - 1] + [("other reasons", rest)]
    if not reasons:
        return '<p class="none">every page fetched was stored</p>'
    top = max(n for _, n in reasons)
    row, label_w = 18, 130
    bars = []
    for i, (reason, n) in enumerate(reasons):
        w = (CHART_WIDTH - label_w - 40) * n / top
        y = i * row
        bars.append(f'<text x="{label_w - 6}" y="{y + 12}" text-anchor="end">{esc(reason)}'
                    f'</text><rect x="{label_w}" y="{y + 2}" width="{w:.1f}" height="{row - 5}" '
                    f'fill="#D55E00"><title>{esc(reason)}: {n} page(s)</title></rect>'
                    f'<text x="{label_w + w + 4:.1f}" y="{y + 12}">{n}</text>')
    height = row * len(reasons)
    label = esc(f"{health.source}: pages not stored, "
                + ", ".join(f"{r} {n}" for r, n in reasons))
    return (f'<svg class="chart skipped" role="img" aria-label="{label}" '
            f'viewBox="0 0 {CHART_WIDTH} {height}" width="{CHART_WIDTH}" height="{height}">'
            f'{"".join(bars)}</svg>')


def _when(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%d %b %H:%M")
