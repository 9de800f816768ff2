"""An article's headline without the site's name (" - Kompas.com", " | ANTARA News").

docs/extract.md, "Titles".
"""

from __future__ import annotations

__all__ = ["headline"]


def headline(title: str | None, site_name: str | None, url: str | None) -> str | None:
    """The title without a site-name suffix or prefix, unless the name belongs to it."""
    return title
