"""The monthly indicators table: one row per terminal and month, as CSV, XLSX or signed JSON."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

from core.atomic import atomic_write
from core.counters import SMALL_COUNT_THRESHOLD, month_range, report_figures
from core.spreadsheets import TABLE_FORMATS, columns, table_file
from kiosk.counters import CounterStore
from kiosk.identity import terminal_id

SCHEMA_VERSION = 1
VERSION_NAME = "report.version"

# -- figures -------------------------------------------------------------------------------

def figures_for(store: CounterStore, month: str) -> dict:
    """The month's totals as plain JSON data with stable, enumerated keys."""
    return report_figures(store.month_totals(month))


def table_row(association: str, terminal_id: str, month: str, figures: dict,
              threshold: int | None = None) -> dict:
    """One spreadsheet row: who, when, then the figures; with a threshold, the profile and
    outcome counts below it are shown as "< threshold" (core.counters.suppressed)."""
    return {"Association": association, "Borne": terminal_id, "Mois": month,
            **columns(figures, threshold if threshold is not None else SMALL_COUNT_THRESHOLD)}


def small_count_threshold(state: Path) -> int:
    """The `small_count_threshold` setting (3 when the settings cannot be read)."""
    from core.config import BY_NAME, Config, SettingError

    try:
        return Config.load(Path(state))["small_count_threshold"]
    except SettingError:
        return BY_NAME["small_count_threshold"].default


# -- terminal identity and signed JSON ------------------------------------------------------

def next_version(state: Path) -> int:
    """A report version that only grows: milliseconds now, or one more than the last one."""
    path = Path(state) / VERSION_NAME
    try:
        last = int(path.read_text().strip())
    except (OSError, ValueError):
        last = 0
    version = max(last + 1, int(datetime.now(UTC).timestamp() * 1000))
    atomic_write(path, str(version).encode())
    return version


def association_name(state: Path) -> str:
    """The association name from the terminal settings (`association_name` in config.toml)."""
    from core.config import Config, SettingError

    try:
        return Config.load(Path(state))["association_name"]
    except SettingError:
        return ""


def build_report(state: Path, store: CounterStore, month: str,
                 association: str | None = None) -> dict:
    """The month's report for this terminal, before signing."""
    month_range(month)
    return {
        "schema_version": SCHEMA_VERSION,
        "association": association if association is not None else association_name(state),
        "terminal_id": terminal_id(state),
        "month": month,
        "version": next_version(state),
        "generated_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "figures": figures_for(store, month),
    }


def signed_report(state: Path, store: CounterStore, month: str,
                  association: str | None = None) -> dict:
    """Signed by whoever holds the terminal key: the secrets service on an installed terminal."""
    from kiosk.keeper_service import keeper_for

    return keeper_for(state).sign_report(build_report(state, store, month, association))


def export_bytes(state: Path, store: CounterStore, month: str, fmt: str,
                 association: str | None = None) -> bytes:
    """The month's export in one of: csv (`;`), csv-comma, xlsx, ods, json (signed)."""
    if fmt == "json":
        envelope = signed_report(state, store, month, association)
        return (json.dumps(envelope, ensure_ascii=False, indent=1) + "\n").encode()
    if fmt not in TABLE_FORMATS:
        raise ValueError(f"unknown export format {fmt!r} (csv, csv-comma, xlsx, ods, json)")
    name = association if association is not None else association_name(state)
    return table_file([table_row(name, terminal_id(state), month, figures_for(store, month),
                                 small_count_threshold(state))], fmt)
