"""Who wrote an article: the page's metadata, its byline markup, then the bylines of its text.

Authors are people and news agencies (AFP, dpa, ANTARA, ...). Sites, outlets, desks and teams
("Redaksi", "detikNews", "Kompas Cyber Media") are not, and neither are editors: "Editor:",
"Penyunting:" and "Redaktur:" name who checked the text, not who wrote it (trafilatura and
news-please keep the writer only too). "Pewarta:" (Antara's word), "Penulis:", "Reporter:",
"Laporan wartawan ..." and "Kontributor ..." name writers.

docs/extract.md, "Authors".
"""

from __future__ import annotations

import html
import re
import unicodedata
from collections.abc import Iterator
from urllib.parse import urlsplit

from lxml.etree import Element, XPath
from lxml.html import HtmlElement

from crawler.clean.agencies import AGENCIES
from crawler.clean.dates import MONTHS
from crawler.urls import registered_domain

__all__ = ["metadata_authors", "split_authors", "text_authors"]

# Words that make a byline an organisation, a desk or a site rather than a person.
ORGANISATION_WORDS = frozenset({
    "redaksi", "redaktion", "redaction", "redacción", "redazione", "rédaction", "editorial",
    "editors", "newsdesk", "desk", "newsroom", "team", "staff", "admin", "administrator",
    "administrador", "webmaster", "wordpressadmin", "news", "online", "media", "cybermedia",
    "wire", "magazin", "magazine", "zeitung", "verlag", "gmbh", "inc", "ltd", "llc",
    "pressestelle", "press-office", "webteam", "blog", "portal", "channel", "tv", "radio",
    "unknown", "anonymous", "anonim", "guest", "verband", "verein", "stiftung", "institut",
    "foundation", "collectif", "association", "gesellschaft", "ministerium", "kementerian",
    "humas", "pemkab", "pemkot", "agencies", "agency", "agenturen", "agentur", "agences",
    "design", "development", "developer",
    "biro", "divisi", "marketing", "coordinator", "manager", "director", "officer",
    "producer", "intern", "contributor", "correspondent", "university", "universität",
    "université", "universidad", "universidade", "università", "universitas", "hochschule",
    "média", "medien", "ag", "se", "ev", "designed", "powered", "hosted", "theme",
    "noticias", "notizie", "nachrichten", "sport", "sports", "deutschland", "österreich",
    "schweiz",
})
# Compounds of a desk's words: "Onlineredaktion", "Redaktionsteam", "Staffreport", and of an
# organisation's ("Bundesverband", "Förderverein", "Bundesministerium")
_DESK_COMPOUND = re.compile(r"\w+(?:redaktion|team|desk|verband|verein|stiftung|ministerium|"
                            r"agentur)$|^(?:redaktion|staff|newsdesk)\w+", re.IGNORECASE)
# Words of outlets' names that are no one's name when the name is also the site's
# ("Jakarta Globe", "Tempo English"); too common in surnames to reject everywhere ("Nathan Post").
OUTLET_WORDS = frozenset({
    "post", "times", "globe", "daily", "herald", "tribune", "tribun", "journal", "gazette",
    "express", "today", "star", "sun", "mirror", "mail", "telegraph", "chronicle", "observer",
    "review", "insider", "digital", "live", "info", "plus", "weekly", "report", "kurier",
    "rundschau", "anzeiger", "bote", "presse", "blatt", "nachrichten", "aktuell", "berita",
    "illustrierte",
    "warta", "harian", "koran", "pos", "suara", "indonesia", "english", "deutschland",
    "sport", "sports", "world", "international", "global", "network", "group", "hub", "bund",
    "deutscher", "deutsche",
})
# A site's name this long spelled inside a longer name makes the name the site's
MIN_SITE_KEY = 6
# Words of headings that no name has in capitals ("Letters To The Editor")
_FUNCTION_WORDS = frozenset({"to", "of", "for", "and", "with", "from", "on", "in", "at", "zu",
                             "für", "mit", "und", "über", "untuk", "dan", "dari", "pour", "avec",
                             "para", "con", "zur", "zum", "about", "sobre"})
ARTICLES = frozenset({"the", "a", "an", "der", "die", "das", "el", "la", "le", "les", "il", "lo",
                      "los", "las", "het", "de", "o", "os", "as"})
# What follows a site's name in an author that is the site ("detikcom", "kompastv")
SITE_SUFFIXES = frozenset({"com", "de", "id", "co", "net", "org", "tv", "fm", "online", "web"})
# Single words a byline holds that are no one's name: its lead-ins, dates and roles.
NOT_NAMES = frozenset({
    "posted", "published", "updated", "von", "by", "oleh", "stand", "veröffentlicht",
    "publiziert", "aktualisiert", "name", "autor", "author", "auteur", "penulis", "admin",
    "editor", "montag", "dienstag", "mittwoch", "donnerstag", "freitag", "samstag", "sonntag",
    "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday", "senin",
    "selasa", "rabu", "kamis", "jumat", "sabtu", "minggu", "phd", "follow", "datum", "date",
    "tanggal", "no author", "alle beiträge", "zuletzt geändert", "quelle", "source", "sumber",
    "fuente", "artikel von", "beitrag von", "mehr", "more", "lainnya", "delete", "edit",
    "share", "teilen", "bagikan", "email protected",
    # what is left of a relative time once its number is cut: "vor 5 Stunden", "hace 3 horas"
    "vor", "hace", "ago", "lalu", "il y a",
    # what a template prints for an empty field
    "null", "none", "undefined", "nan",
}) | {
    # what is left of a date line in a byline box once its numbers are cut ("December 12,
    # 2019", "April 3, 2020"), as of its weekday above. A writer signing with a month's
    # name alone ("June") is rarer than a date in that month
    name for names in MONTHS.values() for name in names.split()
}
# Labels of a byline; the writer's, then those of people who did not write the text.
WRITER_LABELS = (r"(?:(?:ein|eine|einen|a|an)\s+)?(?:(?:blog\s*)?beitrag|gastbeitrag|artikel|article|"
                 r"kolumne|kommentar|"
                 r"gastkommentar|essay|analyse|reportage|rezension|column|analysis|"
                 r"commentary|opinion|story|report)\s+(?:von|by)|"
                 r"text (?:und|&) (?:fotos?|bilder?)|texte et photos|text and photos|"
                 r"autorin|autoren|autorinnen|autor:innen|verfasserin|auteurs|autores|autora|"
                 r"story by|reported by|posted by|geschrieben von|erstellt von|eingestellt von|"
                 r"penulis|pewarta|reporter|wartawan|kontributor|koresponden|jurnalis|"
                 r"oleh|by|written by|words by|words|von|text|texte|autor|autorin|author|authors|"
                 r"verfasser|verfasst von|por|par|texto|auteur|autore|interview")
OTHER_LABELS = (r"editor|editors|penyunting|redaktur|redaktur pelaksana|editing|责任编辑|编辑|"
                r"übersetzung|übersetzt von|translation|translated by|traduction|traducción|"
                r"penerjemah|alih bahasa|"
                r"fotografer|videografer|foto|photo|photos|fotos|bild|bilder|illustration|"
                r"illustrationen|illustrations|grafik|infografik|zeichnung|zeichnungen")
# Credit lines at the text's ends that are no byline and stay in the text: a photo's source.
CREDIT_LABELS = re.compile(r"^(?:fotografer|videografer|foto|photo|photos|fotos|bild|bilder|"
                           r"illustration|illustrationen|illustrations|grafik|infografik|"
                           r"zeichnung|zeichnungen)$",
                           re.IGNORECASE)
# A name part of a personal name starting with a lower-case letter.
PARTICLES = frozenset({
    "de", "da", "di", "del", "della", "dos", "das", "du", "van", "von", "der", "den", "ten",
    "ter", "la", "le", "bin", "binti", "al", "el", "y", "e", "und", "ibn", "zu", "do", "dei",
    "degli", "af", "av", "op", "te", "d'", "l'",
})
TITLES = re.compile(r"^(?:(?:prof|dr|drs|dra|ir|mr|mrs|ms|mx|sir|dipl\.-ing|mag|ing)\.?\s+)+",
                    re.IGNORECASE)
