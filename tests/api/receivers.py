"""The other ends of Janji's notifications, for the API tests.

- `SmtpReceiver`: an SMTP server (Debian's aiosmtpd) on a free loopback port, plain, with
  STARTTLS or with implicit TLS (smtps), optionally requiring AUTH; it records every
  message, can be stopped and started again on the same port, and can answer 451 to the
  next N messages.
- `HttpReceiver`: an HTTP server on a free loopback port that records every request and
  answers per path as told (a status, a delay, a dropped connection); it plays the
  WhatsApp Cloud API (`serve_whatsapp`) and webhook endpoints.
- `verify_standard_webhook`: the Standard Webhooks signature check, written from the
  spec, independently of Janji's signer.
- `parse_whatsapp_template`: the fields of a Cloud API template message.

Both servers wait with `wait_for(predicate, timeout)`: it returns the first record the
predicate accepts, waking on every new record, and fails at the deadline with what came.
"""

import atexit
import base64
import hashlib
import hmac
import json
import logging
import re
import secrets
import shutil
import socket
import ssl
import subprocess
import tempfile
import threading
import time
import weakref
from collections import namedtuple
from dataclasses import dataclass, field
from email import policy
from email.message import EmailMessage
from email.parser import BytesParser
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Callable, Optional
from urllib.parse import urlsplit

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword

from backends import free_port

# aiosmtpd logs a deprecation of its own on every AUTH.
logging.getLogger("mail.log").addFilter(
    lambda record: not record.getMessage().startswith("Session.login_data is deprecated"))


class _Recorder:
    """Records items from server threads; waiters wake on each new one."""

    def __init__(self):
        self._cond = threading.Condition()

    def _record(self, items, item):
        with self._cond:
            items.append(item)
            self._cond.notify_all()

    def _snapshot(self, items):
        with self._cond:
            return list(items)

    def _wait(self, items, predicate, count, timeout):
        predicate = predicate or (lambda item: True)
        deadline = time.monotonic() + timeout
        with self._cond:
            while True:
                hits = [item for item in items if predicate(item)]
                if len(hits) >= count:
                    return hits
                left = deadline - time.monotonic()
                if left <= 0:
                    seen = "\n  ".join(str(item) for item in items) or "(nothing)"
                    raise AssertionError(f"not within {timeout}s: {count} matching "
                                         f"{type(self).__name__} record(s), "
                                         f"{len(hits)} found among:\n  {seen}")
                self._cond.wait(left)


# -- TLS material ---------------------------------------------------------------------
TlsFiles = namedtuple("TlsFiles", "ca_file cert_file key_file")


def make_certificates(directory):
    """A CA and a server certificate it signed for `localhost` and 127.0.0.1, as PEM files
    in `directory` (EC P-256 keys: quick to make)."""
    d = Path(directory)

    def openssl(*args):
        subprocess.run(["openssl", *args], cwd=d, check=True, capture_output=True, timeout=60)

    key = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes"]
    openssl("req", "-x509", *key, "-days", "2", "-subj", "/CN=Janji test CA",
            "-keyout", "ca.key", "-out", "ca.pem")
    openssl("req", "-new", *key, "-subj", "/CN=localhost", "-keyout", "server.key",
            "-out", "server.csr")
    (d / "server.ext").write_text(
        "subjectAltName = DNS:localhost, IP:127.0.0.1\n"
        "basicConstraints = CA:FALSE\n"
        "keyUsage = critical, digitalSignature\n"
        "extendedKeyUsage = serverAuth\n"
        "subjectKeyIdentifier = hash\n"
        "authorityKeyIdentifier = keyid:always\n")
    openssl("x509", "-req", "-in", "server.csr", "-CA", "ca.pem", "-CAkey", "ca.key",
            "-CAcreateserial", "-days", "2", "-sha256", "-extfile", "server.ext",
            "-out", "server.pem")
    return TlsFiles(str(d / "ca.pem"), str(d / "server.pem"), str(d / "server.key"))


_certificates = None


def tls_certificates():
    """The test run's CA and server certificate (made on first use, removed at exit)."""
    global _certificates
    if _certificates is None:
        d = tempfile.mkdtemp(prefix="janji-tls-")
        atexit.register(shutil.rmtree, d, ignore_errors=True)
        _certificates = make_certificates(d)
    return _certificates


def server_tls_context(files):
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    ctx.load_cert_chain(files.cert_file, files.key_file)
    return ctx


