"""Who wrote an article: metadata, byline markup and the bylines at the text's ends."""

from __future__ import annotations

from lxml.html import fromstring

from crawler.clean.authors import metadata_authors, split_authors, text_authors
from crawler.clean.extract import extract

BODY = ("Harga beras di pasar induk naik tajam pekan ini, kata pedagang kepada wartawan di "
        "Jakarta. Kenaikan itu terjadi setelah pasokan dari sentra produksi berkurang.")


def page(head: str = "", body: str = "", url: str = "https://berita.example/ekonomi") -> str:
    return (f'<html><head><link rel="canonical" href="{url}">{head}</head>'
            f"<body>{body}</body></html>")


def from_page(head: str = "", body: str = "", author: str | None = None,
              site_name: str | None = None) -> list[str]:
    return metadata_authors(fromstring(page(head, body)), author, site_name=site_name)


# -- bylines at the text's start and end --------------------------------------------------

def test_penulis_line_names_the_writer_and_is_cut_from_the_body():
    authors, text = text_authors([], f"Penulis: Rina Putri\n{BODY}")
    assert authors == ["Rina Putri"]
    assert text == BODY


def test_pewarta_line_at_the_end_names_the_writer_and_is_cut():
    authors, text = text_authors([], f"{BODY}\nPewarta: Nur Imansyah")
    assert authors == ["Nur Imansyah"]
    assert text == BODY


def test_reporter_line_names_the_writer():
    assert text_authors([], f"Reporter: Dewi Kania\n{BODY}")[0] == ["Dewi Kania"]


def test_editor_line_is_cut_but_the_editor_is_no_author():
    authors, text = text_authors([], f"{BODY}\nEditor: Ade Marboen")
    assert authors == []
    assert text == BODY


def test_writer_and_editor_on_one_line_keep_the_writer_only():
    authors, text = text_authors([], f"Penulis : Rina Putri | Editor : Budi Santoso\n{BODY}")
    assert authors == ["Rina Putri"]
    assert text == BODY


def test_laporan_wartawan_line_names_the_writer_not_the_outlet():
    authors, _ = text_authors([], f"Laporan Wartawan Tribunnews.com, Glery Lazuardi\n{BODY}")
    assert authors == ["Glery Lazuardi"]


def test_oleh_line_names_the_writer():
    assert text_authors([], f"Oleh Desca Lidya Natalia\n{BODY}")[0] == ["Desca Lidya Natalia"]


def test_by_line_names_the_writer():
    assert text_authors([], f"By Jane Roe\n{BODY}")[0] == ["Jane Roe"]


def test_von_line_with_und_names_both_writers():
    assert text_authors([], f"Von Anna Berg und Lars Fischer\n{BODY}")[0] == \
        ["Anna Berg", "Lars Fischer"]


def test_sentence_starting_with_oleh_is_body_not_byline():
    text = "Oleh karena itu, harga beras naik.\n" + BODY
    assert text_authors([], text) == ([], text)


def test_byline_in_the_middle_of_the_text_is_left_alone():
    text = f"{BODY}\nPenulis: Rina Putri\n{BODY} Lagi.\nKalimat terakhir artikel ini."
    assert text_authors([], text) == ([], text)


def test_closing_agency_credit_names_the_agency():
    authors, text = text_authors([], f"{BODY}\n(Reuters/ant)")
    assert authors == ["Reuters"]
    assert text == BODY


def test_text_byline_adds_to_metadata_authors_once():
    authors, _ = text_authors(["RINA PUTRI"], f"By Rina Putri and John Smith\n{BODY}")
    assert authors == ["Rina Putri", "John Smith"]


# -- metadata and markup ------------------------------------------------------------------

def test_agency_as_only_author_is_kept():
    assert from_page(author="AFP") == ["AFP"]
    assert from_page(author="dpa") == ["dpa"]


def test_single_word_pen_name_is_kept_but_handle_and_email_are_not():
    assert from_page(author="Gnaddrig") == ["Gnaddrig"]
    assert from_page(author="@rina; rina@berita.example") == []


def test_site_and_desk_names_are_no_authors():
    assert from_page(author="Redaksi") == []
    assert from_page(author="Tim Redaksi; Kompas.com") == []
    assert from_page(author="CNN Indonesia", site_name="CNN Indonesia") == []
    assert from_page(author="beritaNews") == []  # the host's name with a suffix