# A role before a name: "Rechtsanwalt Sebastian Einbock", "FOCUS-Online-Experte Robin Tschöpe"
ROLES = re.compile(r"^(?:\S+-)?(?:experte|expertin|rechtsanwalt|rechtsanwältin|anwalt|anwältin|"
                   r"redakteur|redakteurin|chefredakteur|chefredakteurin|korrespondent|"
                   r"korrespondentin|journalist|journalistin|reporterin|kolumnist|kolumnistin|"
                   r"pressemitteilung von|gastautor|gastautorin)\s+(?=\S+\s)", re.IGNORECASE)
# Degrees after a name ("Dewi Lestari, M.Si", "Jane Roe, PhD") are no part of it.
DEGREES = re.compile(r"(?:,?\s+(?:ph\.?d|m\.?\s?si|m\.?\s?sc|m\.?a|s\.?h|s\.?e|s\.?pd|"
                     r"m\.?d|mba|msc|ba)\.?)+$", re.IGNORECASE)
EMAIL = re.compile(r"\S+@\S+\.\w+")
URLISH = re.compile(r"https?://|www\.|\.(?:com|net|org|id|de|co|info|io|at|ch|fr|uk|pl|nl|it|es|"
                    r"eu|be|ru|se|dk|fi|cz|us|au|jp|br|tv|news|biz)\b",
                    re.IGNORECASE)
# "bueltge de", "Bueltge De": a host whose dot trafilatura's reader dropped
_LOWER_TLD = re.compile(r"\s(?:com|net|org|de|at|ch|id|info|eu|Com|Net|Org|De|Info)$")
# One-word names in one byline from which they are categories or tags, not people
MIN_CATEGORY_WORDS = 3
# Longer names, or names of more words, are sentences or titles, not bylines.
MAX_NAME_CHARS = 50
MAX_NAME_WORDS = 6
# A byline line at the text's ends is short: two labels and a few names ("Penulis: X | Editor:
# Y" lines in Indonesian pages run to 60-90 characters); longer lines are sentences.
MAX_BYLINE_CHARS = 120
# Lines at each end of the text searched for a byline.
BYLINE_LINES = 3
# A byline may also follow the headline, a dateline and the lead ("Von X" under a teaser, in
# German magazines): lines before it, and lines of body that must follow it (a byline in a
# short text's middle is no byline). Read from the trafilatura eval pages' bylines, which sit
# at the second to fourth line.
LEAD_LINES = 3
MIN_LINES_AFTER_BYLINE = 3

# "y" and "e" join names in Spanish, Italian and Portuguese; not the "e. V." of a German club
# "X im Gespräch mit Y", "X in conversation with Y": an interview's byline names both
_SPLIT = re.compile(r"\s*(?:;|\||/|,|&|\s(?:and|dan|und|og|et|y|e(?!\.?\s?V\b)|"
                    r"im gespräch mit|in conversation with)\s)\s*", re.IGNORECASE)
# "Kontributor Lhokseumawe, Masriadi": the contributor's town, then the name
_CONTRIBUTOR = re.compile(r"\b(?:kontributor|koresponden|correspondent)\s+[^,;|]{2,30},\s*",
                          re.IGNORECASE)
_CONJUNCTIONS = {"and", "dan", "und", "og", "et", "y", "e"}
_CONJUNCTION = re.compile(r"^(?:and|dan|und|og|et|y|e)\s+", re.IGNORECASE)
# "dpa/lno", "det/dpa": a desk's or an editor's initials beside the agency
_INITIALS = re.compile(r"^[a-z]{1,4}$")
_SHORT_CODE = re.compile(r"^(?:[a-z]{1,4}|[A-Z]{1,4}|[A-Z]{1,3}-[A-Z]{1,3})$")  # "SP-X" too
_LABEL = re.compile(rf"^\s*(?P<label>{WRITER_LABELS}|{OTHER_LABELS})\b\s*(?:[:\-–—]\s*|\s+)",
                    re.IGNORECASE)
_OTHER = re.compile(rf"^(?:{OTHER_LABELS})$", re.IGNORECASE)
# Parts of one byline line: "Penulis : X | Editor : Y", "Penulis: X Editor: Y"
_SEGMENTS = re.compile(rf"\s+\|\s+|\s{{2,}}|\s+(?=(?:{OTHER_LABELS})\s*:)|"
                       rf"\s+(?=(?:{OTHER_LABELS})\s+(?:von|by|oleh|par|por|di)\s)", re.IGNORECASE)
_EDITOR_LINE = re.compile(r"(?:^|\|)\s*(?:editor|editors|penyunting|redaktur|redaktur pelaksana)"
                          r"\s*:\s*(?P<names>[^|]+)", re.IGNORECASE)
# The name of an HTML entity: what is left of an escaped "&oacute;" split on its "&" and ";"
_ENTITY = re.compile(r"[a-z]{1,2}(?:acute|grave|uml|circ|tilde|cedil|ring|slash|lig)|szlig|amp|"
                     r"nbsp|quot|apos|#\d+", re.IGNORECASE)
_EDITED = re.compile(r"\b(?:edited by|herausgegeben von|hrsg\.|disunting oleh)", re.IGNORECASE)
# A byline's segment that is its date or time: "27.01.2022 - 12:45", "10:30 WIB"
_DATE_SEGMENT = re.compile(r"[\d\s.:/,\-–—]*\d[\d\s.:/,\-–—]*(?:uhr|wib|wita|wit|am|pm)?",
                           re.IGNORECASE)
# A wire story's dateline: a place in capitals or capitalised, the agencies, a dash
_DATELINE = re.compile(r"^\s*(?:[^\W\d_][\w.'’-]*(?:\s[^\W\d_][\w.'’-]*){0,3}\s*)?"
                       r"\((?P<agencies>[^()]{2,40})\)\s*[-–—]\s")
# "Quelle: kathpress", "Source: AFP": the text's source, an agency or not
_SOURCE = re.compile(r"^\s*(?:quelle|source|sumber|fuente|fonte)\s*:\s*(?P<names>.+)$",
                     re.IGNORECASE)
# "11.12.2019 - Amelie Loevenich": a date, a dash or a bar, then the rest of the line
_DATED_NAME = re.compile(r"\d{1,4}[./-]\d{1,2}[./-]\d{2,4}\s+[-–—|·•]\s+(?P<name>[^\d|]+)")
_OBFUSCATED_AT = re.compile(r"\s*[\[(]at[\])]\s*", re.IGNORECASE)
_WIRE = re.compile(r"^\s*\((?P<agency>[^()/]+?)(?:/[^()]*)?\)\s*$")
_LAPORAN = re.compile(r"^\s*laporan\s+(?:wartawan|reporter|koresponden|kontributor|jurnalis)"
                      r"\s+(?P<rest>.+)$", re.IGNORECASE)
# "View all posts by X", "Eingestellt von X", "Ditulis oleh X": a byline's lead-in
_PREFIX = re.compile(
    r"^[~\W]*(?:(?:view all posts|all posts|more posts|zeige alle beiträge|alle beiträge|"
    r"mehr artikel|artikel|beitrag|ein beitrag|eingestellt|veröffentlicht|erstellt|geschrieben|"
    r"verfasst|publiziert|posted|written|published|submitted|article|ditulis|diposting|"
    r"dipublikasikan|diterbitkan|publié|écrit|escrito|publicado|scritto|pubblicato)\s+)?"
    r"(?:von|vom|by|oleh|par|por|da|from)\s*:?\s+(?=\w)", re.IGNORECASE)
# "Posted on May 3, 2020 by X", "Posted in News by X": the lead-in's date or category first
_INNER_BY = re.compile(r"^\W*(?:posted|written|published|geschrieben|erstellt|veröffentlicht|"
                       r"eingestellt|ditulis|diposting)\s+(?:on|in|am|im|pada)\s.{1,40}?\s"
                       r"(?:by|von|oleh)\s+(?=\w)", re.IGNORECASE)
# A writer's label inside a line of labelled fields
_INNER_LABEL = re.compile(rf"(?:^|\s)(?:{WRITER_LABELS})\s*:\s*(?P<names>[^:]+?)"
                          rf"(?=\s+[^\W\d_]+\s*:|$)", re.IGNORECASE)
