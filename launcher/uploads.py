"""Which files a page may receive when it asks for one: this session's documents only."""

from __future__ import annotations

import mimetypes
from collections.abc import Iterable
from pathlib import Path


def accepts(path: Path, accepted: Iterable[str]) -> bool:
    """Match an <input accept> list: extensions (".pdf"), types ("application/pdf", "image/*")."""
    rules = [a.strip().lower() for a in accepted if a and a.strip()]
    if not rules:
        return True
    mime = (mimetypes.guess_type(path.name)[0] or "").lower()
    for rule in rules:
        if rule.startswith("."):
            if path.name.lower().endswith(rule):
                return True
        elif rule.endswith("/*"):
            if mime.startswith(rule[:-1]):
                return True
        elif rule == mime:
            return True
    return False


def candidates(downloads: Path, accepted: Iterable[str] = ()) -> list[Path]:
    """Regular files directly in the session's downloads folder (no links, no subfolders)."""
    if not downloads.is_dir():
        return []
    accepted = list(accepted)
    found = [p for p in downloads.iterdir()
             if p.is_file() and not p.is_symlink() and accepts(p, accepted)]
    return sorted(found, key=lambda p: p.name.lower())


def allowed_choice(chosen: Iterable[str], offered: Iterable[Path]) -> list[str]:
    """Only paths that were offered can be handed to the page, whatever the widget returns."""
    offered_set = {str(p) for p in offered}
    return [c for c in chosen if c in offered_set]
