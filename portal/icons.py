"""Pictograms and flags drawn as small inline SVGs (served with the page, no external file).

Every pictogram is decorative (`aria-hidden`): the text beside it carries the meaning.
Icons whose meaning has a direction (arrows) get the class `flip`, mirrored in right-to-left pages.
"""

from __future__ import annotations

import math

from markupsafe import Markup

from .policy_strings import N_

# 24x24 stroke drawings, in the spirit of a road sign: one idea each, few lines.
PICTOGRAMS: dict[str, str] = {
    "family": '<circle cx="8" cy="5" r="3"/><path d="M3 21v-5a5 5 0 0 1 10 0v5"/>'
              '<circle cx="17.5" cy="10" r="2"/><path d="M14.5 21v-3a3 3 0 0 1 6 0v3"/>',
    "health": '<rect x="3" y="3" width="18" height="18" rx="4"/><path d="M12 7v10M7 12h10"/>',
    "work": '<rect x="3" y="7" width="18" height="13" rx="2"/>'
            '<path d="M9 7V5a2 2 0 0 1 2-2h2a2 2 0 0 1 2 2v2M3 13h18"/>',
    "money": '<circle cx="12" cy="12" r="9"/><path d="M15.5 8.5A5 5 0 1 0 15.5 15.5M6.5 '
             '10.5h6M6.5 13.5h6"/>',
    "id-card": '<rect x="2" y="5" width="20" height="14" rx="2"/><circle cx="8" cy="11" r="2"/>'
               '<path d="M5 16a3 3 0 0 1 6 0M14 10h5M14 14h4"/>',
    "home": '<path d="M3 11l9-8 9 8"/><path d="M5 10v10h14V10"/><path d="M10 20v-6h4v6"/>',
    "passport": '<rect x="5" y="2" width="14" height="20" rx="2"/><circle cx="12" cy="10" r="3.5"/>'
                '<path d="M8.5 10h7M12 6.5c1.5 2 1.5 5 0 7M12 6.5c-1.5 2-1.5 5 0 7M9 17h6"/>',
    "justice": '<path d="M12 3v17M7 21h10M4 7h16"/><path d="M5 7l-3 6h6zM19 7l-3 6h6z"/>'
               '<path d="M2 13a3 3 0 0 0 6 0M16 13a3 3 0 0 0 6 0"/>',
    "car": '<path d="M5 11l2-5h10l2 5"/><rect x="3" y="11" width="18" height="6" rx="2"/>'
           '<circle cx="7.5" cy="18" r="2"/><circle cx="16.5" cy="18" r="2"/>',
    "energy": '<path d="M13 2L4 14h7l-1 8 9-12h-7z"/>',
    "school": '<path d="M2 9l10-5 10 5-10 5z"/><path d="M6 11v5c3 2.5 9 2.5 12 0v-5M22 9v5"/>',
    "retirement": '<circle cx="10" cy="4" r="2"/><path d="M10 7v7l-3 7M10 14l3 7M10 '
                  '9l5 3M16 12v9"/>',
    "info": '<circle cx="12" cy="12" r="9"/><path d="M12 11v6M12 7.5v.5"/>',
    "mail": '<rect x="3" y="5" width="18" height="14" rx="2"/><path d="M3 7l9 6 9-6"/>',
    "help": '<circle cx="12" cy="12" r="9"/>'
            '<path d="M9.5 9.5a2.5 2.5 0 1 1 3.5 2.3c-.7.3-1 .9-1 1.7v.5M12 17v.5"/>',
    "documents": '<path d="M3 6a2 2 0 0 1 2-2h4l2 2h8a2 2 0 0 1 2 2v10a2 2 0 0 1-2 2H5a2 '
                 '2 0 0 1-2-2z"/>',
    "file": '<path d="M6 2h8l5 5v15H6z"/><path d="M14 2v5h5M9 13h7M9 17h7"/>',
    "image": '<rect x="3" y="4" width="18" height="16" rx="2"/><circle cx="9" cy="10" r="2"/>'
             '<path d="M21 16l-5-5-9 9"/>',
    "end": '<path d="M14 4H6v16h8"/><path d="M10 12h11M17 8l4 4-4 4"/>',
    "search": '<circle cx="10.5" cy="10.5" r="6.5"/><path d="M15.5 15.5L21 21"/>',
    "print": '<path d="M7 9V3h10v6"/><rect x="3" y="9" width="18" height="8" rx="2"/><path '
             'd="M7 14h10v7H7z"/>',
    "trash": '<path d="M4 7h16M10 7V4h4v3M6 7l1 14h10l1-14M10 11v6M14 11v6"/>',
    "back": '<path d="M19 12H5M11 6l-6 6 6 6"/>',
    "next": '<path d="M5 12h14M13 6l6 6-6 6"/>',
    "usb": '<path d="M9 2h6v6H9z"/><rect x="7" y="8" width="10" height="14" rx="2"/><path d="M11 '
           '4.5h.01M13 4.5h.01"/>',
    "shield": '<path d="M12 2l8 3v6c0 5-3.5 9-8 11-4.5-2-8-6-8-11V5z"/><path d="M8.5 '
              '12l2.5 2.5 4.5-5"/>',
    "clock": '<circle cx="12" cy="12" r="9"/><path d="M12 7v5l3 3"/>',
    "check": '<path d="M4 12l5 5 11-11"/>',
    "speaker": '<path d="M4 9h4l5-4v14l-5-4H4z"/>'
               '<path d="M16.5 8.5a5 5 0 0 1 0 7M19 6a8.5 8.5 0 0 1 0 12"/>',
    "keyboard": '<rect x="2" y="6" width="20" height="12" rx="2"/>'
                '<path d="M6 10h.01M10 10h.01M14 10h.01M18 10h.01M7 14h10"/>',
    "bell": '<path d="M6 16v-5a6 6 0 0 1 12 0v5l2 2H4z"/><path d="M10 21h4"/>',
    "person": '<circle cx="12" cy="7" r="4"/><path d="M4 21a8 8 0 0 1 16 0"/>',
    "eye": '<path d="M2 12s3.5-7 10-7 10 7 10 7-3.5 7-10 7S2 12 2 12z"/><circle cx="12" '
           'cy="12" r="3"/>',
    "globe": '<circle cx="12" cy="12" r="9"/><path d="M3 12h18M12 3c3 3 3 15 0 18M12 '
             '3c-3 3-3 15 0 18"/>',
    "lock": '<rect x="5" y="11" width="14" height="10" rx="2"/><path d="M8 11V7a4 4 0 0 1 8 0v4"/>',
    "terminal": '<rect x="3" y="4" width="18" height="12" rx="2"/><path d="M9 20h6M12 16v4"/>',
    # Site pictograms, so sites of one theme do not all look alike.
    "card": '<rect x="2" y="5" width="20" height="14" rx="2"/><rect x="5" y="9" width="5" '
            'height="4" rx="1"/><path d="M13 10h6M13 14h4"/>',
    "heart": '<path d="M12 20s-7-4.5-7-10a4 4 0 0 1 7-2.5A4 4 0 0 1 19 10c0 5.5-7 10-7 10z"/>'
             '<path d="M8 12h2l1-2 2 4 1-2h2"/>',
    "wheat": '<path d="M12 22V8"/><path d="M12 12c-3 0-4-2-4-4 3 0 4 2 4 4zM12 12c3 0 4-2 4-4'
             '-3 0-4 2-4 4zM12 17c-3 0-4-2-4-4 3 0 4 2 4 4zM12 17c3 0 4-2 4-4-3 0-4 2-4 4zM12 '
             '8c-1.5-1-1.5-3 0-5 1.5 2 1.5 4 0 5z"/>',
    "building": '<rect x="5" y="3" width="14" height="18" rx="1"/><path d="M9 7h2M13 7h2M9 '
                '11h2M13 11h2M9 15h2M13 15h2M11 21v-3h2v3"/>',
    "receipt": '<path d="M6 2h12v20l-3-2-3 2-3-2-3 2z"/><path d="M9 7h6M9 11h6M9 15h4"/>',
    "leaf": '<path d="M5 19c0-9 6-14 15-14 0 9-5 15-14 15"/><path d="M5 19c3-4 6-7 10-9"/>',
    "euro": '<circle cx="12" cy="12" r="9"/><path d="M15.5 8.5a4.5 4.5 0 1 0 0 7M7 11h6M7 '
            '13h6"/>',
}
DIRECTIONAL = {"back", "next", "end"}

