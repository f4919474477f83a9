"""Where a workspace's own model endpoint may point: the public internet only.

An Enterprise workspace types its own base URL; the platform's servers then make requests
to it. Without this check that URL could name the platform's own network (a metadata
service on 169.254.169.254, the database on 10.x, a port on loopback), and an admin of any
workspace could probe it through the assistant. The host is resolved when the settings are
saved and again before every call (a name can be re-pointed after it was saved); every
address it resolves to must be a global one.

AI_ENDPOINT_ALLOW_PRIVATE_HOSTS lifts the rule for development and tests, where the model
runs on the same machine.
"""

import ipaddress
import socket
from urllib.parse import urlsplit

from django.conf import settings


def _addresses(host: str) -> list[ipaddress.IPv4Address | ipaddress.IPv6Address] | None:
    try:
        return [ipaddress.ip_address(host)]
    except ValueError:
        pass
    try:
        infos = socket.getaddrinfo(host, None, proto=socket.IPPROTO_TCP)
    except (socket.gaierror, UnicodeError, OSError):
        return None
    found = []
    for info in infos:
        found.append(ipaddress.ip_address(info[4][0].split("%", 1)[0]))
    return found


def _is_public(address) -> bool:
    mapped = getattr(address, "ipv4_mapped", None)
    if mapped is not None:
        address = mapped
    return address.is_global and not address.is_multicast


def endpoint_is_refused(url: str, *, unresolved_ok: bool) -> bool:
    """True when `url`'s host resolves to any non-public address (or, unless
    `unresolved_ok`, does not resolve at all)."""
    if not url or settings.AI_ENDPOINT_ALLOW_PRIVATE_HOSTS:
        return False
    host = urlsplit(url).hostname or ""
    if not host:
        return True
    addresses = _addresses(host)
    if not addresses:
        return not unresolved_ok
    return not all(_is_public(address) for address in addresses)