# -- SMTP -------------------------------------------------------------------------------
@dataclass
class ReceivedMail:
    mail_from: str
    rcpt_tos: list
    raw: bytes                # the message as sent after DATA (dot-unstuffed)
    message: EmailMessage     # `raw` parsed with policy.default
    tls: bool                 # the session was encrypted (STARTTLS or smtps)
    login: Optional[str]      # the AUTH user name, if the client authenticated
    accepted: bool
    time: float = field(default_factory=time.time)

    @property
    def text(self):
        """The text/plain body (decoded), or None."""
        part = self.message.get_body(("plain",))
        return None if part is None else part.get_content()

    @property
    def html(self):
        """The text/html body (decoded), or None."""
        part = self.message.get_body(("html",))
        return None if part is None else part.get_content()

    def __str__(self):
        state = "accepted" if self.accepted else "rejected"
        return (f"{state} mail from {self.mail_from!r} to {self.rcpt_tos!r}, "
                f"subject {self.message['subject']!r}, tls={self.tls}, login={self.login!r}")


class _SmtpHandler:
    def __init__(self, receiver):
        self.receiver = receiver

    async def handle_MAIL(self, server, session, envelope, address, mail_options):
        # AUTH is required here rather than by aiosmtpd's auth_required, which warns on
        # every connection where it is not also bound to STARTTLS (smtps, plain).
        if self.receiver.user is not None and not session.authenticated:
            return "530 5.7.0 Authentication required"
        envelope.mail_from = address
        envelope.mail_options.extend(mail_options)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        return self.receiver._received(server, session, envelope)


class _Controller(Controller):
    """aiosmtpd's threaded controller, keeping its sessions so stop() can drop them."""

    def __init__(self, *args, **kw):
        super().__init__(*args, **kw)
        self.sessions = weakref.WeakSet()

    def factory(self):
        smtp = super().factory()
        self.sessions.add(smtp)
        return smtp

    def stop(self):
        def drop_sessions():
            for smtp in list(self.sessions):
                if smtp.transport is not None:
                    smtp.transport.abort()

        self.loop.call_soon_threadsafe(drop_sessions)
        super().stop()


class SmtpReceiver(_Recorder):
    """An SMTP server on 127.0.0.1:`port`.

    mode: "plain"; "starttls" (offers STARTTLS; with `require_starttls` refuses mail
    before it); "smtps" (TLS from the first byte). The TLS modes use `tls_certificates()`:
    give Janji `ca_file` as SSL_CERT_FILE. With `user` and `password`, AUTH (PLAIN, LOGIN)
    is required before MAIL; under "starttls" only after STARTTLS.
    """

    MODES = ("plain", "starttls", "smtps")

    def __init__(self, mode="plain", user=None, password=None, require_starttls=False):
        super().__init__()
        if mode not in self.MODES:
            raise ValueError(f"mode must be one of {self.MODES}, not {mode!r}")
        self.mode = mode
        self.user, self.password = user, password
        self.require_starttls = require_starttls
        self.host = "127.0.0.1"
        self.port = free_port()
        self.certificates = tls_certificates() if mode != "plain" else None
        self.ca_file = self.certificates.ca_file if self.certificates else None
        self._messages = []
        self._rejected = []
        self.auth_failures = []   # user names of AUTH attempts that were refused
        self._fail_count = 0
        self._fail_reply = None
        self._controller = None

    @property
    def url(self):
        return f"{'smtps' if self.mode == 'smtps' else 'smtp'}://{self.host}:{self.port}"

    def env(self):
        """The settings that point a Janji server at this receiver."""
        env = {"SMTP_URL": self.url}
        if self.user is not None:
            env.update(SMTP_USER=self.user, SMTP_PASSWORD=self.password)
        if self.ca_file:
            env["SSL_CERT_FILE"] = self.ca_file
        return env

    # -- lifecycle ---------------------------------------------------------------------
    @property
    def running(self):
        return self._controller is not None

    def start(self):
        """Listens (again) on the same port."""
        if self._controller is not None:
            return self
        kw = {"hostname": self.host, "port": self.port, "server_hostname": "localhost",
              "ready_timeout": 30.0}
        if self.mode == "starttls":
            kw.update(tls_context=server_tls_context(self.certificates),
                      require_starttls=self.require_starttls)
        elif self.mode == "smtps":
            kw["ssl_context"] = server_tls_context(self.certificates)
        if self.user is not None:
            kw.update(authenticator=self._authenticate,
                      auth_require_tls=self.mode == "starttls")
        controller = _Controller(_SmtpHandler(self), **kw)
        controller.start()
        self._controller = controller
        return self

    def stop(self):
        """Stops listening and drops open sessions; what was received stays recorded."""
        if self._controller is not None:
            controller, self._controller = self._controller, None
            controller.stop()

    close = stop

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()

    # -- behaviour ---------------------------------------------------------------------
    def fail_next(self, n, reply="451 4.3.0 Temporary failure, try again later"):
        """Answers `reply` instead of 250 at the end of DATA for the next `n` messages."""
        with self._cond:
            self._fail_count, self._fail_reply = n, reply

    def _authenticate(self, server, session, envelope, mechanism, auth_data):
        ok = (isinstance(auth_data, LoginPassword)
              and hmac.compare_digest(auth_data.login, self.user.encode())
              and hmac.compare_digest(auth_data.password, self.password.encode()))
        if not ok:
            login = getattr(auth_data, "login", b"")
            with self._cond:
                self.auth_failures.append(login.decode("utf-8", "replace"))
        return AuthResult(success=ok, handled=False, auth_data=auth_data if ok else None)

    def _received(self, server, session, envelope):
        raw = envelope.original_content
        login = session.auth_data.login.decode() if session.authenticated else None
        mail = ReceivedMail(
            mail_from=envelope.mail_from, rcpt_tos=list(envelope.rcpt_tos), raw=raw,
            message=BytesParser(policy=policy.default).parsebytes(raw),
            tls=server.transport.get_extra_info("ssl_object") is not None,
            login=login, accepted=True)
        with self._cond:
            if self._fail_count > 0:
                self._fail_count -= 1
                mail.accepted = False
                self._record(self._rejected, mail)
                return self._fail_reply
            self._record(self._messages, mail)
        return "250 2.0.0 OK: queued"

    # -- records -----------------------------------------------------------------------
    @property
    def messages(self):
        """Accepted messages, oldest first."""
        return self._snapshot(self._messages)

    @property
    def rejected(self):
        """Messages answered with the `fail_next` reply, oldest first."""
        return self._snapshot(self._rejected)

    def wait_for(self, predicate=None, timeout=10.0, rejected=False):
        """The first accepted (or, with rejected=True, rejected) message that
        predicate(mail) accepts; fails after `timeout` seconds."""
        return self._wait(self._rejected if rejected else self._messages, predicate, 1,
                          timeout)[0]

    def wait_for_count(self, count, predicate=None, timeout=10.0, rejected=False):
        """Every matching message, once there are at least `count`."""
        return self._wait(self._rejected if rejected else self._messages, predicate, count,
                          timeout)