# What each pictogram a mediator can give a site shows, in plain French: the picker's labels
# and the tiles' text alternative (translated for residents).
SITE_PICTOGRAMS: dict[str, str] = {
    "family": N_("Famille"),
    "health": N_("Santé (croix)"),
    "card": N_("Carte de santé"),
    "heart": N_("Cœur (santé)"),
    "wheat": N_("Épi de blé (agriculture)"),
    "work": N_("Travail"),
    "school": N_("École, formation"),
    "money": N_("Argent"),
    "euro": N_("Euro"),
    "energy": N_("Énergie"),
    "retirement": N_("Retraite"),
    "id-card": N_("Carte d'identité"),
    "passport": N_("Passeport"),
    "home": N_("Maison"),
    "building": N_("Immeuble"),
    "justice": N_("Justice"),
    "receipt": N_("Reçu, amende"),
    "car": N_("Voiture"),
    "leaf": N_("Feuille (environnement)"),
    "mail": N_("Courrier"),
    "documents": N_("Dossier"),
    "file": N_("Document"),
    "globe": N_("Monde"),
    "info": N_("Information"),
    "person": N_("Personne"),
    "shield": N_("Protection"),
}


def icon(name: str, size: str = "") -> Markup:
    """An inline pictogram (unknown names fall back to 'info' so a typo never breaks a page)."""
    body = PICTOGRAMS.get(name, PICTOGRAMS["info"])
    classes = " ".join(c for c in ("icon", f"icon-{size}" if size else "",
                                    "flip" if name in DIRECTIONAL else "") if c)
    return Markup(f'<svg class="{classes}" viewBox="0 0 24 24" aria-hidden="true" '
                  'focusable="false" '
                  f'fill="none" stroke="currentColor" stroke-width="2" stroke-linecap="round" '
                  f'stroke-linejoin="round">{body}</svg>')


