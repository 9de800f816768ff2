"""`liputan sources check`: does each source of a sources file still work on the live web?

Each source's feeds, sitemaps and start URLs are fetched once (an index: its newest few
sitemaps too) and judged; two of the article URLs found are fetched and extracted as
`liputan clean` would. A source is BROKEN (README.md, "Finding and checking sources") when:

- a configured feed, sitemap or start URL does not answer 200 with a feed, a sitemap or an
  HTML page (moved feeds: the most common silent failure);
- no article URL is found, or none of those found matches `article_url_pattern`;
- its newest dated item is older than `max_age_days`;
- neither trial article is extracted as an article.

`broken_sources` is the same judgement for a scheduler (Airflow): source name -> reasons.
Nothing is written to the database: a check can be run at any time, as often as wanted.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from scrapy.http import HtmlResponse

from crawler.config import Config, Source
from crawler.decode import NotText, decode_body, parser_encoding
from crawler.errors import UserError
from crawler.fetch.spiders.discovery import (
    Entry,
    looks_like_article,
    page_links,
    parse_feed,
    parse_sitemap,
)
from crawler.sources.fetcher import Fetched, Fetcher, FetchPolicy, gunzip_limited
from crawler.urls import Site, canonicalize, refuse_reason

logger = logging.getLogger(__name__)

__all__ = ["DEFAULT_MAX_AGE_DAYS", "SourceCheck", "Trial", "UrlCheck", "broken_sources",
           "check_sources", "render"]

# A news outlet publishes every day; a week without a new item in any of its feeds and
# sitemaps means they moved or froze, even for a small regional outlet.
DEFAULT_MAX_AGE_DAYS = 7
# Trial extractions per source: two, so that one odd page (a gallery, a live blog) does not
# condemn a source alone.
TRIALS = 2
# Article fetches per source for those trials: a deleted article (404) in a sitemap is no
# reason to fetch the whole sitemap.
MAX_TRIAL_FETCHES = 4
# Sitemaps of an index fetched: the newest few hold today's articles.
MAX_CHILD_SITEMAPS = 3
# Dates further in the future than this are an outlet's bug, not its newest item.
FUTURE_SLACK = timedelta(days=1)
HTML_TYPES = ("text/html", "application/xhtml+xml")


@dataclass
class UrlCheck:
    kind: str  # feed, sitemap, listing; "sitemap<" for a sitemap of an index
    url: str
    status: str  # "200", "404", or a reason word (robots, dns, timeout, not_a_feed, ...)
    ok: bool
    found: int = 0  # article URLs found
    matching: int | None = None  # of them, matching article_url_pattern (None: no pattern)
    newest: datetime | None = None
    answered: bool = False  # the server answered with text (even an error page)


@dataclass
class Trial:
    url: str
    status: str
    title: str | None = None
    published_at: datetime | None = None
    words: int = 0
    is_article: bool = False
    reason: str | None = None  # why it is not an article


@dataclass
class SourceCheck:
    name: str
    urls: list[UrlCheck] = field(default_factory=list)
    trials: list[Trial] = field(default_factory=list)
    reasons: list[str] = field(default_factory=list)  # empty: the source works

    @property
    def broken(self) -> bool:
        return bool(self.reasons)

    @property
    def newest(self) -> datetime | None:
        dates = [u.newest for u in self.urls if u.newest]
        return max(dates) if dates else None


@dataclass
class _Found:
    """The article URLs of one source, with the dates feeds and sitemaps gave them."""

    entries: dict[str, Entry] = field(default_factory=dict)  # canonical URL -> entry

    def add(self, entry: Entry) -> None:
        key = canonicalize(entry.url)
        known = self.entries.get(key)
        if known is None or (entry.date and (known.date is None or entry.date > known.date)):
            self.entries[key] = entry


def check_sources(config: Config, names: Iterable[str] | None = None, *,
                  max_age_days: float = DEFAULT_MAX_AGE_DAYS, now: datetime | None = None,
                  fetcher: Fetcher | None = None) -> list[SourceCheck]:
    """Check the sources `names` (default: all) of `config`; one SourceCheck each, in file
    order. UserError when a source's URL is a private address the file does not allow, or
    when no URL of any of them answered (no network, every host down)."""
    sources = config.select(names)
    _refuse_private(config, sources)
    fetcher = fetcher or Fetcher(FetchPolicy.from_config(config))
    now = now or datetime.now(UTC)
    checks = [_check_source(source, fetcher, max_age_days, now) for source in sources]
    if not any(u.answered for check in checks for u in check.urls):
        first = next((u for check in checks for u in check.urls), None)
        detail = f" (first: {first.url}: {first.status})" if first else ""
        raise UserError(f"cannot check {config.path}: no URL of the selected source(s) "
                        f"answered{detail}")
    return checks


def broken_sources(config: Config, names: Iterable[str] | None = None, *,
                   max_age_days: float = DEFAULT_MAX_AGE_DAYS, now: datetime | None = None
                   ) -> dict[str, list[str]]:
    """Source name -> why it is broken, for the sources that are (empty: all work). For a
    scheduled check (Airflow): raises UserError as check_sources does."""
    return {check.name: check.reasons
            for check in check_sources(config, names, max_age_days=max_age_days, now=now)
            if check.broken}


def _refuse_private(config: Config, sources: Iterable[Source]) -> None:
    """A URL the crawl would refuse is a mistake in the file: one line before any fetch."""
    for source in sources:
        for url in source.seed_urls:
            if refuse_reason(url, allowed_networks=config.allowed_private_networks) \
                    == "private_address":
                raise UserError(
                    f"{config.path}: source {source.name!r}: {url} is not a public address "
                    "(allow_private_addresses in the file allows it, for a site of your own)")


def _check_source(source: Source, fetcher: Fetcher, max_age_days: float,
                  now: datetime) -> SourceCheck:
    check = SourceCheck(source.name)
    found = _Found()
    for url in source.feeds:
        check.urls.append(_check_feed(url, source, fetcher, found, now))
    for url in source.sitemaps:
        check.urls += _check_sitemap(url, source, fetcher, found, now)
    for url in source.start_urls:
        check.urls.append(_check_listing(url, source, fetcher, found))
    check.trials = _trials(source, fetcher, found)
    check.reasons = _verdict(check, source, found, max_age_days, now)
    return check


# -- each kind of URL -------------------------------------------------------------------------
def _status(fetched: Fetched) -> str:
    return str(fetched.status) if fetched.status is not None and fetched.reason in (
        None, f"http_{fetched.status}") else (fetched.reason or str(fetched.status))


def _answered(fetched: Fetched) -> bool:
    """The server answered with text: an error page counts; a refused or dropped connection
    and a PDF do not."""
    if fetched.status is None:
        return False
    if not fetched.body or fetched.body.startswith(b"\x1f\x8b"):  # empty, a gzip sitemap
        return True
    try:
        decode_body(fetched.body[:65536], fetched.content_type)
    except NotText:
        return False
    return True


def _counted(source: Source, entries: list[Entry], found: _Found,
             now: datetime) -> tuple[int, int | None, datetime | None]:
    """Article URLs on the source's site, how many match its pattern, the newest date."""
    mine = [e for e in entries if _on_site(e.url, source)]
    for entry in mine:
        found.add(entry)
    regex = source.article_regex
    matching = sum(1 for e in mine if regex.search(e.url)) if regex is not None else None
    dates = [e.date for e in mine if e.date and e.date <= now + FUTURE_SLACK]
    return len(mine), matching, max(dates) if dates else None


