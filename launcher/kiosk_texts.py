"""Everything the kiosk window itself says (toolbar, overlays, messages), per language.

The window learns the resident's language from the portal's pages (`<html lang>`), so the
toolbar and every message follow the language chosen on the welcome screen. French is the
source; a language missing here is shown in French. Arabic is right-to-left."""

from __future__ import annotations

RTL = {"ar", "fa", "ps"}

TEXTS: dict[str, dict[str, str]] = {
    "fr": {
        "toolbar": "Barre de la borne", "home": "Accueil", "back": "Retour",
        "documents": "Mes documents", "print": "Imprimer", "bigger": "Agrandir le texte",
        "smaller": "Réduire le texte", "help": "Aide", "end": "Terminer la session",
        "keyboard": "Clavier",
        "minutes": "{n} min", "hours": "{h} h {m}", "under_minute": "< 1 min",
        "time_left": "Temps restant : {t}",
        "idle_title": "Êtes-vous toujours là ?",
        "idle_text": "La session va se terminer. Touchez l'écran ou une touche pour continuer.",
        "continue": "Continuer",
        "limit_title": "La session va bientôt se terminer",
        "limit_text": "Pensez à enregistrer ou imprimer vos documents.",
        "understood": "J'ai compris",
        "blocked_title": "Ce site n'est pas disponible sur cette borne",
        "blocked_text": "Il ne fait pas partie des sites autorisés. Vous pouvez revenir à la page "
                        "précédente ou retourner à l'accueil.",
        "go_back": "Revenir",
        "print_title": "Imprimer cette page ?",
        "print_text": "La page sera envoyée à l'imprimante de l'association.",
        "cancel": "Annuler",
        "end_title": "Terminer la session ?", "end_lead": "Avant de partir :",
        "end_logout": "Déconnectez-vous des sites où vous êtes connecté (bouton « Se "
                      "déconnecter »).",
        "end_printer": "Prenez vos feuilles dans l'imprimante.",
        "end_usb": "Copiez sur votre clé USB les documents à garder, et reprenez votre clé.",
        "end_docs_0": "Vous n'avez aucun document sur la borne.",
        "end_docs_1": "Vous avez 1 document sur la borne : il sera effacé.",
        "end_docs_n": "Vous avez {n} documents sur la borne : ils seront effacés.",
        "end_erase": "Ensuite, tout sera effacé : vos documents, vos mots de passe, les sites "
                     "visités.",
        "end_yes": "Oui, terminer", "end_no": "Non, continuer",
        "help_title": "Demander de l'aide ?",
        "help_text": "Un médiateur de l'association verra votre demande et viendra vous aider.",
        "help_yes": "Oui, appeler un médiateur",
        "help_sent_title": "Votre demande est envoyée",
        "help_sent_text": "Un médiateur va venir vous aider. Vous pouvez continuer en "
                          "attendant.",
        "help_failed_title": "La demande n'est pas partie",
        "help_failed_text": "Levez la main ou allez voir un médiateur à l'accueil de "
                            "l'association.",
        "saved_title": "Document enregistré",
        "saved_text": "Vous le retrouvez dans « Mes documents ».", "view": "Voir le document",
        "ok": "OK",
        "listen": "Écouter", "stop_reading": "Arrêter",
    },
    "en": {
        "toolbar": "Terminal toolbar", "home": "Home", "back": "Back",
        "documents": "My documents", "print": "Print", "bigger": "Bigger text",
        "smaller": "Smaller text", "help": "Help", "end": "End the session",
        "keyboard": "Keyboard",
        "minutes": "{n} min", "hours": "{h} h {m}", "under_minute": "< 1 min",
        "time_left": "Time left: {t}",
        "idle_title": "Are you still there?",
        "idle_text": "The session is about to end. Touch the screen or press a key to go on.",
        "continue": "Continue",
        "limit_title": "The session will end soon",
        "limit_text": "Remember to save or print your documents.",
        "understood": "I understand",
        "blocked_title": "This site is not available on this terminal",
        "blocked_text": "It is not one of the allowed sites. You can go back to the previous page "
                        "or return home.",
        "go_back": "Go back",
        "print_title": "Print this page?",
        "print_text": "The page will be sent to the association's printer.",
        "cancel": "Cancel",
        "end_title": "End the session?", "end_lead": "Before you leave:",
        "end_logout": "Log out of the sites where you are logged in (\"Log out\" button).",
        "end_printer": "Take your pages from the printer.",
        "end_usb": "Copy the documents you want to keep to your USB stick, and take your "
                   "stick back.",
        "end_docs_0": "You have no document on the terminal.",
        "end_docs_1": "You have 1 document on the terminal: it will be erased.",
        "end_docs_n": "You have {n} documents on the terminal: they will be erased.",
        "end_erase": "Then everything will be erased: your documents, your passwords, the sites "
                     "visited.",
        "end_yes": "Yes, end", "end_no": "No, continue",
        "help_title": "Ask for help?",
        "help_text": "A mediator of the association will see your request and come to help you.",
        "help_yes": "Yes, call a mediator",
        "help_sent_title": "Your request has been sent",
        "help_sent_text": "A mediator will come to help you. You can go on while you wait.",
        "help_failed_title": "The request did not go through",
        "help_failed_text": "Raise your hand or go to a mediator at the association's desk.",
        "saved_title": "Document saved",
        "saved_text": "You will find it in \"My documents\".", "view": "View the document",
        "ok": "OK",
        "listen": "Listen", "stop_reading": "Stop",
    },
    "ar": {
        "toolbar": "شريط الجهاز", "home": "الرئيسية", "back": "رجوع",
        "documents": "مستنداتي", "print": "طباعة", "bigger": "تكبير النص",
        "smaller": "تصغير النص", "help": "مساعدة", "end": "إنهاء الجلسة",
        "keyboard": "لوحة المفاتيح",
        "minutes": "{n} دقيقة", "hours": "{h} س {m}", "under_minute": "أقل من دقيقة",
        "time_left": "الوقت المتبقي: {t}",
        "idle_title": "هل ما زلت هنا؟",
        "idle_text": "ستنتهي الجلسة. المس الشاشة أو اضغط على أي زر للمتابعة.",
        "continue": "متابعة",
        "limit_title": "ستنتهي الجلسة قريبًا",
        "limit_text": "لا تنس حفظ مستنداتك أو طباعتها.",
        "understood": "فهمت",
        "blocked_title": "هذا الموقع غير متاح في هذا الجهاز",
        "blocked_text": "إنه ليس من المواقع المسموح بها. يمكنك الرجوع إلى الصفحة السابقة أو "
                        "العودة إلى الرئيسية.",
        "go_back": "رجوع",
        "print_title": "هل تريد طباعة هذه الصفحة؟",
        "print_text": "ستُرسل الصفحة إلى طابعة الجمعية.",
        "cancel": "إلغاء",
        "end_title": "هل تريد إنهاء الجلسة؟", "end_lead": "قبل أن تغادر:",
        "end_logout": "سجّل الخروج من المواقع التي دخلت إليها (زر «تسجيل الخروج»).",
        "end_printer": "خذ أوراقك من الطابعة.",
        "end_usb": "انسخ على مفتاح USB المستندات التي تريد الاحتفاظ بها، وخذ مفتاحك.",
        "end_docs_0": "ليس لديك أي مستند على الجهاز.",
        "end_docs_1": "لديك مستند واحد على الجهاز: سيُحذف.",
        "end_docs_n": "لديك {n} مستندات على الجهاز: ستُحذف.",
        "end_erase": "بعد ذلك سيُحذف كل شيء: مستنداتك، كلمات المرور، المواقع التي زرتها.",
        "end_yes": "نعم، إنهاء", "end_no": "لا، متابعة",
        "help_title": "هل تطلب المساعدة؟",
        "help_text": "سيرى وسيط من الجمعية طلبك ويأتي لمساعدتك.",
        "help_yes": "نعم، نادِ وسيطًا",
        "help_sent_title": "تم إرسال طلبك",
        "help_sent_text": "سيأتي وسيط لمساعدتك. يمكنك المتابعة أثناء الانتظار.",
        "help_failed_title": "لم يُرسل الطلب",
        "help_failed_text": "ارفع يدك أو اذهب إلى وسيط في استقبال الجمعية.",
        "saved_title": "تم حفظ المستند",
        "saved_text": "ستجده في «مستنداتي».", "view": "عرض المستند",
        "ok": "حسنًا",
        "listen": "استمع", "stop_reading": "إيقاف",
    },
}

