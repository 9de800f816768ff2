"""Which language a body text is in, by its most common function words.

Enough to tell a source's expected language from a clearly different one (an English wire story
on an Indonesian site); a page is only called wrong when the evidence is strong, so short or
mixed texts pass. docs/extract.md, steps 7 (rules by language) and 8 (`wrong_language`).
"""

from __future__ import annotations

import re
from collections import Counter

__all__ = ["detect_language", "is_clearly_other_language", "text_language"]

# the most frequent short function words of each language, none shared between two lists
STOPWORDS: dict[str, frozenset[str]] = {
    "id": frozenset(["yang", "dan", "di", "ini", "itu", "dengan", "untuk", "tidak", "dari", "dalam", "akan", "pada", "juga", "ke", "karena", "tersebut", "bisa", "ada", "mereka", "kata", "telah", "oleh", "atau", "saat", "sudah", "kami", "kita", "lebih", "adalah", "menjadi", "namun", "hingga", "bahwa", "masih", "harus", "sebagai", "seperti"]),
    "ms": frozenset(["boleh", "kerana", "tidak", "dengan", "ialah", "iaitu", "beliau", "daripada", "kepada", "mereka", "bagi", "oleh", "telah", "sebagai", "juga"]),
    "en": frozenset(["the", "and", "of", "to", "in", "is", "that", "for", "it", "was", "on", "with", "as", "are", "be", "this", "by", "have", "from", "at", "not", "but", "they", "his", "her", "which", "were", "has", "been", "would", "their", "will"]),
    "nl": frozenset(["het", "een", "van", "en", "niet", "dat", "zijn", "op", "voor", "met", "ook", "maar", "wordt", "naar", "hij"]),
    "de": frozenset(["der", "die", "das", "und", "nicht", "ist", "ein", "eine", "zu", "den", "mit", "sich", "auf", "für", "dem", "auch"]),
    "fr": frozenset(["le", "la", "les", "et", "des", "est", "une", "pour", "dans", "qui", "que", "pas", "sur", "au", "avec", "ce", "sont"]),
    "es": frozenset(["el", "los", "las", "del", "por", "una", "para", "con", "no", "se", "que", "es", "su", "al", "lo", "como", "más"]),
    "pl": frozenset(["się", "nie", "jest", "na", "do", "że", "to", "jak", "przez", "dla", "tym",
                     "od", "po", "oraz", "czy"]),
    "pt": frozenset(["os", "das", "dos", "uma", "para", "com", "não", "se", "que", "é", "seu", "ao", "como", "mais", "pelo", "pela"]),
}
# Malay shares most function words with Indonesian; only the words Indonesian rarely uses count
STOPWORDS["ms"] = STOPWORDS["ms"] - STOPWORDS["id"]

# A verdict needs this many function-word hits in total, and the winner this share of them;
# chosen so a 40-word article is enough, while a headline or a mixed quote is not.
MIN_HITS = 8
MIN_SHARE = 0.6

_WORD = re.compile(r"[^\W\d_]+")
_SHARED = {word for code, words in STOPWORDS.items() for word in words
           if sum(word in other for other in STOPWORDS.values()) > 1}
# word -> language, for the words that belong to one list only
_LOOKUP: dict[str, str] = {word: code for code, words in STOPWORDS.items() for word in words
                           if word not in _SHARED}
SAMPLE_CHARS = 6000  # the first paragraphs decide; longer texts only cost time


def detect_language(text: str) -> str | None:
    """ISO 639-1 code of the dominant language, or None when the text says too little."""
    lookup = _LOOKUP.get
    counts = Counter(code for word in _WORD.findall(text[:SAMPLE_CHARS].lower())
                     if (code := lookup(word)))
    total = sum(counts.values())
    if total < MIN_HITS:
        return None
    code, hits = counts.most_common(1)[0]
    return code if hits >= MIN_SHARE * total else None


def is_clearly_other_language(text: str, expected: str) -> bool:
    """True only when the text is confidently in a language other than `expected`."""
    found = detect_language(text)
    expected = expected.lower()[:2]
    if found is None or found == expected:
        return False
    # Malay and Indonesian are one language for a reader; never reject one for the other
    return {found, expected} != {"id", "ms"}


def text_language(text: str, *, declared: str | None = None,
                  expected: str | None = None) -> str | None:
    """The language of an article's text; the page's declared language (<html lang>) and the
    source's expected one are priors for texts that say too little."""
    return detect_language(text) or declared or expected
