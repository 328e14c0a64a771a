"""The indicators table as files that stack month after month: one fixed column order, French
names, a definitions sheet and a totals row (XLSX, ODS), the header even for an empty month."""

from __future__ import annotations

import csv
import functools
import io
import logging
import zipfile
from collections.abc import Callable
from html import escape as _html_escape

from core.counters import (
    LANGUAGES,
    OTHER,
    SMALL_COUNT_FIGURES,
    SMALL_COUNT_THRESHOLD,
    THEMATICS,
    suppressed,
)
from core.vocabulary import (
    ANSWER_LABELS,
    ANSWER_PREFIXES,
    AUTONOMY_LABELS,
    AUTONOMY_PREFIX,
    DEFINITIONS,
    DOWNLOAD_LABELS,
    DURATION_LABELS,
    DURATION_PREFIX,
    END_LABELS,
    END_PREFIX,
    HOUR_LABELS,
    HOUR_PREFIX,
    LANGUAGE_PREFIX,
    PRINT_LABELS,
    SITE_PREFIX,
    THEMATIC_LABELS,
    THEMATIC_PREFIX,
    TOTAL_LABELS,
    language_label,
)


def escape(text: str) -> str:
    """&, < and > as XML entities, as xml.sax.saxutils.escape does; not imported from there
    because it pulls in urllib.request (http.client, email, ssl), ~50 ms of CPU on every start
    of `python -m kiosk`, the launcher's included (kiosk/__init__ imports this module)."""
    return _html_escape(text, quote=False)


log = logging.getLogger(__name__)

# Languages the resident pages are translated into: always a column, even at zero.
UI_LANGUAGES = ("fr", "en", "ar")
FIRST_FIGURE = TOTAL_LABELS["sessions_started"]


# Where the sites' French names come from. core cannot read a policy (policies stands above
# it); the floor that wires things together (kiosk) hands in the shipped catalogue. Without
# one, site columns keep their ids.
CatalogueNames = tuple[dict[str, str], tuple[str, ...]]
_catalogue_source: Callable[[], CatalogueNames] | None = None


def use_catalogue(source: Callable[[], CatalogueNames] | None) -> None:
    """Name sites from `source`: () -> (site id -> French name, thematics the catalogue uses)."""
    global _catalogue_source
    _catalogue_source = source
    catalogue.cache_clear()


@functools.lru_cache(maxsize=1)
def catalogue() -> CatalogueNames:
    """(site id -> French name, thematics used) of the catalogue given to use_catalogue()."""
    if _catalogue_source is None:
        return {}, tuple(THEMATICS)
    try:
        return _catalogue_source()
    except Exception as exc:  # the names are a nicety: raw ids are still right
        log.warning("exports: the default catalogue did not load (%s); site columns keep "
                    "their ids", type(exc).__name__)
        return {}, tuple(THEMATICS)


def site_label(site: str) -> str:
    if site == OTHER:
        return "Autre site (hors catalogue)"
    return catalogue()[0].get(site, site)


