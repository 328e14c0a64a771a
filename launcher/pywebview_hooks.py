"""Patch pywebview's Qt backend so every window it builds is wired to our Controller.

pywebview's classes are patched, not subclassed: its own super() calls name the classes. This runs
from the window's `initialized` event, after pywebview imported its Qt backend and before it
builds the window, so every hook is in place before HOME loads.
"""

from __future__ import annotations

import logging
import os
import sys

from PyQt6.QtWebEngineCore import QWebEnginePage

from .window import Controller

log = logging.getLogger(__name__)


def install(controller: Controller) -> None:
    """Patch pywebview's Qt classes so every window it builds is wired to `controller`."""
    from webview import util
    from webview.platforms import qt

    view = qt.BrowserView
    original_init = view.__init__
    original_page_init = view.WebPage.__init__

    def page_init(self, parent=None, profile=None):
        if profile is not None:
            controller.configure_profile(profile)
        original_page_init(self, parent, profile)

    def browser_init(self, window):
        original_init(self, window)
        controller.attach(self)

    def accept_navigation(self, url, _type, is_main_frame):
        try:
            return controller.accept_navigation(url, is_main_frame)
        except Exception as exc:  # noqa: BLE001 - fail closed
            log.error("navigation check failed, refused: %s", type(exc).__name__)
            return False

    def accept_popup(self, url, _type, _is_main_frame):
        try:
            return controller.accept_new_window(url)
        except Exception as exc:  # noqa: BLE001 - fail closed
            log.error("popup check failed, refused: %s", type(exc).__name__)
            return False

    def choose_files(self, mode, _old_files, mime_types):
        try:
            return controller.choose_files(mode, list(mime_types))
        except Exception as exc:  # noqa: BLE001 - never the native dialog, never a crash
            log.error("document picker failed: %s", type(exc).__name__)
            return []

    def no_files(self, _mode, _old_files, _mime_types):
        return []

    if os.environ.get("KIOSK_LAUNCHER_DEBUG"):
        view.WebPage.javaScriptConsoleMessage = lambda self, level, msg, line, src: print(
            "console:", level, msg, line, src, file=sys.stderr)
    else:  # page messages can hold URLs and personal data: never on our stderr
        view.WebPage.javaScriptConsoleMessage = lambda self, *_args: None
    def deny_permission(self, url, feature):
        self.setFeaturePermission(url, feature,
                                  QWebEnginePage.PermissionPolicy.PermissionDeniedByUser)

    def environ_append(name, *values, sep=" "):
        # pywebview adds --use-fake-ui-for-media-stream, which silently grants camera and mic.
        util.environ_append(name, *(v for v in values if "fake-ui" not in v), sep=sep)

    qt.environ_append = environ_append
    view.WebPage.onFeaturePermissionRequested = deny_permission
    view.__init__ = browser_init
    view.WebPage.__init__ = page_init
    view.WebPage.acceptNavigationRequest = accept_navigation
    view.WebPage.chooseFiles = choose_files
    view.NavigationHandler.acceptNavigationRequest = accept_popup
    view.NavigationHandler.chooseFiles = no_files
    view._set_js_api = lambda self: None  # no pywebview bridge in the page's world at all
    view.on_download_requested = lambda self, download: download.cancel()
