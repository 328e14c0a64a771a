"""No resident data reaches the disk outside session/, the exports or the logs.

The events are those a launcher would emit while a resident visits pages whose URLs and contents
carry a social security number and a name; a careless launcher or a hostile page could slip them
into any field, so every field of every kind carries them here.
"""

from __future__ import annotations

import io
import logging
import zipfile
from datetime import datetime
from pathlib import Path

from click.testing import CliRunner

from core.events import KINDS, Event
from kiosk.cli import cli

NIR = "1 85 05 33 063 042 17"
NAME = "Josiane Dupontel"
URL = f"https://www.caf.fr/suivi?nir={NIR.replace(' ', '')}&nom={NAME.replace(' ', '+')}"
NEEDLES = [NIR, NIR.replace(" ", ""), "Dupontel", "dupontel", "DUPONTEL", "Josiane", "josiane"]


def hostile_events() -> list[Event]:
    """Every kind, with resident data in each field a careless implementation might keep."""
    values = [None, URL, NIR, NAME, f"{NIR.replace(' ', '')}.caf.fr", "dupontel.caf.fr",
              f"/home/kiosk/session/downloads/{NAME}.pdf"]
    events = []
    for kind in sorted(KINDS):
        for site in (None, "caf", URL, NAME):
            for detail in values:
                events.append(Event(kind, site_id=site, detail=detail))
    return events


def files_under(root: Path, exclude: Path | None = None) -> list[Path]:
    return [p for p in root.rglob("*") if p.is_file()
            and (exclude is None or exclude not in p.parents)]


def contents(path: Path) -> list[bytes]:
    """The file's bytes, plus each member's when it is a zip (xlsx)."""
    data = path.read_bytes()
    blobs = [data]
    if data[:2] == b"PK":
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            blobs += [archive.read(name) for name in archive.namelist()]
    return blobs


def leaks(paths: list[Path]) -> list[str]:
    found = []
    for path in paths:
        for blob in contents(path):
            for needle in NEEDLES:
                for encoded in (needle.encode("utf-8"), needle.encode("utf-16-le")):
                    if encoded in blob:
                        found.append(f"{path.name}: {needle}")
    return found


def test_resident_data_is_never_stored_exported_or_logged(state, store, tmp_path, caplog):
    log_file = tmp_path / "logs" / "kiosk.log"
    log_file.parent.mkdir()
    handler = logging.FileHandler(log_file)
    logging.getLogger().addHandler(handler)
    try:
        with caplog.at_level(logging.DEBUG):
            (state / "session" / "profile.txt").write_text(f"{URL} {NAME}")  # where it may live
            day = datetime(2026, 3, 10, 10)
            store.record(Event("session_started"), when=day)
            for event in hostile_events():
                store.record(event, when=day)
            store.close()  # a failing store must not log the event either
            store.record(Event("tile_opened", site_id=URL, detail=NAME), when=day)
            exports = tmp_path / "exports"
            exports.mkdir()
            for fmt in ("csv", "csv-comma", "xlsx", "json"):
                result = CliRunner().invoke(cli, [
                    "stats", "export", "--month", "2026-03", "--format", fmt,
                    "--state-dir", str(state), "--out", str(exports / f"export.{fmt}")])
                assert result.exit_code == 0, result.output
                assert not [n for n in NEEDLES if n in result.output]
            pushed = CliRunner().invoke(cli, ["stats", "push", "--hub", "http://127.0.0.1:9",
                                              "--month", "2026-03", "--state-dir", str(state)])
            assert pushed.exit_code == 1  # nobody listens: the report waits in the outbox
    finally:
        logging.getLogger().removeHandler(handler)
        handler.close()
    log_copy = tmp_path / "logs" / "caplog.txt"
    log_copy.write_text(caplog.text)
    assert "could not record" in caplog.text  # the logs were really written
    assert leaks([state / "session" / "profile.txt"])  # the search does find them
    checked = files_under(state, exclude=state / "session") + files_under(exports) \
        + files_under(log_file.parent)
    assert any(p.name == "counters.sqlite3" for p in checked)
    assert any(p.parent.name == "outbox" and p.suffix == ".json" for p in checked)
    assert leaks(checked) == []


def test_stored_values_are_only_enumerated_ones(state, store):
    import sqlite3

    from core.counters import (
        AUTONOMY,
        DOWNLOAD_OUTCOMES,
        DURATION_BANDS,
        HOUR_BANDS,
        LANGUAGES,
        METRICS,
        OTHER,
        PRINT_OUTCOMES,
        THEMATICS,
    )
    from core.events import END_REASONS, HELP_OUTCOMES, NO_ANSWER, QUESTIONS

    day = datetime(2026, 3, 10, 10)
    store.record(Event("session_started"), when=day)
    for event in hostile_events():
        store.record(event, when=day)
    for question, values in QUESTIONS.items():  # the answers, genuine ones included
        for value in values:
            store.record(Event("answer", detail=f"{question}:{value}"), when=day)
    store.record(Event("session_ended", detail="user"), when=day)
    allowed = {"", OTHER, *END_REASONS, *DURATION_BANDS, *HOUR_BANDS, *THEMATICS,
               *DOWNLOAD_OUTCOMES, *PRINT_OUTCOMES, *LANGUAGES, *(s.id for s in store_sites(state)),
               *AUTONOMY, *(v for values in QUESTIONS.values() for v in values), NO_ANSWER,
               *HELP_OUTCOMES}
    with sqlite3.connect(state / "counters.sqlite3") as db:
        rows = db.execute("SELECT metric, key FROM daily WHERE metric != 'blocked_host'").fetchall()
        hosts = db.execute("SELECT key FROM daily WHERE metric = 'blocked_host'").fetchall()
    assert rows and {metric for metric, _ in rows} <= set(METRICS)
    assert {key for _, key in rows} <= allowed
    assert hosts == []  # none of the hostile "hosts" was a plain host name without a long number
    # No cross-linking: each answer row holds one enumerated answer of one question, never two.
    answers = [(metric, key) for metric, key in rows if metric.startswith("answer_")]
    assert sorted(answers) == sorted((f"answer_{q}", v) for q, values in QUESTIONS.items()
                                     for v in values)


def store_sites(state: Path):
    from policies import load_policy
    return load_policy(state / "policy.toml").sites
