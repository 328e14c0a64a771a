from __future__ import annotations

import io

from policies import PolicyStore, load_policy
from policies.signing import generate_keypair, verify_file

from .conftest import post

NEW_SITE = {"name": "Mairie de Test", "category": "famille_scolarite",
            "url": "https://www.mairie-test.fr/",
            "hosts": "mairie-test.fr\n*.mairie-test.fr", "description": "État civil, inscriptions",
            "icon": "home", "keywords": "mairie, état civil", "action": "save"}


def add_site(client, **changes):
    return post(client, "/mediateur/catalogue/sites/nouveau", {**NEW_SITE, **changes})


def test_catalogue_lists_categories_and_sites(mediator):
    page = mediator.get("/mediateur/catalogue").get_data(as_text=True)
    assert "CAF" in page and "Ajouter un site" in page


def test_added_site_is_saved_and_shown_on_home(mediator, state):
    response = add_site(mediator)
    assert response.status_code == 303
    policy = load_policy(state / "policy.toml")
    site = policy.site("mairie_de_test")
    assert site is not None and [h.text for h in site.hosts] == ["mairie-test.fr",
                                                                 "*.mairie-test.fr"]
    assert site.keywords == ("mairie", "état civil")
    assert "Mairie de Test" in mediator.get("/accueil").get_data(as_text=True)
    assert mediator.get("/ouvrir/mairie_de_test").headers["Location"] \
        == "https://www.mairie-test.fr/"


def test_invalid_hosts_are_refused_with_french_messages_next_to_the_field(mediator, state):
    response = add_site(mediator,
                        hosts="https://mairie-test.fr/\nmairie test.fr\n*.fr\nmairie-test.fr")
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "Ligne 1" in page and "sans « https:// »" in page
    assert "Ligne 2" in page and "caractère interdit" in page
    assert "Ligne 3" in page and "*.caf.fr" in page
    assert 'id="err-hosts"' in page and "Rien n&#39;a été enregistré" in page
    assert not (state / "policy.toml").exists()
    assert "Mairie de Test" not in mediator.get("/accueil").get_data(as_text=True)


def test_tile_address_outside_hosts_is_explained(mediator, state):
    response = add_site(mediator, url="https://autre-site.fr/")
    assert response.status_code == 400
    assert "pas couverte par les adresses autorisées" in response.get_data(as_text=True)
    assert not (state / "policy.toml").exists()


def test_insecure_url_missing_name_and_no_hosts_are_each_explained(mediator):
    page = add_site(mediator,
                    url="http://mairie-test.fr/", name="", hosts="").get_data(as_text=True)
    assert "doit commencer par https://" in page
    assert "Donnez un nom au site" in page
    assert "au moins une adresse autorisée" in page


def test_duplicate_id_is_refused(mediator):
    response = add_site(mediator, id="caf")
    assert response.status_code == 400 and "déjà utilisé" in response.get_data(as_text=True)


def test_check_button_validates_without_saving_and_shows_tester(mediator, state):
    response = add_site(mediator, action="check", test_url="https://demarches.mairie-test.fr/x")
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and "Oui : cette adresse s&#39;ouvre" in page
    assert not (state / "policy.toml").exists()


def test_live_validation_answers_json(mediator):
    answer = post(mediator, "/mediateur/catalogue/verifier",
                  {**NEW_SITE, "hosts": "mairie test.fr",
                   "test_url": "https://evil.example/"}).get_json()
    assert answer["errors"]["hosts"][0].startswith("Ligne 1")
    assert answer["tile"]["name"] == "Mairie de Test"
    ok = post(mediator, "/mediateur/catalogue/verifier",
              {**NEW_SITE, "test_url": "https://evil.example/"}).get_json()
    assert ok["errors"] == {} and ok["tested"].startswith("Non")


