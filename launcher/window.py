"""The kiosk window's behaviour on Qt: the pure decisions wired to profile, page and input.

Hooked into pywebview's Qt backend by `pywebview_hooks.install`.
"""

from __future__ import annotations

import json
import logging
import threading
import time
from dataclasses import replace
from importlib import resources

from PyQt6 import sip
from PyQt6.QtCore import QEvent, QFile, QIODevice, QObject, Qt, QTimer, QUrl, pyqtSignal, pyqtSlot
from PyQt6.QtWebChannel import QWebChannel
from PyQt6.QtWebEngineCore import (
    QWebEnginePage,
    QWebEngineProfile,
    QWebEngineScript,
    QWebEngineSettings,
    QWebEngineUrlRequestInfo,
    QWebEngineUrlRequestInterceptor,
)
from PyQt6.QtWebEngineWidgets import QWebEngineView  # noqa: F401 - must precede QApplication
from PyQt6.QtWidgets import QApplication

from core import printing
from core.events import Event
from core.layout import SessionPaths
from core.session_states import IDLE, TIME_LIMIT

from . import bridge, error_pages, keyboard, kiosk_texts, portal_pages, speech, uploads
from .download_flow import DownloadFlow
from .navigation import NavigationGate
from .options import WindowOptions
from .print_flow import PrintFlow
from .protocol import Command, EventWriter
from .shortcuts import KeyAction, classify
from .toolbar import ToolbarState

log = logging.getLogger(__name__)
WORLD = QWebEngineScript.ScriptWorldId.ApplicationWorld
ACCEPT_LANGUAGE = "fr-FR,fr;q=0.9"
_INPUT_EVENTS = {QEvent.Type.KeyPress, QEvent.Type.MouseButtonPress, QEvent.Type.Wheel,
                 QEvent.Type.TouchBegin, QEvent.Type.MouseMove}
_KEY_NAMES = {getattr(Qt.Key, f"Key_F{n}"): f"F{n}" for n in range(1, 13)} | {
    Qt.Key.Key_Left: "Left", Qt.Key.Key_Right: "Right", Qt.Key.Key_Up: "Up",
    Qt.Key.Key_Down: "Down", Qt.Key.Key_Home: "Home", Qt.Key.Key_Tab: "Tab",
    Qt.Key.Key_Backtab: "Tab", Qt.Key.Key_Escape: "Escape", Qt.Key.Key_Space: "Space",
    Qt.Key.Key_Plus: "Plus", Qt.Key.Key_Minus: "Minus", Qt.Key.Key_Equal: "Equal",
    Qt.Key.Key_PageUp: "PageUp", Qt.Key.Key_PageDown: "PageDown", Qt.Key.Key_Delete: "Delete",
    Qt.Key.Key_Menu: "Menu",
}
PRINTING_OFF = ("Pas d'impression sur cette borne",
                "L'impression n'est pas proposée ici. Demandez de l'aide à un médiateur.")
READ_ALOUD_OFF = ("La lecture à voix haute ne marche pas",
                  "La borne ne peut pas lire à voix haute pour le moment. "
                  "Demandez de l'aide à un médiateur.")
DOWNLOADS_OFF = ("Pas de téléchargement sur cette borne",
                 "Les documents ne peuvent pas être enregistrés ici. "
                 "Demandez de l'aide à un médiateur.")
_SUBFRAME_TYPES = {QWebEngineUrlRequestInfo.ResourceType.ResourceTypeSubFrame}
_MAIN_TYPES = {QWebEngineUrlRequestInfo.ResourceType.ResourceTypeMainFrame}


def url_text(url: QUrl) -> str:
    """The URL exactly as the engine holds it (fully encoded), for the allowlist to parse."""
    return url.toString(QUrl.ComponentFormattingOption.FullyEncoded)


