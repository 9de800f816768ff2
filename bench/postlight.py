"""Authors, titles and publication dates of `extract` against trafilatura's, on held-out pages.

    .venv/bin/python -m bench.postlight                          # the figures of both sides
    .venv/bin/python -m bench.postlight --misses /tmp/postlight.txt  # the pages either got wrong

The pages are the test fixtures of the Postlight (Mercury) parser, github.com/postlight/parser:
one page per site (about 140 news and blog sites, several Japanese), read from the snapshot the
search tool's `fetch` brings to /work/.mirror/postlight+parser/repo (fetch postlight/parser
first; the snapshot's commit is printed at run time), never copied into this repository. Each
site's src/extractors/custom/<domain>/index.test.js names the page's url, the fixture it reads
(fixtures/<file>.html) and the values Mercury's hand-written extractor for that site must give:
`assert.equal(author, ...)`, likewise `title` and `date_published`. The page of a site is the
first fixture its test reads; its expected values are the first assertions made on that
fixture. The test files are read with regular expressions (comments dropped, JS string
literals decoded); sites whose test cannot be read that way are counted and skipped.

HELD OUT: no Liputan rule was made on these sites, and none may be made from them. This is a
measurement only; the misses file is for reading, not for tuning.

Scores, the same pages for both sides:
- authors: micro P/R/F1 over people, as bench.authors scores (its `norm`, `people`, `Tally`
  and `trafilatura_authors`): the expected string is split into people by `split_authors`, the
  splitter both sides are counted with; an expected null is a page that expects nobody. The
  expectations are Mercury's byline strings as written, not annotations made to Liputan's
  convention (people and news agencies only), so a site or team name expected counts as a
  person. Beside them, the same score against `PEOPLE_ONLY`: the expectations of 26 sites
  converted to that convention by reading the expected strings alone (as bench.authors converts
  trafilatura's annotations).
- titles: exact match after NFC, whitespace normalisation and case-folding.
- dates, on the pages whose expected date_published is not null: right when Liputan's
  `published_at` (naive means UTC) is within 24 hours of the expected instant; trafilatura
  gives a day only, so its date is right when that day is the expected instant's UTC day or
  the day before or after (a day-level check, more lenient than Liputan's).
"""

from __future__ import annotations

import argparse
import logging
import re
import subprocess
import unicodedata
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path, PurePosixPath

import trafilatura

from bench.authors import Tally, people, trafilatura_authors
from bench.mirrors import git_dir, git_ls, git_show
from crawler.clean.authors import split_authors
from crawler.clean.extract import extract
from crawler.decode import decode_body