# -- HTTP -------------------------------------------------------------------------------
@dataclass
class HttpRequest:
    method: str
    path: str                 # without the query string
    query: str
    headers: dict             # lower-case names
    body: bytes
    status: Optional[int]     # what it was answered; None: the connection was dropped
    response: bytes = b""
    time: float = field(default_factory=time.time)

    def json(self):
        return json.loads(self.body)

    def __str__(self):
        answer = "dropped" if self.status is None else self.status
        return f"{self.method} {self.path} ({len(self.body)} bytes) -> {answer}"


@dataclass
class Reply:
    status: int = 200
    body: object = b""        # bytes, str, or anything JSON (dict, list)
    headers: dict = field(default_factory=dict)
    delay: float = 0.0        # seconds before answering (or dropping)
    drop: bool = False        # close the connection without an answer
    answer: Optional[Callable] = None  # answer(request) -> (status, body), instead

    def render(self, request):
        status, body = self.answer(request) if self.answer else (self.status, self.body)
        if isinstance(body, bytes):
            return status, body, "application/octet-stream"
        if isinstance(body, str):
            return status, body.encode(), "text/plain; charset=utf-8"
        return status, json.dumps(body).encode(), "application/json"


class HttpReceiver(_Recorder):
    """An HTTP/1.1 server on 127.0.0.1:`port` that records every request and answers
    per path: `respond` and `respond_with` set how; any other path gets `default_status`
    with an empty body."""

    def __init__(self, default_status=200):
        super().__init__()
        self.default = Reply(default_status)
        self.host = "127.0.0.1"
        self.port = free_port()
        self.url = f"http://{self.host}:{self.port}"
        self._requests = []
        self._standing = {}   # path -> Reply
        self._queued = {}     # path -> [Reply], used once each, before the standing one
        self._httpd = None
        self._connections = set()
        self._stopping = threading.Event()
        self.whatsapp_path = None

    # -- lifecycle ---------------------------------------------------------------------
    @property
    def running(self):
        return self._httpd is not None

    def start(self):
        """Listens (again) on the same port."""
        if self._httpd is not None:
            return self
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *_):
                pass

            def setup(self):
                super().setup()
                with receiver._cond:
                    receiver._connections.add(self.connection)

            def finish(self):
                with receiver._cond:
                    receiver._connections.discard(self.connection)
                super().finish()

            def handle_any(self):
                receiver._handle(self)

            do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = handle_any

        class Server(ThreadingHTTPServer):
            # Senders open many connections at once; the default backlog of 5 would refuse
            # some of them, which is not the failure a test means to stage.
            request_queue_size = 256

        self._stopping = threading.Event()
        httpd = Server((self.host, self.port), Handler)
        httpd.daemon_threads = True
        threading.Thread(target=httpd.serve_forever, args=(0.05,), daemon=True).start()
        self._httpd = httpd
        return self

    def stop(self):
        """The endpoint goes away: stops listening and drops open connections (a delayed
        answer is never sent). What was received stays recorded."""
        if self._httpd is None:
            return
        httpd, self._httpd = self._httpd, None
        self._stopping.set()
        httpd.shutdown()
        httpd.server_close()
        with self._cond:
            connections = list(self._connections)
        for conn in connections:
            try:
                conn.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass

    close = stop

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()

    # -- behaviour ---------------------------------------------------------------------
    def respond(self, path, status=200, body=b"", headers=None, delay=0.0, drop=False,
                times=None):
        """How to answer requests to `path` ("*": every path not configured): from now
        on, or with `times` for the next `times` requests only (then the earlier way)."""
        self._set(path, Reply(status, body, dict(headers or {}), delay, drop), times)

    def respond_with(self, path, answer, times=None, delay=0.0):
        """Answers with answer(request) -> (status, body)."""
        self._set(path, Reply(answer=answer, delay=delay), times)

    def _set(self, path, reply, times):
        with self._cond:
            if times is None:
                self._standing[path] = reply
            else:
                self._queued.setdefault(path, []).extend([reply] * times)

    def _reply_for(self, path):
        with self._cond:
            queued = self._queued.get(path)
            if queued:
                return queued.pop(0)
            return self._standing.get(path) or self._standing.get("*") or self.default

    def serve_whatsapp(self, phone_number_id="109876543210", token="wa-test-token"):
        """Plays the WhatsApp Cloud API at POST /{phone_number_id}/messages: 401 for a
        missing or wrong bearer token, 400 for anything but a template message, else 200
        with a `wamid.` id. Returns the settings that point Janji here."""
        self.whatsapp_path = f"/{phone_number_id}/messages"
        self.respond_with(self.whatsapp_path, lambda req: whatsapp_answer(req, token))
        return {"WHATSAPP_API_URL": self.url, "WHATSAPP_PHONE_NUMBER_ID": phone_number_id,
                "WHATSAPP_TOKEN": token}

    # -- serving -----------------------------------------------------------------------
    def _handle(self, h):
        try:
            body = _read_body(h)
        except (OSError, ValueError):
            h.close_connection = True
            return
        target = urlsplit(h.path)
        reply = self._reply_for(target.path)
        req = HttpRequest(h.command, target.path, target.query,
                          {k.lower(): v for k, v in h.headers.items()}, body, None)
        if not reply.drop:
            req.status, req.response, ctype = reply.render(req)
        self._record(self._requests, req)
        # The delay is the stimulus (an upstream too slow to answer); a stop() ends it.
        stopped = reply.delay > 0 and self._stopping.wait(reply.delay)
        if reply.drop or stopped:
            h.close_connection = True
            try:
                h.connection.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
            return
        try:
            h.send_response(req.status)
            h.send_header("Content-Type", ctype)
            h.send_header("Content-Length", str(len(req.response)))
            for k, v in reply.headers.items():
                h.send_header(k, v)
            h.end_headers()
            h.wfile.write(req.response)
        except OSError:
            h.close_connection = True

    # -- records -----------------------------------------------------------------------
    @property
    def requests(self):
        """Every request received, oldest first."""
        return self._snapshot(self._requests)

    def requests_to(self, path, method=None):
        return [r for r in self.requests
                if r.path == path and (method is None or r.method == method)]

    def wait_for(self, predicate=None, timeout=10.0):
        """The first request that predicate(request) accepts; fails after `timeout` s."""
        return self._wait(self._requests, predicate, 1, timeout)[0]

    def wait_for_count(self, count, predicate=None, timeout=10.0):
        """Every matching request, once there are at least `count`."""
        return self._wait(self._requests, predicate, count, timeout)