def test_live_validation_needs_the_csrf_header_or_field(mediator):
    assert mediator.post("/mediateur/catalogue/verifier", data=NEW_SITE).status_code == 400


def test_edit_site_keeps_its_id_and_changes_fields(mediator, state):
    response = post(mediator, "/mediateur/catalogue/sites/caf/modifier",
                    {**NEW_SITE, "name": "CAF (allocations)", "url": "https://www.caf.fr/",
                     "hosts": "caf.fr\n*.caf.fr", "category": "famille_scolarite"})
    assert response.status_code == 303
    assert load_policy(state / "policy.toml").site("caf").name == "CAF (allocations)"


def test_edit_unknown_site_is_404(mediator):
    assert mediator.get("/mediateur/catalogue/sites/nope/modifier").status_code == 404


def test_remove_and_reorder_sites(mediator, state, app):
    before = [s.id for s in app.extensions["kiosk_policy"].current().sites]
    assert post(mediator, f"/mediateur/catalogue/sites/{before[1]}/deplacer",
                {"direction": "up"}).status_code == 303
    after = [s.id for s in load_policy(state / "policy.toml").sites]
    assert after[:2] == [before[1], before[0]]
    assert post(mediator, f"/mediateur/catalogue/sites/{before[0]}/supprimer").status_code == 303
    assert load_policy(state / "policy.toml").site(before[0]) is None


def test_categories_add_edit_reorder_and_refuse_removing_a_used_one(mediator, state):
    assert post(mediator, "/mediateur/catalogue/categories/nouvelle",
                {"label": "Loisirs", "icon": "globe"}).status_code == 303
    policy = load_policy(state / "policy.toml")
    assert policy.category("loisirs").label == "Loisirs"
    assert post(mediator, "/mediateur/catalogue/categories/loisirs/modifier",
                {"label": "Sport et loisirs"}).status_code == 303
    assert load_policy(state / "policy.toml").category("loisirs").label == "Sport et loisirs"
    assert post(mediator, "/mediateur/catalogue/categories/loisirs/deplacer",
                {"direction": "up"}).status_code == 303
    ids = [c.id for c in load_policy(state / "policy.toml").categories]
    assert ids.index("loisirs") == len(ids) - 2
    used = policy.sites[0].category
    refused = post(mediator, f"/mediateur/catalogue/categories/{used}/supprimer")
    assert refused.status_code == 400 \
        and "contient encore des sites" in refused.get_data(as_text=True)
    assert post(mediator, "/mediateur/catalogue/categories/loisirs/supprimer").status_code == 303
    assert load_policy(state / "policy.toml").category("loisirs") is None


def test_new_category_with_a_taken_name_gets_its_own_id(mediator, state):
    assert post(mediator, "/mediateur/catalogue/categories/nouvelle",
                {"label": "Loisirs"}).status_code == 303
    assert post(mediator, "/mediateur/catalogue/categories/nouvelle",
                {"label": "Loisirs"}).status_code == 303
    ids = [c.id for c in load_policy(state / "policy.toml").categories]
    assert "loisirs" in ids and "loisirs_2" in ids


def test_empty_category_name_is_refused(mediator, state):
    response = post(mediator, "/mediateur/catalogue/categories/nouvelle", {"label": "  "})
    assert response.status_code == 400 and "Donnez un nom" in response.get_data(as_text=True)
    assert not (state / "policy.toml").exists()


def test_address_tester_uses_the_policy_engine(mediator):
    yes = mediator.get("/mediateur/catalogue?adresse=https://www.caf.fr/mon-compte").get_data(as_text=True)
    assert "Oui" in yes and "CAF" in yes
    no = mediator.get("/mediateur/catalogue?adresse=https://caf.fr.evil.example/").get_data(as_text=True)
    assert "Non :" in no and "caf.fr.evil.example ne fait partie d&#39;aucun site" in no
    insecure = mediator.get("/mediateur/catalogue?adresse=http://www.caf.fr/").get_data(as_text=True)
    assert "http://" in insecure and "Non :" in insecure