def test_person_named_like_the_host_is_kept():
    assert from_page(author="Henry Berita") == ["Henry Berita"]


def test_meta_author_last_first_is_one_person():
    head = '<meta name="author" content="Putri, Rina">'
    assert from_page(head, author="Putri; Rina") == ["Rina Putri"]


def test_byline_markup_is_read_when_metadata_names_nobody():
    body = f'<div class="byline">Pewarta: <span>Nur Imansyah</span></div><p>{BODY}</p>'
    assert from_page(body=body) == ["Nur Imansyah"]


def test_rel_author_link_is_read():
    body = f'<p>Posted by <a rel="author" href="/u/1">Jane Roe</a></p><p>{BODY}</p>'
    assert from_page(body=body) == ["Jane Roe"]


def test_penulis_table_row_is_read():
    body = (f"<p>{BODY}</p><table><tr><td>Penulis</td><td>: Anju Christian</td></tr>"
            "<tr><td>Editor</td><td>: Bayu Galih</td></tr></table>")
    assert from_page(body=body) == ["Anju Christian"]


def test_comment_authors_and_photo_credits_are_not_bylines():
    body = (f'<div class="photo"><span class="author">KOMPAS.com/RINA</span></div><p>{BODY}</p>'
            '<div id="comments"><span class="comment-author">Budi</span></div>')
    assert from_page(body=body) == []


def test_metadata_author_named_as_editor_at_the_text_end_is_dropped():
    authors, text = text_authors(["Kunto Wibisono"], f"{BODY}\nEditor: Kunto Wibisono")
    assert authors == []
    assert text == BODY


def test_editor_markup_is_no_byline():
    body = (f'<p>{BODY}</p><p>Editor: <span itemprop="editor">Kunto Wibisono</span></p>'
            f'<div class="author">Oleh Desca Natalia</div>')
    assert from_page(body=body) == ["Desca Natalia"]


def test_initials_in_meta_give_way_to_the_byline():
    head = '<meta name="author" content="bgs">'
    body = f'<div class="author">Bagus Kurniawan - detiknews</div><p>{BODY}</p>'
    assert from_page(head, body, author="Bgs") == ["Bagus Kurniawan"]


# -- splitting and cleaning ---------------------------------------------------------------

def test_lists_split_on_conjunctions_and_separators():
    assert split_authors("Rina Putri dan Budi Santoso") == ["Rina Putri", "Budi Santoso"]
    assert split_authors("Lars Berg und Anna Fischer") == ["Lars Berg", "Anna Fischer"]
    assert split_authors("Ola Nordmann og Kari Hansen") == ["Ola Nordmann", "Kari Hansen"]
    assert split_authors("Jane Roe & John Doe; Ann Lee, Bo Chen") == \
        ["Jane Roe", "John Doe", "Ann Lee", "Bo Chen"]


def test_last_first_pair_is_one_person():
    assert split_authors("Putri, Rina") == ["Rina Putri"]
    assert split_authors("Rina Putri, Budi Santoso") == ["Rina Putri", "Budi Santoso"]


def test_titles_roles_and_case_variants_are_cleaned():
    assert from_page(author="Dr. Rina Putri | Editor") == ["Rina Putri"]
    assert from_page(author="RINA PUTRI; Rina Putri") == ["Rina Putri"]


def test_agency_with_desk_initials_keeps_the_agency():
    assert from_page(author="dpa/lno") == ["dpa"]


def test_extract_stores_the_byline_and_cuts_it_from_the_text():
    paragraphs = "".join(f"<p>{BODY} Paragraf {n}.</p>" for n in range(4))
    html = page(body=f"<article><p>Penulis: Rina Putri</p>{paragraphs}</article>")
    result = extract(html, "https://berita.example/ekonomi/beras-naik")
    assert result.authors == ["Rina Putri"]
    assert "Penulis" not in result.text and BODY in result.text


# -- bylines in other languages and places --------------------------------------------------

LEAD = ("Harga beras naik tajam pekan ini di banyak pasar, dan pedagang mengeluhkan pasokan "
        "yang berkurang dari sentra produksi.")


def test_byline_under_the_lead_is_read_and_cut():
    text = f"Judul berita\n{LEAD}\nVon Anna Berg und Lars Fischer\n{BODY}\n{BODY}\n{BODY}"
    authors, cut = text_authors([], text)
    assert authors == ["Anna Berg", "Lars Fischer"]
    assert "Von Anna" not in cut and LEAD in cut


