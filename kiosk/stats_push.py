"""Send signed monthly reports to the hub; queue them in `STATE/outbox/` while it is unreachable.

A report is written to the outbox before any network attempt and removed only once the hub has
it (201, or 409: it already holds this version or a newer one). Nothing is lost while offline.
"""

from __future__ import annotations

import json
import logging
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from datetime import date
from pathlib import Path

from core.atomic import atomic_write
from core.counters import months_back
from core.enrolment import rebind_statement
from core.hub_answers import HubRefused, PushOutcome
from kiosk.counters import CounterStore
from kiosk.export import signed_report
from kiosk.identity import terminal_id

log = logging.getLogger(__name__)

OUTBOX = "outbox"
RETRY_NAME = "retry.state"  # not *.json: only reports match that
HUB_URL_NAME = "hub_url"
LAST_QUEUED_NAME = "last_month.state"
BASE_DELAY = 60.0
MAX_DELAY = 6 * 3600.0


def outbox(state: Path) -> Path:
    return Path(state) / OUTBOX


def hub_url(state: Path, explicit: str | None = None) -> str | None:
    """The hub address: given, else the one saved at enrolment."""
    if explicit:
        return explicit.rstrip("/")
    try:
        return (Path(state) / HUB_URL_NAME).read_text().strip().rstrip("/") or None
    except OSError:
        return None


def queue(state: Path, envelope: dict) -> Path:
    """Write a signed report into the outbox atomically (fsync, rename, fsync of the outbox)."""
    report = json.loads(envelope["payload"])
    directory = outbox(state)
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / f"{report['month']}.{report['version']:015d}.json"
    atomic_write(path, json.dumps(envelope, ensure_ascii=False).encode("utf-8"))
    return path


def queue_months(state: Path, store: CounterStore, months: list[str]) -> list[Path]:
    return [queue(state, signed_report(state, store, month)) for month in months]


def default_months(today: date) -> list[str]:
    """The previous month (final figures, in case month end was missed) and this one so far."""
    previous = months_back(today.replace(day=1), 1)
    return [previous.strftime("%Y-%m"), today.strftime("%Y-%m")]


def post_json(url: str, body: dict, timeout: float = 10.0) -> tuple[int, dict]:
    """POST JSON; returns (status, decoded body). Raises OSError when the hub is unreachable."""
    data = json.dumps(body).encode()
    request = urllib.request.Request(url, data=data, method="POST",
                                     headers={"Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return response.status, _decode(response.read())
    except urllib.error.HTTPError as exc:
        return exc.code, _decode(exc.read())


def _decode(raw: bytes) -> dict:
    try:
        value = json.loads(raw or b"{}")
        return value if isinstance(value, dict) else {}
    except ValueError:
        return {}


def flush(state: Path, url: str, timeout: float = 10.0) -> PushOutcome:
    """Try to send every queued report, oldest first; stop at the first network failure."""
    result = PushOutcome()
    files = sorted(outbox(state).glob("*.json"))
    for index, path in enumerate(files):
        try:
            status, body = post_json(f"{url}/api/reports", json.loads(path.read_text()), timeout)
        except (OSError, ValueError) as exc:
            result.errors.append(f"hub unreachable ({type(exc).__name__})")
            result.kept.extend(p.name for p in files[index:])
            break
        if status in (200, 201, 409):
            path.unlink()
            result.sent.append(path.name)
        else:
            result.kept.append(path.name)
            result.errors.append(f"{path.name}: {status} {body.get('error', '')}".strip())
    _save_retry(state, result)
    return result


def backoff_delay(failures: int) -> float:
    """Exponential backoff: 1 min, 2, 4... capped at 6 hours."""
    return min(MAX_DELAY, BASE_DELAY * 2 ** max(0, failures - 1))


def _retry_path(state: Path) -> Path:
    return outbox(state) / RETRY_NAME


def _save_retry(state: Path, result: PushOutcome) -> None:
    path = _retry_path(state)
    if result.done:
        path.unlink(missing_ok=True)
        return
    failures = _load_retry(state).get("failures", 0) + 1
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps({"failures": failures,
                                "next_attempt": time.time() + backoff_delay(failures)}))


def _load_retry(state: Path) -> dict:
    try:
        return json.loads(_retry_path(state).read_text())
    except (OSError, ValueError):
        return {}


def flush_if_due(state: Path, url: str, now: float | None = None) -> PushOutcome | None:
    """Flush when the backoff delay has passed (call it from a periodic timer)."""
    if not any(outbox(state).glob("*.json")):
        return None
    if (now or time.time()) < _load_retry(state).get("next_attempt", 0):
        return None
    return flush(state, url)


def push_until_sent(state: Path, url: str, attempts: int,
                    sleep: Callable[[float], None] = time.sleep) -> PushOutcome:
    """Flush, waiting with backoff between attempts, at most `attempts` times."""
    result = flush(state, url)
    for failure in range(1, attempts):
        if result.done:
            break
        sleep(backoff_delay(failure))
        result = flush(state, url)
    return result


def tick(state: Path, store: CounterStore, url: str | None, today: date | None = None,
         now: float | None = None) -> PushOutcome | None:
    """Periodic job for the supervisor: at month end queue the finished month once, then send
    the queue when the backoff allows. Never raises: a failure is logged, sessions go on."""
    try:
        today = today or date.today()
        previous = default_months(today)[0]
        marker = outbox(state) / LAST_QUEUED_NAME
        done = marker.read_text().strip() if marker.exists() else ""
        if done != previous:
            queue(state, signed_report(state, store, previous))
            marker.write_text(previous + "\n")
        return flush_if_due(state, url, now) if url else None
    except Exception as exc:
        log.warning("stats push: periodic job failed (%s)", type(exc).__name__)
        return None


def enrol(state: Path, url: str, code: str, association: str) -> dict:
    """Register this terminal's public key with the hub using a one-time code; saves the URL."""
    from kiosk.keeper_service import keeper_for

    keeper = keeper_for(state)
    body = {"terminal_id": terminal_id(state), "public_key": keeper.terminal_public_key(),
            "association": association, "code": code}
    # Proof that the terminal itself asks: the hub needs it to move an enrolled terminal to the
    # association of this new code (it ignores it for a first enrolment).
    body["proof"] = keeper.sign_rebind(
        rebind_statement(body["terminal_id"], body["public_key"], code))
    status, answer = post_json(f"{url.rstrip('/')}/api/enrol", body)
    if status != 201:
        raise HubRefused(answer.get("error") or f"the hub answered {status}")
    (Path(state) / HUB_URL_NAME).write_text(url.rstrip("/") + "\n")
    return answer