def _origin(url: str) -> str:
    parsed = QUrl(url)
    port = f":{parsed.port()}" if parsed.port() != -1 else ""
    return f"{parsed.scheme()}://{parsed.host()}{port}"


def key_name(key: int) -> str:
    """Name a Qt key the way shortcuts.classify expects."""
    if key in _KEY_NAMES:
        return _KEY_NAMES[key]
    if 0x20 < key < 0x7F:
        return chr(key).upper()
    return f"key{key}"


class Interceptor(QWebEngineUrlRequestInterceptor):
    """Last line of defence: every request of the profile (popups, workers included)."""

    def __init__(self, controller: Controller) -> None:
        super().__init__()
        self._controller = controller

    def interceptRequest(self, info: QWebEngineUrlRequestInfo) -> None:  # noqa: N802
        try:
            if not self._controller.request_allowed(url_text(info.requestUrl()),
                                                    info.resourceType()):
                info.block(True)
        except Exception as exc:  # noqa: BLE001 - an exception here would abort the process
            log.error("request check failed, request blocked: %s", type(exc).__name__)
            info.block(True)  # fail closed


class BridgeObject(QObject):
    """The only object on the web channel, reachable only from the isolated world."""

    def __init__(self, controller: Controller) -> None:
        super().__init__()
        self._controller = controller

    @pyqtSlot(str)
    def call(self, name: str) -> None:
        try:
            bridge.dispatch(self._controller.bridge_actions, name)
        except Exception as exc:  # noqa: BLE001 - a page must never crash the window
            log.error("bridge call failed: %s", type(exc).__name__)

    @pyqtSlot(str, str)
    def read(self, text: str, lang: str) -> None:
        """"Écouter": the text comes from the launcher's isolated-world script only (page scripts
        cannot reach this object); it is spoken and forgotten, never logged."""
        try:
            self._controller.read_aloud(text, lang)
        except Exception as exc:  # noqa: BLE001 - a page must never crash the window
            log.error("read aloud call failed: %s", type(exc).__name__)


