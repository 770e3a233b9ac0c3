"""Notifications: an outbox filled in the transaction of each event, sent afterwards by
WhatsApp (Cloud API templates, or wa.me links without credentials), e-mail (SMTP through
libcurl) and signed webhooks (Standard Webhooks), retried with back-off until they are sent
or have failed for good. The other ends are real servers on loopback (receivers.py)."""

import json
import time
import urllib.parse
import uuid
from datetime import datetime, timedelta, timezone

from conftest import wait_until
from receivers import parse_whatsapp_template, verify_standard_webhook
from test_courses import err, make_course, ok, reg_body, register

# Quick retries so a whole retry cycle fits in a test.
FAST = {"WEBHOOK_ALLOW_PRIVATE": "1", "NOTIFY_RETRY_MIN": "1s", "NOTIFY_RETRY_MAX": "2s",
        "NOTIFY_GIVE_UP": "6s", "NOTIFY_TIMEOUT": "1s", "NOTIFY_POLL_INTERVAL": "200ms",
        "CAPTCHA_PROVIDER": "none", "MAIL_FROM": "Janji Musik <halo@janji.test>"}


def future(days):
    return (datetime.now(timezone.utc) + timedelta(days=days)).strftime("%Y-%m-%dT%H:%M:%S")


def make_type(srv, admin, price="1500000.00"):
    r = srv.post("/services/packages", admin, json={"name": f"Pkg {uuid.uuid4().hex[:6]}",
                                                    "description": "x"})
    assert r.status_code == 201, r.text
    r = srv.post("/services/types", admin, json={"package_id": r.json()["id"],
                                                 "name": "Makeup Wisuda", "description": "x",
                                                 "price": price})
    assert r.status_code == 201, r.text
    return r.json()["service_types"][-1]["id"]


def book(srv, token, type_id, days=5):
    r = srv.post("/bookings/", token, json={"service_type_id": type_id,
                                             "tanggal_acara": future(days), "jumlah_client": 2})
    assert r.status_code == 201, r.text
    return r.json()


def add_webhook(srv, admin, url, events=("*",), description=None):
    body = {"url": url, "events": list(events)}
    if description is not None:
        body["description"] = description
    return ok(srv.post("/api/admin/webhooks", admin, json=body), 201)


def deliveries(srv, admin, **query):
    r = srv.get("/api/admin/notifications", admin, params={"limit": 100, **query})
    return ok(r)


def wait_delivery(srv, admin, predicate, timeout=20.0, what="a delivery"):
    last = []

    def find():
        nonlocal last
        last = deliveries(srv, admin)
        return next((d for d in last if predicate(d)), None)

    return wait_until(find, timeout, 0.1, lambda: f"{what} never showed: {last}")


# -- webhooks: the admin API --------------------------------------------------------------------
def test_webhook_endpoints_show_their_secret_once(start_server):
    srv = start_server(FAST)
    admin = srv.admin_login()
    made = add_webhook(srv, admin, "http://127.0.0.1:9/hooks", ["booking.created", "booking_created"],
                       "CRM")
    assert made["secret"].startswith("whsec_")
    import base64
    assert len(base64.b64decode(made["secret"][len("whsec_"):])) == 32
    assert made["events"] == ["booking.created", "booking_created"]
    assert made["description"] == "CRM"
    listed = ok(srv.get("/api/admin/webhooks", admin))
    assert [w["id"] for w in listed] == [made["id"]]
    assert "secret" not in listed[0]
    one = ok(srv.get(f"/api/admin/webhooks/{made['id']}", admin))
    assert "secret" not in one and one["url"] == "http://127.0.0.1:9/hooks"
    assert ok(srv.delete(f"/api/admin/webhooks/{made['id']}", admin)) == {"deleted": True}
    err(srv.get(f"/api/admin/webhooks/{made['id']}", admin), 404, "WEBHOOK_NOT_FOUND")
    err(srv.delete(f"/api/admin/webhooks/{made['id']}", admin), 404, "WEBHOOK_NOT_FOUND")
    # Customers do not see or touch them.
    c = srv.new_customer()
    assert srv.get("/api/admin/webhooks", c.token).status_code == 403
    assert srv.get("/api/admin/notifications", c.token).status_code == 403


