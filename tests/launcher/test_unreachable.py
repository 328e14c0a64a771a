"""A site that does not answer gets the kiosk's own page (portal, resident's language) instead of
Chromium's technical one; "Réessayer" and "Revenir" work; each failure is counted per site."""

from __future__ import annotations

import datetime
import socket
import ssl
import threading
import time

import pytest
from flask import request

from core.events import ListSink
from portal import create_app
from portal.server import BackgroundServer
from portal.session import MemorySession
from tests.launcher.harness import Launcher, catalogue_text, wait_until, xdotool
from tests.pixels import screen

GREEN = (0.1, 0.6, 0.2)
SITE_PAGE = """<!doctype html><style>body{{background:rgb(26,153,51);margin:0}}
a{{display:block;height:600px;font-size:40px;color:#fff}}</style><a href="{target}">Suite</a>"""


PORTS: dict[str, int] = {}


def closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def kiosk(display, fake_sites, tmp_path_factory):
    base = tmp_path_factory.mktemp("unreachable")
    port = fake_sites.port
    # A catalogue names a loopback site's port: the ports the failing servers will use are
    # reserved here and listed as the CAF's (nothing listens on them yet).
    PORTS.update(refused=closed_port(), tls=closed_port(), hang=closed_port())
    extra = "".join(f', "caf.localhost:{p}"' for p in PORTS.values())
    text = catalogue_text(port).replace(
        f'hosts = ["caf.localhost:{port}"]',
        f'hosts = ["caf.localhost:{port}", "caf.invalid"{extra}]')
    assert "caf.invalid" in text
    policy = base / "portal-policy.toml"
    policy.write_text(text)
    session = MemorySession(base / "kiosk" / "session" / "downloads", sink=ListSink())
    session.request_start()
    app = create_app({"PORTAL_SESSION": session, "PORTAL_POLICY": str(policy)})
    paths: list[str] = []
    app.before_request(lambda: paths.append(request.full_path) and None)
    with BackgroundServer(app) as server:
        launcher = Launcher(base / "kiosk", server.url + "/ouvrir/caf", display,
                            extra_args=["--portal", server.url, "--kept"], policy_text=text)
        try:
            launcher.wait_event("ready", timeout=30)
            yield launcher, session, paths
        finally:
            launcher.stop()


def fail_from_site(kiosk, fake_sites, display, target: str) -> tuple[int, str]:
    """On the CAF site, follow a link to `target`; the unreachable event and the page asked."""
    launcher, _session, paths = kiosk
    fake_sites.page("caf.localhost", "/", SITE_PAGE.format(target=target))
    seen = len(fake_sites.requests("caf.localhost", "/"))
    launcher.send(op="home")
    fake_sites.wait_for("caf.localhost", "/", count=seen + 1)
    time.sleep(0.8)
    mark, before = launcher.mark(), len(paths)
    xdotool("mousemove", "640", "400", "click", "1", display=display)
    event = launcher.wait_event("site_unreachable", since=mark)
    assert event.site_id == "caf"
    wait_until(lambda: any(p.startswith("/injoignable?") for p in paths[before:]),
               what="the kiosk's page")
    asked = next(p for p in paths[before:] if p.startswith("/injoignable?"))
    assert "localhost" not in asked and "invalid" not in asked  # never the address
    time.sleep(1)
    assert screen(display).share(GREEN) < 0.05  # the site's page is no longer shown
    return mark, event.detail


def test_server_error_then_retry_reaches_the_site_once_it_is_back(kiosk, fake_sites, display):
    fake_sites.add("caf.localhost", "/panne", "", status=503)
    _mark, cause = fail_from_site(kiosk, fake_sites, display, "/panne")
    assert cause == "server"
    fake_sites.page("caf.localhost", "/panne", "<h1>De retour</h1>")
    seen = len(fake_sites.requests("caf.localhost", "/panne"))
    xdotool("key", "Return", display=display)  # "Réessayer" has the focus
    fake_sites.wait_for("caf.localhost", "/panne", count=seen + 1)


def test_unknown_name_then_back_returns_to_the_site(kiosk, fake_sites, display):
    _mark, cause = fail_from_site(kiosk, fake_sites, display, "https://caf.invalid/")
    assert cause == "dns"
    xdotool("key", "Tab", "Return", display=display)  # "Revenir"
    wait_until(lambda: screen(display).share(GREEN) > 0.5, what="the previous page back")


def test_refused_connection_is_said_plainly(kiosk, fake_sites, display):
    _mark, cause = fail_from_site(kiosk, fake_sites, display,
                                  f"http://caf.localhost:{PORTS['refused']}/")
    assert cause == "refused"


def self_signed_tls_server(tmp_path, port: int) -> tuple[socket.socket, int]:
    """An HTTPS listener on 127.0.0.1 whose certificate no browser trusts."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "caf.localhost")])
    now = datetime.datetime.now(datetime.UTC)
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name)
            .public_key(key.public_key()).serial_number(x509.random_serial_number())
            .not_valid_before(now - datetime.timedelta(days=1))
            .not_valid_after(now + datetime.timedelta(days=1))
            .add_extension(x509.SubjectAlternativeName([x509.DNSName("caf.localhost")]), False)
            .sign(key, hashes.SHA256()))
    (tmp_path / "cert.pem").write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    (tmp_path / "key.pem").write_bytes(key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption()))
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(tmp_path / "cert.pem", tmp_path / "key.pem")
    listener = socket.create_server(("127.0.0.1", port))

    def serve() -> None:
        while True:
            try:
                conn, _ = listener.accept()
            except OSError:
                return
            try:
                context.wrap_socket(conn, server_side=True).close()
            except (OSError, ssl.SSLError):
                conn.close()

    threading.Thread(target=serve, daemon=True).start()
    return listener, listener.getsockname()[1]


def test_untrusted_certificate_is_said_plainly(kiosk, fake_sites, display, tmp_path):
    listener, port = self_signed_tls_server(tmp_path, PORTS["tls"])
    try:
        _mark, cause = fail_from_site(kiosk, fake_sites, display, f"https://caf.localhost:{port}/")
    finally:
        listener.close()
    assert cause == "tls"


def test_connection_closed_without_an_answer_is_said_plainly(kiosk, fake_sites, display):
    listener = socket.create_server(("127.0.0.1", PORTS["hang"]))

    def hang_up() -> None:
        while True:
            try:
                conn, _ = listener.accept()
            except OSError:
                return
            conn.recv(1024)
            conn.close()  # no answer at all

    threading.Thread(target=hang_up, daemon=True).start()
    try:
        _mark, cause = fail_from_site(kiosk, fake_sites, display,
                                      f"http://caf.localhost:{listener.getsockname()[1]}/")
    finally:
        listener.close()
    assert cause == "reset"


def test_arabic_resident_gets_the_page_in_arabic(kiosk, fake_sites, display):
    launcher, session, paths = kiosk
    session.set_language("ar")
    try:
        fake_sites.add("caf.localhost", "/panne2", "", status=502)
        before = len(paths)
        fail_from_site(kiosk, fake_sites, display, "/panne2")
        assert any(p.startswith("/injoignable?") for p in paths[before:])
    finally:
        session.set_language("fr")
    # the terminal still serves: the next page loads normally
    seen = len(fake_sites.requests("caf.localhost", "/"))
    launcher.send(op="home")
    fake_sites.wait_for("caf.localhost", "/", count=seen + 1)