def _check_feed(url: str, source: Source, fetcher: Fetcher, found: _Found,
                now: datetime) -> UrlCheck:
    fetched = fetcher.get(url)
    result = UrlCheck("feed", url, _status(fetched), False, answered=_answered(fetched))
    if not fetched.ok:
        return result
    entries = parse_feed(fetched.body, fetched.final_url)
    if not entries:
        result.status = "not_a_feed"
        return result
    result.ok = True
    result.found, result.matching, result.newest = _counted(source, entries, found, now)
    return result


def _check_sitemap(url: str, source: Source, fetcher: Fetcher, found: _Found,
                   now: datetime, kind: str = "sitemap") -> list[UrlCheck]:
    fetched = fetcher.get(url)
    result = UrlCheck(kind, url, _status(fetched), False, answered=_answered(fetched))
    if not fetched.ok:
        return [result]
    body = gunzip_limited(fetched.body, fetcher.policy.max_bytes * 10)
    shape, entries = parse_sitemap(body or b"", fetched.final_url)
    if not shape:
        result.status = "not_a_sitemap"
        return [result]
    result.ok = True
    if shape == "urlset":
        result.found, result.matching, result.newest = _counted(source, entries, found, now)
        return [result]
    rows = [result]
    oldest = datetime.min.replace(tzinfo=UTC)
    newest_first = sorted((e for e in entries if _on_site(e.url, source)),
                          key=lambda e: e.date or oldest, reverse=True)
    for child in newest_first[:MAX_CHILD_SITEMAPS] if kind == "sitemap" else ():
        rows += _check_sitemap(child.url, source, fetcher, found, now, kind="sitemap<")
    result.found = sum(row.found for row in rows[1:])
    return rows


def _check_listing(url: str, source: Source, fetcher: Fetcher, found: _Found) -> UrlCheck:
    fetched = fetcher.get(url)
    result = UrlCheck("listing", url, _status(fetched), False, answered=_answered(fetched))
    if not fetched.ok:
        return result
    try:
        if fetched.mime not in HTML_TYPES:
            raise NotText(fetched.mime)
        encoding = parser_encoding(fetched.body, fetched.content_type)
    except NotText:
        result.status = "not_html"
        result.answered = False
        return result
    page = HtmlResponse(url=fetched.final_url, body=fetched.body, encoding=encoding)
    regex = source.article_regex
    # As the crawl: a link is an article candidate if it matches the pattern or, without
    # one, looks like an article; the share shows how many the pattern keeps.
    candidates = list(dict.fromkeys(
        link.url.split("#", 1)[0] for link in page_links(page)
        if _on_site(link.url, source)
        and (looks_like_article(link.url) or (regex is not None and regex.search(link.url)))))
    for candidate in candidates:
        found.add(Entry(candidate))
    result.ok = True
    result.found = len(candidates)
    result.matching = sum(1 for u in candidates if regex.search(u)) if regex else None
    return result