def test_capitalised_german_heading_under_the_lead_is_no_byline():
    text = f"{LEAD}\nVon Risiken und Nebenwirkungen\n{BODY}\n{BODY}\n{BODY}"
    assert text_authors([], text) == ([], text)


def test_illustration_credit_beside_the_writer_is_no_author():
    text = f"Text von Christian Seiler Illustration von Markus Roost\n{BODY}"
    assert text_authors([], text)[0] == ["Christian Seiler"]


def test_spanish_and_portuguese_lists_are_split():
    assert split_authors("Rocío Latorre y José Miguel Wilson") == \
        ["Rocío Latorre", "José Miguel Wilson"]
    assert split_authors("Bund der Energieverbraucher e V") == \
        ["Bund der Energieverbraucher e V"]


def test_a_person_named_like_the_site_and_a_first_name_tim_are_kept():
    assert from_page(author="Wolfgang Michal", site_name="Wolfgang Michal") == \
        ["Wolfgang Michal"]
    assert from_page(author="The Local", site_name="The Local") == []
    assert from_page(author="Tim Ehlers") == ["Tim Ehlers"]
    assert from_page(author="Tim beritaNews") == []


def test_handle_with_digits_and_page_spelling_of_initials_are_kept():
    assert from_page(body='<span class="author">freeman1984</span>') == ["freeman1984"]
    head = '<meta name="author" content="T. V. Raman">'
    assert from_page(head, author="T V Raman") == ["T. V. Raman"]


def test_weekday_and_date_after_the_name_are_cut():
    body = '<div class="author">Von Tomas Spahn Fr, 18. Oktober 2019</div>'
    assert from_page(body=body) == ["Tomas Spahn"]


def test_a_date_line_in_a_byline_box_names_no_month_as_its_writer():
    for date in ("December 12, 2019", "Dec 12, 2019", "April 3, 2020", "12 Desember 2019"):
        assert from_page(body=f'<div class="byline">{date}</div><p>{BODY}</p>') == [], date
    body = '<div class="byline">By Rina Putri, December 12, 2019</div>'
    assert from_page(body=body) == ["Rina Putri"]


def test_labelled_text_in_another_language_is_read():
    html = ('<html lang="fr"><head></head><body><p>Auteur : Kossivi Tiassou</p>'
            '<p>Edition : M-A. Pioerron</p></body></html>')
    assert metadata_authors(fromstring(html), None) == ["Kossivi Tiassou"]
    html = ('<html lang="de"><head></head><body><div class="author-date">Datum: 19.11.2021 '
            'Autor: Fritz Imhof Quelle: Livenet</div></body></html>')
    assert metadata_authors(fromstring(html), None) == ["Fritz Imhof"]


def test_categories_and_roles_are_no_people():
    body = '<div class="author">Photovoltaik, Solarthermie, Speicher, Wirtschaft</div>'
    assert from_page(body=body) == []
    assert from_page(author="Rechtsanwalt Sebastian Einbock") == ["Sebastian Einbock"]


def test_the_site_name_is_read_from_the_registered_domain_not_a_subdomain():
    # news.sky.com is Sky's, as news.detik.com is detik's: a three-letter name is a name too
    tree = fromstring(page(url="https://news.sky.com/story/banjir-jakarta-123"))
    assert metadata_authors(tree, "Sky") == []
    assert metadata_authors(tree, "Rina Putri") == ["Rina Putri"]


# -- metadata against the byline markup ------------------------------------------------------

def test_byline_of_a_person_beats_metadata_naming_no_person():
    body = f'<div class="author">Von Ursula Baatz</div><p>{BODY}</p>'
    assert from_page(body=body, author="Die BERITA") == ["Ursula Baatz"]
    assert from_page(body=body, author="Auto Illustrierte") == ["Ursula Baatz"]
    assert from_page(body=body, author="ubaatz") == ["Ursula Baatz"]  # a CMS login
    assert from_page(body=body, author="Ulla") == ["Ulla"]  # a pen name stays


def test_byline_of_no_full_name_leaves_the_metadata_author():
    body = f'<div class="author">Archiv anzeigen</div><p>{BODY}</p>'
    assert from_page(body=body, author="Jessie") == ["Jessie"]
    body = f'<div class="author">Letters To The Editor</div><p>{BODY}</p>'
    assert from_page(body=body, author="letters") == ["letters"]


