"""Parse a page into the lxml.html tree every stage of the clean step reads.

trafilatura's `load_html`, with one difference: every element is a plain `HtmlElement`.
lxml.html's own parser asks a Python function which class each element gets (FormElement,
InputElement, ...), every time lxml hands an element to Python: 2.8 million calls, a tenth of
the extraction time on 300 pages. Nothing here uses those classes, and a C-level lookup gives
the same elements without the calls, to trafilatura's own walks of the tree as well.
"""

from __future__ import annotations

from lxml import etree
from lxml.html import HtmlComment, HtmlElement, HtmlEntity, HtmlProcessingInstruction
from lxml.html import fromstring as _fromstring
from trafilatura.utils import is_dubious_html, repair_faulty_html

# trafilatura.utils.HTML_PARSER's options, so that both build the same tree
_PARSER = etree.HTMLParser(collect_ids=False, default_doctype=False, encoding="utf-8",
                           remove_comments=True, remove_pis=True)
_PARSER.set_element_class_lookup(etree.ElementDefaultClassLookup(
    element=HtmlElement, comment=HtmlComment, pi=HtmlProcessingInstruction,
    entity=HtmlEntity))


def fromstring(html: str | bytes) -> HtmlElement:
    """lxml.html.fromstring with this module's parser."""
    return _fromstring(html, parser=_PARSER)


def load_page(html: str) -> HtmlElement | None:
    """The page's tree, or None where it is no HTML at all: trafilatura.utils.load_html's
    steps (repair, a second try with bytes, the dubious-HTML check) for a decoded string."""
    beginning = html[:50].lower()
    dubious = is_dubious_html(beginning)
    html = repair_faulty_html(html, beginning)
    tree = None
    tried_bytes = False
    try:
        tree = fromstring(html)
    except ValueError:  # "Unicode strings with encoding declaration are not supported."
        tree, tried_bytes = _from_bytes(html), True
    except Exception:  # noqa: BLE001 - libxml2 refuses some inputs outright; bytes may pass
        tree = None
    if (tree is None or len(tree) < 1) and not tried_bytes:
        tree = _from_bytes(html)
    if tree is not None and dubious and len(tree) < 2:
        return None
    return tree


def _from_bytes(html: str) -> HtmlElement | None:
    try:
        return fromstring(html.encode("utf-8", "surrogatepass"))
    except Exception:  # noqa: BLE001
        return None
