"""Language detectors on the corpus: speed and accuracy, and `text_language`'s verdict.

    .venv/bin/python -m bench.language [--corpus ../shared/corpus] [--no-lingua]

Texts: the first 6,000 characters of each page's ground truth (id_news, wcxb_test: the full
text; trafilatura_eval: its `with` snippets joined, 40-250 characters: the short-text case).
Pages without ground-truth text are left out.

Labels: the manifest's `lang` (the page's `<html lang>`; id_news: Indonesian), replaced by
`LABELS` wherever it was missing or disagreed with py3langid or lingua: those ~160 texts were
read by eye and labelled (German sites declaring `lang="en"`, Spanish ones declaring "en", ...;
"mixed" and "none" pages are left out). Pages where the declaration and both classifiers agree
keep the declaration unread, so the figures only tell the classifiers apart on the texts where
one of the three disagreed.

Printed per detector: model load (s, once per process), ms per text, accuracy over all texts,
over those under 200 characters and over those whose `<html lang>` is missing or wrong. The last
rows are the pipeline: the declaration alone, and `text_language` with the declaration and the
source's expected language (id_news: "id") as priors. lingua's load includes its first
detection, which loads the models of every language. fasttext-langdetect is not measured: it
downloads its model at first use, and the clean step must work offline.
"""

from __future__ import annotations

import argparse
import ast
import gzip
import json
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from trafilatura.utils import load_html

from crawler.clean.language import text_language
from crawler.clean.metadata import _declared_language

DEFAULT_CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus"
DATASETS = ("id_news", "wcxb_test", "trafilatura_eval")
EXPECTED = {"id_news": "id"}  # the language a source of that dataset would be configured with
SHORT_CHARS = 200
TEXT_CHARS = 6000  # what each detector is given (text_language takes its own sample of it)

