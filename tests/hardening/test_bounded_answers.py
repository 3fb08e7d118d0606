"""Issue 14 point 5 (platform answers): an answer nested without end, or too large, is a clean
PlatformInvalidResponse, never RecursionError. A fake platform on loopback sends the body;
the terminal's real PlatformClient reads it. (Needs kiosk/platform/client.py's _decode to
parse with kiosk.bounded.loads_json.)"""
from __future__ import annotations

import http.server
import threading

import pytest

from kiosk.platform.client import PlatformClient
from kiosk.platform.errors import PlatformInvalidResponse


class Answers:
    """Answers every request with `body` as application/json (or problem+json) and `status`."""

    def __init__(self, body: bytes, status: int = 200, ctype: str = "application/json"):
        outer = self
        self.body, self.status, self.ctype = body, status, ctype

        class H(http.server.BaseHTTPRequestHandler):
            def _answer(self):
                self.send_response(outer.status)
                self.send_header("Content-Type", outer.ctype)
                self.send_header("Content-Length", str(len(outer.body)))
                self.end_headers()
                self.wfile.write(outer.body)
            do_GET = do_POST = _answer

            def log_message(self, *a):
                pass
        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), H)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self):
        self.server.shutdown()
        self.server.server_close()


@pytest.mark.parametrize("body,status,ctype", [
    (b"[" * 200_000, 200, "application/json"),
    (b'{"server_time":' + b"[" * 200_000, 200, "application/json"),
    (b'{"type":' + b"{" * 200_000, 422, "application/problem+json"),
])
def test_a_pathologically_nested_answer_is_a_clean_invalid_response(body, status, ctype):
    answers = Answers(body, status, ctype)
    try:
        with pytest.raises(PlatformInvalidResponse):
            PlatformClient(answers.url).server_time()
    finally:
        answers.close()
