"""Recall nets: body text trafilatura left out, put back where it reads as prose.

Text loose in the body's own container and its skipped paragraphs, subheadings and list items
(never text outside that container); blocks shaped like the ones trafilatura took (a thread's
other posts); a Q&A page's question and answers. docs/extract.md, steps 4 and 6.
"""

from __future__ import annotations

import logging
import re
from collections import Counter

from lxml.etree import XPath
from lxml.html import HtmlElement

logger = logging.getLogger(__name__)

__all__ = ["block_lines", "matched_paragraphs", "question_and_answers", "restore",
           "restore_missing", "restore_repeated_blocks", "text_key"]

# A run of text shorter than this, or not ending a sentence, is a caption, byline or label.
MIN_WORDS = 10
# A matched paragraph must be this long to locate the body's container reliably.
MIN_MATCH_WORDS = 6
# The container must hold at least this many of the extracted paragraphs.
MIN_MATCHED = 2
# Runs that are mostly link text are menus or "read also" lines, not prose.
MAX_LINK_SHARE = 0.3

_BLOCK = {"p", "div", "ul", "ol", "dl", "table", "figure", "figcaption", "h1", "h2", "h3", "h4",
          "h5", "h6", "blockquote", "section", "article", "header", "footer", "aside", "nav",
          "form", "iframe", "pre", "noscript", "script", "style", "template", "picture", "video",
          "audio", "object", "embed", "img", "button", "select", "textarea", "input", "svg",
          "center", "main", "address", "hr"}
_SKIP = {"script", "style", "noscript", "template", "button", "select", "textarea", "svg"}
# elements holding text of their own, the candidates for a repeated block
# Candidates for a repeated block: elements with a class (a class is what names a repeated
# block; a bare <div> names nothing) holding text of their own. Inline elements and controls
# are left out: their text belongs to their parent's block.
# ("/descendant::*": "//*" without the intermediate set of every node, a tenth faster)
_WITH_TEXT = XPath("//body/descendant::*[@class][text()[normalize-space()]]")
_NOT_BLOCKS = {"a", "span", "strong", "b", "em", "i", "u", "small", "label", "option", "button",
               "script", "style", "noscript", "template", "textarea", "select", "time", "abbr",
               "sup", "sub", "code", "cite", "q", "mark", "font", "title"}
_WORD = re.compile(r"\w+")
_BULLET = re.compile(r"^(?:[-•*·]\s+)+")
_HEADINGS = {"h1", "h2", "h3", "h4", "h5", "h6"}
# A longer "heading" is a styled paragraph or a teaser.
HEADING_MAX_WORDS = 20
_SENTENCE_END = re.compile(r"[.!?][\"”’)»]?$")


def _normal(text: str) -> str:
    return " ".join(text.split())


def text_key(text: str) -> str:
    """`text` reduced to its word characters, lowercased: what comparisons of texts use."""
    # trafilatura turns inline <br> into line breaks and trims around inline tags: compare
    # word characters only, so a run it kept in another shape is not added twice
    # the word runs joined: what removing the others leaves, a third faster than re.sub
    return "".join(_WORD.findall(text)).lower()


def restore(tree: HtmlElement, body: str, *, repeated: bool = True, posts: bool = False) -> str:
    """Prose loose in the body's container, then (if `repeated`) blocks repeating its shape.

    `posts`: the page is a discussion, whose repeated blocks are its posts (see
    `restore_repeated_blocks`).
    """
    if not body:
        return body
    flat = text_key(body)
    restored = restore_missing(tree, body, flat)
    if not repeated:
        return restored
    return restore_repeated_blocks(tree, restored, flat if restored is body else None,
                                   posts=posts)


def restore_missing(tree: HtmlElement, body: str, flat: str | None = None) -> str:
    """Return `body` with the prose its container holds but it lacks put back in order.

    `flat` is `text_key(body)` when the caller has it already.
    """
    if not body:
        return body
    flat = text_key(body) if flat is None else flat
    container, matched = _container(tree, flat)
    if container is None:
        return body
    lines = body.splitlines()
    missing = _missing_runs(container, matched, flat, lines)
    if not missing:
        return body
    normal_lines = [_normal(line) for line in lines]
    insert_at: dict[int, list[str]] = {}
    for text, anchor_before, anchor_after in missing:
        index = _line_of(normal_lines, anchor_after)
        if index is None:
            after = _line_of(normal_lines, anchor_before)
            index = len(lines) if after is None else after + 1
        insert_at.setdefault(index, []).append(text)
    return _with_insertions(lines, insert_at)


