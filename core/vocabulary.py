"""One French name and one definition per figure, shared by the terminal's statistics page, the
exports and the funder's hub: the same number is never called two different things."""

from __future__ import annotations

from core.counters import OTHER

SESSIONS_NOT_PEOPLE = ("Une session va de « Commencer » à la fin (ou à l'inactivité) : "
                       "une même personne peut en ouvrir plusieurs. Sessions ≠ personnes.")

THEMATIC_LABELS = {
    "papiers_elections_citoyennete": "Papiers - Élections - Citoyenneté",
    "famille_scolarite": "Famille - Scolarité",
    "social_sante": "Social - Santé",
    "travail_formation": "Travail - Formation - Entreprise",
    "logement": "Logement",
    "transports_mobilite": "Transports - Mobilité",
    "argent_impots": "Argent - Impôts",
    "justice": "Justice",
    "etrangers_europe": "Étrangers - Europe",
    "loisirs_sports_culture": "Loisirs - Sports - Culture",
    "associations": "Associations",
    "sante": "Santé",
    "insertion_professionnelle": "Insertion professionnelle",
    "email": "Courriel",
    "navigation_sur_internet": "Navigation sur internet",
    "securite_numerique": "Sécurité numérique",
    "aide_aux_demarches_administratives": "Aide aux démarches administratives",
    OTHER: "Autre",
}
END_LABELS = {"user": "Terminée par la personne", "idle": "Inactivité",
              "time_limit": "Durée maximale atteinte", "mediator": "Terminée par le médiateur",
              "crash_recovery": "Reprise après une panne"}
DURATION_LABELS = {"lt10": "Moins de 10 minutes", "10_30": "10 à 30 minutes",
                   "30_60": "30 à 60 minutes", "gt60": "Plus de 60 minutes",
                   "unknown": "Durée inconnue"}
HOUR_LABELS = {"before_9": "Avant 9 h", "9_12": "9 h à 12 h", "12_14": "12 h à 14 h",
               "14_17": "14 h à 17 h", "after_17": "Après 17 h"}
DOWNLOAD_LABELS = {"accepted": "Téléchargements acceptés", "refused": "Téléchargements refusés"}
PRINT_LABELS = {"sent": "Impressions envoyées", "no_printer": "Impressions sans imprimante",
                "failed": "Impressions en échec"}
TOTAL_LABELS = {"sessions_started": "Sessions commencées",
                "navigation_refused": "Pages refusées", "help_requested": "Demandes d'aide",
                "accompanied_unlock": "Déverrouillages en mode accompagné",
                "download": "Téléchargements (acceptés ou refusés)",
                "print": "Impressions (toutes issues)",
                "site_unreachable": "Sites qui ne répondaient pas",
                "help_outcome": "Demandes d'aide vues ou restées sans réponse",
                "read_aloud": "Sessions avec lecture à voix haute",
                "keyboard": "Sessions avec clavier à l'écran"}
LANGUAGE_NAMES = {
    "fr": "français", "en": "anglais", "ar": "arabe", "es": "espagnol", "pt": "portugais",
    "it": "italien", "de": "allemand", "tr": "turc", "ru": "russe", "uk": "ukrainien",
    "ro": "roumain", "pl": "polonais", "bg": "bulgare", "zh": "chinois", "vi": "vietnamien",
    "fa": "persan", "ps": "pachto", "ku": "kurde", "hy": "arménien", "ka": "géorgien",
    "sq": "albanais", "sr": "serbe", "so": "somali", "sw": "swahili", "wo": "wolof",
    "bm": "bambara", "ff": "peul", "ln": "lingala", "ta": "tamoul", "ber": "berbère",
    OTHER: "autre langue",
}

# Column group prefixes of the exports (one column per key after the prefix).
END_PREFIX, DURATION_PREFIX, HOUR_PREFIX = "Fin de session", "Durée", "Début de session"
THEMATIC_PREFIX, SITE_PREFIX, LANGUAGE_PREFIX = "Thématique", "Site", "Langue"

