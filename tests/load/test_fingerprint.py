"""MinHash sketches: small edits stay similar, different texts do not, results are stable."""

from __future__ import annotations

import random

from crawler import fingerprint
from tests.load.corpus import Corpus, edit

corpus = Corpus(seed=4)


def test_one_sentence_edits_of_300_word_texts_stay_above_the_threshold():
    rng = random.Random(1)
    scores = []
    for _ in range(50):
        text = corpus.text(rng.randint(300, 800))
        scores.append(fingerprint.similarity(fingerprint.sketch(text),
                                             fingerprint.sketch(edit(text, rng, 8))))
    assert min(scores) >= fingerprint.NEAR_SIMILARITY


def test_unrelated_texts_and_texts_sharing_a_paragraph_stay_far_below():
    shared = corpus.text(60)
    sketches = [fingerprint.sketch(shared + " " + corpus.text(400)) for _ in range(40)]
    scores = [fingerprint.similarity(a, b) for i, a in enumerate(sketches)
              for b in sketches[i + 1:]]
    assert max(scores) < 0.5


def test_near_duplicates_share_a_band_key_and_sketches_are_reproducible():
    text = corpus.text(500)
    sketch = fingerprint.sketch(text)
    assert sketch == fingerprint.sketch(text)
    assert len(sketch) == fingerprint.SKETCH_BINS
    assert all(-1 <= v < 2**31 for v in sketch)
    edited = fingerprint.sketch(edit(text, random.Random(2)))
    assert set(fingerprint.band_keys(sketch)) & set(fingerprint.band_keys(edited))


def test_too_short_texts_get_no_sketch():
    assert fingerprint.sketch("Berita singkat hari ini.") is None


def test_a_stored_sketch_says_too_short_apart_from_not_computed():
    assert fingerprint.sketch_literal("Berita singkat hari ini.") == "{}"
    assert fingerprint.sketch_literal(None) is None
    text = Corpus(seed=4).text(300)
    assert fingerprint.sketch_literal(text) == "{" + ",".join(map(str, fingerprint.sketch(text))) + "}"