# What follows a name in a byline: its date, place or time ("X am 21. April 2020", "X | 10:30")
_SUFFIX = re.compile(r"\s+(?:am|on|at|pada|um|stand|vor|hace|jurnalis|reporter|wartawan|kontributor|"
                     r"correspondent|updated|aktualisiert|diperbarui|"
                     r"[|•·—–-])(?:\s.*|:.*)?$|"
                     # "Tomas Spahn Fr, 18. Oktober 2019": an abbreviated weekday, then the date
                     r",?\s+(?:mo|di|mi|do|fr|sa|so|mon|tue|wed|thu|fri|sat|sun)\.?,\s.*$|"
                     # a date or a time, not the digits of a handle ("freeman1984")
                     r"\s*(?<!\w)\d.*$", re.IGNORECASE)
# an e-mail, a colon left after a label ("En kiosques : juillet"), markup or code
_NOT_NAME_CHARS = re.compile(r"[@:{}<>=]|^_")
# "By X Thursday, November 9, 2023": a weekday, abbreviated or not, then a comma and the date
_WEEKDAY_DATE = re.compile(r",?\s+(?:mo|di|mi|do|fr|sa|so|mon|tue|wed|thu|fri|sat|sun|monday|"
                           r"tuesday|wednesday|thursday|friday|saturday|sunday|montag|dienstag|"
                           r"mittwoch|donnerstag|freitag|samstag|sonntag|lundi|mardi|mercredi|jeudi|"
                           r"vendredi|samedi|dimanche|lunes|martes|miércoles|jueves|viernes|"
                           r"sábado|domingo|senin|selasa|rabu|kamis|jumat|sabtu|minggu)\.?,\s.*$",
                           re.IGNORECASE)
# A signature line: two or three capitalised words ("Stefan Wasmer")
# (its surname in capitals too: "Kazım TÜRKMEN")
_CAPITALISED = r"[^\W\d_a-zß-ÿ][^\W\d_A-Z]+(?:-[^\W\d_][^\W\d_A-Z]+)?"
_SIGNATURE = re.compile(rf"{_CAPITALISED}(?: {_CAPITALISED})? "
                        rf"(?:{_CAPITALISED}|[^\W\d_a-zß-ÿ]{{2,}}(?:-[^\W\d_a-zß-ÿ]{{2,}})?)")
# Words of a button or a heading closing a page, no one's name: "Join Now", "View Full
# Profile", "Related Resources", "Mehr erfahren"
PROMPT_WORDS = frozenset({
    "my", "your", "our", "now", "more", "full", "related", "view", "join", "start", "know",
    "read", "learn", "click", "sign", "subscribe", "contact", "share", "shop", "buy", "see",
    "here", "resources", "profile", "jetzt", "mehr", "alle", "hier", "weiterlesen", "kontakt",
    "mein", "meine", "dein", "deine", "ihr", "ihre", "unser", "unsere",
})
# An office under a signature: "Stellvertretende Pressesprecherin", "DITIB-Bundesvorsitzender",
# "Chair of the Board"; no sentence, number, address or link
_ROLE_LINE = re.compile(r"[^\W\d_a-zß-ÿ][^\W\d_]*(?:[ -][^\W\d_]+){0,9}")
# A user name with digits ("freeman1984", "r23"): one word starting with a letter
_HANDLE = re.compile(r"[^\W\d_][\w.-]*\d[\w.-]*")
_NON_ALNUM = re.compile(r"[\W_]+")
# A middle name's initial: "P.", "J"
_INITIAL = re.compile(r"[^\W\d_]\.?")
_INITIAL_WITH_DOT = re.compile(r"[^\W\d_a-zß-ÿ]\.")
# A name in brackets after the text's last sentence, before an end mark ("+++", "■")
_CLOSING_NAME = re.compile(r"[.!?\"“”»]\s*\((?P<name>[^()\d:,;/]{5,50})\)[\s+*#■□•]*$")
# A parenthesised aside in a byline: "(Gastbeitrag)", "(Sponsored Post)"
_ASIDE = re.compile(r"\s*\([^()]{1,40}\)")
# A role after a byline's name is a phrase: a word in lower case ("a reporter at", "Redner bei")
_ROLE_PHRASE = re.compile(r"(?:^|\s)[^\W\d_A-ZÀ-Þ][\w-]*(?:\s|$)")
_WORD = re.compile(r"[^\W\d_][\w'’.-]*")
_SENTENCE_END = re.compile(r"[.!?]\s*$")
# Byline markup, read when the metadata names nobody. trafilatura's own author search
# (metadata.extract_author) copies the whole tree, to drop comments, sidebars and dates, and
# runs regular expressions on every element: its XPaths cost 13 ms a page over the corpus here.
# One walk over the elements' attributes picks the candidates instead (`_byline_candidates`),
# ranked in Python as trafilatura's XPaths rank them; an element inside a comment, a sidebar or
# a caption is skipped.
_BYLINE_TAGS = ("byline", "author")
_EDITOR_MARKUP = XPath("//@itemprop[. = 'editor']/..")
# "<div>Penulis: Rina Putri</div>" in no byline markup: tried last, when nothing else named
# anyone. The elements' own first text is matched in Python: as an XPath (starts-with over
# normalize-space(text())) the same search cost 1 ms a page for four labels, 3 ms for fifteen;
# this loop costs 0.4 ms over the corpus and stops at the first elements found.
_LABEL_TAGS = ("div", "p", "span", "td", "li", "strong", "b", "em", "small", "address", "h5",
               "h6")
INDONESIAN_LABEL_TEXT = re.compile(r"\s*(?:Penulis|Pewarta|Reporter|Oleh)")
# The same in other languages: "Autor: X", "Von X", "By X", "Posted by X", "Auteur : X"
# ("<span>By</span><span><a>X</a></span>": the label alone, its parent holds the name)
OTHER_LABEL_TEXT = re.compile(r"\s*(?:Autor|Author|Auteur|Von|von |By\b|by\b|Text|Interview\b|Posted by|"
                              r"Ein Artikel von|Ein Beitrag von|"
                              r"Written by|Geschrieben von|Erstellt von|Eingestellt von|Par |"
                              r"Por )")
# "06.11.2023 13:30 von Rina Putri": a byline's date before its label
_DATE_LEAD = re.compile(r"^\s*\d{1,4}[./-]\d{1,2}[./-]\d{2,4},?(?:\s+\d{1,2}[:.]\d{2}(?:\s*uhr)?)?"
                        r"\s+(?=(?:von|by|oleh|par|por)\s)", re.IGNORECASE)
_NO_LABELS = re.compile(r"(?!)")  # markup only: no labelled text is searched
# The commenter's name in a comment's header: "comment-author", "comment_author", "author_name"
_COMMENTER_CLASS = re.compile(r"comment[-_]?author|author[-_]?name|username")
# What a comment's header says after the name: "sagt:", "says:", "said on ..."
_COMMENT_VERB = re.compile(r"\s+(?:sagt|says|said|schreibt|schrieb|wrote|writes|meint|"
                           r"antwortete?|replies|replied|dit|a dit|écrit|dice|dijo|scrive)\b.*$|"
                           r"\s*:\s*$", re.IGNORECASE)
ALL_LABEL_TEXT = re.compile(rf"{INDONESIAN_LABEL_TEXT.pattern}|{OTHER_LABEL_TEXT.pattern}")
# Elements that hold a whole page or article, whatever their class says
_PAGE_TAGS = {"html", "body", "main", "article", "section"}
# Two to four words of letters, initials or hyphenated parts: a name and nothing else
_NAME_WORD = r"[^\W\d_]+(?:[.'’-][^\W\d_]+)*\.?"
_PLAIN_NAME = re.compile(rf"{_NAME_WORD}(?: {_NAME_WORD}){{1,3}}")
# A full name opening a text, then a dash: "Stefanus Stahl - Maschinenbauer"
_FULL_NAME_HEAD = re.compile(r"(?P<first>[^\W\d_][\w'’-]*)(?: [^\W\d_a-zß-ÿ][\w'’.-]*){1,2}"
                             r"(?=\s+[-–—|]\s)")
# Byline elements read for a first name's full spelling
MAX_CANDIDATES_READ = 30
# A note on the writer closing the text: their name, then "is"
_AUTHOR_NOTE = re.compile(rf"(?P<name>{_NAME_WORD}(?: {_NAME_WORD}){{1,3}}) (?:ist|is|est|es|è|é|"
                          r"adalah|war|was|arbeitet|works|schreibt|writes|lebt|lives) ")
MAX_NOTE_CHARS = 400
_SPECIFIC_TAGS = {"a", "address", "div", "link", "p", "span", "strong"}
_GENERIC_TAGS = {"a", "div", "h3", "h4", "p", "span"}
_SPECIFIC_CLASS = re.compile(r"author-?name|AuthorName|authorName")
_GENERIC_CLASS = re.compile(r"author|channel-name|zuozhe|bianji|submitted-by|posted-by|"
                            r"journalist-name")