# Messages the window's Python side shows (downloads, printing), by their French wording.
MESSAGES: dict[str, dict[tuple[str, str], tuple[str, str]]] = {
    "en": {
        ("Fichier refusé", "Ce type de fichier ne peut pas être enregistré sur cette borne. "
         "Seuls les documents (PDF, images, textes, bureautique) sont acceptés."):
        ("File refused", "This kind of file cannot be saved on this terminal. Only documents "
         "(PDF, images, text, office files) are accepted."),
        ("Aucune imprimante n'est disponible",
         "Cette borne n'a pas d'imprimante. Demandez de l'aide à un médiateur."):
        ("No printer is available", "This terminal has no printer. Ask a mediator for help."),
        ("L'impression n'a pas marché", "Le document n'a pas pu être envoyé à l'imprimante. "
         "Demandez de l'aide à un médiateur."):
        ("Printing did not work", "The document could not be sent to the printer. Ask a "
         "mediator for help."),
        ("Impression lancée", "Votre page est envoyée à l'imprimante."):
        ("Printing started", "Your page is being sent to the printer."),
        ("Document enregistré", "Vous le retrouvez dans « Mes documents »."):
        ("Document saved", "You will find it in \"My documents\"."),
        ("La lecture à voix haute ne marche pas", "La borne ne peut pas lire à voix haute "
         "pour le moment. Demandez de l'aide à un médiateur."):
        ("Reading aloud does not work", "The terminal cannot read aloud at the moment. Ask a "
         "mediator for help."),
    },
    "ar": {
        ("Fichier refusé", "Ce type de fichier ne peut pas être enregistré sur cette borne. "
         "Seuls les documents (PDF, images, textes, bureautique) sont acceptés."):
        ("تم رفض الملف", "لا يمكن حفظ هذا النوع من الملفات في هذا الجهاز. تُقبل المستندات فقط "
         "(PDF، صور، نصوص، ملفات مكتبية)."),
        ("Aucune imprimante n'est disponible",
         "Cette borne n'a pas d'imprimante. Demandez de l'aide à un médiateur."):
        ("لا توجد طابعة متاحة", "هذا الجهاز ليس له طابعة. اطلب المساعدة من وسيط."),
        ("L'impression n'a pas marché", "Le document n'a pas pu être envoyé à l'imprimante. "
         "Demandez de l'aide à un médiateur."):
        ("لم تنجح الطباعة", "تعذّر إرسال المستند إلى الطابعة. اطلب المساعدة من وسيط."),
        ("Impression lancée", "Votre page est envoyée à l'imprimante."):
        ("بدأت الطباعة", "تُرسل صفحتك إلى الطابعة."),
        ("Document enregistré", "Vous le retrouvez dans « Mes documents »."):
        ("تم حفظ المستند", "ستجده في «مستنداتي»."),
        ("La lecture à voix haute ne marche pas", "La borne ne peut pas lire à voix haute "
         "pour le moment. Demandez de l'aide à un médiateur."):
        ("القراءة بصوت عالٍ لا تعمل", "لا يستطيع الجهاز القراءة بصوت عالٍ الآن. اطلب المساعدة "
         "من وسيط."),
    },
}


def language_of(code: object) -> str:
    """A language the window can speak, from a page's `lang` attribute; French otherwise."""
    if not isinstance(code, str):
        return "fr"
    base = code.strip().lower().split("-")[0]
    return base if base in TEXTS else "fr"


def texts(language: str) -> dict[str, str]:
    return TEXTS.get(language, TEXTS["fr"])


def message(language: str, title: str, text: str) -> tuple[str, str]:
    """A Python-side message (French) in the resident's language."""
    return MESSAGES.get(language, {}).get((title, text), (title, text))
