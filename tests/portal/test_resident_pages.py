"""Every resident page answers, in every offered language, with the right content and headers."""

from __future__ import annotations

import re

import pytest

from core.events import Event

PAGES = ["/", "/accueil", "/documents", "/aide", "/bloque", "/fin", "/fin/effacee",
         "/alerte/inactivite", "/alerte/limite"]
LANGS = ["fr", "en", "ar"]


def choose(client, lang):
    if lang != "fr":
        assert client.post("/langue", data={"lang": lang}).status_code == 303


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("path", PAGES)
def test_every_page_renders_in_every_language(client, path, lang):
    choose(client, lang)
    response = client.get(path)
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert f'<html lang="{lang}" dir="{"rtl" if lang == "ar" else "ltr"}">' in html
    assert re.search(r"<h1[^>]*>\s*\S", html), "every page has a visible heading"


def test_welcome_shows_association_promise_start_and_languages(client):
    html = client.get("/").get_data(as_text=True)
    assert "Maison de quartier Test" in html
    assert "Tout ce que vous faites ici sera effacé à la fin." in html
    assert ">Commencer<" in html
    assert 'lang="ar"' in html and "العربية" in html and "English" in html
    assert 'class="menu"' not in html, "welcome shows nothing else than start and languages"


def test_welcome_is_translated_in_arabic(client):
    choose(client, "ar")
    html = client.get("/").get_data(as_text=True)
    assert "كل ما تفعله هنا سيُمحى في النهاية." in html
    assert "Commencer" not in html


def test_start_button_starts_the_session_and_shows_home(client, session, events):
    response = client.post("/commencer")
    assert response.status_code == 303 and response.headers["Location"].endswith("/accueil")
    assert session.state() == "active"
    assert Event("session_started") in events


def test_home_groups_tiles_by_policy_category(client):
    html = client.get("/accueil").get_data(as_text=True)
    families = html.index('id="group-famille_scolarite"')
    health = html.index('id="group-social_sante"')
    assert families < health
    assert html.index('href="/ouvrir/caf"') > families
    assert html.count('class="tile"') == 19
    assert "Allocations familiales, aide au logement" in html


@pytest.mark.parametrize("query, site", [
    ("chômage", "france_travail"), ("chomage", "france_travail"), ("CHOMAGE", "france_travail"),
    ("carte vitale", "ameli"), ("Carte Vitale", "ameli"), ("impôts", "impots"),
])
def test_search_without_javascript_finds_sites_by_synonym(client, query, site):
    html = client.get("/accueil", query_string={"q": query}).get_data(as_text=True)
    assert f'href="/ouvrir/{site}"' in html
    assert html.count('class="tile"') < 19


def test_search_in_english_matches_translated_descriptions(client):
    choose(client, "en")
    html = client.get("/accueil", query_string={"q": "residence permit"}).get_data(as_text=True)
    assert 'href="/ouvrir/anef"' in html and html.count('class="tile"') == 1


def test_search_with_no_match_says_so_and_offers_all_sites(client):
    html = client.get("/accueil", query_string={"q": "zzzz"}).get_data(as_text=True)
    assert 'class="tile"' not in html
    assert "Aucun site ne correspond" in html and "Voir tous les sites" in html


def test_search_query_is_escaped(client):
    html = client.get("/accueil",
                      query_string={"q": '"><script>alert(1)</script>'}).get_data(as_text=True)
    assert "<script>alert(1)" not in html


def test_opening_a_tile_emits_its_id_then_redirects_to_the_site(client, events):
    response = client.get("/ouvrir/ameli")
    assert response.status_code == 303
    assert response.headers["Location"] == "https://www.ameli.fr/"
    assert events[-1] == Event("tile_opened", site_id="ameli")


def test_opening_an_unknown_tile_is_404_and_emits_nothing(client, events):
    assert client.get("/ouvrir/evil").status_code == 404
    assert not any(e.kind == "tile_opened" for e in events)


def test_opening_a_tile_from_another_site_is_refused(client, events):
    response = client.get("/ouvrir/caf", headers={"Sec-Fetch-Site": "cross-site"})
    assert response.status_code == 403
    assert events == []