REPO = "postlight/parser"
COMMIT = "e8ba7ece291efa4d915d50dd4deeec17d54359f2"  # the snapshot measured on 6 Dec 2026
TESTS = "src/extractors/custom"
FIELDS = ("author", "title", "date_published")
SIDES = ("liputan", "trafilatura")
DATE_TOLERANCE = timedelta(hours=24)
# Mercury's expected bylines follow Mercury's convention (whatever the byline element holds:
# teams, desks, outlets, URLs, roles). Liputan's convention keeps people and news agencies
# only, as bench.authors converts trafilatura's annotations (NOT_PEOPLE, REWRITTEN). These are
# the expectations of that convention, made by reading the expected strings alone (6 Dec 2026),
# no extractor's output; the other sites' strings are split as written. Scored beside the
# strings as written.
PEOPLE_ONLY: dict[str, list[str]] = {
    "biorxiv.org": [
        "Havell Markus", "Jun Zhao", "Tania Contente-Cuomo", "Elizabeth Raupach",
        "Ahuva Odenheimer-Bergman", "Sydney Connor", "Bradon R. McDonald", "Elizabeth Hutchins",
        "Marissa McGilvery", "Michelina C. de la Maza", "Kendall Van Keuren-Jensen",
        "Patrick Pirrotte", "Ajay Goel", "Carlos Becerra", "Daniel D. Von Hoff",
        "Scott A. Celinski", "Pooja Hingorani", "Muhammed Murtaza"],
    "bookwalker.jp": ["お米ゴハン"],  # 著者 (author); the illustrator is not the text's
    "clinicaltrials.gov": [],  # a university
    "epaper.zeit.de": ["Jochen Bittner", "Tina Hildebrandt"],  # "Politik · " is the section
    "fortune.com": ["John Patrick Pullen"],  # ", TIME": the outlet
    "genius.com": ["Prince and the Revolution"],  # the artist, one name
    "getnews.jp": ["neol"],  # the author page's URL
    "ici.radio-canada.ca": [],  # a desk
    "japan.zdnet.com": [],  # "Staff"
    "news.mynavi.jp": ["後藤大地"],  # 著者：
    "weekly.ascii.jp": ["オカモト"],  # 文● (text by) ... ／ASCII編集部 (the desk)
    "www.al.com": ["Mike Cason"],  # and an e-mail address
    "www.aol.com": [],  # "Staff"
    "www.apartmenttherapy.com": [],  # "Submissions"
    "www.asahi.com": [],  # a Facebook URL
    "www.broadwayworld.com": [],  # a news desk
    "www.infoq.com": ["Diogo Carleto"],  # 作者 (author); the translator is not the text's
    "www.investmentexecutive.com": ["Paul Wiseman", "Fatima Hussein"],  # of The AP
    "www.itmedia.co.jp": ["田中宏昌"],  # [name，ITmedia]
    "www.mentalfloss.com": [],  # a team
    "www.oreilly.co.jp": ["Eric Freeman"],  # 著 (author); 監訳 and 訳 are the translators
    "www.publickey1.jp": ["Junichi Niino"],  # and a biography
    "www.thepoliticalinsider.com": [],  # "Editor"
    "www.tmz.com": [],  # "STAFF"
    "www.yahoo.com": [],  # an outlet
    "www.youtube.com": [],  # a company's channel
}

# A JS string literal ('...', "..." or `...`) or comment; strings are matched first so that a
# "//" inside a url is not taken for a comment.
_TOKEN = re.compile(r"""'(?:\\.|[^'\\\n])*'|"(?:\\.|[^"\\\n])*"|`(?:\\.|[^`\\])*`"""
                    r"""|//[^\n]*|/\*.*?\*/""", re.DOTALL)
_LITERAL = r"""(?:'(?:\\.|[^'\\\n])*'|"(?:\\.|[^"\\\n])*"|`(?:\\.|[^`\\])*`)"""
_VALUE = rf"(?:null|{_LITERAL}(?:\s*\+\s*{_LITERAL})*)"
_ESCAPE = re.compile(r"\\(u\{[0-9a-fA-F]+\}|u[0-9a-fA-F]{4}|x[0-9a-fA-F]{2}|\r?\n|.)", re.DOTALL)
_SIMPLE_ESCAPES = {"n": "\n", "t": "\t", "r": "\r", "b": "\b", "f": "\f", "v": "\v", "0": "\0"}
_FIXTURE = re.compile(rf"readFileSync\(\s*({_LITERAL})")
_URL = re.compile(rf"\b\w*ur[il]\s*=\s*({_LITERAL})", re.IGNORECASE)
_ASSERT = re.compile(r"assert\.(?:strict)?[eE]qual\(\s*(author|title|date_published)\s*,\s*")
_ASSERTED_VALUE = re.compile(rf"({_VALUE})\s*,?\s*\)")


class Unparseable(Exception):
    """A test file this reader cannot take a page and its expectations from."""


@dataclass
class Page:
    site: str
    url: str
    fixture: str  # path in the repository
    expected: dict[str, str | None]  # only the fields the test asserts
    unasserted: dict[str, str] = field(default_factory=dict)  # the others, and why
    html: str = ""


@dataclass
class Found:
    authors: set[str] = field(default_factory=set)
    title: str | None = None
    date: datetime | date | None = None  # a datetime from Liputan, a day from trafilatura