# -- trial extractions ------------------------------------------------------------------------
def _trials(source: Source, fetcher: Fetcher, found: _Found) -> list[Trial]:
    """Extract the newest article URLs the crawl would fetch (matching the pattern, if any,
    and allowed by robots.txt) until TRIALS of them answered, in at most MAX_TRIAL_FETCHES."""
    regex = source.article_regex
    usable = [e for e in found.entries.values() if regex is None or regex.search(e.url)]
    oldest = datetime.min.replace(tzinfo=UTC)
    usable.sort(key=lambda e: e.date or oldest, reverse=True)
    trials: list[Trial] = []
    for entry in usable:
        if len(trials) >= MAX_TRIAL_FETCHES or sum(t.status == "200" for t in trials) >= TRIALS:
            break
        if fetcher.robots_allow(entry.url):
            trials.append(_trial(entry.url, source, fetcher))
    return trials


def _trial(url: str, source: Source, fetcher: Fetcher) -> Trial:
    from crawler.clean.extract import extract  # trafilatura: imported only when needed

    fetched = fetcher.get(url)
    trial = Trial(url, _status(fetched))
    if not fetched.ok:
        trial.reason = fetched.reason
        return trial
    try:
        text = decode_body(fetched.body, fetched.content_type).text
    except NotText:
        trial.reason = "not_text"
        return trial
    result = extract(text, fetched.final_url, rules=source.clean_rules,
                     language=source.language, timezone=source.zone)
    trial.title, trial.published_at = result.title, result.published_at
    trial.words, trial.is_article, trial.reason = result.word_count, result.is_article, \
        result.reason
    return trial


# -- the verdict ------------------------------------------------------------------------------
def _verdict(check: SourceCheck, source: Source, found: _Found, max_age_days: float,
             now: datetime) -> list[str]:
    reasons = [f"{u.kind.rstrip('<')} {u.url}: {u.status}" for u in check.urls if not u.ok]
    if not any(u.ok for u in check.urls):
        reasons.append("no URL answered")
    articles = list(found.entries.values())
    if not articles:
        reasons.append("no article URL found")
    elif source.article_regex is not None and not any(
            source.article_regex.search(e.url) for e in articles):
        reasons.append(f"none of {len(articles)} article URL(s) matches article_url_pattern")
    newest = check.newest
    if newest is not None and now - newest > timedelta(days=max_age_days):
        reasons.append(f"newest item is {(now - newest).days} days old "
                       f"(limit {max_age_days:g})")
    fetched_trials = [t for t in check.trials if t.status == "200"]
    if fetched_trials and not any(t.is_article for t in fetched_trials):
        reasons.append("no trial article extracted ("
                       + ", ".join(t.reason or "?" for t in fetched_trials) + ")")
    return reasons


# -- helpers ----------------------------------------------------------------------------------
def _on_site(url: str, source: Source) -> bool:
    """On one of the source's hosts, as the crawl judges it (crawler.urls.Site)."""
    return url in Site((source.url, *source.seed_urls))


def render(checks: list[SourceCheck], now: datetime | None = None) -> str:
    """The table `liputan sources check` prints: one block per source, a verdict line last."""
    now = now or datetime.now(UTC)
    lines = []
    for check in checks:
        verdict = "BROKEN: " + "; ".join(check.reasons) if check.broken else "ok"
        lines.append(f"{check.name}  {verdict}")
        lines.append(f"  {'kind':<9} {'status':<14} {'found':>6} {'match':>11} "
                     f"{'newest':>8}  url")
        for u in check.urls:
            share = ("-" if u.matching is None else
                     f"{u.matching} ({100 * u.matching / u.found:.0f}%)" if u.found else "0")
            age = _age(now - u.newest) if u.newest else "-"
            lines.append(f"  {u.kind:<9} {u.status:<14} {u.found:>6} {share:>11} {age:>8}  "
                         f"{u.url}")
        for t in check.trials:
            if t.status != "200":
                lines.append(f"  trial    {t.status}  {t.url}")
                continue
            date = f"{t.published_at:%Y-%m-%d %H:%M}" if t.published_at else "no date"
            title = (t.title or "no title")[:60]
            kind = "" if t.is_article else f" NOT AN ARTICLE ({t.reason})"
            lines.append(f"  trial    {title!r}, {date}, {t.words} words{kind}  {t.url}")
        lines.append("")
    broken = [c.name for c in checks if c.broken]
    lines.append(f"{len(checks)} source(s) checked: {len(checks) - len(broken)} ok, "
                 f"{len(broken)} broken" + (f" ({', '.join(broken)})" if broken else ""))
    return "\n".join(lines)


def _age(delta: timedelta) -> str:
    hours = delta.total_seconds() / 3600
    return f"{hours:.0f}h" if hours < 48 else f"{hours / 24:.0f}d"
