"""The recall-mode second pass: where trafilatura found no container it knows, and only there."""

from __future__ import annotations

import trafilatura
from trafilatura.utils import load_html

from crawler.clean.extract import extract_text
from crawler.clean.second_pass import fell_back_to_wild_text, recall_body

URL = "https://toko.example/botol-minum-900"

PARAGRAPHS = [
    ("Botol minum ini dibuat dari baja tahan karat dengan dinding ganda yang menjaga minuman "
     "tetap dingin seharian penuh."),
    ("Tutupnya rapat sehingga aman dibawa di dalam tas kerja, dan pegangannya nyaman digenggam "
     "saat berjalan jauh."),
    ("Setiap botol diuji di pabrik kami sebelum dikirim, dan kami memberi garansi lima tahun "
     "untuk setiap pembelian."),
]
SPECS = ["Kapasitas: 900 ml", "Berat kosong: 410 gram", "Bahan badan: Baja tahan karat 18/8",
         "Tinggi botol: 27 cm", "Diameter mulut: 5,5 cm", "Lapisan dalam: Tembaga",
         "Masa garansi: Lima tahun penuh", "Negara pembuat: Indonesia"]
MENU = [f"Kategori belanja nomor {n}" for n in range(30)]


def shop_page(*, container: str = "div") -> str:
    """A product page: prose, a spec list in its own box, a long category menu, no <article>."""
    specs = "".join(f"<li>{spec}</li>" for spec in SPECS)
    menu = "".join(f'<li><a href="/k{n}">{label}</a></li>' for n, label in enumerate(MENU))
    return f"""<!DOCTYPE html><html lang="id"><head><meta charset="utf-8">
<title>Botol minum baja 900 ml</title></head><body>
<div class="atas"><ul>{menu}</ul></div>
<{container} class="produk"><h1>Botol minum baja 900 ml</h1>
<p>{PARAGRAPHS[0]}</p><p>{PARAGRAPHS[1]}</p>
<div class="spesifikasi"><ul>{specs}</ul></div>
<p>{PARAGRAPHS[2]}</p></{container}>
<div class="bawah">Hak cipta 2026 Toko Botol Nusantara. Semua hak dilindungi undang-undang.</div>
</body></html>"""


def test_a_page_without_a_known_container_keeps_its_lists_through_the_recall_pass():
    lines = extract_text(shop_page(), URL).splitlines()

    assert lines == [PARAGRAPHS[0], PARAGRAPHS[1], *(f"- {spec}" for spec in SPECS),
                     PARAGRAPHS[2]]


def test_the_hook_sees_when_trafilatura_falls_back_to_wild_text():
    # If a trafilatura release renames or stops calling recover_wild_text, this fails first.
    def first_pass(html: str):
        return fell_back_to_wild_text(lambda: trafilatura.bare_extraction(
            load_html(html), with_metadata=False, include_comments=False))

    assert first_pass(shop_page())[1] is True
    assert first_pass(shop_page(container="article"))[1] is False


def test_the_recall_body_is_taken_only_when_it_is_the_same_text_and_more():
    tree = load_html(shop_page())
    first = "\n".join(PARAGRAPHS)
    longer = "\n".join([*PARAGRAPHS, *SPECS])
    other = "\n".join([PARAGRAPHS[0], *SPECS, *MENU[:10]])
    page = 3 * len(first)

    assert recall_body(tree, first, page, lambda tree: longer) == longer
    assert recall_body(tree, first, page, lambda tree: first + "\nSatu baris.") == first  # not 25 % more
    assert recall_body(tree, first, page, lambda tree: other) == first  # another text, not more of it


def test_the_pass_runs_only_for_bodies_between_a_fifth_and_most_of_the_page():
    tree = load_html(shop_page())
    first = "\n".join(PARAGRAPHS)

    def must_not_run(tree) -> str:
        raise AssertionError("the second pass ran")

    assert recall_body(tree, first, len(first), must_not_run) == first  # the whole page already
    assert recall_body(tree, first, 10 * len(first), must_not_run) == first  # trafilatura's own
    assert recall_body(tree, "", 1000, must_not_run) == ""


def test_photo_captions_the_recall_pass_adds_are_left_out():
    caption = "Menteri meninjau pabrik botol di kawasan industri, Senin (23/11/2026)."
    tree = load_html(f"""<html><body><div class="photo"><img src="a.jpg">
<span class="author">Foto: Kabar</span>{caption}</div><div>{"".join(PARAGRAPHS)}</div>
</body></html>""")
    first = "\n".join(PARAGRAPHS)
    second = "\n".join([caption, *PARAGRAPHS, *SPECS])

    assert recall_body(tree, first, 3 * len(first), lambda tree: second).splitlines() == [
        *PARAGRAPHS, *SPECS]


def test_a_trafilatura_without_the_hooked_function_turns_the_pass_off_and_says_so(
        monkeypatch, caplog):
    import trafilatura.main_extractor

    from crawler.clean.second_pass import watch

    monkeypatch.delattr(trafilatura.main_extractor, "recover_wild_text")

    watch()

    assert "the recall-mode second pass is off" in caplog.text
