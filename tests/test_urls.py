"""URL identity (variants fetched once) and URL safety (no private addresses by default)."""

from __future__ import annotations

import pytest

from crawler.urls import canonicalize, is_public_address, refuse_reason, registered_domain

SAME_PAGE = [
    "https://www.example.id/berita/2023/03/02/menlu-bertemu",
    "https://www.example.id/berita/2023/03/02/menlu-bertemu/",
    "https://WWW.Example.ID/berita/2023/03/02/menlu-bertemu",
    "https://www.example.id:443/berita/2023/03/02/menlu-bertemu",
    "https://www.example.id/berita/2023/03/02/menlu-bertemu#komentar",
    "https://www.example.id/berita/2023/03/02/menlu-bertemu?utm_source=twitter&utm_medium=social",
    "https://www.example.id/berita/2023/03/02/menlu-bertemu?fbclid=abc123",
    " https://www.example.id/berita/2023/03/02/menlu-bertemu ",
]


@pytest.mark.parametrize("variant", SAME_PAGE)
def test_url_variants_of_one_page_have_one_canonical_form(variant):
    assert canonicalize(variant) == canonicalize(SAME_PAGE[0])


def test_parameters_that_select_content_are_kept_and_sorted():
    assert canonicalize("https://x.id/a?page=all&id=7&utm_campaign=z") == "https://x.id/a?id=7&page=all"
    assert canonicalize("https://x.id/a?page=2") != canonicalize("https://x.id/a?page=3")


def test_path_case_is_kept_because_servers_may_distinguish_it():
    assert canonicalize("https://x.id/Berita/A") != canonicalize("https://x.id/berita/a")


def test_credentials_and_default_ports_are_dropped():
    assert canonicalize("http://user:pw@x.id:80/a") == "http://x.id/a"
    assert canonicalize("http://x.id:8080/a") == "http://x.id:8080/a"


def test_root_keeps_its_slash():
    assert canonicalize("https://x.id") == canonicalize("https://x.id/") == "https://x.id/"


@pytest.mark.parametrize("url", [
    "http://127.0.0.1/admin", "http://localhost:8080/", "http://10.1.2.3/", "http://192.168.0.1/",
    "http://169.254.169.254/latest/meta-data/", "http://[::1]/", "http://[::ffff:127.0.0.1]/",
    "http://0.0.0.0/", "http://172.16.5.4/", "http://100.64.0.1/",
])
def test_private_loopback_and_link_local_addresses_are_refused(url):
    assert refuse_reason(url) == "private_address"


def test_private_addresses_are_allowed_when_configured():
    assert refuse_reason("http://127.0.0.1:8000/a", allow_private=True) is None


@pytest.mark.parametrize("url", ["ftp://x.id/a", "file:///etc/passwd", "http:///nohost", "javascript:alert(1)"])
def test_non_http_urls_are_refused_even_when_private_is_allowed(url):
    assert refuse_reason(url, allow_private=True) == "bad_url"


def test_public_address_literal_is_allowed():
    assert refuse_reason("http://93.184.216.34/") is None


def test_unresolvable_name_is_a_dns_failure():
    assert refuse_reason("http://no-such-host.invalid/") == "dns"


def test_an_ipv6_host_keeps_its_brackets():
    assert canonicalize("http://[::1]:8080/a/") == "http://[::1]:8080/a"
    assert canonicalize("HTTP://[FE80::1]/") == "http://[fe80::1]/"


# IPv6 addresses that carry an IPv4 address (the address a gateway, a tunnel or the kernel
# delivers to): judged by the IPv4 address they carry.
EMBEDDED_PRIVATE = {
    "ipv4-compatible loopback": "::7f00:1",
    "ipv4-compatible, dotted": "::127.0.0.1",
    "ipv4-compatible ten": "::a00:1",
    "ipv4-mapped metadata": "::ffff:a9fe:a9fe",
    "nat64 loopback": "64:ff9b::7f00:1",
    "nat64 metadata": "64:ff9b::169.254.169.254",
    "nat64 local-use prefix": "64:ff9b:1::a00:1",
    "6to4 loopback": "2002:7f00:1::",
    "6to4 private": "2002:c0a8:1::1",
    "teredo": "2001:0:4136:e378:8000:63bf:3fff:fdd2",
}


@pytest.mark.parametrize("address", EMBEDDED_PRIVATE.values(), ids=EMBEDDED_PRIVATE.keys())
def test_ipv6_forms_of_private_ipv4_addresses_are_refused(address):
    assert not is_public_address(address)
    assert refuse_reason(f"http://[{address}]:8080/a") == "private_address"


@pytest.mark.parametrize("address", ["64:ff9b::808:808", "2002:808:808::1", "::ffff:8.8.8.8",
                                     "2606:4700:4700::1111"])
def test_ipv6_forms_of_public_addresses_are_allowed(address):
    assert is_public_address(address)
    assert refuse_reason(f"http://[{address}]/") is None


def test_allowed_networks_do_not_open_other_private_addresses():
    allowed = ["127.0.0.2/32"]
    assert refuse_reason("http://127.0.0.2:8080/", allowed_networks=allowed) is None
    for host in ("127.0.0.1", "[::7f00:1]", "[64:ff9b::7f00:2]", "[2002:7f00:1::]"):
        assert refuse_reason(f"http://{host}:8080/", allowed_networks=allowed) \
            == "private_address", host


@pytest.mark.parametrize(("url", "domain"), [
    ("https://nasional.kompas.com/read/2024/1", "kompas.com"),
    ("https://www.tempo.co.id/", "tempo.co.id"),
    ("https://news.bbc.co.uk/x", "bbc.co.uk"),
    ("https://m.cnn.com/", "cnn.com"),
    ("https://news.sky.com/story", "sky.com"),
    ("http://localhost:8000/", "localhost"),
    ("not a url", None),
    (None, None),
])
def test_registered_domain_is_the_site_without_its_subdomains(url, domain):
    assert registered_domain(url) == domain
