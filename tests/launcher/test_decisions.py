"""Pure decisions of the launcher, without Qt."""

from __future__ import annotations

import io
import json
import logging
import zipfile

import pytest
from hypothesis import given
from hypothesis import strategies as st

from core.events import Event
from core.layout import SessionPaths
from launcher import bridge, downloads
from launcher.app import home_origin
from launcher.confine import confined_environment
from launcher.navigation import NavigationGate
from launcher.options import window_options
from launcher.protocol import Command, EventWriter, parse_command
from launcher.shortcuts import KeyAction, classify
from launcher.toolbar import ToolbarState, time_left_label
from policies import Allowlist, parse_policy
from tests.launcher.harness import catalogue_text


def gate(strict: bool = True) -> NavigationGate:
    policy = parse_policy(catalogue_text(9, strict).encode())
    return NavigationGate(Allowlist(policy, internal_origins=["http://portal.localhost:8000"]))


# -- navigation ------------------------------------------------------------------------------


def test_entering_a_site_emits_its_id_once():
    g = gate()
    first = g.main_frame("http://caf.localhost:9/a")
    second = g.main_frame("http://caf.localhost:9/b")
    assert first.events == (Event("navigation_allowed", site_id="caf"),)
    assert second.allowed and second.events == ()


def test_refusal_names_the_site_the_resident_was_on():
    g = gate()
    g.main_frame("http://caf.localhost:9/")
    verdict = g.main_frame("http://evil.localhost:9/")
    assert not verdict.allowed
    assert verdict.events == (Event("navigation_refused", site_id="caf"),)


def test_portal_is_internal_only_on_its_own_port():
    g = gate()
    assert g.main_frame("http://portal.localhost:8000/").allowed
    assert not g.main_frame("http://portal.localhost:8001/").allowed


def test_blocked_host_reported_once_per_page_and_only_on_a_site():
    g = gate()
    g.main_frame("http://portal.localhost:8000/")
    assert g.subresource("http://evil.localhost/x").events == ()
    g.main_frame("http://caf.localhost:9/")
    first = g.subresource("http://evil.localhost/x")
    again = g.subresource("http://evil.localhost/y")
    assert first.events == (Event("blocked_host", site_id="caf", detail="evil.localhost"),)
    assert again.events == () and not again.allowed


def test_subresources_pass_when_not_strict():
    assert gate(strict=False).subresource("http://evil.localhost/x").allowed
    assert not gate(strict=False).subframe("http://evil.localhost/x").allowed


@pytest.mark.parametrize("url", ["file:///etc/passwd", "view-source:http://caf.localhost/",
                                 "mailto:a@b.fr", "javascript:alert(1)", "data:text/html,x",
                                 "chrome://settings", "devtools://devtools/x"])
def test_non_web_schemes_are_refused_as_main_frame(url):
    assert not gate().main_frame(url).allowed


def test_home_origin_keeps_the_port():
    assert home_origin("http://127.0.0.1:8765/accueil?x=1") == "http://127.0.0.1:8765"


# -- downloads -------------------------------------------------------------------------------


@pytest.mark.parametrize("suggested,expected", [
    ("../../etc/passwd.pdf", "passwd.pdf"),
    ("/abs/path/doc.pdf", "doc.pdf"),
    ("..\\..\\win.pdf", "win.pdf"),
    ("a\x07b\x1b.pdf", "ab.pdf"),
    (".hidden.pdf", "hidden.pdf"),
    ("", "document"),
    ("..", "document"),
    ('what?<>|".pdf', "what.pdf"), ('a<b>c.pdf', "a_b_c.pdf"),
])
def test_sanitize_name(suggested, expected):
    assert downloads.sanitize_name(suggested) == expected


@given(st.text())
def test_sanitized_name_is_always_a_plain_file_name(text):
    name = downloads.sanitize_name(text)
    assert name and "/" not in name and "\\" not in name and not name.startswith(".")
    assert all(ord(c) >= 0x20 and not 0x7F <= ord(c) <= 0x9F for c in name)
    assert len(name) <= downloads.MAX_NAME + 1


def test_unique_path_numbers_duplicates(tmp_path):
    (tmp_path / "a.pdf").write_bytes(b"")
    (tmp_path / "a (2).pdf").write_bytes(b"")
    assert downloads.unique_path(tmp_path, "a.pdf").name == "a (3).pdf"