def _read_body(h):
    if "chunked" in h.headers.get("Transfer-Encoding", "").lower():
        body = bytearray()
        while True:
            size = int(h.rfile.readline().split(b";")[0].strip(), 16)
            if size == 0:
                while h.rfile.readline() not in (b"\r\n", b"\n", b""):
                    pass  # trailers
                return bytes(body)
            body += h.rfile.read(size)
            h.rfile.readline()
    return h.rfile.read(int(h.headers.get("Content-Length") or 0))


# -- WhatsApp Cloud API ------------------------------------------------------------------
WhatsAppTemplate = namedtuple("WhatsAppTemplate", "to name language params")


def parse_whatsapp_template(body):
    """(to, template name, language code, [body parameter texts]) of a Cloud API template
    message (JSON bytes, str or an already decoded dict); ValueError if it is not one."""
    try:
        msg = json.loads(body) if isinstance(body, (bytes, str)) else body
        if msg.get("messaging_product") != "whatsapp":
            raise ValueError(f"messaging_product is {msg.get('messaging_product')!r}")
        if msg.get("type") != "template":
            raise ValueError(f"type is {msg.get('type')!r}, not 'template'")
        template = msg["template"]
        params = []
        for component in template.get("components", []):
            if component["type"] != "body":
                continue
            for p in component.get("parameters", []):
                if p["type"] != "text":
                    raise ValueError(f"body parameter of type {p['type']!r}")
                params.append(p["text"])
        return WhatsAppTemplate(msg["to"], template["name"], template["language"]["code"],
                                params)
    except (KeyError, TypeError, AttributeError) as e:
        raise ValueError(f"not a template message: {e!r}") from e


