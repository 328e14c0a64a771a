"""Everything a mediator types is escaped on every page, mediator and resident alike."""

from __future__ import annotations

from core.config import Config

from .conftest import PASSWORD, login, post

SCRIPT = "<script>alert(1)</script>"
ATTR = '"><img src=x onerror=alert(1)>'
RAW = ("<script>alert(1)", "<img src=x", "onerror=alert(1)>")

MEDIATOR_PAGES = ("/mediateur/", "/mediateur/catalogue",
                  "/mediateur/catalogue/sites/piege/modifier",
                  "/mediateur/catalogue/categories/piege_cat/modifier",
                  "/mediateur/catalogue/historique",
                  "/mediateur/reglages", "/mediateur/accompagne", "/mediateur/journal",
                  "/mediateur/adresses-bloquees", "/mediateur/catalogue/importer",
                  "/mediateur/mot-de-passe",
                  f"/mediateur/catalogue?adresse={ATTR}", f"/mediateur/catalogue?adresse={SCRIPT}")
RESIDENT_PAGES = ("/", "/accueil", f"/accueil?q={SCRIPT}", "/accueil?q=piege", "/aide",
                  "/documents", "/fin", "/bloque")


def assert_escaped(client, path: str) -> str:
    response = client.get(path)
    assert response.status_code == 200, path
    assert response.mimetype == "text/html"
    page = response.get_data(as_text=True)
    for fragment in RAW:
        assert fragment not in page, f"{fragment!r} unescaped on {path}"
    return page


def test_hostile_text_in_every_displayed_field_is_escaped_everywhere(client, port, state, blocked):
    port.request_start()
    login(client)
    assert post(client, "/mediateur/catalogue/categories/nouvelle",
                {"id": "piege_cat", "label": SCRIPT + ATTR, "icon": ATTR}).status_code == 303
    site = {"id": "piege", "name": SCRIPT + ATTR, "category": "piege_cat",
            "url": "https://piege.example.fr/?q=" + ATTR, "hosts": "piege.example.fr",
            "description": ATTR + SCRIPT, "icon": SCRIPT, "keywords": f"{SCRIPT}, {ATTR}",
            "action": "save"}
    saved = post(client, "/mediateur/catalogue/sites/nouveau", site)
    assert saved.status_code == 303, saved.get_data(as_text=True)
    # A second version so the history page shows a diff full of the hostile text.
    assert post(client, "/mediateur/catalogue/sites/piege/modifier",
                {**site, "description": SCRIPT}).status_code == 303
    assert post(client, "/mediateur/reglages",
                {"association_name": SCRIPT + ATTR, "languages": ["fr"], "idle_minutes": "5",
                 "warning_seconds": "60", "max_minutes": "60"}).status_code == 303
    assert post(client, "/mediateur/accompagne",
                {"host": "piege.example.fr", "password": PASSWORD}).status_code == 303
    login(client)  # the unlock on the terminal logged the mediator out
    blocked.rows = [(SCRIPT + ATTR, 3, "piege", ATTR)]
    assert Config.load(state)["association_name"] == SCRIPT + ATTR
    for path in MEDIATOR_PAGES + RESIDENT_PAGES:
        assert_escaped(client, path)
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in assert_escaped(client, "/accueil")


def test_hostile_text_in_error_messages_is_escaped(mediator):
    bad_hosts = post(mediator, "/mediateur/catalogue/sites/nouveau",
                     {"name": "x", "category": "famille_scolarite", "url": "https://x.fr/",
                      "hosts": f"{SCRIPT}\n{ATTR}", "test_url": SCRIPT})
    assert bad_hosts.status_code == 400
    page = bad_hosts.get_data(as_text=True)
    assert "Ligne 1" in page
    for fragment in RAW:
        assert fragment not in page
    accompanied = post(mediator, "/mediateur/accompagne", {"host": SCRIPT, "password": PASSWORD})
    assert accompanied.status_code == 400
    for fragment in RAW:
        assert fragment not in accompanied.get_data(as_text=True)
    login_page = mediator.get(f"/mediateur/connexion?next={ATTR}").get_data(as_text=True)
    for fragment in RAW:
        assert fragment not in login_page
