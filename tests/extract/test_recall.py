"""The recall safety net: prose loose in the body's own container is put back, nothing else."""

from __future__ import annotations

from trafilatura.utils import load_html

from crawler.clean.extract import extract_text
from crawler.clean.recall import question_and_answers, restore_repeated_blocks

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


POSTS = [
    ("Saya baru pindah ke rumah dengan halaman kecil dan ingin memelihara anjing yang tenang. "
    "Ras apa yang cocok untuk keluarga dengan dua anak kecil?"),
    ("Golden retriever selalu jadi pilihan saya. Mereka sabar dengan anak-anak, mudah dilatih, "
    "dan tidak terlalu sering menggonggong di malam hari."),
    ("Jangan lupa memikirkan waktu untuk berjalan-jalan setiap hari. Anjing besar butuh olahraga "
    "lebih banyak daripada yang dibayangkan kebanyakan orang."),
    ("Kami memelihara beagle selama sepuluh tahun. Anaknya ramah sekali, tetapi suaranya keras "
    "dan dia suka kabur kalau mencium bau makanan di luar pagar."),
    ("Coba kunjungi penampungan hewan di kota Anda dulu. Banyak anjing dewasa yang sudah terlatih "
    "dan sifatnya sudah kelihatan, jadi lebih mudah memilih."),
]
AD_BOX = ("Diskon besar untuk makanan anjing premium minggu ini saja, pesan sekarang dan dapatkan "
          "gratis ongkos kirim ke seluruh kota.")


def thread_page(posts: list[str]) -> str:
    # the posts are bare text with <br> breaks, as many forum engines print them
    blocks = "\n".join(
        f"<div class='post'><div class='meta'>oleh anggota{number}</div>"
        f"<div class='post-text'>{text.replace('. ', '.<br>', 1)}</div></div>"
        for number, text in enumerate(posts))
    return f"""<!DOCTYPE html><html lang="id"><head><meta charset="utf-8">
<title>Anjing untuk keluarga</title></head><body>
<nav><a href="/">Forum</a> <a href="/hewan">Hewan</a></nav>
<div class="thread"><h1>Anjing untuk keluarga</h1>{blocks}</div>
<div class="promo"><div class="promo-text">{AD_BOX}</div></div>
</body></html>"""


def test_every_post_of_a_thread_is_kept_when_some_were_extracted():
    extracted = "\n".join(POSTS[index].replace(". ", ".\n", 1) for index in (1, 3))
    text = restore_repeated_blocks(load_html(thread_page(POSTS)), extracted)
    flat = " ".join(text.split())
    for post in POSTS:
        assert flat.count(post.split(". ")[1][:40]) == 1, post
    assert flat.index(POSTS[0][:30]) < flat.index(POSTS[1][:30]) < flat.index(POSTS[4][:30])


def test_a_block_of_another_shape_is_not_added():
    extracted = "\n".join(post.replace(". ", ".\n", 1) for post in POSTS[:3])
    assert AD_BOX not in restore_repeated_blocks(load_html(thread_page(POSTS)), extracted)


def test_a_single_extracted_block_is_no_evidence_of_repetition():
    extracted = POSTS[2].replace(". ", ".\n", 1)
    assert restore_repeated_blocks(load_html(thread_page(POSTS)), extracted) == extracted


def test_on_a_discussion_page_one_extracted_post_is_enough_to_find_the_others():
    # a thread is its posts: the one post trafilatura took names the shape of all of them
    extracted = POSTS[2].replace(". ", ".\n", 1)
    text = restore_repeated_blocks(load_html(thread_page(POSTS)), extracted, posts=True)
    flat = " ".join(text.split())
    for post in POSTS:
        assert flat.count(post.split(". ")[1][:40]) == 1, post
    assert AD_BOX not in text


QUESTION = ("Apakah kalimat ini benar secara tata bahasa, atau ada kata yang seharusnya diganti "
            "supaya maknanya lebih jelas?")
ANSWERS = [
    ("Kalimat itu sudah benar. Kata kerjanya lengkap dan subjeknya jelas, jadi tidak perlu "
     "diubah sama sekali."),
    ("Saya setuju dengan jawaban di atas. Untuk tulisan resmi sebaiknya urutannya dibalik agar "
     "keterangan waktunya berada di awal."),
]
COMMENT = "Terima kasih, ini membantu sekali untuk tugas saya minggu depan."


