"""Which `Host` headers are served and which browser `Origin`s may use the API (DNS rebinding, CSRF, CSWSH).

Hosts: the localhost names, the address `viva serve` binds to, and `VIVA_ALLOWED_HOSTS` (`*` = any).
Origins: the server's own origin — `http://` or `https://` plus the request's (already trusted) Host —
and `VIVA_ALLOWED_ORIGINS`. A request without `Origin` and `Referer` is not from a browser page and is
let through; authentication still applies to it.
"""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass
from urllib.parse import urlsplit

from app.config import Settings

LOCAL_NAMES = ("localhost", "127.0.0.1", "::1")
WILDCARD_BINDS = ("0.0.0.0", "::", "")


def is_loopback(host: str) -> bool:
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def host_name(header: str | None) -> str | None:
    """The host name of a `Host` header value ("[::1]:8000" -> "::1"), or None if it is not one."""
    if not header or len(header) > 255 or any(c in header for c in "/\\@?# "):
        return None
    try:
        parts = urlsplit(f"//{header}")
        parts.port  # noqa: B018  (raises ValueError for a bad port)
    except ValueError:
        return None
    return parts.hostname or None


def origin_of(url: str) -> str | None:
    """scheme://host[:port] of a URL (lower-case), or None."""
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        return None
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return None
    host = f"[{parts.hostname}]" if ":" in parts.hostname else parts.hostname
    return f"{parts.scheme}://{host}" + (f":{port}" if port is not None else "")


@dataclass(frozen=True)
class HostPolicy:
    hosts: frozenset[str]
    any_host: bool
    origins: frozenset[str]

    @classmethod
    def from_settings(cls, settings: Settings) -> HostPolicy:
        hosts = set(LOCAL_NAMES) | set(settings.extra_hosts)
        if settings.host not in WILDCARD_BINDS:
            hosts.add(settings.host.strip("[]").lower())
        return cls(hosts=frozenset(hosts - {"*"}), any_host="*" in hosts,
                   origins=frozenset(o for o in (origin_of(x) for x in settings.extra_origins) if o))

    def host_allowed(self, header: str | None) -> bool:
        name = host_name(header)
        return name is not None and (self.any_host or name in self.hosts)

    def origin_allowed(self, origin: str, host_header: str | None) -> bool:
        """An Origin (or a Referer's origin) is allowed if it is this server's own or configured."""
        own = origin_of(origin)
        if own is None:
            return False  # "null" (sandboxed frames, file://) or garbage
        if own in self.origins:
            return True
        if not host_header:
            return False
        return own in (origin_of(f"http://{host_header}"), origin_of(f"https://{host_header}"))