def test_language_is_kept_for_the_session_and_emitted(client, session, events):
    choose(client, "ar")
    assert session.language() == "ar"
    assert Event("language", detail="ar") in events
    assert 'dir="rtl"' in client.get("/aide").get_data(as_text=True)


@pytest.mark.parametrize("code", ["xx", "", "de", "../fr", "ar" * 40])
def test_unknown_language_is_refused_gracefully(client, session, code):
    choose(client, "en")
    response = client.post("/langue", data={"lang": code})
    assert response.status_code == 400
    assert "This language is not available" in response.get_data(as_text=True)
    assert session.language() == "en", "the language in use is kept"


def test_language_is_reset_when_the_session_ends(client, session):
    client.post("/commencer")
    choose(client, "ar")
    client.post("/fin")
    assert session.language() == "fr"
    assert 'lang="fr"' in client.get("/").get_data(as_text=True)


def test_help_button_raises_the_signal_and_confirms(client, session, events):
    response = client.post("/aide")
    assert response.status_code == 303
    assert session.help_requested()
    assert Event("help_requested") in events
    html = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Votre demande est envoyée" in html


def test_blocked_page_is_friendly_with_a_return_button(client):
    html = client.get("/bloque").get_data(as_text=True)
    assert "Ce n'est pas une erreur de votre part" in html.replace("&#39;", "'")
    assert "data-back" in html and ">Retour<" in html


def test_end_page_reminds_to_log_out_and_take_prints(client):
    html = client.get("/fin").get_data(as_text=True).replace("&#39;", "'")
    assert "Déconnectez-vous" in html and "imprimante" in html
    assert "Oui, terminer" in html and "Non, continuer" in html


def test_confirming_the_end_asks_the_supervisor_then_shows_session_erased(client, session, events):
    client.post("/commencer")
    response = client.post("/fin")
    assert response.headers["Location"].endswith("/fin/effacee")
    assert Event("end_requested") in events and Event("session_ended", detail="user") in events
    assert session.state() == "welcome"
    assert "Session effacée" in client.get("/fin/effacee").get_data(as_text=True)


def test_the_terminal_notice_says_session_erased_in_the_leaving_residents_language(client,
                                                                                     session):
    """The session (and its language) is already gone when the window shows the notice: the
    language comes with the notice's address; the window then opens welcome itself."""
    assert session.language() == "fr"
    html = client.get("/fin/effacee?langue=ar").get_data(as_text=True)
    assert "تم محو الجلسة" in html and 'dir="rtl"' in html
    assert "data-wait-welcome" not in html
    french = client.get("/").get_data(as_text=True)  # the next request is French again
    assert 'lang="fr"' in french and "تم محو الجلسة" not in french
    unknown = client.get("/fin/effacee?langue=xx").get_data(as_text=True)
    assert "Session effacée" in unknown and "data-wait-welcome" in unknown


def test_idle_warning_shows_the_seconds_left(client, session):
    client.post("/commencer")
    session.start_warning("idle", 45)
    html = client.get("/alerte/inactivite").get_data(as_text=True)
    assert "Êtes-vous toujours là ?" in html and 'data-countdown="45"' in html \
        or 'data-countdown="44"' in html


def test_time_limit_warning_partial_is_a_fragment(client, session):
    client.post("/commencer")
    session.start_warning("time_limit", 300)
    html = client.get("/alerte/limite?partiel=1").get_data(as_text=True)
    assert "<html" not in html and 'role="alertdialog"' in html
    assert "La session va bientôt se terminer" in html


def test_still_here_button_reports_activity_and_ends_the_idle_warning(client, session, events):
    client.post("/commencer")
    session.start_warning("idle", 30)
    assert client.post("/alerte/continuer").status_code == 303
    assert Event("activity") in events
    assert session.state() == "active"


def test_unknown_warning_is_404(client):
    assert client.get("/alerte/autre").status_code == 404


