from __future__ import annotations

import io

from core.config import Config
from policies import load_policy

from .conftest import post

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
JPEG = b"\xff\xd8\xff\xe0" + b"\x00" * 64

VALID = {"association_name": "Maison des habitants", "languages": ["fr", "ar"], "downloads": "on",
         "printing": "", "idle_minutes": "7", "warning_seconds": "45", "max_minutes": "90"}


def test_settings_page_is_generated_from_the_table(mediator):
    page = mediator.get("/mediateur/reglages").get_data(as_text=True)
    for name in ("association_name", "downloads", "printing", "mediator_network_access",
                 "idle_minutes", "warning_seconds", "max_minutes", "strict_resources"):
        assert f'id="setting-{name}"' in page
    assert "admin_password_hash" not in page


def test_valid_settings_are_saved_in_config_and_session_limits_in_a_new_policy(mediator, state,
                                                                               app):
    response = post(mediator, "/mediateur/reglages", VALID)
    assert response.status_code == 303
    config = Config.load(state)
    assert config["association_name"] == "Maison des habitants"
    assert config["languages"] == ["fr", "ar"] and config["downloads"] is True \
        and config["printing"] is False
    session = load_policy(state / "policy.toml").session
    assert (session.idle_minutes, session.warning_seconds, session.max_minutes) == (7, 45, 90)
    assert app.extensions["kiosk_settings"].current().association == "Maison des habitants"
    assert app.config["PORTAL_ASSOCIATION"] != "Maison des habitants"  # startup value only
    assert "Maison des habitants" in mediator.get("/").get_data(as_text=True)


def test_settings_page_and_cli_agree(mediator, state):
    post(mediator, "/mediateur/reglages", VALID)
    from click.testing import CliRunner

    from kiosk.cli import cli
    shown = CliRunner().invoke(cli, ["config", "show", "--state-dir", str(state)]).output
    assert '"Maison des habitants"' in shown
    CliRunner().invoke(cli, ["config", "set", "--state-dir", str(state), "association_name",
                             "Centre social"])
    assert 'value="Centre social"' in mediator.get("/mediateur/reglages").get_data(as_text=True)


def test_invalid_settings_are_explained_and_nothing_is_saved(mediator, state):
    before = (state / "config.toml").read_bytes()
    response = post(mediator, "/mediateur/reglages",
                    {**VALID, "association_name": "", "idle_minutes": "beaucoup",
                     "max_minutes": "9999"})
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "Entrez un nom de 1 à 80 caractères" in page
    assert "Entrez un nombre" in page
    assert "comprise entre 0.1 et 480" in page
    assert (state / "config.toml").read_bytes() == before
    assert not (state / "policy.toml").exists()


def test_unchanged_session_limits_do_not_create_a_policy_version(mediator, state):
    post(mediator, "/mediateur/reglages", {**VALID, "idle_minutes": "5", "warning_seconds": "60",
                                           "max_minutes": "60"})
    assert not (state / "policy.toml").exists()


def test_png_and_jpeg_logos_are_accepted_and_shown(mediator, state):
    response = post(mediator, "/mediateur/reglages/logo", {"logo": (io.BytesIO(PNG), "logo.png")},
                    content_type="multipart/form-data")
    assert response.status_code == 303
    assert Config.load(state)["logo"] == "logo.png" and (state / "logo.png").read_bytes() == PNG
    with mediator.get("/logo") as shown:
        assert shown.data == PNG
    post(mediator, "/mediateur/reglages/logo", {"logo": (io.BytesIO(JPEG), "x.jpg")},
         content_type="multipart/form-data")
    assert Config.load(state)["logo"] == "logo.jpg"


def upload_raw(client, data: bytes):
    """A multipart body built by hand
    (the test client would spool a big one to an unclosed file)."""
    from .conftest import token
    boundary = "kioskboundary"
    body = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"csrf_token\"\r\n\r\n"
            f"{token(client, '/mediateur/')}\r\n--{boundary}\r\nContent-Disposition: form-data; "
            f"name=\"logo\"; filename=\"big.png\"\r\nContent-Type: image/png\r\n\r\n").encode()
    body += data + f"\r\n--{boundary}--\r\n".encode()
    return client.post("/mediateur/reglages/logo", data=body,
                       content_type=f"multipart/form-data; boundary={boundary}")


def test_bad_logos_are_refused(mediator, state):
    fake = post(mediator, "/mediateur/reglages/logo",
                {"logo": (io.BytesIO(b"<svg onload=alert(1)>"), "a.png")},
                content_type="multipart/form-data")
    assert fake.status_code == 400 and "pas une image PNG ou JPEG" in fake.get_data(as_text=True)
    big = upload_raw(mediator, PNG + b"\x00" * (512 * 1024))
    assert big.status_code == 400 and "512 Ko" in big.get_data(as_text=True)
    assert upload_raw(mediator, PNG + b"\x00" * (2 * 1024 * 1024)).status_code == 413
    assert Config.load(state)["logo"] == ""


def test_resident_forms_keep_their_small_size_limit(client):
    assert client.post("/aide", data={"x": "y" * 100_000}).status_code == 413


