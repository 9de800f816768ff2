"""Synthetic Indonesian-looking news text: deterministic, realistic lengths, Zipfian words.

Used by the load tests and bench/load.py. Words are built from Indonesian syllables plus the
commonest real function words, drawn with Zipf weights, so texts have the vocabulary shape of
news (a few words everywhere, a long tail) without any real article in the repository.
"""

from __future__ import annotations

import itertools
import random

FUNCTION_WORDS = [
    "yang", "dan", "di", "ke", "dari", "untuk", "dengan", "dalam", "pada", "akan", "telah",
    "sudah", "tidak", "juga", "oleh", "karena", "sebagai", "bahwa", "ini", "itu", "para",
    "masyarakat", "pemerintah", "menurut", "mengatakan", "kata", "hari", "tahun", "jakarta",
    "presiden", "menteri", "warga", "kota", "daerah", "polisi", "harga", "rupiah"
]
SYLLABLES = [
    "ba", "be", "bi", "bu", "da", "di", "du", "ga", "gi", "ka", "ke", "ki", "ku", "la", "li",
    "lu", "ma", "me", "mi", "mu", "na", "ni", "nu", "pa", "pe", "pi", "pu", "ra", "ri", "ru",
    "sa", "se", "si", "su", "ta", "te", "ti", "tu", "wa", "ya", "ng", "ny", "kan", "an", "in"
]


def vocabulary(rng: random.Random, size: int = 5000) -> list[str]:
    words = list(FUNCTION_WORDS)
    seen = set(words)
    while len(words) < size:
        word = "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 4)))
        if word not in seen:
            seen.add(word)
            words.append(word)
    return words


class Corpus:
    """texts(n) / text(words): reproducible for a given seed."""

    def __init__(self, seed: int = 0, vocabulary_size: int = 5000):
        self.rng = random.Random(seed)
        self.words = vocabulary(self.rng, vocabulary_size)
        weights = [1 / (rank + 1) for rank in range(len(self.words))]
        self.cum_weights = list(itertools.accumulate(weights))

    def text(self, words: int | None = None) -> str:
        n = words if words is not None else self.rng.randint(300, 800)
        drawn = self.rng.choices(self.words, cum_weights=self.cum_weights, k=n)
        sentences, start = [], 0
        while start < n:
            length = self.rng.randint(8, 20)
            chunk = drawn[start : start + length]
            sentences.append(" ".join(chunk).capitalize() + ".")
            start += length
        paragraphs = [" ".join(sentences[i : i + 4]) for i in range(0, len(sentences), 4)]
        return "\n\n".join(paragraphs)

    def title(self) -> str:
        return " ".join(self.rng.choices(self.words, cum_weights=self.cum_weights, k=7)).capitalize()


def edit(text: str, rng: random.Random, words: int = 8) -> str:
    """The same text with one small edit: `words` consecutive words replaced by others."""
    tokens = text.split(" ")
    at = rng.randrange(len(tokens) // 3, 2 * len(tokens) // 3)
    tokens[at : at + words] = ["koreksi", "redaksi", "menambahkan", "keterangan"]
    return " ".join(tokens)
