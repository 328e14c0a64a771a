"""The shipped catalogue's site names, for the terminal's exports and the funder's hub tables
(core.spreadsheets cannot read a policy itself: policies stands above core)."""

from __future__ import annotations

from core.counters import THEMATICS


def shipped_catalogue() -> tuple[dict[str, str], tuple[str, ...]]:
    """(site id -> French name, thematics the catalogue uses) of the catalogue kiosk ships."""
    import policies  # read at each call: a test may point default_policy_path elsewhere

    policy = policies.load_policy(policies.default_policy_path())
    names = {site.id: site.name for site in policy.sites}
    used = tuple(key for key in THEMATICS if key in {site.category for site in policy.sites})
    return names, used