def test_webhook_urls_are_checked(server):
    admin = server.admin_login()
    for url in ("http://127.0.0.1:8080/x", "http://localhost/x", "http://10.0.0.5/x",
                "http://[::1]/x", "http://169.254.169.254/latest"):
        r = server.post("/api/admin/webhooks", admin, json={"url": url, "events": ["*"]})
        err(r, 400)
    for body in ({"url": "ftp://example.com/x", "events": ["*"]},
                 {"url": "https://example.com/x", "events": []},
                 {"url": "https://example.com/x", "events": ["booking.exploded"]},
                 {"events": ["*"]}):
        err(server.post("/api/admin/webhooks", admin, json=body), 400)


# -- webhooks: deliveries -----------------------------------------------------------------------
def test_a_booking_reaches_a_webhook_signed_per_standard_webhooks(start_server,
                                                                    make_http_receiver):
    rx = make_http_receiver()
    srv = start_server(FAST)
    admin = srv.admin_login()
    hook = add_webhook(srv, admin, rx.url + "/janji", ["booking_created"])
    other = add_webhook(srv, admin, rx.url + "/courses-only", ["booking.created"])
    type_id = make_type(srv, admin)
    c = srv.new_customer(name="Dewi")
    made = book(srv, c.token, type_id)

    req = rx.wait_for(lambda r: r.path == "/janji", timeout=15)
    assert req.method == "POST"
    assert req.headers["content-type"].startswith("application/json")
    assert verify_standard_webhook(hook["secret"], req.headers, req.body)
    assert req.headers["webhook-id"].startswith("msg_")
    body = req.json()
    assert set(body) == {"type", "timestamp", "data"}
    assert body["type"] == "booking_created"
    assert body["timestamp"].endswith("Z")
    assert body["data"]["id"] == made["id"] and body["data"]["price_locked"] == "1500000.00"
    # The other endpoint did not ask for service bookings.
    assert rx.requests_to("/courses-only") == []
    d = wait_delivery(srv, admin, lambda d: d["channel"] == "webhook" and d["status"] == "sent",
                      what="the sent webhook")
    assert d["recipient"] == rx.url + "/janji" and d["event_type"] == "booking_created"
    assert d["attempts"] == 1 and d["last_error"] is None and d["sent_at"]
    assert isinstance(d["event_id"], int)
    assert other["id"] != hook["id"]


def test_a_failing_webhook_is_retried_with_one_id_then_failed_and_retry_sends_it(
        start_server, make_http_receiver):
    rx = make_http_receiver()
    rx.respond("/down", status=500, body=b"upstream broken")
    srv = start_server(FAST)
    admin = srv.admin_login()
    hook = add_webhook(srv, admin, rx.url + "/down", ["booking.created"])
    course = make_course(srv, admin)
    r = register(srv, reg_body(course["id"]))
    assert r.status_code == 201, r.text

    failed = wait_delivery(srv, admin, lambda d: d["status"] == "failed", timeout=30,
                           what="the failed webhook")
    assert failed["attempts"] >= 2 and "HTTP 500" in failed["last_error"], failed
    tries = rx.requests_to("/down")
    assert len(tries) == failed["attempts"]
    assert len({t.headers["webhook-id"] for t in tries}) == 1  # one message, one id
    gaps = [b.time - a.time for a, b in zip(tries, tries[1:])]
    # Backed off (NOTIFY_RETRY_MIN=1s); the last attempt is made at NOTIFY_GIVE_UP however
    # little time is left, so only the gaps before it are a whole back-off.
    assert all(g >= 0.9 for g in gaps[:-1]), gaps
    for t in tries:
        assert verify_standard_webhook(hook["secret"], t.headers, t.body)

    rx.respond("/down", status=204)
    retried = ok(srv.post(f"/api/admin/notifications/{failed['id']}/retry", admin))
    assert retried["status"] == "queued" and retried["id"] == failed["id"]
    sent = wait_delivery(srv, admin, lambda d: d["id"] == failed["id"] and d["status"] == "sent",
                         what="the retried webhook")
    assert sent["attempts"] == failed["attempts"] + 1
    last = rx.requests_to("/down")[-1]
    assert last.headers["webhook-id"] == tries[0].headers["webhook-id"]
    # A sent one is not retried again; an unknown one is not found.
    err(srv.post(f"/api/admin/notifications/{failed['id']}/retry", admin), 409, "INVALID_STATUS")
    err(srv.post("/api/admin/notifications/999999/retry", admin), 404, "NOTIFICATION_NOT_FOUND")


