"""The tiles residents see: the policy's sites grouped by category, translated, searchable."""

from __future__ import annotations

import logging
import threading
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from flask import current_app
from flask_babel import gettext

from policies import Policy, PolicyError, load_policy

from . import live

log = logging.getLogger(__name__)


class PolicySource:
    """The current policy: asked each time of the terminal's policy store (a callable: on a
    terminal, the supervisor's store, so the portal keeps no copy of its own), a fixed one, or a
    file reloaded when it changes (last good kept)."""

    def __init__(self, value: Callable[[], Policy] | Policy | str | Path | None) -> None:
        self._lock = threading.Lock()
        self._path: Path | None = None
        self._provider: Callable[[], Policy] | None = None
        self._stamp: tuple[int, int] | None = None
        self._policy = Policy.empty()
        self._memo: dict[tuple[str, str], tuple[Policy, object, Any]] = {}
        if isinstance(value, Policy):
            self._policy = value
        elif callable(value):
            self._provider = value
        elif value is not None:
            self._path = Path(value)

    def current(self) -> Policy:
        """The policy to show; an unreadable or invalid file fails closed (no tile)."""
        if self._provider is not None:
            return self._provider()
        if self._path is None:
            return self._policy
        try:
            info = self._path.stat()
            stamp = (info.st_mtime_ns, info.st_size)
        except OSError:
            stamp = None
        with self._lock:
            if stamp != self._stamp:
                self._stamp = stamp
                self._policy = self._load()
            return self._policy

    def memo(self, key: tuple[str, str], build: Callable[[Policy], Any],
             settings: object = None) -> Any:
        """build(policy) for the current policy, computed once until the policy or the
        `settings` it also depends on (the association's name, logo, languages) change."""
        policy = self.current()
        cached = self._memo.get(key)
        if cached is not None and cached[0] is policy and cached[1] == settings:
            return cached[2]
        value = build(policy)
        self._memo[key] = (policy, settings, value)
        return value

    def replace(self, policy: Policy) -> None:
        """Show this policy from now on (the mediator saved a new version). A source that asks
        the store needs nothing: the store saved it."""
        with self._lock:
            if self._provider is None:
                self._path, self._policy = None, policy

    def _load(self) -> Policy:
        try:
            return load_policy(self._path)
        except PolicyError as exc:
            log.error("policy refused, showing no tile: %s", exc.issues[0].message)
            return Policy.empty()


@dataclass(frozen=True)
class Tile:
    site_id: str
    name: str
    text: str
    icon: str
    haystack: str  # folded words the search box matches against


@dataclass(frozen=True)
class Group:
    id: str
    label: str
    icon: str
    tiles: tuple[Tile, ...]


def fold(text: str) -> str:
    """Lower case without accents or punctuation, so 'Chomage' finds 'chômage'."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    kept = (" " if ch in "'’-_.,;:/()" else ch for ch in decomposed
            if not unicodedata.combining(ch))
    return " ".join("".join(kept).split())


def translate(text: str) -> str:
    """A catalogue text in the resident's language when the catalogue knows it, else as written."""
    return gettext(text) if text else text


def tile_groups(policy: Policy) -> list[Group]:
    """Non-empty categories in policy order, each with its tiles."""
    groups = []
    known = {c.id for c in policy.categories}
    for category in policy.categories:
        tiles = tuple(_tile(site, category.label) for site in policy.sites_in(category.id))
        if tiles:
            groups.append(Group(category.id, translate(category.label),
                                category.icon or "info", tiles))
    orphans = tuple(_tile(s, "") for s in policy.sites if s.category not in known)
    if orphans:
        groups.append(Group("autres", gettext("Autres sites"), "info", orphans))
    return groups


def _tile(site, category_label: str) -> Tile:
    text = translate(site.description)
    words = [site.name, site.description, text, category_label, translate(category_label),
             *site.keywords, *(translate(keyword) for keyword in site.keywords)]
    return Tile(site.id, site.name, text, site.icon or "info", fold(" ".join(words)))


def matches(tile: Tile, query: str) -> bool:
    """Every word of the query appears in the tile's words (an empty query matches all)."""
    return all(word in tile.haystack for word in fold(query).split())


def search(groups: list[Group], query: str) -> list[Group]:
    """The groups with only the tiles matching the query (empty groups dropped)."""
    found = []
    for group in groups:
        tiles = tuple(t for t in group.tiles if matches(t, query))
        if tiles:
            found.append(Group(group.id, group.label, group.icon, tiles))
    return found


def get_policy() -> Policy:
    return current_app.extensions["kiosk_policy"].current()


def get_groups(language: str) -> list[Group]:
    """Tile groups of the current policy, translated (cached per policy and language)."""
    return policy_memo(("groups", language), tile_groups)


def policy_memo(key: tuple[str, str], build: Callable[[Policy], Any]) -> Any:
    """A value derived from the current policy and the settings pages show (the association's
    name and logo, the languages offered), rebuilt only when one of them changes."""
    shown = live.shown()
    settings = (shown.association, shown.logo, shown.languages)
    return current_app.extensions["kiosk_policy"].memo(key, build, settings)
