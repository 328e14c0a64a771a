"""The register of places: each association is created once, with the fields of the national
standard for places of digital mediation ("lieux de médiation numérique": nom, pivot = SIRET or
RNA, adresse, code_postal, commune) and its neighbourhood (QPV name or code)."""

from __future__ import annotations

import re
import unicodedata
import uuid
from dataclasses import dataclass

from . import audit
from .db import Database

_SIRET = re.compile(r"\A\d{14}\Z")
_RNA = re.compile(r"\AW\d{9}\Z")
_POSTCODE = re.compile(r"\A(\d{5})?\Z")
_QPV = re.compile(r"\A(Q[NP]\d{3}[0-9A-Z]{2,4})?\Z")

# (column, French label, longest length); the register's editable fields in display order.
FIELDS = (
    ("name", "Nom de l'association", 200),
    ("pivot", "SIRET ou RNA", 14),
    ("address", "Adresse", 200),
    ("postcode", "Code postal", 5),
    ("commune", "Commune", 100),
    ("neighbourhood", "Quartier (nom du QPV)", 120),
    ("qpv_code", "Code QPV", 8),
)


class PlaceError(ValueError):
    """A field the register refuses; the message is French, for the staff page."""


@dataclass(frozen=True)
class Place:
    id: str
    name: str
    pivot: str
    address: str
    postcode: str
    commune: str
    neighbourhood: str
    qpv_code: str
    created_at: str


def neighbourhood_of(place: Place) -> str:
    """The neighbourhood a place is counted under (places without one are grouped together)."""
    return place.neighbourhood or "Quartier non renseigné"


COLUMNS = "id, name, pivot, address, postcode, commune, neighbourhood, qpv_code, created_at"


def name_key(name: str) -> str:
    """What makes two names the same place: no accents, case, punctuation or extra spaces
    ("Centre social La Bastide" = "Centre Social la Bastide" = "centre-social la bastide")."""
    bare = unicodedata.normalize("NFKD", name)
    bare = "".join(char for char in bare if not unicodedata.combining(char)).casefold()
    return " ".join(re.sub(r"[^\w]+", " ", bare).split())


def clean(fields: dict) -> dict[str, str]:
    """Trimmed, checked fields, or PlaceError."""
    values = {}
    for column, label, longest in FIELDS:
        # Control and format characters (bidi overrides such as U+202E) never reach the register.
        text = "".join(char for char in str(fields.get(column) or "")
                       if not unicodedata.category(char).startswith("C") or char in "\t\n")
        value = " ".join(text.split())
        if len(value) > longest:
            raise PlaceError(f"{label} : {longest} caractères au plus.")
        values[column] = value
    values["pivot"] = values["pivot"].replace(" ", "").upper()
    values["qpv_code"] = values["qpv_code"].upper()
    if not values["name"]:
        raise PlaceError("Indiquez le nom de l'association.")
    if values["pivot"] and not (_SIRET.match(values["pivot"]) or _RNA.match(values["pivot"])):
        raise PlaceError("SIRET (14 chiffres) ou numéro RNA (W suivi de 9 chiffres).")
    if not _POSTCODE.match(values["postcode"]):
        raise PlaceError("Code postal : 5 chiffres.")
    if not _QPV.match(values["qpv_code"]):
        raise PlaceError("Code QPV : par exemple QN03301M.")
    return values


def create_place(db: Database, actor: str, fields: dict) -> Place:
    """Register a place once; the same name (ignoring case and accents) or SIRET/RNA twice is
    refused with the existing place's name."""
    values = clean(fields)
    with db.transaction():
        same = db.one("SELECT name FROM places WHERE name_key = ?"
                      " OR (pivot <> '' AND pivot = ?)", (name_key(values["name"]),
                                                          values["pivot"]))
        if same:
            raise PlaceError(f"Ce lieu est déjà enregistré : « {same[0]} ».")
        place_id = uuid.uuid4().hex[:12]
        db.execute(f"INSERT INTO places ({COLUMNS}, name_key)"
                   " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                   (place_id, *(values[c] for c, _l, _n in FIELDS), audit.now_iso(),
                    name_key(values["name"])))
        audit.record(db, actor, "create_place", place_id, values["name"])
    return get_place(db, place_id)


def update_place(db: Database, actor: str, place_id: str, fields: dict) -> Place:
    values = clean(fields)
    with db.transaction():
        same = db.one("SELECT name FROM places WHERE id <> ? AND (name_key = ?"
                      " OR (pivot <> '' AND pivot = ?))",
                      (place_id, name_key(values["name"]), values["pivot"]))
        if same:
            raise PlaceError(f"Ce lieu est déjà enregistré : « {same[0]} ».")
        changed = db.execute(
            "UPDATE places SET name = ?, pivot = ?, address = ?, postcode = ?, commune = ?,"
            " neighbourhood = ?, qpv_code = ?, name_key = ? WHERE id = ?",
            (*(values[c] for c, _l, _n in FIELDS), name_key(values["name"]), place_id))
        if changed.rowcount != 1:
            raise PlaceError("Ce lieu n'existe pas.")
        audit.record(db, actor, "update_place", place_id, values["name"])
    return get_place(db, place_id)


def get_place(db: Database, place_id: str) -> Place | None:
    row = db.one(f"SELECT {COLUMNS} FROM places WHERE id = ?", (place_id,))
    return Place(*row) if row else None


def find_place(db: Database, id_or_name: str) -> Place | None:
    """By id, else by name (ignoring case and accents)."""
    row = db.one(f"SELECT {COLUMNS} FROM places WHERE id = ? OR name_key = ?",
                 (id_or_name.strip(), name_key(id_or_name)))
    return Place(*row) if row else None


def all_places(db: Database) -> list[Place]:
    return [Place(*row) for row in db.all(f"SELECT {COLUMNS} FROM places ORDER BY name_key")]


def adopt_free_text(db: Database) -> None:
    """Databases made before the register: each distinct association text becomes a place
    (texts that differ only by case or accents become one), and rows point at it."""
    for table in ("terminals", "enrolment_codes", "reports"):
        for (association,) in db.all(f"SELECT DISTINCT association FROM {table}"
                                     " WHERE place_id IS NULL"):
            key = name_key(association) or "sans nom"
            row = db.one("SELECT id FROM places WHERE name_key = ?", (key,))
            if row is None:
                place_id = uuid.uuid4().hex[:12]
                db.execute(f"INSERT INTO places ({COLUMNS}, name_key) VALUES"
                           " (?, ?, '', '', '', '', '', '', ?, ?)",
                           (place_id, association or "sans nom", audit.now_iso(), key))
            else:
                place_id = row[0]
            db.execute(f"UPDATE {table} SET place_id = ? WHERE association = ?"
                       " AND place_id IS NULL", (place_id, association))
