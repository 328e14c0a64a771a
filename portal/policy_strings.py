"""French texts of the default catalogue, marked so Babel extracts them for translation.

The portal shows a category label or site description in the resident's language when the
catalogue has a translation for that exact French text; edited texts simply show as written.
"""

from __future__ import annotations


def N_(text: str) -> str:
    """Mark a text for extraction without translating it here."""
    return text


DEFAULT_CATALOGUE_TEXTS = (
    N_('Famille'),
    N_('Santé, social et retraite'),
    N_('Emploi et formation'),
    N_('Argent et impôts'),
    N_('Papiers et identité'),
    N_('Logement et énergie'),
    N_('Étrangers en France'),
    N_('Justice'),
    N_('Transports'),
    N_("Allocations familiales, aide au logement, prime d'activité, RSA"),
    N_('Carte Vitale, remboursements, attestation de droits'),
    N_('Votre carnet de santé numérique'),
    N_('Sécurité sociale agricole : santé, famille, retraite'),
    N_("Déclarer ses revenus, avis d'impôt, payer"),
    N_("Aide pour payer l'électricité, le gaz ou le chauffage"),
    N_("S'inscrire, s'actualiser, chercher un emploi"),
    N_('Vos droits à la formation (CPF)'),
    N_('Votre relevé de carrière et votre future retraite'),
    N_('Demander sa retraite, attestation de paiement'),
    N_("Carte d'identité, passeport, permis de conduire, carte grise"),
    N_('Toutes les démarches expliquées simplement'),
    N_('Suivre un colis, lettre recommandée, identité numérique'),
    N_('Demander ou renouveler un logement social (HLM)'),
    N_('Demander ou renouveler un titre de séjour'),
    N_('Demander un extrait de casier judiciaire (bulletin n°3)'),
    N_('Aide juridictionnelle, suivre une affaire'),
    N_('Payer ou contester une amende'),
    N_("Vignette Crit'Air pour votre véhicule"),
)
