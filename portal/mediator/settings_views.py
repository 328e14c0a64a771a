"""The settings page: generated from core.config.SETTINGS plus the policy's session limits."""

from __future__ import annotations

from typing import Any

from flask import redirect, render_template, request, url_for

from core.atomic import atomic_write
from core.config import BY_NAME, LANGUAGES, SETTINGS, SettingError
from core.passwords import MAX_PASSWORD, PasswordError
from policies import SessionLimits, SignatureError
from policies.signing import signature_path, trusted_keys, verify_bytes
from policies.store import TRUSTED_DIR
from portal import live
from portal.i18n import LANGUAGES as LANGUAGE_NAMES
from portal.i18n import has_catalogue

from ..limits import LOGO_LIMIT
from . import auth, bp, context, drafts
from .access import GRANT, as_attempt, keeper, refusal
from .catalogue_views import current_doc, save_doc
from .i18n import _m
from .terminal import KeeperError

HIDDEN = {"admin_password_hash", "logo", "portal_port"}
LOGO_TYPES = {b"\x89PNG\r\n\x1a\n": "png", b"\xff\xd8\xff": "jpg"}

LABELS = {  # French labels and help; a setting missing here is shown with its English help
    "association_name": ("Nom de l'association", "Affiché sur l'écran d'accueil."),
    "languages": ("Langues proposées", "Le français est toujours proposé."),
    "downloads": ("Téléchargements", "Les personnes peuvent télécharger des documents."),
    "printing": ("Impression", "Les personnes peuvent imprimer."),
    "mediator_network_access": ("Accès depuis le réseau",
                                "L'espace médiateur est joignable depuis les autres ordinateurs de "
                                "l'association (sinon, seulement sur la borne)."),
    "online_check": ("Adresse de test de la connexion Internet",
                     "La borne essaie de joindre cette adresse (nom:port) pour vous dire si elle "
                     "est en ligne, par exemple www.service-public.fr:443. Vide : pas de "
                     "vérification."),
    "wiped_notice_seconds": ("Écran « Session effacée » (secondes)",
                             "Après chaque session, la confirmation reste affichée ce temps, dans "
                             "la langue de la personne, avant l'écran d'accueil (0 : aucune)."),
    "question_outcome": ("Question de fin : démarche faite ?",
                         "À la fin de la session, demander « Avez-vous pu faire votre démarche ? » "
                         "(Oui, seul(e) / Oui, avec de l'aide / Non, pas encore). Facultatif pour "
                         "la personne ; réponse comptée, jamais liée à elle."),
    "question_first_time": ("Question de fin : première fois ?",
                            "Demander aussi « Première fois sur cette borne ? » (oui / non)."),
    "question_age_band": ("Question de fin : tranche d'âge",
                          "Demander aussi la tranche d'âge (moins de 26 ans / 26 à 59 ans / "
                          "60 ans et plus)."),
    "small_count_threshold": ("Seuil des petits nombres (exports)",
                              "Dans les exports, les réponses et l'autonomie comptées de 1 à ce "
                              "seuil moins un s'affichent « < seuil » : un si petit nombre "
                              "pourrait désigner quelqu'un."),
    "require_signed_policy": ("Catalogue signé obligatoire",
                              "Refuser un catalogue qui n'est pas signé par une clé de confiance."),
    "idle_minutes": ("Inactivité (minutes)",
                     "Sans action pendant ce temps, un compte à rebours commence."),
    "warning_seconds": ("Compte à rebours (secondes)",
                        "Durée de l'avertissement avant la fin de session."),
    "max_minutes": ("Durée maximale d'une session (minutes)", "Prévenu 5 minutes avant."),
    "strict_resources": ("Filtrage strict", "Images, scripts et données doivent aussi venir des "
                                           "adresses autorisées (plus sûr, mais certains "
                                           "sites cassent)."),
}
ERRORS = {
    "association_name": "Entrez un nom de 1 à 80 caractères.",
    "languages": "Choisissez au moins une langue de la liste.",
    "online_check": "Entrez un nom et un port, par exemple www.service-public.fr:443, ou rien.",
    "wiped_notice_seconds": "Entrez un nombre de secondes entre 0 et 30.",
    "small_count_threshold": "Entrez un nombre entier entre 1 et 20.",
}