def columns(figures: dict, threshold: int = SMALL_COUNT_THRESHOLD) -> dict[str, int | str]:
    """French column name -> value for one report's figures (every thematic, the sites and
    languages it has); `figure_header` decides which columns a file shows, in which order.
    Profile and outcome counts (autonomy, end answers) from 1 to threshold - 1 read
    "< threshold": the terminal's export and the hub's tables (after summing) publish them so."""
    figures = {name: ({key: suppressed(n, threshold) if isinstance(n, int) else n
                       for key, n in value.items()} if name in SMALL_COUNT_FIGURES else value)
               for name, value in figures.items()}
    row: dict[str, int | str] = {FIRST_FIGURE: figures.get("sessions_started", 0)}
    for reason, label in END_LABELS.items():
        row[f"{END_PREFIX} : {label}"] = figures.get("sessions_ended", {}).get(reason, 0)
    for band, label in DURATION_LABELS.items():
        row[f"{DURATION_PREFIX} : {label}"] = figures.get("duration", {}).get(band, 0)
    for band, label in HOUR_LABELS.items():
        row[f"{HOUR_PREFIX} : {label}"] = figures.get("start_hour", {}).get(band, 0)
    for key, label in THEMATIC_LABELS.items():
        row[f"{THEMATIC_PREFIX} : {label}"] = figures.get("tile_thematic", {}).get(key, 0)
    row[TOTAL_LABELS["navigation_refused"]] = figures.get("navigation_refused", 0)
    for outcome, label in DOWNLOAD_LABELS.items():
        row[label] = figures.get("download", {}).get(outcome, 0)
    for outcome, label in PRINT_LABELS.items():
        row[label] = figures.get("print", {}).get(outcome, 0)
    row[TOTAL_LABELS["help_requested"]] = figures.get("help_requested", 0)
    row[TOTAL_LABELS["accompanied_unlock"]] = figures.get("accompanied_unlock", 0)
    row[TOTAL_LABELS["read_aloud"]] = figures.get("read_aloud", 0)
    row[TOTAL_LABELS["keyboard"]] = figures.get("keyboard", 0)
    for key, label in AUTONOMY_LABELS.items():
        row[f"{AUTONOMY_PREFIX} : {label}"] = figures.get("autonomy", {}).get(key, 0)
    for metric, labels in ANSWER_LABELS.items():
        for key, label in labels.items():
            row[f"{ANSWER_PREFIXES[metric]} : {label}"] = figures.get(metric, {}).get(key, 0)
    for site, count in figures.get("tile_site", {}).items():
        row[f"{SITE_PREFIX} : {site_label(site)}"] = count
    for code, count in figures.get("language", {}).items():
        row[f"{LANGUAGE_PREFIX} : {language_label(code)}"] = count
    return row


def figure_header(rows: list[dict]) -> list[str]:
    """The figure columns in their fixed order: the enumerated figures, the thematics the
    catalogue uses (others only if a report counted them), every catalogue site by French name,
    the resident languages, then any other site or language a report had."""
    names, used = catalogue()
    seen = {name for row in rows for name, value in row.items() if value}
    fixed = []
    for name in columns({}):
        if name.startswith(f"{THEMATIC_PREFIX} : "):
            key = next(k for k, label in THEMATIC_LABELS.items()
                       if name == f"{THEMATIC_PREFIX} : {label}")
            if key not in used and key != OTHER and name not in seen:
                continue
        fixed.append(name)
    sites = [f"{SITE_PREFIX} : {name}" for name in sorted(names.values(), key=str.casefold)]
    sites.append(f"{SITE_PREFIX} : {site_label(OTHER)}")
    languages = [f"{LANGUAGE_PREFIX} : {language_label(code)}"
                 for code in (*UI_LANGUAGES, *(c for c in LANGUAGES if c not in UI_LANGUAGES),
                              OTHER)]
    extra_sites = sorted({name for row in rows for name in row
                          if name.startswith(f"{SITE_PREFIX} : ") and name not in sites})
    present_languages = [name for name in languages[len(UI_LANGUAGES):]
                         if any(name in row for row in rows)]
    return [*fixed, *sites, *extra_sites, *languages[:len(UI_LANGUAGES)], *present_languages]


def header_of(rows: list[dict], identity: list[str] | None = None) -> list[str]:
    """Identity columns (who, when: those before the first figure), then the figures."""
    if identity is None:
        identity = []
        for row in rows:
            for name in row:
                if name == FIRST_FIGURE:
                    break
                if name not in identity:
                    identity.append(name)
    return [*identity, *figure_header(rows)]


def filled(rows: list[dict], header: list[str]) -> list[list[object]]:
    """Cells in header order: a figure a report did not have is 0, but a row without any
    report (a missing one) keeps empty cells: missing is not zero."""
    table = []
    for row in rows:
        has_figures = FIRST_FIGURE in row
        table.append([safe_cell(row.get(name, 0 if has_figures and _is_figure(name, header)
                                                else "")) for name in header])
    return table


def _is_figure(name: str, header: list[str]) -> bool:
    return header.index(name) >= header.index(FIRST_FIGURE) if FIRST_FIGURE in header else False


def totals_row(table: list[list[object]], header: list[str]) -> list[object]:
    """"Total" then the sum of each column of numbers (text columns left empty)."""
    row: list[object] = ["Total"]
    for index in range(1, len(header)):
        values = [cells[index] for cells in table if cells[index] != ""]
        numbers = all(isinstance(value, int) for value in values)
        row.append(sum(values) if numbers and values else "")
    return row