_LAST_RESORT_CLASS = re.compile(r"[Aa]uthor|screenname|writer|[Bb]yline|auteur|[Aa]utor")
_INDONESIAN_CLASS = re.compile(r"penulis|reporter|pewarta")
# Parts of a page whose names are not the article's authors: comments, sidebars, related
# stories, captions. trafilatura's list (AUTHOR_DISCARD_XPATHS) also matches "category-..." in
# the classes WordPress gives every post's wrapper, which costs most blogs' bylines.
_NOT_BYLINE_CLASS = re.compile(
    r"(?:^|\s)(?:(?!has-|no-|with-)\S*comment\S*|sidebar\S*|widget\S*|related\S*|is-hidden|"
    r"quote|blockquote|caption\S*|photo\S*|foto\S*|image\S*|img\S*|thumb\S*|gallery\S*)"
    r"(?:\s|$)", re.IGNORECASE)
_NOT_BYLINE_ID = re.compile(r"^comment", re.IGNORECASE)
_NOT_BYLINE_TAGS = {"time", "figure", "figcaption", "blockquote"}
# the head's children only: "//head" walks the whole tree
_META_AUTHOR = XPath("head/meta[@name='author' or @property='article:author' or "
                     "@name='dc.creator' or @name='DC.creator' or @name='dc.Creator' or "
                     "@name='DC.Creator']/@content")
_PAGE_URL = XPath("string(head/link[@rel='canonical']/@href | "
                  "head/meta[@property='og:url']/@content)")
# More names in one byline element are a list of categories or related links.
MAX_MARKUP_NAMES = 5
# Elements whose text the labels' search reads: a byline comes before the end of the article,
# and the end of a long page is its footer and comments (the dev set's labelled bylines all
# come within the first 600 such elements; 1,500 leaves room for longer pages).
MAX_LABEL_ELEMENTS = 1500
# A writer's own page: "/author/rina-putri", "/autoren/rina-putri"
_AUTHOR_PAGE = re.compile(r"/(?:authors?|autor(?:en)?|auteurs?|penulis|writers?|profile)"
                          r"(?:/|\?|$)", re.IGNORECASE)
# A link beside a byline with this many words is another story's headline: a teaser's byline.
TEASER_HEADLINE_WORDS = 4
# Markup elements tried before giving up: bylines come early in the page.
MAX_MARKUP_ELEMENTS = 12


def metadata_authors(tree: HtmlElement, author: str | None, *,
                     site_name: str | None = None, url: str | None = None) -> list[str]:
    """Authors from the page's metadata (`author`: what trafilatura's meta readers found), or
    from its byline markup when the metadata names nobody (or only initials)."""
    sites = _site_keys(site_name, url or _PAGE_URL(tree) or None)
    # an e-mail address written "cipha[at]cipha.net" against spam is an address all the same
    meta = [_OBFUSCATED_AT.sub("@", value) for value in _META_AUTHOR(tree) if value.strip()]
    # trafilatura's readers turn "Liputan6.com" into "Liputan": the page's own value is judged
    rejected = {_key(value) for value in meta if _is_organisation(value, sites)}
    # and its parts, as trafilatura's readers split it: "Hire" of "Jobs & Hire"
    # (not the slug of a profile's URL, "https://x.com/author/rina-putri")
    rejected_parts = {_key(part) for value in meta if _key(value) in rejected
                      and not URLISH.search(value) for part in split_authors(value)}
    parts = split_authors(author)
    if any(_ENTITY.fullmatch(part) for part in parts):
        # "Redacci&oacute;n" escaped twice, read by trafilatura as "Redacci; Oacute; N": no
        # name of it can be trusted, the byline markup is read instead
        parts = []
    names = [name for name in _people(parts, sites)
             if not any(value.startswith(_key(name)) for value in rejected)
             and _key(name) not in rejected_parts]
    raw = next((value for value in meta if not URLISH.search(value)), None)
    confirmed = False  # every name is in <meta name=author>
    if raw:
        # trafilatura's readers split "Putri, Rina" into two people and "T. V. Raman" into
        # "T V Raman": the page's own spelling when it names the same people
        spelled = _people(split_authors(_tidy(raw)), sites)
        same = all(" " in n for n in spelled) and \
            {_key(n) for n in names} <= {_key(n) for n in spelled}
        if spelled and (same or _last_first(raw) or html.unescape(raw) != raw):
            names = spelled
        confirmed = bool(names) and {_key(n) for n in names} <= {_key(n) for n in spelled}
    if names:
        names = [name for name in _page_spelling(tree, names, meta)
                 if not _is_organisation(name, sites)]
        names = _byline_spelling(tree, names, meta)
        if len(names) == 1 and " " not in names[0]:
            names = _full_spelling(tree, names[0], sites)
        if not confirmed:
            # JSON-LD "author" names the editor on some sites (Antara's, which have no
            # <meta name=author>); the search walks the whole tree, so only then
            editors = {_key(_element_text(e)) for e in _EDITOR_MARKUP(tree)}
            names = [name for name in names if _key(name) not in editors]
    if names and not (raw and _INITIALS.match(raw.strip())) and _doubtful(names, meta, sites):
        # the metadata names no one by a person's name, or adds a person the byline does not
        # show: the byline markup's people, when they settle it
        names = _byline_arbitrates(tree, names, meta, sites) or names
    elif len(names) > 2 and not confirmed:
        # JSON-LD lists three people or more, one byline element fewer of them: those
        # it shows wrote the text (the others produced or edited it)
        byline = _byline_list(tree, sites)
        if byline and {_key(name) for name in byline} < {_key(name) for name in names} and \
                all(map(_full_name, byline)):
            names = byline
    elif not names or raw and _INITIALS.match(raw.strip()):
        # no name, or a desk's initials ("bgs"): the byline in the page names the writer
        candidates = _byline_candidates(tree)
        editors = {_key(_element_text(e)) for e in candidates
                   if e.get("itemprop") == "editor"} - {""}
        # Indonesian labels on pages that may be Indonesian, both when the meta author is the
        # outlet (Kompas's pages say lang="en")
        lang = (tree.get("lang") or "").lower()
        labels = INDONESIAN_LABEL_TEXT if lang.startswith(("id", "in", "ms")) \
            else ALL_LABEL_TEXT if rejected or not lang else OTHER_LABEL_TEXT
        names = _markup_authors(tree, candidates, sites, editors, labels=labels) or names \
            or _post_author(candidates, sites)
    return names


def _byline_candidates(tree: HtmlElement) -> list[HtmlElement]:
    """The elements whose markup says byline, in document order: a class naming an author
    ("autor" in German, Spanish and Portuguese, "auteur" in French), a byline, a writer, a
    username, a penulis or a reporter; an id naming an author; rel="author"; an itemprop naming
    an author or the editor; <byline> and <author>."""
    # A walk in Python, each element's attributes read at once, costs 0.6 of one XPath union
    # of the same tests (its "//@class[...]/.." parts each build a set of attribute nodes).
    found = []
    for element in tree.iter(Element):
        if element.tag in _BYLINE_TAGS:
            found.append(element)
            continue
        for name, value in element.items():
            if name == "class" and ("uthor" in value or "autor" in value or "auteur" in value
                                    or "yline" in value or "writer" in value
                                    or "username" in value or "penulis" in value
                                    or "reporter" in value) \
                    or name == "id" and "uthor" in value \
                    or name == "rel" and value == "author" \
                    or name == "itemprop" and ("author" in value or value == "editor"):
                found.append(element)
                break
    return found


def _byline_list(tree: HtmlElement, sites: set[str]) -> list[str]:
    """The people of the first byline element that names more than one."""
    for element in _byline_candidates(tree)[:MAX_CANDIDATES_READ]:
        if _tier(element) not in (0, 1, 2) or _not_byline(element):
            continue
        text = _element_text(element)
        if len(text) <= MAX_BYLINE_CHARS:
            names = _people(_before_dateline(split_authors(_tidy(text))), sites)
            if len(names) > 1:
                return names
    return []