def qa_page(answer_type: str = "https://schema.org/Answer") -> str:
    comment = (f"<ul class='comments'><li itemscope itemtype='https://schema.org/Comment'>"
               f"<span itemprop='text'>{COMMENT}</span></li></ul>")
    answers = "".join(
        f"<div class='answer' itemprop='suggestedAnswer' itemscope itemtype='{answer_type}'>"
        f"<div class='votes'>{number + 3}</div><div class='cell'><div itemprop='text'>"
        f"<p>{text.split('. ')[0]}.</p><ul><li>{text.split('. ')[1]}</li></ul></div></div>"
        f"{comment}</div>"
        for number, text in enumerate(ANSWERS))
    return f"""<!DOCTYPE html><html lang="id"><head><meta charset="utf-8">
<title>Tata bahasa</title></head><body itemscope itemtype="https://schema.org/QAPage">
<nav><a href="/">Tanya</a> <a href="/tags">Tag</a></nav>
<div class="question" itemprop="mainEntity" itemscope itemtype="https://schema.org/Question">
<h1 itemprop="name">Tata bahasa kalimat</h1><div itemprop="text"><p>{QUESTION}</p></div>
{comment}</div>
<h2>{len(ANSWERS)} jawaban</h2>{answers}
<aside><p>Pertanyaan populer minggu ini di jaringan situs tanya jawab kami.</p></aside>
</body></html>"""


def test_question_and_every_answer_of_a_qa_page_are_its_text_without_comments():
    text = extract_text(qa_page(), "https://tanya.example/questions/42/tata-bahasa")
    flat = " ".join(text.split())
    positions = [flat.find(QUESTION), *(flat.find(answer.split(". ")[1]) for answer in ANSWERS)]
    assert -1 not in positions and positions == sorted(positions)
    assert COMMENT not in text and "Pertanyaan populer" not in text


def test_questions_without_answers_are_no_qa_page():
    tree = load_html(qa_page(answer_type="https://schema.org/Comment"))
    assert question_and_answers(tree) is None


def test_a_short_post_of_a_thread_is_kept_on_a_discussion_page():
    short = "Setuju, beagle memang ramah"
    extracted = "\n".join(post.replace(". ", ".\n", 1) for post in POSTS[:2])
    page = thread_page([*POSTS[:2], short, *POSTS[2:]])
    assert short in restore_repeated_blocks(load_html(page), extracted, posts=True)
    assert short not in restore_repeated_blocks(load_html(page), extracted)


SUBHEADING = "Apa yang dibangun lebih dulu"
STEPS = ["Gedung produksi seluas dua hektare", "Gudang bahan baku di sisi pelabuhan",
         "Instalasi pengolahan limbah"]
TRAILING = ["Lowongan operator mesin", "Lowongan teknisi listrik"]


def guide_page() -> str:
    """A body whose container trafilatura does not recognise: it then collects paragraphs only,
    and the subheadings and lists between them are lost."""
    first, second, third, fourth = (f"<p>{text}</p>" for text in PARAGRAPHS)
    steps = "".join(f"<li>{step}</li>" for step in STEPS)
    trailing = "".join(f"<li>{item}</li>" for item in TRAILING)
    contents = "".join(f"<li><a href='#s{n}'>Bagian {n}</a></li>" for n in range(3))
    return f"""<!DOCTYPE html><html lang="id"><head><meta charset="utf-8">
<title>Panduan pabrik baru</title></head><body>
<nav><a href="/">Beranda</a> <a href="/ekonomi">Ekonomi</a></nav>
<div class="wrap"><div class="rich-copy">
<ol class="daftar-isi">{contents}</ol>
{first}{second}
<h2>{SUBHEADING}</h2>
{third}
<ul>{steps}</ul>
{fourth}
<ul>{trailing}</ul>
</div></div>
<footer>Hak cipta dilindungi.</footer></body></html>"""


def test_subheadings_and_lists_between_the_body_paragraphs_come_back_in_order():
    text = extract_text(guide_page(), URL)
    lines = text.splitlines()
    assert SUBHEADING in lines
    assert all(f"- {step}" in lines for step in STEPS)
    assert text.index(PARAGRAPHS[1]) < text.index(SUBHEADING) < text.index(PARAGRAPHS[2])
    assert text.index(PARAGRAPHS[2]) < text.index(STEPS[0]) < text.index(STEPS[2]) \
        < text.index(PARAGRAPHS[3])
    assert all(text.count(step) == 1 for step in STEPS)


def test_link_lists_and_lists_after_the_body_do_not_come_back():
    text = extract_text(guide_page(), URL)
    assert "Bagian" not in text
    assert not any(item in text for item in TRAILING)
