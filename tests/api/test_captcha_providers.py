"""Hosted captcha providers (turnstile, hcaptcha, recaptcha): Janji POSTs `secret` and
`response` to the provider's siteverify URL, here a local fake set by CAPTCHA_VERIFY_URL."""

import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs

import pytest

from conftest import JanjiServer, assert_refuses_to_start, free_port
from test_courses import _DROP, err, make_course, ok, reg_body, register

SECRET = "0x4AAA-test secret&=+/é"
GOOD = "good-token"


class FakeSiteverify:
    """Answers like the providers do; `mode` picks a misbehaviour."""

    def __init__(self):
        self.mode = "ok"
        self.requests = []
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *_):
                pass

            def do_POST(self):
                length = int(self.headers.get("Content-Length", "0"))
                raw = self.rfile.read(length).decode()
                fake.requests.append({"path": self.path, "raw": raw,
                                      "content_type": self.headers.get("Content-Type"),
                                      "form": parse_qs(raw, keep_blank_values=True)})
                if fake.mode == "slow":
                    # A stimulus, not a wait: the provider answers too late, so Janji's
                    # verify request must time out.
                    time.sleep(8)
                if fake.mode == "error":
                    return self._send(500, "text/plain", "upstream exploded")
                if fake.mode == "garbage":
                    return self._send(200, "text/html", "<html>not json</html>")
                form = parse_qs(raw)
                if form.get("secret") != [SECRET]:
                    reply = {"success": False, "error-codes": ["invalid-input-secret"]}
                elif form.get("response", [""])[0].startswith(GOOD):
                    reply = {"success": True, "challenge_ts": "2026-11-21T00:00:00Z",
                             "hostname": "localhost", "error-codes": []}
                else:
                    reply = {"success": False, "error-codes": ["invalid-input-response"]}
                self._send(200, "application/json", json.dumps(reply))

            def _send(self, status, ctype, text):
                body = text.encode()
                try:
                    self.send_response(status)
                    self.send_header("Content-Type", ctype)
                    self.send_header("Content-Length", str(len(body)))
                    self.end_headers()
                    self.wfile.write(body)
                except OSError:
                    pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}/siteverify"
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()

    def close(self):
        self.httpd.shutdown()
        self.httpd.server_close()


@pytest.fixture(scope="module")
def fake():
    f = FakeSiteverify()
    yield f
    f.close()


@pytest.fixture(autouse=True)
def _reset(fake):
    fake.mode = "ok"
    fake.requests.clear()


def _server(provider, fake_url):
    s = JanjiServer({"CAPTCHA_PROVIDER": provider, "CAPTCHA_SECRET": SECRET,
                     "CAPTCHA_VERIFY_URL": fake_url})
    s.start()
    return s


def _stop(s):
    try:
        s.assert_stopped_cleanly()
    finally:
        s.cleanup()


@pytest.fixture(scope="module", params=["turnstile", "hcaptcha", "recaptcha"])
def psrv(request, fake):
    s = _server(request.param, fake.url)
    s.provider = request.param
    s.course = make_course(s, s.admin_login())
    yield s
    _stop(s)


def test_good_token_books_and_sends_secret_and_response(psrv, fake):
    b = ok(register(psrv, reg_body(psrv.course["id"], captcha=GOOD)), 201)["booking"]
    assert b["status"] == "pending"
    assert len(fake.requests) == 1, fake.requests
    req = fake.requests[0]
    assert req["path"] == "/siteverify"
    assert req["content_type"].startswith("application/x-www-form-urlencoded"), req
    assert req["form"] == {"secret": [SECRET], "response": [GOOD]}, req


def test_rejected_token_is_captcha_invalid(psrv, fake):
    e = err(register(psrv, reg_body(psrv.course["id"], captcha="forged")), 400,
            "CAPTCHA_INVALID")
    assert e["details"][0]["path"] == "captcha_token"
    assert "invalid-input-response" in e["details"][0]["message"], e
    assert len(fake.requests) == 1


def test_token_is_form_encoded_intact(psrv, fake):
    token = GOOD + ".a+b&c=d/é%20 ~"
    ok(register(psrv, reg_body(psrv.course["id"], captcha=token)), 201)
    assert fake.requests[0]["form"]["response"] == [token]


def test_no_challenges_issued(psrv):
    err(psrv.get("/api/booking/captcha"), 404, "CAPTCHA_NOT_ISSUED")


def test_validation_runs_before_siteverify(psrv, fake):
    err(register(psrv, reg_body(psrv.course["id"], captcha=GOOD, consent=False)), 400,
        "VALIDATION_ERROR")
    err(register(psrv, reg_body(psrv.course["id"], captcha_token=_DROP)), 400, "VALIDATION_ERROR")
    assert fake.requests == []


