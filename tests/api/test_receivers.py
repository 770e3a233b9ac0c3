"""The receivers of receivers.py, proven with Python's own clients (smtplib, requests)
before Janji sends anything to them. No Janji server is started here."""

import base64
import secrets
import smtplib
import socket
import ssl
import threading
import time
from email.message import EmailMessage

import pytest
import requests

from receivers import (WebhookSignatureError, parse_whatsapp_template,
                       standard_webhook_signature, verify_standard_webhook)

SUBJECT = "Pesanan diterima — Rias Pengantin ✓"


def message(subject=SUBJECT, to="siti@example.test"):
    m = EmailMessage()
    m["From"] = "Janji <noreply@janji.test>"
    m["To"] = to
    m["Subject"] = subject
    m.set_content("Halo Siti,\nRias Pengantin: Rp 1.500.000\n")
    m.add_alternative("<p>Halo Siti, <b>Rp 1.500.000</b></p>", subtype="html")
    return m


def connect(receiver, host="127.0.0.1", context=None):
    """An smtplib client, encrypted as the receiver's mode asks (trusting its CA)."""
    ctx = context or ssl.create_default_context(cafile=receiver.ca_file)
    if receiver.mode == "smtps":
        return smtplib.SMTP_SSL(host, receiver.port, context=ctx, timeout=10)
    client = smtplib.SMTP(host, receiver.port, timeout=10)
    if receiver.mode == "starttls":
        client.starttls(context=ctx)
    return client


def send(receiver, msg=None, login=None, **kw):
    with connect(receiver, **kw) as client:
        if login:
            client.login(*login)
        client.send_message(msg or message(), "noreply@janji.test", ["siti@example.test"])


def refused(port):
    with pytest.raises(ConnectionRefusedError):
        socket.create_connection(("127.0.0.1", port), timeout=5).close()
    return True


# -- SMTP ---------------------------------------------------------------------------------
def test_smtp_records_the_envelope_the_raw_bytes_and_the_parsed_message(make_smtp_receiver):
    smtp = make_smtp_receiver()
    assert smtp.url == f"smtp://127.0.0.1:{smtp.port}"
    assert smtp.env() == {"SMTP_URL": smtp.url}
    with connect(smtp) as client:
        client.send_message(message(), "noreply@janji.test",
                            ["siti@example.test", "owner@example.test"])

    got = smtp.wait_for(lambda m: m.message["subject"] == SUBJECT, timeout=10)
    assert got.mail_from == "noreply@janji.test"
    assert got.rcpt_tos == ["siti@example.test", "owner@example.test"]
    assert got.message["to"] == "siti@example.test"
    assert "Rp 1.500.000" in got.text and "<b>Rp 1.500.000</b>" in got.html
    head = got.raw.partition(b"\r\n\r\n")[0]
    assert b"=?utf-8?" in head and SUBJECT.encode() not in head  # travelled encoded
    assert got.tls is False and got.login is None and got.accepted
    assert smtp.messages == [got] and smtp.rejected == []


@pytest.mark.parametrize("host", ["localhost", "127.0.0.1"])
def test_starttls_is_offered_and_the_certificate_verifies_against_the_ca(make_smtp_receiver,
                                                                         host):
    smtp = make_smtp_receiver("starttls")
    assert smtp.env() == {"SMTP_URL": smtp.url, "SSL_CERT_FILE": smtp.ca_file}
    with smtplib.SMTP(host, smtp.port, timeout=10) as client:
        client.ehlo()
        assert client.has_extn("starttls")
        client.starttls(context=ssl.create_default_context(cafile=smtp.ca_file))
        client.ehlo()
        assert not client.has_extn("starttls")
        client.send_message(message(), "noreply@janji.test", ["siti@example.test"])
    assert smtp.wait_for(timeout=10).tls is True


def test_require_starttls_refuses_mail_before_it(make_smtp_receiver):
    smtp = make_smtp_receiver("starttls", require_starttls=True)
    with smtplib.SMTP("127.0.0.1", smtp.port, timeout=10) as client:
        with pytest.raises(smtplib.SMTPSenderRefused) as refusal:
            client.send_message(message(), "noreply@janji.test", ["siti@example.test"])
        assert refusal.value.smtp_code == 530
    send(smtp)
    assert smtp.wait_for(timeout=10).tls is True