class Controller(QObject):
    """Owns the kiosk behaviour of one window: decisions in, Qt calls out."""

    command_received = pyqtSignal(object)
    help_answered = pyqtSignal(bool)

    def __init__(self, gate: NavigationGate, writer: EventWriter, paths: SessionPaths, home: str,
                 options: WindowOptions, live_policy=None, portal: str | None = None,
                 kept: bool = False) -> None:
        super().__init__()
        self.gate, self.writer, self.paths, self.home = gate, writer, paths, home
        self.live_policy = live_policy
        self.options = options
        self.kept = kept  # the window outlives sessions; the supervisor sends "clear"
        self.downloads_allowed = True  # the mediator's settings, sent as "features"
        self.state = ToolbarState(internal_origin=_origin(portal) if portal else "")
        self.browser = None
        self.page: QWebEnginePage | None = None
        self.profile: QWebEngineProfile | None = None
        self._ready = False
        self._notice: QUrl | None = None  # shown between two residents, before HOME
        self._clears = 0
        self._script: QWebEngineScript | None = None
        self._keyboard_counted = False  # "keyboard" sent for this resident
        self.downloads = DownloadFlow(paths, writer, self.show_message, self.show_saved)
        self.printing = PrintFlow(paths, writer, self.show_message)
        self.interceptor = Interceptor(self)
        self.bridge_object = BridgeObject(self)
        # Looked up at call time: `clear` replaces the flows for every new resident, and an
        # action bound to the first resident's PrintFlow would print from a deleted page.
        self.bridge_actions = {
            "home": self.go_home, "documents": self.show_documents, "print": self.ask_print,
            "print_confirmed": self.print_confirmed, "bigger": lambda: self.zoom(+1),
            "smaller": lambda: self.zoom(-1), "end": self.end_requested,
            "dismiss": self.dismiss_warning, "view_saved": self.view_saved,
            "back": self.go_back, "help": self.send_help, "end_ask": self.ask_end,
            "read_stop": self.stop_reading,
            "keyboard": self.toggle_keyboard,
        }
        self.bridge_actions["home"] = self.go_tiles
        self.command_received.connect(self.on_command)
        self.help_answered.connect(lambda ok: self.run_js(f"__kiosk.helpSent({json.dumps(ok)})"))
        self.speech: speech.Speech | None = None  # made in attach(), once the app exists
        self._read_asked = False    # a press waits for the engine: its failure is said
        self._read_counted = False  # "read aloud used" is counted once per session

    # -- setup ---------------------------------------------------------------------------------

    def configure_profile(self, profile: QWebEngineProfile) -> None:
        """An off-the-record profile (browsing state in memory only), downloads into the session
        dir, external schemes refused, every request through the interceptor."""
        if not profile.isOffTheRecord():
            raise RuntimeError("the kiosk only browses with off-the-record profiles")
        profile.setHttpCacheType(QWebEngineProfile.HttpCacheType.MemoryHttpCache)
        profile.setDownloadPath(str(self.paths.incoming))
        profile.setPersistentPermissionsPolicy(
            QWebEngineProfile.PersistentPermissionsPolicy.StoreInMemory)
        profile.setSpellCheckEnabled(False)
        profile.setHttpAcceptLanguage(ACCEPT_LANGUAGE)
        profile.setUrlRequestInterceptor(self.interceptor)
        settings = profile.settings()
        settings.setUnknownUrlSchemePolicy(
            QWebEngineSettings.UnknownUrlSchemePolicy.DisallowUnknownUrlSchemes)
        attr = QWebEngineSettings.WebAttribute
        for name, value in (("LocalContentCanAccessFileUrls", False),
                            ("LocalContentCanAccessRemoteUrls", False),
                            ("JavascriptCanAccessClipboard", False), ("PluginsEnabled", False),
                            ("FullScreenSupportEnabled", False), ("ScreenCaptureEnabled", False),
                            ("NavigateOnDropEnabled", False), ("PdfViewerEnabled", False),
                            ("AllowRunningInsecureContent", False), ("DnsPrefetchEnabled", False),
                            ("AllowWindowActivationFromJavaScript", False),
                            ("ErrorPageEnabled", True)):
            if hasattr(attr, name):
                settings.setAttribute(getattr(attr, name), value)
        try:
            profile.downloadRequested.disconnect()
        except TypeError:
            pass
        profile.downloadRequested.connect(self.on_download)

    def attach(self, browser) -> None:
        """Called once pywebview built the window: geometry, scripts, bridge, input filter."""
        self.browser = browser
        self.profile = browser.profile
        self.speech = speech.Speech()
        self.speech.speaking.connect(
            lambda on: self.run_js(f"__kiosk.speaking({json.dumps(bool(on))})"))
        self.speech.failed.connect(self._speech_failed)
        # pywebview mirrors every cookie into a dict of its own: never keep that copy.
        self.profile.cookieStore().cookieAdded.disconnect()
        self._wire_page(browser.webview.page())
        QApplication.instance().installEventFilter(self)
        QTimer.singleShot(0, self._place_window)

    def _wire_page(self, page: QWebEnginePage) -> None:
        self.page = page
        page.loadFinished.connect(self.on_load_finished)
        page.loadingChanged.connect(self.on_loading_changed)
        page.printRequested.connect(self.ask_print)
        page.loadStarted.connect(self.speech.stop)  # the text read belonged to the page left
        self.printing.attach(page)
        page.permissionRequested.connect(lambda permission: permission.deny())
        channel = QWebChannel(page)
        channel.registerObject("kiosk", self.bridge_object)
        page.setWebChannel(channel, WORLD)
        self._channel = channel
        self._script = None
        self._install_script()

    def clear(self, notice: str | None = None, seconds: int = 0) -> None:
        """Between two residents: destroy the page and its off-the-record profile (cookies,
        storage, HTTP cache, service workers, history, renderer processes all go with it), then
        open HOME in a brand-new profile. The old profile is gone before "cleared" is sent."""
        from webview.platforms.qt import BrowserView

        self._close_modal()
        self.speech.stop()  # nothing of the previous resident's page is heard after them
        self._read_asked = self._read_counted = False
        old_page, old_profile = self.page, self.profile
        # The previous resident's flows finish in silence: nothing of theirs reaches the new
        # session's folder or screen (their outcome is still reported, so it is counted).
        self.downloads.close()
        self.printing.close()
        self.downloads = DownloadFlow(self.paths, self.writer, self.show_message, self.show_saved)
        self.printing = PrintFlow(self.paths, self.writer, self.show_message)
        self.state = ToolbarState(internal_origin=self.state.internal_origin,
                                  printing=self.state.printing)
        self._keyboard_counted = False
        if self.live_policy is not None:
            self.live_policy.unlocked = None
            self.gate.allowlist = self.live_policy.allowlist()
        self.profile = QWebEngineProfile(QApplication.instance())  # no name: off the record
        page = BrowserView.WebPage(self.browser, profile=self.profile)  # hook configures it
        self.browser.profile = self.profile
        self.browser.cookies = {}
        self.browser.webview.setPage(page)
        self._wire_page(page)
        sip.delete(old_page)  # a page must die before its profile
        sip.delete(old_profile)
        self._ready = False
        self._notice = None
        self.writer.emit(Event("cleared"))
        if notice is None:
            page.setUrl(QUrl(self.home))
            return
        # "Session effacée" for the resident who leaves, then the welcome screen: "ready" is
        # sent for the welcome screen only (turnover is measured to it).
        self._notice = QUrl(_origin(self.home) + notice)
        self._clears += 1
        QTimer.singleShot(int(seconds * 1000), lambda n=self._clears: self._after_notice(n))
        page.setUrl(self._notice)

    def _after_notice(self, clear_number: int) -> None:
        if clear_number == self._clears and self._notice is not None:
            self._notice = None
            self.page.setUrl(QUrl(self.home))

    def _place_window(self) -> None:
        """pywebview already asked for full screen; without a window manager that request is
        ignored, so the explicit geometry is what covers the screen."""
        o = self.options
        if self.browser.geometry().getRect() != (o.x, o.y, o.width, o.height):
            self.browser.setGeometry(o.x, o.y, o.width, o.height)
        self.browser.activateWindow()
        self.browser.raise_()

    def _install_script(self) -> None:
        """(Re)inject the toolbar with the current state embedded, on every future load.

        Profile scripts, not page scripts: Qt 6.11 was seen skipping page scripts after a
        cross-site navigation (new renderer process)."""
        scripts = self.page.profile().scripts()
        if self._script is not None:
            scripts.remove(self._script)
        script = QWebEngineScript()
        script.setName("kiosk-toolbar")
        script.setWorldId(WORLD)
        script.setInjectionPoint(QWebEngineScript.InjectionPoint.DocumentReady)
        script.setRunsOnSubFrames(False)
        state = self.state.for_script()
        source = _qwebchannel_js() + _toolbar_js().replace("__KIOSK_STATE__", json.dumps(state))
        if self.state.keyboard:  # the keyboard's code only on pages where it is open
            source += "\n" + keyboard.script(state)
        script.setSourceCode(source)
        scripts.insert(script)
        self._script = script

    # -- navigation ------------------------------------------------------------------------------

    def accept_navigation(self, url: QUrl, is_main_frame: bool) -> bool:
        """pywebview WebPage.acceptNavigationRequest: every main-frame and subframe navigation."""
        text = url_text(url)
        if not is_main_frame:
            return self._emit(self.gate.subframe(text)).allowed
        button = error_pages.button(self.portal_origin, text)
        if button is not None:  # "Réessayer" / "Revenir" on the page of a site that is down
            QTimer.singleShot(0, self.retry_failed if button == "retry" else self.back_from_failed)
            return False
        if self.gate.blob_download(text):
            target = QUrl(url)
            QTimer.singleShot(0, lambda: self.page.download(target))
            return False
        verdict = self._emit(self.gate.main_frame(text))
        if not verdict.allowed:
            QTimer.singleShot(0, lambda: self.run_js("__kiosk.blocked()"))
        return verdict.allowed

    def accept_new_window(self, url: QUrl) -> bool:
        """A popup (target=_blank, window.open): allowed ones open here, never a second window."""
        if url.isEmpty() or url_text(url) == "about:blank":
            return False
        if self.gate.blob_download(url_text(url)):
            download_target = QUrl(url)
            QTimer.singleShot(0, lambda: self.page.download(download_target))
            return False
        verdict = self._emit(self.gate.main_frame(url_text(url)))
        if verdict.allowed:
            page_target = QUrl(url)
            QTimer.singleShot(0, lambda: self.page.setUrl(page_target))
        else:
            QTimer.singleShot(0, lambda: self.run_js("__kiosk.blocked()"))
        return False

    def request_allowed(self, url: str, resource_type) -> bool:
        if resource_type in _MAIN_TYPES:
            return self.gate.allowlist.decide(url).allowed
        if resource_type in _SUBFRAME_TYPES:
            return self._emit(self.gate.subframe(url)).allowed
        return self._emit(self.gate.subresource(url)).allowed

    def _emit(self, verdict):
        for event in verdict.events:
            self.writer.emit(event)
        return verdict

    def on_loading_changed(self, info) -> None:
        """A site that does not answer (DNS, refused or reset connection, timeout, TLS, HTTP 5xx):
        the portal's page in the resident's language instead of Chromium's technical one."""
        try:
            statuses = (info.LoadStatus.LoadFailedStatus, info.LoadStatus.LoadSucceededStatus)
            if info.status() not in statuses:
                return
            why = error_pages.cause(info.errorDomain().name, info.errorCode(), info.isDownload())
            if why is None and info.status() == info.LoadStatus.LoadFailedStatus:
                log.info("page load failed, Chromium's handling kept: %s %d",
                         info.errorDomain().name, info.errorCode())
            url = url_text(info.url())
            if why is None or url.startswith(self.portal_origin + "/"):
                return
            site = self.gate.allowlist.decide(url).site_id
            self.unreachable = url
            self.writer.emit(Event("site_unreachable", site_id=site, detail=why))
            target = QUrl(error_pages.page(self.portal_origin, site, why))
            QTimer.singleShot(0, lambda: self.page.setUrl(target))
        except Exception as exc:  # noqa: BLE001 - Chromium's own page stays: log the kind only
            log.error("unreachable-site page failed: %s", type(exc).__name__)

    def retry_failed(self) -> None:
        """"Réessayer": the address that failed, again through the policy (never sent out)."""
        url = getattr(self, "unreachable", None)
        self.page.setUrl(QUrl(url) if url else QUrl(portal_pages.tiles(self.portal_origin)))

    def back_from_failed(self) -> None:
        """"Revenir": the last page before the failure (history goes through the policy)."""
        history = self.page.history()
        failed = getattr(self, "unreachable", None)
        for item in reversed(history.backItems(50)):
            url = url_text(item.url())
            if url != failed and not error_pages.is_page(self.portal_origin, url) \
                    and not url.startswith("chrome-error:"):
                history.goToItem(item)
                return
        self.page.setUrl(QUrl(portal_pages.tiles(self.portal_origin)))

    def on_load_finished(self, ok: bool) -> None:
        if self._notice is not None and url_text(self.page.url()) == url_text(self._notice):
            pass  # the "Session effacée" notice: the welcome screen comes next
        elif not self._ready:
            self._ready = True
            # After `clear` the keyboard focus was in the deleted page's view: without this, the
            # next resident's keys (typing, Return on "Imprimer") go nowhere until they click.
            if self.browser is not None:
                self.browser.webview.setFocus()
            # The resident's history starts here: Back must not return to the previous
            # resident's "Session effacée" notice.
            self.page.history().clear()
            self.writer.emit(Event("ready"))
        self.push_state()
        self._follow_language()

    def _follow_language(self) -> None:
        """The portal's pages carry the resident's language (<html lang>): the toolbar and every
        message of the window follow it. Only the portal is believed, never a site."""
        if self.page is None or not url_text(self.page.url()).startswith(self.portal_origin + "/"):
            return
        page = self.page

        def learned(code) -> None:
            language = kiosk_texts.language_of(code)
            if page is self.page and language != self.state.language:
                self.set_state(replace(self.state, language=language))

        page.runJavaScript("document.documentElement && document.documentElement.lang", WORLD,
                           learned)

    # -- page scripts ----------------------------------------------------------------------------

    def run_js(self, source: str) -> None:
        if self.page is not None:
            self.page.runJavaScript(f"window.__kiosk && window.{source};", WORLD)

    def push_state(self) -> None:
        state = self.state.for_script()
        self.run_js(f"__kiosk.update({json.dumps(state)})")
        if self.page is not None:
            self.page.runJavaScript(keyboard.update(state), WORLD)

    def set_state(self, state: ToolbarState) -> None:
        self.state = state
        self._install_script()
        self.push_state()

    # -- actions (toolbar, bridge, keys, supervisor) ----------------------------------------------

    def go_home(self) -> None:
        self.page.setUrl(QUrl(self.home))

    def go_tiles(self) -> None:
        """The toolbar's "Accueil": the sites' tiles, not the welcome page."""
        self.page.setUrl(QUrl(portal_pages.tiles(self.portal_origin)))

    def go_back(self) -> None:
        """The toolbar's "Retour": history back, checked by the policy like Alt+Left."""
        self.page.triggerAction(QWebEnginePage.WebAction.Back)

    def ask_end(self) -> None:
        """The end dialog, with the portal's checklist and how many documents are still here."""
        count = len(uploads.candidates(self.paths.downloads))
        self.run_js(f"__kiosk.confirmEnd({count})")

    def send_help(self) -> None:
        """Ask a mediator through the portal (which tells the supervisor and counts it), off the
        GUI thread; the resident stays on the page and is told the request went."""
        url = self.portal_origin + "/aide"

        def post() -> None:
            import urllib.request

            try:
                request = urllib.request.Request(url, data=b"", method="POST")
                with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310
                    ok = response.status < 400
            except Exception as exc:  # noqa: BLE001 - said to the resident, logged by kind
                log.warning("help request failed: %s", type(exc).__name__)
                ok = False
            self.help_answered.emit(ok)

        threading.Thread(target=post, daemon=True, name="kiosk-help").start()

    def zoom(self, step: int) -> None:
        state = self.state.bigger() if step > 0 else self.state.smaller()
        if step == 0:
            state = replace(self.state, zoom_index=0)
        self.page.setZoomFactor(state.zoom)
        self.set_state(state)  # the bar counters the zoom: it never grows

    def toggle_keyboard(self) -> None:
        """"Clavier": open or close the on-screen keyboard. It stays as it is from page to page
        (the state is in every injected script) until the resident closes it or leaves."""
        self.set_state(replace(self.state, keyboard=not self.state.keyboard))
        if self.state.keyboard and self.page is not None:  # this page has no keyboard code yet
            self.page.runJavaScript(keyboard.script(self.state.for_script()), WORLD)
        if self.state.keyboard and not self._keyboard_counted:  # once per resident, no text
            self._keyboard_counted = True
            self.writer.emit(Event("keyboard"))

    def dismiss_warning(self) -> None:
        """The resident read the time-limit warning: do not show it again on the next page."""
        if self.state.warning_kind == TIME_LIMIT:
            self.set_state(replace(self.state, warning_kind=None))

    def end_requested(self) -> None:
        self.writer.emit(Event("end_requested"))
        if not self.kept:
            QTimer.singleShot(50, self.quit)

    @staticmethod
    def _close_modal() -> None:
        """Our document list or a page's alert() may be open: close it."""
        modal = QApplication.activeModalWidget()
        if modal is not None:
            modal.close()

    def quit(self) -> None:
        if self.browser is not None:
            self.browser.close()

    def show_documents(self) -> None:
        """The portal's "Mes documents": one documents experience, in the resident's language."""
        self.page.setUrl(QUrl(portal_pages.documents(self.portal_origin)))

    def view_saved(self) -> None:
        """Open the document just saved in the portal's viewer (read, print, keep)."""
        saved = self.downloads.last_saved
        if saved is not None and saved.exists():
            self.page.setUrl(QUrl(portal_pages.document(self.portal_origin, saved.name)))

    def show_saved(self, _path) -> None:
        self.run_js("__kiosk.saved()")

    @property
    def portal_origin(self) -> str:
        return self.state.internal_origin or _origin(self.home)

    def ask_print(self, *_args) -> None:
        """On a document of the portal, print the document itself through the portal (it says
        the page count first); anywhere else, confirm printing the page on screen."""
        if not self.state.printing:
            self._printing_off()
            return
        target = portal_pages.print_target(self.portal_origin, url_text(self.page.url()))
        if target is not None:
            self.page.setUrl(QUrl(target))
            return
        if not printing.printer_available():
            self.show_message(*printing.NO_PRINTER)  # explained, never a silent button
            return
        self.run_js("__kiosk.confirmPrint()")

    def print_confirmed(self) -> None:
        if not self.state.printing:
            self._printing_off()
            return
        self.printing.start()

    def _printing_off(self) -> None:
        """The mediator turned printing off: said plainly, counted as a print without a
        printer (the resident met no printer)."""
        self.writer.emit(Event("print", detail="no_printer"))
        self.show_message(*PRINTING_OFF)

    def on_download(self, request) -> None:
        """Every download of the profile: refused when the mediator turned downloads off."""
        if self.downloads_allowed:
            self.downloads.on_request(request)
            return
        request.cancel()
        self.writer.emit(Event("download", detail="refused"))
        self.show_message(*DOWNLOADS_OFF)

    def show_message(self, title: str, text: str) -> None:
        title, text = kiosk_texts.message(self.state.language, title, text)
        self.run_js(f"__kiosk.message({json.dumps(title)}, {json.dumps(text)})")

    def read_aloud(self, text: object, lang: object) -> None:
        """"Écouter" (toolbar or portal page): speak the selection or the page's main text in
        its language, and turn the read-aloud mode on for the session (tiles speak on focus)."""
        words = speech.bounded(text)
        if not words:
            return
        if not self.state.reading:
            self.set_state(replace(self.state, reading=True))
        if not self._read_counted:
            self._read_counted = True
            self.writer.emit(Event("read_aloud"))
        self._read_asked = True
        self.speech.say(words, speech.voice_language(lang, self.state.language))

    def stop_reading(self) -> None:
        """"Arrêter": silence, and the read-aloud mode ends."""
        self._read_asked = False
        self.speech.stop()
        if self.state.reading:
            self.set_state(replace(self.state, reading=False))

    def _speech_failed(self, kind: str) -> None:
        """Logged by the engine's side (its kind); said to the resident who pressed."""
        if self._read_asked:
            self._read_asked = False
            self.stop_reading()
            self.show_message(*READ_ALOUD_OFF)

    def on_command(self, command: Command) -> None:
        if command.op == "time_left":
            self.set_state(replace(self.state, time_left=command.seconds))
        elif command.op == "warning":
            self._close_modal()  # the countdown must be visible
            self.set_state(replace(self.state, warning_kind=command.kind,
                                   warning_until=time.time() + command.seconds))
        elif command.op == "warning_cancel":
            self.set_state(replace(self.state, warning_kind=None))
        elif command.op == "home":
            self.go_home()
        elif command.op == "questions":
            self._close_modal()
            self.page.setUrl(QUrl(portal_pages.questions(self.portal_origin)))
        elif command.op == "features":
            self.downloads_allowed = command.downloads
            self.set_state(replace(self.state, printing=command.printing))
        elif command.op == "clear":
            self.clear(command.notice, command.seconds or 0)
        elif command.op == "quit":
            self._close_modal()
            self.quit()
        elif command.op == "reload_policy" and self.live_policy and self.live_policy.reload():
            self.gate.allowlist = self.live_policy.allowlist()
        elif command.op == "allow_site" and self.live_policy and self.live_policy.allow_site(
                command.site_id, list(command.hosts)):
            self.gate.allowlist = self.live_policy.allowlist()

    # -- input -------------------------------------------------------------------------------------

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:  # noqa: N802
        kind = event.type()
        if kind not in _INPUT_EVENTS:
            return False
        self._on_input(kind)
        if kind != QEvent.Type.KeyPress:
            return False
        return self._on_key(event)

    def _on_input(self, kind) -> None:
        if self.state.warning_kind == IDLE and kind != QEvent.Type.MouseMove:
            self.set_state(replace(self.state, warning_kind=None))
            self.writer.activity(force=True)
        else:
            self.writer.activity()

    def _on_key(self, event) -> bool:
        mods = event.modifiers()
        action = classify(key_name(event.key()),
                          ctrl=bool(mods & Qt.KeyboardModifier.ControlModifier),
                          shift=bool(mods & Qt.KeyboardModifier.ShiftModifier),
                          alt=bool(mods & Qt.KeyboardModifier.AltModifier),
                          meta=bool(mods & Qt.KeyboardModifier.MetaModifier))
        if action is KeyAction.PASS:
            return False
        if event.isAutoRepeat():
            return True
        handlers = {
            KeyAction.PRINT: self.ask_print,
            KeyAction.BACK: lambda: self.page.triggerAction(QWebEnginePage.WebAction.Back),
            KeyAction.FORWARD: lambda: self.page.triggerAction(QWebEnginePage.WebAction.Forward),
            KeyAction.ZOOM_IN: lambda: self.zoom(+1), KeyAction.ZOOM_OUT: lambda: self.zoom(-1),
            KeyAction.ZOOM_RESET: lambda: self.zoom(0),
        }
        handler = handlers.get(action)
        if handler is not None:
            QTimer.singleShot(0, handler)
        return True

    def choose_files(self, mode, accepted: list[str]) -> list[str]:
        """A page asked for a file: offer this session's documents only, never a native dialog."""
        from .picker import pick

        modes = QWebEnginePage.FileSelectionMode
        if mode not in (modes.FileSelectOpen, modes.FileSelectOpenMultiple):
            return []  # folders and "save as" pickers would let a page write files: never
        offered = uploads.candidates(self.paths.downloads, accepted)
        multiple = mode == modes.FileSelectOpenMultiple
        return uploads.allowed_choice(pick(self.browser, offered, multiple), offered)


def _qwebchannel_js() -> str:
    source = QFile(":/qtwebchannel/qwebchannel.js")
    if not source.open(QIODevice.OpenModeFlag.ReadOnly):
        return ""
    try:
        return bytes(source.readAll()).decode("utf-8") + "\n"
    finally:
        source.close()


def _toolbar_js() -> str:
    return resources.files("launcher").joinpath("assets/toolbar.js").read_text("utf-8")
