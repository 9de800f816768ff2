"""Small HTML pages written for these tests (no corpus page is copied here).

`news_page` builds an Indonesian portal article with the residue other tools left in
../shared/seeds: font-size buttons, "loading...", "Baca juga", "Halaman :", a newsletter call,
a related-news box, footer, render timing, injected spam and a body printed twice.
"""

from __future__ import annotations

import json

BODY = [
    ("JAKARTA - Pemerintah kota menambah tiga puluh armada bus listrik untuk melayani rute "
    "baru antara terminal utama dan kawasan industri di timur kota mulai pekan depan."),
    ("Kepala dinas perhubungan mengatakan penambahan armada itu diharapkan memangkas waktu "
    "tunggu penumpang dari dua puluh menit menjadi kurang dari sepuluh menit pada jam sibuk."),
    ("Menurut dia, tarif perjalanan tetap sama seperti rute lama sehingga warga tidak perlu "
    "membayar lebih untuk menikmati layanan yang lebih sering dan lebih nyaman."),
    ("Sejumlah penumpang yang ditemui di halte menyambut baik rencana tersebut karena selama "
    "ini mereka harus berdiri berdesakan ketika berangkat kerja pada pagi hari."),
    ("Dinas juga akan memasang papan informasi digital di setiap halte agar penumpang dapat "
    "melihat perkiraan waktu kedatangan bus secara langsung melalui layar."),
    ("Uji coba rute baru dijadwalkan berlangsung selama satu bulan sebelum dievaluasi bersama "
    "operator dan perwakilan penumpang untuk menentukan jadwal permanen."),
]
QUOTE = "“Kami ingin transportasi umum menjadi pilihan pertama warga,” kata kepala dinas."
SUBHEADING = "Jadwal uji coba"

RESIDUE = [
    "loading...",
    "A A A",
    "Baca juga: Harga Tiket Kereta Bandara Naik Mulai Bulan Depan",
    "Halaman :",
    ("Dapatkan berita terkini dan kejutan menarik dari Contoh.com, Klik Disini untuk "
    "mendaftarkan diri anda sekarang juga!"),
    "Baca Berita Terkait Lainnya",
    "Copyright © 2024 Contoh.com",
    "All Rights Reserved",
    "read/ rendering in 0.2277 seconds (0.1#10.140)",
    "online casinos",
    "By gacor88",
    "Posted By : result hk lengkap",
]
RELATED = ["Banjir Rendam Ratusan Rumah di Pinggiran Kota",
           "Pasar Tradisional Direnovasi Tahun Depan"]


def news_page(*, body: list[str] = BODY, repeat_body: bool = True, extra_head: str = "",
              json_ld: dict | None = None, lang: str = "id", extra_body: str = "") -> str:
    """A full article page; `repeat_body` prints the paragraphs twice, as some CMS do."""
    ld = json_ld if json_ld is not None else {
        "@context": "https://schema.org", "@type": "NewsArticle",
        "headline": "Tiga Puluh Bus Listrik Baru Layani Rute Timur",
        "datePublished": "2024-03-02T04:25:00+07:00",
        "author": {"@type": "Person", "name": "Rina Putri"},
        "articleSection": "Metro", "keywords": "transportasi, bus listrik",
    }
    paragraphs = "\n".join(f"<p>{p}</p>" for p in body[:3])
    paragraphs += f"\n<p>Baca juga: <a href='/a/2'>{RESIDUE[2][11:]}</a></p>\n"
    paragraphs += f"<blockquote>{QUOTE}</blockquote>\n<h2>{SUBHEADING}</h2>\n"
    paragraphs += "\n".join(f"<p>{p}</p>" for p in body[3:])
    if repeat_body:
        paragraphs += "\n" + "\n".join(f"<p>{p}</p>" for p in body[1:4])
    related = "".join(f"<li><a href='/r/{i}'>{t}</a></li>" for i, t in enumerate(RELATED))
    return f"""<!DOCTYPE html>
<html lang="{lang}"><head><meta charset="utf-8">
<title>Tiga Puluh Bus Listrik Baru Layani Rute Timur | Contoh.com</title>
<meta property="og:title" content="Tiga Puluh Bus Listrik Baru Layani Rute Timur">
<meta property="og:type" content="article">
<meta property="og:site_name" content="Contoh.com">
<meta property="og:description" content="Pemerintah kota menambah armada bus listrik.">
<meta property="og:image" content="https://contoh.example/img/bus.jpg">
<meta property="og:url" content="https://contoh.example/metro/bus-listrik">
<meta property="article:published_time" content="2024-03-02T04:25:00+07:00">
<meta property="article:section" content="Metro">
<meta property="article:tag" content="transportasi">
<link rel="canonical" href="https://contoh.example/metro/bus-listrik">
<script type="application/ld+json">{json.dumps(ld)}</script>
{extra_head}
</head><body>
<header><nav><ul><li><a href="/">Beranda</a></li><li><a href="/metro">Metro</a></li>
<li><a href="/olahraga">Olahraga</a></li></ul></nav></header>
<main><article>
<h1>Tiga Puluh Bus Listrik Baru Layani Rute Timur</h1>
<div class="byline">Rina Putri</div><time datetime="2024-03-02T04:25:00+07:00">Sabtu,
02 Maret 2024 - 04:25 WIB</time>
<div class="loader">{RESIDUE[0]}</div>
<div class="tools"><span>A</span> <span>A</span> <span>A</span></div>
<p>{RESIDUE[1]}</p>
<div class="content">
{paragraphs}
<p>{RESIDUE[3]}</p>
<p>{RESIDUE[4]}</p>
<p>{RESIDUE[5]}</p>
<ul class="list">{related}</ul>
<p>{RESIDUE[9]}</p>
<p>{RESIDUE[10]}</p>
<p>{RESIDUE[11]}</p>
</div>
{extra_body}
</article></main>
<footer><p>{RESIDUE[6]}</p><p>{RESIDUE[7]}</p><p>{RESIDUE[8]}</p></footer>
</body></html>"""


def listing_page(count: int = 12) -> str:
    items = "\n".join(
        f"<div class='card'><h3><a href='/berita/{i}'>Judul berita nomor {i} tentang kota "
        f"dan warganya</a></h3><span>Sabtu, 02/03/2024 0{i % 10}:15 WIB</span></div>"
        for i in range(count))
    return f"""<html lang="id"><head><title>Indeks Berita Metro</title>
<meta property="og:type" content="website"></head><body><h1>Indeks Berita Metro</h1>
<main>{items}</main></body></html>"""
