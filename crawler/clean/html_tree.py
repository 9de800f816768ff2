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
from trafilatura.utils import DOCTYPE_TAG, FAULTY_HTML, INVALID_XML_CHARS, is_dubious_html

# trafilatura.utils.HTML_PARSER's options, so that both build the same tree
_PARSER = etree.HTMLParser(collect_ids=False, default_doctype=False, encoding="utf-8",
                           remove_comments=True, remove_pis=True)
_PARSER.set_element_class_lookup(etree.ElementDefaultClassLookup(
    element=HtmlElement, comment=HtmlComment, pi=HtmlProcessingInstruction,
    entity=HtmlEntity))
# Every byte but the C0 control characters (tab, newline and carriage return are text): what
# bytes.translate deletes to leave the controls to count. No byte of a multi-byte UTF-8
# character is below 0x80, so the count is the text's.
_NOT_CONTROL = bytes(sorted({*range(0x20, 0x100), 0x09, 0x0a, 0x0d}))


def fromstring(html: str | bytes) -> HtmlElement:
    """lxml.html.fromstring with this module's parser."""
    return _fromstring(html, parser=_PARSER)


def load_page(html: str) -> HtmlElement | None:
    """The page's tree, or None where it is no HTML at all: trafilatura.utils.load_html's
    steps (repair, a second try with bytes, the dubious-HTML check) for a decoded string."""
    beginning = html[:50].lower()
    dubious = is_dubious_html(beginning)
    html = _repaired(html, beginning)
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


def control_characters(text: str) -> int:
    """How many C0 control characters (NUL included, tab, newline and carriage return not) the
    text holds."""
    # surrogatepass: a lone surrogate a decoder let through is one more character, not an error
    return len(text.encode("utf-8", "surrogatepass").translate(None, _NOT_CONTROL))


def _repaired(html: str, beginning: str) -> str:
    """trafilatura.utils.repair_faulty_html's steps, its pattern of the characters libxml2
    refuses searched only on pages holding one: on a page without, that search alone cost
    0.3 ms, a quarter of the parse, and counting the controls 0.08 ms."""
    if control_characters(html) or "\ufffe" in html or "\uffff" in html:
        html = INVALID_XML_CHARS.sub("", html)
    # libxml2/lxml issue: https://bugs.launchpad.net/lxml/+bug/1955915
    if "doctype" in beginning:
        first_line, _, rest = html.partition("\n")
        html = DOCTYPE_TAG.sub("", first_line, count=1) + "\n" + rest
    # a self-closed <html/> in the first lines
    for line in html[:4096].splitlines()[:4]:
        if "<html" in line and line.endswith("/>"):
            return FAULTY_HTML.sub(r"\1>", html, count=1)
    return html


def _from_bytes(html: str) -> HtmlElement | None:
    try:
        return fromstring(html.encode("utf-8", "surrogatepass"))
    except Exception:  # noqa: BLE001
        return None
