"""The client against a tiny raw socket server answering junk: always a typed error.
Also: retries only for idempotent calls, timeouts, and TLS verification with a CA bundle."""
from __future__ import annotations

import datetime as dt
import socket
import ssl
import threading

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from kiosk.platform.client import PlatformClient

from kiosk.platform.errors import PlatformInvalidResponse, PlatformRejected, PlatformUnavailable

from kiosk.platform.signing import DeviceCredential


class JunkServer:
    """Accepts connections, reads one request head, answers `reply` bytes (or nothing), closes."""

    def __init__(self, reply: bytes | None, delay: float = 0, tls: ssl.SSLContext | None = None):
        self.reply, self.delay, self.tls = reply, delay, tls
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(8)
        self.url = f"{'https' if tls else 'http'}://127.0.0.1:{self.sock.getsockname()[1]}"
        self.requests = 0
        self._stop = threading.Event()
        threading.Thread(target=self._serve, daemon=True).start()

    def _serve(self):
        self.sock.settimeout(0.2)
        while not self._stop.is_set():
            try:
                conn, _ = self.sock.accept()
            except OSError:
                continue
            try:
                if self.tls:
                    conn = self.tls.wrap_socket(conn, server_side=True)
                conn.settimeout(2)
                data = b""
                while b"\r\n\r\n" not in data:
                    chunk = conn.recv(65536)
                    if not chunk:
                        break
                    data += chunk
                self.requests += 1
                if self.delay:
                    self._stop.wait(self.delay)
                if self.reply is not None:
                    conn.sendall(self.reply)
            except (OSError, ssl.SSLError):
                pass
            finally:
                conn.close()

    def close(self):
        self._stop.set()
        self.sock.close()


def http(status: str, ctype: str, body: bytes, extra: str = "") -> bytes:
    return (f"HTTP/1.1 {status}\r\nContent-Type: {ctype}\r\nContent-Length: {len(body)}\r\n"
            f"Connection: close\r\n{extra}\r\n").encode() + body


@pytest.fixture
def junk():
    servers = []

    def make(reply, **kw):
        server = JunkServer(reply, **kw)
        servers.append(server)
        client = PlatformClient(server.url, DeviceCredential("key-1", "dev-1", DeviceCredential.new_key()),
                                connect_timeout=0.5, read_timeout=0.5)
        client.BACKOFF = 0.01
        return server, client
    yield make
    for server in servers:
        server.close()


@pytest.mark.parametrize("reply", [
    http("200 OK", "text/html", b"<html>portal login</html>"),
    http("200 OK", "application/json", b"not json {"),
    http("200 OK", "application/json", b'{"case_number": 5}'),
    http("200 OK", "application/json", b"[1, 2, 3]"),
    http("200 OK", "application/json", b'{"case_number": "X", "status": "weird"}'),
    http("400 Bad Request", "application/json", b'{"error": "nope"}'),
    http("422 Unprocessable", "application/problem+json", b'{"title": "no type"}'),
    http("302 Found", "text/plain", b"", "Location: http://elsewhere/\r\n"),
    http("204 No Content", "application/json", b""),
    b"SSH-2.0-OpenSSH_9.6\r\n\r\n",
    b"\x00\x01\x02garbage\xff\r\n\r\n",
])
def test_junk_answers_are_invalid_responses(junk, reply):
    _, client = junk(reply)
    with pytest.raises(PlatformInvalidResponse):
        client.case("CN-0001")


def test_case_with_a_bad_date_is_invalid(junk):
    body = (b'{"case_number":"A","item_code":"I","item_name":"n","decision":"\\u627f\\u8bfa\\u5ba1\\u6279",'
            b'"status":"approved","committed_on":"2025-13-45","deadlines":{},"extension":{},'
            b'"materials":[],"timeline":[]}')
    _, client = junk(http("200 OK", "application/json", body))
    with pytest.raises(PlatformInvalidResponse):
        client.case("A")


def test_problem_documents_become_rejections(junk):
    body = b'{"type": "urn:tj-kiosk:problem:blacklisted", "title": "t", "status": 403, "detail": "d"}'
    _, client = junk(http("403 Forbidden", "application/problem+json", body))
    with pytest.raises(PlatformRejected) as err:
        client.credit_status("person", "120101199003071234")
    assert err.value.slug == "blacklisted" and err.value.detail == "d"


def test_server_errors_and_silence_are_unavailable_and_gets_are_retried(junk):
    server, client = junk(http("503 Service Unavailable", "text/plain", b"busy"))
    with pytest.raises(PlatformUnavailable):
        client.case("A")
    assert server.requests == 1 + client.RETRIES
    server, client = junk(None)                     # accepts, then hangs up
    with pytest.raises(PlatformUnavailable):
        client.case("A")
    server, client = junk(b"", delay=2)             # says nothing: read timeout
    with pytest.raises(PlatformUnavailable):
        client.heartbeat()
    assert server.requests == 1                     # a heartbeat is not retried


def test_non_idempotent_calls_are_not_retried(junk):
    server, client = junk(http("503 Service Unavailable", "text/plain", b"busy"))
    with pytest.raises(PlatformUnavailable):
        client.resolve_identity_code("code-12345678")
    assert server.requests == 1
    with pytest.raises(PlatformUnavailable):
        client.submit_commitment({"item_code": "x"}, "key-12345678")    # keyed: safe to retry
    assert server.requests == 1 + 1 + client.RETRIES


def test_connection_refused_is_unavailable():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    client = PlatformClient(f"http://127.0.0.1:{port}", DeviceCredential("k", "d", DeviceCredential.new_key()),
                            connect_timeout=0.5)
    client.BACKOFF = 0.01
    with pytest.raises(PlatformUnavailable):
        client.case("A")


def _self_signed(tmp_path):
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
    now = dt.datetime.now(dt.timezone.utc)
    import ipaddress
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
            .serial_number(x509.random_serial_number()).not_valid_before(now - dt.timedelta(days=1))
            .not_valid_after(now + dt.timedelta(days=1))
            .add_extension(x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]), False)
            .add_extension(x509.BasicConstraints(ca=True, path_length=None), True)
            .sign(key, hashes.SHA256()))
    cert_path, key_path = tmp_path / "ca.pem", tmp_path / "key.pem"
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                           serialization.NoEncryption()))
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    ctx.load_cert_chain(cert_path, key_path)
    return ctx, str(cert_path)


def test_tls_is_verified_by_default_and_ca_bundle_is_honoured(tmp_path):
    ctx, ca = _self_signed(tmp_path)
    body = b'{"status": "ok", "version": "1", "server_time": "2025-01-01T00:00:00+08:00"}'
    server = JunkServer(http("200 OK", "application/json", body), tls=ctx)
    try:
        with pytest.raises(PlatformUnavailable, match="TLS"):
            PlatformClient(server.url, connect_timeout=1, read_timeout=1).health()
        assert PlatformClient(server.url, connect_timeout=1, read_timeout=1, ca_bundle=ca).health()
    finally:
        server.close()