def safe_cell(value: object) -> object:
    """Text that a spreadsheet would run as a formula is quoted (CSV/formula injection)."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value


def to_csv(rows: list[dict], separator: str = ";", identity: list[str] | None = None) -> bytes:
    """UTF-8 with a BOM so Excel and LibreOffice detect the encoding; `;` for French locales.
    Data rows only (no totals): CSV files of successive months stack."""
    header = header_of(rows, identity)
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=separator, lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows(filled(rows, header))
    return b"\xef\xbb\xbf" + buffer.getvalue().encode("utf-8")


def _sheets(rows: list[dict], identity: list[str] | None) -> list[tuple[str, list[list]]]:
    header = header_of(rows, identity)
    table = filled(rows, header)
    data = [header, *table]
    if table:
        data.append(totals_row(table, header))
    return [("Indicateurs", data),
            ("Définitions", [["Colonne", "Ce qu'elle compte"], *map(list, DEFINITIONS)])]


def to_xlsx(rows: list[dict], identity: list[str] | None = None) -> bytes:
    """An Excel workbook: the table (header in bold, totals row last) and its definitions."""
    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    book = Workbook()
    book.remove(book.active)
    for title, data in _sheets(rows, identity):
        sheet = book.create_sheet(title)
        for line in data:
            sheet.append(line)
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        if title == "Indicateurs" and len(data) > 2:
            for cell in sheet[len(data)]:
                cell.font = Font(bold=True)
        for index, name in enumerate(data[0], start=1):
            width = 90 if title == "Définitions" and index == 2 else len(str(name)) + 2
            sheet.column_dimensions[get_column_letter(index)].width = max(10, min(90, width))
        sheet.freeze_panes = "B2"
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


_ODS_MANIFEST = """<?xml version="1.0" encoding="UTF-8"?>
<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" \
manifest:version="1.2">
 <manifest:file-entry manifest:full-path="/" manifest:version="1.2" \
manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/>
 <manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>
</manifest:manifest>
"""


def _ods_cell(value: object) -> str:
    if isinstance(value, int) and not isinstance(value, bool):
        return (f'<table:table-cell office:value-type="float" office:value="{value}">'
                f"<text:p>{value}</text:p></table:table-cell>")
    if value in ("", None):
        return "<table:table-cell/>"
    text = "".join(char for char in str(value) if char >= " " or char == "\t")  # valid XML
    return (f'<table:table-cell office:value-type="string"><text:p>{escape(text)}'
            "</text:p></table:table-cell>")


def to_ods(rows: list[dict], identity: list[str] | None = None) -> bytes:
    """An OpenDocument spreadsheet (LibreOffice's own format) with the same two sheets."""
    tables = []
    for title, data in _sheets(rows, identity):
        lines = "".join("<table:table-row>" + "".join(map(_ods_cell, line)) + "</table:table-row>"
                        for line in data)
        tables.append(f'<table:table table:name="{escape(title)}">{lines}</table:table>')
    content = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"'
        ' xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0"'
        ' xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2">'
        f'<office:body><office:spreadsheet>{"".join(tables)}</office:spreadsheet></office:body>'
        "</office:document-content>")
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        # The mimetype entry comes first and uncompressed, as the format requires.
        archive.writestr(zipfile.ZipInfo("mimetype"),
                         "application/vnd.oasis.opendocument.spreadsheet",
                         compress_type=zipfile.ZIP_STORED)
        archive.writestr("META-INF/manifest.xml", _ODS_MANIFEST,
                         compress_type=zipfile.ZIP_DEFLATED)
        archive.writestr("content.xml", content, compress_type=zipfile.ZIP_DEFLATED)
    return buffer.getvalue()


TABLE_FORMATS = ("csv", "csv-comma", "xlsx", "ods")


def table_file(rows: list[dict], fmt: str, identity: list[str] | None = None) -> bytes:
    """The table in one of TABLE_FORMATS: csv (`;`), csv-comma (`,`), xlsx or ods."""
    if fmt == "csv":
        return to_csv(rows, ";", identity)
    if fmt == "csv-comma":
        return to_csv(rows, ",", identity)
    if fmt == "xlsx":
        return to_xlsx(rows, identity)
    if fmt == "ods":
        return to_ods(rows, identity)
    raise ValueError(f"unknown table format {fmt!r} ({', '.join(TABLE_FORMATS)})")
