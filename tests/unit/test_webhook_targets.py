"""Which URLs a webhook may call (docs/agencies.md "Webhooks"): in production https only, and
only hosts whose every address is public; backoff between failed deliveries."""

from __future__ import annotations

from datetime import timedelta

import pytest

from api.services import webhooks
from api.services.webhooks import UnsafeTarget, backoff, check_url, resolve_public


@pytest.mark.parametrize("url", [
    "http://example.org/hook", "ftp://example.org/", "https://user:pw@example.org/",
    "https:///nohost", "https://example.org/#frag", "https://example.org:99999/",
    "javascript:alert(1)", "https://" + "a" * 2000 + ".org/",
])
def test_production_refuses_what_is_not_a_plain_https_url(url):
    with pytest.raises(UnsafeTarget):
        check_url(url, production=True)


def test_development_allows_http_for_a_local_receiver():
    assert check_url("http://127.0.0.1:9000/hook", production=False) == ("http", "127.0.0.1",
                                                                          9000)
    assert check_url("https://example.org/hook", production=True) == ("https", "example.org",
                                                                      443)


@pytest.mark.parametrize("address", [
    "127.0.0.1", "10.1.2.3", "172.16.0.1", "192.168.1.1", "169.254.169.254", "0.0.0.0",
    "100.64.0.1", "224.0.0.1", "::1", "fe80::1", "fc00::1", "::ffff:127.0.0.1",
    "::ffff:10.0.0.1",
    # IPv6 that carries an IPv4 address: NAT64 to cloud metadata or a private host, 6to4,
    # Teredo, IPv4-compatible, site-local
    "64:ff9b::a9fe:a9fe", "64:ff9b::a00:1", "64:ff9b:1::a00:1", "2002:a00:1::1",
    "2001:0:a00:1::1", "::a00:1", "fec0::1",
])
def test_addresses_that_are_not_public_are_refused(address):
    assert not webhooks._public(address)


@pytest.mark.parametrize("address", ["8.8.8.8", "196.200.1.1", "2001:4860:4860::8888"])
def test_public_addresses_are_allowed(address):
    assert webhooks._public(address)


async def test_a_name_resolving_to_loopback_is_refused():
    with pytest.raises(UnsafeTarget):
        await resolve_public("localhost", 443)
    with pytest.raises(UnsafeTarget):
        await resolve_public("127.0.0.1", 443)
    assert await resolve_public("8.8.8.8", 443) == ["8.8.8.8"]


def test_backoff_doubles_up_to_an_hour():
    assert [backoff(n) for n in (1, 2, 3)] == [timedelta(seconds=5), timedelta(seconds=10),
                                               timedelta(seconds=20)]
    assert backoff(40) == timedelta(hours=1)
    # 24 hours of failures are about 35 attempts
    waited, attempts = timedelta(0), 0
    while waited < webhooks.GIVE_UP_AFTER:
        attempts += 1
        waited += backoff(attempts)
    assert 30 <= attempts <= 40