def _doubtful(names: list[str], meta: list[str], sites: set[str]) -> bool:
    """Metadata authors that the byline markup should settle: none is a person's full name or a
    capitalised single name (a pen name, "Jessie"), as a site's or a publisher's name that
    passed as a person's ("Die FURCHE") or a CMS login ("jrobison") are not; or
    <meta name=author> names one person among others (the page's producer or publisher beside
    the writers that JSON-LD names; not when the meta tags name them all, one a tag)."""
    keys = {_key(name) for name in names}
    return not any(_full_name(name) or name[:1].isupper() and " " not in name for name in names) \
        or len(names) > 1 and any(_full_name(value) and _key(value) in keys for value in meta) \
        and not keys <= {_key(value) for value in meta}


def _byline_arbitrates(tree: HtmlElement, names: list[str], meta: list[str],
                       sites: set[str]) -> list[str]:
    """The byline markup's names instead of doubtful metadata names ([]: the metadata stays).
    A byline of people's full names beats metadata naming none; a byline whose people are all
    among the metadata's, without the person <meta name=author> adds, beats that person."""
    candidates = _byline_candidates(tree)
    editors = {_key(_element_text(e)) for e in candidates
               if e.get("itemprop") == "editor"} - {""}
    byline = _markup_authors(tree, candidates, sites, editors, labels=_NO_LABELS)
    if not byline:
        return []
    keys = {_key(name) for name in names}
    if not any(_full_name(name) for name in names):
        return byline if all(_full_name(name) for name in byline) else []
    shown = {_key(name) for name in byline}
    added = {_key(value) for value in meta} & keys - shown
    return byline if added and shown <= keys and all(map(_full_name, byline)) else []


def _page_spelling(tree: HtmlElement, names: list[str], meta: list[str]) -> list[str]:
    """trafilatura's readers drop the dots of initials and a handle's digits ("T V Raman",
    "Freeman"): each name as the page's meta tags or JSON-LD spell it (not as a URL's slug,
    "t-v-raman")."""
    if not any(len(token) == 1 or " " not in name for name in names for token in name.split()):
        return names  # nothing trafilatura's readers may have cut
    sources = "\n".join([*meta, *(script.text or "" for script in tree.iterfind(".//script[@type]")
                                  if "ld+json" in script.get("type", ""))])
    if not sources.strip():
        return names
    spelled = []
    for name in names:
        match = re.search(rf"(?<![\w./-]){_spelling_pattern(name)}(?![\w/-])", sources,
                          re.IGNORECASE)
        spelled.append(" ".join(match.group().split()) if match else name)
    return spelled


def _byline_spelling(tree: HtmlElement, names: list[str], meta: list[str]) -> list[str]:
    """A name the metadata gives as a login ("gabor_munier", read "Gabor Munier") as the
    byline markup spells it, accents and all ("Gàbor Muniér")."""
    handles = {_key(value) for value in meta if "_" in value or value.islower()}
    if not any(_key(name) in handles and name.isascii() for name in names):
        return names
    bylines = [_tidy(_element_text(element))
               for element in _byline_candidates(tree)[:MAX_MARKUP_ELEMENTS]
               if _tier(element) in (0, 1) and not _not_byline(element)]
    spelled = []
    for name in names:
        folded = _folded(name)
        spelling = next((text for byline in bylines for part in split_authors(byline)
                         if (text := _clean_name(part)) and _folded(text) == folded),
                        None) if _key(name) in handles else None
        spelled.append(spelling or name)
    return spelled


def _full_spelling(tree: HtmlElement, name: str, sites: set[str]) -> list[str]:
    """A first name alone in the metadata ("Stefanus") as the byline markup's full name, when
    an author box starts with it ("Stefanus Stahl - Maschinenbauer, ...")."""
    for element in _byline_candidates(tree)[:MAX_CANDIDATES_READ]:
        if _tier(element) not in (0, 1) or _not_byline(element):
            continue
        head = _FULL_NAME_HEAD.match(_element_text(element))
        if head and head["first"] == name and name not in head.group().split()[1:] and \
                _full_name(head.group()) and \
                _people([head.group()], sites):
            return [head.group()]
    return [name]


def _folded(name: str) -> str:
    return _key(unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode())


def _spelling_pattern(name: str) -> str:
    tokens = name.split()
    if len(tokens) == 1:
        return rf"{re.escape(tokens[0])}\d*"
    # an initial may keep its dot ("T. V. Raman", "C.Habermueller"); words are spaced
    return "".join(re.escape(token) + (r"\.?\s*" if len(token) == 1 else r"\s+")
                   for token in tokens[:-1]) + re.escape(tokens[-1]) + r"\.?"


def text_authors(authors: list[str], text: str, *, site_name: str | None = None,
                 url: str | None = None) -> tuple[list[str], str]:
    """(authors, text): bylines of the body's first and last lines added to `authors`, and
    those lines cut from the text; a metadata author these lines name as the editor is dropped
    (JSON-LD "author" holds the editor on some sites)."""
    if not text:
        return authors, text
    lines = text.split("\n")
    found: list[str] = []
    sites = _site_keys(site_name, url)
    head = _byline_run(lines[:BYLINE_LINES], sites, found)
    lead = [] if head else _byline_after_lead(lines, sites, found)
    tail_lines = lines[head:]
    tail = 0
    if len(tail_lines) > 1:
        tail = _byline_run(tail_lines[::-1][:BYLINE_LINES], sites, found)
    if not head and not tail and not lead:
        closing = _closing_name(lines, sites)
        keys = [" ".join(name.casefold().split()) for name in authors]
        if closing and (not authors or any(_with_initials(key, closing[0].casefold())
                                           for key in keys)):
            # beside the metadata's writer, the name in brackets may be a contributor's
            # ("(Luh Wayanti)" under an editor's story): only the writer's fuller spelling
            return _merge([*authors, *closing]), text
        # nobody named anywhere: a signature, the writer's bare name closing the text
        return authors or _signature(lines, sites) or _author_note(lines, sites) \
            or _dateline_agency(lines), text
    kept = tail_lines[:len(tail_lines) - tail]
    cut = [*lines[:head], *tail_lines[len(tail_lines) - tail:], *(lines[i] for i in lead)]
    kept = [line for index, line in enumerate(kept, head) if index not in lead]
    editors = {_key(name) for line in cut for match in _EDITOR_LINE.finditer(line)
               for name in split_authors(match["names"])}
    authors = [name for name in _merge([*authors, *found]) if _key(name) not in editors]
    return authors, "\n".join(kept).strip("\n")


def _closing_name(lines: list[str], sites: set[str]) -> list[str]:
    """ "... bleibt spannend. (Christian P. Stadtfeld)": the writer's full name in brackets
    closing the text's last sentence, as "(dpa)" closes a wire story's; the line stays."""
    match = _CLOSING_NAME.search(lines[-1])
    if not match or not _full_name(match["name"]):
        return []
    return _people([match["name"]], sites)


def _author_note(lines: list[str], sites: set[str]) -> list[str]:
    """ "Reiner Nagel ist Architekt und Stadtplaner.": a note on the writer closing an essay,
    their full name then what they are; the line stays."""
    if len(lines) < MIN_LINES_AFTER_BYLINE:
        return []
    match = _AUTHOR_NOTE.match(lines[-1].strip())
    if not match or len(lines[-1]) > MAX_NOTE_CHARS or not _full_name(match["name"]):
        return []
    return _people([match["name"]], sites)


def _signature(lines: list[str], sites: set[str]) -> list[str]:
    """ "Stefan Wasmer" as the text's last line, after a closing sentence (not under a heading,
    "Weitere Informationen"); the line stays in the text."""
    if len(lines) > MIN_LINES_AFTER_BYLINE and _ROLE_LINE.fullmatch(lines[-1].strip()) and \
            not _SENTENCE_END.search(lines[-2].rstrip("\"“”»")):
        # "Rina Putri\nChefredakteurin": a statement or a letter signed by name and office
        lines = lines[:-1]
    if len(lines) < MIN_LINES_AFTER_BYLINE or not _SENTENCE_END.search(lines[-2].rstrip("\"“”»")):
        return []
    signature = _SIGNATURE.fullmatch(lines[-1].strip())
    if not signature or _is_organisation(signature.group(), sites) or any(
            word.casefold() in PROMPT_WORDS for word in signature.group().split()):
        return []
    return [signature.group()]


