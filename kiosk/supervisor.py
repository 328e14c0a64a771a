"""The session supervisor: welcome -> active -> warning -> ending -> wiping -> welcome, forever.

One launcher window kept for all sessions, each session in a new off-the-record profile (or,
with keep_window off, one launcher process per session), on the portal's welcome page with a
fresh session directory whose wipe journal is written first; timers from the policy; a verified
wipe between residents, and "out of service" rather than a dirty session when a wipe cannot be
verified.
State changes happen on the supervisor's own thread only: the portal and the control socket post
requests to its queue (`_post`, or `_call` when they need the outcome before answering).
"""

from __future__ import annotations

import logging
import queue
import threading
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import wipe
from core import layout
from core.config import Config
from core.events import (
    END_REASONS,
    NO_ANSWER,
    QUESTIONS,
    Event,
    EventSink,
    accept_answer,
    answer_detail,
)
from core.layout import SessionPaths
from core.live_settings import LiveSettings
from core.session_states import (
    ACTIVE,
    ENDING,
    IN_SESSION,
    OUT_OF_SERVICE,
    SERVING,
    WARNING,
    WELCOME,
    WIPING,
    accepts,
)
from kiosk.launcher_process import LauncherProcess, renderer_pids
from kiosk.timers import CancelWarning, End, SessionTimer, Warn
from policies import PolicyStore, default_policy_path

log = logging.getLogger(__name__)

TICK = 0.2
RETRY_OUT_OF_SERVICE = 30.0  # seconds between wipe retries while out of service
CLEAR_TIMEOUT = 5.0  # seconds a kept window has to drop its profile before it is replaced
MAX_FAILED_STARTS = 3  # windows in a row that die before showing anything: out of service
MAX_RETRY = 300.0  # longest wait between two attempts while the window cannot start
CALL_TIMEOUT = 10.0  # seconds a portal thread waits for the loop to apply its request


@dataclass
class _Reply:
    """Carries a request's outcome back to the thread that asked."""

    done: threading.Event = field(default_factory=threading.Event)
    value: object = None


@dataclass
class Options:
    """How the supervisor runs; tests shorten things, production uses the defaults."""

    windowed: bool = False
    homes: Iterable[tuple[Path, Path]] = ()          # (kiosk user's HOME, clean template) pairs
    # System temp dirs are swept only for a dedicated session user (production): on a laptop
    # running `kiosk demo`, files other programs create in /tmp are not the session's to delete.
    tmp_roots: Iterable[Path] = ()
    session_uid: int | None = None
    launcher_env: dict[str, str] = field(default_factory=dict)
    wipe_grace: float = 1.0
    install_default_policy: bool = True               # first start only: no policy, no history
    home_url: str | None = None                       # what the window opens (default: the portal)
    out_of_service_retry: float = RETRY_OUT_OF_SERVICE # seconds between wipe retries when it failed
    # One window for all sessions, each in a new off-the-record profile (see README, "Turnover");
    # False: a new launcher process per session.
    keep_window: bool = True


def production_options(windowed: bool = False) -> Options:
    """When running as the dedicated `kiosk` user, its HOME and its files in /tmp, /var/tmp and
    /dev/shm belong to sessions; anywhere else (a demo on a laptop) only the session dir does."""
    import os
    import pwd

    # Fallback and benchmark switch: a new launcher process for every session (slower turnover).
    keep = os.environ.get("KIOSK_WINDOW_PER_SESSION", "") not in ("1", "true", "yes")
    user = pwd.getpwuid(os.getuid())
    if user.pw_name != "kiosk" or os.getuid() == 0:
        return Options(windowed=windowed, keep_window=keep)
    home = Path(user.pw_dir)
    # The installer creates this clean copy and names it in the unit (KIOSK_HOME_TEMPLATE).
    template = Path(os.environ.get("KIOSK_HOME_TEMPLATE", "/opt/kiosk/home.template"))
    return Options(windowed=windowed, homes=[(home, template)] if template.is_dir() else [],
                   tmp_roots=wipe.DEFAULT_TMP_ROOTS, session_uid=os.getuid(), keep_window=keep)


