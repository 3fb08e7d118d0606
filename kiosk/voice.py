"""Spoken prompts in Mandarin ("请放置身份证", "请取走凭条") with espeak-ng, never on the UI thread.

`Voice.say(key)` only puts the prompt on a queue and returns; one worker thread
synthesizes it with `espeak-ng -v cmn -w FILE` (a subprocess) and plays the file
with `paplay` or `aplay` when one is installed (a terminal without a sound
server just keeps the file). Switched off by `[voice] enabled = false`; the
volume (percent) becomes espeak-ng's amplitude. Prompts are fixed texts: nothing
personal is ever spoken or logged.
"""
from __future__ import annotations

import logging
import queue
import shutil
import subprocess
import threading
from pathlib import Path

log = logging.getLogger("kiosk.voice")

PROMPTS = {
    "place_card": "请放置身份证",
    "take_card": "请取走身份证",
    "take_slip": "请取走凭条",
    "take_ticket": "请取走排队号，留意叫号",
    "evaluate": "请您对本次服务进行评价",
    "thanks": "感谢您的评价",
}
ENGINE = "espeak-ng"
PLAYERS = ("paplay", "aplay")


class Voice:
    """A queue of prompts and the thread that speaks them."""

    def __init__(self, out_dir: str | Path, *, enabled: bool = True, volume: int = 80,
                 voice: str = "cmn", engine: str = ENGINE, timeout: float = 10.0):
        self.out_dir = Path(out_dir)
        self.enabled = enabled and shutil.which(engine) is not None
        self.volume, self.voice, self.engine, self.timeout = volume, voice, engine, timeout
        self.player = next((p for p in PLAYERS if shutil.which(p)), None)
        self.last_file: Path | None = None
        self.spoken = 0
        self._queue: queue.Queue[str | None] = queue.Queue(maxsize=8)
        self._idle = threading.Event()
        self._idle.set()
        self._thread: threading.Thread | None = None
        if enabled and not self.enabled:
            log.warning("voice prompts off: %s not installed", engine)

    @classmethod
    def from_settings(cls, settings) -> "Voice":
        v = settings["voice"]
        return cls(settings.state_path("voice"), enabled=v["enabled"], volume=v["volume"], voice=v["voice"])

    @property
    def amplitude(self) -> int:
        """espeak-ng's -a runs 0-200 (100 = normal): the configured percent of 200."""
        return max(0, min(200, round(self.volume * 2)))

    def say(self, key: str) -> bool:
        """Queue a prompt (a key of PROMPTS); returns at once. False when off or the queue is full."""
        if not self.enabled or key not in PROMPTS:
            return False
        self._start()
        try:
            self._idle.clear()
            self._queue.put_nowait(key)
        except queue.Full:
            return False
        return True

    def synthesize(self, text: str, path: str | Path) -> Path:
        """Write `text` as speech to a WAV file (blocking: worker threads and tests only)."""
        path = Path(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        subprocess.run([self.engine, "-v", self.voice, "-a", str(self.amplitude), "-w", str(path), text],
                       check=True, timeout=self.timeout, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        return path

    def wait_idle(self, timeout: float = 10.0) -> bool:
        return self._idle.wait(timeout)

    def _start(self) -> None:
        if self._thread is None:
            self._thread = threading.Thread(target=self._run, name="voice", daemon=True)
            self._thread.start()

    def _run(self) -> None:
        while True:
            key = self._queue.get()
            if key is None:
                return
            try:
                self.last_file = self.synthesize(PROMPTS[key], self.out_dir / f"{key}.wav")
                if self.player:
                    subprocess.run([self.player, str(self.last_file)], timeout=self.timeout,
                                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
                self.spoken += 1
            except (OSError, subprocess.SubprocessError) as exc:
                log.warning("voice prompt failed", extra={"prompt": key, "error": type(exc).__name__})
            finally:
                if self._queue.empty():
                    self._idle.set()

    def close(self) -> None:
        if self._thread is not None:
            try:
                self._queue.put_nowait(None)
            except queue.Full:
                pass
            self._thread.join(2)
