"""Which language an article's text is in: py3langid's classifier (about 140 languages, byte
n-grams), with the page's declared language (`<html lang>`) and the source's expected one as
priors.

The declared language stands unless the classifier is confident of another one: pages
declare wrongly (a theme's `lang="en"` on German or Indonesian text), and function words alone
took Czech for Polish and Swedish for Dutch. Texts too short to judge keep the declared
language, then the source's. Indonesian and Malay share most of their vocabulary and
classifiers split a news text's probability between them (lingua called a Kompas article Malay;
py3langid gave a Liputan6 one .90 Indonesian): their probabilities are pooled, and a Malay
verdict on a page declared or expected Indonesian stays Indonesian, and the reverse. The same
holds for Bosnian, Croatian and Serbian.
docs/extract.md, step 7 (rules by language); `bench/language.py` measures it.
"""

from __future__ import annotations

import functools
import re

__all__ = ["detect_language", "text_language"]

# The first paragraphs decide. py3langid walks the text byte by byte in Python, so its time
# grows with the sample: on the corpus (bench/language.py) 2,000 characters cost a third of
# 6,000 and every verdict on the 414 texts longer than that stayed the same (down to 600).
# 600 keeps every figure of bench/language.py; on the 3,508 bodies `extract` gives the corpus's
# pages it costs 0.45 ms a text against 0.65-0.8 for 1,000, and changes one verdict, for the
# better (a German article with an editor's widget in its first lines, read as Latin at 1,000).
SAMPLE_CHARS = 600
# Below this many letters a text says too little: in bench/language.py the classifier erred on
# 1 in 30 texts of under 50 characters and on 2 in 890 of 50-200.
MIN_LETTERS = 40
LETTER_WINDOW = 1000  # counted here: a text with fewer letters in it is a table of figures
# A detection overrides the declared language only at this probability (py3langid's
# length-calibrated softmax): on the corpus, where the declared language was wrong, the
# classifier was right with .92-1.0 on all but one text (.62), and its one wrong verdict above
# .5 on a text of 40+ letters came with .92 on a mixed German-Greek text; 0.95 keeps that
# mixed text with its declared language.
CONFIDENT = 0.95
# With no declared or expected language, the classifier's guess stands from this probability:
# on the corpus's texts of 40+ letters it was right on 109 of the 110 verdicts between .5 and
# .95, and on 9 of the 11 below .5.
GUESS = 0.5

# Obsolete ISO 639-1 codes still seen in `<html lang>` ("in" for Indonesian), ISO 639-2 codes of
# the languages our sources publish in, and the classifier's varieties folded into their
# ISO 639-1 macrolanguage (Norwegian Bokmål/Nynorsk, Wu and Cantonese, Arabic dialects).
ALIASES = {
    "in": "id", "iw": "he", "ji": "yi", "jw": "jv", "nb": "no", "nn": "no",
    "ind": "id", "msa": "ms", "may": "ms", "eng": "en", "jav": "jv", "sun": "su",
    "zho": "zh", "chi": "zh", "wuu": "zh", "yue": "zh", "ary": "ar", "arz": "ar", "uzs": "uz",
}
# Languages a reader takes for one and the classifier confuses on news text: a verdict for one
# on a page declared (or expected) in the other keeps the page's.
ONE_FOR_A_READER = (frozenset({"id", "ms"}), frozenset({"bs", "hr", "sr"}))

RANKS_POOLED = 5  # the classifier's first languages, where a group's probability lies
_CODE = re.compile(r"[a-z]{2}")


def text_language(text: str, *, declared: str | None = None,
                  expected: str | None = None) -> str | None:
    """The ISO 639-1 code of an article's text, or None when nothing tells.

    declared: the page's `<html lang>`; expected: the source's language. The detection wins
    when it is confident and is neither prior nor a variety a reader takes for one; with no
    prior, a likely guess is enough.
    """
    priors = [code for code in (_code(declared), _code(expected)) if code]
    found, probability = _classify(text)
    if found is None:
        return priors[0] if priors else None
    for prior in priors:
        if found == prior or any({found, prior} <= group for group in ONE_FOR_A_READER):
            return prior
    if probability >= (CONFIDENT if priors else GUESS):
        return found
    return priors[0] if priors else None


def detect_language(text: str) -> str | None:
    """ISO 639-1 code of the text's language, or None when the text says too little."""
    return text_language(text)


def _classify(text: str) -> tuple[str | None, float]:
    """The classifier's language and its probability; None for texts too short to judge and
    for verdicts without an ISO 639-1 code (Acehnese, Nigerian Pidgin, "no language")."""
    sample = text[:SAMPLE_CHARS]
    if sum(map(str.isalpha, sample[:LETTER_WINDOW])) < MIN_LETTERS:
        return None, 0.0
    ranked = _classifier().rank(sample)[:RANKS_POOLED]
    found = _code(ranked[0][0])
    if found is None:
        return None, 0.0
    # Indonesian and Malay share the probability of one text: pooled, a plain Indonesian text
    # is as sure as an English one
    group = next((group for group in ONE_FOR_A_READER if found in group), {found})
    return found, sum(probability for code, probability in ranked if _code(code) in group)


def _code(value: str | None) -> str | None:
    if not value:
        return None
    value = value.strip().lower().replace("_", "-").split("-")[0]
    value = ALIASES.get(value, value)
    return value if _CODE.fullmatch(value) else None


@functools.cache
def _classifier():
    # Loaded on first use, once per process: 1.1-1.8 s (4.5 s on a loaded machine) and 74 MB
    # beside trafilatura (which loads numpy already); processes that never clean a page never
    # pay it.
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    return LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
