"""When an article was published, and which rule of the page said so.

One cascade, each stage tried only when the previous ones found nothing plausible:

1. what the page states for machines: JSON-LD `datePublished` (the article's object first),
   meta tags (`article:published_time` and its spellings), `itemprop="datePublished"` on any
   element, `<time>` elements that are not in a related-articles list;
2. the dates people read near the headline: bylines and date lines such as
   "Jum'at, 03 Maret 2023 - 04:25 WIB", "Kamis (2/3/2023)", "March 3, 2023", "3. März 2023";
3. the day in the URL (/2023/03/03/);
4. modification dates (`dateModified`, `og:updated_time`), which are often the publication's;
5. htmldate's fast search of the whole page, whose answers on the 1st of a month are refused:
   that is how it completes a month or a year;
6. the dates written anywhere in the first PAGE_TEXT_CHARS of the page's text.

A date with a time of day in the byline, just under the headline, beats a declared date of
another day: it is what the publisher shows its readers, and it is written in the local zone
that a UTC timestamp hides.

A day in the URL is the publisher's own: a stated date on another day is refused (it belongs
to another article, a comment or a later edit; a date with a zone may be a day off, as UTC
shows it). Dates after tomorrow or before 1990 are refused everywhere. A date without a zone
takes the zone the page states elsewhere, else the source's, else UTC. docs/extract.md, "Dates".
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from datetime import timezone as fixed_zone
from email.utils import parsedate_to_datetime
from functools import cached_property
from itertools import islice

from lxml.etree import XPath
from lxml.html import HtmlElement

from crawler.clean.class_names import NamePattern
from crawler.zones import default_zone

logger = logging.getLogger(__name__)

__all__ = ["ARTICLE_TYPES", "parse_date", "published", "text_dates"]

# meta names/properties (lowercased, punctuation removed: "article:published:time" and
# "article_published_time" are the same key) that carry the publication date, most specific first
DATE_META = ("articlepublishedtime", "ogpublishedtime", "articlepublished", "publishedtime",
             "datepublished", "publishdate", "publisheddate", "contentpublisheddate",
             "contentpublishdate", "pubdate", "originalpublicationdate", "publicationdate",
             "dctermsissued", "dcdateissued", "dctermscreated", "dcdatecreated", "dctermsdate",
             "dcdate", "date", "parselypubdate", "sailthrudate", "citationpublicationdate",
             "citationdate", "articlecreated", "createdate", "displaydate")
PUBLISHED_KEYS = ("datePublished", "dateCreated")  # JSON-LD
# ... and the modification date: only when nothing states the publication (often the same day)
MODIFIED_META = ("articlemodifiedtime", "ogupdatedtime", "datemodified", "lastmodified",
                 "dctermsmodified", "modifieddate", "updated")
_DATE_KEYS = set(DATE_META) | set(MODIFIED_META)
_PUNCTUATION = str.maketrans("", "", ":._- ")
ARTICLE_TYPES = {"article", "newsarticle", "reportagenewsarticle", "analysisnewsarticle",
                 "blogposting", "opinionnewsarticle", "backgroundnewsarticle", "report",
                 "liveblogposting", "scholarlyarticle", "techarticle", "reviewnewsarticle",
                 "askpublicnewsarticle", "socialmediaposting", "posting", "podcastepisode"}
# JSON-LD objects whose dates are not the page's: an image's upload, a comment, a person
FOREIGN_TYPES = {"imageobject", "videoobject", "mediaobject", "audioobject", "person",
                 "organization", "newsmediaorganization", "comment", "review", "rating",
                 "event", "product", "offer", "itemlist", "listitem", "breadcrumblist",
                 "website", "searchaction"}
# news URLs often carry the date: /read/2016/02/23/..., /2024-03-02/..., /20240302...; a
# one-digit "day" starting a slug is the slug's number (/2023/10/3-fragen-an-...: October)
URL_DATE = re.compile(r"/((?:19|20)\d\d)(?:([/-])(0?[1-9]|1[0-2])\2(0[1-9]|[12]\d|3[01]|"
                      r"[1-9](?![-_]))|"
                      r"(0[1-9]|1[0-2])(0[1-9]|[12]\d|3[01]))(?:[/_.-]|$)")
# A date in the URL and a stated date of the same article differ by the zone at most; beyond
# this the stated date is another one (a comment's, a later edit's, a related article's).
URL_DAY_TOLERANCE = timedelta(days=1)
# The last resort reads this much of the page's text for a written date. It replaced
# htmldate's extensive search (dateparser on every text of the page: 8.7 ms a page over
# bench/clean.py's pages, over a second on one shop page, and dateparser's locales load in
# 1.4 s) and does as well: corpus/dates right / wrong with the extensive search .903 / .070,
# with neither .893 / .068, with this .899 / .071 at 20,000 characters, .898 / .069 at 5,000
# (before the stages below; 5,000 costs 0.5 ms on a page that reaches it, 20,000 1.5 ms).
PAGE_TEXT_CHARS = 5000
EARLIEST_YEAR = 1990  # news on the web; older "dates" are founding years and birthdays
FUTURE_TOLERANCE = timedelta(days=1)  # a page cannot be published after it is read

# Where the article's own date is written: the text after the headline (bylines, date lines),
# a little before it (kickers), elements named as dates around it. corpus/dates, right / wrong
# of the markup and text stages (no htmldate): after 400 chars 837/59, 1,000 849/59, 2,500
# 853/62 (further down the body's dates are historical); before 0 chars 841/59, 150-600 849/59.
AFTER_HEADLINE_CHARS = 1000
BEFORE_HEADLINE_CHARS = 300
# Dates this close under the headline are its byline's even without a time of day or a
# weekday (corpus/dates: 0 chars 847/61, 250 849/59, 600 847/61: a flat optimum).
BYLINE_CHARS = 250
MIN_TITLE_CHARS = 12  # a headline is found in the page title by its start
WEEKDAYS = re.compile(
    r"\b(?:senin|selasa|rabu|kamis|jum'?at|sabtu|minggu|ahad|monday|tuesday|wednesday|"
    r"thursday|friday|saturday|sunday|mon|tue|tues|wed|thu|thur|thurs|fri|sat|sun|montag|"
    r"dienstag|mittwoch|donnerstag|freitag|samstag|sonnabend|sonntag|mo|di|mi|do|fr|sa|so|"
    r"lundi|mardi|mercredi|jeudi|vendredi|samedi|dimanche|lunes|martes|miércoles|jueves|"
    r"viernes|sábado|domingo|lunedì|martedì|mercoledì|giovedì|venerdì|sabato|domenica|"
    r"maandag|dinsdag|woensdag|donderdag|vrijdag|zaterdag|zondag|segunda|terça|quarta|"
    r"quinta|sexta)\b\.?,?\s*\(?\s*$", re.IGNORECASE)
# words announcing a later date than the publication's, just before it
UPDATE_WORDS = re.compile(r"updat|aktualisiert|geändert|diperbarui|mis à jour|actualiz|atualiz|"
                          r"aggiornat|bijgewerkt|modifi|edited|editiert|\bstand\b", re.IGNORECASE)
# words announcing a date that is not a publication's: a forum member's registration, just
# before it ("Registriert: 18.09.2008, 05:56" beside every post)
MEMBER_WORDS = re.compile(r"registriert|registered|joined|member since|mitglied seit|dabei seit|"
                          r"beigetreten|bergabung|terdaftar|inscrit|iscritto|registrado|"
                          r"registrierung", re.IGNORECASE)
# elements whose class or id names them as date lines or bylines
DATE_CLASS = NamePattern(r"date|datum|tanggal|waktu|publi|posted|byline|dateline|fecha|"
                         r"timestamp|meta|\btime\b")
# containers of other articles and of comments: their text is skipped even next to the
# headline (not <aside> or "nav": an article's date line may sit in "<ul class='nav meta'>")
OTHER_ARTICLES = NamePattern(r"related|recommend|sidebar|widget|comment|teaser|terkait|populer|"
                             r"popular|trending|baca-?juga")
# ... and page furniture besides: date elements and <time> there are not the article's
FOREIGN_REGION = NamePattern(r"related|recommend|sidebar|widget|comment|teaser|"
                             r"terkait|populer|popular|trending|baca-?juga|more-|latest|"
                             r"terbaru|newsfeed|\bnav|menu|breadcrumb")
# the first predicate, a test of presence, passes few elements on to the comparisons, and
# "/descendant::*" is "//*" without the intermediate set of every node (together a quarter of
# the time)
_MARKUP_DATES = XPath('.//body/descendant::*[@itemprop or @datetime or @title]'
                      '[@itemprop="datePublished" or @itemprop="dateCreated" or '
                      '@datetime or @title and contains(@class, "published")]')
# only the first few headings of each level among their siblings are candidates for the headline
MAX_SIBLING_HEADINGS = 5
UNREAD_TAGS = {"script", "style", "noscript", "nav", "figure", "figcaption", "template"}
MAX_DEPTH = 60  # nesting below which a page's text is not read (no byline is that deep)
_NAMED_ELEMENTS = XPath("descendant::*[@class or @id]")  # ".//*" without the set of every node
# Elements named as dates are looked for in the headline's container (the <article>, else this
# many levels up): corpus/dates 2 levels 845/60, 4 849/59, the whole page 852/60.
HEADLINE_CONTAINER_LEVELS = 4

ZONES = {"wib": 7, "wita": 8, "wit": 9, "utc": 0, "gmt": 0, "z": 0, "cet": 1, "mez": 1,
         "cest": 2, "mesz": 2, "bst": 1, "eet": 2, "eest": 3, "est": -5, "edt": -4, "cst": -6,
         "cdt": -5, "mst": -7, "mdt": -6, "pst": -8, "pdt": -7, "ist": 5.5, "sgt": 8, "myt": 8,
         "jst": 9, "aest": 10, "aedt": 11}
MONTHS = {
    1: "januari january januar jänner janvier janv enero ene gennaio janeiro jan",
    2: "februari pebruari february februar février fevrier févr fevr febrero febbraio "
       "fevereiro feb",
    3: "maret march märz maerz mrz mars marzo março marco maart mac mar",
    4: "april avril avr abril aprile apr",
    5: "mei may mai mayo maggio maio",
    6: "juni june juin junio giugno junho jun",
    7: "juli july juillet juil julio luglio julho julai jul",
    8: "agustus august août aout agosto augustus ogos agu agt ags aug ago",
    9: "september septembre septiembre setiembre settembre setembro sept sep",
    10: "oktober october octobre octubre ottobre outubro okt oct",
    11: "november nopember novembre noviembre novembro nop nov",
    12: "desember december dezember décembre decembre diciembre dicembre dezembro disember "
        "déc dez dic des dec",
}
# Russian and Arabic (Egyptian and Gulf) month names: dates as their news pages write them,
# "15 августа 2016", "07 أكتوبر 2020"
OTHER_MONTHS = {
    1: "января январь يناير", 2: "февраля февраль فبراير", 3: "марта март مارس",
    4: "апреля апрель أبريل ابريل", 5: "мая май مايو", 6: "июня июнь يونيو يونيه",
    7: "июля июль يوليو يوليه", 8: "августа август أغسطس اغسطس",
    9: "сентября сентябрь سبتمبر", 10: "октября октябрь أكتوبر اكتوبر",
    11: "ноября ноябрь نوفمبر", 12: "декабря декабрь ديسمبر",
}
_MONTH = {name: number for months in (MONTHS, OTHER_MONTHS) for number, names in months.items()
          for name in names.split()}
_MONTH_RE = "|".join(sorted(_MONTH, key=len, reverse=True))
_TIME = (r"(?:\s*(?:[-,|/•·]|\bpukul|\bjam|\bum|\bat|\bà|\ba las|\balle|\bom)?\s*"
         r"(?P<hour>[01]?\d|2[0-3])[:.](?P<minute>[0-5]\d)(?::(?P<second>[0-5]\d))?"
         r"\s*(?P<ampm>[ap]\.?\s?m\b\.?)?\s*(?:uhr|h\b)?\s*"
         r"(?:(?P<zone>wita|wib|wit|utc|gmt|cest|cet|mesz|mez|bst|eest|eet|est|edt|cst|cdt|"
         r"mst|mdt|pst|pdt|ist|sgt|myt|jst|aest|aedt)\b)?\s*(?P<offset>[+-]\d\d:?\d\d)?)?")
# "03 Maret 2023", "6 Nop 2019", "3. März 2023", "3 de marzo de 2020"
_DAY_MONTH = re.compile(r"(?<![\d.])(?P<day>[0-3]?\d)\.?\s*(?:de\s+)?(?P<month>" + _MONTH_RE +
                        r")\b\.?,?\s*(?:de\s+)?(?P<year>(?:19|20)\d\d)(?!\d)" + _TIME, re.IGNORECASE)
# "March 3, 2023", "Nov. 8, 2023"
_MONTH_DAY = re.compile(r"\b(?P<month>" + _MONTH_RE + r")\.?\s+(?P<day>[0-3]?\d)(?:st|nd|rd|th)?"
                        r",?\s+(?P<year>(?:19|20)\d\d)(?!\d)" + _TIME, re.IGNORECASE)
# "02/03/2023", "2.3.2023", "2023-03-02", "2023/03/02"
_NUMERIC = re.compile(r"(?<![\d.:/-])(?:(?P<a>[0-3]?\d)(?P<sep>[./-])(?P<b>[0-3]?\d)(?P=sep)"
                      r"(?P<year>(?:19|20)\d\d)|(?P<iyear>(?:19|20)\d\d)(?P<isep>[./-])"
                      r"(?P<imonth>[01]?\d)(?P=isep)(?P<iday>[0-3]?\d))(?![\d])" + _TIME, re.IGNORECASE)
# "28.01.22": the German short form (dots only: "1/2/22" is too ambiguous)
_SHORT = re.compile(r"(?<![\d.:/-])(?P<a>[0-3]?\d)\.(?P<b>[01]?\d)\.(?P<short>\d\d)(?![\d.])"
                    + _TIME, re.IGNORECASE)
# "2020年07月03日" (Chinese, Japanese), "2020년 7월 3일" (Korean)
_CJK = re.compile(r"(?P<iyear>(?:19|20)\d\d)\s*[年년]\s*(?P<imonth>[01]?\d)\s*[月월]\s*"
                  r"(?P<iday>[0-3]?\d)\s*[日일]" + _TIME, re.IGNORECASE)
_TEXT_PATTERNS = (_DAY_MONTH, _MONTH_DAY, _NUMERIC, _SHORT, _CJK)
# what each pattern needs: a year of four digits, or the two of "28.01.22"
_YEAR = re.compile(r"(?<!\d)(?:19|20)\d\d(?!\d)|\d\.[01]?\d\.\d\d(?![\d.])")
# a date starts at most this far before its year ("3. de septiembre de 2020", "Sept. 15th,
# 2020") and ends this far after it (a time of day, a zone or an offset)
SPAN_BEFORE_YEAR = 40
SPAN_AFTER_YEAR = 60


@dataclass(frozen=True)
class Stated:
    """One date the page states: naive when the page gives no zone with it."""

    value: datetime
    source: str


def published(tree: HtmlElement, json_ld: list[dict], url: str | None, *,
              timezone: tzinfo | None = None, now: datetime | None = None,
              search: bool = True) -> tuple[datetime | None, str | None]:
    """(publication time, the rule that gave it: json_ld, meta, time_element, text or url;
    htmldate's answers count as text), (None, None) when the page states no plausible date.

    timezone: the source's, for times the page gives without a zone (None: UTC).
    now: dates more than a day after it are refused (default: the clock).
    search: whether htmldate may search the whole page as the last resort.
    """
    page = _Page(tree, json_ld, url, now or datetime.now(UTC))
    timezone = timezone or default_zone(url)
    # the zone for the URL check: the page's machine-readable offsets, else the source's
    zone = _page_zone(page.declared) or timezone
    found = _first(page.stated(), page.url_day, zone)
    if found is not None and found.source in ("json_ld", "meta"):
        found = _shown_instead(page, found, zone)
    if found is not None and found.source in ("json_ld", "meta"):
        found = _confirmed_instead(page, found, zone)
    if found is None and page.url_day:
        found = Stated(datetime.combine(page.url_day, time()), "url")
    if found is None:
        found = _first(page.modified(), None, zone)
    if found is None and search:
        found = _htmldate(tree, url, page.now)
    if found is None and search:
        found = _first(page.page_text(), None, zone)
    if found is None:
        return None, None
    if found.value.tzinfo is None:  # the zone the page states elsewhere, else the source's
        zone = page.stated_zone() or page.written_zone() or timezone
    elif not found.value.utcoffset():  # UTC: shown in the zone of the page's other dates
        zone = page.stated_zone() or page.shown_zone(found.value) or timezone
    return _zoned(found.value, zone), found.source


def _shown_instead(page: _Page, declared: Stated, zone: tzinfo | None) -> Stated:
    """The byline's date and time instead of the declared date when they name different days.

    corpus/dates: where the first timed byline date and the declared one differ, the page's
    day was the byline's on 6 pages, the declared one's on 1 (a byline date of any kind: 16 vs
    7, hence only timed ones). Two of the six were UTC timestamps a day after the local day.
    """
    declared_at = _zoned(declared.value, zone)
    # an update shown before the declared publication says the declaration is not the
    # publication ("Stand: 28.04.2020 18:00 Uhr" over a page dated the 29th)
    byline = [w.value for w in page.after if w.position < page.byline_end and w.timed
              and (not w.updated or _zoned(w.value, zone) < declared_at)
              and _plausible(w.value, page.now)]
    if byline and _same_minute(byline[0], declared_at):
        return declared  # the byline shows the declared instant in the publisher's zone
    # each day as the byline writes it: a zone written with it says where the declared
    # instant is to be read
    days = [(shown.date(), declared_at.astimezone(shown.tzinfo).date() if shown.tzinfo
             else declared_at.date()) for shown in byline]
    if not byline or any(shown_day == declared_day for shown_day, declared_day in days):
        return declared  # no time shown, or the byline shows the declared day among others
    shown, shown_day = byline[0], days[0][0]
    tolerance = URL_DAY_TOLERANCE if shown.tzinfo else timedelta(0)
    if page.url_day and abs(shown_day - page.url_day) > tolerance:
        return declared
    return Stated(shown, "text")


def _confirmed_instead(page: _Page, declared: Stated, zone: tzinfo | None) -> Stated:
    """Another of the page's machine-readable dates instead of the first declared one when
    the text under the headline shows that one's day and not the first's.

    corpus/dates: 10 pages right, 1 wrong (a page showing its modification day, "Le 19 février
    2020", over its publication's). Read as far as `after` reads (AFTER_HEADLINE_CHARS): within
    the byline zone alone it was 7 right, 1 wrong, within 500 characters 9 right, 1 wrong.
    """
    shown = [w.value.date() for w in page.after if _plausible(w.value, page.now)]
    if not shown or _zoned(declared.value, zone).date() in shown:
        return declared
    others = {}
    for other in page.markup + page.modified():
        others.setdefault(_zoned(other.value, zone).date(), other)
    for day in shown:
        if day in others and (not page.url_day or abs(day - page.url_day) <= URL_DAY_TOLERANCE):
            return others[day]
    return declared


class _Page:
    """One page's dates, each kind read only when the kinds before it fell short."""

    def __init__(self, tree: HtmlElement, json_ld: list[dict], url: str | None, now: datetime):
        self.tree, self.json_ld, self.url, self.now = tree, json_ld, url, now
        self.url_day = _url_day(url)

    @cached_property
    def metas(self) -> dict[str, str]:
        return _metas(self.tree)

    @cached_property
    def declared(self) -> list[Stated]:
        """JSON-LD and meta tags: cheap, and where most pages state their dates."""
        stated = [Stated(v, "json_ld") for v in _json_ld_dates(self.json_ld, PUBLISHED_KEYS)]
        stated += [Stated(v, "meta") for v in _meta_dates(self.metas, DATE_META)]
        return [s for s in stated if _plausible(s.value, self.now)]

    @cached_property
    def markup(self) -> list[Stated]:
        """Every machine-readable date: the declared ones, itemprop and <time> elements."""
        itemprops, times = _markup_dates(self.tree)
        stated = [Stated(v, "meta") for v in itemprops]
        stated += [Stated(v, "time_element") for v in times]
        return self.declared + [s for s in stated if _plausible(s.value, self.now)]

    @cached_property
    def lang(self) -> str:
        return _lang(self.tree, self.url)

    @cached_property
    def headline(self) -> HtmlElement | None:
        return _headline(self.tree)

    @cached_property
    def headline_text(self) -> str:
        return self.headline.text_content() + " " if self.headline is not None else ""

    @cached_property
    def byline_end(self) -> int:
        """Where the byline zone under the headline ends in the text `after` reads."""
        return len(self.headline_text) + BYLINE_CHARS

    @cached_property
    def after(self) -> list[Written]:
        """The dates written in the headline and under it."""
        if self.headline is None:
            return []
        return _written(self.headline_text + _text_after(self.headline, AFTER_HEADLINE_CHARS),
                        self.lang)

    @cached_property
    def before(self) -> list[Written]:
        """The dates written just above the headline, the closest first."""
        if self.headline is None:
            return []
        return _written(_text_before(self.headline, BEFORE_HEADLINE_CHARS), self.lang)[::-1]

    def stated(self) -> Iterator[Stated]:
        """What the page states as its publication, best first."""
        yield from self.declared
        yield from self.markup[len(self.declared):]
        for value in _text_dates(self):
            if _plausible(value, self.now):
                yield Stated(value, "text")

    def page_text(self) -> Iterator[Stated]:
        """The dates written anywhere in the page's readable text: date lines first."""
        body = self.tree.find("body")
        if body is None:
            return
        parts: list[str] = [body.text or ""]
        budget = PAGE_TEXT_CHARS
        for child in body:  # not the body itself: its class names the layout ("no-sidebars")
            budget = _gather(child, parts, budget)
            parts.append(child.tail or "")
            if budget <= 0:
                break
        written = [w for w in _written(" ".join(parts), self.lang)
                   if _plausible(w.value, self.now)]
        ordered = sorted(written, key=lambda w: (w.updated, not w.line))  # stable: page order
        for w in ordered:
            yield Stated(w.value, "text")

    def modified(self) -> list[Stated]:
        stated = [Stated(v, "json_ld") for v in _json_ld_dates(self.json_ld, ("dateModified",))]
        stated += [Stated(v, "meta") for v in _meta_dates(self.metas, MODIFIED_META)]
        return [s for s in stated if _plausible(s.value, self.now)]

    def stated_zone(self) -> tzinfo | None:
        """The zone of the page's machine-readable dates (the markup's read only when the
        declared and modified dates give none: walking the body costs most of this module)."""
        return _page_zone(self.declared + self.modified()) or \
            _page_zone(self.markup + self.modified())

    def shown_zone(self, universal: datetime) -> tzinfo | None:
        """The zone in which the headline's date line shows a UTC instant: "9:25 PM" under it
        and "02:25:54Z" in the markup are the same minute five hours apart."""
        for written in self.after:
            if written.timed and _same_minute(written.value, universal):
                return fixed_zone(written.value - universal.replace(second=0, tzinfo=None))
        return None

    def written_zone(self) -> tzinfo | None:
        """The zone written with a time near the headline ("04:25 WIB")."""
        return next((w.value.tzinfo for w in self.after if w.value.tzinfo is not None), None)


def _first(stated: Iterable[Stated], url_day: date | None, zone: tzinfo | None) -> Stated | None:
    """The first stated date that agrees with the URL's day: to the day when the page gives
    no zone with it (it is then the publisher's local day, as the URL's), within a day when
    it has one (UTC shows the next or previous day in many zones)."""
    for candidate in stated:
        if url_day is None:
            return candidate
        tolerance = URL_DAY_TOLERANCE if candidate.value.tzinfo else timedelta(0)
        if abs(_zoned(candidate.value, zone).date() - url_day) <= tolerance:
            return candidate
    return None


# --- what the markup states ------------------------------------------------------------------

def _json_ld_dates(json_ld: list[dict], keys: tuple[str, ...]) -> Iterator[datetime]:
    """The article object's dates first, then those of other objects describing the page."""
    later = []
    for item in json_ld:
        types = {t.lower() for t in _types(item)}
        if types & FOREIGN_TYPES and not types & ARTICLE_TYPES:
            continue
        values = [parsed for key in keys if (parsed := parse_date(item.get(key)))]
        if types & ARTICLE_TYPES:
            yield from values
        else:
            later.extend(values)
    yield from later


def _types(item: dict) -> list[str]:
    types = item.get("@type")
    return [t for t in (types if isinstance(types, list) else [types]) if isinstance(t, str)]


def _meta_dates(metas: dict[str, str], keys: tuple[str, ...]) -> Iterator[datetime]:
    for key in keys:
        parsed = parse_date(metas.get(key))
        if parsed:
            yield parsed


def _metas(tree: HtmlElement) -> dict[str, str]:
    """The page's meta tags that may carry a date, by normalised name (the first of each)."""
    found: dict[str, str] = {}
    head = tree.find("head")  # those in the body are itemprops, read with the markup
    for elem in head.iterfind("meta[@content]") if head is not None else ():
        key = _meta_key(elem.get("property") or elem.get("name") or elem.get("itemprop") or "")
        if key in _DATE_KEYS and key not in found:
            found[key] = elem.get("content")
    return found


def _meta_key(name: str) -> str:
    return name.lower().translate(_PUNCTUATION)


def _markup_dates(tree: HtmlElement) -> tuple[list[datetime], list[datetime]]:
    """The dates of itemprop="datePublished" elements (any element: content, datetime or its
    text), and those of <time datetime> and microformat `published` elements outside related
    lists and comments: those marked as the publication (pubdate, class "published") first,
    updates last. One pass over the page for both."""
    itemprops, marked, plain, updated = [], [], [], []
    for elem in _MARKUP_DATES(tree):
        if elem.get("itemprop") in ("datePublished", "dateCreated"):
            value = elem.get("datetime") or elem.get("content") or elem.get("title")
            parsed = parse_date(value) or next(iter(text_dates(elem.text_content()[:200])), None)
            if parsed:
                itemprops.append(parsed)
            continue
        parsed = parse_date(elem.get("datetime") or elem.get("title"))
        if not parsed or _in_foreign_region(elem):
            continue
        parent = elem.getparent()
        label = " ".join(filter(None, (elem.get("class"), elem.get("itemprop"),
                                       parent.get("class") if parent is not None else None)))
        label = label.lower()
        if elem.get("pubdate") is not None or "publi" in label:
            marked.append(parsed)
        elif "updat" in label or "modif" in label:
            updated.append(parsed)
        else:
            plain.append(parsed)
    return itemprops, marked + plain + updated


def _in_foreign_region(elem: HtmlElement) -> bool:
    """Whether the element sits in a related list, a comment, a sidebar, a quotation or the
    page's footer (an article's own footer, with its date line, is not foreign). A blockquote is
    where embedded posts (Instagram, Twitter) keep their own <time>: corpus/dates, one page
    right instead of wrong."""
    for ancestor in (elem, *elem.iterancestors()):
        if ancestor.tag in ("article", "main", "body"):
            return False
        if ancestor.tag in ("aside", "nav", "blockquote"):
            return True
        name = f"{ancestor.get('class', '')} {ancestor.get('id', '')}"
        if ancestor.tag == "footer" or "footer" in name.lower():
            return not any(up.tag == "article" for up in ancestor.iterancestors())
        if name.strip() and FOREIGN_REGION.search(name):
            return True
    return False


# --- what the text states ----------------------------------------------------------------------

def _text_dates(page: _Page) -> Iterator[datetime]:
    """The dates people read as the article's, best first.

    Near the headline: the byline's, just under it (one with a time of day first); then date
    lines further down (a time of day or a weekday with the date: "Jum'at, 03 Maret 2023 -
    04:25 WIB", "Kamis (2/3/2023)"), then date lines above it (kickers). Then the elements
    named as dates around it ("published-date", "entry-meta"). Last, the other dates near
    the headline, "updated ..." ones after all others.
    """
    after, before = page.after, page.before
    byline = [w for w in after if w.position < page.byline_end and not w.updated]
    first = [w for w in byline if w.timed] + [w for w in byline if not w.timed]
    first += [w for w in after if w.line and not w.updated and w not in first]
    first += [w for w in before if w.line and not w.updated]
    yield from (w.value for w in first)
    for elem in _NAMED_ELEMENTS(_container(page.headline) if page.headline is not None
                                else page.tree):
        name = f"{elem.get('class', '')} {elem.get('id', '')}"
        if DATE_CLASS.search(name) and not _in_foreign_region(elem):
            written = _written(elem.text_content()[:300], page.lang)
            yield from (w.value for w in written if not w.updated)
    rest = [w for w in after + before if w not in first]
    yield from (w.value for w in sorted(rest, key=lambda w: w.updated))


def _container(elem: HtmlElement) -> HtmlElement:
    """The article element around the headline, else its ancestor a few levels up."""
    container = elem
    for _ in range(HEADLINE_CONTAINER_LEVELS):
        parent = container.getparent()
        if parent is None or parent.tag in ("body", "html"):
            break
        container = parent
        if container.tag == "article":
            break
    return container


def _headline(tree: HtmlElement) -> HtmlElement | None:
    """The heading that repeats the page's title (an h1, else an h2 or h3: some sites give
    the h1 to the section's name), else the first h1."""
    title = " ".join((tree.findtext(".//title") or "").split()).lower()
    first = None
    for elem in _headings(tree):
        text = " ".join(elem.text_content().split()).lower()
        if not text or _in_foreign_region(elem):
            continue
        if title and len(text) >= MIN_TITLE_CHARS and text[:MIN_TITLE_CHARS] in title:
            return elem
        if first is None and elem.tag == "h1":
            first = elem
    return first


def _headings(tree: HtmlElement) -> Iterator[HtmlElement]:
    """The h1, h2 and h3 of the page's body in document order, the first MAX_SIBLING_HEADINGS
    of each level among their siblings: what the XPath ".//body//h1[position() <= 5] | ..."
    selects, in a third less time (one walk for the three levels, no union to sort)."""
    for elem in tree.iterdescendants("h1", "h2", "h3"):
        earlier = elem.itersiblings(elem.tag, preceding=True)
        if _in_body(elem, tree) and next(islice(earlier, MAX_SIBLING_HEADINGS - 1, None),
                                         None) is None:
            yield elem


def _in_body(elem: HtmlElement, tree: HtmlElement) -> bool:
    """Whether the element is inside a <body> below `tree` (".//body//" from it)."""
    for ancestor in elem.iterancestors():
        if ancestor is tree:
            return False
        if ancestor.tag == "body":
            return True
    return False


def _text_after(elem: HtmlElement, limit: int) -> str:
    """The text that follows the element in the page, up to about `limit` characters."""
    parts: list[str] = []
    budget, node = limit, elem
    while node is not None and budget > 0:
        budget = _append(node.tail, parts, budget)
        sibling = node.getnext()
        while sibling is not None and budget > 0:
            budget = _gather(sibling, parts, budget)
            budget = _append(sibling.tail, parts, budget)
            sibling = sibling.getnext()
        node = node.getparent()
    return " ".join(parts)


def _text_before(elem: HtmlElement, limit: int) -> str:
    """The text that precedes the element among its parent's and grandparent's children."""
    chunks: list[str] = []
    budget, node = limit, elem
    for _ in range(2):
        sibling = node.getprevious()
        while sibling is not None and budget > 0:
            parts: list[str] = []
            _gather(sibling, parts, 4 * limit)
            text = " ".join(parts)[-limit:]
            chunks.insert(0, text)
            budget -= len(text)
            sibling = sibling.getprevious()
        node = node.getparent()
        if node is None or node.tag == "body":
            break
    return " ".join(chunks)


def _gather(elem: HtmlElement, parts: list[str], budget: int, depth: int = 0) -> int:
    """Append the element's readable text to `parts` until `budget` characters are spent:
    no scripts, no related lists and no photo captions ("Rabu (8/2/2017)" there is the
    photo's day, often not the article's). Returns what is left of the budget."""
    tag = elem.tag
    if not isinstance(tag, str) or tag in UNREAD_TAGS or depth > MAX_DEPTH:
        return budget
    if _named_other(elem.get("class"), elem.get("id")):
        return budget  # a photo's day, or other articles' days
    budget = _append(elem.text, parts, budget)
    for child in elem:
        if budget <= 0:
            break
        budget = _gather(child, parts, budget, depth + 1)
        budget = _append(child.tail, parts, budget)
    return budget


def _append(text: str | None, parts: list[str], budget: int) -> int:
    # lxml builds a new string at each reading of .text or .tail: read once, passed here
    if text:
        parts.append(text)
        budget -= len(text)
    return budget


def _named_other(class_: str | None, id_: str | None) -> bool:
    """Whether an element's class or id names a photo caption or other articles."""
    if class_ is None and id_ is None:  # most elements: no name to search
        return False
    name = f"{class_ or ''} {id_ or ''}"
    return "caption" in name.lower() or OTHER_ARTICLES.search(name)


@dataclass(frozen=True)
class Written:
    """A date written in a text."""

    value: datetime  # naive unless a zone is written with it
    position: int  # where in the text
    timed: bool  # written with a time of day
    line: bool  # a date line: with a time of day or a weekday (not a sentence's date)
    updated: bool  # announced as an update ("Aktualisiert am ...")


def text_dates(text: str, lang: str = "") -> list[datetime]:
    """The dates written in a text, in order: naive unless a zone is written with them.

    Numeric dates are day first ("2/3/2023" is 2 March) except in American English (lang
    "en-us").
    """
    return [written.value for written in _written(text, lang)]


def _written(text: str, lang: str) -> list[Written]:
    found = []
    spans = _date_spans(text)
    for pattern in _TEXT_PATTERNS:
        for match in (m for start, end in spans for m in pattern.finditer(text, start, end)):
            parsed = _matched_date(match, lang)
            if parsed:
                start = match.start()
                before = text[max(0, start - 30):start]
                if MEMBER_WORDS.search(before):
                    continue
                timed = match.group("hour") is not None
                line = timed or bool(WEEKDAYS.search(before[-15:]))
                found.append(Written(parsed, start, timed, line,
                                     bool(UPDATE_WORDS.search(before))))
    return sorted(found, key=lambda written: written.position)


def _date_spans(text: str) -> list[tuple[int, int]]:
    """The parts of the text that may hold a date: around its years. Every pattern needs one,
    and searching for it alone is much faster than trying the patterns at every word (most of a
    long text has no year at all)."""
    spans: list[tuple[int, int]] = []
    for match in _YEAR.finditer(text):
        start, end = max(0, match.start() - SPAN_BEFORE_YEAR), match.end() + SPAN_AFTER_YEAR
        if spans and start <= spans[-1][1]:
            spans[-1] = (spans[-1][0], end)
        else:
            spans.append((start, end))
    return spans


def _matched_date(match: re.Match, lang: str) -> datetime | None:
    groups = match.groupdict()
    if groups.get("month"):
        day, month, year = int(groups["day"]), _MONTH[groups["month"].lower()], int(groups["year"])
    elif groups.get("iyear"):
        day, month, year = int(groups["iday"]), int(groups["imonth"]), int(groups["iyear"])
    elif groups.get("short"):
        day, month, year = int(groups["a"]), int(groups["b"]), 2000 + int(groups["short"])
    else:
        day, month, year = int(groups["a"]), int(groups["b"]), int(groups["year"])
        american = groups["sep"] == "/" and lang == "en-us"
        if month > 12 or american and day <= 12:
            day, month = month, day
    try:
        moment = datetime(year, month, day)
    except ValueError:
        return None
    if groups.get("hour") is None:
        return moment
    hour = int(groups["hour"])
    ampm = (groups.get("ampm") or "").lower()
    if ampm.startswith("p") and hour < 12:
        hour += 12
    elif ampm.startswith("a") and hour == 12:
        hour = 0
    moment = moment.replace(hour=hour, minute=int(groups["minute"]),
                            second=int(groups.get("second") or 0))
    if groups.get("offset"):
        return _with_offset(moment, groups["offset"])
    if groups.get("zone"):
        return moment.replace(tzinfo=fixed_zone(timedelta(hours=ZONES[groups["zone"].lower()])))
    return moment


def _with_offset(moment: datetime, offset: str) -> datetime:
    sign = -1 if offset[0] == "-" else 1
    digits = offset[1:].replace(":", "")
    delta = timedelta(hours=int(digits[:2]), minutes=int(digits[2:]))
    return moment.replace(tzinfo=fixed_zone(sign * delta))


def _lang(tree: HtmlElement, url: str | None) -> str:
    """The page's language tag; a bare "en" is American unless the site's domain is not."""
    value = (tree.get("lang") or "").strip().lower().replace("_", "-")
    if value == "en":
        host = re.sub(r"^\w+://([^/:]+).*", r"\1", url or "").lower()
        return "en" if re.search(r"\.(uk|ie|au|nz|in|za|sg|my|id|ph|pk|ng|ke)$", host) else "en-us"
    return value


# --- zones, plausibility, the URL, the last resort --------------------------------------------

def _page_zone(stated: list[Stated]) -> tzinfo | None:
    """The zone the page's dates state: the first offset other than UTC, or the one that
    makes a zone-less time of the page (sailthru.date "22:28") equal a UTC one ("03:28Z")."""
    for item in stated:
        offset = item.value.utcoffset()
        if offset:
            return item.value.tzinfo
    universal = [s.value for s in stated if s.value.tzinfo is not None]
    for item in stated:
        # a time on the hour ("01:00:00") is as often a placeholder as a time of day
        if item.value.tzinfo is not None or not item.value.minute + item.value.second:
            continue
        for moment in universal:
            delta = item.value - moment.replace(tzinfo=None)
            if _real_offset(delta):
                return fixed_zone(delta)
    return None


def _real_offset(delta: timedelta) -> bool:
    """Whether a zone has this offset from UTC (not UTC itself): whole hours from -12 to +14,
    and the few half and quarter hours in use (India +05:30, Nepal +05:45, Iran +03:30, ...)."""
    minutes, rest = divmod(delta.total_seconds(), 60)
    if rest or not minutes or not -12 * 60 <= minutes <= 14 * 60:
        return False
    return minutes % 60 == 0 or minutes in _PART_HOUR_OFFSETS


_PART_HOUR_OFFSETS = {-9.5 * 60, -3.5 * 60, 3.5 * 60, 4.5 * 60, 5.5 * 60, 5.75 * 60, 6.5 * 60,
                      8.75 * 60, 9.5 * 60, 10.5 * 60, 12.75 * 60}


def _same_minute(shown: datetime, instant: datetime) -> bool:
    """Whether a time written without a zone is this instant in some zone's local time."""
    universal = instant.astimezone(UTC).replace(tzinfo=None, second=0, microsecond=0)
    return shown.tzinfo is None and _real_offset(shown - universal)


def _zoned(value: datetime, zone: tzinfo | None) -> datetime:
    """A naive time read in the page's zone; a UTC one shown in it (the same instant)."""
    if value.tzinfo is None:
        return value.replace(tzinfo=zone or UTC)
    if zone is not None and not value.utcoffset():
        return value.astimezone(zone)
    return value


def _plausible(value: datetime, now: datetime) -> bool:
    moment = value if value.tzinfo else value.replace(tzinfo=UTC)
    return moment.year >= EARLIEST_YEAR and moment <= now + FUTURE_TOLERANCE


def _url_day(url: str | None) -> date | None:
    match = URL_DATE.search(url or "")
    if not match:
        return None
    year, _, month, day, compact_month, compact_day = match.groups()
    try:
        return date(int(year), int(month or compact_month), int(day or compact_day))
    except ValueError:
        return None


def _htmldate(tree: HtmlElement, url: str | None, now: datetime) -> Stated | None:
    """htmldate's fast search of the whole page: markup it knows, then text patterns of the
    HTML (not its extensive search: PAGE_TEXT_CHARS)."""
    from htmldate import find_date  # imported on the few pages that need it

    try:
        found = find_date(tree, url=url, original_date=True, extensive_search=False,
                          max_date=(now + FUTURE_TOLERANCE).strftime("%Y-%m-%d"),
                          min_date=f"{EARLIEST_YEAR}-01-01")
    except Exception:  # a bug of the library costs the date, never the page
        logger.debug("htmldate failed", exc_info=True)
        return None
    parsed = parse_date(found)
    if parsed is not None and parsed.day != 1:
        # htmldate completes "März 2020" and "© 2020" to the 1st: a month or a year, not a day
        return Stated(parsed, "text")
    return None


# --- values ----------------------------------------------------------------------------------

def parse_date(value: object, timezone: tzinfo | None = None) -> datetime | None:
    """A machine-readable date (ISO 8601 and its usual variants, RFC 2822); naive when the value
    has no zone and no `timezone` is given; None for anything else or an implausible year."""
    if not isinstance(value, str) or not value.strip():
        return None
    parsed = _iso(value.strip()) or _rfc2822(value.strip())
    if parsed is None or not EARLIEST_YEAR <= parsed.year <= 2100:
        return None
    if parsed.tzinfo is None and timezone is not None:
        return parsed.replace(tzinfo=timezone)
    return parsed


# ISO 8601 and what CMSs make of it: "2023/03/03 04:25:00", "20230303T042500Z", detik's
# "2015-06-16T14-05-11Z" (the time's separator is repeated, so "22:28-05:00" keeps its offset)
_ISO = re.compile(r"((?:19|20)\d\d)[-/.]?(\d\d)[-/.]?(\d\d)(?:[T ]+(\d\d)([:-]?)(\d\d)(?:\5(\d\d?))?"
                  r"(?:[.,]\d+)?\s*(Z|[+-]\d\d(?::?\d\d)?)?)?", re.IGNORECASE)


def _iso(text: str) -> datetime | None:
    match = _ISO.match(text)
    if not match:
        return None
    year, month, day, hour, _, minute, second, offset = match.groups()
    try:
        moment = datetime(int(year), int(month), int(day), int(hour or 0), int(minute or 0),
                          int(second or 0))
    except ValueError:
        return None
    if not offset:
        return moment
    if offset.upper() == "Z":
        return moment.replace(tzinfo=UTC)
    return _with_offset(moment, offset if len(offset) > 3 else offset + "00")


def _rfc2822(text: str) -> datetime | None:
    if not re.match(r"(?:\w{3},\s*)?\d{1,2}\s+\w{3}\s+\d{4}", text):
        return None
    try:
        return parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError):
        return None
