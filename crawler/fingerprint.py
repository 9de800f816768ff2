"""MinHash sketches of article text, for finding near-duplicates (small edits of one text).

Word 3-shingles, a one-permutation MinHash of SKETCH_BINS bins and LSH_BANDS band keys the
database indexes to find candidates; pure Python, cheap enough for the bulk load. The method,
its figures and why CRC32: docs/load.md, "Duplicates".
"""

from __future__ import annotations

import logging
from bisect import bisect_left
from collections.abc import Sequence
from zlib import crc32

__all__ = ["LSH_BANDS", "NEAR_SIMILARITY", "SKETCH_BINS", "Sketch", "array_literal", "band_keys",
           "similarity", "sketch", "sketch_literal"]

logger = logging.getLogger(__name__)

SKETCH_BINS = 32
LSH_BANDS = 8
ROWS_PER_BAND = SKETCH_BINS // LSH_BANDS
# Estimated Jaccard similarity of shingle sets from which two texts count as near-duplicates.
# An 8-word edit of a 300-800 word text keeps > 0.8 (estimated) in tests/load/test_fingerprint.py;
# texts sharing one 60-word paragraph stay below 0.5 there.
NEAR_SIMILARITY = 0.8
# Texts with fewer shingles get no sketch: a couple of boilerplate lines ("Baca juga: ...")
# would otherwise make unrelated short items look alike.
MIN_SHINGLES = 30

# Half of the 32-bit hash space is sampled; its top 5 bits pick the bin.
_SAMPLE_BITS = 31
_SAMPLE_LIMIT = 1 << _SAMPLE_BITS
_BIN_SHIFT = _SAMPLE_BITS - (SKETCH_BINS.bit_length() - 1)
_EMPTY = -1
# Band keys: a polynomial hash modulo a prime just under 2**56 (values are < 2**27).
_MIX = 1_000_003
_MIX_MODULUS = (1 << 56) - 5
_PUNCTUATION = bytes.maketrans(b".,;:!?\"'()[]{}", b"              ")

Sketch = tuple[int, ...]


def _words(text: str) -> list[bytes]:
    return text.lower().encode("utf-8", "surrogatepass").translate(_PUNCTUATION).split()


def sketch(text: str) -> Sketch | None:
    """SKETCH_BINS minimum hashes (-1 for an empty bin), or None for a text too short to judge."""
    words = _words(text)
    if len(words) - 2 < MIN_SHINGLES:
        return None
    # Shingle hashes: crc32(w3, crc32(w2, crc32(w1))) == crc32(w1 + w2 + w3), all in C.
    hashes = map(crc32, words[2:], map(crc32, words[1:], map(crc32, words)))
    # Consistent sampling: only hashes below _SAMPLE_LIMIT take part (the same shingles in
    # every text), which halves the sort without biasing the similarity estimate.
    ordered = sorted(filter(_SAMPLE_LIMIT.__gt__, hashes))
    out = []
    for b in range(SKETCH_BINS):
        i = bisect_left(ordered, b << _BIN_SHIFT)
        if i < len(ordered) and ordered[i] >> _BIN_SHIFT == b:
            out.append(ordered[i] - (b << _BIN_SHIFT))  # the value within its bin
        else:
            out.append(_EMPTY)
    return tuple(out)


def sketch_literal(text: str | None) -> str | None:
    """The sketch as the PostgreSQL array literal liputan.documents.sketch holds: '{}' for a
    text too short to judge, None for no text (nothing to compute)."""
    if text is None:
        return None
    return array_literal(sketch(text) or ())


def array_literal(values: Sequence[int]) -> str:
    """PostgreSQL's text form of an integer array, as COPY reads it: {1,2,3}."""
    return "{" + ",".join(map(str, values)) + "}"


def similarity(a: Sketch, b: Sketch) -> float:
    """Estimated Jaccard similarity of the two texts' shingle sets (bins empty in both skipped)."""
    equal = both = 0
    for x, y in zip(a, b):
        if x == _EMPTY and y == _EMPTY:
            continue
        both += 1
        equal += x == y
    return equal / both if both else 0.0


def band_keys(s: Sketch) -> list[int]:
    """One non-negative 64-bit key per band; the band number is in the top bits, so bands
    never collide. Plain integer arithmetic: the same in every process and Python version."""
    keys = []
    for band in range(LSH_BANDS):
        mixed = 0
        for value in s[band * ROWS_PER_BAND:(band + 1) * ROWS_PER_BAND]:
            mixed = (mixed * _MIX + value + 1) % _MIX_MODULUS
        keys.append((band << 56) | mixed)
    return keys
