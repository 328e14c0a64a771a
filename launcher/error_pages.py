"""A site that does not answer: which failures get the kiosk's own page instead of Chromium's,
and the portal addresses of that page and of its buttons (no Qt here).

The failed address stays in the launcher's memory: the portal page is told only the site id and
an enumerated cause, so no URL is ever sent to the portal or written anywhere."""

from __future__ import annotations

from urllib.parse import urlencode, urlsplit

CAUSES = ("dns", "refused", "reset", "timeout", "tls", "server")
PAGE_PATH = "/injoignable"
RETRY_PATH = "/injoignable/reessayer"
BACK_PATH = "/injoignable/revenir"

# Chromium net error codes (net/base/net_error_list.h), by the cause a resident is told about.
_CONNECTION_CODES = {
    -105: "dns",      # NAME_NOT_RESOLVED
    -137: "dns",      # NAME_RESOLUTION_FAILED
    -106: "dns",      # INTERNET_DISCONNECTED
    -102: "refused",  # CONNECTION_REFUSED
    -109: "refused",  # ADDRESS_UNREACHABLE
    -104: "refused",  # CONNECTION_FAILED
    -101: "reset",    # CONNECTION_RESET
    -100: "reset",    # CONNECTION_CLOSED
    -103: "reset",    # CONNECTION_ABORTED
    -324: "reset",    # EMPTY_RESPONSE
    -7: "timeout",    # TIMED_OUT
    -118: "timeout",  # CONNECTION_TIMED_OUT
}


def cause(domain: str, code: int, is_download: bool = False) -> str | None:
    """The cause to show for a main-frame load that ended with (`domain`, `code`), domain being
    the name of Qt's QWebEngineLoadingInfo.ErrorDomain; None when the kiosk has nothing to say
    (a success, a download, a navigation the kiosk itself refused or the resident cancelled)."""
    if is_download:
        return None
    if domain == "CertificateErrorDomain":
        return "tls"
    if domain == "HttpStatusCodeDomain":
        return "server" if 500 <= code <= 599 else None
    if domain in ("ConnectionErrorDomain", "DnsErrorDomain", "HttpErrorDomain",
                  "InternalErrorDomain"):
        if -299 <= code <= -200 or code in (-107, -113, -117, -110):  # certificate, SSL
            return "tls"
        return _CONNECTION_CODES.get(code)
    return None


def page(origin: str, site_id: str | None, why: str) -> str:
    """The portal's "Ce site ne répond pas pour le moment" page for this site and cause."""
    query = {"cause": why} | ({"site": site_id} if site_id else {})
    return f"{origin}{PAGE_PATH}?{urlencode(query)}"


def button(origin: str, url: str) -> str | None:
    """"retry" or "back" when `url` is one of that page's buttons the window carries out itself
    (it holds the failed address and the history), else None."""
    parts = urlsplit(url)
    if not origin or f"{parts.scheme}://{parts.netloc}" != origin:
        return None
    return {RETRY_PATH: "retry", BACK_PATH: "back"}.get(parts.path.rstrip("/") or "/")


def is_page(origin: str, url: str) -> bool:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}" == origin and parts.path == PAGE_PATH
