"""A shop's category page: its content is the grid of item cards, not the banner above it."""

from __future__ import annotations

from trafilatura.utils import load_html

from crawler.clean.cards import card_lines
from crawler.clean.extract import extract, extract_text

URL = "https://toko.example/kategori/lampu-sepeda"
PRODUCTS = [("Lampu Depan Terang 400", "Rp 349.000"), ("Lampu Belakang Kedip Mini", "Rp 129.000"),
            ("Lampu Helm Isi Ulang", "Rp 219.000"), ("Lampu Jalan Malam Pro", "Rp 499.000"),
            ("Set Lampu Depan Belakang", "Rp 399.000"), ("Lampu Spoke Warna", "Rp 89.000")]
MENU = ["Sepeda Gunung", "Sepeda Lipat", "Helm", "Aksesori", "Promo"]
# what the extractor takes from such a page: the one paragraph of prose on it
PROMO = ("Gratis ongkos kirim ke seluruh Indonesia untuk belanja di atas Rp 250.000 sampai akhir "
         "bulan ini, berlaku untuk semua produk kecuali sepeda rakitan dan barang pesanan khusus. "
         "Pembayaran dapat dicicil tanpa bunga hingga dua belas bulan dengan kartu kredit.")


def shop_page(products=PRODUCTS, og_type: str = "website") -> str:
    cards = "\n".join(
        f"<li class='kartu-produk'><a href='/p/{n}'><img src='/i/{n}.jpg' alt=''></a>"
        f"<div class='nama'><a href='/p/{n}'>{name}</a></div><div class='harga'>{price}</div>"
        "<button>Tambah ke keranjang</button></li>"
        for n, (name, price) in enumerate(products))
    menu = "".join(f"<li class='menu-item'><a href='/k/{n}'>{item}</a>"
                   f"<div class='sub'><a href='/k/{n}/semua'>Lihat semua</a></div></li>"
                   for n, item in enumerate(MENU))
    return f"""<!DOCTYPE html><html lang="id"><head><meta charset="utf-8">
<meta property="og:type" content="{og_type}"><title>Lampu sepeda</title></head><body>
<div class="promo"><p>{PROMO}</p></div>
<ul class="kategori">{menu}</ul>
<main><h1>Lampu sepeda</h1><ul class="grid-produk">{cards}</ul></main>
<footer>Hak cipta dilindungi.</footer></body></html>"""


def test_the_card_grid_of_a_category_page_is_its_text():
    text = extract_text(shop_page(), URL)
    assert PROMO in text  # what trafilatura took, kept
    for name, price in PRODUCTS:
        assert name in text and price in text
    assert text.index(PRODUCTS[0][0]) < text.index(PRODUCTS[0][1]) < text.index(PRODUCTS[1][0])


def test_a_menu_of_links_is_no_card_grid():
    tree = load_html(shop_page())
    lines = card_lines(tree)
    assert lines and not any(item in lines for item in MENU)
    assert "Tambah ke keranjang" not in lines  # controls are not text


def test_three_items_are_no_grid():
    assert card_lines(load_html(shop_page(PRODUCTS[:3]))) == []


def test_a_page_declaring_itself_an_article_gets_no_cards():
    text = extract_text(shop_page(og_type="article"), URL)
    assert PRODUCTS[3][0] not in text


def test_a_category_page_stays_a_non_article():
    result = extract(shop_page(), URL)
    assert not result.is_article and result.reason
