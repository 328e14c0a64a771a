"""Decide whether a URL may open: parsed like the browser parses it, matched anchored.

URLs go through a WHATWG parser (the ada library, the same standard Chromium follows), so
userinfo, backslashes, percent-encoded or full-width hosts, IDN, numeric IPv4 forms and stray
whitespace are resolved exactly as the engine will resolve them before any matching happens.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

import ada_url

from .hostpattern import HostPattern, is_loopback, parse_host_pattern
from .model import Policy
from .urlparse import parse_web_url

LOOPBACK_ADDRESSES = ("127.0.0.1", "[::1]", "localhost")
_IN_PAGE_SCHEMES = {"data:", "blob:"}  # content a page already holds; never a main-frame target
_SUBFRAME_ABOUT = {"about:blank", "about:srcdoc"}


class Frame(enum.Enum):
    """What is being loaded: decides which rules apply."""

    MAIN_FRAME = "main_frame"
    SUBFRAME = "subframe"
    SUBRESOURCE = "subresource"


class Reason(str, enum.Enum):  # noqa: UP042
    SITE = "site"                      # matched a catalogue site
    SHARED = "shared"                  # matched a shared service (FranceConnect...)
    INTERNAL = "internal"              # the kiosk's own portal
    NOT_FILTERED = "not_filtered"      # subresource while strict_resources is off
    IN_PAGE = "in_page"                # data:/blob:/about:blank inside a page
    INVALID_URL = "invalid_url"
    SCHEME = "scheme_not_allowed"
    INSECURE = "insecure_http"         # http:// to a non-loopback host
    PORT = "port_not_allowed"
    NO_MATCH = "host_not_allowed"


@dataclass(frozen=True)
class Decision:
    """The answer for one URL. `host` is the normalised host (for blocked-host counts), never logged
    with a session."""

    allowed: bool
    reason: Reason
    site_id: str | None = None
    host: str | None = None


class Allowlist:
    """A policy compiled for fast anchored lookups: a dict for exact hosts, one for wildcard
    suffixes, so a decision costs a parse plus a few dict hits whatever the catalogue size."""

    def __init__(self, policy: Policy, internal_origins: Iterable[str] = ()):
        self.policy = policy
        self._exact: dict[str, list[tuple[HostPattern, str, Reason]]] = {}
        self._suffix: dict[str, list[tuple[HostPattern, str, Reason]]] = {}
        self._internal_ports: set[str] = set()
        for origin in internal_origins:  # first: the portal wins over a site on the same host
            pattern = parse_host_pattern(ada_url.URL(origin).host)
            self._add(pattern, "portal", Reason.INTERNAL)
            if pattern.host in LOOPBACK_ADDRESSES:
                # Served on an address, the portal answers whatever name the browser used: every
                # loopback name on its port reaches it. (A named test origin such as
                # portal.localhost shares its port with other virtual hosts.)
                self._internal_ports.add(pattern.port)
        for site in policy.sites:
            for pattern in site.hosts:
                self._add(pattern, site.id, Reason.SITE)
        for service in policy.shared:
            for pattern in service.hosts:
                self._add(pattern, service.id, Reason.SHARED)
        self.decide = lru_cache(maxsize=4096)(self._decide)

    def _add(self, pattern: HostPattern, owner: str, reason: Reason) -> None:
        table = self._suffix if pattern.wildcard else self._exact
        table.setdefault(pattern.host, []).append((pattern, owner, reason))

    def _decide(self, url: str, frame: Frame = Frame.MAIN_FRAME) -> Decision:
        try:
            scheme, host, port, path = parse_web_url(url)
        except ValueError:
            return Decision(False, Reason.INVALID_URL)
        if scheme not in ("https:", "http:"):
            return self._non_web(url, scheme, frame)
        if host.endswith(".") and not host.startswith("["):
            host = host[:-1]
        if scheme == "http:" and not is_loopback(host):
            return Decision(False, Reason.INSECURE, host=host)
        if frame is Frame.SUBRESOURCE and not self.policy.session.strict_resources:
            return Decision(True, Reason.NOT_FILTERED, host=host)
        return self._match(host, port, path)

    def _non_web(self, url: str, scheme: str, frame: Frame) -> Decision:
        if frame is not Frame.MAIN_FRAME:
            if scheme in _IN_PAGE_SCHEMES or url.strip().lower() in _SUBFRAME_ABOUT:
                return Decision(True, Reason.IN_PAGE)
        return Decision(False, Reason.SCHEME)

    def _match(self, host: str, port: str, path: str) -> Decision:
        candidates = list(self._exact.get(host, ()))
        if not host.startswith("["):
            rest = host
            while "." in rest:
                rest = rest.split(".", 1)[1]
                candidates.extend(self._suffix.get(rest, ()))
        port_refused = False
        for pattern, owner, reason in candidates:
            if reason is not Reason.INTERNAL and port in self._internal_ports \
                    and is_loopback(host):
                continue  # the portal's port under another loopback name is never a site's
            if not _port_ok(pattern, port, host):
                port_refused = True
                continue
            if pattern.matches_path(path):
                return Decision(True, reason, owner, host)
        return Decision(False, Reason.PORT if port_refused else Reason.NO_MATCH, host=host)


def _port_ok(pattern: HostPattern, port: str, host: str) -> bool:
    """Only the default port unless the pattern names one; loopback test servers use any port."""
    if pattern.port:
        return port == pattern.port
    return port == "" or is_loopback(host)


def decide(policy: Policy, url: str, frame: Frame = Frame.MAIN_FRAME) -> Decision:
    """One-off decision; long-lived callers should keep an Allowlist (it is compiled and cached)."""
    return Allowlist(policy).decide(url, frame)
