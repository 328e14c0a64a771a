"""A sound card for machines without one: a PulseAudio server of the test's own with a null sink
(it plays in real time, like a card, so speech lasts as long as it would and "Arrêter" can cut
it), and a recorder on its monitor that keeps only when sound came and how much, never the
sound itself.

`SoundCard(base)` starts both; pass `card.env` to the launcher: speech-dispatcher, which the
launcher starts, inherits PULSE_SERVER and plays into this card."""

from __future__ import annotations

import os
import shutil
import subprocess
import threading
import time
from pathlib import Path

RATE = 22050
BYTES_PER_SECOND = RATE * 2  # 16-bit mono
CHUNK = BYTES_PER_SECOND // 20  # 50 ms
SILENCE = 64  # sample amplitude below which a chunk counts as silence


class SoundCard:
    """Sound that reached the card: (monotonic time, bytes) of every non-silent 50 ms."""

    def __init__(self, base: Path) -> None:
        if shutil.which("pulseaudio") is None or shutil.which("parec") is None:
            raise RuntimeError("pulseaudio and parec are missing: apt-get install pulseaudio "
                               "pulseaudio-utils (they are in install.sh's TEST_PACKAGES)")
        self.base = base / "soundcard"
        (self.base / "run").mkdir(parents=True, exist_ok=True, mode=0o700)
        self.socket = self.base / "pulse.sock"
        self.env = {"PULSE_SERVER": f"unix:{self.socket}"}
        env = {**os.environ, "HOME": str(self.base), "XDG_RUNTIME_DIR": str(self.base / "run"),
               "XDG_CONFIG_HOME": str(self.base / "config")}
        log = (self.base / "pulseaudio.log").open("wb")
        self._server = subprocess.Popen(
            ["pulseaudio", "-n", "--daemonize=no", "--exit-idle-time=-1", "--use-pid-file=no",
             "--disable-shm=yes", "--log-target=stderr",
             "-L", f"module-native-protocol-unix auth-anonymous=1 socket={self.socket}",
             "-L", f"module-null-sink sink_name=card rate={RATE} channels=1",
             "-L", "module-always-sink"],
            env=env, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
            stderr=log)
        log.close()
        deadline = time.monotonic() + 15
        while not self.socket.exists():
            if time.monotonic() > deadline or self._server.poll() is not None:
                self.close()
                raise RuntimeError("the test's PulseAudio did not start: "
                                   + (self.base / "pulseaudio.log").read_text(errors="replace"))
            time.sleep(0.05)
        self._recorder = subprocess.Popen(
            ["parec", f"--server=unix:{self.socket}", "--device=card.monitor", "--raw",
             "--format=s16le", f"--rate={RATE}", "--channels=1", "--latency-msec=50"],
            env=env, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL)
        self.chunks: list[tuple[float, int]] = []
        self._lock = threading.Lock()
        self._listener = threading.Thread(target=self._listen, daemon=True, name="soundcard")
        self._listener.start()

    def _listen(self) -> None:
        stream = self._recorder.stdout
        while True:
            data = stream.read(CHUNK)
            if not data:
                return
            if len(data) < 2:
                continue
            samples = memoryview(data[: len(data) // 2 * 2]).cast("h")
            if any(abs(s) > SILENCE for s in samples):
                with self._lock:
                    self.chunks.append((time.monotonic(), len(data)))

    def played(self, since: float = 0.0) -> int:
        """Bytes of sound that reached the card after `since` (monotonic)."""
        with self._lock:
            return sum(n for t, n in self.chunks if t >= since)

    def first_sound_after(self, since: float) -> float | None:
        with self._lock:
            return next((t for t, _ in self.chunks if t >= since), None)

    def wait_for_sound(self, since: float, seconds: float = 1.0, timeout: float = 20.0) -> int:
        """Wait until at least `seconds` of sound played after `since`; the bytes played."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            played = self.played(since)
            if played >= seconds * BYTES_PER_SECOND:
                return played
            time.sleep(0.05)
        raise AssertionError(f"no {seconds} s of speech reached the sound card "
                             f"({self.played(since)} bytes)")

    def wait_for_silence(self, seconds: float = 1.0, timeout: float = 30.0) -> float:
        """Wait until nothing played for `seconds`; the moment the silence was confirmed."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            now = time.monotonic()
            if self.played(now - seconds) == 0:
                return now
            time.sleep(0.1)
        raise AssertionError(f"the card never went quiet for {seconds} s")

    def close(self) -> None:
        for proc in (getattr(self, "_recorder", None), self._server):
            if proc is not None and proc.poll() is None:
                proc.terminate()
                try:
                    proc.wait(timeout=5)
                except subprocess.TimeoutExpired:
                    proc.kill()
                    proc.wait(timeout=5)
            if proc is getattr(self, "_recorder", None) and proc is not None:
                self._listener.join(5)  # the recorder's end is the listener's end of file
                proc.stdout.close()