def test_smtps_speaks_tls_from_the_first_byte(make_smtp_receiver):
    smtp = make_smtp_receiver("smtps")
    assert smtp.url == f"smtps://127.0.0.1:{smtp.port}"
    with socket.create_connection(("127.0.0.1", smtp.port), timeout=10) as s:
        s.sendall(b"EHLO plain.test\r\n")  # not a TLS ClientHello: the server hangs up
        try:
            answer = s.recv(1024)
        except ConnectionResetError:
            answer = b""
    assert not answer.startswith(b"220"), answer
    send(smtp, host="localhost")
    assert smtp.wait_for(timeout=10).tls is True


@pytest.mark.parametrize("mode", ["starttls", "smtps"])
def test_the_certificate_is_not_trusted_without_the_ca_file(make_smtp_receiver, mode):
    smtp = make_smtp_receiver(mode)
    with pytest.raises(ssl.SSLCertVerificationError):
        send(smtp, context=ssl.create_default_context())
    assert smtp.messages == []


@pytest.mark.parametrize("mode", ["plain", "starttls", "smtps"])
def test_auth_with_the_right_password_is_recorded(make_smtp_receiver, mode):
    smtp = make_smtp_receiver(mode, user="janji", password="s3cret pw")
    assert smtp.env()["SMTP_USER"] == "janji" and smtp.env()["SMTP_PASSWORD"] == "s3cret pw"
    send(smtp, login=("janji", "s3cret pw"))
    assert smtp.wait_for(timeout=10).login == "janji"
    assert smtp.auth_failures == []


def test_auth_is_required_refuses_a_wrong_password_and_waits_for_starttls(make_smtp_receiver):
    smtp = make_smtp_receiver("starttls", user="janji", password="s3cret pw")
    with smtplib.SMTP("127.0.0.1", smtp.port, timeout=10) as client:
        client.ehlo()
        assert not client.has_extn("auth")  # credentials only once encrypted
        code, _ = client.docmd("AUTH", "PLAIN " + base64.b64encode(
            b"\0janji\0s3cret pw").decode())
        assert code == 538
    with connect(smtp) as client:
        with pytest.raises(smtplib.SMTPSenderRefused) as no_auth:
            client.send_message(message(), "noreply@janji.test", ["siti@example.test"])
        assert no_auth.value.smtp_code == 530
        with pytest.raises(smtplib.SMTPAuthenticationError) as wrong:
            client.login("janji", "wrong")
        assert wrong.value.smtp_code == 535
    assert smtp.auth_failures and set(smtp.auth_failures) == {"janji"}  # PLAIN, then LOGIN
    assert smtp.messages == []


def test_fail_next_answers_451_to_that_many_messages_then_accepts(make_smtp_receiver):
    smtp = make_smtp_receiver()
    smtp.fail_next(2)
    with connect(smtp) as client:
        for subject in ("first", "second"):
            with pytest.raises(smtplib.SMTPDataError) as failure:
                client.send_message(message(subject), "noreply@janji.test",
                                    ["siti@example.test"])
            assert failure.value.smtp_code == 451
        client.send_message(message("third"), "noreply@janji.test", ["siti@example.test"])
    assert [m.message["subject"] for m in smtp.wait_for_count(2, rejected=True,
                                                               timeout=10)] == ["first",
                                                                                "second"]
    assert [m.message["subject"] for m in smtp.messages] == ["third"]
    assert not any(m.accepted for m in smtp.rejected)


def test_smtp_is_down_until_started_and_restarts_on_the_same_port(make_smtp_receiver):
    smtp = make_smtp_receiver("starttls", start=False)
    url = smtp.url
    assert refused(smtp.port)
    smtp.start()
    send(smtp, message("one"))
    open_session = connect(smtp)
    smtp.stop()
    assert refused(smtp.port)
    with pytest.raises(smtplib.SMTPServerDisconnected):
        open_session.noop()  # the stop dropped it
    open_session.close()
    smtp.start()
    assert smtp.url == url
    send(smtp, message("two"))
    assert [m.message["subject"] for m in smtp.wait_for_count(2, timeout=10)] == ["one", "two"]


