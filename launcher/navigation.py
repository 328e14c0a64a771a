"""Which navigations and requests may happen, and which events they produce (no Qt here)."""

from __future__ import annotations

from dataclasses import dataclass, field

import ada_url

from core.events import Event
from policies import Allowlist, Frame, Reason


@dataclass(frozen=True)
class Verdict:
    """Whether to let a load through, and the events to emit about it."""

    allowed: bool
    events: tuple[Event, ...] = ()


@dataclass
class NavigationGate:
    """Applies the allowlist to main-frame navigations, subframes and subresources.

    Remembers the site of the page on screen so refusals can name it (never the URL)."""

    allowlist: Allowlist
    current_site: str | None = None
    _reported_hosts: set[tuple[str, str]] = field(default_factory=set)

    def main_frame(self, url: str) -> Verdict:
        """A top-level navigation (link, form, location, redirect hop, history, new window)."""
        decision = self.allowlist.decide(url, Frame.MAIN_FRAME)
        if not decision.allowed:
            return Verdict(False, (Event("navigation_refused", site_id=self.current_site),))
        self._reported_hosts.clear()  # report again for the new page
        events: tuple[Event, ...] = ()
        if decision.site_id != self.current_site:
            events = (Event("navigation_allowed", site_id=decision.site_id),)
        self.current_site = decision.site_id
        return Verdict(True, events)

    def blob_download(self, url: str) -> bool:
        """A top-level blob: URL (sites open generated PDFs that way) made by an allowed origin:
        take it as a download, where its content is checked, instead of refusing it."""
        if not url.lower().startswith("blob:"):
            return False
        try:
            origin = ada_url.URL(url).origin
        except ValueError:
            return False
        return self.allowlist.decide(origin + "/", Frame.MAIN_FRAME).allowed

    def subframe(self, url: str) -> Verdict:
        """An iframe navigation: allowed only to listed hosts (or in-page content)."""
        return self._load(url, Frame.SUBFRAME)

    def subresource(self, url: str) -> Verdict:
        """Images, scripts, XHR, websockets: filtered when the policy's strict_resources is on."""
        return self._load(url, Frame.SUBRESOURCE)

    def _load(self, url: str, frame: Frame) -> Verdict:
        decision = self.allowlist.decide(url, frame)
        if decision.allowed:
            return Verdict(True)
        return Verdict(False, self._blocked_host(decision.host, decision.reason))

    def _blocked_host(self, host: str | None, reason: Reason) -> tuple[Event, ...]:
        """Report a refused host once per page, and only while the resident is on a listed site."""
        site = self.current_site
        if not host or not site or site == "portal" or reason is Reason.SCHEME:
            return ()
        if (site, host) in self._reported_hosts:
            return ()
        self._reported_hosts.add((site, host))
        return (Event("blocked_host", site_id=site, detail=host),)

