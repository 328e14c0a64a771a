"""Pages residents see: welcome, tiles, documents, help, blocked, end, countdown warnings."""

from __future__ import annotations

import logging

from flask import (
    Blueprint,
    abort,
    redirect,
    render_template,
    request,
    send_file,
    url_for,
)

from core.events import Event
from core.session_states import IDLE, TIME_LIMIT

from . import documents, i18n, live, printer
from .catalogue import get_groups, get_policy, policy_memo, search
from .security import cross_site
from .session import get_session

bp = Blueprint("resident", __name__)
log = logging.getLogger(__name__)

# Status messages after a redirect are enumerated keys, never text taken from the URL.
MESSAGES = {"deleted", "copied", "no_usb", "copy_failed", "help_sent", "printed", "no_printer",
            "print_failed"}
PRINT_MESSAGES = {"sent": "printed", "no_printer": "no_printer", "failed": "print_failed"}
WARNING_PAGES = {"inactivite": IDLE, "limite": TIME_LIMIT}  # URL -> core.session_states kind


def _message() -> str | None:
    key = request.args.get("message")
    return key if key in MESSAGES else None


@bp.get("/")
def welcome():
    language = i18n.current_language().code
    return policy_memo(("welcome", language), lambda _: render_template("resident/welcome.html"))


@bp.post("/commencer")
def start():
    get_session().request_start()
    return redirect(url_for("resident.home"), 303)


@bp.post("/langue")
def language():
    code = request.form.get("lang", "")
    if not i18n.is_offered(code):
        return render_template("resident/language_refused.html"), 400
    get_session().set_language(code)
    target = "resident.home" if request.form.get("next") == "home" else "resident.welcome"
    return redirect(url_for(target), 303)


@bp.get("/accueil")
def home():
    query = request.args.get("q", "")[:100]
    language = i18n.current_language().code
    if not query.strip():  # the page everyone sees: rendered once per policy and language
        return policy_memo(("home", language), lambda _: _render_home(language, ""))
    return _render_home(language, query)


def _render_home(language: str, query: str) -> str:
    groups = get_groups(language)
    shown = search(groups, query) if query.strip() else groups
    return render_template("resident/home.html", groups=shown, query=query,
                           empty_catalogue=not groups)


@bp.get("/ouvrir/<site_id>")
def open_tile(site_id: str):
    site = get_policy().site(site_id)
    if site is None:
        abort(404)
    if cross_site():
        abort(403)
    get_session().emit(Event("tile_opened", site_id=site.id))
    return redirect(site.url, 303)


def _folder():
    return get_session().documents_dir()


def _document(name: str) -> documents.Document:
    try:
        return documents.resolve(_folder(), name)
    except documents.DocumentNotFound:
        abort(404)


@bp.get("/documents")
def document_list():
    return render_template("resident/documents.html", files=documents.list_documents(_folder()),
                           usb=get_session().usb_dir() is not None, message=_message())


@bp.get("/documents/<name>")
def document_view(name: str):
    return render_template("resident/document.html", doc=_document(name),
                           usb=get_session().usb_dir() is not None, message=_message(),
                           printing=live.shown().printing)


def _pages(doc: documents.Document) -> int | None:
    try:
        return printer.page_count(_folder() / doc.name, doc.kind)
    except printer.NotPrintable:
        return None


def _printable_document(name: str) -> documents.Document:
    """The resident's document `name`, when printing is on. When the mediator turned printing
    off, a plain message instead (the request stops here), counted as a print without a
    printer."""
    doc = _document(name)
    if not live.shown().printing:
        get_session().emit(Event("print", detail="no_printer"))
        abort(redirect(url_for("resident.document_view", name=doc.name, message="no_printer"),
                       303))
    return doc


@bp.get("/documents/<name>/imprimer")
def document_print_confirm(name: str):
    """Say how many pages will come out before anything is printed."""
    doc = _printable_document(name)
    pages = _pages(doc)
    return render_template("resident/print.html", doc=doc, pages=pages), \
        200 if pages else 422


@bp.post("/documents/<name>/imprimer")
def document_print(name: str):
    """Send the document file itself to the printer, then say what happened."""
    doc = _printable_document(name)
    if not _pages(doc):
        return render_template("resident/print.html", doc=doc, pages=None), 422
    outcome = printer.send(_folder() / doc.name)
    get_session().emit(Event("print", detail=outcome))
    return redirect(url_for("resident.document_view", name=doc.name,
                            message=PRINT_MESSAGES[outcome]), 303)


@bp.get("/documents/<name>/fichier")
def document_file(name: str):
    doc = _document(name)
    if doc.mimetype is None:
        abort(404)
    # Content-Disposition per RFC 6266 (filename*= for non-ASCII) written by the framework.
    response = send_file(_folder() / doc.name, mimetype=doc.mimetype, max_age=0,
                         download_name=doc.name)
    response.headers["Content-Security-Policy"] = ("default-src 'none'; img-src 'self'; "
                                                   "style-src 'unsafe-inline'")
    return response


@bp.get("/documents/<name>/supprimer")
def document_delete_confirm(name: str):
    return render_template("resident/delete.html", doc=_document(name))


