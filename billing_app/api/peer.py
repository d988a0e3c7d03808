"""The address a request comes from, for throttling, audit and logs."""

from billing_app.settings import get_settings


def client_address(peer: str | None, forwarded_for: str | None) -> str | None:
    """The client's address: the direct peer, or, behind TRUSTED_PROXY_HOPS proxies, the
    address the outermost trusted proxy saw (X-Forwarded-For read from the right, since a
    client can write anything on its left)."""
    hops = get_settings().trusted_proxy_hops
    if hops == 0 or not forwarded_for:
        return peer
    chain = [part.strip() for part in forwarded_for.split(",") if part.strip()]
    return chain[-hops] if len(chain) >= hops else (chain[0] if chain else peer)
