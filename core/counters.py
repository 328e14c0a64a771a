"""The counters' schema, shared by the terminal (counting, exports) and the funder's hub
(validating and summing reports): every metric, every enumerated key, the bands and the
small-count rule. Only enumerated values exist here: nothing that could carry a URL, a name or
free text. The SQLite store that counts events on a terminal is `kiosk.counters`.
"""

from __future__ import annotations

import bisect
import re
from datetime import date, datetime, timedelta

from core.events import END_REASONS, NO_ANSWER, QUESTIONS

RETENTION_MONTHS = 25
OTHER = "other"

# Thematic keys from the French digital mediation standard (docs/data-standards.md).
THEMATICS = (
    "papiers_elections_citoyennete", "famille_scolarite", "social_sante", "travail_formation",
    "logement", "transports_mobilite", "argent_impots", "justice", "etrangers_europe",
    "loisirs_sports_culture", "associations", "sante", "insertion_professionnelle", "email",
    "navigation_sur_internet", "securite_numerique", "aide_aux_demarches_administratives",
)
# "unknown": a session ended after a crash, whose start this process never saw; with it the
# bands add up to the sessions ended.
DURATION_BANDS = ("lt10", "10_30", "30_60", "gt60", "unknown")
HOUR_BANDS = ("before_9", "9_12", "12_14", "14_17", "after_17")
DOWNLOAD_OUTCOMES = ("accepted", "refused")
PRINT_OUTCOMES = ("sent", "no_printer", "failed")
# Languages a resident may pick on a French terminal; anything else is counted as "other".
LANGUAGES = (
    "fr", "en", "ar", "es", "pt", "it", "de", "tr", "ru", "uk", "ro", "pl", "bg", "zh", "vi",
    "fa", "ps", "ku", "hy", "ka", "sq", "sr", "so", "sw", "wo", "bm", "ff", "ln", "ta", "ber",
)

# Metric names as stored; every key stored under them is one of the enumerations above,
# a catalogue id, or a validated host name (blocked hosts, kept on the terminal only).
METRICS = (
    "sessions_started", "sessions_ended", "duration", "start_hour", "tile_site", "tile_thematic",
    "navigation_refused", "download", "print", "language", "help_requested",
    "accompanied_unlock", "blocked_host", "site_unreachable", "help_outcome", "autonomy",
    "read_aloud", "keyboard",
    *(f"answer_{question}" for question in QUESTIONS),
)
# Autonomy without a question: a session is "accompanied" when a mediator unlocked a site for it
# or acknowledged its help request, else "alone"; "unknown" when this process never saw its start.
AUTONOMY = ("alone", "accompanied", "unknown")
# The figures (export, hub) of the end questions: metric -> its keys, "no answer" last.
ANSWER_FIGURES: dict[str, tuple[str, ...]] = {
    f"answer_{question}": (*values, NO_ANSWER) for question, values in QUESTIONS.items()}
# Profile and outcome figures whose small counts are shown as "< threshold" (see suppressed).
SMALL_COUNT_FIGURES = ("autonomy", *ANSWER_FIGURES)
SMALL_COUNT_THRESHOLD = 3  # the default; terminals have the `small_count_threshold` setting


# A monthly report's figures: name -> allowed keys. None: a single count; a tuple: enumerated
# keys, every one sent (0 included) unless the figure is sparse; a pattern: free but
# constrained keys (catalogue site ids). The terminal builds reports from this, the hub checks
# them against it.
SITE_ID = re.compile(r"^[a-z0-9_-]{1,64}$")
REPORT_FIGURES: dict[str, tuple[str, ...] | re.Pattern | None] = {
    "sessions_started": None,
    "sessions_ended": END_REASONS,
    "duration": DURATION_BANDS,
    "start_hour": HOUR_BANDS,
    "tile_thematic": THEMATICS + (OTHER,),
    "tile_site": SITE_ID,
    "navigation_refused": None,
    "download": DOWNLOAD_OUTCOMES,
    "print": PRINT_OUTCOMES,
    "language": LANGUAGES + (OTHER,),
    "help_requested": None,
    "accompanied_unlock": None,
}
# Figures terminals send since the end questions (#17), read aloud (#16, "read_aloud": the
# sessions that pressed Écouter) and the on-screen keyboard (#16, "keyboard": the sessions that
# opened it); older terminals' reports lack them.
OPTIONAL_REPORT_FIGURES: dict[str, tuple[str, ...] | None] = {
    "autonomy": AUTONOMY, **ANSWER_FIGURES, "read_aloud": None, "keyboard": None}
SPARSE_FIGURES = ("tile_site", "language")  # only the keys that were counted are sent
MAX_COUNT = 10**9