def _fields() -> list[dict[str, Any]]:
    """One entry per field shown: name, label, help, kind (text/bool/languages/number)."""
    rows = []
    for setting in SETTINGS:
        if setting.name in HIDDEN:
            continue
        label, help_text = LABELS.get(setting.name, (setting.name, setting.help))
        label, help_text = _m(label), _m(help_text)
        kind = ("bool" if isinstance(setting.default, bool) else
                "languages" if setting.name == "languages" else
                "number" if isinstance(setting.default, int) else "text")
        rows.append({"name": setting.name, "label": label, "help": help_text, "kind": kind,
                     "group": "config"})
    for name in drafts.SESSION_FIELDS:
        label, help_text = map(_m, LABELS[name])
        kind = "bool" if name == "strict_resources" else "number"
        rows.append({"name": name, "label": label, "help": help_text, "kind": kind,
                     "group": "session"})
    return rows


def _values() -> dict[str, Any]:
    values = dict(context.config().values)
    values |= current_doc().get("session") or {}
    defaults = SessionLimits()
    for name in drafts.SESSION_FIELDS:
        values.setdefault(name, getattr(defaults, name))
    return values


def _read(field: dict[str, Any], form) -> Any:
    if field["kind"] == "bool":
        return form.get(field["name"]) == "on"
    if field["kind"] == "languages":
        return ",".join(form.getlist("languages")) or ""
    return form.get(field["name"], "").strip()


def _number(name: str, text: str, errors: dict) -> Any:
    try:
        return int(text) if name == "warning_seconds" or text.isdigit() \
            else float(text.replace(",", "."))
    except ValueError:
        errors[name] = [_m("Entrez un nombre.")]
        return None


@bp.route("/reglages", methods=["GET", "POST"])
@auth.required
def settings():
    fields = _fields()
    if request.method == "GET":
        return _page(fields, _values(), {})
    config, doc = context.config(), current_doc()
    session = dict(doc.get("session") or {})
    errors: dict[str, list[str]] = {}
    before = _values()
    values = dict(before)
    changed = []
    for field in fields:
        raw = _read(field, request.form)
        if field["group"] == "config" and field["kind"] in ("text", "number") \
                and field["name"] not in request.form:
            raw = before[field["name"]]  # not in this form (an older page): unchanged
        values[field["name"]] = raw
        if field["group"] == "config":
            try:
                new = config.set(field["name"], raw)
            except SettingError:
                errors[field["name"]] = [_m(ERRORS.get(field["name"], "Valeur refusée."))]
                continue
            if new != before[field["name"]]:
                changed.append(field["name"])
        else:
            value = raw if field["kind"] == "bool" else _number(field["name"], raw, errors)
            if value is not None and before[field["name"]] != value:
                session[field["name"]] = value
                changed.append(field["name"])
    if config["require_signed_policy"] and not before["require_signed_policy"] \
            and not _signed_now():
        errors["require_signed_policy"] = [_m(
            "Impossible pour l'instant : le catalogue en service n'est pas signé par une clé de "
            "confiance (keys/trusted/). Sinon la borne n'afficherait plus aucun site.")]
    new_doc = dict(doc, session=session)
    _policy, issues = drafts.validate(new_doc)
    for name, messages in drafts.field_errors(issues, "session").items():
        errors.setdefault(name, []).extend(messages)
    if errors:
        return _page(fields, values, errors, 400)
    return _save(config, doc, new_doc, changed)


def _signed_now() -> bool:
    """Would the policy in force still load if signatures became mandatory?"""
    store = context.store()
    try:
        data = store.path.read_bytes()
        signature = signature_path(store.path).read_bytes() \
            if signature_path(store.path).exists() else None
        verify_bytes(data, signature, trusted_keys(context.state() / TRUSTED_DIR))
    except (OSError, SignatureError):
        return False
    return True


