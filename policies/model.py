"""The policy as plain immutable data: session limits, categories, sites and shared services."""

from __future__ import annotations

from dataclasses import dataclass, field

from .errors import PolicyIssue
from .hostpattern import HostPattern


@dataclass(frozen=True)
class SessionLimits:
    idle_minutes: float = 5
    warning_seconds: int = 60
    max_minutes: float = 60
    strict_resources: bool = False


@dataclass(frozen=True)
class Category:
    id: str
    label: str
    icon: str = ""


@dataclass(frozen=True)
class Site:
    """A catalogue tile and the hosts it may navigate to."""

    id: str
    name: str
    category: str
    url: str
    hosts: tuple[HostPattern, ...]
    description: str = ""
    icon: str = ""
    # search synonyms shown nowhere, e.g. "chômage" for France Travail
    keywords: tuple[str, ...] = ()


@dataclass(frozen=True)
class SharedService:
    """A login service or helper any site may pass through (FranceConnect and its providers)."""

    id: str
    name: str
    hosts: tuple[HostPattern, ...]


@dataclass(frozen=True)
class Policy:
    version: int
    session: SessionLimits
    categories: tuple[Category, ...]
    sites: tuple[Site, ...]
    shared: tuple[SharedService, ...] = ()
    source: str | None = field(default=None, compare=False)
    # Allowed but worth a look (a wildcard on a public bodies' suffix): shown to the mediator.
    warnings: tuple[PolicyIssue, ...] = field(default=(), compare=False)

    def site(self, site_id: str) -> Site | None:
        return next((s for s in self.sites if s.id == site_id), None)

    def category(self, category_id: str) -> Category | None:
        return next((c for c in self.categories if c.id == category_id), None)

    def sites_in(self, category_id: str) -> list[Site]:
        return [s for s in self.sites if s.category == category_id]

    @classmethod
    def empty(cls) -> Policy:
        """The fail-closed policy: no site at all, so nothing opens."""
        return cls(version=1, session=SessionLimits(), categories=(), sites=(), shared=())
