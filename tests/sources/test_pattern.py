"""An article_url_pattern learnt from example URLs accepts articles and rejects the rest."""

from __future__ import annotations

import pytest

from crawler.config import parse_config
from crawler.patterns import compile_pattern
from crawler.sources.pattern import propose_pattern

SITE = "https://www.contoh.co.id"


def dated(n: int, section: str = "berita") -> str:
    return f"{SITE}/{section}/2024/05/{n:02d}/judul-berita-ke-{n}-hari-ini"


def test_dated_paths_keep_the_section_and_generalise_the_date_and_slug():
    proposal = propose_pattern([dated(n) for n in range(1, 11)],
                               [f"{SITE}/", f"{SITE}/berita", f"{SITE}/tag/pemilu"])
    regex = compile_pattern(proposal.pattern)
    assert proposal.accepted == proposal.examples == 10
    assert regex.search(f"{SITE}/berita/2025/12/31/kabar-baru-sekali-esok?utm_source=rss")
    assert not regex.search(f"{SITE}/video/2025/12/31/kabar-baru-sekali-esok")
    assert proposal.rejected == (f"{SITE}/", f"{SITE}/berita", f"{SITE}/tag/pemilu")
    assert proposal.wrongly_accepted == ()


def test_varying_sections_become_a_word_class_not_one_literal():
    urls = [dated(n, section) for n, section in
            enumerate(["nasional", "ekonomi", "sepak-bola", "nasional"], start=1)]
    regex = compile_pattern(propose_pattern(urls).pattern)
    assert regex.search(dated(9, "hiburan"))
    assert not regex.search(f"{SITE}/kanal/hiburan")


def test_a_trailing_id_is_kept_and_rejects_a_slug_ending_in_a_year():
    urls = [f"{SITE}/nasional/kabar-pagi-nomor-{n}-{30000 + n}" for n in range(1, 8)]
    proposal = propose_pattern(urls, [f"{SITE}/nasional/indeks-berita-hari-ini-2024"])
    regex = compile_pattern(proposal.pattern)
    assert proposal.wrongly_accepted == ()
    assert regex.search(f"{SITE}/nasional/kabar-esok-hari-1234567/")  # ids only grow


def test_numeric_ids_are_not_taken_for_fixed_width_numbers():
    urls = [f"{SITE}/read/{5000 + n}/berita-nomor-{n}.html" for n in range(1, 6)]
    regex = compile_pattern(propose_pattern(urls).pattern)
    assert regex.search(f"{SITE}/read/10001/berita-berikutnya-esok.html")
    assert not regex.search(f"{SITE}/read/10001/berita-berikutnya-esok.pdf")


def test_a_prefixed_id_keeps_its_prefix():
    urls = ["https://news.contoh.com/berita/d-7123456/judul-berita-ini",
            "https://finance.contoh.com/bursa/d-7123999/judul-lain-lagi",
            "https://news.contoh.com/internasional/d-7124000/satu-dua-tiga"]
    regex = compile_pattern(propose_pattern(urls).pattern)
    assert regex.search("https://news.contoh.com/berita/d-8000001/lagi-lagi-berita")
    assert not regex.search("https://news.contoh.com/berita/7123456/judul-berita-ini")


def test_a_stray_page_in_a_sitemap_does_not_widen_the_pattern():
    urls = [dated(n) for n in range(1, 21)] + [f"{SITE}/tentang-kami"]
    proposal = propose_pattern(urls)
    assert (proposal.accepted, proposal.examples) == (20, 21)
    assert not compile_pattern(proposal.pattern).search(f"{SITE}/tentang-kami")


def test_two_shapes_of_one_outlet_are_both_kept():
    urls = [dated(n) for n in range(1, 9)] + [f"{SITE}/foto/{900 + n}/galeri-banjir-{n}-hari"
                                               for n in range(1, 5)]
    proposal = propose_pattern(urls)
    assert proposal.accepted == proposal.examples == 12


@pytest.mark.parametrize("urls", [
    [dated(n) for n in range(1, 4)],
    [f"{SITE}/a+b/(x)/[y]/{n}.html?x=1" for n in range(3)],
    [f"{SITE}/{n}" for n in range(3)],
])
def test_every_proposal_is_a_valid_pattern_of_a_sources_file(urls, tmp_path):
    proposal = propose_pattern(urls)
    config = parse_config({"sources": [{"name": "contoh", "url": SITE + "/",
                                        "feeds": [SITE + "/rss"],
                                        "article_url_pattern": proposal.pattern}]},
                          tmp_path / "x.yaml")
    assert all(config.sources[0].article_regex.search(url) for url in urls)


def test_no_example_no_proposal():
    assert propose_pattern([]) is None
    assert propose_pattern([f"{SITE}/"]) is None

