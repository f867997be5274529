"""Which addresses the browser may reach while it captures a profile (pure, no Dagster).

A page may load from its own site (the scheme-less origin of ``LINKEDIN_BASE_URL``: host and
port) and from the hosts of ``LINKEDIN_ALLOWED_HOSTS`` (what the site's pages need: LinkedIn's
static and media CDN). Everything else is refused. Outside ``local``, internal addresses (private,
loopback, link-local, unspecified, multicast, reserved, ``localhost``) are refused even when they
are on the list: a page must never reach the metadata service or a host on our network.

The check reads the URL only and resolves nothing: Chromium hands the route a canonical URL
(``http://0x7f.1/`` arrives as ``http://127.0.0.1/``), so literal IPs are seen as IPs. A public
name that resolves to an internal address (DNS rebinding) is only refused by the allow-list
itself: such a name must not be put on it (docs/security.md).
"""

from __future__ import annotations

import ipaddress
import urllib.parse
from dataclasses import dataclass

from linkedin_assets.errors import ConfigurationError

ALLOWED_HOSTS_VARIABLE = "LINKEDIN_ALLOWED_HOSTS"
# What LinkedIn's own profile pages load besides www.linkedin.com: its static and media CDN
# (static.licdn.com, media.licdn.com, static-exp1.licdn.com, ...) and the platform scripts host.
DEFAULT_ALLOWED_HOSTS = "*.licdn.com,platform.linkedin.com"
# Set LINKEDIN_ALLOWED_HOSTS to this to allow the site alone.
NO_EXTRA_HOSTS = "none"
# Schemes that never touch the network: the page's own data.
LOCAL_SCHEMES = frozenset({"data", "blob", "about"})
DEFAULT_PORTS = {"http": 80, "ws": 80, "https": 443, "wss": 443}
# NAT64's well-known prefix embeds an IPv4 address (64:ff9b::a9fe:a9fe is 169.254.169.254).
NAT64 = ipaddress.IPv6Network("64:ff9b::/96")


@dataclass(frozen=True)
class HostEntry:
    """One allow-list entry: an exact host or ``*.suffix`` (subdomains only), any or one port."""

    host: str
    port: int | None = None

    def matches(self, host: str, port: int) -> bool:
        if self.port is not None and self.port != port:
            return False
        if self.host.startswith("*."):
            return host.endswith(self.host[1:])
        return host == self.host


@dataclass(frozen=True)
class HostPolicy:
    """The allow-list beside the site, and whether internal addresses may be reached at all."""

    allowed: tuple[HostEntry, ...] = ()
    internal_allowed: bool = False


@dataclass(frozen=True)
class Origin:
    """Host (lower case, no brackets) and effective port of a URL."""

    host: str
    port: int

    def __str__(self) -> str:
        shown = f"[{self.host}]" if ":" in self.host else self.host
        return f"{shown}:{self.port}"


def origin_of(url: str) -> Origin | None:
    """The origin of an http(s)/ws(s) URL; ``None`` for any other URL or an unreadable one."""
    try:
        parts = urllib.parse.urlsplit(url)
        port = parts.port
    except ValueError:
        return None
    scheme = parts.scheme.lower()
    if scheme not in DEFAULT_PORTS or not parts.hostname:
        return None
    return Origin(_normal_host(parts.hostname), port or DEFAULT_PORTS[scheme])


def _normal_host(host: str) -> str:
    # "example.com." is the same host; Chromium already lower-cases and punycodes names.
    return host.strip("[]").rstrip(".").lower()