def test_meta_tag_person_missing_from_the_byline_gives_way_to_it():
    # <meta name=author> names the producer, JSON-LD the writers the byline shows
    head = '<meta name="author" content="Douglas Wood">'
    body = (f'<div class="byline">By Jeremy Herb, Lauren del Valle and Kara Scannell, CNN</div>'
            f'<p>{BODY}</p>')
    assert from_page(head, body, author="Douglas Wood; Jeremy Herb; Lauren del Valle; "
                     "Kara Scannell") == ["Jeremy Herb", "Lauren del Valle", "Kara Scannell"]


def test_byline_showing_the_meta_tag_person_or_naming_others_keeps_the_metadata():
    head = '<meta name="author" content="Rina Putri">'
    body = f'<div class="byline">By Rina Putri</div><p>{BODY}</p>'
    assert from_page(head, body, author="Rina Putri; Budi Santoso") == \
        ["Rina Putri", "Budi Santoso"]
    body = f'<div class="byline">By Ani Lestari</div><p>{BODY}</p>'  # a teaser's writer
    assert from_page(head, body, author="Rina Putri; Budi Santoso") == \
        ["Rina Putri", "Budi Santoso"]


def test_by_label_in_its_own_element_is_read_without_the_date():
    html = ('<html lang="en"><head></head><body><h1>Title</h1><div><span>By</span><span>'
            '<a href="/about/alex">Alex Bozarjian</a></span></div><div>Thursday, November 9, '
            f'2023 4:41AM</div><p>{BODY}</p></body></html>')
    assert metadata_authors(fromstring(html), None) == ["Alex Bozarjian"]
    body = '<div class="byline">By Alex Bozarjian Thursday, November 9, 2023 4:41AM</div>'
    assert from_page(body=body) == ["Alex Bozarjian"]


# -- names that are not people ---------------------------------------------------------------

def test_translator_is_no_author():
    body = f'<div class="author">Übersetzung Sarah Jungblut</div><p>{BODY}</p>'
    assert from_page(body=body, author="Mark") == ["Mark"]
    assert text_authors([], f"Text: Anna Berg | Übersetzung: Jane Roe\n{BODY}")[0] == \
        ["Anna Berg"]


def test_entity_split_by_the_metadata_reader_names_nobody():
    # JSON-LD "Redacci&oacute;n Diario" escaped twice, split by trafilatura on "&" and ";"
    assert from_page(author="Redacci; Oacute; N Diario Berita") == []


def test_domains_and_agencies_in_other_languages_are_no_people():
    assert from_page(author="przepisy.pl") == []
    assert from_page(author="Agenturen") == []


def test_headings_and_phrases_are_no_names_but_lower_case_surnames_are():
    body = '<div class="author">Alles über Lautsprecher, Tricks für zu Hause, Heimkino</div>'
    assert from_page(body=body) == []
    assert from_page(author="deinen Hochzeitsbloggern") == []
    assert from_page(author="Mobasir hassan") == ["Mobasir hassan"]
    assert from_page(author="Jose de la Cruz") == ["Jose de la Cruz"]


def test_book_editor_is_no_author():
    body = '<div class="author">Revised Edition Edited by Adrian Parr</div>'
    assert from_page(body=body) == []


def test_desk_code_beside_an_agency_in_any_case_is_dropped():
    assert from_page(author="Det; Dpa") == ["dpa"]


def test_one_word_byline_does_not_beat_a_one_word_metadata_author():
    body = f'<div class="author">Saarland</div><p>{BODY}</p>'
    assert from_page(body=body, author="Jessie") == ["Jessie"]


def test_date_beside_the_byline_is_no_obstacle():
    authors, text = text_authors([], f"Penulis: Rina Putri | 12.05.2020 10:30 WIB\n{BODY}")
    assert authors == ["Rina Putri"]
    assert text == BODY
    text = f"12.05.2020 | 10:30 WIB\n{BODY}"
    assert text_authors([], text) == ([], text)  # a line of dates only is no byline
    html = ('<html lang="de"><head></head><body><h1>Titel</h1><div class="metaInfo">Ein Artikel '
            f'von <strong>Pamela Sladky</strong> | 27.01.2022 - 12:45</div><p>{BODY}</p></body>'
            '</html>')
    assert metadata_authors(fromstring(html), None) == ["Pamela Sladky"]


def test_meta_author_that_is_an_obfuscated_address_gives_way_to_the_byline():
    head = '<meta name="author" content="rina[at]berita.net">'
    body = f'<span class="author">rp42</span><p>{BODY}</p>'
    assert from_page(head, body, author="Rinaberita Net") == ["rp42"]


