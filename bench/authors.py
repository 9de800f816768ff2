"""Author accuracy of `extract(...).authors` against trafilatura's `extract_metadata(...).author`.

    .venv/bin/python -m bench.authors build      # rewrite authors_devset/trafilatura_eval.jsonl
    .venv/bin/python -m bench.authors            # F1 of both on the dev set, per part and overall
    .venv/bin/python -m bench.authors --misses /tmp/authors.txt   # the pages either got wrong
    .venv/bin/python -m bench.authors --cost     # ms per page the author functions add (corpus)
    .venv/bin/python -m bench.authors --heldout  # the same score on pages no rule was made on
    .venv/bin/python -m bench.authors --second-reading  # trafilatura_eval's pages, read again

The dev set is a list of references (repository, commit, path, url, expected authors) to pages
in public repositories, never copies: bench/authors_devset/*.jsonl. The pages are read from the
snapshots the search tool's `fetch` brings to /work/.mirror/<owner>+<name>/repo (fetch
adbar/trafilatura, AndyTheFactory/newspaper4k, anpandu/indonesian-news-scraper and
hafizbadrie/slasherrb first).
bench/authors_devset/README.md says where each part's expectations come from.

Score: micro F1 over people; a name counts once per page, compared case-, whitespace- and
edge-punctuation-insensitively. trafilatura's one author string is split into people by
`split_authors`, the splitter Liputan uses, so both are counted the same way.
"""

from __future__ import annotations

import argparse
import gzip
import json
import logging
import re
import time
from pathlib import Path

import trafilatura
from trafilatura.utils import load_html

from bench.mirrors import git_ls, git_show
from crawler.clean import authors as liputan_authors
from crawler.clean.extract import extract
from crawler.decode import decode_body

DEVSET = Path(__file__).resolve().parent / "authors_devset"
CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus"

REFERENCE_EVERY = 5  # pages between two timings of trafilatura's own extraction
TRAFILATURA_REPO = "adbar/trafilatura"
TRAFILATURA_COMMIT = "e90b0ef51ab026fdb905fb6c5b3c84dd3d784fd5"

# trafilatura's annotations follow its own convention (whatever the byline says, sites and
# teams included); Liputan's convention keeps people and news agencies only. These annotations
# name no person or agency: the page's expected authors are none. The list is made by reading
# the annotations, not the extractors' outputs.
NOT_PEOPLE = {
    "Redaktion", "Newsdesk", "Unknown", "MEDELLÍN", "www.koffergepackt.com", "uncut-news.ch",
    "Teufel Blog Redaktion", "auto-motor.at Redaktion", "revamp-it Webteam", "SWR Fernsehen",
    "Redaktion Polizeiticker Schweiz", "Redaktion Gelbe Liste Pharmindex", "PETA-Team",
    "Redacción Diario Pagina Siete", "Pressestelle des Deutschen Caritasverbandes", "Nordex SE",
    "SolarServer", "przepisy.pl", "red, wien.ORF.at/Agenturen", "STAFF AND NEWS SERVICE REPORTS",
    "Les Membres du Choeur de Radio France", "telebasel", "hausinfo", "Zvei", "VZS",
    "Offshore-Stiftung", "Rezepte von Mutti", "she works", "NDR", "Ørsted",
    "Oekologisch-bauen", "mitundvoneinander", "London", "Greentech.LIVE Redaktion",
    "Greenpeace", "Greator", "Fluessiggas.de", "Eurosport", "EnBW Energie Baden-Württemberg AG",
    "Empa", "Emotion", "Deutschlandfunk", "DEUTSCHER TENNIS BUND", "Catch more fish",
    "Brand eins", "BBAW", "Die Redaktion von Battery News", "Support Team", "Staff Writer",
    "Presse Augsburg", "Wikimedia Foundation", "HLNF Staff Report", "Daheim Solar",
    "Attac France", "Houzz Deutschland", "ET Online", "IWB", "Miami Today", "Der Spendenteddy",
    "Rasender Reporter",
}
# annotations whose people are written in another form than a list of names
REWRITTEN = {
    "Von Roland Brockmann und Sebastian Drescher": ["Roland Brockmann", "Sebastian Drescher"],
    "dpa/lno": ["dpa"], "det/dpa": ["dpa"], "dsw / DPA": ["dpa"],
    "MDR THÜRINGEN/ls": [], "hessenschau.de/bb": [],
    "Michael Rädel, Redaktion": ["Michael Rädel"],
    "oachim Schork": ["Joachim Schork"],
    "FR mit dpa": ["dpa"], "APA/AP": ["APA", "AP"], "AFP/The Local": ["AFP"],
    "Glen Owen And Brendan Carlin For The Mail On Sunday": ["Glen Owen", "Brendan Carlin"],
    "Camila Méndez en Territorio": ["Camila Méndez"],
    "Amber Guetebier  Shares": ["Amber Guetebier"],
    "Dr. Karin J. Schmitz Abteilung Öffentlichkeitsarbeit": ["Karin J. Schmitz"],
    "Dr. Tim Loppe": ["Tim Loppe"], "Dr. Rainer Quitzow": ["Rainer Quitzow"],
    "James Lynch from University of Michigan": ["James Lynch"],
    "JESSICA HOLLY, GAIL LEVY, 7 NEWS WSVN": ["JESSICA HOLLY", "GAIL LEVY"],
    "Baselbiet, Ormalingen": [], "Herz und Blut": [],
}