def _with_insertions(lines: list[str], insert_at: dict[int, list[str]]) -> str:
    """`lines` with insert_at[i] placed before line i (at the end for i past the last line)."""
    result: list[str] = []
    for index, line in enumerate(lines):
        result.extend(insert_at.get(index, []))
        result.append(line)
    for index in sorted(i for i in insert_at if i >= len(lines)):
        result.extend(insert_at[index])
    return "\n".join(result)


def matched_paragraphs(tree: HtmlElement, flat: str) -> dict[HtmlElement, str]:
    """The page's `<p>` whose text the body holds (`flat` is its `text_key`), long enough
    (MIN_MATCH_WORDS) to tell where the body sits, with their text."""
    texts: dict[HtmlElement, str] = {}
    for paragraph in tree.iter("p"):
        text = paragraph.text_content()
        if len(text) < 4 * MIN_MATCH_WORDS:  # too short for the words asked: skip the work
            continue
        words = text.split()
        if len(words) >= MIN_MATCH_WORDS:
            text = " ".join(words)  # _normal(text), from the words counted
            if text_key(text) in flat:
                texts[paragraph] = text
    return texts


def _container(tree: HtmlElement, flat: str) -> tuple[HtmlElement | None, dict]:
    texts = matched_paragraphs(tree, flat)
    counts: dict[HtmlElement, int] = {}
    for paragraph in texts:
        parent = paragraph.getparent()
        if parent is not None:
            counts[parent] = counts.get(parent, 0) + 1
    if not counts:
        return None, {}
    container = max(counts, key=counts.get)
    if counts[container] < MIN_MATCHED:
        return None, {}
    return container, {p: t for p, t in texts.items() if p.getparent() is container}


def _missing_runs(container: HtmlElement, matched: dict, flat: str,
                  body_lines: list[str]) -> list[tuple[str, ...]]:
    """(text, text of the matched paragraph before it, of the one after it) per missing run."""
    # (text, None) for prose, (matched text, "matched"), (text, "heading"), ("- text", "item")
    runs: list[tuple[str, str | None]] = []
    lines = _LineKeys(body_lines)
    pieces: list[str] = [container.text or ""]
    links: list[str] = []

    def flush() -> None:
        text = _normal("".join(pieces))
        link_text = _normal(" ".join(links))
        pieces.clear()
        links.clear()
        if _is_prose(text, link_text) and text_key(text) not in flat:
            runs.append((text, None))

    for child in container:
        tag = child.tag if isinstance(child.tag, str) else None
        if tag is None:  # comment or processing instruction: only its tail is text
            pieces.append(child.tail or "")
            continue
        tag = tag.lower()
        if tag == "br" or tag in _BLOCK:
            flush()
            if child in matched:
                runs.append((matched[child], "matched"))
            elif tag in _HEADINGS:
                text = _normal(child.text_content())
                words = len(text.split())
                if words and words <= HEADING_MAX_WORDS and not _known(text, lines, flat) \
                        and _link_words(child) <= MAX_LINK_SHARE * words:
                    runs.append((text, "heading"))
            elif tag in ("ul", "ol"):
                for item in _list_items(child, lines, flat):
                    runs.append((item, "item"))
            elif tag == "p":
                text = _normal(child.text_content())
                link_text = _normal(" ".join(a.text_content() for a in child.iter("a")))
                if _is_prose(text, link_text) and text_key(text) not in flat:
                    runs.append((text, None))
        elif tag not in _SKIP:
            pieces.append(child.text_content())
            if tag == "a":
                links.append(child.text_content())
            else:
                links.extend(a.text_content() for a in child.iter("a"))
        pieces.append(child.tail or "")
    flush()
    result = []
    for index, (text, kind) in enumerate(runs):
        if kind == "matched":
            continue
        before = next((t for t, k in reversed(runs[:index]) if k == "matched"), None)
        after = next((t for t, k in runs[index + 1:] if k == "matched"), None)
        if before is None and after is None:
            continue
        # a heading opens what follows it; list items count only inside the body's span (a
        # list after the last paragraph is as often "more from us" as the article's end)
        if kind == "heading" and after is None or kind == "item" and None in (before, after):
            continue
        result.append((text, before, after))
    return result