# -- reading the tests ---------------------------------------------------------------------

def without_comments(source: str) -> str:
    return _TOKEN.sub(lambda m: m.group() if m.group()[0] in "'\"`" else " ", source)


def js_string(literal: str) -> str:
    """The value of one JS string literal (a template literal without substitutions)."""
    body = literal[1:-1]
    if literal[0] == "`" and "${" in body:
        raise Unparseable("template literal with a substitution")
    return _ESCAPE.sub(_unescape, body)


def _unescape(match: re.Match) -> str:
    code = match.group(1)
    if code.startswith("u{"):
        return chr(int(code[2:-1], 16))
    if code[0] in "ux" and len(code) > 1:
        return chr(int(code[1:], 16))
    if code in ("\n", "\r\n"):
        return ""  # a line continuation
    return _SIMPLE_ESCAPES.get(code, code)


def js_value(value: str) -> str | None:
    """null, or the value of literals joined by `+`."""
    if value == "null":
        return None
    return "".join(js_string(m.group()) for m in re.finditer(_LITERAL, value))


def parse_test(site: str, source: str) -> Page:
    """The page (first fixture read) of one site's test and the values asserted on it."""
    code = without_comments(source)
    reads = [(m.start(), js_string(m.group(1))) for m in _FIXTURE.finditer(code)]
    if not reads:
        raise Unparseable("no fixture read")
    start, fixture = reads[0]
    urls = [(m.start(), js_string(m.group(1))) for m in _URL.finditer(code)]
    urls = [(pos, url) for pos, url in urls if url.startswith("http")]
    if not urls:
        raise Unparseable("no url")
    url = min(urls, key=lambda item: abs(item[0] - start))[1]
    expected: dict[str, str | None] = {}
    unasserted: dict[str, str] = {}
    for match in _ASSERT.finditer(code):
        name = match.group(1)
        if name in expected or name in unasserted or \
                _fixture_at(reads, match.start()) != fixture:
            continue
        value = _ASSERTED_VALUE.match(code, match.end())
        if value is None:
            unasserted[name] = "asserted equal to an expression, not a literal"
        else:
            expected[name] = js_value(value.group(1))
    for name in FIELDS:
        if name not in expected and name not in unasserted:
            unasserted[name] = "asserted on a transformed value (e.g. .split())" \
                if re.search(rf"assert\.\w+\(\s*{name}\s*[.\[]", code) \
                else "no assertion (absent or commented out)"
    return Page(site, url, str(PurePosixPath(fixture.removeprefix("./"))), expected, unasserted)


def _fixture_at(reads: list[tuple[int, str]], position: int) -> str | None:
    """The fixture read last before `position` (the one an assertion there is about)."""
    before = [fixture for start, fixture in reads if start < position]
    return before[-1] if before else None


def load_pages() -> tuple[list[Page], dict[str, list[str]], int]:
    """The pages, the sites skipped by reason, and the further fixtures the tests read."""
    files = set(git_ls(REPO, COMMIT, "fixtures"))
    pages: list[Page] = []
    skipped: dict[str, list[str]] = {}
    further = 0
    for path in git_ls(REPO, COMMIT, TESTS):
        if not path.endswith("/index.test.js"):
            continue
        site = PurePosixPath(path).parent.name
        source = git_show(REPO, COMMIT, path).decode("utf-8")
        try:
            page = parse_test(site, source)
        except Unparseable as reason:
            skipped.setdefault(f"unparseable: {reason}", []).append(site)
            continue
        further += len({js_string(m.group(1)) for m in
                        _FIXTURE.finditer(without_comments(source))}) - 1
        if page.fixture not in files:
            skipped.setdefault("fixture missing from the snapshot", []).append(site)
            continue
        page.html = decode_body(git_show(REPO, COMMIT, page.fixture)).text
        pages.append(page)
    return pages, skipped, further


# -- what each side finds ------------------------------------------------------------------