# Pages whose annotation names no person or agency (so "none" above), read again by hand on
# 6 Dec by a reader who saw no extractor's output: the people or agency the page itself credits
# with the text. The 68 "none" pages were all read; these 7 were settled with confidence (6
# more were unsure and stay "none"). authors_devset/README.md quotes the byline of each.
REVIEWED = {
    "tests/eval/Journalistenwatch.com-Ladensterben.html": ["Rasender Reporter"],
    "tests/eval/publikum.net-HPV-Impfungen.html": ["Der Spendenteddy"],
    "tests/eval/brandeins.de.wahresIch.html": ["Harald Willenbrock"],
    "tests/eval/eurosport.de-corona.html": ["SID"],
    "tests/eval/herzundblut.com.Besuch.html": ["Jules"],
    "tests/eval/she-works.de.sport.html": ["Carolin Schäufele"],
    "tests/eval/tennismagazin.de-viertelfinale.html": ["SID"],
}


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("command", nargs="?", default="score", choices=["score", "build"])
    parser.add_argument("--misses", type=Path, help="write the pages either extractor missed")
    parser.add_argument("--heldout", action="store_true",
                        help="score the held-out pages (authors_devset/heldout) instead")
    parser.add_argument("--second-reading", action="store_true",
                        help="score trafilatura_eval's pages against a second, blind reading "
                             "of their bylines (authors_devset/second_reading)")
    parser.add_argument("--cost", action="store_true",
                        help="time the author functions over ../shared/corpus pages")
    args = parser.parse_args(argv)
    logging.disable(logging.WARNING)
    if args.command == "build":
        build_trafilatura_part()
    elif args.cost:
        cost()
    else:
        folder = DEVSET / "heldout" if args.heldout else \
            DEVSET / "second_reading" if args.second_reading else DEVSET
        score(args.misses, load_devset(folder))


# -- the dev set ---------------------------------------------------------------------------

def build_trafilatura_part() -> None:
    """trafilatura's evaldata.json pages that have an author annotation."""
    evaldata = json.loads(git_show(TRAFILATURA_REPO, TRAFILATURA_COMMIT, "tests/evaldata.json"))
    files = set(git_ls(TRAFILATURA_REPO, TRAFILATURA_COMMIT, "tests"))
    rows = []
    for url, item in sorted(evaldata.items()):
        if not item.get("author") or not item.get("file"):
            continue
        path = next((f"tests/{sub}/{item['file']}" for sub in ("cache", "eval")
                     if f"tests/{sub}/{item['file']}" in files), None)
        if path is None:
            continue
        rows.append({"repo": TRAFILATURA_REPO, "commit": TRAFILATURA_COMMIT, "path": path,
                     "url": url,
                     "expected_authors": REVIEWED.get(path) or _annotated_people(item["author"]),
                     "annotation": item["author"]})
    with (DEVSET / "trafilatura_eval.jsonl").open("w", encoding="utf-8") as out:
        for row in rows:
            out.write(json.dumps(row, ensure_ascii=False) + "\n")
    print(f"{len(rows)} pages written")


def _annotated_people(annotation: str | list[str]) -> list[str]:
    if isinstance(annotation, list):
        names = annotation
    elif annotation.strip() in REWRITTEN:
        names = REWRITTEN[annotation.strip()]
    elif annotation.strip() in NOT_PEOPLE:  # a whole annotation that names no one
        names = []
    else:
        names = re.split(r";|,|\s+/\s+|\s+(?:und|and|&)\s+", annotation)
    people = []
    for name in names:
        name = re.sub(r",\s*PhD$", "", " ".join(name.split())).strip(" .")
        if name and name not in NOT_PEOPLE:
            people.append(name)
    return people


