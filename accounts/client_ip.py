"""
The one answer to "which address is this request from?", for the login
lockout (axes) and any rate limit keyed on an address.

``REMOTE_ADDR`` is the peer that opened the connection. Only when that peer is
one of ``LOPHOC_TRUSTED_PROXIES`` is its ``X-Forwarded-For`` believed, read
from the right (nginx's ``$proxy_add_x_forwarded_for`` appends the address it
saw): trusted proxies are skipped, the first other address is the client.
Anything to the left of it was written by the client and is ignored, so a
forged header changes nothing (security-tests AU-01).
"""

import ipaddress

from django.conf import settings

_Network = ipaddress.IPv4Network | ipaddress.IPv6Network


def _networks() -> list[_Network]:
    return [
        ipaddress.ip_network(entry.strip(), strict=False)
        for entry in settings.LOPHOC_TRUSTED_PROXIES
        if entry.strip()
    ]


def _address(value: str):
    try:
        return ipaddress.ip_address(value.strip())
    except ValueError:
        return None


def _trusted(address, networks: list[_Network]) -> bool:
    return address is not None and any(address in net for net in networks)


def client_ip(request) -> str:
    """The client's address, believing only trusted proxies' headers."""
    peer = request.META.get("REMOTE_ADDR", "")
    networks = _networks()
    if not _trusted(_address(peer), networks):
        return peer
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    for hop in reversed(forwarded.split(",")):
        address = _address(hop)
        if address is None:
            # A garbled entry: stop believing the chain at this point.
            return peer
        if not _trusted(address, networks):
            return str(address)
    return peer
