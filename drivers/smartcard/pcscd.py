"""Starts and stops a private pcscd in the foreground (for tests and the bench); on a
terminal pcscd is a system service and this module is not used."""
from __future__ import annotations

import os
import socket
import subprocess
import time

SOCKET = "/run/pcscd/pcscd.comm"


class PcscDaemon:
    def __init__(self):
        self._proc: subprocess.Popen | None = None

    @staticmethod
    def running() -> bool:
        """A pcscd answers on its socket (a stale socket file alone does not count)."""
        with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as sock:
            try:
                sock.connect(SOCKET)
            except OSError:
                return False
        return True

    def start(self, timeout: float = 3.0) -> "PcscDaemon":
        os.makedirs(os.path.dirname(SOCKET), exist_ok=True)
        self._proc = subprocess.Popen(["pcscd", "--foreground"], stdin=subprocess.DEVNULL,
                                      stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + timeout
        while not self.running():
            if time.monotonic() > deadline or self._proc.poll() is not None:
                self.stop()
                raise RuntimeError("pcscd did not start")
            time.sleep(0.01)
        return self

    def stop(self) -> None:
        proc, self._proc = self._proc, None
        if proc is not None:
            proc.terminate()
            try:
                proc.wait(3)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait(3)