def test_history_shows_a_readable_diff_and_rollback_restores(mediator, state, app):
    add_site(mediator)
    add_site(mediator, name="Deuxième site", id="deuxieme", url="https://deux.example.fr/",
             hosts="deux.example.fr")
    page = mediator.get("/mediateur/catalogue/historique").get_data(as_text=True)
    assert 'class="diff-added">+name = &#34;Deuxième site&#34;' in page
    assert "Sites ajoutés depuis : Deuxième site</li>" in page  # newest version: one site less
    assert "Sites ajoutés depuis : Deuxième site, Mairie de Test</li>" in page  # the shipped one
    newest = PolicyStore(state).history()[0].name
    assert post(mediator, "/mediateur/catalogue/historique/restaurer",
                {"version": newest}).status_code == 303
    assert load_policy(state / "policy.toml").site("deuxieme") is None
    assert "Deuxième site" not in mediator.get("/accueil").get_data(as_text=True)
    assert "Mairie de Test" in mediator.get("/accueil").get_data(as_text=True)


def test_rollback_to_unknown_version_is_refused(mediator):
    response = post(mediator, "/mediateur/catalogue/historique/restaurer",
                    {"version": "../../config.toml"})
    assert response.status_code == 400


def test_save_is_signed_when_a_key_is_configured(mediator, state):
    _private, public = generate_keypair(state / "keys")
    add_site(mediator)
    from policies.signing import load_public_key
    verify_file(state / "policy.toml", [load_public_key(public)])


def test_unsigned_save_is_refused_when_signatures_are_required(mediator, state, app):
    from core.config import Config
    config = Config.load(state)
    config.set("require_signed_policy", "true")
    config.save()
    response = add_site(mediator)
    assert response.status_code == 400 and "signature" in response.get_data(as_text=True)
    assert not (state / "policy.toml").exists()
    assert "Mairie de Test" not in mediator.get("/accueil").get_data(as_text=True)


def test_export_then_import_round_trips(mediator, state):
    add_site(mediator)
    exported = mediator.get("/mediateur/catalogue/exporter")
    assert exported.headers["Content-Disposition"].startswith("attachment")
    assert b"Mairie de Test" in exported.data
    post(mediator, "/mediateur/catalogue/sites/mairie_de_test/supprimer")
    response = post(mediator, "/mediateur/catalogue/importer",
                    {"file": (io.BytesIO(exported.data), "catalogue.toml")},
                    content_type="multipart/form-data")
    assert response.status_code == 303
    assert load_policy(state / "policy.toml").site("mairie_de_test") is not None


def test_invalid_import_lists_errors_with_lines_and_changes_nothing(mediator, state):
    add_site(mediator)
    before = (state / "policy.toml").read_bytes()
    bad = (b'version = 1\n[[category]]\nid = "a"\nlabel = "A"\n[[site]]\nid = "x"\nname = "X"\n'
           b'category = "a"\nurl = "http://x.fr/"\nhosts = ["https://x.fr"]\n')
    response = post(mediator, "/mediateur/catalogue/importer",
                    {"file": (io.BytesIO(bad), "autre.toml")}, content_type="multipart/form-data")
    page = response.get_data(as_text=True)
    assert response.status_code == 400 and "Ligne 10" in page and "Ligne 9" in page
    assert (state / "policy.toml").read_bytes() == before
    syntax = post(mediator, "/mediateur/catalogue/importer",
                  {"file": (io.BytesIO(b"version = = 1"), "x.toml")},
                  content_type="multipart/form-data")
    assert syntax.status_code == 400 and "erreur d&#39;écriture" in syntax.get_data(as_text=True)