def _save(config, doc, new_doc, changed: list[str]):
    if new_doc.get("session") != (doc.get("session") or {}):
        issues = save_doc(new_doc, "session_limits_changed",
                          ", ".join(n for n in changed if n in drafts.SESSION_FIELDS))
        if issues:
            return _page(_fields(), _values(), drafts.field_errors(issues, "session"), 400)
    config.save()
    config_changed = [n for n in changed if n in BY_NAME]
    if config_changed:
        context.audit().record("settings_changed", ", ".join(config_changed))
    apply_live(config)
    return redirect(url_for("mediator.settings", message="saved"), 303)


def apply_live(config) -> None:
    """The running portal shows the new name, logo, languages and printing from the next
    request on, without a restart (the live settings store, never the Flask config)."""
    live.store().update_from(config.values, context.state())


def _language_name(code: str) -> str:
    name = LANGUAGE_NAMES[code].native if code in LANGUAGE_NAMES else code
    return name if has_catalogue(code) else name + " " + _m("(traduction pas encore disponible)")


def _page(fields, values, errors, status: int = 200):
    languages = [(code, _language_name(code)) for code in LANGUAGES]
    return render_template("mediator/settings.html", fields=fields, values=values, errors=errors,
                           languages=languages, message=request.args.get("message"),
                           has_logo=live.shown().logo is not None,
                           logo_error=None), status


@bp.post("/reglages/logo")
@auth.required
def logo():
    upload = request.files.get("logo")
    data = upload.read(LOGO_LIMIT + 1) if upload else b""
    kind = next((ext for magic, ext in LOGO_TYPES.items() if data.startswith(magic)), None)
    error = None
    if not data:
        error = _m("Choisissez une image.")
    elif len(data) > LOGO_LIMIT:
        error = _m("Cette image est trop lourde : 512 Ko au plus.")
    elif kind is None:
        error = _m("Ce fichier n'est pas une image PNG ou JPEG.")
    if error:
        return render_template("mediator/settings.html", fields=_fields(), values=_values(),
                               errors={}, languages=[(c, _language_name(c)) for c in LANGUAGES],
                               message=None,
                               has_logo=live.shown().logo is not None,
                               logo_error=error), 400
    name = f"logo.{kind}"
    atomic_write(context.state() / name, data)
    config = context.config()
    config.set("logo", name)
    config.save()
    context.audit().record("logo_changed", f"{name}, {len(data)} octets")
    apply_live(config)
    return redirect(url_for("mediator.settings", message="logo"), 303)


@bp.route("/mot-de-passe", methods=["GET", "POST"])
@auth.required
def password():
    """Change the password from the page (the same hash `kiosk mediator set-password` writes)."""
    if request.method == "GET":
        return render_template("mediator/password.html", errors={},
                               message=request.args.get("message"))
    form = request.form
    errors: dict[str, str] = {}
    try:
        answer = keeper().set_password(form.get("current", "")[:MAX_PASSWORD],
                                       form.get("new", ""), form.get("again", ""))
        if not answer["accepted"]:
            attempt = as_attempt(answer)
            errors["current"] = _m("Ce n'est pas le mot de passe actuel.") \
                if not attempt.wait_seconds else refusal(attempt)
    except PasswordError as exc:
        errors["new"] = _m(str(exc))
    except KeeperError:  # the hash was removed since login: only the command line sets a first one
        errors["current"] = _m("Aucun mot de passe n'est encore défini. Sur la borne, dans un "
                               "terminal, tapez : kiosk mediator set-password")
    if errors:
        return render_template("mediator/password.html", errors=errors, message=None), 400
    auth.keep_secret(GRANT, answer.get("grant"))  # the keeper ended every grant but this new one
    others = auth.revoke_others()
    context.audit().record("password_set", "mot de passe changé depuis l'espace médiateur, "
                           f"{others} autre(s) connexion(s) fermée(s)")
    return redirect(url_for("mediator.password", message="changed"), 303)
