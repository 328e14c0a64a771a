"""Policy engine problems and URL decisions told in plain French, next to the right form field."""

from __future__ import annotations

import re

from policies import Decision, PolicyIssue, Reason

from .i18n import _m

_RANGE = re.compile(r"between ([^\s,]+) and ([^\s,]+)")


def issue_text(issue: PolicyIssue) -> str:
    """One French sentence for a PolicyIssue, chosen by its stable code."""
    code, name = issue.code, (issue.field or "").rsplit(".", 1)[-1]
    if code == "toml_syntax":
        where = _m(" (ligne %(n)s)", n=issue.line) if issue.line else ""
        return _m("Ce fichier n'est pas un catalogue lisible : erreur d'écriture%(where)s.",
                  where=where)
    if code == "broad_host_pattern":
        pattern = re.search(r"'([^']+)'", issue.message)
        return _m("Attention : « %(pattern)s » ouvre tous les sites des services publics sous ce "
                  "nom. Vérifiez que c'est bien voulu.", pattern=pattern.group(1) if pattern
                  else "?")
    if code == "too_deep":
        return _m("Ce fichier n'est pas un catalogue lisible : des listes ou des tableaux y sont "
                  "imbriqués trop profondément.")
    if code == "missing_key":
        return _m("Ce champ est obligatoire.")
    if code == "signing_refused":
        return _m("Le catalogue n'a pas pu être signé : déconnectez-vous, reconnectez-vous, puis "
                  "enregistrez à nouveau. Rien n'a été modifié.")
    if code == "unknown_key":
        return _m("Le champ « %(name)s » n'est pas connu.", name=name)
    if code == "unsupported_version":
        return _m("Cette version de catalogue n'est pas prise en charge (la version doit être 1).")
    if code == "wrong_type":
        return _wrong_type(name)
    if code == "out_of_range":
        match = _RANGE.search(issue.message)
        low, high = match.groups() if match else ("?", "?")
        return _m("La valeur doit être comprise entre %(low)s et %(high)s.", low=low, high=high)
    if code == "invalid_id":
        return _m("L'identifiant ne peut contenir que des lettres minuscules sans "
                  "accent, des chiffres, « _ » et « - » (par exemple : caf ou impots_gouv).")
    if code == "duplicate_id":
        return _m("Cet identifiant est déjà utilisé par un autre élément du catalogue.")
    if code == "invalid_host_pattern":
        return host_error_text(issue.message)
    if code == "unknown_category":
        return _m("Choisissez une catégorie qui existe.")
    if code == "invalid_url":
        return _m("Cette adresse n'est pas valide. Exemple : https://www.caf.fr/")
    if code == "insecure_url":
        return _m("L'adresse doit commencer par https:// (http:// seulement pour localhost).")
    if code == "url_outside_hosts":
        return _m("L'adresse de la tuile n'est pas couverte par les adresses "
                  "autorisées de ce site : ajoutez son nom (par exemple www.caf.fr) dans la liste.")
    if code == "bad_signature":
        return _m("La signature du catalogue est refusée : il n'a pas été enregistré.")
    if code == "no_history":
        return _m("Il n'y a pas de version précédente.")
    if code in ("missing", "unreadable"):
        return _m("Le catalogue est introuvable ou illisible.")
    return _m("Valeur refusée (%(code)s).", code=code)


def _wrong_type(name: str) -> str:
    if name == "hosts":
        return _m("Indiquez au moins une adresse autorisée, une par ligne.")
    if name == "keywords":
        return _m("Les mots-clés doivent être des mots séparés par des virgules.")
    if name == "strict_resources":
        return _m("Choisissez oui ou non.")
    if name in ("idle_minutes", "warning_seconds", "max_minutes"):
        return _m("Entrez un nombre.")
    return _m("Ce champ doit être du texte.")


_HOST_REASONS = (
    ("public suffix", "après « *. » il y a un nom où n'importe qui peut créer un site "
     "(*.github.io, *.co.uk, *.com.fr…) : indiquez le site lui-même"),
    ("IP address is not a site", "une adresse IP n'est pas un site : écrivez le nom du site "
     "(par exemple : caf.fr)"),
    ("loopback name needs a port", "un nom local (localhost) n'est permis qu'avec un numéro de "
     "port (par exemple : caf.localhost:8443)"),
    ("reserved for the terminal", "ce port est celui de la borne elle-même ou de l'impression"),
    ("without a scheme", "écrivez-la sans « https:// » ni « / » final (par exemple : caf.fr)"),
    ("character not allowed", "elle contient un caractère interdit (espace, guillemet…)"),
    ("wildcard is only allowed", "l'étoile n'est permise qu'au début, sous la forme *.caf.fr"),
    ("wildcard needs", "après « *. » il faut un nom complet, par exemple *.caf.fr"),
    ("IP address cannot take", "une adresse IP ne peut pas commencer par « *. »"),
    ("'..'", "un chemin ne peut pas contenir « .. »"),
    ("port must be", "le numéro de port doit être entre 1 et 65535"),
    ("needs a domain", "il faut un nom de domaine complet (par exemple : caf.fr), pas un seul mot"),
    ("IPv6", "l'adresse IPv6 est mal écrite"),
    ("dotted form", "écrivez l'adresse IP sous la forme habituelle (par exemple : 127.0.0.1)"),
)


def host_error_text(message: str) -> str:
    """French reason for a HostPatternError / invalid_host_pattern message."""
    for marker, text in _HOST_REASONS:
        if marker in message:
            return _m("Adresse refusée : %(why)s.", why=_m(text))
    return _m("Adresse refusée : ce n'est pas un nom de site valide (par exemple : "
              "caf.fr ou *.caf.fr).")


def decision_text(decision: Decision, names: dict[str, str]) -> str:
    """The tester's answer: would this address open, and why."""
    owner = names.get(decision.site_id or "", decision.site_id or "")
    if decision.allowed:
        if decision.reason is Reason.SHARED:
            return _m("Oui : cette adresse s'ouvre (service de connexion partagé « %(name)s »).",
                      name=owner)
        if decision.reason is Reason.INTERNAL:
            return _m("Oui : c'est une page de la borne elle-même.")
        return _m("Oui : cette adresse s'ouvre, elle fait partie du site « %(name)s ».", name=owner)
    reasons = {
        Reason.INVALID_URL: _m("ce n'est pas une adresse web valide."),
        Reason.SCHEME: _m("seules les adresses web (https://) peuvent s'ouvrir."),
        Reason.INSECURE: _m("les adresses en http:// (sans « s ») sont refusées."),
        Reason.PORT: _m("ce numéro de port n'est pas autorisé."),
    }
    why = reasons.get(decision.reason) or _m("%(host)s ne fait partie d'aucun site du catalogue.",
                                             host=decision.host or "?")
    return _m("Non : %(why)s", why=why)
