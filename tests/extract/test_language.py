"""The language of an article's text: the classifier's verdict, with the page's declared language
and the source's expected one as priors."""

from __future__ import annotations

from crawler.clean.language import detect_language, text_language

# Czech and Swedish with the prepositions and articles function-word counting took for Polish
# ("na", "do", "po", "od") and Dutch ("en")
CZECH = ("Vláda ve středu schválila návrh státního rozpočtu na příští rok. Ministr financí "
         "uvedl, že schodek se sníží o několik miliard korun a že peníze půjdou především na "
         "dopravní stavby, školství a zdravotnictví. Peníze na opravy silnic dostanou kraje do "
         "konce března, jak slíbil premiér. Po jednání vlády to potvrdil i ministr dopravy, "
         "podle kterého se na stavbách začne pracovat od jara. Opozice návrh kritizuje a tvrdí, "
         "že to na pokrytí výdajů do budoucna nestačí.")
SWEDISH = ("Regeringen presenterade på tisdagen en ny plan för järnvägen. Enligt planen ska en "
           "miljard kronor gå till en upprustning av spåren i norr, och en särskild grupp ska "
           "leda arbetet. Infrastrukturministern sade att det är en viktig satsning för en "
           "region som länge har väntat. Kritiker menar att en så stor summa borde ha gått till "
           "en snabbare utbyggnad i söder, där en majoritet av resenärerna bor.")
TURKISH = ("Cumhurbaşkanı bugün yaptığı açıklamada yeni ekonomik paketin ayrıntılarını paylaştı. "
           "Paket kapsamında küçük işletmelere düşük faizli kredi verilecek ve emeklilerin "
           "maaşları yılın ikinci yarısında yeniden düzenlenecek.")
ENGLISH = ("The central bank raised its benchmark interest rate on Thursday for the third time "
           "this year, saying that inflation had stayed above its target for longer than it "
           "had expected and that the currency needed support.")
INDONESIAN = ("Pemerintah provinsi akan membangun tiga jembatan baru tahun depan untuk "
              "menghubungkan desa-desa yang selama ini terisolasi saat musim hujan. Kepala dinas "
              "mengatakan anggarannya sudah disetujui oleh dewan.")
MALAY = ("Kerajaan negeri akan membina tiga buah jambatan baharu pada tahun hadapan bagi "
         "menghubungkan kampung-kampung yang terputus hubungan apabila musim tengkujuh. "
         "Pengarah jabatan berkata peruntukan itu telah diluluskan oleh dewan undangan negeri.")


def test_czech_page_declared_czech_stays_czech():
    assert text_language(CZECH, declared="cs") == "cs"


def test_swedish_page_declared_swedish_stays_swedish():
    assert text_language(SWEDISH, declared="sv") == "sv"


def test_turkish_page_declared_turkish_stays_turkish():
    assert text_language(TURKISH, declared="tr", expected="en") == "tr"


def test_english_text_on_an_indonesian_source_is_english():
    assert text_language(ENGLISH, expected="id") == "en"


def test_confident_detection_overrides_a_wrong_declaration():
    # a theme's lang="en" on an Indonesian article
    assert text_language(INDONESIAN, declared="en", expected="id") == "id"


def test_short_text_keeps_the_declared_language():
    assert text_language("Foto: dok. pribadi", declared="en", expected="id") == "en"


def test_short_text_without_declaration_takes_the_expected_language():
    assert text_language("Foto: dok. pribadi", expected="id") == "id"


def test_short_text_without_priors_is_unknown():
    assert text_language("OK") is None


def test_malay_detection_on_an_indonesian_source_stays_indonesian():
    assert text_language(MALAY, expected="id") == "id"


def test_malay_text_on_a_page_declared_malay_is_malay():
    assert text_language(MALAY, declared="ms") == "ms"


def test_declared_region_and_obsolete_codes_are_read_as_languages():
    assert text_language("Halo", declared="in-ID") == "id"
    assert text_language("Hei", declared="nb_NO") == "no"


def test_detect_language_names_the_language_without_priors():
    assert (detect_language(CZECH), detect_language(ENGLISH)) == ("cs", "en")


def test_detect_language_is_none_for_a_text_saying_too_little():
    assert detect_language("12:30 WIB") is None