def liputan_found(page: Page) -> tuple[Found, bool]:
    """Liputan's values, and whether its extraction failed."""
    result = extract(page.html, page.url)
    return (Found(people(result.authors), result.title, result.published_at),
            result.reason == "extraction_failed")


def trafilatura_found(page: Page) -> Found:
    document = trafilatura.bare_extraction(page.html, url=page.url, with_metadata=True)
    title = document.title if document else None
    day = _day(document.date) if document else None
    return Found(people(trafilatura_authors(page.html, page.url)), title, day)


def _day(value: str | None) -> date | None:
    try:
        return date.fromisoformat(value[:10]) if value else None
    except ValueError:
        return None


# -- scoring -------------------------------------------------------------------------------

def norm_title(title: str | None) -> str:
    return " ".join(unicodedata.normalize("NFC", title or "").split()).casefold()


def instant(value: str) -> datetime:
    when = datetime.fromisoformat(value)
    return when.replace(tzinfo=UTC) if when.tzinfo is None else when.astimezone(UTC)


def date_verdict(found: datetime | date | None, expected: datetime) -> str:
    """right, wrong or none; a datetime within DATE_TOLERANCE, a day within one day."""
    if found is None:
        return "none"
    if isinstance(found, datetime):
        when = found.replace(tzinfo=UTC) if found.tzinfo is None else found
        return "right" if abs(when - expected) <= DATE_TOLERANCE else "wrong"
    return "right" if abs((found - expected.date()).days) <= 1 else "wrong"


@dataclass
class Scores:
    authors: dict[str, Tally] = field(default_factory=lambda: {s: Tally() for s in SIDES})
    people_only: dict[str, Tally] = field(default_factory=lambda: {s: Tally() for s in SIDES})
    author_pages: int = 0
    titles: dict[str, int] = field(default_factory=lambda: dict.fromkeys(SIDES, 0))
    title_pages: int = 0
    dates: dict[str, dict[str, int]] = field(
        default_factory=lambda: {s: dict.fromkeys(("right", "wrong", "none"), 0) for s in SIDES})
    date_pages: int = 0
    failed: int = 0


def score_page(page: Page, found: dict[str, Found], scores: Scores) -> list[str]:
    """Add one page to the scores; the lines of the misses file for what either got wrong."""
    lines = []
    if "author" in page.expected:
        expected = people(split_authors(page.expected["author"]))
        scores.author_pages += 1
        converted = people(PEOPLE_ONLY[page.site]) if page.site in PEOPLE_ONLY else expected
        for side in SIDES:
            scores.authors[side].add(found[side].authors, expected)
            scores.people_only[side].add(found[side].authors, converted)
        if any(found[side].authors != expected for side in SIDES):
            lines.append(_miss("authors", page.expected["author"], sorted(expected),
                               {side: sorted(found[side].authors) for side in SIDES}))
    if page.expected.get("title") is not None:
        want = norm_title(page.expected["title"])
        scores.title_pages += 1
        right = {side: norm_title(found[side].title) == want for side in SIDES}
        for side in SIDES:
            scores.titles[side] += right[side]
        if not all(right.values()):
            lines.append(_miss("title", page.expected["title"], None,
                               {side: found[side].title for side in SIDES}))
    if page.expected.get("date_published") is not None:
        want_date = instant(page.expected["date_published"])
        scores.date_pages += 1
        verdicts = {side: date_verdict(found[side].date, want_date) for side in SIDES}
        for side in SIDES:
            scores.dates[side][verdicts[side]] += 1
        if any(verdict != "right" for verdict in verdicts.values()):
            lines.append(_miss("date", page.expected["date_published"], None,
                               {side: f"{_iso(found[side].date)} ({verdicts[side]})"
                                for side in SIDES}))
    return lines


def _miss(name: str, expected: object, as_people: list[str] | None,
          found: dict[str, object]) -> str:
    split = f"  -> {as_people}" if as_people is not None else ""
    return (f"  {name:<8} expected    {expected!r}{split}\n" +
            "\n".join(f"  {'':<8} {side:<11} {value!r}" for side, value in found.items()))


