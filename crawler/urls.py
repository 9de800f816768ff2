"""URL identity and URL safety: one canonical form per page, and which URLs may be fetched.

`canonicalize` decides when two URLs are the same page, for the crawl (fetched once per run)
and the load (one article per canonical URL); `refuse_reason` refuses by default anything that
resolves to a loopback, private, link-local or otherwise non-public address, so that a news
page cannot make the crawler probe the machine it runs on; `AddressPolicy` is that rule for one
address, also applied where the crawl's connections resolve names (crawler/fetch/resolver.py).
docs/crawl.md, "Behaviour".
"""

from __future__ import annotations

import ipaddress
import re
import socket
from collections.abc import Sequence
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from w3lib.url import canonicalize_url

__all__ = ["TRACKING_PARAMETERS", "AddressPolicy", "Site", "canonicalize", "is_public_address",
           "refuse_reason"]

# Query parameters that only say how a reader arrived, never which page they see.
TRACKING_PARAMETERS = frozenset({
    "fbclid", "gclid", "dclid", "gbraid", "wbraid", "msclkid", "yclid", "twclid", "igshid",
    "mc_cid", "mc_eid", "_ga", "_gl", "ref_src", "ref_url", "cmpid", "s_cid", "ocid",
    "spm", "share", "utm",
})
TRACKING_PREFIXES = ("utm_", "pk_", "mtm_", "hsa_")
DEFAULT_PORTS = {"http": 80, "https": 443}
_SCHEMES = ("http", "https")


def _is_tracking(name: str) -> bool:
    lowered = name.lower()
    return lowered in TRACKING_PARAMETERS or lowered.startswith(TRACKING_PREFIXES)


def canonicalize(url: str) -> str:
    """The one spelling of `url` used to recognise variants of the same page.

    Keeps what selects content (path case, meaningful query parameters such as `page=all`);
    drops what does not (fragment, tracking parameters, default port, a trailing slash).
    """
    url = url.strip()
    parts = urlsplit(url)
    query = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True)
             if not _is_tracking(k)]
    host = (parts.hostname or "").lower().rstrip(".")
    port = parts.port if parts.port and parts.port != DEFAULT_PORTS.get(parts.scheme.lower()) \
        else None
    # Credentials in a URL never identify an article (they only leak): the netloc drops them.
    if ":" in host:  # an IPv6 literal keeps its brackets, or the port would read as part of it
        host = f"[{host}]"
    netloc = host if port is None else f"{host}:{port}"
    path = parts.path or "/"
    if len(path) > 1 and path.endswith("/"):
        path = path.rstrip("/") or "/"
    rebuilt = urlunsplit((parts.scheme.lower(), netloc, path, urlencode(query), ""))
    # w3lib normalises percent-encoding and sorts the query, the way Scrapy fingerprints do.
    return canonicalize_url(rebuilt, keep_fragments=False)


# IPv6 ranges whose addresses carry an IPv4 address that the packet is finally delivered to:
# judged by that IPv4 address, or a name answering ::7f00:1 would reach 127.0.0.1.
_IPV4_COMPATIBLE = ipaddress.ip_network("::/96")  # deprecated (RFC 4291), still parsed
_NAT64 = ipaddress.ip_network("64:ff9b::/96")  # RFC 6052 well-known prefix
# Never public, whatever they carry: NAT64 local-use (RFC 8215; its IPv4 address sits where the
# operator chose) and Teredo (RFC 4380; a tunnel through a relay to an obfuscated client).
_NEVER_PUBLIC_V6 = (ipaddress.ip_network("64:ff9b:1::/48"), ipaddress.ip_network("2001::/32"))


def _embedded_ipv4(ip: ipaddress.IPv6Address) -> ipaddress.IPv4Address | None:
    """The IPv4 address an IPv4-mapped, IPv4-compatible, NAT64 or 6to4 address carries."""
    if ip.ipv4_mapped is not None:
        return ip.ipv4_mapped
    if ip in _IPV4_COMPATIBLE or ip in _NAT64:
        return ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF)
    return ip.sixtofour  # 2002::/16 (RFC 3056)


def is_public_address(address: str) -> bool:
    """True for globally routable unicast addresses only; an IPv6 address carrying an IPv4
    address (::ffff:a.b.c.d, ::a.b.c.d, 64:ff9b::a.b.c.d, 2002:aabb:ccdd::) only when the
    IPv4 address is, and Teredo or NAT64 local-use never."""
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if isinstance(ip, ipaddress.IPv6Address):
        if any(ip in network for network in _NEVER_PUBLIC_V6):
            return False
        ip = _embedded_ipv4(ip) or ip
    return ip.is_global and not ip.is_multicast


