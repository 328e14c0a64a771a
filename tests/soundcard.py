"""A sound card for machines without one: speech-dispatcher plays through ALSA into a FIFO that
a thread here drains at the pace of a real card (so speech lasts as long as it would, and "Stop"
can cut it), keeping only how many bytes came and when, never the sound itself.

`SoundCard(home, base)` writes the account's ALSA configuration (~/.asoundrc) before the
launcher starts: its default device is this card."""

from __future__ import annotations

import os
import threading
import time
from pathlib import Path

# espeak-ng through speech-dispatcher: 22050 Hz, 16-bit, mono.
BYTES_PER_SECOND = 22050 * 2
ASOUNDRC = """pcm.!default {{
  type file
  slave.pcm "null"
  file "{fifo}"
  format "raw"
}}
"""


class SoundCard:
    """Bytes played, with their arrival times (monotonic), as the card would hear them."""

    def __init__(self, home: Path, base: Path, speed: float = 1.0) -> None:
        self.fifo = base / "soundcard.fifo"
        self.chunks: list[tuple[float, int]] = []
        self._lock = threading.Lock()
        self._closing = False
        self._speed = speed
        home.mkdir(parents=True, exist_ok=True)
        (home / ".asoundrc").write_text(ASOUNDRC.format(fifo=self.fifo))
        if not self.fifo.exists():
            os.mkfifo(self.fifo, 0o600)
        self._thread = threading.Thread(target=self._drain, daemon=True, name="soundcard")
        self._thread.start()

    def _drain(self) -> None:
        while not self._closing:
            with open(self.fifo, "rb", buffering=0) as stream:
                started, played = time.monotonic(), 0
                while True:
                    data = stream.read(4096)
                    if not data:
                        break
                    played += len(data)
                    with self._lock:
                        self.chunks.append((time.monotonic(), len(data)))
                    # Never faster than a real card: wait until these bytes would have played.
                    ahead = started + played / (BYTES_PER_SECOND * self._speed) - time.monotonic()
                    if ahead > 0:
                        time.sleep(ahead)

    def played(self, since: float = 0.0) -> int:
        """Bytes that reached the card after `since` (monotonic)."""
        with self._lock:
            return sum(n for t, n in self.chunks if t >= since)

    def first_sound_after(self, since: float) -> float | None:
        with self._lock:
            return next((t for t, _ in self.chunks if t >= since), None)

    def wait_for_sound(self, since: float, seconds: float = 1.0, timeout: float = 20.0) -> int:
        """Wait until at least `seconds` of speech played after `since`; the bytes played."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            played = self.played(since)
            if played >= seconds * BYTES_PER_SECOND:
                return played
            time.sleep(0.05)
        raise AssertionError(f"no {seconds} s of speech reached the sound card "
                             f"({self.played(since)} bytes)")

    def close(self) -> None:
        """Let the draining thread end (it may be waiting for a writer)."""
        self._closing = True
        try:
            fd = os.open(self.fifo, os.O_WRONLY | os.O_NONBLOCK)
            os.close(fd)
        except OSError:
            pass