def test_compounds_of_organisation_words_are_no_people():
    assert from_page(author="Bundesverband WindEnergie") == []
    assert from_page(author="Förderverein Musikschule") == []


def test_hyphenated_desks_are_no_people_but_hyphenated_names_are():
    assert from_page(author="Online-Redaktion") == []
    assert from_page(author="Mathilda Trausch, Online-Redaktion") == ["Mathilda Trausch"]
    assert from_page(author="Hans-Peter Berg") == ["Hans-Peter Berg"]


def test_relative_time_in_byline_markup_is_no_name():
    body = (f'<span class="author-info__name">Houzz Deutschland</span>'
            f'<span class="author-info__time">vor 5 Stunden</span><p>{BODY}</p>')
    assert from_page(body=body) == []


def test_byline_classes_in_german_french_and_spanish_are_read():
    # "autor" (de, es, pt) and "auteur" (fr) name the byline markup as "author" does
    body = f'<p class="nota-autor">Jacobo Betancur Peláez | Publicado hace 3 horas</p><p>{BODY}</p>'
    assert from_page(body=body) == ["Jacobo Betancur Peláez"]
    body = f'<div class="lesauteurs"><div class="unauteur">Didier Roy</div></div><p>{BODY}</p>'
    assert from_page(body=body) == ["Didier Roy"]


def test_bylines_of_other_stories_in_teaser_cards_are_no_authors():
    # a card linking to another story holds its headline and its byline
    card = ('<a href="/other-story"><h3>Wohnungssuche wird immer schwerer für Studenten</h3>'
            '<span class="teaser__autor">Von Clara Müller</span></a>')
    assert from_page(body=f"<p>{BODY}</p>{card}") == []
    # a list of other stories: each headline's link, then its byline
    item = ('<li><a href="/other-story">Faulheit auf der Regierungsbank, zwei Jahre danach</a>'
            '<div class="liste-autor">Pressemitteilung von Katja Kipping</div></li>')
    assert from_page(body=f"<p>{BODY}</p><ul>{item}</ul>") == []
    # a link to the writer's page is no card, with the writer's photo and its credit too
    own = '<p><a href="/autor/rina-putri"><span class="autor">Rina Putri</span></a></p>'
    assert from_page(body=f"{own}<p>{BODY}</p>") == ["Rina Putri"]
    own = ('<a href="/autoren/rina-putri"><img src="r.jpg" alt=""><small>© Rina Putri</small>'
           '<span class="autor-name">Rina Putri</span></a>')
    assert from_page(body=f"{own}<p>{BODY}</p>") == ["Rina Putri"]


def test_posted_by_labels_name_the_writer():
    assert text_authors([], f"Posted by Konstantin\n{BODY}")[0] == ["Konstantin"]
    assert text_authors([], f"Geschrieben von Anna Schmidt\n{BODY}")[0] == ["Anna Schmidt"]


def test_page_without_a_language_is_searched_for_labels_of_any_language():
    html = (f"<html><head></head><body><div class='postdata'><span>Posted by Konstantin</span>"
            f"</div><p>{BODY}</p></body></html>")
    assert metadata_authors(fromstring(html), None) == ["Konstantin"]


def test_employer_after_a_department_is_no_person():
    line = "Posted by Alex Durán, AMP Project Marketing, Google"
    assert text_authors([], f"{line}\n{BODY}")[0] == ["Alex Durán"]
    # one-word names beside full names without a department stay
    assert split_authors("Rina Putri, Budi") == ["Rina Putri", "Budi"]
    assert from_page(author="Rina Putri; Budi") == ["Rina Putri", "Budi"]


def test_the_post_authors_own_comment_names_the_author_of_a_blog_without_byline():
    # WordPress marks the comments of the post's author with "bypostauthor"
    comments = ('<ol class="commentlist">'
                '<li class="comment comment-author-leser"><div class="comment-author vcard">'
                '<cite class="fn">Leser</cite> sagt:</div><p>Schöner Text!</p></li>'
                '<li class="comment byuser comment-author-jancak bypostauthor">'
                '<div class="comment-author vcard"><img src="a.png" alt="">'
                '<cite class="fn">jancak</cite> <span class="says">sagt:</span></div>'
                '<p>Danke!</p></li></ol>')
    assert from_page(body=f"<p>{BODY}</p>{comments}") == ["jancak"]
    header = ('<li class="comment bypostauthor"><p class="comment-author">Karoline Herr sagt:</p>'
              '<p>Danke!</p></li>')
    assert from_page(body=f"<p>{BODY}</p><ol>{header}</ol>") == ["Karoline Herr"]
    # other commenters are never authors, nor is the post's author when a byline names someone
    assert from_page(body=f"<p>{BODY}</p>{comments.replace('bypostauthor', '')}") == []
    byline = '<span class="author vcard">Rina Putri</span>'
    assert from_page(body=f"{byline}<p>{BODY}</p>{comments}") == ["Rina Putri"]


