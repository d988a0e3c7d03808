"""Behind a proxy the client's address comes from X-Forwarded-For, read from the right and only
as far as the trusted proxies go: a client cannot pick the address its limits are counted on."""

import pytest

from billing_app.api.peer import client_address
from billing_app.settings import get_settings


@pytest.fixture
def hops(monkeypatch):
    def set_hops(count: int) -> None:
        monkeypatch.setenv("TRUSTED_PROXY_HOPS", str(count))
        get_settings.cache_clear()

    yield set_hops
    monkeypatch.delenv("TRUSTED_PROXY_HOPS", raising=False)
    get_settings.cache_clear()


def test_without_trusted_proxies_the_peer_is_the_client_whatever_the_header_says(hops):
    hops(0)
    assert client_address("198.51.100.7", "203.0.113.9") == "198.51.100.7"


def test_behind_one_proxy_the_address_it_saw_counts_not_what_the_client_wrote(hops):
    hops(1)
    assert client_address("172.18.0.5", "203.0.113.9") == "203.0.113.9"
    # a client that sends its own X-Forwarded-For only adds to the left of nginx's entry
    assert client_address("172.18.0.5", "1.2.3.4, 203.0.113.9") == "203.0.113.9"
    assert client_address("172.18.0.5", None) == "172.18.0.5"


def test_two_proxies_read_the_second_entry_from_the_right(hops):
    hops(2)
    assert client_address("10.0.0.2", "1.2.3.4, 203.0.113.9, 10.0.0.1") == "203.0.113.9"
    assert client_address("10.0.0.2", "203.0.113.9") == "203.0.113.9"