def load_devset(folder: Path = DEVSET) -> list[dict]:
    rows = []
    for manifest in sorted(folder.glob("*.jsonl")):
        for line in manifest.read_text(encoding="utf-8").splitlines():
            if line.strip():
                row = json.loads(line)
                row["part"] = manifest.stem
                rows.append(row)
    return rows


def page_html(row: dict) -> str:
    raw = git_show(row["repo"], row["commit"], row["path"])
    return decode_body(raw).text


# -- scoring -------------------------------------------------------------------------------

def norm(name: str) -> str:
    return " ".join(name.casefold().split()).strip(" .,;:")


def people(names: list[str]) -> set[str]:
    return {norm(name) for name in names if norm(name)}


def trafilatura_authors(html: str, url: str | None) -> list[str]:
    document = trafilatura.extract_metadata(load_html(html), default_url=url)
    return liputan_authors.split_authors(document.author if document else None)


class Tally:
    def __init__(self) -> None:
        self.tp = self.fp = self.fn = 0

    def add(self, found: set[str], expected: set[str]) -> None:
        self.tp += len(found & expected)
        self.fp += len(found - expected)
        self.fn += len(expected - found)

    def f1(self) -> tuple[float, float, float]:
        precision = self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0
        recall = self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        return precision, recall, f1


def score(misses: Path | None, rows: list[dict]) -> None:
    tallies: dict[tuple[str, str], Tally] = {}
    lines = []
    failed = 0
    for row in rows:
        html = page_html(row)
        expected = people(row["expected_authors"])
        result = extract(html, row["url"])
        failed += result.reason == "extraction_failed"
        found = {"liputan": people(result.authors),
                 "trafilatura": people(trafilatura_authors(html, row["url"]))}
        for name, got in found.items():
            for part in (row["part"], "all"):
                tallies.setdefault((part, name), Tally()).add(got, expected)
        if any(got != expected for got in found.values()):
            lines.append(f"{row['part']} {row['path']}\n  expected    {sorted(expected)}\n"
                         f"  liputan     {sorted(found['liputan'])}\n"
                         f"  trafilatura {sorted(found['trafilatura'])}")
    parts = sorted({part for part, _ in tallies}, key=lambda p: (p == "all", p))
    print(f"{'part':<22}{'pages':>6}  {'extractor':<12}{'P':>6}{'R':>6}{'F1':>6}")
    for part in parts:
        count = sum(1 for row in rows if part in ("all", row["part"]))
        for name in ("liputan", "trafilatura"):
            precision, recall, f1 = tallies[(part, name)].f1()
            print(f"{part:<22}{count:>6}  {name:<12}{precision:>6.3f}{recall:>6.3f}{f1:>6.3f}")
    print(f"{failed} pages where extract failed (their authors count as none)")
    if misses:
        misses.write_text("\n".join(lines) + "\n", encoding="utf-8")


# -- cost ----------------------------------------------------------------------------------

def cost() -> None:
    """Mean ms per page of metadata_authors + text_authors over the corpus's pages."""
    pages = []
    for dataset in ("id_news", "wcxb_test", "trafilatura_eval"):
        with gzip.open(CORPUS / dataset / "manifest.jsonl.gz", "rt", encoding="utf-8") as rows:
            for row in map(json.loads, rows):
                raw = gzip.decompress((CORPUS / dataset / row["html"]).read_bytes())
                pages.append((decode_body(raw).text, row.get("url")))
    spent = reference = 0.0
    for number, (html, url) in enumerate(pages):
        tree = load_html(html)
        if tree is None:
            continue
        document = trafilatura.metadata.examine_meta(tree)
        document = trafilatura.metadata.extract_meta_json(tree, document)
        text = extract(html, url).text
        start = time.perf_counter()
        authors = liputan_authors.metadata_authors(tree, document.author,
                                                   site_name=document.sitename)
        liputan_authors.text_authors(authors, text)
        spent += time.perf_counter() - start
        if number % REFERENCE_EVERY == 0:
            # on a busy machine only the ratio to trafilatura's own time is comparable
            start = time.perf_counter()
            trafilatura.bare_extraction(load_html(html), url=url, with_metadata=False)
            reference += time.perf_counter() - start
    sampled = len(range(0, len(pages), REFERENCE_EVERY))
    print(f"{len(pages)} pages, {1000 * spent / len(pages):.2f} ms/page in the author functions; "
          f"trafilatura.bare_extraction {1000 * reference / sampled:.1f} ms/page "
          f"({sampled} pages)")


if __name__ == "__main__":
    main()
