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

# Search words of the default catalogue worth translating: a resident searching in their own
# language finds the site (the search hint's examples must all find theirs, in every language).
DEFAULT_CATALOGUE_KEYWORDS = (
    N_('chômage'), N_('emploi'), N_('travail'), N_('allocations'), N_('enfants'),
    N_('médecin'), N_('remboursement'), N_('impôt'), N_('taxe'), N_('revenus'),
    N_('électricité'), N_('gaz'), N_('chauffage'), N_('facture'), N_('retraite'), N_('pension'),
    N_('formation'), N_('passeport'), N_("carte d'identité"), N_('permis'), N_('logement'),
    N_('appartement'), N_('titre de séjour'), N_('visa'), N_('amende'), N_('tribunal'),
    N_('avocat'), N_('colis'), N_('courrier'), N_('vaccin'), N_('ordonnance'),
)