# Pages whose label is not their manifest's `lang`, read by eye (see the module's docstring).
LABELS_BY_LANGUAGE = {
    "de": """
    Volksstimme.ch-loehne_9ca181 abookshelffullofsunshine.blogspot.com.interview_081046
    ahlen.de.reparaturcafe_5a0080 archive.org.bewegliche-lettern.de.typography_af574a
    archive.org.dzs-clan.de_deaec6 archive.org.the-pain.net.silkroad_6b6f8e
    bauemotion.de-schneereampflicht_919612 befifty.montauk_3ab87d
    berkutschi.com-willingen_733a17 biathlon-antholz.it-jubeln_18d8b1
    bigdata.ypart.eu.datenerhebung_50b834 blogoff.de.i-htm_af7c4e
    boxen1.com-ring-r_ckkehr_2bc9be buero-hoppe.de.baumgutachten_1844bf
    bummfilm.de._ber_a3ef62 bumsbutzener-gumpfen.blogspot.com.tach-auch_eb5c58
    cdu-fraktion-erfurt.de.waldorfschule_b9aa41 cducsu.de-wasserstoff_ba19d1
    chip.de.bestcrypt_ff69fc coaching-magazin.de.transgenerationales-coaching_389837
    colours-of-the-soul.alhelm.net_0ccf0d couchstyle.de.vintage_21f5e5
    creativecommons.at.faircoin_e9631e d60caba9d12c467b9708ec8981cad8aa_3a5b63
    demokratiewebstatt.at.luft_948597 derpapierplanet.de.juni_8cb7fd
    die-tagespost.de.Demut_179d03 disfunctions.de.podcasts_c3ebbd ditb.de-Propheten_e75317
    djz.de-amoklauf_2d6441 feuerwehrtaucher-oldenburg.de.ausbildung_4aad86
    finanztreff.de-Influencer_5f12c6 fischundfang.de-pop-ups_f1c667
    fitforfun.de.sozialeaengste_2903ca gipfelbuch.ch-hochaufloesung_7d9dc7
    groove.de-Anti-A100-Aktivist_aa0a50 harddecor.at.denkmaler_1c2e80 helge.at.mahu_934422
    hundeverein-kreisunna.de_17ff7c internet-law.de.pseudonymen_82ef64
    jaegermagazin.de-s_dtirol_fc15cb jodel.com.advertising_079e79
    lecker.de.schneewittchen_ab36e4 lexikon.huettenhilfe.de.banane_814144
    linkedin.com.hoeltmann_6f3e03 lokalo.de-Weinbergsbahnen_a08715 love-hina.ch.0409_33560e
    mitvergnuegen.de.herbst_e38561 murdeltas.wordpress.com.politcamp_9bd6f2 neos.eu.wir_d588cc
    netzfueralle.blog.rosalux.de.netzpolitik_8271a7 novalanalove.com.ear-candy_c7deb8
    plentylife.blogspot.pamela-reif_6e9590 presse-ausburg.de-Tarifverbund_1b3200
    rnz.de.witzel_e1c4c4 rueda.wikidot.com.enchufla_22bf19 schleifen.ucoz.de.briefe_359b44
    seelenradio.de.leo_64a020 simplyscience.ch.erdoel_781809 singapur-reiseinfo.de.abc_adfaf3
    speicherguide.de.schwierige_8c4d99 spontis.de.jahrzehnt_b9ca52
    springer.com-produkte_224991 st-georg.de-olympia_0d7180 together.ch.schaffhausen_3587d8
    travanto.de.ferienhaus-feinen_b3a3c2 vergleich.de.leasen_316d4b villacc.de.galaxy_8b43f3
    villagersandheroes.com.forums.patchnotes_b8a119 volksblatt.at-Alkoholkonsum_778293
    wehranlage-horka.de.887_a3acdb weinlachgummis.blogspot.com.rezi_a9bc93
    whiskyverkostung.com.halle_f52969 wildundhund.de-bonn_a6cff2
    wolfgangschmale.eu.duchhardt_22726d""",
    "en": """
    4096 4207 4225 4369 4381 4456 4795 4937 4941 4988 5039 5080 5120 5121 5225 5252 5285 5294
    5406 5412 5431 5442 5445 5643 5657 5659 blog.python.org_402f42 dailymail.co.uk.food_84a22a
    denkanstoos.com.2012_f9a313 economictimes.indiatimes.com.slideshow_8108bb
    edition.cnn.com-royal_85f73f fouryears.eu.interning_9bacd9 gregoryszorc.com.python3_601d1e
    hassanchef.com.bhindi_2ea9ac jobsnhire.com.health_3dd754 laweekly.com-Cultivation_0a7a6f
    luxuryhaven.co.hyatt_05edbb netbits.us.stunnel_rsync_3b780e
    nextkabinett.wordpress.com.garden_6756db phillyvoice.com-Sixers_0eb04c
    phys.org.tool_66660d sibenlab.blogspot.com.privacy_3fde7d
    strangemachines.io.performant_3e8bdc theverge.com.ios13_b3f349
    villagevoice.com-Party_819749 wevolver.com.3dprinting_335f59
    wiki.python.org.Download_3e18f5 wordsmith.org.maudlin_580c9f
    youhadmeatgardening.com.lemon_b01628""",
    "es": """
    100noticias.com-millones_f6826d elenacional.com-carta_6c33fd elfaro.net-asamblea_ad0d69
    eltiempo.com-candidatos_564619 latercera.com-laagenda_498ddc
    pagina12.com.ar-suprema_b5f9f8 ultimasnoticias.com.ve-ucraina_40b232""",
    "zh": """
    archive.org.he.xinhuanet.com.25340717_bc72d2 baike.baidu.com.tanya_bd9ca4
    banyuetan.org.1000200033136171577956287380194268_1_668100
    chineselyrics4u.com.zhineng_5e7cae xinhuanet.com.c_1125597921_92fb33""",
    "pl": """
    Jest_zgoda_PE_na_umow_handlow_mi_dzy_UE_a_Londynem_2d9fc7
    Rosjanie_sugeruj_natychmiastowe_odci_cie_Polski_od_gazu_-_Energetyka24_3e9b1c
    _Sieci___IPN_czyli_element_infrastruktury_krytycznej_Tygodnik_Sieci_e9496d
    sportowefakty.wp.pl.falubaz_e3682a""",
    "mixed": """
    hr-innovation.org.enterprise_ca3ff4 pointofsail-kiel.de.wilson_7fa968
    wikimediafoundation.org.turkey_936c8a""",
    "fr": """
    archive.org-travaillent_a83a22 madame.lefigaro.fr.dintestin_88943c
    tdg.ch.chlorothalonil_67b6f7""",
    "pap": """
    24ora.com-internationalschol_14f819""",
    "ru": """
    football.ua.podolski_3b2558""",
    "none": """
    mitundvoneinander.com-Fr_hling_51716e""",
    "bn": """
    ukbdnews.com.23646_6c7816""",
    "ja": """
    nhk.or.jp.k100_455408""",
}
LABELS = {page: code for code, pages in LABELS_BY_LANGUAGE.items() for page in pages.split()}
# the classifiers' varieties counted as the language a label names
SAME = {"nb": "no", "nn": "no", "wuu": "zh", "yue": "zh"}