def test_logged_in_booking_skips_captcha(psrv, fake):
    u = psrv.new_customer(name="Rina Wijaya", phone_number="+6281234567890",
                          address="Jl. Asia Afrika 5, Bandung")
    body = reg_body(psrv.course["id"])
    for k in ("full_name", "email", "captcha_token"):
        body.pop(k)
    r = psrv.post("/api/bookings/create", u.token, json=body)
    ok(r, 201)
    assert fake.requests == []


@pytest.mark.parametrize("mode", ["error", "garbage"])
def test_broken_siteverify_is_503_and_books_nothing(psrv, fake, mode):
    fake.mode = mode
    body = reg_body(psrv.course["id"], captcha=GOOD)
    e = err(register(psrv, body), 503, "CAPTCHA_UNAVAILABLE")
    assert "try again" in e["message"]
    fake.mode = "ok"
    # Nothing was stored under the key: the same request goes through once siteverify is back.
    ok(register(psrv, body), 201)


def test_siteverify_down_is_503_fast(fake):
    dead = f"http://127.0.0.1:{free_port()}/siteverify"
    s = _server("turnstile", dead)
    try:
        course = make_course(s, s.admin_login())
        t0 = time.monotonic()
        err(register(s, reg_body(course["id"], captcha=GOOD)), 503, "CAPTCHA_UNAVAILABLE")
        assert time.monotonic() - t0 < 5
    finally:
        _stop(s)


def test_hanging_siteverify_times_out(psrv, fake):
    fake.mode = "slow"
    t0 = time.monotonic()
    err(register(psrv, reg_body(psrv.course["id"], captcha=GOOD)), 503, "CAPTCHA_UNAVAILABLE")
    elapsed = time.monotonic() - t0
    assert 4 <= elapsed < 7.5, elapsed
    # The server stays responsive for everyone else meanwhile and after.
    assert psrv.get("/health").status_code == 200


@pytest.mark.parametrize("env, message", [
    ({"CAPTCHA_PROVIDER": "turnstile"}, "CAPTCHA_SECRET"),
    ({"CAPTCHA_PROVIDER": "hcaptcha", "CAPTCHA_SECRET": "s",
      "CAPTCHA_VERIFY_URL": "ftp://127.0.0.1/x"}, "CAPTCHA_VERIFY_URL"),
    ({"CAPTCHA_PROVIDER": "recaptcha", "CAPTCHA_SECRET": "s",
      "CAPTCHA_VERIFY_URL": "not a url"}, "CAPTCHA_VERIFY_URL"),
    ({"CAPTCHA_PROVIDER": "friendlycaptcha"}, "CAPTCHA_PROVIDER"),
])
def test_misconfiguration_refuses_to_start(env, message):
    assert_refuses_to_start(env, message)


# -- HTTPS ------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def tls_fake(tmp_path_factory):
    """The fake behind TLS with a self-signed certificate for the name `localhost`."""
    import ssl
    import subprocess

    d = tmp_path_factory.mktemp("tls")
    cert, key = d / "cert.pem", d / "key.pem"
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
                    "-subj", "/CN=localhost", "-addext", "subjectAltName=DNS:localhost",
                    "-keyout", str(key), "-out", str(cert)],
                   check=True, capture_output=True)
    f = FakeSiteverify()
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    ctx.load_cert_chain(cert, key)
    f.httpd.socket = ctx.wrap_socket(f.httpd.socket, server_side=True)
    f.port = f.httpd.server_address[1]
    f.cert = cert
    yield f
    f.close()


def _tls_server(url, env=None):
    s = JanjiServer({"CAPTCHA_PROVIDER": "turnstile", "CAPTCHA_SECRET": SECRET,
                     "CAPTCHA_VERIFY_URL": url, **(env or {})})
    s.start()
    s.course = make_course(s, s.admin_login())
    return s


def test_https_siteverify_with_a_trusted_certificate(tls_fake):
    s = _tls_server(f"https://localhost:{tls_fake.port}/siteverify",
                    {"SSL_CERT_FILE": str(tls_fake.cert)})
    try:
        ok(register(s, reg_body(s.course["id"], captcha=GOOD)), 201)
        err(register(s, reg_body(s.course["id"], captcha="forged")), 400, "CAPTCHA_INVALID")
        assert [r["form"]["response"] for r in tls_fake.requests] == [[GOOD], ["forged"]]
    finally:
        tls_fake.requests.clear()
        _stop(s)


@pytest.mark.parametrize("host, trust", [("localhost", False), ("127.0.0.1", True)])
def test_https_refuses_untrusted_or_misnamed_certificates(tls_fake, host, trust):
    env = {"SSL_CERT_FILE": str(tls_fake.cert)} if trust else {}
    s = _tls_server(f"https://{host}:{tls_fake.port}/siteverify", env)
    try:
        err(register(s, reg_body(s.course["id"], captcha=GOOD)), 503, "CAPTCHA_UNAVAILABLE")
        assert tls_fake.requests == []
        assert "certificate verify failed" in s.log(), s.log()
    finally:
        tls_fake.requests.clear()
        _stop(s)