def test_a_slow_or_gone_webhook_is_retried_and_never_holds_up_a_request(start_server,
                                                                          make_http_receiver):
    slow = make_http_receiver()
    slow.respond("/slow", status=200, delay=4.0)  # beyond NOTIFY_TIMEOUT=1s
    gone = make_http_receiver()
    gone_url = gone.url + "/gone"
    gone.stop()
    srv = start_server(FAST)
    admin = srv.admin_login()
    add_webhook(srv, admin, slow.url + "/slow", ["booking_created"])
    add_webhook(srv, admin, gone_url, ["booking_created"])
    type_id = make_type(srv, admin)
    c = srv.new_customer()
    for _ in range(3):
        book(srv, c.token, type_id)  # each answered while the providers hang or refuse

    def retried(url):
        return lambda d: d["recipient"] == url and d["attempts"] >= 2 and d["last_error"]

    s = wait_delivery(srv, admin, retried(slow.url + "/slow"), timeout=30, what="slow retried")
    g = wait_delivery(srv, admin, retried(gone_url), timeout=30, what="gone retried")
    assert "timed out" in s["last_error"].lower() or "timeout" in s["last_error"].lower(), s
    assert "refused" in g["last_error"].lower(), g
    # The filters of the list.
    listed = deliveries(srv, admin, channel="webhook")
    assert listed and all(d["channel"] == "webhook" for d in listed)
    assert all(d["status"] == "sent" for d in deliveries(srv, admin, status="sent"))
    err(srv.get("/api/admin/notifications", admin, params={"status": "lost"}), 400)


# -- e-mail -------------------------------------------------------------------------------------
def test_a_registration_is_mailed_in_indonesian_over_starttls(start_server, make_smtp_receiver):
    smtp = make_smtp_receiver("starttls", user="janji", password="rahasia-smtp",
                              require_starttls=True)
    srv = start_server({**FAST, **smtp.env()})
    admin = srv.admin_login()
    course = make_course(srv, admin, title="Piano Dasar Anak", price_per_session=1500000)
    body = reg_body(course["id"], full_name="Raka Pratama")
    r = register(srv, body)
    assert r.status_code == 201, r.text

    mail = smtp.wait_for(lambda m: body["email"] in m.rcpt_tos, timeout=20)
    assert mail.tls and mail.login == "janji"
    assert mail.mail_from == "halo@janji.test"
    msg = mail.message
    assert msg["To"] == f"<{body['email']}>" or body["email"] in msg["To"]
    assert msg["Subject"] == "Pendaftaran kursus Piano Dasar Anak sudah kami terima"
    assert msg["Message-ID"].startswith("<msg_")
    assert msg.get_content_type() in ("multipart/mixed", "multipart/alternative")
    text, html = mail.text, mail.html
    assert "Halo Raka Pratama" in text and "Piano Dasar Anak" in text
    assert "Rp 1.500.000" in text
    assert html and "Piano Dasar Anak" in html and "<html" in html.lower()
    d = wait_delivery(srv, admin, lambda d: d["channel"] == "email" and d["status"] == "sent")
    assert d["recipient"] == body["email"] and d["event_type"] == "booking.created"


def test_an_smtp_server_down_at_first_gets_the_mail_once_it_is_up(start_server,
                                                                    make_smtp_receiver):
    smtp = make_smtp_receiver("plain", start=False)
    srv = start_server({**FAST, "NOTIFY_GIVE_UP": "1h", **smtp.env()})
    admin = srv.admin_login()
    course = make_course(srv, admin)
    body = reg_body(course["id"])
    assert register(srv, body).status_code == 201
    first = wait_delivery(srv, admin, lambda d: d["channel"] == "email" and d["last_error"],
                          what="a failed attempt")
    assert first["status"] == "queued"
    smtp.start()
    mail = smtp.wait_for(lambda m: body["email"] in m.rcpt_tos, timeout=20)
    assert "Pendaftaran kursus" in mail.message["Subject"]
    wait_delivery(srv, admin, lambda d: d["id"] == first["id"] and d["status"] == "sent")
    # Marked sent: it is not sent again.
    assert len([m for m in smtp.messages if body["email"] in m.rcpt_tos]) == 1