def _dateline_agency(lines: list[str]) -> list[str]:
    """The agency of a wire story's dateline, "Hamburg (dpa/lno) – ...", opening one of the
    body's first lines (the lead may come after a teaser); the line stays in the text."""
    for line in lines[:LEAD_LINES + 1]:
        match = _DATELINE.match(line)
        if match:
            agencies = [AGENCIES[part.casefold()] for part in match["agencies"].split("/")
                        if part.strip().casefold() in AGENCIES]
            if agencies:
                return agencies
    return []


def split_authors(author: str | None) -> list[str]:
    """People of one author string: split on ;, |, /, commas, & and and/dan/und/og/et/y/e,
    except a "Last, First" pair, which is one person."""
    author = " ".join(html.unescape(author or "").split())
    if not author:
        return []
    if _last_first(author):
        last, first = (part.strip() for part in author.split(","))
        return [f"{first} {last}"]
    parts = _SPLIT.split(_CONTRIBUTOR.sub("", author))
    if "/" in author:
        parts = [p for p in parts if not _INITIALS.match(p.strip()) or p.casefold() in AGENCIES]
    parts = [_CONJUNCTION.sub("", p.strip(" .:-–")) for p in parts]
    return list(dict.fromkeys(p for p in parts if p))


# -- bylines in the text -------------------------------------------------------------------

def _byline_run(lines: list[str], sites: set[str], found: list[str]) -> int:
    """How many of these lines (from one end of the text) are bylines; their writers to `found`."""
    count = 0
    for line in lines:
        names = _byline_line(line, sites)
        if names is None:
            if line.strip():
                break
            count += 1  # a blank line between bylines
            continue
        found.extend(names)
        count += 1
    while count and not lines[count - 1].strip():
        count -= 1
    return count


def _byline_after_lead(lines: list[str], sites: set[str], found: list[str]) -> list[int]:
    """Index of a byline that follows the headline, a dateline or the lead ("Von X" under the
    teaser), when the body goes on after it; [] if there is none."""
    if len(lines) < LEAD_LINES + MIN_LINES_AFTER_BYLINE:
        return []
    for index in range(1, min(LEAD_LINES + 1, len(lines) - MIN_LINES_AFTER_BYLINE)):
        names = _byline_line(lines[index], sites)
        # German capitalises nouns: "Von Risiken und Nebenwirkungen" is a heading; a person
        # named here has a first and a last name
        if names and all(" " in name or name in AGENCIES.values() for name in names):
            found.extend(names)
            return [index]
    return []


def _byline_line(line: str, sites: set[str]) -> list[str] | None:
    """The writers a line names if the whole line is a byline ([] for an editor's line),
    else None."""
    line = line.strip()
    if not line or len(line) > MAX_BYLINE_CHARS:
        return None
    dated = _DATED_NAME.fullmatch(line)
    if dated and _full_name(dated["name"]):
        # "11.12.2019 - Amelie Loevenich": a date and a person's full name, nothing else
        return _people([dated["name"]], sites) or None
    writers: list[str] = []
    segments = _undated(_without_credits(_SEGMENTS.split(line)))
    if not segments:
        return None
    for segment in segments:
        names = _labelled(segment, sites)
        if names is None:
            return None
        writers.extend(names)
    return writers


def _without_credits(segments: list[str]) -> list[str]:
    """A byline's segments without its photo or illustration credit ("Text von X
    Illustration von Y"); a line of credits only stays as it is (it is no byline)."""
    kept = [s for s in segments
            if not ((label := _LABEL.match(s)) and CREDIT_LABELS.match(label["label"]))]
    return kept or segments


def _undated(segments: list[str]) -> list[str]:
    """A byline's segments without its date or time ("Ein Artikel von X | 27.01.2022 -
    12:45"); those of a line of dates only stay (it is no byline)."""
    kept = [segment for segment in segments if not _DATE_SEGMENT.fullmatch(segment)]
    return kept if len(kept) < len(segments) and kept else segments


def _labelled(segment: str, sites: set[str]) -> list[str] | None:
    wire = _WIRE.match(segment)
    if wire and wire["agency"].casefold() in AGENCIES:
        return [AGENCIES[wire["agency"].casefold()]]  # a closing "(AFP)" or "(Reuters/rna)"
    segments = _SEGMENTS.split(segment)
    if len(segments) > 1:
        segments = _undated(_without_credits(segments))
        if not segments:
            return None
        found = [_labelled(part, sites) for part in segments]
        return None if None in found else [name for names in found for name in names or []]
    source = _SOURCE.match(segment)
    if source:
        # "Quelle: kathpress" credits an agency with the text; "Quelle: Statistisches
        # Bundesamt" credits a fact's source, no writer
        parts = [part.strip().casefold() for part in split_authors(source["names"])]
        return [AGENCIES[part] for part in parts] if parts and all(
            part in AGENCIES for part in parts) else None
    laporan = _LAPORAN.match(segment)
    if laporan:
        rest = laporan["rest"]
        # "Laporan wartawan Tribunnews.com, Rina Putri": the outlet, then the writer
        rest = rest.split(",", 1)[1] if "," in rest else " ".join(rest.split()[1:])
        return _names_or_none(rest, sites)
    match = _LABEL.match(segment)
    if not match:
        return None
    value = segment[match.end():]
    if CREDIT_LABELS.match(match["label"]):
        return None
    if _OTHER.match(match["label"]):
        return [] if _looks_like_names(value) else None
    return _names_or_none(value, sites)


def _names_or_none(value: str, sites: set[str]) -> list[str] | None:
    value = _WEEKDAY_DATE.sub("", value)
    if not _looks_like_names(value):
        # "By Rina Putri, a reporter at the Post", "Autor: Rina Putri (Gastbeitrag), Lehrerin
        # in Bonn": the writer's full name, then an aside and their role in a phrase
        name, comma, role = _ASIDE.sub("", value).partition(",")
        name = name.strip()
        following = (split_authors(role) or [""])[0]
        if not (comma and _full_name(name) and _looks_like_names(name)
                and _ROLE_PHRASE.search(role) and not _full_name(following)):
            return None
        value = name
    return _people(split_authors(value), sites)


def _looks_like_names(value: str) -> bool:
    """A list of names, not a sentence: every word capitalised, a particle, or an agency."""
    words = _WORD.findall(value)
    if not words or len(value) > MAX_BYLINE_CHARS or _SENTENCE_END.search(value.rstrip(")")) \
            and not re.search(r"\b\w\.$", value.strip()):
        return False
    return all(word[0].isupper() or word.casefold() in PARTICLES
               or word.casefold() in _CONJUNCTIONS or word.casefold() in AGENCIES
               for word in words)


# -- byline markup -------------------------------------------------------------------------

def _markup_authors(tree: HtmlElement, candidates: list[HtmlElement], sites: set[str],
                    editors: set[str], *, labels: re.Pattern[str]) -> list[str]:
    """The first byline the markup names, else the first text starting with `labels`."""
    tiers: list[list[HtmlElement]] = [[], [], [], []]
    for element in candidates:
        tier = _tier(element)
        if tier is not None and len(tiers[tier]) < MAX_MARKUP_ELEMENTS:
            tiers[tier].append(element)
    for rank, elements in enumerate((*tiers, None)):
        for element in _label_texts(tree, labels) if elements is None else elements:
            # a labelled text's first line: "Von X und Y<br>Kakuma /Kenia"
            text = _element_text(element) if elements is not None else \
                _DATE_LEAD.sub("", _first_line(element))
            if elements is None and len(text.split()) < 2:
                text = _element_text(element)  # the label alone: "Penulis</td><td>: X"
            if len(text) > MAX_BYLINE_CHARS and elements is not None:
                # "Georg Quaas, 21. Jan. 2015 <the teaser>": the name before the date
                text = _SUFFIX.sub("", text)
            # an author box ("author-bio", "author-info"): the name, then the writer's role and
            # biography, too long for a byline or no list of names as a whole
            box = rank <= 1 and element.tag not in _PAGE_TAGS
            if box and len(text) > MAX_BYLINE_CHARS:
                text = _box_name(element, sites) or text
            # two letters are a handle ("oz"), or initials when capitals ("JF")
            if not 1 < len(text) <= MAX_BYLINE_CHARS or len(text) == 2 and text.isupper() \
                    or _not_byline(element):
                continue
            names = _labelled(text, sites)
            inner = _INNER_LABEL.search(text) if names is None else None
            if inner:  # "Datum: 19.11.2021 Autor: Fritz Imhof Quelle: Livenet"
                names = _names_or_none(inner["names"], sites)
            if names is None and elements is None:
                continue  # a labelled text must be a byline as a whole
            if names is None:
                # "Posted by Heiko", "VON MORITZ GATHMANN am 21. April 2020", "~ Cem Basman"
                names = _people(_before_dateline(split_authors(_tidy(text))), sites)
            names = [name for name in names if _key(name) not in editors]
            if not names and box:
                names = [name for name in [_box_name(element, sites)] if name]
            if 0 < len(names) <= MAX_MARKUP_NAMES:
                return names
    return []


