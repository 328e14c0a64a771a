"""Text that reaches residents' screens and headers: bidirectional controls and line breaks out.

An override such as U+202E (RIGHT-TO-LEFT OVERRIDE) makes `relevé` + U+202E + `fdp.exe` display as
`relevéexe.pdf`: a name can lie about what it is. Such controls (embeddings, overrides,
isolates) never belong in a site's name, an association's name or a file name, so they are
removed where these come in. File names also lose the direction marks and every control
character (a line break in a name broke the document's HTTP headers).
"""

from __future__ import annotations

import re
import unicodedata

# LRE RLE PDF LRO RLO, and LRI RLI FSI PDI: they reorder what follows them.
_BIDI_CONTROLS = re.compile("[\u202a-\u202e\u2066-\u2069]")
# LRM RLM ALM: marks only nudge neutral characters; kept in text, dropped from file names.
_BIDI_MARKS = re.compile("[\u200e\u200f\u061c]")


def neutralise_bidi(text: str) -> str:
    """The text without embedding, override or isolate controls (the visible text is kept)."""
    return _BIDI_CONTROLS.sub("", text)


def has_bidi_controls(text: str) -> bool:
    return bool(_BIDI_CONTROLS.search(text))


def safe_file_name(name: str) -> str:
    """A file name that shows what it is: no bidi control or mark, no control character (line
    breaks, tabs... become a space), no blank run; the characters a resident reads stay."""
    name = _BIDI_MARKS.sub("", neutralise_bidi(name))
    name = "".join(" " if unicodedata.category(ch) in ("Cc", "Zl", "Zp") else ch for ch in name)
    return " ".join(name.split())
