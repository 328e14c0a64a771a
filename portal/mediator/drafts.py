"""The catalogue as an editable document: plain dicts in, validated TOML bytes out.

Every edit builds a whole new document and runs it through the policy engine's own parser, so the
editor can never save something the launcher would refuse.
"""

from __future__ import annotations

import copy
import json
import re
import tomllib
import unicodedata
from typing import Any

from core.text import neutralise_bidi
from policies import (
    HostPatternError,
    Policy,
    PolicyError,
    PolicyIssue,
    check_breadth,
    parse_host_pattern,
    parse_policy,
)

from .french import host_error_text, issue_text
from .i18n import _m

SITE_FIELDS = ("id", "name", "category", "url", "hosts", "description", "icon", "keywords")
CATEGORY_FIELDS = ("id", "label", "icon")
SESSION_FIELDS = ("idle_minutes", "warning_seconds", "max_minutes", "strict_resources")
MAX_LINES = 50
Errors = dict[str, list[str]]


def from_policy(policy: Policy) -> dict[str, Any]:
    """A loaded Policy as a document (used when the state dir has no policy.toml yet)."""
    s = policy.session
    return {
        "version": 1,
        "session": {"idle_minutes": s.idle_minutes, "warning_seconds": s.warning_seconds,
                    "max_minutes": s.max_minutes, "strict_resources": s.strict_resources},
        "category": [_drop_empty({"id": c.id, "label": c.label, "icon": c.icon})
                     for c in policy.categories],
        "site": [_drop_empty({"id": x.id, "name": x.name, "category": x.category, "url": x.url,
                              "hosts": [h.text for h in x.hosts], "description": x.description,
                              "icon": x.icon, "keywords": list(x.keywords)}) for x in policy.sites],
        "shared": [{"id": x.id, "name": x.name, "hosts": [h.text for h in x.hosts]}
                   for x in policy.shared],
    }


def from_bytes(data: bytes) -> dict[str, Any]:
    return tomllib.loads(data.decode("utf-8"))


def _drop_empty(table: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in table.items() if v not in ("", [], ())}


# ---------------------------------------------------------------------------------- TOML out
def to_toml(doc: dict[str, Any]) -> str:
    """A readable TOML file: one table per category, site and shared service."""
    lines = ["# Catalogue de la borne, écrit par l'espace médiateur.",
             f"version = {_value(doc.get('version', 1))}"]
    session = doc.get("session") or {}
    if session:
        lines += ["", "[session]"] + [f"{k} = {_value(v)}" for k, v in session.items()]
    for table in ("category", "site", "shared"):
        for entry in doc.get(table, []):
            lines += ["", f"[[{table}]]"] + [f"{k} = {_value(v)}" for k, v in entry.items()]
    return "\n".join(lines) + "\n"


def _value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value)
    if isinstance(value, list | tuple):
        return "[" + ", ".join(_value(v) for v in value) + "]"
    return json.dumps(str(value), ensure_ascii=False)  # a JSON string is a valid TOML basic string


def validate(doc: dict[str, Any]) -> tuple[Policy | None, list[PolicyIssue]]:
    """Parse the document exactly as the launcher would."""
    try:
        return parse_policy(to_toml(doc).encode(), "<catalogue>"), []
    except PolicyError as exc:
        return None, exc.issues


def field_errors(issues: list[PolicyIssue], table: str) -> Errors:
    """French messages keyed by form field ('hosts'); issues of other tables under '_'."""
    errors: Errors = {}
    for issue in issues:
        owner, _, name = (issue.field or "").partition(".")
        key = name if owner == table and name else "_"
        text = issue_text(issue)
        if text not in errors.setdefault(key, []):
            errors[key].append(text)
    return errors


# ---------------------------------------------------------------------------------- forms in
def lines(text: str) -> list[str]:
    return [line.strip() for line in text.replace("\r", "").split("\n") if line.strip()]


def slug(text: str) -> str:
    """An id from a name: 'Impôts gouv' -> 'impots_gouv'."""
    plain = unicodedata.normalize("NFKD", text.casefold())
    plain = "".join(ch for ch in plain if not unicodedata.combining(ch))
    return re.sub(r"[^a-z0-9]+", "_", plain).strip("_")[:40] or "site"