def whatsapp_error(code, message, status):
    """(status, body) of a Graph API error."""
    return status, {"error": {"message": message, "type": "OAuthException", "code": code,
                              "fbtrace_id": secrets.token_urlsafe(12)}}


def whatsapp_answer(request, token):
    """How the Cloud API answers a send-message request."""
    if request.headers.get("authorization") != f"Bearer {token}":
        return whatsapp_error(190, "Invalid OAuth access token - Cannot parse access token",
                              401)
    try:
        to = parse_whatsapp_template(request.body).to
    except ValueError as e:
        return whatsapp_error(100, f"(#100) Invalid parameter: {e}", 400)
    wamid = "wamid." + base64.b64encode(secrets.token_bytes(30)).decode()
    return 200, {"messaging_product": "whatsapp",
                 "contacts": [{"input": to, "wa_id": re.sub(r"\D", "", to)}],
                 "messages": [{"id": wamid}]}


# -- Standard Webhooks -------------------------------------------------------------------
class WebhookSignatureError(Exception):
    """A delivery that fails the Standard Webhooks check; the message says why."""


def standard_webhook_signature(secret, msg_id, timestamp, body):
    """`v1,<base64 HMAC-SHA256>` of `{msg_id}.{timestamp}.{body}` under the key that is
    the base64-decoded part of `secret` after `whsec_`."""
    raw = secret[len("whsec_"):] if secret.startswith("whsec_") else secret
    key = base64.b64decode(raw, validate=True)
    body = body.encode() if isinstance(body, str) else bytes(body)
    mac = hmac.new(key, f"{msg_id}.{timestamp}.".encode() + body, hashlib.sha256).digest()
    return "v1," + base64.b64encode(mac).decode()


def verify_standard_webhook(secret, headers, body, tolerance=300, now=None):
    """True if `webhook-signature` holds a `v1` signature of this id, timestamp and body
    under `secret`, and `webhook-timestamp` is within `tolerance` seconds of `now`
    (default: the clock); raises WebhookSignatureError saying why otherwise."""
    pairs = headers.items() if hasattr(headers, "items") else headers
    h = {k.lower(): v for k, v in pairs}
    missing = [n for n in ("webhook-id", "webhook-timestamp", "webhook-signature")
               if not h.get(n)]
    if missing:
        raise WebhookSignatureError(f"missing header(s): {', '.join(missing)}")
    ts = h["webhook-timestamp"]
    if not re.fullmatch(r"[0-9]+", ts):
        raise WebhookSignatureError(f"webhook-timestamp {ts!r} is not unix seconds")
    now = time.time() if now is None else now
    if abs(now - int(ts)) > tolerance:
        raise WebhookSignatureError(f"webhook-timestamp {ts} is {int(now - int(ts))}s from "
                                    f"now, beyond the tolerance of {tolerance}s")
    expected = standard_webhook_signature(secret, h["webhook-id"], ts, body)
    expected_mac = expected.partition(",")[2].encode()
    for entry in h["webhook-signature"].split():
        version, _, mac = entry.partition(",")
        if version == "v1" and hmac.compare_digest(mac.encode(), expected_mac):
            return True
    raise WebhookSignatureError(f"no v1 signature in {h['webhook-signature']!r} matches")
