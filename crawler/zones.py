"""The time zone a site's dates are written in when neither the page nor the sources file
says: by the source's language, else by the country of the site's domain.

A page that gives a time without a zone ("04:25", "2020-05-02T02:54:29") writes its own local
time, and a page that gives only UTC timestamps shows its readers its local day. Both need the
publisher's zone; only countries with one civil zone (or one that nearly all their newsrooms
write in) are listed, so that a guess is never a continent wide.
"""

from __future__ import annotations

from functools import cache
from zoneinfo import ZoneInfo

from crawler.urls import registered_domain

__all__ = ["COUNTRY_ZONES", "LANGUAGE_ZONES", "default_zone"]

# Indonesian sites write Western Indonesia time (WIB), Malay ones Malaysia's
LANGUAGE_ZONES = {"id": "Asia/Jakarta", "ms": "Asia/Kuala_Lumpur"}
# country-code top-level domain -> zone; not the countries of several zones (us, ca, au,
# br, mx, ru, kz, cl), nor the codes sites take for their letters (co, io, tv, me, ai, fm)
COUNTRY_ZONES = {
    "id": "Asia/Jakarta", "my": "Asia/Kuala_Lumpur", "sg": "Asia/Singapore",
    "ph": "Asia/Manila", "th": "Asia/Bangkok", "vn": "Asia/Ho_Chi_Minh", "jp": "Asia/Tokyo",
    "kr": "Asia/Seoul", "cn": "Asia/Shanghai", "tw": "Asia/Taipei", "hk": "Asia/Hong_Kong",
    "in": "Asia/Kolkata", "pk": "Asia/Karachi", "bd": "Asia/Dhaka", "np": "Asia/Kathmandu",
    "lk": "Asia/Colombo", "il": "Asia/Jerusalem", "tr": "Europe/Istanbul", "ae": "Asia/Dubai",
    "sa": "Asia/Riyadh", "ir": "Asia/Tehran", "eg": "Africa/Cairo", "za": "Africa/Johannesburg",
    "ng": "Africa/Lagos", "ke": "Africa/Nairobi", "nz": "Pacific/Auckland",
    "uk": "Europe/London", "ie": "Europe/Dublin", "pt": "Europe/Lisbon",
    "de": "Europe/Berlin", "at": "Europe/Vienna", "ch": "Europe/Zurich", "fr": "Europe/Paris",
    "be": "Europe/Brussels", "nl": "Europe/Amsterdam", "lu": "Europe/Luxembourg",
    "it": "Europe/Rome", "es": "Europe/Madrid", "dk": "Europe/Copenhagen",
    "no": "Europe/Oslo", "se": "Europe/Stockholm", "pl": "Europe/Warsaw", "cz": "Europe/Prague",
    "sk": "Europe/Bratislava", "hu": "Europe/Budapest", "si": "Europe/Ljubljana",
    "hr": "Europe/Zagreb", "rs": "Europe/Belgrade", "fi": "Europe/Helsinki",
    "ee": "Europe/Tallinn", "lv": "Europe/Riga", "lt": "Europe/Vilnius", "ro": "Europe/Bucharest",
    "bg": "Europe/Sofia", "gr": "Europe/Athens", "ua": "Europe/Kyiv", "by": "Europe/Minsk",
    "ar": "America/Argentina/Buenos_Aires", "pe": "America/Lima",
    "ve": "America/Caracas", "uy": "America/Montevideo",
}


def default_zone(url: str | None, language: str | None = None) -> ZoneInfo | None:
    """The zone of the source's language (LANGUAGE_ZONES), else of its domain's country."""
    name = LANGUAGE_ZONES.get((language or "")[:2].lower())
    if name is None:
        name = COUNTRY_ZONES.get((registered_domain(url) or "").rpartition(".")[2])
    return _zone(name) if name else None


@cache
def _zone(name: str) -> ZoneInfo:
    return ZoneInfo(name)
