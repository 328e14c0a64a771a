"""Each site can have its own pictogram, shipped with the portal (inline SVG, nothing fetched),
with a text alternative; mediators choose it from a visual picker, not a list of ids."""

from __future__ import annotations

import re

from policies import default_policy_path, load_policy
from portal.icons import PICTOGRAMS, SITE_PICTOGRAMS

from .conftest import login, post


def test_every_pictogram_offered_exists_and_has_a_label():
    assert set(SITE_PICTOGRAMS) <= set(PICTOGRAMS)
    assert all(label.strip() for label in SITE_PICTOGRAMS.values())


def test_health_sites_of_the_default_catalogue_no_longer_look_alike():
    icons = {site.id: site.icon for site in load_policy(default_policy_path()).sites}
    assert len({icons["ameli"], icons["msa"], icons["monespacesante"]}) == 3
    assert set(icons.values()) <= set(SITE_PICTOGRAMS)


def test_site_form_offers_a_visual_picker(client):
    login(client)
    page = client.get("/mediateur/catalogue/sites/nouveau").get_data(as_text=True)
    assert "<select id=\"icon\"" not in page
    radios = re.findall(r'<label class="picto" data-picto="([^"]+)"><input type="radio" '
                        r'name="icon" value="\1"[^>]*><svg', page)
    assert radios == list(SITE_PICTOGRAMS)
    assert "Carte de santé" in page and "Épi de blé (agriculture)" in page


def test_chosen_pictogram_reaches_the_tile_with_its_text_alternative(client):
    login(client)
    form = {"name": "Mairie", "category": "famille_scolarite", "url": "https://www.mairie.fr/",
            "hosts": "mairie.fr\nwww.mairie.fr", "description": "Démarches", "icon": "building",
            "keywords": "", "action": "save"}
    response = post(client, "/mediateur/catalogue/sites/nouveau", form)
    assert response.status_code == 303, response.get_data(as_text=True)
    home = client.get("/accueil").get_data(as_text=True)
    tile = home[home.index("Mairie") - 2000:home.index("Mairie")]
    assert 'role="img" aria-label="Immeuble"' in tile
    assert "http" not in tile.split("<svg")[-1]  # drawn inline, nothing fetched
