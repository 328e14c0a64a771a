"""The wipe report: counts, bytes, durations and outcomes only, never a name or a path."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field

STEP_NAMES = ("processes", "session_dir", "home", "tmp", "clipboard", "print_jobs", "verify")


@dataclass
class StepReport:
    """What one step did: status is "done", "skipped" or "failed"; reason is an enumerated word."""

    name: str
    status: str = "done"
    counts: dict[str, int] = field(default_factory=dict)
    bytes: int = 0
    duration_s: float = 0.0
    reason: str | None = None
    errors: dict[str, int] = field(default_factory=dict)

    def add(self, kind: str, n: int = 1) -> None:
        self.counts[kind] = self.counts.get(kind, 0) + n

    def error(self, code: str) -> None:
        """Count an error by its errno name (e.g. "EACCES"), never by its message."""
        self.errors[code] = self.errors.get(code, 0) + 1


@dataclass
class WipeReport:
    """The outcome of one wipe; `ok` is True only when the wipe was verified clean."""

    ok: bool = False
    verified: bool = False
    recovered: bool = False
    deferred: bool = False            # old session tree moved to the trash, purge() pending
    interrupted: str | None = None    # recover(): phase a crash interrupted ("session", "wiping")
    reason: str | None = None
    attempts: int = 1
    duration_s: float = 0.0
    steps: list[StepReport] = field(default_factory=list)
    residue: dict[str, int] = field(default_factory=dict)

    def step(self, name: str) -> StepReport | None:
        return next((s for s in self.steps if s.name == name), None)

    def to_dict(self) -> dict:
        return asdict(self)

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), sort_keys=True)

    def summary_lines(self) -> list[str]:
        """Readable lines for the terminal and the mediator page."""
        head = "OK, verified clean" if self.ok else f"FAILED ({self.reason or 'unknown'})"
        lines = [f"wipe: {head} in {self.duration_s:.3f} s"
                 + (" (finished an interrupted wipe)" if self.recovered else "")]
        for s in self.steps:
            counts = ", ".join(f"{k}={v}" for k, v in sorted(s.counts.items()))
            extra = f" bytes={s.bytes}" if s.bytes else ""
            why = f" ({s.reason})" if s.reason else ""
            errs = f" errors={s.errors}" if s.errors else ""
            lines.append(f"  {s.name:<12} {s.status:<8}{why} {s.duration_s * 1000:7.1f} ms"
                         f"  {counts}{extra}{errs}")
        residue = sum(self.residue.values())
        lines.append(f"  residue: {residue}" + (f" {self.residue}" if residue else ""))
        return lines
