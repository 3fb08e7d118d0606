"""Issue 14 point 7: kiosk-provision refuses plain http:// except to loopback, and
`--ca-bundle` pins the platform's certificate. A real TLS server on loopback (a TLS
front for the real sandbox) with self-signed certificates made here with `cryptography`."""
from __future__ import annotations

import datetime as dt
import ipaddress
import select
import socket
import ssl
import threading

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from kiosk.config import load_settings
from kiosk.tools.provision import main


def self_signed(directory, name):
    """A self-signed certificate for 127.0.0.1 / localhost; returns (cert.pem, key.pem)."""
    key = ec.generate_private_key(ec.SECP256R1())
    subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, name)])
    now = dt.datetime.now(dt.timezone.utc)
    cert = (x509.CertificateBuilder().subject_name(subject).issuer_name(subject)
            .public_key(key.public_key()).serial_number(x509.random_serial_number())
            .not_valid_before(now - dt.timedelta(hours=1)).not_valid_after(now + dt.timedelta(days=2))
            .add_extension(x509.SubjectAlternativeName([x509.DNSName("localhost"),
                                                        x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]),
                           critical=False)
            .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
            .sign(key, hashes.SHA256()))
    cert_path, key_path = directory / f"{name}.pem", directory / f"{name}.key"
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                           serialization.NoEncryption()))
    return cert_path, key_path


class TlsFront:
    """TLS on a loopback port, forwarding the plain bytes to the sandbox (like a reverse proxy)."""

    def __init__(self, backend_port, cert, key):
        self.backend_port = backend_port
        self.context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        self.context.load_cert_chain(cert, key)
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.url = f"https://127.0.0.1:{self.listener.getsockname()[1]}"
        self.handshakes_failed = 0
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self):
        while True:
            try:
                raw, _ = self.listener.accept()
            except OSError:
                return
            threading.Thread(target=self._serve, args=(raw,), daemon=True).start()

    def _serve(self, raw):
        try:
            conn = self.context.wrap_socket(raw, server_side=True)
        except (ssl.SSLError, OSError):
            self.handshakes_failed += 1
            raw.close()
            return
        backend = socket.create_connection(("127.0.0.1", self.backend_port))
        try:
            while True:
                ready, _, _ = select.select([conn, backend], [], [], 30)
                if not ready:
                    return
                for src, dst in ((conn, backend), (backend, conn)):
                    if src in ready or (src is conn and conn.pending()):
                        data = src.recv(65536)
                        if not data:
                            return
                        dst.sendall(data)
        except OSError:
            return
        finally:
            conn.close()
            backend.close()

    def close(self):
        self.listener.close()


@pytest.fixture
def certs(tmp_path):
    return {name: self_signed(tmp_path, name) for name in ("platform", "impostor")}


@pytest.fixture
def root(tmp_path):
    return tmp_path / "root"


def argv(url, root, terminal, *extra):
    return ["--platform", url, "--terminal-id", terminal, "--location", "和平区政务服务中心 3号机",
            "--state-dir", str(root / "var/lib/kiosk"), "--config", str(root / "etc/kiosk/kiosk.toml"),
            "--no-selftest", *extra]


def token(sandbox, terminal):
    return sandbox.admin("POST", "/enrollment-tokens", terminal_id=terminal)["enrollment_token"]


@pytest.mark.parametrize("url", ["http://10.0.0.5:8000", "http://platform.example", "ftp://127.0.0.1/"])
def test_plain_http_to_another_machine_is_refused_before_anything_is_done(url, root, capsys):
    assert main(argv(url, root, "TJ-TLS-0001", "--token", "some-token-123")) == 1
    out = capsys.readouterr().out
    assert "https://" in out and "FAILED" in out
    assert not root.exists()                                  # nothing written, nothing sent


def test_the_pinned_certificate_is_accepted_and_kept_in_the_terminal_config(sandbox, certs, root, capsys):
    front = TlsFront(sandbox.port, *certs["platform"])
    try:
        a = argv(front.url, root, "TJ-TLS-0002", "--ca-bundle", str(certs["platform"][0]),
                 "--token", token(sandbox, "TJ-TLS-0002"))
        assert main(a) == 0, capsys.readouterr().out
    finally:
        front.close()
    settings = load_settings(root / "etc/kiosk/kiosk.toml", environ={})
    assert settings["platform"]["url"] == front.url
    assert settings["platform"]["ca_bundle"] == str(certs["platform"][0])


def test_a_server_with_another_certificate_is_refused_and_the_token_is_not_sent(sandbox, certs, root,
                                                                              capsys):
    """A relay in the middle presenting its own certificate: the pinned one does not match."""
    impostor = TlsFront(sandbox.port, *certs["impostor"])
    terminal = "TJ-TLS-0003"
    one_time = token(sandbox, terminal)
    try:
        a = argv(impostor.url, root, terminal, "--ca-bundle", str(certs["platform"][0]), "--token", one_time)
        assert main(a) == 1
    finally:
        impostor.close()
    out = capsys.readouterr().out
    assert "certificate is not trusted" in out and "--ca-bundle" in out
    assert not (root / "var/lib/kiosk/platform/device.json").exists()
    genuine = TlsFront(sandbox.port, *certs["platform"])       # the token was never used
    try:
        a = argv(genuine.url, root, terminal, "--ca-bundle", str(certs["platform"][0]), "--token", one_time)
        assert main(a) == 0
    finally:
        genuine.close()


def test_without_a_ca_bundle_a_self_signed_platform_is_not_trusted(sandbox, certs, root, capsys):
    front = TlsFront(sandbox.port, *certs["platform"])
    try:
        assert main(argv(front.url, root, "TJ-TLS-0004", "--token", token(sandbox, "TJ-TLS-0004"))) == 1
    finally:
        front.close()
    assert "certificate is not trusted" in capsys.readouterr().out


def test_a_ca_bundle_that_is_not_a_certificate_is_refused(certs, root, capsys, tmp_path):
    junk = tmp_path / "junk.pem"
    junk.write_text("not a certificate")
    assert main(argv("https://127.0.0.1:1", root, "TJ-TLS-0005", "--ca-bundle", str(junk))) == 1
    assert "not a PEM certificate" in capsys.readouterr().out


@pytest.mark.parametrize("pin", ["123456", "000000", "987654", "1234"])
def test_a_trivial_pin_is_refused_before_the_token_is_used(sandbox, root, capsys, pin):
    assert main(argv(sandbox.url, root, "TJ-TLS-0006", "--token", "tok-123456", "--technician-pin", pin)) == 1
    assert "--technician-pin" in capsys.readouterr().out
    assert not root.exists()
