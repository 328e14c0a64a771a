"""Small server-rendered SVG bar charts; each page shows the same numbers in a table beside it."""

from __future__ import annotations

from markupsafe import Markup, escape

BAR_HEIGHT, GAP, LABEL_WIDTH, WIDTH = 22, 6, 330, 720


def bar_chart(chart_id: str, title: str, items: list[tuple[str, int | None]]) -> Markup:
    """Horizontal bars, labelled; described by its title for screen readers. A value of None
    (no report) draws no bar and says so: it is not a zero."""
    top = max((value or 0 for _label, value in items), default=0) or 1
    height = len(items) * (BAR_HEIGHT + GAP) + GAP
    # No fixed width: the viewBox scales the chart down to a phone's width (CSS max-width).
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" role="img" class="chart-svg" '
             f'viewBox="0 0 {WIDTH} {height}" '
             f'aria-labelledby="{chart_id}-title"><title id="{chart_id}-title">{escape(title)}'
             f'</title>']
    for index, (label, value) in enumerate(items):
        y = GAP + index * (BAR_HEIGHT + GAP)
        if value is None:
            parts.append(
                f'<text x="{LABEL_WIDTH - 8}" y="{y + 16}" text-anchor="end" font-size="13">'
                f'{escape(label)}</text><text x="{LABEL_WIDTH}" y="{y + 16}" font-size="13" '
                f'font-style="italic">aucun rapport</text>')
            continue
        width = round((WIDTH - LABEL_WIDTH - 60) * value / top)
        parts.append(
            f'<text x="{LABEL_WIDTH - 8}" y="{y + 16}" text-anchor="end" font-size="13">'
            f'{escape(label)}</text><rect x="{LABEL_WIDTH}" y="{y}" width="{width}" '
            f'height="{BAR_HEIGHT}" fill="#1d4e89"/><text x="{LABEL_WIDTH + width + 6}" '
            f'y="{y + 16}" font-size="13">{value}</text>')
    parts.append("</svg>")
    return Markup("".join(parts))
