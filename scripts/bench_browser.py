#!/usr/bin/env python3
"""Benchmark: the usual alternative, Chromium in --kiosk mode showing an equivalent
static attract page (same texts, same wqy-microhei font, 1080x1920) under Xvfb.

Figures to set beside scripts/bench_startup.py's, measured the same way (scripts/benchlib.py):
launch to the first frame showing the complete page as the X server sees it, memory (PSS, and
summed RSS) of all Chromium processes together, idle CPU of them all. Median of BENCH_RUNS
runs. Prints figures; skips with a clear line when Chromium is not installed
(apt-get install chromium).
"""
from __future__ import annotations

import http.server
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))
RUNS = int(os.environ.get("BENCH_RUNS", "5"))
IDLE_SECONDS = float(os.environ.get("BENCH_IDLE_SECONDS", "30"))
SETTLE = float(os.environ.get("BENCH_SETTLE_SECONDS", "10"))  # as bench_startup.py

PAGE = """<!doctype html><html lang="zh-CN" translate="no"><meta charset="utf-8"><meta name="google" content="notranslate">
<style>
@font-face {{ font-family: wqy; src: url("/font.ttc"); }}
html, body {{ margin: 0; width: 1080px; height: 1920px; overflow: hidden; background: #f4f6f9; font-family: wqy; }}
header {{ background: #174fa3; color: #fff; height: 120px; display: flex; align-items: center;
          justify-content: space-between; padding: 0 20px; font-size: 32px; }}
header button {{ font: inherit; padding: 16px 28px; border-radius: 18px; border: 0; }}
h1 {{ color: #174fa3; text-align: center; font-size: 80px; margin-top: 420px; }}
p.sub {{ text-align: center; color: #5c6678; font-size: 38px; }}
button.start {{ display: block; margin: 200px auto; width: 760px; height: 240px; font: inherit;
               font-size: 72px; color: #fff; background: #174fa3; border: 0; border-radius: 18px; }}
p.hint {{ text-align: center; font-size: 36px; }}
footer {{ position: fixed; bottom: 0; width: 100%; height: 80px; text-align: center; color: #5c6678;
          font-size: 24px; background: #fff; line-height: 80px; }}
</style>
<header><button>首页</button>天津政务服务<span><button>English</button> <button>长辈模式</button></span></header>
<h1>{title}</h1><p class="sub">{subtitle}</p>
<button class="start">开始办理</button>
<p class="hint" id="hint">{hint}</p>
<footer>{help}</footer>
<script>
const hints = {hints};
let i = 0;
setInterval(() => {{ i += 1; document.getElementById("hint").textContent = hints[i % hints.length]; }}, 6000);
document.fonts.ready.then(() => requestAnimationFrame(() => requestAnimationFrame(() =>
  fetch("/painted", {{method: "POST"}}))));
</script></html>"""


def page_html() -> str:
    import json
    from kiosk.i18n import Messages
    m = Messages("zh_CN")
    return PAGE.format(title=m.t("app.title"), subtitle=m.t("app.subtitle"), hint=m.list("attract.hints")[0],
                       help=m.t("app.help_line"), hints=json.dumps(m.list("attract.hints"), ensure_ascii=False))


class Server(http.server.ThreadingHTTPServer):
    painted: threading.Event


class Handler(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        if self.path == "/font.ttc":
            from screens.window import CJK_FONT
            body, kind = CJK_FONT.read_bytes(), "font/collection"
        else:
            body, kind = page_html().encode(), "text/html; charset=utf-8"
        self.send_response(200)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_POST(self):
        self.server.painted.set()
        self.send_response(204)
        self.end_headers()

    def log_message(self, *_args):
        pass


def one_run(chromium: str, url: str, server: Server) -> tuple[float, float, float, float]:
    from benchlib import ScreenProbe, idle_cpu_percent, memory_mib
    server.painted = threading.Event()
    probe = ScreenProbe(1080, 1920)
    profile = tempfile.mkdtemp(prefix="bench-chromium-")
    args = [chromium, "--kiosk", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
            "--disable-background-networking", "--disable-component-update", "--disable-sync",
            "--disable-extensions", "--noerrdialogs", "--disable-infobars", "--lang=zh-CN",
            "--disable-features=Translate,TranslateUI",  # a kiosk shows no "translate this page?" bubble
            "--window-position=0,0", "--window-size=1080,1920", f"--user-data-dir={profile}", url]
    since = probe.mark()
    start = time.perf_counter()
    proc = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        if not server.painted.wait(60):
            raise RuntimeError("Chromium never painted the page")
        complete, _checksum = probe.settled(since)
        startup = complete - start
        time.sleep(SETTLE)
        idle, pids = idle_cpu_percent(proc.pid, IDLE_SECONDS)
        rss, pss = memory_mib(pids, "Rss"), memory_mib(pids, "Pss")
    finally:
        probe.close()
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()
        shutil.rmtree(profile, ignore_errors=True)
    return startup, rss, pss, idle


def main() -> int:
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    if not chromium:
        print("Chromium comparison skipped: chromium is not installed (apt-get install chromium)")
        return 0
    from screens.tour.driver import start_xvfb
    server = Server(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    xvfb = start_xvfb(1080, 1920)
    try:
        url = f"http://127.0.0.1:{server.server_address[1]}/"
        runs = [one_run(chromium, url, server) for _ in range(RUNS)]
    finally:
        xvfb.terminate()
        server.shutdown()
    startup, rss, pss, idle = (statistics.median(col) for col in zip(*runs))
    version = subprocess.run([chromium, "--version"], capture_output=True, text=True).stdout.strip()
    print(f"{version} --kiosk, equivalent static attract page, Xvfb 1080x1920, median of {RUNS}:")
    print(f"  launch to first frame showing the complete screen: {startup:.3f} s")
    print(f"  memory, all Chromium processes: PSS {pss:.1f} MiB (RSS summed {rss:.1f} MiB, shared pages counted per process)")
    print(f"  idle CPU over {IDLE_SECONDS:.0f} s: {idle:.2f} % of one core")
    return 0


if __name__ == "__main__":
    sys.exit(main())