_HOST_LABEL = re.compile(r"^(?!-)[a-z0-9-]{1,63}(?<!-)$")
_LONG_NUMBER = re.compile(r"\d{5,}")


def duration_band(seconds: float) -> str:
    """The duration band of a session of this length."""
    return _band(seconds / 60, (10, 30, 60), DURATION_BANDS)


def hour_band(hour: int) -> str:
    """The hour-of-day band a session start falls in."""
    return _band(hour, (9, 12, 14, 17), HOUR_BANDS)


def _band(value: float, limits: tuple[int, ...], bands: tuple[str, ...]) -> str:
    """bands[i] for the first limit `value` is under; the last band past every limit."""
    return bands[bisect.bisect_right(limits, value)]


def language_key(tag: str) -> str:
    """The primary language of a tag (`fr-FR` -> `fr`) when it is a listed one, else "other"."""
    primary = tag.split("-")[0].split("_")[0].lower()
    return primary if primary in LANGUAGES else OTHER


def clean_host(value: str | None) -> str | None:
    """A bare DNS host name, or None: no scheme, port, path, IP literal or long number."""
    if not value or len(value) > 100:
        return None
    host = value.strip().lower().rstrip(".")
    labels = host.split(".")
    if len(labels) < 2 or not all(_HOST_LABEL.match(label) for label in labels):
        return None
    if labels[-1].isdigit() or _LONG_NUMBER.search(host):
        return None  # IPv4 literal, or a label long enough to carry an identifier
    return host


def suppressed(count: int, threshold: int) -> int | str:
    """A profile or outcome count as published: from 1 to threshold - 1 it reads "< threshold"
    (in a small association, "1 person aged 60+ who could not do it" can point at someone);
    0 and counts at or above the threshold are shown as they are."""
    return f"< {threshold}" if 1 <= count < threshold else count


def months_back(day: date, months: int) -> date:
    """The same day `months` months earlier (clamped to the month's last day)."""
    index = day.year * 12 + day.month - 1 - months
    year, month = divmod(index, 12)
    month += 1
    last = (date(year + (month == 12), month % 12 + 1, 1) - timedelta(days=1)).day
    return date(year, month, min(day.day, last))


def retention_cutoff(today: date) -> date:
    """The first day still kept: anything before it is older than 25 months."""
    return months_back(today, RETENTION_MONTHS)


def month_range(month: str) -> tuple[date, date]:
    """First day of `YYYY-MM` and first day of the next month; ValueError when malformed."""
    if not re.fullmatch(r"\d{4}-\d{2}", month or ""):
        raise ValueError(f"month must look like 2026-03, not {month!r}")
    start = datetime.strptime(month, "%Y-%m").date()
    end = date(start.year + (start.month == 12), start.month % 12 + 1, 1)
    return start, end


def _count(value: object, where: str) -> int:
    if type(value) is not int or not 0 <= value < MAX_COUNT:
        raise ValueError(f"{where} must be a whole number >= 0")
    return value


def check_figures(figures: object) -> None:
    """Only the known figures, each a count or a map of allowed keys to counts; ValueError
    (with a message for the sender) otherwise."""
    if not isinstance(figures, dict) or not (
            set(REPORT_FIGURES) <= set(figures)
            <= set(REPORT_FIGURES) | set(OPTIONAL_REPORT_FIGURES)):
        raise ValueError(f"figures must have exactly: {', '.join(REPORT_FIGURES)}"
                         f" (and may have: {', '.join(OPTIONAL_REPORT_FIGURES)})")
    for name, allowed in (REPORT_FIGURES | OPTIONAL_REPORT_FIGURES).items():
        if name not in figures:
            continue
        value = figures[name]
        if allowed is None:
            _count(value, name)
            continue
        if not isinstance(value, dict):
            raise ValueError(f"{name} must be an object")
        for key, count in value.items():
            ok = allowed.match(key) if isinstance(allowed, re.Pattern) else key in allowed
            if not ok:
                raise ValueError(f"{name} has an unknown key")
            _count(count, f"{name}.{key}")


def report_figures(totals: dict[tuple[str, str], int]) -> dict:
    """A month's report figures from its (metric, key) -> count totals."""
    figures: dict = {}
    for metric, keys in (REPORT_FIGURES | OPTIONAL_REPORT_FIGURES).items():
        if keys is None:
            figures[metric] = sum(n for (m, _k), n in totals.items() if m == metric)
        elif metric in SPARSE_FIGURES:
            figures[metric] = {k: n for (m, k), n in sorted(totals.items()) if m == metric}
        else:
            figures[metric] = {key: totals.get((metric, key), 0) for key in keys}
    return figures