# -- WhatsApp -----------------------------------------------------------------------------------
def test_a_registration_goes_to_both_numbers_as_a_whatsapp_template(start_server,
                                                                     make_http_receiver):
    rx = make_http_receiver()
    wa = rx.serve_whatsapp(phone_number_id="1055", token="wa-secret-token")
    srv = start_server({**FAST, **wa})
    admin = srv.admin_login()
    course = make_course(srv, admin, title="Biola Remaja")
    body = reg_body(course["id"], full_name="Nadia", wa_number="+6281211112222",
                    guardian_name="Ibu Sari", guardian_wa_number="+6281333334444")
    assert register(srv, body).status_code == 201

    rx.wait_for_count(2, lambda r: r.path == "/1055/messages", timeout=20)
    sent = {}
    for req in rx.requests_to("/1055/messages"):
        assert req.headers["authorization"] == "Bearer wa-secret-token"
        assert req.status == 200
        t = parse_whatsapp_template(req.body)
        sent[t.to] = t
    assert set(sent) == {"6281211112222", "6281333334444"}
    guardian = sent["6281333334444"]
    assert guardian.name == "janji_registration_received" and guardian.language == "id"
    assert guardian.params[0] == "Ibu Sari"
    assert "Nadia" in guardian.params and "Biola Remaja" in guardian.params
    ds = deliveries(srv, admin, channel="whatsapp")
    assert {d["recipient"] for d in ds} == {"+6281211112222", "+6281333334444"}
    wait_delivery(srv, admin, lambda d: d["channel"] == "whatsapp" and d["status"] == "sent")


def test_without_whatsapp_credentials_the_owner_gets_wa_me_links(start_server):
    srv = start_server(FAST)
    admin = srv.admin_login()
    course = make_course(srv, admin, title="Gitar Klasik")
    body = reg_body(course["id"], full_name="Bima", guardian_wa_number="+6281298765432")
    assert register(srv, body).status_code == 201
    links = wait_delivery(srv, admin,
                          lambda d: d["channel"] == "wa_link" and d["recipient"] == "+6281298765432",
                          what="the guardian's wa.me link")
    assert links["status"] == "sent" and links["attempts"] == 0
    url = urllib.parse.urlsplit(links["wa_link"])
    assert (url.scheme, url.netloc, url.path) == ("https", "wa.me", "/6281298765432")
    text = urllib.parse.parse_qs(url.query)["text"][0]
    assert text.startswith("Halo Siti Aminah, pendaftaran atas nama Bima untuk kursus Gitar Klasik")
    # Sent by hand: not something to retry.
    err(srv.post(f"/api/admin/notifications/{links['id']}/retry", admin), 409, "INVALID_STATUS")


# -- service bookings: who hears what -----------------------------------------------------------
def test_status_changes_and_the_reminder_reach_the_customer_once(start_server):
    srv = start_server({**FAST, "REMINDER_HOUR": "0", "REMINDER_SWEEP_INTERVAL": "300ms",
                        "BUSINESS_TIMEZONE": "Asia/Makassar"})
    admin = srv.admin_login()
    type_id = make_type(srv, admin)
    c = srv.new_customer(name="Dewi", phone_number="081234500000")
    # Tomorrow at noon in Makassar: the reminder (at 00:00 the day before) is due now.
    wita = timezone(timedelta(hours=8))
    tomorrow = (datetime.now(wita) + timedelta(days=1)).replace(hour=12, minute=0, second=0,
                                                                microsecond=0)
    r = srv.post("/bookings/", c.token, json={
        "service_type_id": type_id, "jumlah_client": 1,
        "tanggal_acara": tomorrow.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%S")})
    assert r.status_code == 201, r.text
    booking = r.json()
    created = wait_delivery(srv, admin, lambda d: d["event_type"] == "booking_created",
                            what="the creation message")
    assert created["channel"] == "wa_link" and created["recipient"] == "+6281234500000"
    reminder = wait_delivery(srv, admin, lambda d: d["event_type"] == "booking.reminder",
                             what="the reminder")
    text = urllib.parse.parse_qs(urllib.parse.urlsplit(reminder["wa_link"]).query)["text"][0]
    assert "Dewi" in text and str(booking["id"]) in text

    r = srv.patch(f"/bookings/{booking['id']}", admin, json={"status": "dp"})
    assert r.status_code == 200, r.text
    wait_delivery(srv, admin, lambda d: d["event_type"] == "booking_updated",
                  what="the status change")
    # Sweeps go on every 300 ms (watched for two seconds): the reminder stays one.
    deadline = time.monotonic() + 2
    while time.monotonic() < deadline:
        reminders = [d for d in deliveries(srv, admin) if d["event_type"] == "booking.reminder"]
        assert len(reminders) == 1, reminders
    # A re-score that changes nothing a customer sees sends nothing.
    updates = [d for d in deliveries(srv, admin) if d["event_type"] == "booking_updated"]
    assert len(updates) == 1, updates