def test_smtp_wait_for_wakes_on_arrival_and_fails_at_its_deadline(make_smtp_receiver):
    smtp = make_smtp_receiver()
    threading.Timer(0.3, send, args=(smtp, message("late"))).start()
    started = time.monotonic()
    assert smtp.wait_for(lambda m: m.message["subject"] == "late", timeout=20).text
    assert time.monotonic() - started < 15

    started = time.monotonic()
    with pytest.raises(AssertionError, match=r"(?s)not within 0\.3s.*'late'"):
        smtp.wait_for(lambda m: m.message["subject"] == "never", timeout=0.3)
    assert 0.3 <= time.monotonic() - started < 5


# -- HTTP ---------------------------------------------------------------------------------
def test_http_records_every_request(make_http_receiver):
    http = make_http_receiver()
    r = requests.post(http.url + "/hooks/a?x=1", data=b'{"k": "v"}',
                      headers={"X-Test": "yes", "Content-Type": "application/json"}, timeout=10)
    assert r.status_code == 200 and r.content == b""
    requests.get(http.url + "/other", timeout=10)

    got = http.wait_for(lambda q: q.path == "/hooks/a", timeout=10)
    assert (got.method, got.query, got.body, got.status) == ("POST", "x=1", b'{"k": "v"}', 200)
    assert got.headers["x-test"] == "yes" and got.json() == {"k": "v"}
    assert abs(got.time - time.time()) < 60
    assert [q.path for q in http.requests] == ["/hooks/a", "/other"]
    assert http.requests_to("/other", method="GET") == [http.requests[1]]
    assert http.requests_to("/other", method="POST") == []


def test_http_answers_per_path_and_one_shot_replies_come_first(make_http_receiver):
    http = make_http_receiver(default_status=404)
    http.respond("/hook", 204)
    http.respond("/hook", 500, body={"detail": "boom"}, times=2)
    http.respond("/text", 503, body="busy", headers={"Retry-After": "7"})
    statuses = [requests.post(http.url + "/hook", timeout=10).status_code for _ in range(3)]
    assert statuses == [500, 500, 204]
    r = requests.get(http.url + "/text", timeout=10)
    assert (r.status_code, r.text, r.headers["retry-after"]) == (503, "busy", "7")
    assert requests.get(http.url + "/unknown", timeout=10).status_code == 404
    http.respond("*", 202)
    assert requests.get(http.url + "/unknown", timeout=10).status_code == 202
    assert [q.status for q in http.requests_to("/hook")] == [500, 500, 204]
    assert http.requests_to("/hook")[0].response == b'{"detail": "boom"}'


def test_http_delay_holds_the_answer_and_stop_cuts_it_short(make_http_receiver):
    http = make_http_receiver()
    http.respond("/slowish", delay=0.5)
    started = time.monotonic()
    assert requests.get(http.url + "/slowish", timeout=10).status_code == 200
    assert time.monotonic() - started >= 0.5

    http.respond("/slow", delay=30)
    with pytest.raises(requests.exceptions.ReadTimeout):
        requests.post(http.url + "/slow", data=b"x", timeout=0.5)
    assert http.wait_for(lambda q: q.path == "/slow", timeout=10).body == b"x"

    # A stop while an answer is held back: the client loses the connection, at once.
    outcome = []

    def client():
        try:
            outcome.append(requests.post(http.url + "/slow", data=b"y", timeout=20))
        except requests.exceptions.ConnectionError as e:
            outcome.append(e)

    waiting = threading.Thread(target=client)
    waiting.start()
    http.wait_for(lambda q: q.body == b"y", timeout=10)
    started = time.monotonic()
    http.stop()
    waiting.join(timeout=15)
    assert time.monotonic() - started < 10
    assert len(outcome) == 1 and isinstance(outcome[0], requests.exceptions.ConnectionError)


def test_http_drop_closes_the_connection_without_an_answer(make_http_receiver):
    http = make_http_receiver()
    http.respond("/drop", drop=True, times=1)
    with pytest.raises(requests.exceptions.ConnectionError):
        requests.post(http.url + "/drop", data=b"payload", timeout=10)
    assert requests.post(http.url + "/drop", timeout=10).status_code == 200
    assert [q.status for q in http.requests_to("/drop")] == [None, 200]
    assert http.requests_to("/drop")[0].body == b"payload"