def test_agency_in_the_dateline_names_the_agency_when_nobody_else_is_named():
    text = f"Hamburg (dpa/lno) – {BODY}\n{BODY}"
    authors, kept = text_authors([], text)
    assert authors == ["dpa"]
    assert kept == text  # the dateline is the lead's start, it stays
    assert text_authors([], f"BERLIN (AFP) - {BODY}")[0] == ["AFP"]
    assert text_authors(["Rina Putri"], f"Hamburg (dpa) – {BODY}")[0] == ["Rina Putri"]
    # a parenthesis that is no agency's is no dateline
    assert text_authors([], f"Warendorf (fn-press) – {BODY}")[0] == []


def test_source_line_naming_an_agency_names_the_agency():
    authors, text = text_authors([], f"{BODY}\nQuelle: kathpress")
    assert authors == ["Kathpress"]
    assert text == BODY
    # a source of facts is no writer, and its line stays in the text
    authors, text = text_authors([], f"{BODY}\nQuelle: Statistisches Bundesamt")
    assert authors == []
    assert text.endswith("Quelle: Statistisches Bundesamt")


def test_host_spelled_as_two_words_and_its_address_are_no_people():
    # a metadata reader's spelling of hessenschau.de, then the publisher's town and country
    tree = fromstring(page(url="https://www.hessenschau.de/kultur/buchmesse-100.html"))
    assert metadata_authors(tree, "Hessenschau De; Frankfurt; Germany") == []
    # another site's host, spelled the same way
    assert from_page(author="Frank Bueltge; Bueltge De") == ["Frank Bueltge"]


def test_author_box_gives_the_name_it_starts_with():
    box = ('<div class="author-info"><h3>Inga Hoeltmann</h3><a>Follow</a>'
           '<p>Transformationsbegleiterin und Expertin für Neue Arbeit und Vereinbarkeit, '
           'schreibt seit vielen Jahren über Arbeit, Familie und Gesellschaft.</p></div>')
    assert from_page(body=f"<p>{BODY}</p>{box}") == ["Inga Hoeltmann"]
    # a box starting with a greeting or a heading names nobody
    box = ('<div class="author-box"><h3>Hi! I\'m Pina</h3><p>Hello! My name is Pina and I '
           'love Italian food and culture, here you find my recipes.</p></div>')
    assert from_page(body=f"<p>{BODY}</p>{box}") == []
    box = ('<div class="author-box"><h3>Zur Person</h3><p>Die Autorin arbeitet seit 2010 als '
           'Tierärztin in Stuttgart.</p></div>')
    assert from_page(body=f"<p>{BODY}</p>{box}") == []


def test_biography_run_into_the_byline_is_no_name():
    # "Von Markus Balser, Berlin" then the popup "Markus Balser kam 2001 zur Zeitung"
    box = ('<div class="authorContainer">Von Markus Balser, Berlin Markus Balser kam 2001 zur '
           'Zeitung. Er ist Absolvent der Journalistenschule und schreibt über Verkehr, '
           'Energie und Umwelt.</div>')
    assert "Berlin Markus Balser kam" not in from_page(body=f"{box}<p>{BODY}</p>")
    assert from_page(author="View more posts") == []
    assert from_page(author="Jose de la Cruz") == ["Jose de la Cruz"]


def test_obfuscated_address_is_no_name():
    body = f'<span class="author">[email protected]</span><p>{BODY}</p>'
    assert from_page(body=body) == []


def test_date_and_full_name_line_is_a_byline():
    authors, text = text_authors([], f"11.12.2019 - Amelie Loevenich\n{BODY}")
    assert authors == ["Amelie Loevenich"]
    assert text == BODY
    # a date and a headline is none
    assert text_authors([], f"11.12.2019 - Neue Preise für Strom und Gas\n{BODY}")[0] == []