def _link_words(element: HtmlElement) -> int:
    return sum(len(a.text_content().split()) for a in element.iter("a"))


class _LineKeys:
    """The `text_key`s of the body's lines (list markers aside), computed on the first lookup:
    only the headings and lists of the container are looked up, and most containers have none."""

    def __init__(self, lines: list[str]) -> None:
        self._lines = lines
        self._keys: set[str] | None = None

    def __contains__(self, key: str) -> bool:
        if self._keys is None:
            self._keys = {text_key(_BULLET.sub("", line)) for line in self._lines}
        return key in self._keys


def _known(text: str, lines: _LineKeys, flat: str) -> bool:
    """In the body already: as one of its lines, or (long enough to tell) anywhere in it."""
    key = text_key(text)
    return key in lines or len(key) >= 30 and key in flat


def _list_items(listing: HtmlElement, lines: _LineKeys, flat: str) -> list[str]:
    """The items of a list in the body's container that the body lacks (not link lists)."""
    items = []
    for item in listing.iterchildren("li"):
        text = _normal(item.text_content())
        words = len(text.split())
        if not words or _known(text, lines, flat) or _link_words(item) > MAX_LINK_SHARE * words:
            continue
        items.append("- " + text)
    return items


def _is_prose(text: str, link_text: str) -> bool:
    words = len(text.split())
    return (words >= MIN_WORDS and bool(_SENTENCE_END.search(text))
            and len(link_text.split()) <= MAX_LINK_SHARE * words)


def _line_of(normal_lines: list[str], anchor: str | None) -> int | None:
    if anchor is None:
        return None
    for index, line in enumerate(normal_lines):
        if anchor in line or line and line in anchor and len(line) > len(anchor) // 2:
            return index
    return None


def restore_repeated_blocks(tree: HtmlElement, body: str, flat: str | None = None, *,
                            posts: bool = False) -> str:
    """Return `body` with the blocks shaped like its own blocks (forum posts, docs sections).

    A thread's posts, a page's sections: the same element (tag and class, inside a parent of
    the same tag and class) repeated, of which trafilatura took some and skipped others. A block
    is added only when at least `MIN_MATCHED` blocks of its shape are already in the body and it
    reads as prose (enough words, a sentence, few links); its text runs go after the last
    extracted block before it.

    With `posts` (a discussion page: a thread is its posts), one extracted block is evidence
    enough, and a post is kept however short ("Thanks, that worked") if it is not mostly links.
    """
    min_matched = 1 if posts else MIN_MATCHED
    if not body:
        return body
    flat = text_key(body) if flat is None else flat
    units = []
    matched: dict[tuple, int] = {}
    elements = [element for element in _WITH_TEXT(tree) if element.tag not in _NOT_BLOCKS]
    shapes = [_shape(element) for element in elements]
    # a shape is worth reading only if it can hold two extracted blocks and a skipped one
    counts = Counter(shapes)
    for element, shape in zip(elements, shapes):
        if counts[shape] <= min_matched:
            continue
        runs, link_words = _loose_runs(element)
        words = sum(len(run.split()) for run in runs)
        if words < 3:
            continue
        keys = [text_key(run) for run in runs]
        inside = sum(len(run.split()) for run, key in zip(runs, keys) if key and key in flat)
        hit = words >= MIN_MATCH_WORDS and inside >= 0.8 * words
        if hit and shape[1]:  # class="" names nothing
            matched[shape] = matched.get(shape, 0) + 1
        units.append((shape, runs, keys, inside, words, link_words, hit))
    lines = body.splitlines()
    normal_lines = [_normal(line) for line in lines]
    insert_at: dict[int, list[str]] = {}
    pending: list[str] = []  # blocks before the first extracted one
    last_hit: str | None = None
    seen: set[str] = set()  # responsive pages print the same block twice
    for shape, runs, keys, inside, words, link_words, hit in units:
        if hit:
            kept = [run for run, key in zip(runs, keys) if key in flat]
            if pending and kept:
                index = _line_of(normal_lines, kept[0])
                insert_at.setdefault(len(lines) if index is None else index, []).extend(pending)
                pending = []
            last_hit = kept[-1] if kept else last_hit
            continue
        if (matched.get(shape, 0) < min_matched or inside
                or link_words > MAX_LINK_SHARE * words
                or not posts and (words < MIN_WORDS
                                  or not any(_SENTENCE_END.search(run) for run in runs))):
            continue
        new = [run for run, key in zip(runs, keys) if key and key not in seen]
        seen.update(keys)
        if not new:
            continue
        if last_hit is None:
            pending.extend(new)
        else:
            index = _line_of(normal_lines, last_hit)
            insert_at.setdefault(len(lines) if index is None else index + 1, []).extend(new)
    if pending:
        insert_at.setdefault(len(lines), []).extend(pending)
    if not insert_at:
        return body
    return _with_insertions(lines, insert_at)