def unique_id(wanted: str, taken: set[str]) -> str:
    candidate, number = wanted, 2
    while candidate in taken:
        candidate, number = f"{wanted}_{number}", number + 1
    return candidate


def _text(form, name: str) -> str:
    """A text field as residents will read it: no bidi override (see policies.text)."""
    return neutralise_bidi(form.get(name, "")).strip()


def site_from_form(form, current_id: str | None, taken: set[str]) -> tuple[dict[str, Any], Errors]:
    """A site table from the form, plus host-line errors found before the whole-policy check."""
    errors: Errors = {}
    hosts = lines(form.get("hosts", ""))
    for number, host in enumerate(hosts, 1):
        try:
            check_breadth(parse_host_pattern(host))
        except HostPatternError as exc:
            errors.setdefault("hosts", []).append(_m("Ligne %(n)s (« %(host)s ») : %(why)s",
                                                     n=number, host=host,
                                                     why=host_error_text(str(exc))))
    if len(hosts) > MAX_LINES:
        errors.setdefault("hosts", []).append(_m("Au plus %(n)s adresses par site.", n=MAX_LINES))
    site_id = current_id or form.get("id", "").strip() \
        or unique_id(slug(form.get("name", "")), taken)
    keywords = [k.strip() for k in _text(form, "keywords").split(",") if k.strip()]
    site = {"id": site_id, "name": _text(form, "name"),
            "category": form.get("category", ""), "url": form.get("url", "").strip(),
            "hosts": hosts, "description": _text(form, "description"),
            "icon": form.get("icon", "").strip(), "keywords": keywords}
    if not site["name"]:
        errors.setdefault("name", []).append(_m("Donnez un nom au site."))
    if not current_id and site_id in taken:
        errors.setdefault("id", []).append(_m("Cet identifiant est déjà utilisé par un autre "
                                              "élément du catalogue."))
    return _drop_empty(site) | {"hosts": hosts, "name": site["name"], "url": site["url"]}, errors


def category_from_form(form, current_id: str | None,
                       taken: set[str]) -> tuple[dict[str, Any], Errors]:
    errors: Errors = {}
    label = _text(form, "label")
    cat_id = current_id or form.get("id", "").strip() or unique_id(slug(label), taken)
    if not label:
        errors["label"] = [_m("Donnez un nom à la catégorie.")]
    if not current_id and cat_id in taken:
        errors["id"] = [_m("Cet identifiant est déjà utilisé par une autre catégorie.")]
    return _drop_empty({"id": cat_id, "label": label,
                        "icon": form.get("icon", "").strip()}) | {"label": label}, errors


def with_entry(doc: dict[str, Any], table: str, entry: dict[str, Any],
               old_id: str | None) -> dict[str, Any]:
    """A copy of the document with this entry replaced (old_id) or appended."""
    new = copy.deepcopy(doc)
    entries = new.setdefault(table, [])
    for index, existing in enumerate(entries):
        if old_id is not None and existing.get("id") == old_id:
            entries[index] = entry
            return new
    entries.append(entry)
    return new


def without_entry(doc: dict[str, Any], table: str, entry_id: str) -> dict[str, Any]:
    new = copy.deepcopy(doc)
    new[table] = [e for e in new.get(table, []) if e.get("id") != entry_id]
    return new


def moved(doc: dict[str, Any], table: str, entry_id: str, step: int) -> dict[str, Any]:
    """A copy with one entry moved up (-1) or down (+1); unchanged at the ends."""
    new = copy.deepcopy(doc)
    entries = new.get(table, [])
    index = next((i for i, e in enumerate(entries) if e.get("id") == entry_id), None)
    target = None if index is None else index + step
    if index is not None and 0 <= target < len(entries):
        entries[index], entries[target] = entries[target], entries[index]
    return new


def find(doc: dict[str, Any], table: str, entry_id: str) -> dict[str, Any] | None:
    return next((e for e in doc.get(table, []) if e.get("id") == entry_id), None)


def taken_ids(doc: dict[str, Any], table: str) -> set[str]:
    tables = ("site", "shared") if table == "site" else ("category",)
    return {e.get("id") for t in tables for e in doc.get(t, [])}