def _post_author(candidates: list[HtmlElement], sites: set[str]) -> list[str]:
    """The post's author as the name on their own comments: WordPress marks a comment by the
    post's author "bypostauthor" (a blog that shows no byline often answers its readers)."""
    for element in candidates:
        if "bypostauthor" not in (element.get("class") or "").split():
            continue
        for node in element.iterdescendants():
            classes = (node.get("class") or "").split()
            if "fn" in classes or any(_COMMENTER_CLASS.fullmatch(c) for c in classes):
                # "Rina Putri sagt:", "Rina Putri on 16/08/2020 at 12:56"
                text = _COMMENT_VERB.sub("", _first_line(node))
                names = _people([_SUFFIX.sub("", text) or text], sites) if text else []
                if names:
                    return names
    return []


def _label_texts(tree: HtmlElement, labels: re.Pattern[str]) -> Iterator[HtmlElement]:
    found = 0
    for index, element in enumerate(tree.iter(_LABEL_TAGS)):
        if index == MAX_LABEL_ELEMENTS:
            return
        text = element.text
        if text and (labels.match(text) or text.lstrip()[:1].isdigit()
                     and labels.match(_DATE_LEAD.sub("", text))):
            yield element
            found += 1
            if found == MAX_MARKUP_ELEMENTS:
                return


def _tier(element: HtmlElement) -> int | None:
    """Rank of a byline candidate, as trafilatura's AUTHOR_XPATHS rank them (None: no byline)."""
    tag, cls = element.tag, element.get("class") or ""
    ident, itemprop = element.get("id") or "", element.get("itemprop") or ""
    if itemprop == "editor":
        return None
    if tag in ("author", "byline") or tag in _SPECIFIC_TAGS and (
            element.get("rel") == "author" or ident == "author" or cls == "author"
            or itemprop == "author name" or _SPECIFIC_CLASS.search(cls)
            or element.get("data-testid") in ("AuthorCard", "AuthorURL")):
        return 0
    if tag in _GENERIC_TAGS and (cls in ("byline", "username", "byl", "BBL") or
                                 "author" in itemprop or "author" in ident
                                 or _GENERIC_CLASS.search(cls)):
        return 1
    if "Byline" in (element.get("data-component") or "") or "author" in itemprop or \
            "uthor" in ident or _LAST_RESORT_CLASS.search(cls):
        return 2
    return 3 if _INDONESIAN_CLASS.search(cls) else None


def _element_text(element: HtmlElement) -> str:
    text = " ".join(" ".join(element.itertext()).split())
    parent = element.getparent()
    if _LABEL.match(text + " ") and len(text.split()) == 1 and parent is not None:
        # "<td>Penulis</td><td>: Rina Putri</td>": the label's row holds the name, up to the
        # row's next line ("<b>Autor:</b> Rina Putri<br><b>Tags:</b> ...")
        text = _line_from(element)
    return text


def _line_from(element: HtmlElement) -> str:
    """The text of an element and of its following siblings, up to the next <br>."""
    parts = [*element.itertext(), element.tail or ""]
    for sibling in element.itersiblings():
        if sibling.tag == "br":
            break
        if isinstance(sibling.tag, str):  # not a comment's text
            parts.extend(sibling.itertext())
        parts.append(sibling.tail or "")
    return " ".join(" ".join(parts).split())


def _box_name(element: HtmlElement, sites: set[str]) -> str | None:
    """The person's full name an author box starts with: "Inga Hoeltmann" of
    "<h3>Inga Hoeltmann</h3><p>Follow ...</p>"."""
    head = next((" ".join(text.split()) for text in element.itertext() if text.strip()), "")
    if _PLAIN_NAME.fullmatch(head) and _full_name(head) and _people([head], sites) and not any(
            word.casefold() in _FUNCTION_WORDS for word in head.split()):
        return head
    return None


def _first_line(element: HtmlElement) -> str:
    """An element's text up to its first <br>."""
    parts: list[str] = []

    def walk(node: HtmlElement) -> bool:
        if node.tag == "br":
            return True
        if isinstance(node.tag, str) and node.text:
            parts.append(node.text)
        for child in node:
            if walk(child):
                return True
            if child.tail:
                parts.append(child.tail)
        return False

    walk(element)
    return " ".join(" ".join(parts).split())


def _before_dateline(parts: list[str]) -> list[str]:
    """ "Agence France-Presse, CHARLESTON, South Carolina": the names before the dateline."""
    for index, part in enumerate(parts[1:], 1):
        if part.isupper() and len(part) > 3 and part.casefold() not in AGENCIES:
            return parts[:index]
    return parts


def _tidy(text: str) -> str:
    """A byline's names without its lead-in and its date: "Posted by X on 3 May" -> "X"."""
    text = " ".join(html.unescape(text).split())
    text = _PREFIX.sub("", _INNER_BY.sub("", text))
    return _SUFFIX.sub("", text) or text


def _not_byline(element: HtmlElement) -> bool:
    if _teaser(element):
        return True
    for node in (element, *element.iterancestors()):
        if node.tag in ("body", "html"):
            return False
        if node.tag in _NOT_BYLINE_TAGS or _NOT_BYLINE_ID.match(node.get("id") or ""):
            return True
        match = _NOT_BYLINE_CLASS.search(node.get("class") or "")
        if match and not _holds_the_post(node, match.group().strip()):
            return True
    return False


def _teaser(element: HtmlElement) -> bool:
    """A byline of another article: inside a link that holds more than the name (a card of
    related stories, "<a href=other><h3>Headline</h3><span class=autor>Von X</span></a>"), or
    right after a linked headline (a list of other stories: "<a href=other>Headline</a><div
    class=autor>Von X</div>")."""
    link = next(element.iterancestors("a"), None)
    if link is not None:
        # a link to the writer's page holds their photo's credit too: no other story
        text = " ".join(" ".join(element.itertext()).split())
        return not _AUTHOR_PAGE.search(link.get("href") or "") and \
            len(" ".join(link.text_content().split())) > len(text) + 1
    previous = element.getprevious()
    if previous is None or previous.tag not in ("a", "h2", "h3", "h4") or \
            previous.tag != "a" and previous.find(".//a") is None:
        return False
    headline = " ".join(previous.text_content().split())
    return len(headline.split()) >= TEASER_HEADLINE_WORDS or len(headline) > MAX_NAME_CHARS // 2


def _holds_the_post(node: HtmlElement, matched: str) -> bool:
    """A "widget" or "caption" box that holds the headline is the article's own (Blogger's
    posts sit in "widget Blog", some headers are "caption" boxes); comments never are."""
    if "omment" in matched:
        return False
    return "Blog" in node.get("class", "").split() or node.find(".//h1") is not None


# -- people --------------------------------------------------------------------------------

def _people(candidates: list[str], sites: set[str]) -> list[str]:
    """The people and agencies among candidate names, cleaned and merged."""
    people = []
    headings = affiliation = False
    for candidate in candidates:
        name = _clean_name(candidate)
        if name and not _is_organisation(name, sites) and not (
                affiliation and " " not in name and name.casefold() not in AGENCIES):
            people.append(AGENCIES.get(name.casefold(), name))
        # "Alex Durán, AMP Project Marketing, Google": after a department or a role of several
        # words, a lone word is the employer, not a person
        affiliation = affiliation or bool(name) and " " in name and _is_organisation(name, sites)
        headings = headings or bool(name) and _phrase(name)
    # "Tina Klostermeier; tk", "det/dpa", "Lizzie Streit, MS, RDN": initials and degrees beside
    # names; alone in capitals ("IWB", "JF") an organisation's or a desk's code (in lower case
    # it may be a handle: "oz", "tlow")
    # beside an agency, a short word is an editor's code whatever its case ("Det; Dpa" of
    # "det/dpa" as trafilatura's JSON-LD reader spells it)
    agency = any(name.casefold() in AGENCIES for name in people)
    people = [name for name in people if name.casefold() in AGENCIES or not (
        _SHORT_CODE.match(name) and (len(people) > 1 or name.isupper())
        or agency and " " not in name and len(name) <= len("abcd"))]
    full = sum(" " in name for name in people)
    if full >= 2:
        # "Markus M. Haefliger, London, Beat Bumbacher": a one-word part among full names is
        # the dateline's place
        people = [name for name in people if " " in name or name.casefold() in AGENCIES]
    elif not full and (len(people) >= MIN_CATEGORY_WORDS or headings):
        # "Photovoltaik, Solarthermie, Speicher", "Alles über Lautsprecher, Heimkino":
        # categories, not people
        return []
    return _merge(people)


