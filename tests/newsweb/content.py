"""Deterministic article text for the fixture news web: Indonesian-looking, varied, repeatable."""

from __future__ import annotations

import hashlib
import random
from dataclasses import dataclass, field
from datetime import datetime

SUBJECTS = ["Pemerintah provinsi", "Menteri Keuangan", "Warga pesisir", "Bank Indonesia",
            "Tim SAR gabungan", "Komisi Pemilihan Umum", "Para petani kopi", "Dinas Kesehatan",
            "Kepolisian daerah", "Mahasiswa universitas negeri", "Pelaku UMKM", "Gubernur"]
VERBS = ["meninjau", "mengumumkan", "menolak", "membahas", "memperluas", "menunda",
         "mempercepat", "mengevaluasi", "meresmikan", "mendukung"]
OBJECTS = ["program bantuan pangan", "pembangunan jalan tol", "harga beras", "jadwal pemilu",
           "vaksinasi anak", "perbaikan tanggul", "subsidi pupuk", "ekspor nikel",
           "kebijakan suku bunga", "relokasi pasar tradisional", "jaringan listrik desa"]
PLACES = ["Jakarta", "Surabaya", "Medan", "Makassar", "Bandung", "Semarang", "Denpasar",
          "Pontianak", "Ambon", "Jayapura", "Palembang", "Kupang"]
CLAUSES = ["menurut keterangan resmi yang diterima wartawan", "setelah rapat koordinasi pagi tadi",
           "di tengah sorotan publik yang terus meningkat", "dengan anggaran yang telah disetujui",
           "meski sejumlah pihak menyatakan keberatan", "sebagai tindak lanjut hasil evaluasi",
           "yang dijadwalkan rampung pada akhir tahun", "bersama perwakilan masyarakat setempat"]
AUTHORS = ["Rina Wulandari", "Agus Santoso", "Dewi Lestari", "Bambang Prasetyo", "Siti Rahma",
           "Yohanes Kristianto", "Made Wirawan", "Nur Aisyah"]


@dataclass
class Article:
    """One article of an outlet; `path` is how the outlet spells its URL."""

    key: str
    path: str
    title: str
    published: datetime
    authors: list[str]
    section: str
    paragraphs: list[str]
    lastmod: datetime
    tags: list[str] = field(default_factory=list)
    # When the page itself last changed (JSON-LD, Last-Modified); `lastmod` is what feeds and
    # sitemaps claim, which outlets also bump without changing the page.
    modified: datetime | None = None
    revision: int = 0  # bumped by NewsWeb.update_article: the text changes

    @property
    def text(self) -> str:
        return "\n".join(self.paragraphs)


def make_article(key: str, path: str, published: datetime, section: str = "Nasional",
                 paragraphs: int = 6) -> Article:
    rng = random.Random(hashlib.sha256(key.encode()).digest())
    place = rng.choice(PLACES)
    title = (f"{rng.choice(SUBJECTS)} {place} {rng.choice(VERBS)} {rng.choice(OBJECTS)}"
             f" ({key.replace('-', ' ')})")
    body = [_paragraph(rng, place) for _ in range(paragraphs)]
    return Article(key=key, path=path, title=title, published=published,
                   authors=[rng.choice(AUTHORS)], section=section, paragraphs=body,
                   lastmod=published, modified=published, tags=[rng.choice(OBJECTS), place])


def _paragraph(rng: random.Random, place: str) -> str:
    sentences = []
    for _ in range(rng.randint(2, 4)):
        sentences.append(f"{rng.choice(SUBJECTS)} {place} {rng.choice(VERBS)} "
                         f"{rng.choice(OBJECTS)} {rng.choice(CLAUSES)}.")
    return " ".join(sentences)


def revised(article: Article) -> None:
    """Change the text the way an outlet updates a story: a correction paragraph at the end."""
    article.revision += 1
    article.paragraphs.append(
        f"Pembaruan {article.revision}: artikel ini telah diperbarui dengan keterangan tambahan "
        f"dari narasumber di {PLACES[article.revision % len(PLACES)]}.")
