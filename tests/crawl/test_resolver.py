"""The resolver crawl connections go through (crawler/fetch/resolver.py), on its own: it hands
on only answers the address policy allows, so a name that rebinds to a forbidden address
between the check and the connection gets no connection. The whole crawl:
tests/faults/test_dns_rebinding.py."""

from __future__ import annotations

from twisted.internet.address import IPv4Address, IPv6Address
from twisted.internet.interfaces import IHostnameResolver
from zope.interface import implementer

from crawler.fetch.resolver import GuardedResolver


@implementer(IHostnameResolver)
class ScriptedLookup:
    """Answers each name from a script, one answer per lookup, the last one repeated."""

    def __init__(self, script: dict[str, list[list[str]]]) -> None:
        self.script = script
        self.asked: list[tuple[str, tuple]] = []

    def resolveHostName(self, receiver, hostName, portNumber=0, addressTypes=None,
                        transportSemantics="TCP"):
        self.asked.append((hostName, tuple(addressTypes or ())))
        answers = self.script.get(hostName, [[]])
        answer = answers.pop(0) if len(answers) > 1 else answers[0]
        receiver.resolutionBegan(None)
        for host in answer:
            kind = IPv6Address if ":" in host else IPv4Address
            receiver.addressResolved(kind("TCP", host, portNumber))
        receiver.resolutionComplete()


class Receiver:
    def __init__(self) -> None:
        self.addresses: list = []
        self.complete = False

    def resolutionBegan(self, resolution) -> None:
        pass

    def addressResolved(self, address) -> None:
        self.addresses.append(address)

    def resolutionComplete(self) -> None:
        self.complete = True


def resolve(resolver: GuardedResolver, name: str, port: int = 80) -> list[str]:
    receiver = Receiver()
    resolver.resolveHostName(receiver, name, port)
    assert receiver.complete
    assert all(a.port == port for a in receiver.addresses)
    return [a.host for a in receiver.addresses]


def guarded(script: dict, allowed: list[str] | None = None, cache_size: int = 100):
    lookup = ScriptedLookup(script)
    resolver = GuardedResolver(None, cache_size=cache_size, lookup=lookup)
    if allowed is not None:
        resolver.configure(allowed)
    return resolver, lookup


def test_a_name_that_rebinds_to_a_forbidden_address_gets_no_address():
    resolver, _ = guarded({"rebind.test": [["127.0.0.2"], ["127.0.0.1"]]},
                          allowed=["127.0.0.2/32"], cache_size=0)

    assert resolve(resolver, "rebind.test", 8080) == ["127.0.0.2"]
    assert resolver.refusal("rebind.test") is None
    assert resolve(resolver, "rebind.test", 8080) == []
    assert resolver.refusal("Rebind.Test.") == "private_address"


def test_one_forbidden_address_refuses_the_whole_answer_and_nothing_forbidden_is_cached():
    resolver, lookup = guarded({"mixed.test": [["93.184.216.34", "10.0.0.1"],
                                               ["93.184.216.34"]]}, allowed=[])

    assert resolve(resolver, "mixed.test") == []
    assert resolve(resolver, "mixed.test", 443) == ["93.184.216.34"]
    assert resolve(resolver, "mixed.test") == ["93.184.216.34"]  # from the cache
    assert len(lookup.asked) == 2


def test_names_are_looked_up_as_ipv4_and_ipv6_literals_as_themselves():
    resolver, lookup = guarded({"::1": [["::1"]], "2606:4700:4700::1111": [
        ["2606:4700:4700::1111"]], "news.test": [["93.184.216.34"]]}, allowed=[])

    assert resolve(resolver, "news.test") == ["93.184.216.34"]
    assert resolve(resolver, "::1") == []
    assert resolve(resolver, "2606:4700:4700::1111") == ["2606:4700:4700::1111"]
    assert [types for _, types in lookup.asked] == [(IPv4Address,), (IPv6Address,),
                                                    (IPv6Address,)]


def test_ipv6_forms_of_private_ipv4_addresses_get_no_connection():
    forms = ["::7f00:1", "::ffff:127.0.0.1", "64:ff9b::7f00:1", "2002:7f00:1::1",
             "2001:0:4136:e378:8000:63bf:3fff:fdd2"]
    resolver, _ = guarded({form: [[form]] for form in forms}, allowed=["127.0.0.0/8"])

    assert {form: resolve(resolver, form) for form in forms} == {form: [] for form in forms}


def test_until_the_crawl_configures_it_only_public_addresses_are_allowed():
    resolver, _ = guarded({"local.test": [["127.0.0.2"]]})
    assert resolve(resolver, "local.test") == []

    assert resolver.configure(["127.0.0.2/32"])
    assert resolve(resolver, "local.test") == ["127.0.0.2"]
    # One resolver per process: a second crawl allowing more changes nothing.
    assert not resolver.configure(["0.0.0.0/0", "::/0"])
    assert resolver.configure(["127.0.0.2/32"])
    resolver, _ = guarded({"any.test": [["10.0.0.1"]]}, allowed=["0.0.0.0/0", "::/0"])
    assert resolve(resolver, "any.test") == ["10.0.0.1"]
