"""The policy a launcher enforces: the file it was started with, reloaded when the mediator saves
a new catalogue, plus at most one site unlocked for this session (accompanied mode)."""

from __future__ import annotations

import dataclasses
import logging
import re
from pathlib import Path

from policies import (
    Allowlist,
    HostPatternError,
    Policy,
    PolicyError,
    Site,
    load_policy,
    parse_host_pattern,
)

log = logging.getLogger(__name__)
_ID = re.compile(r"^[a-z0-9][a-z0-9_-]{0,62}$")
MAX_UNLOCKED_HOSTS = 20


class LivePolicy:
    def __init__(self, policy: Policy, internal_origins: list[str], path: Path | None = None):
        self.path = path
        self.base = policy
        self.internal_origins = list(internal_origins)
        self.unlocked: Site | None = None

    def allowlist(self) -> Allowlist:
        """The allowlist now in force (base policy plus the unlocked site, if any)."""
        policy = self.base
        if self.unlocked is not None:
            policy = dataclasses.replace(policy, sites=(*policy.sites, self.unlocked))
        return Allowlist(policy, internal_origins=self.internal_origins)

    def reload(self) -> bool:
        """Re-read the policy file; a broken or missing file keeps the policy in force."""
        if self.path is None:
            return False
        try:
            self.base = load_policy(self.path)
        except PolicyError as exc:
            log.warning("policy reload refused, previous one kept: %s", type(exc).__name__)
            return False
        return True

    def allow_site(self, site_id: str, hosts: list[str]) -> bool:
        """Unlock one extra site for this session;
        anything malformed is refused, nothing changes."""
        if not isinstance(site_id, str) or not _ID.match(site_id):
            return False
        if not isinstance(hosts, list) or not 0 < len(hosts) <= MAX_UNLOCKED_HOSTS:
            return False
        try:
            patterns = tuple(parse_host_pattern(host) for host in hosts)
        except (HostPatternError, TypeError):
            return False
        first = patterns[0]
        self.unlocked = Site(id=site_id, name=site_id, category="", url=f"https://{first.host}/",
                             hosts=patterns)
        return True