def pictogram(name: str, label: str, size: str = "lg") -> Markup:
    """A site's pictogram with its text alternative (role img, labelled)."""
    body = PICTOGRAMS.get(name, PICTOGRAMS["info"])
    classes = "icon" + (f" icon-{size}" if size else "")
    return Markup('<svg class="{}" viewBox="0 0 24 24" role="img" aria-label="{}" '
                  'focusable="false" fill="none" stroke="currentColor" stroke-width="2" '
                  'stroke-linecap="round" stroke-linejoin="round">').format(classes, label) \
        + Markup(body) + Markup("</svg>")


def site_pictogram(name: str) -> Markup:
    """A tile's pictogram, its text alternative in the resident's language."""
    from flask_babel import gettext

    key = name if name in SITE_PICTOGRAMS else "info"
    return pictogram(key, gettext(SITE_PICTOGRAMS[key]))


def _star(cx: float, cy: float, r: float) -> str:
    points = []
    for i in range(10):
        radius = r if i % 2 == 0 else r * 0.4
        angle = math.pi * i / 5
        points.append(f"{cx + radius * math.cos(angle):.2f},{cy + radius * math.sin(angle):.2f}")
    return " ".join(points)


FLAGS: dict[str, str] = {
    "flag-fr": '<rect width="1" height="2" fill="#002654"/><rect x="1" width="1" '
               'height="2" fill="#fff"/>'
               '<rect x="2" width="1" height="2" fill="#ce1126"/>',
    "flag-gb": '<g transform="scale(0.05)"><rect width="60" height="40" fill="#012169"/>'
               '<path d="M0 0L60 40M60 0L0 40" stroke="#fff" stroke-width="8"/>'
               '<path d="M0 0L60 40M60 0L0 40" stroke="#c8102e" stroke-width="3"/>'
               '<path d="M30 0v40M0 20h60" stroke="#fff" stroke-width="12"/>'
               '<path d="M30 0v40M0 20h60" stroke="#c8102e" stroke-width="7"/></g>',
    "flag-es": '<rect width="3" height="2" fill="#aa151b"/><rect y="0.5" width="3" height="1" '
               'fill="#f1bf00"/>',
    "flag-pt": '<rect width="3" height="2" fill="#da291c"/><rect width="1.2" height="2" '
               'fill="#046a38"/>'
               '<circle cx="1.2" cy="1" r="0.45" fill="#ffe900"/>',
    "flag-tr": '<rect width="3" height="2" fill="#e30a17"/><circle cx="1.05" cy="1" '
               'r="0.5" fill="#fff"/>'
               '<circle cx="1.18" cy="1" r="0.4" fill="#e30a17"/><polygon '
               f'points="{_star(1.75, 1, 0.25)}" fill="#fff"/>',
    "flag-ro": '<rect width="1" height="2" fill="#002b7f"/><rect x="1" width="1" height="2" '
               'fill="#fcd116"/>'
               '<rect x="2" width="1" height="2" fill="#ce1126"/>',
}


def badge(code: str, value: str) -> Markup:
    """A language's flag, or its first letter for languages spoken in many countries."""
    if value in FLAGS:
        return Markup(f'<svg class="flag" viewBox="0 0 3 2" aria-hidden="true" focusable="false">'
                      f'{FLAGS[value]}</svg>')
    return Markup('<span class="flag flag-letter" aria-hidden="true" lang="{}">{}</span>').format(
        code, value)
