"""Policy files for tests, written from a few values rather than copied TOML."""

from __future__ import annotations

import json

FAMILLE = ("famille_scolarite", "Famille")
FRANCECONNECT = {"id": "franceconnect", "name": "FranceConnect",
                 "hosts": ["franceconnect.gouv.fr", "*.franceconnect.gouv.fr"]}


def site(id: str, name: str, url: str, hosts: list[str], **extra: object) -> dict:
    """A [[site]] entry in the Famille category (description, keywords... as `extra`)."""
    return {"id": id, "name": name, "category": FAMILLE[0], "url": url, "hosts": hosts, **extra}


def policy_toml(*sites: dict, shared: tuple[dict, ...] = (), strict: bool | None = None,
                categories: tuple[tuple[str, str], ...] = (FAMILLE,)) -> str:
    """A version 1 policy with these sites; `[session]` only when `strict` is given."""
    lines = ["version = 1"]
    if strict is not None:
        lines += ["[session]", f"strict_resources = {'true' if strict else 'false'}"]
    for category_id, label in categories:
        lines += ["[[category]]", f"id = {json.dumps(category_id)}", f"label = {json.dumps(label)}"]
    for table, entries in (("site", sites), ("shared", shared)):
        for entry in entries:
            lines.append(f"[[{table}]]")
            lines += [f"{key} = {json.dumps(value, ensure_ascii=False)}"
                      for key, value in entry.items()]
    return "\n".join(lines) + "\n"