def test_pages_carry_a_strict_content_security_policy(client):
    response = client.get("/accueil")
    csp = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp and "default-src 'none'" in csp
    assert response.headers["Cache-Control"] == "no-store"
    assert response.headers["Referrer-Policy"] == "no-referrer"


def test_pages_use_no_inline_script_or_style_and_nothing_remote(client):
    for path in PAGES:
        html = client.get(path).get_data(as_text=True)
        assert not re.search(r"<script(?![^>]*\ssrc=)", html), path
        assert " style=" not in html and "<style" not in html, path
        assert not re.search(r"(src|href)=\"(https?:)?//", html), path


def test_static_files_are_served_locally(client):
    for name in ("portal.css", "portal.js"):
        with client.get(f"/static/{name}") as response:
            assert response.status_code == 200


@pytest.mark.parametrize("path", ["/commencer", "/aide", "/fin", "/langue"])
def test_oversized_request_body_is_refused_with_413(client, session, path):
    response = client.post(path, data={"lang": "x" * (200 * 1024)})
    assert response.status_code == 413
    assert "trop volumineux" in response.get_data(as_text=True)
    assert session.state() == "welcome" and not session.help_requested()


def test_form_posted_from_another_site_is_refused(client, session):
    response = client.post("/fin", headers={"Origin": "https://evil.example"})
    assert response.status_code == 403
    response = client.post("/aide", headers={"Sec-Fetch-Site": "cross-site"})
    assert response.status_code == 403
    assert not session.help_requested()


def test_unknown_page_is_a_calm_404_page(client):
    response = client.get("/n-existe-pas")
    assert response.status_code == 404
    assert "Cette page n'existe pas" in response.get_data(as_text=True)


def test_logo_is_404_when_none_is_configured(client):
    assert client.get("/logo").status_code == 404


def test_every_page_header_leads_back_to_the_language_choice(client):
    choose(client, "ar")
    html = client.get("/aide").get_data(as_text=True)
    assert 'href="/"' in html and "تغيير اللغة" in html and '<span lang="ar">العربية</span>' in html


def test_the_end_question_counts_its_answer_alone_then_ends_the_session(client, session, events):
    session.request_start()
    html = client.get("/fin").get_data(as_text=True)
    assert 'href="/fin/questions"' in html  # "Oui, terminer" goes to the question first
    page = client.get("/fin/questions").get_data(as_text=True).replace("&#39;", "'")
    for text in ("Avez-vous pu faire votre démarche ?", "Oui, seul(e)", "Oui, avec de l'aide",
                 "Non, pas encore", "Passer"):
        assert text in page
    response = client.post("/fin/questions/0", data={"reponse": "not_yet"})
    assert response.headers["Location"].endswith("/fin/effacee")
    assert [e.detail for e in events if e.kind == "answer"] == ["outcome:not_yet"]
    assert session.state() == "welcome"
    assert Event("session_ended", detail="user") in events


def test_skipping_the_question_ends_the_session_and_counts_no_answer(client, session, events):
    session.request_start()
    response = client.post("/fin/questions/0", data={"reponse": "passer"})
    assert response.headers["Location"].endswith("/fin/effacee")
    assert [e.detail for e in events if e.kind == "answer"] == ["outcome:no_answer"]
    assert session.state() == "welcome"


def test_an_unknown_answer_is_refused_and_the_session_goes_on(client, session, events):
    session.request_start()
    response = client.post("/fin/questions/0", data={"reponse": "Dupontel"})
    assert response.status_code == 400
    assert "Avez-vous pu faire votre démarche ?" in response.get_data(as_text=True)
    assert session.state() == "active"
    assert [e for e in events if e.kind == "answer"] == []


def test_the_question_is_asked_in_the_residents_language(client, session):
    session.request_start()
    session.set_language("ar")
    html = client.get("/fin/questions").get_data(as_text=True)
    assert 'dir="rtl"' in html and "هل تمكنت من إنجاز معاملتك؟" in html and "تخطي" in html
    session.set_language("en")
    assert "Were you able to complete your procedure?" in client.get("/fin/questions").get_data(
        as_text=True)