def test_http_is_gone_when_stopped_and_restarts_on_the_same_port(make_http_receiver):
    http = make_http_receiver(start=False)
    url = http.url
    assert refused(http.port)
    http.start()
    assert requests.get(url + "/a", timeout=10).status_code == 200
    http.stop()
    assert refused(http.port)
    http.start()
    assert http.url == url
    assert requests.get(url + "/b", timeout=10).status_code == 200
    assert [q.path for q in http.wait_for_count(2, timeout=10)] == ["/a", "/b"]


def test_http_reads_a_chunked_body(make_http_receiver):
    http = make_http_receiver()
    requests.post(http.url + "/chunked", data=iter([b"hello ", b"chunked ", b"world"]),
                  timeout=10)
    got = http.wait_for(timeout=10)
    assert got.headers["transfer-encoding"] == "chunked"
    assert got.body == b"hello chunked world"


def test_http_wait_for_fails_at_its_deadline_naming_what_came(make_http_receiver):
    http = make_http_receiver()
    requests.get(http.url + "/seen", timeout=10)
    with pytest.raises(AssertionError, match=r"(?s)not within 0\.2s.*GET /seen"):
        http.wait_for(lambda q: q.path == "/never", timeout=0.2)


# -- WhatsApp Cloud API ---------------------------------------------------------------------
def template_body(to="+6281234567890", kind="text"):
    return {
        "messaging_product": "whatsapp", "recipient_type": "individual", "to": to,
        "type": "template",
        "template": {
            "name": "janji_booking_created", "language": {"code": "id"},
            "components": [
                {"type": "header", "parameters": [{"type": "text", "text": "Alfiyah"}]},
                {"type": "body", "parameters": [
                    {"type": "text", "text": "Siti"},
                    {"type": kind, "text": "Rias Pengantin"},
                    {"type": "text", "text": "Rp 1.500.000"}]},
            ]},
    }


def test_whatsapp_answers_like_the_cloud_api(make_http_receiver):
    http = make_http_receiver()
    env = http.serve_whatsapp("1055501234", "tok-123")
    assert env == {"WHATSAPP_API_URL": http.url, "WHATSAPP_PHONE_NUMBER_ID": "1055501234",
                   "WHATSAPP_TOKEN": "tok-123"}
    assert http.whatsapp_path == "/1055501234/messages"
    r = requests.post(http.url + "/1055501234/messages", json=template_body(),
                      headers={"Authorization": "Bearer tok-123"}, timeout=10)
    assert r.status_code == 200, r.text
    answer = r.json()
    assert set(answer) == {"messaging_product", "contacts", "messages"}
    assert answer["messaging_product"] == "whatsapp"
    assert answer["contacts"] == [{"input": "+6281234567890", "wa_id": "6281234567890"}]
    assert len(answer["messages"]) == 1 and answer["messages"][0]["id"].startswith("wamid.")

    got = http.wait_for(timeout=10)
    assert got.headers["authorization"] == "Bearer tok-123"
    assert got.response == r.content
    assert parse_whatsapp_template(got.body) == (
        "+6281234567890", "janji_booking_created", "id", ["Siti", "Rias Pengantin",
                                                          "Rp 1.500.000"])


def test_whatsapp_refuses_a_wrong_token_and_a_non_template_message(make_http_receiver):
    http = make_http_receiver()
    http.serve_whatsapp("1055501234", "tok-123")
    path = http.url + http.whatsapp_path
    for headers in ({}, {"Authorization": "Bearer other"}):
        r = requests.post(path, json=template_body(), headers=headers, timeout=10)
        assert (r.status_code, r.json()["error"]["code"]) == (401, 190)
    text = {"messaging_product": "whatsapp", "to": "+6281234567890", "type": "text",
            "text": {"body": "hi"}}
    r = requests.post(path, json=text, headers={"Authorization": "Bearer tok-123"}, timeout=10)
    assert (r.status_code, r.json()["error"]["code"]) == (400, 100)
    assert [q.status for q in http.requests] == [401, 401, 400]