def test_import_too_big_is_refused(mediator):
    data = b"# " + b"x" * (300 * 1024)
    response = post(mediator, "/mediateur/catalogue/importer",
                    {"file": (io.BytesIO(data), "big.toml")}, content_type="multipart/form-data")
    assert response.status_code == 400 and "trop gros" in response.get_data(as_text=True)


def test_history_diff_ignores_comments_and_layout(mediator, state):
    from policies import default_policy_path
    # the shipped file, full of comments
    PolicyStore(state).save(default_policy_path().read_bytes())
    add_site(mediator)
    page = mediator.get("/mediateur/catalogue/historique").get_data(as_text=True)
    assert 'class="diff-removed">' not in page  # no comment or layout line shows as removed
    assert page.count('class="diff-added">') == 10  # "[[site]]", its 8 keys, one blank line


def test_remove_or_move_something_unknown_changes_nothing(mediator, state):
    gone = post(mediator, "/mediateur/catalogue/sites/nope/supprimer")
    assert gone.status_code == 303 and "missing" in gone.headers["Location"]
    assert post(mediator, "/mediateur/catalogue/tables/caf/supprimer").status_code == 404
    assert post(mediator, "/mediateur/catalogue/tables/caf/deplacer",
                {"direction": "up"}).status_code == 404
    assert not (state / "policy.toml").exists()


def test_moving_the_first_site_up_keeps_the_order(mediator, state, app):
    before = [s.id for s in app.extensions["kiosk_policy"].current().sites]
    post(mediator, f"/mediateur/catalogue/sites/{before[1]}/deplacer", {"direction": "down"})
    versions = len(PolicyStore(state).history())
    post(mediator, f"/mediateur/catalogue/sites/{before[0]}/deplacer", {"direction": "up"})
    post(mediator, f"/mediateur/catalogue/sites/{before[0]}/deplacer", {"direction": "up"})
    assert [s.id for s in app.extensions["kiosk_policy"].current().sites][0] == before[0]
    assert len(PolicyStore(state).history()) == versions  # no empty version in the history


def test_a_port_in_superscript_digits_is_explained_on_every_form(mediator, state, port):
    """'caf.fr:²' passed str.isdigit() and broke int(): HTTP 500 on the site form, the check
    button and the accompanied mode. Each now says what is wrong and keeps the catalogue."""
    before = (state / "policy.toml").read_bytes() if (state / "policy.toml").exists() else None
    for path in ("/mediateur/catalogue/sites/nouveau", "/mediateur/catalogue/verifier"):
        response = add_site(mediator, hosts="mairie-test.fr:²") if path.endswith("nouveau") \
            else post(mediator, path, {**NEW_SITE, "hosts": "mairie-test.fr:²"})
        assert response.status_code in (200, 400), path
        text = str(response.get_json()) if response.is_json else response.get_data(as_text=True)
        assert "le numéro de port doit être entre 1 et 65535" in text, path
    assert ((state / "policy.toml").read_bytes() if (state / "policy.toml").exists()
            else None) == before
    port.request_start()  # a resident's session: the mediator logs in again beside them
    from .conftest import PASSWORD, login
    assert login(mediator).status_code == 303
    unlock = post(mediator, "/mediateur/accompagne", {"host": "caf.fr:٣", "password": PASSWORD})
    assert unlock.status_code == 400 and "port" in unlock.get_data(as_text=True)
    assert port.unlocked_site() is None


def test_a_deeply_nested_import_is_explained_not_a_500(mediator, state):
    add_site(mediator)
    before = (state / "policy.toml").read_bytes()
    deep = b"version = 1\nx = " + b"[" * 500 + b"]" * 500 + b"\n"
    response = post(mediator, "/mediateur/catalogue/importer",
                    {"file": (io.BytesIO(deep), "deep.toml")}, content_type="multipart/form-data")
    assert response.status_code == 400
    assert "imbriqués trop profondément" in response.get_data(as_text=True)
    assert (state / "policy.toml").read_bytes() == before
    assert mediator.get("/mediateur/catalogue").status_code == 200