def _zip(names: dict[str, str]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as z:
        for name, text in names.items():
            z.writestr(name, text)
    return buffer.getvalue()


@pytest.mark.parametrize("name,content,allowed,saved", [
    ("a.pdf", b"%PDF-1.7 x", True, "a.pdf"),
    ("releve", b"%PDF-1.7 x", True, "releve.pdf"),
    ("photo.JPG", b"\xff\xd8\xff\xe0", True, "photo.JPG"),
    ("notes.csv", "é;1\n".encode(), True, "notes.csv"),
    ("lettre.docx", _zip({"[Content_Types].xml": "x", "word/document.xml": "x"}), True,
     "lettre.docx"),
    ("lettre.pdf", b"MZ\x90\x00", False, ""),
    ("a.exe", b"%PDF-1.7", False, ""),
    ("run.sh", b"#!/bin/sh\n", False, ""),
    ("page.txt", b"<html><script>x</script>", False, ""),
    ("a.zip", _zip({"x.txt": "x"}), False, ""),
    ("evil.docx", _zip({"[Content_Types].xml": "x", "payload.exe": "MZ"}), False, ""),
    ("a.pdf", b"\x7fELF\x02", False, ""),
    ("a.txt", b"", False, ""),
])
def test_download_decision_sniffs_content(tmp_path, name, content, allowed, saved):
    part = tmp_path / "part"
    part.write_bytes(content)
    assert downloads.decide(name, part) == downloads.DownloadDecision(allowed, saved)


def test_extension_gate_refuses_executables_before_any_byte():
    assert not downloads.extension_allowed("setup.exe")
    assert not downloads.extension_allowed("a.tar.gz")
    assert downloads.extension_allowed("a.pdf") and downloads.extension_allowed("releve")


# -- shortcuts -------------------------------------------------------------------------------


@pytest.mark.parametrize("key,mods", [
    ("F12", {}), ("I", {"ctrl": True, "shift": True}), ("J", {"ctrl": True, "shift": True}),
    ("C", {"ctrl": True, "shift": True}), ("U", {"ctrl": True}), ("S", {"ctrl": True}),
    ("O", {"ctrl": True}), ("N", {"ctrl": True}), ("T", {"ctrl": True}), ("W", {"ctrl": True}),
    ("F11", {}), ("F4", {"alt": True}), ("Tab", {"alt": True}), ("L", {"ctrl": True}),
    ("X", {"meta": True}),
])
def test_escape_shortcuts_are_blocked(key, mods):
    assert classify(key, **mods) is KeyAction.BLOCK


@pytest.mark.parametrize("key,mods,action", [
    ("P", {"ctrl": True}, KeyAction.PRINT),
    ("Left", {"alt": True}, KeyAction.BACK), ("Right", {"alt": True}, KeyAction.FORWARD),
    ("Plus", {"ctrl": True}, KeyAction.ZOOM_IN), ("Minus", {"ctrl": True}, KeyAction.ZOOM_OUT),
    ("0", {"ctrl": True}, KeyAction.ZOOM_RESET),
    ("C", {"ctrl": True}, KeyAction.PASS), ("V", {"ctrl": True}, KeyAction.PASS),
    ("A", {}, KeyAction.PASS), ("Tab", {}, KeyAction.PASS), ("Z", {"ctrl": True}, KeyAction.PASS),
])
def test_useful_keys_keep_working(key, mods, action):
    assert classify(key, **mods) is action


# -- protocol, bridge, toolbar, options, confinement ------------------------------------------


@pytest.mark.parametrize("line,command", [
    ('{"op":"time_left","seconds":125}', Command("time_left", seconds=125)),
    ('{"op":"warning","kind":"idle","seconds":60}', Command("warning", seconds=60, kind="idle")),
    ('{"op":"warning_cancel"}', Command("warning_cancel")),
    ('{"op":"home"}', Command("home")), ('{"op":"quit"}', Command("quit")),
    ('{"op":"questions"}', Command("questions")),
    ('{"op":"warning","kind":"other","seconds":60}', None),
    ('{"op":"time_left","seconds":-1}', None), ('{"op":"time_left","seconds":true}', None),
    ('{"op":"time_left","seconds":"5"}', None), ('{"op":"load","url":"http://x"}', None),
    ("[1]", None), ("not json", None), ('{"op":"time_left","seconds":NaN}', None),
])
def test_parse_command(line, command):
    assert parse_command(line) == command


@given(st.text())
def test_parse_command_never_raises(line):
    parse_command(line)


def test_activity_is_throttled_but_can_be_forced():
    now = [0.0]
    out = io.StringIO()
    writer = EventWriter(out, activity_interval=2.0, clock=lambda: now[0])
    assert writer.activity()
    now[0] = 1.0
    assert not writer.activity()
    assert writer.activity(force=True)
    now[0] = 3.5
    assert writer.activity()
    assert [json.loads(x) for x in out.getvalue().splitlines()] == [{"kind": "activity"}] * 3


def test_bridge_runs_only_listed_actions_and_never_raises():
    calls = []

    def boom():
        raise RuntimeError("x")

    actions = {"home": lambda: calls.append("home"), "print": boom, "__class__": calls.clear}
    assert bridge.dispatch(actions, "home")
    assert not bridge.dispatch(actions, "print")
    for name in ("__class__", "_pywebviewAlert", None, 42, "home.__globals__", "x" * 1000):
        assert not bridge.dispatch(actions, name)
    assert calls == ["home"]


@pytest.mark.parametrize("seconds,label", [(None, ""), (30, "Moins d'une minute"),
                                           (61, "Temps restant : 2 min"),
                                           (3600, "Temps restant : 1 h 00")])
def test_time_left_label(seconds, label):
    assert time_left_label(seconds) == label


def test_zoom_stays_within_steps():
    state = ToolbarState()
    assert state.smaller().zoom == 1.0
    for _ in range(20):
        state = state.bigger()
    assert state.zoom == 2.0


def test_kiosk_window_covers_the_screen_without_frame():
    options = window_options((0, 0, 1280, 800), windowed=False)
    assert (options.x, options.y, options.width, options.height) == (0, 0, 1280, 800)
    assert options.frameless and options.fullscreen and options.on_top
    windowed = window_options((0, 0, 1280, 800), windowed=True)
    assert not windowed.frameless and windowed.width <= 1280


def test_every_cache_variable_points_inside_the_session(tmp_path):
    paths = SessionPaths(tmp_path)
    env = confined_environment(paths)
    switches = {"MESA_SHADER_CACHE_DISABLE", "QT_DISABLE_SHADER_DISK_CACHE"}
    assert env["MESA_SHADER_CACHE_DISABLE"] == "true" and env["QT_DISABLE_SHADER_DISK_CACHE"] == "1"
    for key, value in env.items():
        if key not in switches:
            assert value.startswith(str(tmp_path)), key


# -- uploads ---------------------------------------------------------------------------------


def test_upload_candidates_are_only_plain_files_of_the_downloads_folder(tmp_path):
    from launcher import uploads

    downloads = tmp_path / "downloads"
    downloads.mkdir()
    (downloads / "b.pdf").write_bytes(b"%PDF")
    (downloads / "a.png").write_bytes(b"x")
    (downloads / "sub").mkdir()
    (downloads / "sub" / "c.pdf").write_bytes(b"x")
    (tmp_path / "secret.pdf").write_bytes(b"x")
    (downloads / "link.pdf").symlink_to(tmp_path / "secret.pdf")
    assert [p.name for p in uploads.candidates(downloads)] == ["a.png", "b.pdf"]
    assert [p.name for p in uploads.candidates(downloads, [".pdf"])] == ["b.pdf"]
    assert [p.name for p in uploads.candidates(downloads, ["image/*"])] == ["a.png"]
    assert [p.name for p in uploads.candidates(downloads, ["application/pdf"])] == ["b.pdf"]
    assert uploads.candidates(tmp_path / "missing") == []


def test_only_offered_files_reach_the_page(tmp_path):
    from launcher import uploads

    offered = [tmp_path / "a.pdf"]
    assert uploads.allowed_choice([str(tmp_path / "a.pdf"), "/etc/shadow"], offered) == [
        str(tmp_path / "a.pdf")]


def test_blob_urls_from_allowed_origins_become_downloads():
    g = gate()
    assert g.blob_download("blob:http://caf.localhost:9/0b1c-22")
    assert not g.blob_download("blob:http://evil.localhost:9/0b1c-22")
    assert not g.blob_download("blob:null/0b1c-22")
    assert not g.blob_download("http://caf.localhost:9/")
    assert not g.main_frame("blob:http://caf.localhost:9/0b1c-22").allowed


@pytest.mark.parametrize("code,stderr,detail", [
    (0, "request id is hp-12 (1 file(s))", "sent"),
    (1, "lp: Error - No default destination.", "no_printer"),
    (1, "lp: Error - Scheduler Not Responding.", "no_printer"),
    (1, "lp: Error - The printer or class does not exist.", "no_printer"),
    (1, "lp: Error - unsupported document-format", "failed"),
])
def test_lp_outcome(code, stderr, detail):
    from core.printing import lp_outcome

    assert lp_outcome(code, stderr) == detail


def test_a_failing_bridge_action_is_logged_by_name_and_type_never_its_message(caplog):
    def boom():
        raise RuntimeError("http://caf.localhost/?nir=1850533063042")

    with caplog.at_level(logging.ERROR):
        assert not bridge.dispatch({"print_confirmed": boom}, "print_confirmed")
    assert "bridge action print_confirmed failed: RuntimeError" in caplog.text
    assert "nir" not in caplog.text and "caf" not in caplog.text


def test_an_uncaught_qt_callback_error_is_logged_with_where_and_type_only(caplog):
    from launcher.app import log_uncaught
    from launcher.print_flow import PrintFlow

    try:
        PrintFlow._done(None, 1, "sent")  # a slot called on nothing: raises inside our code
    except AttributeError as exc:
        error = exc
    with caplog.at_level(logging.ERROR):
        log_uncaught(type(error), error, error.__traceback__)
    assert "callback failed in launcher.print_flow._done: AttributeError" in caplog.text
    assert "_busy" not in caplog.text  # the message (which names things) stays out