class Supervisor:
    """Owns the sessions of one terminal."""

    def __init__(self, state_dir: Path, sinks: Iterable[EventSink] = (),
                 options: Options | None = None):
        self.state_dir = Path(state_dir)
        self.options = options or Options()
        self.config = Config.load(self.state_dir)
        # What the portal's resident pages show; refreshed whenever config.toml is read again.
        self.live_settings = LiveSettings()
        self.live_settings.update_from(self.config.values, self.state_dir)
        self.store = PolicyStore(self.state_dir,
                                 require_signed=self.config["require_signed_policy"])
        self.sinks = list(sinks)
        self.state = WELCOME
        self.end_reason: str | None = None
        self.last_end_reason: str | None = None
        self.last_wipe: wipe.WipeReport | None = None
        self.help_requested = False
        self.help_since: float | None = None  # monotonic time of the pending help request
        self.language = "fr"
        self.warning_kind: str | None = None
        self._answered: set[str] = set()  # questions this session answered (never the answers)
        self._asked = False  # the end questions were shown after the toolbar's "Terminer"
        self._requests: queue.Queue[tuple] = queue.Queue()
        self._loop_thread: threading.Thread | None = None  # set by run_forever
        self._handle: wipe.SessionHandle | None = None
        self._launcher: LauncherProcess | None = None
        self._timer: SessionTimer | None = None
        self._started_at: float | None = None
        self._last_time_left: int | None = None
        self._stop = threading.Event()
        self._wake = threading.Event()  # a request or a launcher event: step now, not at TICK
        self.ready = False              # the welcome page is on screen in a fresh launcher
        self.purge_failed = False       # an earlier session's tree could not be deleted
        self._retry_at = 0.0
        self._failed_starts = 0  # windows in a row that exited before they were ever ready
        self._notice: LauncherProcess | None = None  # the "out of service" screen
        self.portal_url = f"http://127.0.0.1:{self.config['portal_port']}/"
        self.home_url = self.options.home_url or self.portal_url
        self._load_policy()

    # ---------------------------------------------------------------- requests from other threads
    def _post(self, kind: str, reason: str | None = None) -> None:
        self._requests.put((kind, reason))
        self._wake.set()

    def request_begin(self) -> None:
        self._post("begin")

    def request_end(self, reason: str = "user") -> None:
        if reason not in END_REASONS:
            raise ValueError(f"unknown end reason {reason!r}")
        self._post("end", reason)

    def post_activity(self) -> None:
        self._post("activity")

    def request_help(self) -> None:
        self._call("help")

    def set_language(self, code: str) -> None:
        """The resident's language for this session (back to French when it ends)."""
        self._call("language", code)

    def unlock_site(self, site_id: str, hosts: tuple[str, ...]) -> object | None:
        """Accompanied mode: the session's marker if a session is running and got the site,
        else None."""
        return self._call("unlock", (site_id, tuple(hosts)))

    def questions(self) -> tuple[str, ...]:
        """The end-of-session questions the mediator turned on (settings `question_*`)."""
        return tuple(q for q in QUESTIONS if self.config.values.get(f"question_{q}"))

    def answer(self, question: str, value: str) -> bool:
        """The resident answered one end question: counted on its own; False when refused
        (no session, a question not asked, or answered already)."""
        return bool(self._call("answer", (question, value)))

    def _call(self, kind: str, argument: object = None) -> object:
        """Have the loop apply a request and return its outcome. Without a running loop (before
        `run_forever`, in unit tests) the caller is the only thread: applied at once."""
        loop = self._loop_thread
        if loop is None or loop is threading.current_thread():
            return self._apply_request(kind, argument)
        if self._stop.is_set():
            return None
        reply = _Reply()
        self._requests.put((kind, argument, reply))
        self._wake.set()
        if not reply.done.wait(CALL_TIMEOUT):
            log.warning("supervisor busy: a %s request was not applied in %.0f s", kind,
                        CALL_TIMEOUT)
        return reply.value

    def _apply_request(self, kind: str, argument: object = None) -> object:
        """On the loop's thread: every change the portal and the control socket ask for."""
        if kind == "begin":
            self._begin()
        elif kind == "end":
            self._end(argument or "user")
        elif kind == "purge_failed":
            self._on_purge_failed()
        elif kind == "activity" and self._timer:
            self._apply(self._timer.activity(time.monotonic()))
        elif kind == "help" and accepts(self.state, "help"):
            if not self.help_requested:
                self.help_since = time.monotonic()
            self.help_requested = True
            self.emit(Event("help_requested"))
        elif kind == "acknowledge":
            return self._acknowledge_help()
        elif kind == "answer" and accepts(self.state, "answer"):
            detail = accept_answer(self.questions(), self._answered, *argument)
            if detail is None:
                return False
            self.emit(Event("answer", detail=detail))
            return True
        elif kind == "language" and accepts(self.state, "language"):
            self.language = str(argument)
            self.emit(Event("language", detail=self.language))
        elif kind == "unlock" and accepts(self.state, "unlock"):
            site_id, hosts = argument
            self._send("allow_site", site_id=site_id, hosts=list(hosts))
            self.emit(Event("accompanied_unlock", site_id=site_id))
            return self._started_at
        elif kind == "policy" and self._launcher is not None and accepts(self.state, "policy"):
            self._write_policy_copy()
            self._send("reload_policy")
        return None

    def acknowledge_help(self) -> bool:
        """A mediator said "J'y vais": the alert stops (counted); False when none was pending."""
        return bool(self._call("acknowledge"))

    def _acknowledge_help(self) -> bool:
        if not self.help_requested:
            return False
        self.help_requested, self.help_since = False, None
        self.emit(Event("help_outcome", detail="acknowledged"))
        return True

    def help_waiting_seconds(self) -> int | None:
        since = self.help_since
        return round(time.monotonic() - since) if self.help_requested and since else None

    def emit(self, event: Event) -> None:
        """Pass an event to every sink; a failing sink is logged, never fatal to the session."""
        for sink in self.sinks:
            try:
                sink.emit(event)
            except Exception:  # noqa: BLE001 - counting must never break a session
                log.exception("event sink failed")

    # ---------------------------------------------------------------- read-only views
    @property
    def session_dir(self) -> Path:
        return layout.session_dir(self.state_dir)

    @property
    def documents_dir(self) -> Path:
        return SessionPaths(self.session_dir).downloads

    @property
    def started_at(self) -> float | None:
        """When the running session began (monotonic), None between sessions."""
        return self._started_at

    def seconds_left(self) -> int | None:
        return self._timer.seconds_left(time.monotonic()) if self._timer else None

    def status(self) -> dict:
        """What the mediator and `kiosk session status` may know: never what the resident does."""
        elapsed = round(time.monotonic() - self._started_at) if self._started_at else None
        return {"state": self.state, "elapsed_seconds": elapsed,
                "seconds_left": self.seconds_left(),
                "help_requested": self.help_requested,
                "help_waiting_seconds": self.help_waiting_seconds(),
                "last_end_reason": self.last_end_reason,
                "ready": self.ready, "purge_failed": self.purge_failed,
                "last_wipe": self.last_wipe.to_dict() if self.last_wipe else None}

    # ---------------------------------------------------------------- lifecycle
    def start(self) -> None:
        """Finish any pending wipe first, then load the policy and open the welcome screen."""
        self.state_dir.mkdir(parents=True, exist_ok=True)
        recovered = wipe.recover(self.state_dir, grace=self.options.wipe_grace)
        if wipe.purge(self.state_dir).status == "failed":
            self.purge_failed = True
        if recovered is not None:
            self.last_wipe, self.last_end_reason = recovered, "crash_recovery"
            self._count_end("crash_recovery")
            if not recovered.ok:
                self._out_of_service()
                return
        if self.purge_failed:
            self._out_of_service()
            return
        self._open_welcome()

    def _load_policy(self) -> None:
        if (self.options.install_default_policy and not self.store.path.exists()
                and not self.store.history()):
            self.store.save(default_policy_path().read_bytes())
            log.info("first start: installed the default catalogue")
        result = self.store.reload()
        for issue in result.issues:
            log.error("policy refused, previous one kept: %s", issue)

    def _open_welcome(self) -> None:
        """A fresh session directory (journal first), then the window: the kept one, cleared by
        `_end` already, or a new launcher (first start, or after a crash)."""
        self._handle = wipe.prepare_session(self.state_dir, homes=self.options.homes,
                                            tmp_roots=self.options.tmp_roots,
                                            session_uid=self.options.session_uid)
        policy_copy = self._write_policy_copy()
        if self._launcher is not None and self._launcher.alive():
            SessionPaths(self.session_dir).create()
            self._launcher.send("reload_policy")
        else:
            env = {**self._handle.env(), **self.options.launcher_env}
            self._launcher = LauncherProcess(policy_copy, self.home_url, self.session_dir, env,
                                             windowed=self.options.windowed,
                                             portal=self.portal_url, kept=self.options.keep_window,
                                             on_event=self._wake.set)
            self.ready = False
        self._send_features()
        # Recorded in every session's journal: after a crash, recovery kills the kept window too
        # (it holds the session in memory).
        self._handle.add_process(self._launcher.pid)
        self.state, self._timer, self._started_at = WELCOME, None, None
        if self.help_requested:  # the session ended before a mediator saw the request
            self.emit(Event("help_outcome", detail="unanswered"))
        self.help_since = None
        self.help_requested, self.language, self.end_reason = False, "fr", None
        self.warning_kind, self._last_time_left = None, None

    def reload_settings(self) -> None:
        """Read config.toml again (before every resident); the portal's pages follow
        (`kiosk config set` shows from the next session on). Unreadable: the last ones kept."""
        try:
            self.config = Config.load(self.state_dir)
        except ValueError as exc:
            log.error("settings unreadable, previous ones kept: %s", type(exc).__name__)
            return
        self.live_settings.update_from(self.config.values, self.state_dir)

    def _send_features(self) -> None:
        """The mediator's `downloads` and `printing` settings, read again for every resident
        (a change applies from the next session on); unreadable settings keep the last ones."""
        self.reload_settings()
        self._send("features", downloads=bool(self.config["downloads"]),
                   printing=bool(self.config["printing"]))

    def _write_policy_copy(self) -> Path:
        """The launcher enforces exactly the policy in force here (not whatever the file now holds:
        a broken edit keeps the previous policy), copied into the session; none: nothing opens."""
        from core.atomic import atomic_write

        copy = SessionPaths(self.session_dir).policy_copy
        atomic_write(copy, self.store.current_data or b"version = 1\n")
        return copy

    def policy_changed(self) -> None:
        """A mediator saved a new catalogue: the running window enforces it at once."""
        self._call("policy")

    def _begin(self) -> None:
        if not accepts(self.state, "begin"):
            return
        self.state = ACTIVE
        self._started_at = time.monotonic()
        self._timer = SessionTimer(self.store.current.session, self._started_at)
        self.emit(Event("session_started"))

    def _end(self, reason: str) -> None:
        if not accepts(self.state, "end"):
            return
        was_session = self.state != WELCOME
        language = self.language
        self.state, self.end_reason = ENDING, reason
        # The resident's choices go now, before the window shows its next page: that page is
        # already the next resident's (it was rendered in the old language when this waited
        # for _open_welcome).
        self.language, self.help_requested, self.warning_kind = "fr", False, None
        notice = self._wiped_notice(language) if was_session else None
        # The old tree is renamed out of reach and verified gone from session/ at once; its bulk
        # delete runs in the background while the next resident is welcomed.
        self.last_wipe = self._close_session(defer_delete=True, keep_window=True, notice=notice)
        threading.Thread(target=self._purge, daemon=True, name="purge").start()
        if was_session:
            self.last_end_reason = reason
            self._count_end(reason)
        if not self.last_wipe.ok or self.purge_failed:
            self._out_of_service()
            return
        self._open_welcome()

    def _count_end(self, reason: str) -> None:
        """The end of a session for the counters: each question the mediator turned on and
        this session did not answer (skipped, or an idle, time-limit, mediator or crash end) is
        counted as "no answer", then the end itself."""
        for question in self.questions():
            if question not in self._answered:
                self.emit(Event("answer", detail=answer_detail(question, NO_ANSWER)))
        self._answered, self._asked = set(), False
        self.emit(Event("session_ended", detail=reason))

    def _wiped_notice(self, language: str) -> dict | None:
        """What the window shows the resident who is leaving, in their language, before the
        welcome screen: "Session effacée" for `wiped_notice_seconds` (0: straight to welcome)."""
        seconds = self.config["wiped_notice_seconds"]
        if not seconds:
            return None
        return {"notice": f"/fin/effacee?langue={language}", "seconds": seconds}

    def _close_session(self, defer_delete: bool = False, keep_window: bool = False,
                       notice: dict | None = None) -> wipe.WipeReport:
        """Drop the session from the window (clear the kept one, or stop it), then wipe
        everything the session produced."""
        spare = self._clear_window(notice) if keep_window else None
        if spare is None and self._launcher:
            self._launcher.stop()
            self._launcher = None
        self.state = WIPING
        return wipe.wipe_session(self._handle, grace=self.options.wipe_grace,
                                 defer_delete=defer_delete, spare=spare)

    def _clear_window(self, notice: dict | None = None):
        """Ask the kept window to destroy the session's profile and reopen the welcome page
        (after showing `notice`, if any; "ready" comes once the welcome page is there).
        Returns what the wipe must spare (the window, minus the old renderers), or None when the
        window cannot be kept: dead, not kept, or no answer in time (then it is stopped)."""
        launcher = self._launcher
        if launcher is None or not launcher.kept or not launcher.alive():
            return None
        old_renderers = renderer_pids(launcher.pid)
        self.ready = False
        launcher.send("clear", **(notice or {}))
        deadline = time.monotonic() + CLEAR_TIMEOUT
        while time.monotonic() < deadline:
            try:
                event = launcher.events.get(timeout=0.05)
            except queue.Empty:
                if not launcher.alive():
                    return None
                continue
            if event.kind == "cleared":
                return launcher.engine_spare(old_renderers)
            if event.kind not in ("activity", "end_requested", "ready"):
                self.emit(event)  # the old session's last downloads and prints still count
        log.warning("the window did not clear in %.0f s: starting a new one", CLEAR_TIMEOUT)
        return None

    def _purge(self) -> None:
        """Delete the previous session's tree; if it cannot be, nobody else is served."""
        if wipe.purge(self.state_dir).status == "failed":
            self._post("purge_failed")

    def _on_purge_failed(self) -> None:
        self.purge_failed = True
        if self.state == WELCOME:  # nobody started yet: stop serving at once
            self._close_session()
            self._out_of_service()

    def _out_of_service(self, why: str | None = None, retry: float | None = None) -> None:
        """Never serve a dirty session, nor loop on a window that cannot start: show "hors
        service" and try again now and then."""
        retry = self.options.out_of_service_retry if retry is None else retry
        if why is None:
            why = f"wipe not verified ({self.last_wipe.reason if self.last_wipe else 'unknown'})"
        log.error("%s: out of service, trying again in %.0f s", why, retry)
        if self._launcher:
            self._launcher.stop()
        self.state, self._launcher, self._timer = OUT_OF_SERVICE, None, None
        self.ready = False
        self._retry_at = time.monotonic() + retry
        notice_dir = self.state_dir / "notice"
        (notice_dir / "tmp").mkdir(parents=True, exist_ok=True)
        policy = notice_dir / "tmp" / "policy.toml"
        policy.write_bytes(b"version = 1\n")  # nothing but the portal may open
        self._notice = LauncherProcess(policy, self.portal_url + "hors-service", notice_dir,
                                       dict(self.options.launcher_env),
                                       windowed=self.options.windowed, portal=self.portal_url)

    def _retry_wipe(self) -> None:
        if time.monotonic() < self._retry_at:
            return
        self._retry_at = time.monotonic() + self.options.out_of_service_retry
        report = wipe.recover(self.state_dir, grace=self.options.wipe_grace)
        if report is not None:
            self.last_wipe = report
        purged = wipe.purge(self.state_dir).status != "failed"
        if (report is None or report.ok) and purged:
            self.purge_failed = False
            log.info("wipe verified: back in service")
            if self._notice:
                self._notice.stop()
                self._notice = None
            self._open_welcome()

    # ---------------------------------------------------------------- the loop
    def apply_requests(self) -> None:
        """Apply, in order, what the portal and the control socket asked since the last turn."""
        while not self._requests.empty():
            kind, argument, *reply = self._requests.get_nowait()
            value = None
            try:
                value = self._apply_request(kind, argument)
            finally:
                if reply:  # a portal thread waits for this outcome
                    reply[0].value = value
                    reply[0].done.set()

    def step(self) -> None:
        """One turn of the loop: requests, launcher events, timers, crash detection."""
        self.apply_requests()
        if self.state == OUT_OF_SERVICE:
            self._retry_wipe()
            return
        launcher = self._launcher
        while launcher and not launcher.events.empty():
            self._on_launcher_event(launcher.events.get_nowait())
        if launcher and not launcher.alive() and self.state in SERVING:
            self._on_launcher_exit(launcher)
            return
        self._tick_timer()

    def _on_launcher_exit(self, launcher: LauncherProcess) -> None:
        """A window that crashed is replaced; one that cannot even start is not restarted in a
        tight loop: after MAX_FAILED_STARTS the terminal is out of service, says why in the log,
        and tries again later (longer and longer)."""
        code = launcher.process.returncode
        reason = "crash_recovery" if self.state != WELCOME else "user"
        if launcher.was_ready:
            log.warning("launcher exited (exit code %s): ending the session (%s)", code, reason)
            self._end(reason)
            return
        self._failed_starts += 1
        log.error("the window exited before showing anything (exit code %s), %d time(s) in a "
                  "row; its own log lines above say why", code, self._failed_starts)
        if self._failed_starts < MAX_FAILED_STARTS:
            self._end(reason)
            return
        was_session = self.state != WELCOME
        self.last_wipe = self._close_session()
        if was_session:
            self.last_end_reason = reason
            self._count_end(reason)
        retry = min(MAX_RETRY, self.options.out_of_service_retry
                    * 2 ** (self._failed_starts - MAX_FAILED_STARTS))
        self._out_of_service(f"the window cannot start (exit code {code}, "
                             f"{self._failed_starts} times in a row)", retry)

    def _on_launcher_event(self, event: Event) -> None:
        if event.kind == "activity":
            if self._timer:
                self._apply(self._timer.activity(time.monotonic()))
            return
        if event.kind == "end_requested":
            if self._ask_before_end():
                self._asked = True
                self._send("questions")  # the portal's question page ends the session
            else:
                self._end("user")
            return
        if event.kind == "ready":
            self.ready = True
            self._failed_starts = 0
            if self._launcher is not None:
                self._launcher.was_ready = True
        else:
            self.emit(event)

    def _ask_before_end(self) -> bool:
        """The toolbar's "Terminer": show the end questions first, once per session, when some
        are on and the window outlives the session (a window per session quits at once)."""
        return (self.state in IN_SESSION and not self._asked and bool(self.questions())
                and self._launcher is not None and self._launcher.kept)

    def _tick_timer(self) -> None:
        if not self._timer or self.state not in IN_SESSION:
            return
        now = time.monotonic()
        self._apply(self._timer.tick(now))
        if self._timer is None or self.state not in IN_SESSION:
            return  # that tick ended the session (idle or time limit): nothing left to count
        left = self._timer.seconds_left(now)
        if left != self._last_time_left and (left % 5 == 0 or left < 60):
            self._send("time_left", seconds=left)
            self._last_time_left = left

    def _send(self, op: str, **fields: object) -> None:
        """A command to the window, if there is one (a crashed one is noticed by `step`)."""
        if self._launcher is not None:
            self._launcher.send(op, **fields)

    def _apply(self, actions: list) -> None:
        """Carry out the timer's decisions; an End ends the session and nothing after it runs."""
        for action in actions:
            if self.state not in IN_SESSION:
                return
            if isinstance(action, Warn):
                self.state, self.warning_kind = WARNING, action.kind
                self._send("warning", kind=action.kind, seconds=action.seconds)
            elif isinstance(action, CancelWarning):
                self.state, self.warning_kind = ACTIVE, None
                self._send("warning_cancel")
            elif isinstance(action, End):
                self._end(action.reason)

    def run_forever(self) -> None:
        self._loop_thread = threading.current_thread()
        self.start()
        while not self._stop.is_set():
            self._wake.clear()
            self.step()
            self._wake.wait(TICK)

    def stop(self) -> None:
        """Leave cleanly: end and wipe whatever session is open."""
        self._stop.set()
        self._wake.set()

    @property
    def stopped(self) -> threading.Event:
        return self._stop

    def shutdown(self) -> None:
        if self._notice:
            self._notice.stop()
        if self.state in SERVING:
            was_session = self.state != WELCOME
            self.last_wipe = self._close_session()
            if was_session:
                self._count_end("mediator")
        self.state = WIPING if self.state != OUT_OF_SERVICE else self.state