@dataclass
class Text:
    dataset: str
    page: str
    text: str
    label: str
    declared: str | None


def load_texts(corpus: Path) -> list[Text]:
    texts = []
    for dataset in DATASETS:
        with gzip.open(corpus / dataset / "manifest.jsonl.gz", "rt", encoding="utf-8") as rows:
            for line in rows:
                row = json.loads(line)
                text = _ground_truth(row)[:TEXT_CHARS]
                label = LABELS.get(row["id"], row.get("lang"))
                if not text.strip() or label in (None, "mixed", "none"):
                    continue
                html = gzip.decompress((corpus / dataset / row["html"]).read_bytes())
                tree = load_html(html)
                declared = _declared_language(tree) if tree is not None else None
                texts.append(Text(dataset, row["id"], text, label, declared))
    return texts


def _ground_truth(row: dict) -> str:
    if row.get("text") not in (None, "None", ""):
        return row["text"]
    snippets = row.get("with") or "[]"
    return "\n".join(ast.literal_eval(snippets) if isinstance(snippets, str) else snippets)


def detectors(lingua: bool) -> dict[str, Callable[[], Callable[[str], str | None]]]:
    """name -> loader returning a text -> language code function."""
    def py3langid():
        from py3langid.langid import MODEL_FILE, LanguageIdentifier
        identifier = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
        return lambda text: identifier.classify(text)[0]

    def lingua_all():
        from lingua import LanguageDetectorBuilder
        detector = LanguageDetectorBuilder.from_all_languages().build()

        def detect(text):
            found = detector.detect_language_of(text)
            return found.iso_code_639_1.name.lower() if found else None
        return detect

    found = {"py3langid 0.4 (raw verdict)": py3langid}
    if lingua:
        found["lingua 2.x, all languages"] = lingua_all
    return found


def run(texts: list[Text], lingua: bool) -> list[tuple]:
    rows = []
    for name, loader in detectors(lingua).items():
        start = time.perf_counter()
        detect = loader()
        detect("warm up the lazily loaded models")
        load = time.perf_counter() - start
        start = time.perf_counter()
        verdicts = [detect(t.text) for t in texts]
        rows.append((name, load, 1000 * (time.perf_counter() - start) / len(texts), verdicts))
    rows.append(("pipeline: <html lang> alone", 0.0, 0.0, [t.declared for t in texts]))
    text_language("warm up the lazily loaded model", declared="en")
    start = time.perf_counter()
    verdicts = [text_language(t.text, declared=t.declared, expected=EXPECTED.get(t.dataset))
                for t in texts]
    rows.append(("pipeline: text_language", None,
                 1000 * (time.perf_counter() - start) / len(texts), verdicts))
    return rows


def _right(verdict: str | None, text: Text) -> bool:
    return verdict is not None and SAME.get(verdict, verdict) == text.label


def report(texts: list[Text], rows: list[tuple], show_errors: bool) -> None:
    short = [i for i, t in enumerate(texts) if len(t.text) < SHORT_CHARS]
    misdeclared = [i for i, t in enumerate(texts) if t.declared != t.label]
    print(f"{len(texts)} texts ({len(short)} under {SHORT_CHARS} chars), "
          f"{len(misdeclared)} whose <html lang> is missing or wrong")
    print(f"{'detector':32} {'load s':>7} {'ms/text':>8} {'all':>6} {'short':>6} {'misdecl.':>8}")
    for name, load, ms, verdicts in rows:
        def share(indexes, verdicts=verdicts):
            return sum(_right(verdicts[i], texts[i]) for i in indexes) / max(1, len(indexes))
        load_text = "-" if load is None else f"{load:.2f}"
        print(f"{name:32} {load_text:>7} {ms:8.2f} {share(range(len(texts))):6.3f} "
              f"{share(short):6.3f} {share(misdeclared):8.3f}")
        if show_errors:
            for i, verdict in enumerate(verdicts):
                if not _right(verdict, texts[i]):
                    t = texts[i]
                    print(f"    {t.dataset} {t.page} label={t.label} declared={t.declared} "
                          f"got={verdict} {t.text[:70]!r}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--no-lingua", action="store_true", help="skip lingua (slow, 1 GB)")
    parser.add_argument("--errors", action="store_true", help="list each wrong verdict")
    args = parser.parse_args()
    texts = load_texts(args.corpus)
    lingua = not args.no_lingua
    if lingua:
        try:
            import lingua as _  # noqa: F401
        except ImportError:
            lingua = False
    report(texts, run(texts, lingua), args.errors)


if __name__ == "__main__":
    main()
