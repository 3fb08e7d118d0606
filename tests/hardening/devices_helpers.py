"""Device-fault helpers: printer emulators whose paper runs out, or whose cable is pulled,
while a job is arriving (the real emulator, with its channel wrapped)."""
from __future__ import annotations

from drivers.emulation import ChannelClosed
from drivers.printer.emulator import PrinterEmulator

STATUS_QUERY_LEN = 3      # DLE EOT n: anything longer is a job arriving


class _Watched:
    def __init__(self, channel, on_job_bytes):
        self._channel, self._on_job_bytes = channel, on_job_bytes

    def recv(self, size, timeout):
        data = self._channel.recv(size, timeout)
        if len(data) > STATUS_QUERY_LEN:
            self._on_job_bytes(self._channel)
        return data

    def __getattr__(self, name):
        return getattr(self._channel, name)


class PaperRunsOut(PrinterEmulator):
    """When armed, the paper runs out as the next job's bytes arrive."""
    armed = False

    def session(self, channel) -> None:
        super().session(_Watched(channel, self._job_bytes))

    def _job_bytes(self, _channel) -> None:
        if self.armed:
            self.armed, self.paper = False, "out"


class PlugPulled(PrinterEmulator):
    """When armed, the connection dies as the next job's bytes arrive (the job is lost)."""
    armed = False

    def session(self, channel) -> None:
        super().session(_Watched(channel, self._job_bytes))

    def _job_bytes(self, channel) -> None:
        if self.armed:
            self.armed = False
            channel.close()
            raise ChannelClosed("unplugged mid-job")
