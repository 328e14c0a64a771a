"""Catalogues: every French string has an English and an Arabic translation,
compiled and current."""

from __future__ import annotations

from pathlib import Path

import pytest
from babel.messages.mofile import read_mo
from babel.messages.pofile import read_po

from policies import default_policy_path, load_policy
from portal.policy_strings import DEFAULT_CATALOGUE_TEXTS

ROOT = Path(__file__).resolve().parents[2] / "portal" / "translations"


def frozen(value):
    """A msgid or msgstr as a dict key: plural forms come as lists or tuples."""
    return value if isinstance(value, str) else tuple(value)


def msgids(catalog) -> set:
    return {frozen(m.id) for m in catalog if m.id}


@pytest.fixture(scope="module")
def template():
    with open(ROOT / "messages.pot", "rb") as f:
        return read_po(f)


@pytest.mark.parametrize("lang", ["en", "ar"])
def test_every_msgid_has_a_non_empty_translation(template, lang):
    with open(ROOT / lang / "LC_MESSAGES" / "messages.po", "rb") as f:
        catalog = read_po(f)
    assert msgids(template) <= msgids(catalog), "run pybabel update"
    empty = [m.id for m in catalog if m.id and (not all(m.string) if isinstance(
        m.string, (list, tuple)) else not m.string or m.fuzzy)]
    assert empty == []


@pytest.mark.parametrize("lang", ["en", "ar"])
def test_compiled_catalogue_matches_its_po_file(lang):
    folder = ROOT / lang / "LC_MESSAGES"
    with open(folder / "messages.po", "rb") as f:
        po = {frozen(m.id): frozen(m.string) for m in read_po(f) if m.id}
    with open(folder / "messages.mo", "rb") as f:
        mo = {frozen(m.id): frozen(m.string) for m in read_mo(f) if m.id}
    assert mo == po, "run pybabel compile -d portal/translations"


def test_template_holds_every_string_of_the_templates_and_code():
    """Re-extract and compare, so a new French string cannot ship untranslated."""
    from babel.messages.extract import extract_from_dir

    project = ROOT.parents[1]
    method_map = [("portal/**.py", "python"), ("portal/templates/**.html", "jinja2")]
    keywords = {"_": None, "gettext": None, "ngettext": (1, 2), "N_": None}
    found = {msg for _, _, msg, _, _
             in extract_from_dir(str(project), method_map, keywords=keywords)
             if isinstance(msg, str)}
    with open(ROOT / "messages.pot", "rb") as f:
        assert found <= msgids(read_po(f))


def test_default_catalogue_texts_are_all_marked_for_translation():
    policy = load_policy(default_policy_path())
    texts = {c.label for c in policy.categories} \
        | {s.description for s in policy.sites if s.description}
    assert texts <= set(DEFAULT_CATALOGUE_TEXTS)


def test_arabic_pages_say_rtl_and_english_pages_ltr(client):
    client.post("/langue", data={"lang": "ar"})
    assert '<html lang="ar" dir="rtl">' in client.get("/accueil").get_data(as_text=True)
    client.post("/langue", data={"lang": "en"})
    assert '<html lang="en" dir="ltr">' in client.get("/accueil").get_data(as_text=True)


def test_language_without_catalogue_is_not_offered(session):
    from portal import create_app

    app = create_app({"TESTING": True, "PORTAL_SESSION": session, "PORTAL_LANGUAGES": ["en", "es"]})
    client = app.test_client()
    html = client.get("/").get_data(as_text=True)
    assert "English" in html and "Español" not in html and "العربية" not in html
    assert client.post("/langue", data={"lang": "es"}).status_code == 400
