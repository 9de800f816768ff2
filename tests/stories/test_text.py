"""Article terms: names, acronyms and numbers stand out; filler and boilerplate do not count."""

from __future__ import annotations

from crawler.stories.text import TextOptions, article_terms, tokens


def test_names_mid_sentence_and_acronyms_are_entities_sentence_starts_are_not():
    found = dict(tokens("Menteri Luar Negeri Blinken bertemu Lavrov di G20. Pertemuan singkat."))
    assert found["lavrov"] and found["g20"]
    assert not found["menteri"]  # capitalised only because it opens the sentence
    assert not found["pertemuan"]


def test_number_formats_of_both_languages_meet():
    indonesian = article_terms("Defisit 2,29 persen", "Defisit Rp 507,8 triliun.")
    english = article_terms("Deficit at 2.29%", "A deficit of 507.8 trillion rupiah.")
    assert {"2.29", "507.8"} <= indonesian.keys() & english.keys()


def test_g_20_spellings_and_enclitics_fold_together():
    assert [t for t, _ in tokens("G-20 G20 pertemuannya")] == ["g20", "g20", "pertemuan"]


def test_title_counts_more_and_entities_are_boosted():
    options = TextOptions(title_weight=2.0, entity_boost=2.0, lead_words=80)
    terms = article_terms("Banjir Demak", "Warga mengungsi karena banjir di Demak.", options)
    # banjir: title (2) + lead (1) = 3; Demak the same, and a name in the lead: boosted.
    assert terms["demak"] == 2 * terms["banjir"]
    assert "karena" not in terms and "di" not in terms


def test_only_the_lead_counts():
    text = "Gempa mengguncang Garut. " + "kata " * 200 + "Bawean"
    assert "bawean" not in article_terms("Gempa", text, TextOptions(lead_words=80))
