"""What an article says, as a bag of weighted terms for grouping articles into stories.

Title and lead only, with names, acronyms and numbers boosted: they tell one event from another
about the same subject and survive translation. No stemmer and no model (nothing to download):
light suffix rules are enough for title-and-lead vocabulary (measured: bench/stories_eval.py).
docs/stories.md, "Method", step 1.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache

__all__ = ["TextOptions", "article_terms", "tokens"]

# Words with letters/digits, keeping internal - / . (G-20, 2/3/2023, 7.5, tiba-tiba).
WORD = re.compile(r"\w+(?:[-/.,]\w+)*", re.UNICODE)
# The same, or a mark that ends a sentence (the next word's capital then means nothing).
WORD_OR_STOP = re.compile(r"\w+(?:[-/.,]\w+)*|[.!?\n]", re.UNICODE)
SENTENCE_MARKS = frozenset(".!?\n")
HAS_DIGIT = re.compile(r"\d")

# Function words of Indonesian and English and newsroom filler; hand-picked from the fixtures'
# most frequent terms, not a general-purpose list.
_STOPWORDS = """
yang dan di ke dari ini itu dengan untuk pada dalam tidak akan juga ada oleh karena atau
sebagai adalah telah sudah bahwa para kata mengatakan menurut saat setelah sebelum lebih
kami kita mereka dia ia saya anda kamu nya pun bisa dapat harus masih belum hanya
jika kalau namun tetapi tapi serta hingga sampai agar supaya seperti antara bagi tentang
secara sejak selama tersebut yaitu yakni pula lagi sangat paling banyak beberapa semua
setiap tiap sebuah seorang satu dua tiga empat lima kedua pertama hari senin selasa rabu
kamis jumat sabtu minggu pekan bulan tahun lalu kemarin besok kini sedang baru
mengaku menyebut menyampaikan menjelaskan ujar ucap jelas tutur katanya ujarnya
baca berita terkini loading halaman klik disini copyright reserved rights wib wita wit
the a an and or of to in on at for from by with as is are was were be been being has have
had it its this that these those he she they we you his her their our not no but if than
then so said says say will would could should can may might also after before about over
into out up down more most new first last one two three monday tuesday wednesday
thursday friday saturday sunday week year years day days ago yesterday today tomorrow
according told while when where which who whom what there here after against during
mr mrs ms read more advertisement
"""
STOPWORDS = frozenset(_STOPWORDS.split())

SUFFIXES = ("nya", "lah", "kah")


@dataclass(frozen=True)
class TextOptions:
    """How an article becomes terms. Calibrated on tests/fixtures/stories/tuning.jsonl."""

    lead_words: int = 80         # words of body text after the title
    title_weight: float = 2.0    # one title occurrence counts as this many
    entity_boost: float = 2.0    # multiplier for names, acronyms, numbers
    max_terms: int = 60          # strongest terms kept per article


@lru_cache(maxsize=262144)
def normalize(word: str) -> str:
    """Lower case; G-20 and G20 the same; Indonesian enclitics (-nya, -lah, -kah) off."""
    term = word.lower()
    if "-" in term and HAS_DIGIT.search(term):
        term = term.replace("-", "")
    term = term.rstrip(".,")
    if term[:1].isdigit():
        # 5,4 (Indonesian) and 5.4 (English) are one number; so are 15.730 and 15,730.
        term = term.replace(",", ".")
    if len(term) > 6 and term.isalpha():
        for suffix in SUFFIXES:
            if term.endswith(suffix):
                return term[: -len(suffix)]
    return term


def _is_entity_form(word: str, sentence_start: bool) -> bool:
    """A name (capitalised mid-sentence), an acronym (AS, NATO, KPK) or a number."""
    first = word[0]
    if first.isupper():
        return not sentence_start or (len(word) >= 2 and word.isupper())
    return first.isdigit() or HAS_DIGIT.search(word) is not None


def tokens(text: str) -> list[tuple[str, bool]]:
    """(term, looks like an entity here) for each kept word of `text`, in order."""
    out: list[tuple[str, bool]] = []
    sentence_start = True
    for match in WORD_OR_STOP.finditer(text):
        word = match.group()
        if word in SENTENCE_MARKS:
            sentence_start = True
            continue
        term = normalize(word)
        if (len(term) >= 2 or term.isdigit()) and term not in STOPWORDS:
            out.append((term, _is_entity_form(word, sentence_start)))
        sentence_start = False
    return out


def article_terms(title: str | None, text: str | None,
                  options: TextOptions | None = None) -> dict[str, float]:
    """Boosted term frequencies of an article's title and lead (no idf: that is applied later).

    A term is an entity if it appears as one in the lead, where capitals mean something;
    headlines capitalise every word, so there only acronyms and numbers count.
    """
    options = options or TextOptions()
    lead = " ".join((text or "").split()[: options.lead_words])
    counts: Counter[str] = Counter()
    entities: set[str] = set()
    title_tokens = tokens(title or "")
    for term, _ in title_tokens:
        counts[term] += options.title_weight
    for term, entity in tokens(lead):
        counts[term] += 1.0
        if entity:
            entities.add(term)
    for word in WORD.findall(title or ""):
        if (len(word) >= 2 and word.isupper()) or HAS_DIGIT.search(word):
            entities.add(normalize(word))
    weighted = {
        term: (1.0 + math.log(count)) * (options.entity_boost if term in entities else 1.0)
        for term, count in counts.items()
    }
    if len(weighted) > options.max_terms:
        kept = sorted(weighted.items(), key=lambda item: (-item[1], item[0]))[: options.max_terms]
        weighted = dict(kept)
    return weighted
