"""What the session toolbar shows: plain data pushed into the injected script."""

from __future__ import annotations

from dataclasses import asdict, dataclass, replace

from . import kiosk_texts

ZOOM_STEPS = (1.0, 1.15, 1.3, 1.5, 1.75, 2.0)
BAR_HEIGHT = 56


def time_left_label(seconds: int | None) -> str:
    """French label for the remaining time, rounded up to the minute under an hour."""
    if seconds is None:
        return ""
    if seconds < 60:
        return "Moins d'une minute"
    minutes = (seconds + 59) // 60
    if minutes < 60:
        return f"Temps restant : {minutes} min"
    return f"Temps restant : {minutes // 60} h {minutes % 60:02d}"


@dataclass(frozen=True)
class ToolbarState:
    """Everything the toolbar and its overlays display."""

    time_left: int | None = None
    warning_kind: str | None = None
    warning_until: float = 0.0  # wall-clock end of the countdown, so a reload keeps it
    zoom_index: int = 0
    printing: bool = True  # the mediator's setting: no "Imprimer" button when off
    # The portal's origin: its pages have their own navigation, so the bar hides there (the
    # countdown overlays still show).
    internal_origin: str = ""
    language: str = "fr"  # the resident's, read from the portal's pages
    reading: bool = False  # read-aloud mode, from "Écouter" to "Arrêter" (tiles speak on focus)
    keyboard: bool = False  # the on-screen keyboard is open (closed for every new resident)

    @property
    def zoom(self) -> float:
        return ZOOM_STEPS[self.zoom_index]

    def bigger(self) -> ToolbarState:
        return replace(self, zoom_index=min(self.zoom_index + 1, len(ZOOM_STEPS) - 1))

    def smaller(self) -> ToolbarState:
        return replace(self, zoom_index=max(self.zoom_index - 1, 0))

    def for_script(self) -> dict:
        data = asdict(self)
        data["time_label"] = time_left_label(self.time_left)
        data["bar_height"] = BAR_HEIGHT
        data["zoom"] = self.zoom
        data["texts"] = kiosk_texts.texts(self.language)
        data["rtl"] = self.language in kiosk_texts.RTL
        return data