def _iso(value: datetime | date | None) -> str | None:
    return value.isoformat() if value else None


def report(scores: Scores, pages: list[Page], skipped: dict[str, list[str]], further: int,
           sites: int) -> None:
    print(f"{sites} site tests; {len(pages)} pages used (one per site), "
          f"{sites - len(pages)} skipped")
    for reason, names in sorted(skipped.items()):
        print(f"  skipped, {reason}: {len(names)} ({', '.join(sorted(names))})")
    print(f"  {further} further fixtures the tests read are not used (one page per site)")
    for name in FIELDS:
        unscored: dict[str, list[str]] = {}
        for page in pages:
            if name in page.unasserted:
                unscored.setdefault(page.unasserted[name], []).append(page.site)
            elif page.expected[name] is None and name != "author":
                unscored.setdefault("expected null", []).append(page.site)
        for reason, names in sorted(unscored.items()):
            print(f"  {name} not scored, {reason}: {len(names)} ({', '.join(names)})")
    print(f"\nauthors ({scores.author_pages} pages with an author assertion, "
          f"{len(pages) - scores.author_pages} without; micro over people)")
    print(f"  {'extractor':<12}{'P':>6}{'R':>6}{'F1':>6}   people and agencies only "
          f"(PEOPLE_ONLY: {len(PEOPLE_ONLY)} expectations converted)")
    for side in SIDES:
        precision, recall, f1 = scores.authors[side].f1()
        converted = scores.people_only[side].f1()
        print(f"  {side:<12}{precision:>6.3f}{recall:>6.3f}{f1:>6.3f}   "
              + "".join(f"{value:>6.3f}" for value in converted))
    print(f"\ntitles ({scores.title_pages} pages): exact after whitespace and case")
    for side in SIDES:
        print(f"  {side:<12}{scores.titles[side] / scores.title_pages:>6.3f}"
              f"  ({scores.titles[side]} pages)")
    print(f"\ndates ({scores.date_pages} pages with a non-null date_published): "
          f"liputan within 24 h; trafilatura day-level, ±1 day")
    print(f"  {'extractor':<12}{'right':>7}{'wrong':>7}{'none':>7}")
    for side in SIDES:
        shares = [scores.dates[side][v] / scores.date_pages for v in ("right", "wrong", "none")]
        print(f"  {side:<12}" + "".join(f"{share:>7.3f}" for share in shares))
    print(f"\n{scores.failed} pages where extract failed (their values count as none)")


def snapshot_commit() -> str:
    return subprocess.run(["git", f"--git-dir={git_dir(REPO)}", "rev-parse", COMMIT],
                          check=True, capture_output=True, text=True).stdout.strip()


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--misses", type=Path, help="write the pages either side got wrong")
    args = parser.parse_args(argv)
    logging.disable(logging.WARNING)
    commit = snapshot_commit()
    print(f"postlight/parser at {commit} (held out: measure only, make no rule from it)")
    pages, skipped, further = load_pages()
    unknown = set(PEOPLE_ONLY) - {page.site for page in pages if "author" in page.expected}
    if unknown:
        raise SystemExit(f"bench.postlight: PEOPLE_ONLY names no scored site: {sorted(unknown)}")
    sites = len(pages) + sum(len(names) for names in skipped.values())
    scores = Scores()
    misses = []
    for page in pages:
        liputan, failed = liputan_found(page)
        scores.failed += failed
        lines = score_page(page, {"liputan": liputan, "trafilatura": trafilatura_found(page)},
                           scores)
        if lines:
            misses.append(f"{page.site}  {page.url}\n  fixture  {page.fixture}\n" +
                          "\n".join(lines))
    report(scores, pages, skipped, further, sites)
    if args.misses:
        note = (f"Held-out pages: postlight/parser at {commit}. For reading by a person only; "
                f"no rule may be made from them.\n{len(misses)} pages either side got wrong.\n")
        args.misses.write_text(note + "\n" + "\n\n".join(misses) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