@pytest.mark.parametrize("body", [
    b"not json",
    {"messaging_product": "sms", **{k: v for k, v in template_body().items()
                                    if k != "messaging_product"}},
    {**template_body(), "type": "text"},
    {**template_body(), "template": {"name": "x", "components": []}},  # no language
    template_body(kind="currency"),
], ids=["not-json", "not-whatsapp", "not-template", "no-language", "non-text-parameter"])
def test_parse_whatsapp_template_refuses_what_is_not_a_template_message(body):
    with pytest.raises(ValueError):
        parse_whatsapp_template(body)


# -- Standard Webhooks ----------------------------------------------------------------------
# The test vector of the Standard Webhooks reference libraries.
SPEC_SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"
SPEC_ID = "msg_p5jXN8AQM9LWM0D4loKWxJek"
SPEC_TS = 1614265330
SPEC_BODY = b'{"test": 2432232314}'
SPEC_SIGNATURE = "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE="


def spec_headers(signature=SPEC_SIGNATURE, ts=SPEC_TS, msg_id=SPEC_ID):
    return {"webhook-id": msg_id, "webhook-timestamp": str(ts), "webhook-signature": signature}


def test_standard_webhooks_spec_vector():
    assert standard_webhook_signature(SPEC_SECRET, SPEC_ID, SPEC_TS, SPEC_BODY) == SPEC_SIGNATURE
    assert verify_standard_webhook(SPEC_SECRET, spec_headers(), SPEC_BODY, now=SPEC_TS)
    upper = {k.title(): v for k, v in spec_headers().items()}  # header names are any case
    assert verify_standard_webhook(SPEC_SECRET, upper, SPEC_BODY.decode(), now=SPEC_TS + 300)
    several = "v1,Ceo5qEr07ixe2NLpvHk3FH9bwy/WavXrAFQ/9tdO6mc= v2,x " + SPEC_SIGNATURE
    assert verify_standard_webhook(SPEC_SECRET, spec_headers(several), SPEC_BODY, now=SPEC_TS)


OTHER_SECRET = "whsec_" + base64.b64encode(b"k" * 32).decode()


@pytest.mark.parametrize("secret, headers, body, now, reason", [
    (OTHER_SECRET, spec_headers(), SPEC_BODY, SPEC_TS, "no v1 signature"),
    (SPEC_SECRET, spec_headers(), b'{"test": 2432232315}', SPEC_TS, "no v1 signature"),
    (SPEC_SECRET, spec_headers(msg_id="msg_other"), SPEC_BODY, SPEC_TS, "no v1 signature"),
    (SPEC_SECRET, spec_headers("v2," + SPEC_SIGNATURE[3:]), SPEC_BODY, SPEC_TS,
     "no v1 signature"),
    (SPEC_SECRET, spec_headers(), SPEC_BODY, SPEC_TS + 301, "tolerance"),
    (SPEC_SECRET, spec_headers(), SPEC_BODY, SPEC_TS - 301, "tolerance"),
    (SPEC_SECRET, spec_headers(ts="1614265330.0"), SPEC_BODY, SPEC_TS, "unix seconds"),
    (SPEC_SECRET, {"webhook-id": SPEC_ID, "webhook-timestamp": str(SPEC_TS)}, SPEC_BODY,
     SPEC_TS, "missing header"),
], ids=["wrong-secret", "altered-body", "altered-id", "not-v1", "stale", "future",
        "not-integer-timestamp", "no-signature"])
def test_standard_webhooks_refusals(secret, headers, body, now, reason):
    with pytest.raises(WebhookSignatureError, match=reason):
        verify_standard_webhook(secret, headers, body, now=now)


def test_a_signed_delivery_through_the_http_receiver_verifies(make_http_receiver):
    http = make_http_receiver()
    secret = "whsec_" + base64.b64encode(secrets.token_bytes(32)).decode()
    body = '{"type": "booking.created", "data": {"name": "Siti Ä\u0027isyah ✓"}}'.encode()
    ts = int(time.time())
    requests.post(http.url + "/hook", data=body, timeout=10, headers={
        "Content-Type": "application/json", "webhook-id": "msg_1", "webhook-timestamp": str(ts),
        "webhook-signature": standard_webhook_signature(secret, "msg_1", ts, body)})
    got = http.wait_for(timeout=10)
    assert got.body == body
    assert verify_standard_webhook(secret, got.headers, got.body)
    with pytest.raises(WebhookSignatureError):
        verify_standard_webhook(OTHER_SECRET, got.headers, got.body)
