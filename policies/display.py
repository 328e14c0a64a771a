"""A plain-text table of a policy, for `kiosk policy show` and `kiosk demo`."""

from __future__ import annotations

from .model import Policy


def policy_table(policy: Policy) -> str:
    """Tiles grouped by category with their hosts, then shared services."""
    lines = [f"{'site':<22} {'name':<30} hosts"]
    for category in policy.categories:
        lines.append(f"\n[{category.id}] {category.label}")
        for site in policy.sites_in(category.id):
            hosts = ", ".join(p.text for p in site.hosts)
            lines.append(f"  {site.id:<20} {site.name[:30]:<30} {hosts}")
    if policy.shared:
        lines.append("\n[shared] passed through by any site")
        for service in policy.shared:
            lines.append(f"  {service.id:<20} {service.name[:30]:<30} "
                         f"{', '.join(p.text for p in service.hosts)}")
    limits = policy.session
    lines.append(f"\nsession: idle {limits.idle_minutes} min, warning {limits.warning_seconds} s, "
                 f"max {limits.max_minutes} min, strict resources "
                 f"{'on' if limits.strict_resources else 'off'}")
    return "\n".join(lines)