DEFINITIONS = (
    (TOTAL_LABELS["sessions_started"], SESSIONS_NOT_PEOPLE),
    (f"{END_PREFIX} : …", "Sessions terminées, selon ce qui les a terminées. Leur somme est le "
     "nombre de sessions terminées dans le mois."),
    (f"{DURATION_PREFIX} : …", "Sessions terminées, selon leur durée ; leur somme est le nombre "
     "de sessions terminées. « Plus de 60 minutes » : en pratique les sessions arrêtées par la "
     "durée maximale (60 minutes par défaut). « Durée inconnue » : sessions interrompues par une "
     "panne, dont le début n'a pas pu être relu."),
    (f"{HOUR_PREFIX} : …", "Sessions commencées, selon l'heure de début (heure de la borne)."),
    (f"{THEMATIC_PREFIX} : …", "Ouvertures de tuiles du catalogue, regroupées par thématique de "
     "la médiation numérique. Seules les thématiques du catalogue sont présentées."),
    (f"{SITE_PREFIX} : …", "Ouvertures de la tuile de ce site (une session peut en ouvrir "
     "plusieurs)."),
    (f"{LANGUAGE_PREFIX} : …", "Sessions terminées, selon la langue utilisée (la dernière "
     "choisie pendant la session ; le français si personne n'en a changé)."),
    (TOTAL_LABELS["navigation_refused"], "Pages hors du catalogue que la borne a refusé "
     "d'ouvrir."),
    (DOWNLOAD_LABELS["accepted"], "Documents téléchargés pendant une session."),
    (DOWNLOAD_LABELS["refused"], "Téléchargements refusés (type ou taille non autorisés)."),
    (PRINT_LABELS["sent"], "Impressions envoyées à l'imprimante."),
    (PRINT_LABELS["no_printer"], "Demandes d'impression sans imprimante disponible."),
    (PRINT_LABELS["failed"], "Impressions que l'imprimante n'a pas acceptées."),
    (TOTAL_LABELS["help_requested"], "Appuis sur « Demander de l'aide »."),
    (TOTAL_LABELS["accompanied_unlock"], "Sites ouverts par un médiateur hors du catalogue "
     "(mode accompagné)."),
    (TOTAL_LABELS["read_aloud"], "Sessions où la personne a appuyé au moins une fois sur "
     "« Écouter » (lecture à voix haute). Seul ce nombre est gardé, jamais ce qui a été lu."),
    (TOTAL_LABELS["keyboard"], "Sessions où la personne a ouvert le clavier à l'écran (bouton "
     "« Clavier »). Seul ce nombre est gardé, jamais ce qui a été tapé."),
    ("Bornes attendues", "Bornes de l'association inscrites avant la fin du mois et non "
     "révoquées."),
    ("Rapports reçus", "Rapports mensuels reçus des bornes pour ce mois."),
    ("Rapports manquants", "Bornes attendues dont le rapport n'est pas arrivé : leurs chiffres "
     "manquent (cases vides), ce n'est pas zéro."),
    ("Mois complet", "« non » : le mois n'était pas fini quand le rapport a été envoyé ; les "
     "chiffres vont encore augmenter."),
    ("Autonomie (sessions)", "Sans question posée : une session est « accompagnée » quand un "
     "médiateur a débloqué un site pour elle ou a répondu « J'y vais » à sa demande d'aide, "
     "sinon « seul(e) »."),
    ("Démarche faite ? / Première fois ? / Âge", "Réponses facultatives en fin de session, "
     "chacune comptée à part (jamais reliée aux autres réponses de la même personne) ; « Sans "
     "réponse » : question passée ou session finie autrement (inactivité, durée, médiateur)."),
    ("« < 3 »", "Entre 1 et 2 (le seuil est un réglage) : un si petit nombre pourrait désigner "
     "quelqu'un dans une petite association, il n'est donc pas publié."),
)


def language_label(code: str) -> str:
    return LANGUAGE_NAMES.get(code, LANGUAGE_NAMES[OTHER])


# The end-of-session questions and the autonomy indicator (columns of the monthly table).
AUTONOMY_PREFIX = "Autonomie (sessions)"
AUTONOMY_LABELS = {"alone": "Seul(e)", "accompanied": "Accompagnée par un médiateur",
                   "unknown": "Inconnu (après une panne)"}
ANSWER_PREFIXES = {"answer_outcome": "Démarche faite ?", "answer_first_time": "Première fois ?",
                   "answer_age_band": "Âge"}
ANSWER_LABELS = {
    "answer_outcome": {"alone": "Oui, seul(e)", "helped": "Oui, avec de l'aide",
                       "not_yet": "Non, pas encore", "no_answer": "Sans réponse"},
    "answer_first_time": {"yes": "Oui", "no": "Non", "no_answer": "Sans réponse"},
    "answer_age_band": {"under_26": "Moins de 26 ans", "26_59": "26 à 59 ans",
                        "60_plus": "60 ans et plus", "no_answer": "Sans réponse"},
}