def test_too_broad_addresses_are_refused_in_french_and_nothing_is_saved(mediator, state):
    before = (state / "policy.toml").read_bytes() if (state / "policy.toml").exists() else None
    for hosts, why in (("*.github.io", "n'importe qui peut créer un site"),
                       ("169.254.169.254", "une adresse IP n'est pas un site"),
                       ("localhost", "numéro de port"),
                       ("caf.localhost:631", "de l'impression")):
        response = add_site(mediator, hosts=f"mairie-test.fr\n{hosts}")
        page = response.get_data(as_text=True).replace("&#39;", "'")
        assert response.status_code == 400 and why in page, hosts
    now = (state / "policy.toml").read_bytes() if (state / "policy.toml").exists() else None
    assert now == before
    assert add_site(mediator).status_code == 303  # a narrow site still saves


def test_a_wildcard_on_gouv_fr_is_saved_with_a_warning_for_the_mediator(mediator, state):
    response = add_site(mediator, url="https://www.gouv.fr/", hosts="*.gouv.fr")
    assert response.status_code == 303
    page = mediator.get("/mediateur/catalogue").get_data(as_text=True).replace("&#39;", "'")
    assert "Attention : « *.gouv.fr » ouvre tous les sites des services publics" in page


def test_the_accompanied_mode_refuses_a_public_suffix_wildcard(client, port):
    from .conftest import PASSWORD, login

    port.request_start()
    login(client)
    refused = post(client, "/mediateur/accompagne", {"host": "*.herokuapp.com",
                                                     "password": PASSWORD})
    assert refused.status_code == 400 and "n&#39;importe qui" in refused.get_data(as_text=True)
    assert port.unlocked_site() is None


def test_a_tile_address_with_a_line_break_is_refused_on_import(mediator, state, app):
    """Imported as is, it gave HTTP 500 on the tile (a line break in Location) and went raw to
    the launcher. It is refused with its line; the catalogue in force keeps working."""
    add_site(mediator)
    before = (state / "policy.toml").read_bytes()
    bad = before.replace(b'url = "https://www.mairie-test.fr/"',
                         b'url = "https://www.mairie-test.fr/\\r\\nSet-Cookie: a=b"')
    assert bad != before
    response = post(mediator, "/mediateur/catalogue/importer",
                    {"file": (io.BytesIO(bad), "crlf.toml")}, content_type="multipart/form-data")
    assert response.status_code == 400 and "Ligne" in response.get_data(as_text=True)
    assert (state / "policy.toml").read_bytes() == before
    tile = app.test_client().get("/ouvrir/mairie_de_test")
    assert tile.status_code == 303 and tile.headers["Location"] == "https://www.mairie-test.fr/"


def test_tile_addresses_are_kept_as_the_browser_reads_them():
    from policies import parse_policy

    text = (b'version = 1\n[[category]]\nid = "c"\nlabel = "C"\n[[site]]\nid = "s"\nname = "S"\n'
            b'category = "c"\nurl = "  HTTPS://WWW.Caf.FR:443/aide "\nhosts = ["www.caf.fr"]\n')
    assert parse_policy(text).site("s").url == "https://www.caf.fr/aide"


def test_bidi_overrides_are_removed_from_catalogue_texts(mediator, state, app):
    response = add_site(mediator, name="Mairie \u202etseT", description="É\u2066tat\u2069 civil",
                        keywords="mai\u202drie")
    assert response.status_code == 303
    site = load_policy(state / "policy.toml").site("mairie_tset")
    assert (site.name, site.description, site.keywords) == ("Mairie tseT", "État civil",
                                                            ("mairie",))
    home = app.test_client().get("/accueil").get_data(as_text=True)
    assert not any(ch in home for ch in "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
    assert "\u202e" not in (state / "policy.toml").read_text()  # nor in what the editor shows