def _shape(element: HtmlElement) -> tuple:
    parent = element.getparent()
    return (element.tag, element.get("class"), parent.tag if parent is not None else None,
            parent.get("class") if parent is not None else None)


def _loose_runs(element: HtmlElement) -> tuple[list[str], int]:
    """The element's own text runs (split at <br> and blocks) and how many words are links."""
    runs: list[str] = []
    pieces: list[str] = [element.text or ""]
    link_words = 0
    for child in element:
        tag = child.tag.lower() if isinstance(child.tag, str) else None
        if tag == "br" or tag in _BLOCK:
            text = _normal("".join(pieces))
            pieces = []
            if text:
                runs.append(text)
        elif tag is not None and tag not in _SKIP:
            text = child.text_content()
            pieces.append(text)
            if tag == "a":
                link_words += len(text.split())
            else:
                link_words += sum(len(a.text_content().split()) for a in child.iter("a"))
        pieces.append(child.tail or "")
    text = _normal("".join(pieces))
    if text:
        runs.append(text)
    return runs, link_words


# schema.org microdata of a question-and-answer page: the question and each answer mark their
# body with itemprop="text"; comments under them are itemtype Comment and are left out
_QA_TEXTS = XPath("//*[@itemprop='text'][ancestor::*[@itemscope][1]"
                  "[contains(@itemtype, 'schema.org/Question') or "
                  "contains(@itemtype, 'schema.org/Answer')]]")
_LINE_BREAKS = _BLOCK | {"li", "tr", "td", "th", "dt", "dd", "br"}


def question_and_answers(tree: HtmlElement) -> str | None:
    """The question and answers of a Q&A page marked up with schema.org microdata, or None.

    trafilatura takes the question or one answer and leaves the others; the markup names every
    post. At least one Question and one Answer body, else None (a FAQ box in an article is not
    this: the caller asks only on discussion pages).
    """
    posts = _QA_TEXTS(tree)
    kinds = {_item_type(post) for post in posts}
    if kinds != {"Question", "Answer"}:
        return None
    texts = []
    seen: set[str] = set()
    for post in posts:
        lines = block_lines(post)
        key = text_key(" ".join(lines))
        if key and key not in seen:
            seen.add(key)
            texts.extend(lines)
    return "\n".join(texts) or None


def _item_type(element: HtmlElement) -> str:
    scope = next(element.iterancestors(), None)
    while scope is not None and scope.get("itemscope") is None:
        scope = scope.getparent()
    item_type = scope.get("itemtype", "") if scope is not None else ""
    return item_type.rstrip("/").rsplit("/", 1)[-1]


def block_lines(element: HtmlElement) -> list[str]:
    """The element's text as lines, broken where the browser breaks them (blocks, <br>)."""
    lines: list[str] = []
    pieces: list[str] = []

    def flush() -> None:
        text = _normal("".join(pieces))
        pieces.clear()
        if text:
            lines.append(text)

    def walk(node: HtmlElement) -> None:
        tag = node.tag.lower() if isinstance(node.tag, str) else None
        if tag is not None and tag not in _SKIP:
            if tag in _LINE_BREAKS:
                flush()
            pieces.append(node.text or "")
            for child in node:
                walk(child)
            if tag in _LINE_BREAKS:
                flush()
        pieces.append(node.tail or "")

    pieces.append(element.text or "")
    for child in element:
        walk(child)
    flush()
    return lines