def _within(address: str, networks: Sequence) -> bool:
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    return any(ip.version == n.version and ip in n for n in networks)


class AddressPolicy:
    """Which addresses may be connected to: public ones, and those in `allowed_networks`
    (CIDR strings; "0.0.0.0/0" with "::/0" allows every address). ValueError on a bad network.

    One policy for the check before a request (`refuse_reason`) and for the resolver the
    connection goes through (crawler/fetch/resolver.py).
    """

    def __init__(self, allowed_networks: Sequence[str] = ()) -> None:
        self.allow_all = {"0.0.0.0/0", "::/0"} <= set(allowed_networks)
        self.networks = tuple(ipaddress.ip_network(n, strict=False) for n in allowed_networks)

    def allows(self, address: str) -> bool:
        """True when `address` may be connected to; False also for what is not an address."""
        if self.allow_all:
            return True
        try:
            return is_public_address(address) or _within(address, self.networks)
        except ValueError:
            return False


_IP_LITERAL = re.compile(r"^[0-9.]+$|:")


def refuse_reason(url: str, *, allow_private: bool = False,
                  allowed_networks: Sequence[str] = ()) -> str | None:
    """Why `url` must not be fetched, or None when it may be.

    Reasons: "bad_url" (not http(s), no host), "dns" (the name does not resolve) and
    "private_address" (some address it resolves to is not public). With allow_private the
    address check is skipped (tests, intranets); `allowed_networks` ("127.0.0.0/8") lets only
    those non-public networks through, so a test can allow its loopback server and still see
    a redirect to a link-local address refused.
    """
    parts = urlsplit(url)
    if parts.scheme.lower() not in _SCHEMES or not parts.hostname:
        return "bad_url"
    if allow_private:
        return None
    host = parts.hostname
    try:
        if _IP_LITERAL.search(host):
            addresses = [host]
        else:
            infos = socket.getaddrinfo(host, parts.port or DEFAULT_PORTS[parts.scheme.lower()],
                                       type=socket.SOCK_STREAM)
            addresses = [info[4][0] for info in infos]
    except (socket.gaierror, UnicodeError):
        return "dns"
    try:
        policy = AddressPolicy(allowed_networks)
        for address in addresses:
            ipaddress.ip_address(address.split("%", 1)[0])  # a bad literal is a bad URL
    except ValueError:
        return "bad_url"
    # Every address must be allowed: a name that also resolves to 127.0.0.1 is refused.
    if all(policy.allows(a) for a in addresses):
        return None
    return "private_address"


# hosts' first labels that are not the site's name
_HOST_PREFIXES = ("www.", "m.", "amp.", "mobile.")
# second-level labels of country domains ("kompas.co.id" is kompas, not co)
_SECOND_LEVEL = frozenset(["co", "com", "net", "org", "or", "ac", "go", "gov", "edu", "web",
                           "sch", "my", "id", "biz"])


def registered_domain(url: str | None) -> str | None:
    """The domain a site registered: 'https://nasional.kompas.com/a' -> 'kompas.com',
    'news.bbc.co.uk' -> 'bbc.co.uk', 'm.cnn.com' -> 'cnn.com'; its first label is the site's
    name. Without a public-suffix list: a two-letter country code under a common second level
    (co, or, ac, ...) counts as one suffix. None for a URL without a host."""
    try:
        host = (urlsplit(url).hostname or "") if url else ""
    except ValueError:
        return None
    for prefix in _HOST_PREFIXES:
        host = host.removeprefix(prefix)
    labels = [label for label in host.split(".") if label]
    if not labels:
        return None
    size = 3 if len(labels) >= 3 and len(labels[-1]) == 2 and labels[-2] in _SECOND_LEVEL else 2
    return ".".join(labels[-size:])


class Site:
    """The hosts (with port) a source's URLs belong to: the host of every URL it is given,
    without "www.", so news.example.com and www.example.com both belong to example.com."""

    def __init__(self, urls: Sequence[str]) -> None:
        self.hosts: set[tuple[str, int | None]] = set()
        for url in urls:
            parts = urlsplit(url)
            host = (parts.hostname or "").lower()
            self.hosts.add((host.removeprefix("www."),
                            parts.port or DEFAULT_PORTS.get(parts.scheme.lower())))

    def __contains__(self, url: str) -> bool:
        parts = urlsplit(url)
        host = (parts.hostname or "").lower()
        try:
            port = parts.port
        except ValueError:
            return False
        port = port or DEFAULT_PORTS.get(parts.scheme.lower())
        return any((host == base or host.endswith("." + base)) and port == site_port
                   for base, site_port in self.hosts)