def is_internal_host(host: str) -> bool:
    """Whether ``host`` names this machine or a non-public network, without resolving it.

    ``localhost`` and ``*.localhost`` (RFC 6761), and every IP literal that is not globally
    routable: private, loopback, link-local (the metadata service), shared, unspecified,
    reserved and multicast, including IPv4 addresses inside IPv6 (mapped, 6to4, NAT64).
    """
    host = _normal_host(host)
    if host == "localhost" or host.endswith(".localhost"):
        return True
    try:
        ip = ipaddress.ip_address(host)
    except ValueError:
        return False
    if isinstance(ip, ipaddress.IPv6Address):
        embedded = ip.ipv4_mapped or ip.sixtofour
        if embedded is None and ip in NAT64:
            embedded = ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF)
        if embedded is not None and _internal_ip(embedded):
            return True
    return _internal_ip(ip)


def _internal_ip(ip: ipaddress.IPv4Address | ipaddress.IPv6Address) -> bool:
    return not ip.is_global or ip.is_multicast


def refusal(url: str, site: str, policy: HostPolicy) -> str | None:
    """Why the browser must not load ``url`` for a page of ``site``; ``None`` when it may."""
    scheme = url.partition(":")[0].lower()
    if scheme in LOCAL_SCHEMES:
        return None
    target = origin_of(url)
    if target is None:
        return f"scheme {scheme!r} is not allowed"
    if not policy.internal_allowed and is_internal_host(target.host):
        return f"{target.host} is an internal address"
    if target == origin_of(site):
        return None
    if any(entry.matches(target.host, target.port) for entry in policy.allowed):
        return None
    return f"{target} is not the site nor on {ALLOWED_HOSTS_VARIABLE}"


def resolver_rules(site: str, policy: HostPolicy) -> str:
    """Chromium's ``--host-resolver-rules`` that let only the site's and the allow-list's hosts
    resolve: every other name *and IP literal* fails with ``ERR_NAME_NOT_RESOLVED``.

    Playwright's route never sees a redirect's next hop, nor a worker's request; Chromium's own
    resolver does. Ports are not told apart here (the route and the final-URL check do that),
    and internal hosts are left out unless the policy allows them.
    """
    hosts: list[str] = []
    site_origin = origin_of(site)
    candidates = [site_origin.host] if site_origin is not None else []
    candidates += [entry.host for entry in policy.allowed]
    for host in candidates:
        if (policy.internal_allowed or not is_internal_host(host)) and host not in hosts:
            hosts.append(host)
    return ", ".join(["MAP * ~NOTFOUND", *(f"EXCLUDE {host}" for host in hosts)])


def parse_allowed_hosts(raw: str, variable: str = ALLOWED_HOSTS_VARIABLE) -> tuple[HostEntry, ...]:
    """Entries separated by commas or spaces: ``host``, ``host:port``, ``*.suffix``, ``[::1]:80``.

    ``none`` means the site alone. A bad entry is a ``ConfigurationError`` naming it.
    """
    entries: list[HostEntry] = []
    words = raw.replace(",", " ").split()
    if [w.lower() for w in words] == [NO_EXTRA_HOSTS]:
        return ()
    for word in words:
        entries.append(_parse_entry(word, variable))
    return tuple(entries)


def _parse_entry(word: str, variable: str) -> HostEntry:
    def bad(why: str) -> ConfigurationError:
        return ConfigurationError(f"{variable}: entry {word!r} {why}")

    if "/" in word or "@" in word or "?" in word or "#" in word:
        raise bad("must be a host or host:port, not a URL")
    parts = urllib.parse.urlsplit(f"//{word}")
    try:
        port = parts.port
    except ValueError:
        raise bad("has a port that is not a number within 0..65535") from None
    if not parts.hostname:
        raise bad("has no host")
    host = _normal_host(parts.hostname)
    wildcard = host.startswith("*.")
    name = host[2:] if wildcard else host
    if "*" in name:
        raise bad("may only start with '*.'")
    try:
        # An IP literal, being ASCII with short labels, comes out as it went in.
        name = name.encode("idna").decode("ascii")
    except UnicodeError:
        raise bad("is not a valid host name") from None
    if wildcard and "." not in name:
        raise bad("would allow a whole top-level domain")
    return HostEntry(f"*.{name}" if wildcard else name, port)