def _clean_name(name: str) -> str | None:
    name = " ".join(name.split()).strip(" .,:;-–—()[]【】\"'→←»«›‹•·|©")
    label = _LABEL.match(name + " ")
    if label and _OTHER.match(label["label"]):
        return None  # "Editor: Rina Putri"
    if label and len(name) > label.end():
        name = name[label.end():].strip()
    if EMAIL.search(name) or _NOT_NAME_CHARS.search(name) or not name:
        return None  # a colon left after the label: "En kiosques : juillet"
    if _EDITED.search(name):
        return None  # "Revised Edition Edited by Adrian Parr": the book's editor
    name = DEGREES.sub("", ROLES.sub("", TITLES.sub("", name))).strip(" ,")
    if not name or len(name) > MAX_NAME_CHARS or len(name.split()) > MAX_NAME_WORDS \
            or not any(ch.isalpha() for ch in name) \
            or re.search(r"\d", name) and not _HANDLE.fullmatch(name):
        return None
    return name


def _fragment(name: str) -> bool:
    """A sentence's start, not a name: three words or more, one of them in lower case and no
    particle ("Berlin Markus Balser kam" of a biography run into the byline)."""
    words = name.split()
    return len(words) >= 3 and any(word[:1].islower() and word.casefold() not in
                                   PARTICLES | _CONJUNCTIONS for word in words)


def _is_organisation(name: str, sites: set[str]) -> bool:
    if name.casefold() in AGENCIES:
        return False
    if URLISH.search(name) or _LOWER_TLD.search(name) or re.search(r"\be\.?\s?V\.?$", name) \
            or name.casefold() in NOT_NAMES:
        return True
    words = {w.casefold() for w in re.findall(r"[\w-]+", name)}
    # and the parts of a hyphenated word: "Online-Redaktion", "Kompas-Team"
    words |= {part for word in words if "-" in word for part in word.split("-")}
    if words & ORGANISATION_WORDS or any(_DESK_COMPOUND.match(word) for word in words):
        return True
    if _phrase(name) or _fragment(name):
        return True
    first, _, rest = name.partition(" ")
    if first.casefold() == "tim" and rest and _is_organisation(rest, sites):
        return True  # "Tim Liputan6", "Tim detikcom": the outlet's team (not Tim Ehlers)
    key = _key(name)
    return any(_site_named(name, key, site) for site in sites) or _domain_owner(name, key, sites)


def _domain_owner(name: str, key: str, sites: set[str]) -> bool:
    """ "Google" on googleblog.com, "Kompas" on kompastv.com: the domain is the name and a
    desk's word, the site the name's owner's (not a blog's title, "Rina Putri's Blog", on
    another host)."""
    if " " in name or len(key) < 4:
        return False
    # the domain's label is in the host's key: "googleblog" in "securitygoogleblogcom"
    return any(site.startswith(key) and site[len(key):] in ORGANISATION_WORDS | SITE_SUFFIXES
               and any(site != other and site in other for other in sites) for site in sites)


def _phrase(name: str) -> bool:
    """Words of a heading or a phrase, not a name ("Alles über Lautsprecher", "deinen
    Hochzeitsbloggern"): a lower-case word before a capitalised one. A name's words before its
    last are capitalised but for its particles ("Jose de la Cruz"); some write their surname,
    or their whole name, in lower case ("Mobasir hassan", "uriebe")."""
    words = name.split()
    return any(word[:1].islower() and word.casefold() not in PARTICLES | _CONJUNCTIONS
               and any(later[:1].isupper() for later in words[index + 1:])
               for index, word in enumerate(words))


def _site_named(name: str, key: str, site: str) -> bool:
    """ "CNN Indonesia" on CNN Indonesia, "detikNews" on detik.com: the site's name, or one word
    made of it and a suffix; not "Helge Fahrnberger" on helge.at, nor a person's own site
    ("Wolfgang Michal" on wolfgangmichal.de, "Limespacer" on limespace.de)."""
    if key == site:
        # a person's own domain holds a first and a last name; three words are the site's
        # ("Texas Mattress Makers" on texasmattressmakers.com)
        return " " not in name or not _personal_name(name) or len(name.split()) > 2
    if len(name.split()) > 2 and len(site) >= MIN_SITE_KEY and \
            (key.startswith(site) or key.endswith(site)):
        return True  # "EFC Bayrische Bembel" on bayrische-bembel.de: the site and a word
    if " " in name or len(site) < 4 or not key.startswith(site):
        return False
    start = name.casefold().find(site[:1])
    suffix = name[len(site) + start:] if name.casefold().startswith(site, start) else ""
    return not suffix or suffix[0].isupper() or not suffix.isalpha() \
        or suffix.casefold() in ORGANISATION_WORDS | SITE_SUFFIXES


def _personal_name(name: str) -> bool:
    """Two to four capitalised words, no acronym and no word of an outlet's name."""
    words = name.split()
    return 2 <= len(words) <= 4 and words[0].casefold() not in ARTICLES and all(
        word[0].isupper() and not (len(word) > 1 and word.isupper())
        and word.casefold() not in OUTLET_WORDS for word in words)


def _full_name(name: str) -> bool:
    """A person's name of two to four words, initials too ("Nicolas Gutierrez C."); not a
    heading's ("Letters To The Editor")."""
    words = name.replace(".", " ").split()
    named = [word for word in words[1:-1] if word.casefold() not in PARTICLES or word[0].isupper()]
    # "A." is an initial ("Rina A. Putri"), "A" alone an article ("Letters To A Friend")
    initials = {word[0] for word in name.split() if _INITIAL_WITH_DOT.fullmatch(word)}
    return len(words) > 1 and _personal_name(" ".join([words[0], *named, words[-1]])) and not any(
        word.casefold() in ARTICLES | _FUNCTION_WORDS and word not in initials for word in named)


def _merge(names: list[str]) -> list[str]:
    """Names once each: case variants merged (the mixed-case spelling kept), a name contained
    in a longer one dropped ("Rina" beside "Rina Putri")."""
    chosen: dict[str, str] = {}
    for name in names:
        key = " ".join(name.casefold().split())
        if key not in chosen or chosen[key].isupper() and not name.isupper():
            chosen[key] = name
    keys = list(chosen)
    return [chosen[k] for k in keys
            if not any(k != other and (re.search(rf"(?<!\w){re.escape(k)}(?!\w)", other)
                                       or _with_initials(k, other))
                       for other in keys)]


def _with_initials(short: str, full: str) -> bool:
    """ "christian p. stadtfeld" is "christian stadtfeld" with a middle initial: one person."""
    words, more = short.split(), full.split()
    return len(words) >= 2 and len(more) > len(words) and words[0] == more[0] and \
        words[-1] == more[-1] and all(_INITIAL.fullmatch(word) for word in more[1:-1]
                                      if word not in words[1:-1])


def _last_first(value: str) -> bool:
    """ "Putri, Rina": two parts, each one capitalised word, the whole a single person."""
    parts = [p.strip() for p in " ".join(value.split()).split(",")]
    return len(parts) == 2 and all(re.fullmatch(r"[^\W\d_][\w'’-]+", p) and p[0].isupper()
                                   and p.casefold() not in AGENCIES for p in parts)


def _site_keys(site_name: str | None, url: str | None) -> set[str]:
    keys = set()
    if site_name:
        keys.add(_key(site_name))
    domain = registered_domain(url) if url and "//" in url else None
    if domain:
        keys.add(_key(domain.split(".")[0]))  # detik of news.detik.com, tempo of tempo.co.id
        keys.add(_key(urlsplit(url).hostname.removeprefix("www.")))
    return {key for key in keys if key}


def _key(name: str) -> str:
    return _NON_ALNUM.sub("", name.casefold())
