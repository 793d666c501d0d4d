"""The client's address for every rate limit (ours and allauth's).

Behind a reverse proxy every request comes from the proxy's address. `TRUSTED_PROXIES` (IP
addresses or networks) says whose `X-Forwarded-For` to believe: the client is the last address
in the chain that is not one of them. With none trusted (the default) it is `REMOTE_ADDR`, and
a forged `X-Forwarded-For` is ignored.
"""

import functools
import ipaddress

from django.conf import settings


@functools.cache
def _networks(proxies: tuple[str, ...]):
    return tuple(ipaddress.ip_network(proxy.strip(), strict=False) for proxy in proxies if proxy)


def _is_trusted(address: str) -> bool:
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    return any(ip in network for network in _networks(tuple(settings.TRUSTED_PROXIES)))


def client_ip(request) -> str:
    address = request.META.get("REMOTE_ADDR", "")
    if not _is_trusted(address):
        return address
    forwarded = [part.strip() for part in request.headers.get("X-Forwarded-For", "").split(",")]
    for hop in reversed([part for part in forwarded if part]):
        if not _is_trusted(hop):
            try:
                return str(ipaddress.ip_address(hop))
            except ValueError:
                return address  # a garbled header: fall back to the proxy's address
    return address
