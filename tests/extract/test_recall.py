"""The recall safety net: prose loose in the body's own container is put back, nothing else."""

from __future__ import annotations

from crawler.extract import extract_text

URL = "https://kabar.example/ekonomi/2026/11/27/pabrik-baru"

LEAD = ("Pabrik baterai kendaraan listrik pertama di provinsi itu mulai dibangun pekan ini "
        "dengan nilai investasi sekitar Rp 4 triliun.")
SECOND = ("Menurut gubernur, pabrik tersebut akan menyerap lebih dari dua ribu tenaga kerja "
          "lokal ketika beroperasi penuh pada akhir tahun depan.")
PARAGRAPHS = [
    ("Pembangunan tahap pertama mencakup gedung produksi dan gudang bahan baku yang dijadwalkan "
    "rampung dalam delapan belas bulan."),
    ("“Kami memilih lokasi ini karena dekat pelabuhan dan jaringan listriknya sudah siap,” kata "
    "direktur utama perusahaan kepada wartawan di lokasi."),
    ("Pemerintah daerah menyiapkan pelatihan bagi calon pekerja bersama sejumlah sekolah "
    "kejuruan di sekitar kawasan industri tersebut."),
    ("Perusahaan juga berjanji membangun instalasi pengolahan limbah sebelum produksi dimulai, "
    "sesuai syarat izin lingkungan yang diterbitkan bulan lalu."),
]
SIDEBAR = ("Teks promosi di kolom samping ini panjang dan berakhir dengan titik, tetapi bukan "
           "bagian dari wadah artikel sama sekali.")


def page_with_loose_lead() -> str:
    paragraphs = "\n".join(f"<p>{text}</p>" for text in PARAGRAPHS)
    return f"""<!DOCTYPE html><html lang="id"><head><meta charset="utf-8">
<title>Pabrik baterai mulai dibangun</title></head><body>
<nav><a href="/">Beranda</a> <a href="/ekonomi">Ekonomi</a></nav>
<div class="layout"><div class="artikel">
<h1>Pabrik baterai mulai dibangun</h1>
<div class="isi"><br><strong>KOTA BARU, Kabar</strong> &ndash; {LEAD}<br><br>{SECOND}
{paragraphs}
</div></div>
<div class="samping">{SIDEBAR}<br><br><a href="/x">Tautan lain</a></div></div>
<footer>Hak cipta dilindungi.</footer></body></html>"""


def test_lead_written_as_loose_text_before_the_paragraphs_is_kept_in_order():
    text = extract_text(page_with_loose_lead(), URL)
    assert LEAD in text and SECOND in text
    assert text.index(LEAD) < text.index(SECOND) < text.index(PARAGRAPHS[0])
    assert all(text.count(paragraph) == 1 for paragraph in PARAGRAPHS)


def test_loose_text_outside_the_body_container_is_not_added():
    assert SIDEBAR not in extract_text(page_with_loose_lead(), URL)