@bp.post("/documents/<name>/supprimer")
def document_delete(name: str):
    try:
        documents.delete(_folder(), name)
    except (documents.DocumentNotFound, OSError):
        abort(404)
    return redirect(url_for("resident.document_list", message="deleted"), 303)


@bp.post("/documents/<name>/copier")
def document_copy(name: str):
    target = get_session().usb_dir()
    if target is None:
        return redirect(url_for("resident.document_list", message="no_usb"), 303)
    try:
        documents.copy_to(_folder(), name, target)
    except documents.DocumentNotFound:
        abort(404)
    except OSError as exc:  # a key that went away, is full, or whose folder is a link
        log.warning("copy to the USB key refused: %s", type(exc).__name__)
        return redirect(url_for("resident.document_list", message="copy_failed"), 303)
    return redirect(url_for("resident.document_list", message="copied"), 303)


@bp.route("/aide", methods=["GET", "POST"])
def help_page():
    if request.method == "POST":
        get_session().request_help()
        return redirect(url_for("resident.help_page", message="help_sent"), 303)
    return render_template("resident/help.html", message=_message(),
                           pending=get_session().help_requested())


UNREACHABLE_CAUSES = ("dns", "refused", "reset", "timeout", "tls", "server")


@bp.get("/injoignable")
def unreachable():
    """A site that does not answer, said plainly (the kiosk window sends residents here)."""
    site = get_policy().site(request.args.get("site", ""))
    cause = request.args.get("cause")
    return render_template("resident/unreachable.html", site=site,
                           cause=cause if cause in UNREACHABLE_CAUSES else "server")


@bp.get("/injoignable/reessayer")
def unreachable_retry():
    """The kiosk window carries "Réessayer" and "Revenir" out itself (it alone holds the failed
    address and the history); reached without it, the tiles are the best answer."""
    return redirect(url_for("resident.home"), 303)


@bp.get("/injoignable/revenir")
def unreachable_back():
    return redirect(url_for("resident.home"), 303)


@bp.get("/hors-service")
def out_of_service():
    """Shown by the supervisor when a wipe could not be verified: nobody is served."""
    return render_template("resident/out_of_service.html"), 503


@bp.get("/bloque")
def blocked():
    return render_template("resident/blocked.html")


@bp.route("/fin", methods=["GET", "POST"])
def end():
    if request.method == "POST":
        get_session().request_end()
        return redirect(url_for("resident.wiped"), 303)
    return render_template("resident/end.html", questions=bool(_asked()))


# The end questions' answers in the order shown, each with its pictogram (the values are the
# counters' enumeration, core.events.QUESTIONS).
ANSWERS = {
    "outcome": (("alone", "person"), ("helped", "help"), ("not_yet", "clock")),
    "first_time": (("yes", "check"), ("no", "back")),
    "age_band": (("under_26", "school"), ("26_59", "work"), ("60_plus", "retirement")),
}


def _asked() -> tuple[str, ...]:
    return tuple(q for q in get_session().questions() if q in ANSWERS)


@bp.get("/fin/questions")
@bp.get("/fin/questions/<int:index>")
def questions(index: int = 0):
    """The optional questions before the wipe, one per page, each skippable in one tap."""
    asked = _asked()
    if index >= len(asked):
        return render_template("resident/end.html")  # none: the plain confirmation
    question = asked[index]
    return render_template("resident/question.html", question=question, index=index,
                           total=len(asked), answers=ANSWERS[question])


@bp.post("/fin/questions/<int:index>")
def answer(index: int):
    """Count the answer on its own, then the next question, or the end; "Passer" ends now
    (the questions not answered are counted as "no answer" by the session's end)."""
    asked = _asked()
    value = request.form.get("reponse", "")
    if index < len(asked) and value != "passer":
        question = asked[index]
        if value not in dict(ANSWERS[question]):
            return render_template("resident/question.html", question=question, index=index,
                                   total=len(asked), answers=ANSWERS[question]), 400
        get_session().answer(question, value)
        if index + 1 < len(asked):
            return redirect(url_for("resident.questions", index=index + 1), 303)
    get_session().request_end()
    return redirect(url_for("resident.wiped"), 303)


@bp.get("/fin/effacee")
def wiped():
    """After the end. `?langue=xx` is the terminal's own notice, shown by the window to the
    resident who is leaving, in their language, while the session is already wiped (the session
    language is French again): the window itself then opens the welcome screen."""
    code = request.args.get("langue", "")
    notice = i18n.is_offered(code)
    if notice:
        i18n.force_language(code)
    return render_template("resident/wiped.html", notice=notice)


@bp.get("/alerte/<kind>")
def warning(kind: str):
    if kind not in WARNING_PAGES:
        abort(404)
    page = "resident/_warning.html" if request.args.get("partiel") else "resident/warning.html"
    seconds = get_session().seconds_left()
    return render_template(page, kind=WARNING_PAGES[kind],
                           seconds=seconds if seconds is not None else 0)


@bp.post("/alerte/continuer")
def still_here():
    get_session().emit(Event("activity"))
    return redirect(url_for("resident.home"), 303)


@bp.get("/logo")
def logo():
    path = live.shown().logo
    if not path:
        abort(404)
    return send_file(path, max_age=300)
