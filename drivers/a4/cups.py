"""The A4 printer on a CUPS queue, driven with cups-client (lp, lpstat).

Health is the queue's: ready when the printer is enabled and accepting jobs and says
nothing of a jam or an empty tray; otherwise offline with CUPS's reason. `print_pdf`
sends the PDF on lp's standard input (no file of the letter is written by us) and returns
the job id; the job title must carry no personal data (CUPS logs it).
"""
from __future__ import annotations

import os
import re
import subprocess
from dataclasses import dataclass

from drivers.a4.errors import A4Unavailable, classify
from drivers.base import Backoff, Device

__all__ = ["CupsPrinter", "QueueStatus"]

_JOB = re.compile(r"request id is (\S+)")


@dataclass(frozen=True)
class QueueStatus:
    enabled: bool
    accepting: bool
    reason: str = ""      # CUPS's words: why the queue stopped or rejects, or the printer's message

    @property
    def problem(self) -> type[A4Unavailable] | None:
        """None when a job would print; else the error class that says why not."""
        cause = classify(self.reason)
        if self.enabled and self.accepting and cause is A4Unavailable:
            return None
        return cause


def _indented(text: str) -> str:
    return " ".join(line.strip() for line in text.splitlines() if line.startswith(("\t", " ")))


class CupsPrinter(Device):
    family = "a4"

    def __init__(self, queue: str, *, server: str | None = None, on_event=None,
                 backoff: Backoff = Backoff(first=1.0, cap=30.0), poll: float = 10.0, timeout: float = 10.0):
        super().__init__(on_event=on_event, backoff=backoff, name=f"a4:{queue}")
        self.queue, self.server, self.poll, self.timeout = queue, server, poll, timeout

    # -- public -------------------------------------------------------------------------
    def status(self) -> QueueStatus:
        """The queue as lpstat reports it. Raises A4Unavailable when lpstat cannot tell."""
        printer = self._run_tool("lpstat", "-p", self.queue)
        accepting = self._run_tool("lpstat", "-a", self.queue)
        enabled = " disabled " not in f" {printer} "
        takes_jobs = " not accepting " not in f" {accepting} "
        reason = " ".join(r for r in (_indented(printer), _indented(accepting)) if r)
        return QueueStatus(enabled, takes_jobs, reason)

    def print_pdf(self, pdf: bytes, title: str) -> str:
        """Queue one PDF on A4; returns the CUPS job id. Raises A4Unavailable (a PrinterError)."""
        problem = self.status().problem
        if problem is not None:
            raise problem(f"queue {self.queue} not ready")
        out = self._run_tool("lp", "-d", self.queue, "-t", title, "-o", "media=A4", "-", data=pdf)
        match = _JOB.search(out)
        if match is None:
            raise A4Unavailable(f"lp gave no job id: {out.strip()[:200]}")
        return match.group(1)

    def completed(self, job_id: str) -> bool:
        """Whether CUPS has finished the job (sent it to the printer)."""
        out = self._run_tool("lpstat", "-W", "completed", "-o", self.queue)
        return any(line.split()[:1] == [job_id] for line in out.splitlines())

    # -- worker ---------------------------------------------------------------------------
    def _connect(self) -> None:
        problem = self.status()
        if problem.problem is not None:
            raise problem.problem(problem.reason or f"queue {self.queue} stopped")

    def _serve(self) -> None:
        while not self._sleep(self.poll):
            self._connect()

    def _disconnect(self) -> None:
        pass

    def _wake(self) -> None:
        pass

    # -- cups-client ------------------------------------------------------------------------
    def _run_tool(self, tool: str, *args: str, data: bytes | None = None) -> str:
        command = [tool] + (["-h", self.server] if self.server else []) + list(args)
        env = dict(os.environ, LC_ALL="C", LANG="C")       # lpstat's English words are parsed
        try:
            done = subprocess.run(command, input=data, capture_output=True, timeout=self.timeout, env=env)
        except FileNotFoundError:
            raise A4Unavailable(f"{tool} not installed (cups-client)") from None
        except subprocess.TimeoutExpired:
            raise A4Unavailable(f"{tool} timed out after {self.timeout:g}s") from None
        out = done.stdout.decode("utf-8", "replace")
        if done.returncode != 0:
            err = done.stderr.decode("utf-8", "replace").strip()
            raise classify(err)(f"{tool}: {err[:200] or done.returncode}")
        return out