def test_words_label_names_the_writers_and_photos_label_does_not():
    line = "Words: Rudolf Fischer, Simon Kohler Photos: Simon Kohler"
    assert text_authors([], f"{BODY}\n{line}")[0] == ["Rudolf Fischer", "Simon Kohler"]


def test_press_service_code_beside_the_writer_is_no_author():
    assert from_page(author="Peter Maahn/SP-X") == ["Peter Maahn"]


def test_interview_byline_names_both_people():
    body = f'<p class="author">Richard David Precht im Gespräch mit Karin Fischer</p><p>{BODY}</p>'
    assert from_page(body=body) == ["Richard David Precht", "Karin Fischer"]
    assert split_authors("Jane Roe in conversation with John Doe") == ["Jane Roe", "John Doe"]


def test_one_meta_tag_per_author_spells_them_all_and_is_no_added_person():
    head = ''.join(f'<meta name="dc.Creator" content="{name}">'
                   for name in ("Michael L. Anderson", "Carlos Dobkin", "Devon Gorry"))
    body = f'<span class="author-name">Michael L. Anderson, PhD</span><p>{BODY}</p>'
    authors = from_page(head=head, body=body,
                        author="Michael L Anderson; Carlos Dobkin; Devon Gorry")
    assert authors == ["Michael L. Anderson", "Carlos Dobkin", "Devon Gorry"]


def test_three_words_spelling_the_host_are_the_site_two_are_a_person():
    tree = fromstring(page(url="https://www.texasmattressmakers.com/blog/side-sleepers"))
    assert metadata_authors(tree, "Texas Mattress Makers") == []
    tree = fromstring(page(url="https://www.wolfgangmichal.de/2020/artikel"))
    assert metadata_authors(tree, "Wolfgang Michal") == ["Wolfgang Michal"]


# -- roles, asides and spellings around a name ------------------------------------------------

def test_role_after_the_writers_name_is_no_part_of_it():
    line = "Autor: Rina Putri (Gastbeitrag), Lehrerin an einer Schule in Bonn"
    assert text_authors([], f"{BODY}\n{line}")[0] == ["Rina Putri"]
    assert text_authors([], f"{BODY}\nBy Rina Putri, a reporter at the Post")[0] == ["Rina Putri"]
    # names after the comma are more writers, not a role
    body = ('<span class="byline-author">Posted by Nathan Parker, Varun Khaneja and Kiran C Nair '
            f'- Chrome security team</span><p>{BODY}</p>')
    assert from_page(body=body) == ["Nathan Parker", "Varun Khaneja", "Kiran C Nair"]


def test_label_element_names_the_writer_up_to_the_next_line():
    body = (f'<p>{BODY}</p><p><strong>Autor:</strong> <a href="/profil/7">Rina Putri</a><br>'
            '<strong>Tags:</strong> <a href="/tag/1">Wahl</a>, <a href="/tag/2">Politik</a></p>')
    assert from_page(body=body) == ["Rina Putri"]


def test_credit_box_labels_the_interviewer():
    body = (f'<p>{BODY}</p><div class="credits"><div class="label">Interview</div>'
            '<div class="text">RINA PUTRI</div></div>')
    assert from_page(body=body) == ["RINA PUTRI"]


def test_date_before_the_label_is_no_part_of_the_byline():
    body = f'<h2>Stars <span>06.11.2023 13:30 von Olga</span></h2><p>{BODY}</p>'
    assert from_page(body=body) == ["Olga"]


def test_parts_of_a_site_named_meta_author_are_no_people():
    # trafilatura's readers split "Jobs & Hire" into "Jobs" and "Hire"
    head = '<meta name="author" content="Jobs &amp; Hire">'
    assert from_page(head=head, author="Jobs; Hire", site_name="Jobs & Hire") == []


def test_site_owner_named_in_the_domain_is_no_author():
    body = f'<span class="byline-author">Posted by Rina Putri</span><p>{BODY}</p>'
    tree = fromstring(page(body=body, url="https://security.googleblog.com/2020/05/post.html"))
    assert metadata_authors(tree, "Google") == ["Rina Putri"]
    # a blogger's handle on a blog titled after them stays
    tree = fromstring(page(url="https://rinaputri.wordpress.com/2019/x"))
    assert metadata_authors(tree, "rinaputri", site_name="Rinaputri Blog") == ["rinaputri"]


