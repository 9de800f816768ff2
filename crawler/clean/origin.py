"""Where a syndicated text comes from, as its own lines say ("Sumber: ...", "(Antara)").

Those lines are cut from the body and kept as the article's origin: the outlet (a readable
name: "Kompas.com", "detikNews", "ANTARA"), the URL as given and the title where the line gives
one. A line counts only as a whole line of its own ("Artikel ini telah tayang di Kompas.com
dengan judul ...") or, for the weaker forms ("(Antara)", "(dpa)", "(FR mit dpa)" closing a
paragraph, "Sumber: Antara"), among the body's last lines: a sentence that mentions Antara is
not an origin.
docs/extract.md, "Origin".
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from itertools import islice
from urllib.parse import urlsplit

from crawler.clean.agencies import AGENCIES

__all__ = ["Origin", "cut_origin", "outlet_name"]

# The closing lines where "(Antara)" and "Sumber: Antara" name the origin: the last paragraph
# and the one or two short lines residue cleaning leaves under it (an editor's initials).
TAIL_LINES = 3
# Longer lines are paragraphs: the longest provenance line seen (Kompas's, with a long title and
# its URL) is ~300 characters.
MAX_LINE_CHARS = 600
# An outlet's name is a few words; longer is a sentence ("originally published in November
# 2015 and has been updated ...").
MAX_OUTLET_WORDS = 6

# Where a standalone provenance line can start: only the lines starting so (and the closing
# lines) are read further. Scanning for line starts costs 0.1 ms a page on the corpus; searching
# each line for cue words anywhere cost 1-3 ms.
_LINE_START = re.compile(
    r"^[ \t\-–—•*]*(?:artikel|berita|tulisan|konten|baca artikel|sumber|source|"
    r"this (?:article|story|piece|report)|the (?:article|story)|a version|originally|"
    r"first published|republished|disadur|diterjemahkan|original)", re.MULTILINE | re.IGNORECASE)
# the wires whose mark closes a text: ANTARA's short form and every agency
_WIRES = ("antara", "ant", *sorted(set(AGENCIES) - {"antara"}, key=len, reverse=True))
_URL = r"(?P<url>https?://[^\s\"”<>]+)"
_QUOTED = r"[\"“”'‘’]"
# "Artikel ini telah tayang di Kompas.com dengan judul "...", Klik untuk baca: https://..."
_PUBLISHED_HERE = re.compile(
    r"^(?:artikel|berita|tulisan|konten)\s+ini\s+(?:telah\s+|sudah\s+|pernah\s+)?"
    r"(?:tayang|terbit|dimuat|diterbitkan|ditayangkan|dipublikasikan)\s+"
    r"(?:di|pada|dalam)\s+(?:laman\s+|situs\s+|website\s+|media\s+)?(?P<rest>.+)$",
    re.IGNORECASE)
_OUTLET_END = re.compile(r"\s+pada\s+|,\s|\.\s|\.$", re.IGNORECASE)  # "... pada 3/3/2023"
_WITH_TITLE = re.compile(r"\s+(?:dengan\s+judul|berjudul)\s*:?\s*", re.IGNORECASE)
# what stands between a title and its URL: ", Klik untuk baca:"
_LINK_CUE = re.compile(r"[,.]?\s*(?:klik untuk baca|baca selengkapnya|selengkapnya|klik|link|"
                       r"tautan|url|di sini|read more)?\s*:?\s*$", re.IGNORECASE)
# detik's copy line: "Baca artikel detiknews, "..." selengkapnya https://news.detik.com/..."
_READ_ON = re.compile(
    r"^baca artikel (?P<outlet>[\w.-]+)\s*,?\s*" + _QUOTED + r"(?P<title>.+?)" + _QUOTED +
    r"\s*selengkapnya\s*(?:di\s*(?:sini)?)?\s*:?\s*" + _URL + r"\W*$", re.IGNORECASE)
# "Sumber: Antara", "Source: Reuters", "Sumber: https://...", "Sumber: Tribunnews.com - https://"
_SOURCE = re.compile(
    r"^(?:sumber(?:\s+(?:berita|artikel|tulisan))?|source|disadur dari|diterjemahkan dari|"
    r"artikel asli|original(?: article)?)\s*:\s*(?P<rest>.+?)[\s.]*$", re.IGNORECASE)
# "This article first appeared on ...", "Originally published at ...", "This article is
# republished from The Conversation under a Creative Commons license."
_APPEARED = re.compile(
    r"^(?:(?:this|the|a version of this)\s+(?:article|story|piece|report)\s+"
    r"(?:was\s+|has\s+|is\s+)?(?:first\s+|originally\s+)?(?:appeared|published|ran|republished)"
    r"|originally\s+(?:published|appeared)|first\s+published|republished)"
    r"\s+(?:on|at|in|by|from)\s+(?:the\s+website\s+of\s+)?(?P<rest>.+)$", re.IGNORECASE)
# Where an outlet's name ends in the rest of such a line.
_NAME_END = re.compile(r"[,;:]\s|\.(?:\s|$)|\s(?:under|with|and|on|in|as|where)\s|\s*$",
                       re.IGNORECASE)
# "... kata dia. (Antara)", "(ANT)", "(Antara/Reuters)", "(ant/ian)", "(red/dpa)", "(FR mit
# dpa)": a wire's mark closing the text, after a sentence's end or alone on its line.
_WIRE_MARK = re.compile(
    r"(?:^|(?<=[.!?\"”’)]))\s*"
    r"\((?:[\w.]{1,15}(?:\s*/\s*|\s+(?:mit|with|dengan|avec|con)\s+)){0,2}?"
    r"(?P<wire>antara(?: news)?|" + "|".join(map(re.escape, _WIRES[1:])) + r")"
    r"(?:\s*/\s*[\w.]{1,15}){0,2}\)\W*$", re.IGNORECASE)
# A "Sumber:" line naming something else than an outlet is a data source ("Sumber: BPS",
# "Source: CDC"): a name counts when it is a known outlet, a site or a newsroom's name.
_NEWSROOM = re.compile(
    r"news|berita|\bpost\b|times|tribun|\bpos\b|harian|koran|daily|herald|journal|gazette|"
    r"\bmedia\b|\btv\b|radio", re.IGNORECASE)
# What follows "first published in/on" when it is not an outlet: a date, a day, an edition.
_NOT_OUTLET = re.compile(
    r"\b(?:1[89]|20)\d\d\b|\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?\s+\d|"
    r"\b(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday|senin|selasa|rabu|kamis|"
    r"jum'?at|sabtu|minggu)\b|\b(?:edition|issue|print|edisi)\b", re.IGNORECASE)
_DOMAIN = re.compile(r"^[a-z0-9-]+(?:\.[a-z0-9-]+)*\.(?:com|co\.id|id|co|net|org|tv|news|co\.uk|"
                     r"io)$")
_DETIK = re.compile(r"^detik(\w*)$", re.IGNORECASE)
_HOST_SUFFIX = re.compile(r"\.(?:com|co\.id|id|co|net|org|tv|news|or\.id|go\.id)$")

# Outlets by the names and hosts their lines use, lower-cased.
OUTLETS = {
    **dict.fromkeys(("antara", "ant", "antara news", "antaranews", "antaranews.com",
                     "kantor berita antara", "lkbn antara"), "ANTARA"),
    **dict.fromkeys(("kompas.com", "kompascom"), "Kompas.com"),
    "kompas": "Kompas", "kompas.id": "Kompas.id", "kompas tv": "Kompas TV",
    **dict.fromkeys(("tribunnews", "tribunnews.com"), "Tribunnews.com"),
    **dict.fromkeys(("liputan6", "liputan6.com"), "Liputan6.com"),
    **dict.fromkeys(("cnn indonesia", "cnnindonesia", "cnnindonesia.com"), "CNN Indonesia"),
    **dict.fromkeys(("cnbc indonesia", "cnbcindonesia", "cnbcindonesia.com"), "CNBC Indonesia"),
    **dict.fromkeys(("tempo", "tempo.co", "tempo.co.id"), "Tempo.co"),
    **dict.fromkeys(("okezone", "okezone.com"), "Okezone"),
    **dict.fromkeys(("sindonews", "sindonews.com"), "SINDOnews.com"),
    **dict.fromkeys(("republika", "republika.co.id"), "Republika"),
    **dict.fromkeys(("suara", "suara.com"), "Suara.com"),
    **dict.fromkeys(("jpnn", "jpnn.com"), "JPNN.com"),
    **dict.fromkeys(("viva", "viva.co.id"), "VIVA.co.id"),
    **dict.fromkeys(("kumparan", "kumparan.com"), "kumparan"),
    **dict.fromkeys(("idn times", "idntimes", "idntimes.com"), "IDN Times"),
    **dict.fromkeys(("merdeka", "merdeka.com"), "Merdeka.com"),
    **dict.fromkeys(("bisnis", "bisnis.com"), "Bisnis.com"),
    **dict.fromkeys(("kontan", "kontan.co.id"), "Kontan.co.id"),
    **dict.fromkeys(("jawapos", "jawapos.com"), "JawaPos.com"),
    **dict.fromkeys(("the jakarta post", "jakarta post", "thejakartapost.com"),
                    "The Jakarta Post"),
    **dict.fromkeys(("reuters", "reuters.com"), "Reuters"),
    **dict.fromkeys(("ap", "associated press", "apnews.com"), "AP"),
    **dict.fromkeys(("afp", "agence france-presse"), "AFP"),
    **dict.fromkeys(("xinhua", "kantor berita xinhua"), "Xinhua"),
    "bernama": "Bernama", "anadolu": "Anadolu", "kyodo": "Kyodo", "yonhap": "Yonhap",
    **dict.fromkeys(("bbc", "bbc news", "bbc.com", "bbc.co.uk"), "BBC"),
    **dict.fromkeys(("cnn", "cnn.com"), "CNN"),
}


@dataclass(frozen=True)
class Origin:
    outlet: str | None = None
    url: str | None = None
    title: str | None = None


def cut_origin(text: str, *, raw: str | None = None) -> tuple[str, Origin | None]:
    """(the text without its provenance lines, the origin they name or None).

    raw: the body before residue cleaning, whose rules drop some provenance lines ("Sumber:
    https://...", "Artikel ini telah tayang di ..."): their origin is read there.
    """
    found: list[Origin] = []
    kept = _cut(text, found)
    if raw:
        for line in _standalone_lines(raw):
            if line not in text:  # cut by residue cleaning
                _origin_of_line(line, found, tail=False)
    return kept, _merged(found)


def outlet_name(name: str) -> str:
    """The readable name of an outlet as a line spells it ("detiknews" -> "detikNews")."""
    name = " ".join(name.split()).strip(" .,:;-–—")
    key = name.lower().removeprefix("www.")
    if key in OUTLETS:
        return OUTLETS[key]
    if key in AGENCIES:
        return AGENCIES[key]
    detik = _DETIK.match(key.removesuffix(".com"))
    if detik:
        return "detik" + (detik.group(1).capitalize() if detik.group(1) else "com")
    return name


def _cut(text: str, found: list[Origin]) -> str:
    lines = text.split("\n")
    filled = list(islice((i for i in range(len(lines) - 1, -1, -1) if lines[i].strip()),
                         TAIL_LINES))
    starts = {text.count("\n", 0, match.start()) for match in _LINE_START.finditer(text)}
    cut = False
    for i in sorted({*filled, *starts}):
        # a closing paragraph of any length may end with "(Antara)"
        if i in filled or len(lines[i]) <= MAX_LINE_CHARS:
            line = _origin_of_line(lines[i], found, tail=i in filled)
            cut |= line != lines[i]
            lines[i] = line
    if not cut:
        return text
    return "\n".join(line for line in lines if line is not None).strip("\n")


def _standalone_lines(text: str) -> list[str]:
    """The lines of text that start as a provenance line can, whitespace normalised."""
    lines = []
    for match in _LINE_START.finditer(text):
        end = text.find("\n", match.start())
        line = text[match.start():end if end >= 0 else len(text)]
        if len(line) <= MAX_LINE_CHARS:
            lines.append(" ".join(line.split()))
    return lines


def _origin_of_line(line: str, found: list[Origin], *, tail: bool) -> str | None:
    """What is left of the line (None: nothing) once its provenance is read into `found`."""
    stripped = line.strip().lstrip("-–—•* ").strip()
    for read in (_published_here, _read_on, _appeared):
        origin, rest = read(stripped)
        if origin:
            found.append(origin)
            return rest
    origin = _source(stripped, tail=tail)
    if origin:
        found.append(origin)
        return None
    if tail:
        mark = _WIRE_MARK.search(stripped)
        if mark:
            found.append(Origin(outlet=outlet_name(mark.group("wire"))))
            return stripped[:mark.start()].rstrip() or None
    return line


def _published_here(line: str) -> tuple[Origin | None, str | None]:
    match = _PUBLISHED_HERE.match(line)
    if not match:
        return None, None
    url, before, after = _split_url(match.group("rest"))
    outlet, title = (*_WITH_TITLE.split(before, maxsplit=1), "")[:2]
    outlet = _OUTLET_END.split(outlet, maxsplit=1)[0]
    title = _LINK_CUE.sub("", title)
    if not _is_outlet(outlet) and not url and not title:
        return None, None
    # what follows the URL on the same line is the article's (a "Penulis: ..." byline)
    return Origin(_outlet(outlet, url), url, _title(title)), after or None


def _read_on(line: str) -> tuple[Origin | None, str | None]:
    match = _READ_ON.match(line)
    if not match:
        return None, None
    url = _clean_url(match.group("url"))
    return Origin(_outlet(match.group("outlet"), url), url, _title(match.group("title"))), None


def _appeared(line: str) -> tuple[Origin | None, str | None]:
    match = _APPEARED.match(line)
    if not match:
        return None, None
    url, before, _ = _split_url(match.group("rest"))
    outlet = before[:_NAME_END.search(before).start()].strip()
    if outlet and not _is_outlet(outlet) or not outlet and not url:
        return None, None
    return Origin(_outlet(outlet, url), url), None


def _split_url(text: str) -> tuple[str | None, str, str]:
    """(the first URL in text, the text before it, the text after it)."""
    found = re.search(_URL, text)
    if not found:
        return None, text.strip(), ""
    return (_clean_url(found.group("url")), text[:found.start()].strip(),
            text[found.end():].strip(" .,;"))


def _source(line: str, *, tail: bool) -> Origin | None:
    match = _SOURCE.match(line)
    if not match:
        return None
    url, name, _ = _split_url(match.group("rest"))
    name = name.strip(" -–—,|:()[]")
    if not name:
        return Origin(_outlet("", url), url) if url else None
    # a name alone is an outlet's when it is known or a site's; in the closing lines also when
    # it reads like a newsroom's ("Harian Jogja"): elsewhere it may be a chart's data source
    if not _is_outlet(name) or not (url or _is_site(name) or tail and _NEWSROOM.search(name)):
        return None
    return Origin(_outlet(name, url), url)


def _is_outlet(name: str) -> bool:
    """A few words that are a name ("Kompas.com", "The Conversation", "harian lokal" no)."""
    words = name.split()
    return 0 < len(words) <= MAX_OUTLET_WORDS and not _NOT_OUTLET.search(name) and (
        name[0].isupper() or _is_site(name) or bool(_NEWSROOM.search(name)))


def _is_site(name: str) -> bool:
    key = name.lower().removeprefix("www.")
    return key in OUTLETS or bool(_DETIK.match(key)) or bool(_DOMAIN.match(key))


def _outlet(name: str | None, url: str | None) -> str | None:
    if name and name.strip(" .,:;-–—"):
        return outlet_name(name)
    if url:
        return _host_outlet(url)
    return None


def _host_outlet(url: str) -> str | None:
    """The outlet a URL's host names: a known one by name, else the host itself."""
    host = (urlsplit(url).hostname or "").removeprefix("www.")
    if not host:
        return None
    labels = host.split(".")
    for start in range(len(labels) - 1):  # news.detik.com -> news.detik.com, detik.com
        key = ".".join(labels[start:])
        if key in OUTLETS:
            return OUTLETS[key]
    site = _HOST_SUFFIX.sub("", host).split(".")
    if site[-1] == "detik":
        return outlet_name("detik" + (site[0] if len(site) > 1 else ""))
    return host


def _title(title: str | None) -> str | None:
    if not title:
        return None
    title = title.strip().strip("\"“”'‘’").strip(" ,.:")
    return title.strip("\"“”'‘’").strip() or None


def _clean_url(url: str | None) -> str | None:
    return url.rstrip(".,;:)]") if url else None


def _merged(found: list[Origin]) -> Origin | None:
    """One origin from the lines that name it: the most complete line, completed by the others
    that agree with it (same outlet or none)."""
    if not found:
        return None
    ranked = sorted(found, key=lambda o: -sum(v is not None for v in (o.url, o.title, o.outlet)))
    best = ranked[0]
    for other in ranked[1:]:
        if other.outlet and best.outlet and other.outlet != best.outlet:
            continue
        best = replace(best, outlet=best.outlet or other.outlet, url=best.url or other.url,
                       title=best.title or other.title)
    return best