def test_password_change_needs_the_current_one_and_two_equal_new_ones(mediator, state):
    from core.passwords import verify_password

    from .conftest import PASSWORD
    wrong = post(mediator, "/mediateur/mot-de-passe",
                 {"current": "nope", "new": "nouveau secret", "again": "nouveau secret"})
    assert wrong.status_code == 400 and "pas le mot de passe actuel" in wrong.get_data(as_text=True)
    mismatch = post(mediator, "/mediateur/mot-de-passe",
                    {"current": PASSWORD, "new": "nouveau secret", "again": "autre"})
    assert mismatch.status_code == 400 and "pas identiques" in mismatch.get_data(as_text=True)
    short = post(mediator, "/mediateur/mot-de-passe",
                 {"current": PASSWORD, "new": "court", "again": "court"})
    assert short.status_code == 400 and "au moins 8" in short.get_data(as_text=True)
    assert verify_password(Config.load(state)["admin_password_hash"], PASSWORD)
    ok = post(mediator, "/mediateur/mot-de-passe",
              {"current": PASSWORD, "new": "nouveau secret", "again": "nouveau secret"})
    assert ok.status_code == 303
    assert verify_password(Config.load(state)["admin_password_hash"], "nouveau secret")
    assert "nouveau secret" not in (state / "config.toml").read_text()


def test_mandatory_signatures_cannot_be_turned_on_over_an_unsigned_catalogue(mediator, state):
    from policies import PolicyStore, default_policy_path
    from policies.signing import generate_keypair, sign_file

    PolicyStore(state).save(default_policy_path().read_bytes())
    refused = post(mediator, "/mediateur/reglages", {**VALID, "require_signed_policy": "on"})
    assert refused.status_code == 400 \
        and "pas signé par une clé de confiance" in refused.get_data(as_text=True)
    assert Config.load(state)["require_signed_policy"] is False
    private, public = generate_keypair(state / "keys")
    (state / "keys" / "trusted").mkdir()
    public.rename(state / "keys" / "trusted" / "association.pub")
    sign_file(state / "policy.toml", private)
    assert post(mediator, "/mediateur/reglages",
                {**VALID, "require_signed_policy": "on"}).status_code == 303
    assert Config.load(state)["require_signed_policy"] is True


def test_languages_without_translation_are_marked(mediator):
    page = mediator.get("/mediateur/reglages").get_data(as_text=True)
    assert "Español (traduction pas encore disponible)" in page
    assert "English (traduction" not in page


def test_catalogue_without_session_table_gets_no_version_for_unchanged_limits(mediator, state):
    from policies import PolicyStore
    data = (b'version = 1\n[[category]]\nid = "a"\nlabel = "A"\n[[site]]\nid = "x"\nname = "X"\n'
            b'category = "a"\nurl = "https://x.fr/"\nhosts = ["x.fr"]\n')
    PolicyStore(state).save(data)
    post(mediator, "/mediateur/reglages", {**VALID, "idle_minutes": "5", "warning_seconds": "60",
                                           "max_minutes": "60"})
    assert (state / "policy.toml").read_bytes() == data
    post(mediator, "/mediateur/reglages", {**VALID, "idle_minutes": "5", "warning_seconds": "60",
                                           "max_minutes": "30"})
    assert b"max_minutes = 30" in (state / "policy.toml").read_bytes()


def test_renaming_the_association_reaches_the_welcome_and_home_pages(mediator, app):
    """Those pages are rendered once per catalogue and language: a new name (or logo) must not
    wait for the next catalogue change."""
    assert post(mediator, "/mediateur/reglages", VALID).status_code == 303
    resident = app.test_client()
    for path in ("/", "/accueil"):
        assert "Maison des habitants" in resident.get(path).get_data(as_text=True)
    renamed = {**VALID, "association_name": "Centre social Les Tilleuls"}
    assert post(mediator, "/mediateur/reglages", renamed).status_code == 303
    for path in ("/", "/accueil"):
        page = resident.get(path).get_data(as_text=True)
        assert "Centre social Les Tilleuls" in page and "Maison des habitants" not in page, path
    resident.post("/langue", data={"lang": "ar"})
    assert "Centre social Les Tilleuls" in resident.get("/").get_data(as_text=True)


def test_a_bidi_override_in_the_association_name_is_removed(mediator, app, state):
    spoofed = {**VALID, "association_name": "Maison \u202esnatibah sed\u202c"}
    assert post(mediator, "/mediateur/reglages", spoofed).status_code == 303
    assert Config.load(state)["association_name"] == "Maison snatibah sed"
    assert "\u202e" not in app.test_client().get("/").get_data(as_text=True)


def test_the_session_erased_notice_length_is_a_setting_with_a_plain_refusal(mediator, state):
    page = mediator.get("/mediateur/reglages").get_data(as_text=True)
    assert "Session effacée" in page and 'name="wiped_notice_seconds"' in page
    form = {"association_name": "Association", "languages": ["fr"], "downloads": "on",
            "printing": "on", "idle_minutes": "5", "warning_seconds": "60", "max_minutes": "30",
            "wiped_notice_seconds": "45"}
    refused = post(mediator, "/mediateur/reglages", form)
    assert refused.status_code == 400
    assert "entre 0 et 30" in refused.get_data(as_text=True)
    assert Config.load(state)["wiped_notice_seconds"] == 4
    assert post(mediator, "/mediateur/reglages",
                {**form, "wiped_notice_seconds": "2"}).status_code == 303
    assert Config.load(state)["wiped_notice_seconds"] == 2


def test_each_end_question_is_a_setting_outcome_on_and_age_off_by_default(mediator, state):
    page = mediator.get("/mediateur/reglages").get_data(as_text=True)
    assert "Question de fin : tranche d'âge" in page.replace("&#39;", "'")
    config = Config.load(state)
    assert config["question_outcome"] is True
    assert config["question_first_time"] is False and config["question_age_band"] is False
    assert post(mediator, "/mediateur/reglages",
                {**VALID, "question_outcome": "on", "question_age_band": "on"}).status_code == 303
    config = Config.load(state)
    assert config["question_outcome"] is True and config["question_age_band"] is True
    assert config["question_first_time"] is False