def test_login_in_the_metadata_is_spelled_as_the_byline_does():
    head = '<meta name="author" content="gabor_munier">'
    body = f'<span class="author">Autor: Gàbor Muniér</span><p>{BODY}</p>'
    assert from_page(head=head, body=body, author="Gabor Munier") == ["Gàbor Muniér"]


def test_first_name_in_the_metadata_is_completed_by_the_author_box():
    box = ('<div class="author_box"><div class="author_box_name">Stefanus</div>'
           '<div class="author_box_bio">Stefanus Stahl - Maschinenbauer und Projektleiter. Seit '
           '2002 auf dem Mountainbike unterwegs.</div></div>')
    assert from_page(body=f"<p>{BODY}</p>{box}", author="Stefanus") == ["Stefanus Stahl"]
    # a greeting is no surname
    box = '<div class="author_box">Tine Hi, ich bin Tine - und schreibe hier.</div>'
    assert from_page(body=f"<p>{BODY}</p>{box}", author="Tine") == ["Tine"]


def test_name_in_brackets_closing_the_text():
    text = f"{BODY}\n{BODY} (Rina M. Putri) +++"
    # the metadata's writer with a middle initial
    assert text_authors(["Rina Putri"], text)[0] == ["Rina M. Putri"]
    # another person beside the metadata's writer: a contributor, left alone
    assert text_authors(["Dewi Kania"], text)[0] == ["Dewi Kania"]
    assert text_authors([], text)[0] == ["Rina M. Putri"]
    assert text_authors([], f"{BODY}\n{BODY} (siehe Grafik unten)")[0] == []


def test_note_on_the_writer_closing_the_text():
    note = "Rina Putri ist Architektin und Stadtplanerin. Sie lebt in Berlin."
    assert text_authors([], f"{BODY}\n{BODY}\n{note}")[0] == ["Rina Putri"]
    assert text_authors([], f"{BODY}\n{BODY}\n{BODY}")[0] == []


def test_signature_above_the_signers_office():
    text = f"{BODY}\n{BODY}\nRina Putri\nStellvertretende Pressesprecherin"
    assert text_authors([], text)[0] == ["Rina Putri"]


def test_button_closing_the_page_is_no_signature():
    assert text_authors([], f"{BODY}\n{BODY}\nJoin Now")[0] == []
    assert text_authors([], f"{BODY}\n{BODY}\nView Full Profile")[0] == []


def test_signature_with_the_surname_in_capitals():
    text = f"{BODY}\n{BODY}\nKazım TÜRKMEN\nBundesvorsitzender"
    assert text_authors([], text)[0] == ["Kazım TÜRKMEN"]


def test_byline_element_listing_fewer_people_than_the_metadata_settles_them():
    # JSON-LD adds a producer the byline does not show
    body = ('<div class="article-header__byline">By Jessica Holly , Gail Levy , 7 News WSVN</div>'
            f'<p>{BODY}</p>')
    authors = from_page(body=body, author="Jessica Holly; Gail Levy; Kathleen Ditton")
    assert authors == ["Jessica Holly", "Gail Levy"]
    # a byline naming them all leaves them
    body = ('<div class="article-header__byline">By Jessica Holly, Gail Levy and Kathleen Ditton'
            f'</div><p>{BODY}</p>')
    authors = from_page(body=body, author="Jessica Holly; Gail Levy; Kathleen Ditton")
    assert authors == ["Jessica Holly", "Gail Levy", "Kathleen Ditton"]


def test_empty_field_printed_by_a_template_is_no_name():
    assert from_page(author="Rina Putri; null") == ["Rina Putri"]


def test_site_name_with_one_word_more_is_the_site():
    tree = fromstring(page(
        head='<meta name="author" content="EFC Bayrische Bembel">',
        body=f'<p>{BODY}</p><span class="poster">Geschrieben von <a href="/u/6">Cooper</a></span>',
        url="http://bayrische-bembel.de/news/article.php?storyid=504"))
    assert metadata_authors(tree, "EFC Bayrische Bembel") == ["Cooper"]


def test_a_middle_initial_a_is_an_initial_not_the_article():
    authors, _ = text_authors([], f"By Rina A. Putri, a reporter at the Post\n{BODY}")
    assert authors == ["Rina A. Putri"]


def test_a_capital_a_without_a_dot_is_still_the_article_of_a_heading():
    assert text_authors([], f"{BODY}\nNotes From A Small Island")[0] == []
