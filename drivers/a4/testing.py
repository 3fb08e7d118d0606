"""A private CUPS scheduler for tests and scripts: its own config, spool and socket under a
temporary directory, queues that write each job to a file, stopped and removed afterwards.

    with PrivateCups() as cups:
        out = cups.add_file_queue("a4test")          # a4+cups://a4test?server=<cups.server>
        ...print...
        pdf = cups.wait_output(out)

The queues use a pass-through PPD (gziptoany hands the PDF on as it is) on a file: device
(FileDevice Yes); cupsd opens the device file without creating it, so it is made first.
Needs cups-daemon and cups-client (Makefile APT_PACKAGES). Not used by the product.
"""
from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
import time
from pathlib import Path

PASS_THROUGH_PPD = """*PPD-Adobe: "4.3"
*FormatVersion: "4.3"
*FileVersion: "1.0"
*LanguageVersion: English
*LanguageEncoding: ISOLatin1
*PCFileName: "KIOSKPDF.PPD"
*Manufacturer: "Kiosk tests"
*Product: "(PDF file)"
*ModelName: "PDF file"
*ShortNickName: "PDF file"
*NickName: "PDF file"
*PSVersion: "(3010.000) 0"
*LanguageLevel: "3"
*ColorDevice: False
*DefaultColorSpace: Gray
*FileSystem: False
*Throughput: "1"
*LandscapeOrientation: Plus90
*TTRasterizer: Type42
*cupsVersion: 2.4
*cupsFilter2: "application/pdf application/vnd.cups-pdf 0 gziptoany"
*OpenUI *PageSize/Media Size: PickOne
*OrderDependency: 10 AnySetup *PageSize
*DefaultPageSize: A4
*PageSize A4/A4: "<</PageSize[595 842]>>setpagedevice"
*CloseUI: *PageSize
*DefaultImageableArea: A4
*ImageableArea A4/A4: "0 0 595 842"
*DefaultPaperDimension: A4
*PaperDimension A4/A4: "595 842"
"""


class PrivateCups:
    def __init__(self, start_timeout: float = 20.0):
        self.start_timeout = start_timeout
        self.root: Path | None = None
        self.process: subprocess.Popen | None = None

    @property
    def server(self) -> str:
        """The value for lp/lpstat -h and the device URL's ?server= (the scheduler's socket)."""
        return str(self.root / "cups.sock")

    def url(self, queue: str) -> str:
        return f"a4+cups://{queue}?server={self.server}&poll=0.5&backoff=0.2&backoff_max=1"

    # -- life ---------------------------------------------------------------------------------
    def start(self) -> "PrivateCups":
        # a short path: the socket's must fit in sun_path (108 bytes)
        self.root = Path(tempfile.mkdtemp(prefix="cups-"))
        self.root.chmod(0o755)                 # cupsd runs filters as lp
        for sub in ("spool", "tmp", "cache", "state", "log", "out"):
            (self.root / sub).mkdir()
        (self.root / "tmp").chmod(0o1777)
        (self.root / "cupsd.conf").write_text(
            f"Listen {self.server}\nLogLevel info\nWebInterface No\nBrowsing No\nMaxJobs 0\n"
            "PreserveJobFiles No\n"
            "<Location />\n  Order allow,deny\n  Allow all\n</Location>\n"
            "<Policy default>\n  <Limit All>\n    Order deny,allow\n  </Limit>\n</Policy>\n")
        r = self.root
        (r / "cups-files.conf").write_text(
            f"ServerRoot {r}\nRequestRoot {r}/spool\nTempDir {r}/tmp\nCacheDir {r}/cache\n"
            f"StateDir {r}/state\nErrorLog {r}/log/error_log\nAccessLog {r}/log/access_log\n"
            f"PageLog {r}/log/page_log\nFileDevice Yes\nUser lp\nGroup lp\n")
        (r / "kiosk-pdf.ppd").write_text(PASS_THROUGH_PPD)
        self.process = subprocess.Popen(
            ["cupsd", "-f", "-c", str(r / "cupsd.conf"), "-s", str(r / "cups-files.conf")],
            stdout=subprocess.DEVNULL, stderr=(r / "log" / "stderr").open("wb"))
        deadline = time.monotonic() + self.start_timeout
        while "scheduler is running" not in self.lpstat("-r").stdout:   # lpstat -r exits 0 either way
            if self.process.poll() is not None or time.monotonic() > deadline:
                log = self.log()
                self.stop()
                raise RuntimeError(f"private cupsd did not start: {log[-2000:]}")
            time.sleep(0.1)
        return self

    def stop(self) -> None:
        if self.process is not None:
            self.process.terminate()
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(5)
            self.process = None
        if self.root is not None:
            shutil.rmtree(self.root, ignore_errors=True)
            self.root = None

    def __enter__(self) -> "PrivateCups":
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()

    # -- queues ---------------------------------------------------------------------------------
    def add_file_queue(self, name: str) -> Path:
        """A queue whose jobs land in the returned file (emptied for each new job by `fresh`)."""
        out = self.fresh(self.root / "out" / f"{name}.pdf")
        self._admin("lpadmin", "-p", name, "-v", f"file://{out}", "-P", str(self.root / "kiosk-pdf.ppd"), "-E")
        return out

    @staticmethod
    def fresh(out: Path) -> Path:
        out.write_bytes(b"")
        out.chmod(0o666)
        return out

    def stop_queue(self, name: str, reason: str) -> None:
        """What CUPS does when a printer jams or runs dry: the queue stops with a reason."""
        self._admin("cupsdisable", "-r", reason, name)

    def resume_queue(self, name: str) -> None:
        self._admin("cupsenable", name)

    def wait_output(self, out: Path, timeout: float = 20.0) -> bytes:
        """The job's bytes once a whole PDF has been written to `out`."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            data = out.read_bytes()
            if data.rstrip().endswith(b"%%EOF"):
                return data
            time.sleep(0.1)
        raise TimeoutError(f"no PDF arrived in {out} within {timeout:g}s: {self.log()[-1500:]}")

    # -- tools ----------------------------------------------------------------------------------
    def lpstat(self, *args: str) -> subprocess.CompletedProcess:
        return subprocess.run(["lpstat", "-h", self.server, *args], capture_output=True, text=True,
                              env=dict(os.environ, LC_ALL="C"))

    def _admin(self, tool: str, *args: str) -> None:
        done = subprocess.run([tool, "-h", self.server, *args], capture_output=True, text=True)
        if done.returncode != 0:
            raise RuntimeError(f"{tool} failed: {done.stderr.strip()}")

    def log(self) -> str:
        path = self.root / "log" / "error_log" if self.root else None
        return path.read_text(errors="replace") if path and path.exists() else ""
