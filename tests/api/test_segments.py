"""RFM segmentation: GET /segments/ and the live /segments/stream."""

import json
import math
import re
import time
import uuid
from datetime import datetime, timedelta, timezone
from decimal import Decimal

import pytest

from conftest import JanjiServer, SseStream, assert_detail, parallel, strict_json

NOT_ENOUGH = "Not enough data for segmentation: at least 4 customers with bookings are needed"
NAMES = {0: "Loyal", 1: "Aktif", 2: "Potensial", 3: "Pasif"}
ITEM_FIELDS = {"user_id", "name", "recency", "frequency", "monetary", "cluster",
               "customer_segment"}
FAST = {"SEGMENT_DEBOUNCE": "200ms", "SSE_HEARTBEAT": "1s"}


def utcnow():
    return datetime.now(timezone.utc).replace(tzinfo=None)


def iso(dt):
    return dt.strftime("%Y-%m-%dT%H:%M:%S")


class Shop:
    """A fresh server's catalogue and customers, for building segmentation scenarios."""

    def __init__(self, srv):
        self.srv = srv
        self.admin = srv.admin_login()
        r = srv.post("/services/packages", self.admin,
                     json={"name": f"Pkg {uuid.uuid4().hex[:8]}", "description": "rfm"})
        assert r.status_code == 201, r.text
        self.package_id = r.json()["id"]
        self.types = {}

    def type_for(self, price):
        if price not in self.types:
            r = self.srv.post("/services/types", self.admin,
                              json={"package_id": self.package_id,
                                    "name": f"Type {uuid.uuid4().hex[:8]}",
                                    "description": "rfm type", "price": price})
            assert r.status_code == 201, r.text
            self.types[price] = r.json()["service_types"][-1]["id"]
        return self.types[price]

    def book(self, customer, price, days=30):
        r = self.srv.post("/bookings/", customer.token,
                          json={"service_type_id": self.type_for(price),
                                "tanggal_acara": iso(utcnow() + timedelta(days=days)),
                                "jumlah_client": 1})
        assert r.status_code == 201, r.text
        return r.json()

    def customer(self, n_bookings=1, price="500000.00", name=None):
        c = self.srv.new_customer(name=name or f"Cust {uuid.uuid4().hex[:6]}")
        c.bookings = [self.book(c, price) for _ in range(n_bookings)]
        return c

    def cancel(self, booking):
        r = self.srv.patch(f"/bookings/{booking['id']}", self.admin, json={"status": "cancelled"})
        assert r.status_code == 200, r.text
        return r.json()

    def segments(self):
        r = self.srv.get("/segments/", self.admin)
        assert r.status_code == 200, r.text
        return r


def check_items(items):
    assert isinstance(items, list)
    for it in items:
        assert set(it) == ITEM_FIELDS, it
        for k in ("user_id", "recency", "frequency", "cluster"):
            assert isinstance(it[k], int) and not isinstance(it[k], bool), (k, it)
        assert isinstance(it["name"], str)
        assert isinstance(it["monetary"], str) and re.fullmatch(r"\d+\.\d\d", it["monetary"]), it
        assert it["recency"] >= 0 and it["frequency"] >= 1
        assert it["cluster"] in NAMES and it["customer_segment"] == NAMES[it["cluster"]], it
    ids = [it["user_id"] for it in items]
    assert ids == sorted(ids) and len(set(ids)) == len(ids), ids


def by_user(items):
    return {it["user_id"]: it for it in items}


def segment_events(stream, duration):
    return [it for it in stream.collect(duration)
            if it["kind"] == "event" and it["type"] == "segment_updated"]


def wait_published(stream, expected, timeout=10.0):
    """Reads segment_updated events from `stream` until one carries `expected`; returns the
    events read, that one last."""
    seen = []
    deadline = time.monotonic() + timeout
    while True:
        ev = stream.next_event(deadline - time.monotonic(), types={"segment_updated"})
        assert ev is not None, (f"no segment_updated with {expected} within {timeout}s; "
                                f"saw {[e['data'] for e in seen]}")
        seen.append(ev)
        if ev["data"] == expected:
            return seen


def wait_segment_event(stream, timeout=3.0):
    ev = stream.next_event(timeout, types={"segment_updated"})
    assert ev is not None, f"no segment_updated within {timeout}s"
    return ev


# -- access ---------------------------------------------------------------------------------------
@pytest.mark.parametrize("path", ["/segments/", "/segments"])
def test_segments_requires_admin(server, customer, path):
    r = server.get(path)
    assert_detail(r, 401, "Not authenticated")
    assert r.headers.get("WWW-Authenticate") == "Bearer"
    assert_detail(server.get(path, customer.token), 403, "Not enough permissions")
    bogus = server.make_token(customer.id, secret="wrong-secret")
    r = server.get(path, bogus)
    assert r.status_code == 401 and r.headers.get("WWW-Authenticate") == "Bearer"


def test_segments_query_token_is_not_enough(server, admin_token):
    """?access_token= is for the EventSource streams only."""
    r = server.get("/segments/?access_token=" + admin_token)
    assert r.status_code == 401, r.text


# -- not enough data ------------------------------------------------------------------------------
def test_fewer_than_four_customers(start_server):
    srv = start_server(FAST)
    shop = Shop(srv)
    assert_detail(srv.get("/segments/", shop.admin), 400, NOT_ENOUGH)
    c1 = shop.customer(2, "1500000.00")
    c2 = shop.customer(1)
    # Cancelled before the third customer books: never four customers with live bookings,
    # so no segments are published (and then withdrawn) before the stream below opens.
    only_cancelled = shop.customer(1)
    shop.cancel(only_cancelled.bookings[0])
    c3 = shop.customer(3, "200000.00")
    shop.srv.new_customer()  # a customer without bookings does not count either
    assert_detail(srv.get("/segments/", shop.admin), 400, NOT_ENOUGH)
    r = srv.get("/segments", shop.admin)
    assert r.headers["Content-Type"] == "application/json; charset=utf-8"
    assert_detail(r, 400, NOT_ENOUGH)

    with SseStream(srv, "/segments/stream", token=shop.admin) as s:
        assert s.status == 200
        items = s.collect(1.3)
        assert items and items[0]["kind"] == "retry", items
        assert {it["kind"] for it in items} <= {"retry", "comment"}, \
            f"something other than retry/heartbeats with 3 customers: {items}"
        # The fourth customer makes segmentation possible: the open stream hears of it.
        c4 = shop.customer(1, "300000.00")
        ev = wait_segment_event(s, 3.0)
        got = shop.segments().json()
        assert ev["data"] == got
        assert ev["envelope"]["type"] == "segment_updated"
    check_items(got)
    assert [it["user_id"] for it in got] == sorted([c1.id, c2.id, c3.id, c4.id])
    assert only_cancelled.id not in by_user(got)


def test_stream_initial_snapshot_respects_fewer_than_four(start_server):
    """Segments once published, then a cancellation leaves 3 customers: a new subscriber
    must not be sent the old (now wrong) segments as the current ones."""
    srv = start_server(FAST)
    shop = Shop(srv)
    cs = [shop.customer(1, p) for p in ("200000.00", "500000.00", "1500000.00", "3000000.00")]
    first = shop.segments().json()
    assert len(first) == 4
    with SseStream(srv, "/segments/stream", token=shop.admin) as s:
        assert wait_segment_event(s, 3.0)["data"] == first
        shop.cancel(cs[0].bookings[0])
        assert_detail(srv.get("/segments/", shop.admin), 400, NOT_ENOUGH)
        # The debounced recomputation has run once it publishes the empty list.
        wait_published(s, [])
    with SseStream(srv, "/segments/stream", token=shop.admin) as s:
        stale = segment_events(s, 1.2)
        assert stale == [], ("with 3 customers left, /segments/stream still sent the old "
                             f"segments on connect: {[e['data'] for e in stale]}")


# -- shape, determinism, cancellations ------------------------------------------------------------
def test_items_shape_rfm_values_and_cancellations(start_server):
    srv = start_server(FAST)
    shop = Shop(srv)
    a = shop.customer(2, "1500000.00", name="Ani")
    b = shop.customer(1, "200000.00", name="Budi")
    c = shop.customer(3, "300000.00", name="Citra")
    d = shop.customer(1, "3000000.00", name="Dewi")
    e = shop.customer(2, "550000.00", name="Eka")
    gone = shop.customer(1, "700000.00", name="Fajar")

    r = shop.segments()
    assert r.headers["Content-Type"] == "application/json; charset=utf-8"
    items = strict_json(r)
    check_items(items)
    got = by_user(items)
    assert list(got) == sorted(x.id for x in (a, b, c, d, e, gone))
    expect = {a.id: (2, "3000000.00", "Ani"), b.id: (1, "200000.00", "Budi"),
              c.id: (3, "900000.00", "Citra"), d.id: (1, "3000000.00", "Dewi"),
              e.id: (2, "1100000.00", "Eka"), gone.id: (1, "700000.00", "Fajar")}
    for uid, (freq, money, name) in expect.items():
        assert (got[uid]["frequency"], got[uid]["monetary"], got[uid]["name"]) == \
            (freq, money, name), got[uid]
        assert got[uid]["recency"] == 0, got[uid]  # booked just now
    assert len({it["cluster"] for it in items}) >= 2

    # Unchanged data: byte-identical answers.
    again = shop.segments()
    assert again.content == r.content
    assert shop.segments().content == r.content

    # Cancelling one of two bookings lowers frequency and monetary.
    shop.cancel(a.bookings[0])
    # A customer whose only booking is cancelled drops out.
    shop.cancel(gone.bookings[0])
    # Other status changes keep the booking counted.
    r2 = srv.patch(f"/bookings/{c.bookings[0]['id']}", shop.admin, json={"status": "paid"})
    assert r2.status_code == 200
    after = strict_json(shop.segments())
    check_items(after)
    got = by_user(after)
    assert gone.id not in got, got.get(gone.id)
    assert list(got) == sorted(x.id for x in (a, b, c, d, e))
    assert (got[a.id]["frequency"], got[a.id]["monetary"]) == (1, "1500000.00"), got[a.id]
    assert (got[c.id]["frequency"], got[c.id]["monetary"]) == (3, "900000.00"), got[c.id]
    assert shop.segments().content == shop.segments().content


def test_aggregates_stay_exact_under_concurrent_writes(start_server):
    """Each booking write updates its customer's aggregate by itself: concurrent bookings
    of one customer all count, and cancelling and un-cancelling are exact."""
    srv = start_server(FAST)
    shop = Shop(srv)
    a = shop.customer(1, "100000.00")
    others = [shop.customer(1, "250000.00") for _ in range(3)]
    type_id = shop.type_for("100000.00")

    def book(i, session):
        r = srv.post("/bookings/", a.token, session=session,
                     json={"service_type_id": type_id, "jumlah_client": 1,
                           "tanggal_acara": iso(utcnow() + timedelta(days=3 + i))})
        assert r.status_code == 201, r.text
        return r.json()

    made = parallel(16, book)
    got = by_user(shop.segments().json())
    assert (got[a.id]["frequency"], got[a.id]["monetary"]) == (17, "1700000.00"), got[a.id]

    shop.cancel(made[0])
    shop.cancel(made[1])
    got = by_user(shop.segments().json())
    assert (got[a.id]["frequency"], got[a.id]["monetary"]) == (15, "1500000.00"), got[a.id]

    # Back from cancelled: counted again. A status change among counted ones changes nothing.
    r = srv.patch(f"/bookings/{made[0]['id']}", shop.admin, json={"status": "pending"})
    assert r.status_code == 200, r.text
    r = srv.patch(f"/bookings/{made[2]['id']}", shop.admin, json={"status": "paid"})
    assert r.status_code == 200, r.text
    got = by_user(shop.segments().json())
    assert (got[a.id]["frequency"], got[a.id]["monetary"]) == (16, "1600000.00"), got[a.id]
    for o in others:
        assert (got[o.id]["frequency"], got[o.id]["monetary"]) == (1, "250000.00"), got[o.id]


def test_obvious_ranking(start_server):
    srv = start_server(FAST)
    shop = Shop(srv)
    loyal = [shop.customer(3, "3000000.00") for _ in range(3)]
    aktif = [shop.customer(2, "1500000.00") for _ in range(2)]
    potensial = [shop.customer(1, "1500000.00") for _ in range(2)]
    pasif = [shop.customer(1, "200000.00") for _ in range(3)]
    items = shop.segments().json()
    check_items(items)
    assert len(items) == 10
    got = by_user(items)
    for group, cluster in ((loyal, 0), (aktif, 1), (potensial, 2), (pasif, 3)):
        for c in group:
            assert got[c.id]["cluster"] == cluster, (NAMES[cluster], got[c.id], items)
            assert got[c.id]["customer_segment"] == NAMES[cluster]
    for c in loyal:
        assert (got[c.id]["frequency"], got[c.id]["monetary"]) == (3, "9000000.00")
    loyal_f = [it["frequency"] for it in items if it["customer_segment"] == "Loyal"]
    pasif_f = [it["frequency"] for it in items if it["customer_segment"] == "Pasif"]
    assert loyal_f and pasif_f
    assert min(loyal_f) >= max(pasif_f), items
    loyal_m = [Decimal(it["monetary"]) for it in items if it["customer_segment"] == "Loyal"]
    pasif_m = [Decimal(it["monetary"]) for it in items if it["customer_segment"] == "Pasif"]
    assert min(loyal_m) >= max(pasif_m), items


# -- the live stream --------------------------------------------------------------------------------
def test_stream_snapshot_then_updates(start_server):
    srv = start_server(FAST)
    shop = Shop(srv)
    with SseStream(srv, "/segments/stream", token=shop.admin) as watcher:
        cs = [shop.customer(n, p) for n, p in ((1, "200000.00"), (2, "500000.00"),
                                               (1, "1500000.00"), (3, "3000000.00"),
                                               (1, "300000.00"))]
        current = shop.segments().json()
        # Let the debounced recomputation of the last write run: it publishes what GET says.
        wait_published(watcher, current)
    with SseStream(srv, "/segments/stream", query_token=shop.admin) as s:
        assert s.status == 200
        assert s.next(3)["kind"] == "retry"
        first = wait_segment_event(s, 3.0)
        assert first["data"] == current
        assert first["lines"][0] == f"id: {first['id']}"
        expected = "data: " + json.dumps({"type": "segment_updated", "data": first["data_text"]},
                                         ensure_ascii=False)
        assert first["lines"][1] == expected
        assert first["data_text"] == json.dumps(first["data"], separators=(",", ":"),
                                                ensure_ascii=False)
        # Only one snapshot on connect.
        assert segment_events(s, 0.6) == []

        # A booking changes the data: after the debounce, one new segment_updated.
        shop.book(cs[0], "3000000.00")
        t0 = time.monotonic()
        second = wait_segment_event(s, 3.0)
        assert second["id"] > first["id"]
        assert second["data"] == shop.segments().json()
        assert by_user(second["data"])[cs[0].id]["frequency"] == 2
        assert time.monotonic() - t0 < 3.0

        # A burst of writes is debounced into few events, the last one matching GET.
        for c in cs[1:4]:
            shop.book(c, "200000.00")
        evs = wait_published(s, shop.segments().json())
        assert 1 <= len(evs) <= 3, len(evs)
        assert all(x["id"] < y["id"] for x, y in zip([second] + evs, evs))
        latest = evs[-1]
        # A status change that cancels also updates.
        shop.cancel(cs[3].bookings[0])
        upd = wait_segment_event(s, 3.0)
        assert upd["id"] > latest["id"]
        assert by_user(upd["data"])[cs[3].id]["frequency"] == 3
        assert upd["data"] == shop.segments().json()
        latest = upd

    # Reconnecting without Last-Event-ID: the latest segments first.
    with SseStream(srv, "/segments/stream", token=shop.admin) as s:
        again = wait_segment_event(s, 3.0)
        assert again["data"] == shop.segments().json()
        assert again["id"] == latest["id"]
    # With the latest id as Last-Event-ID: nothing to catch up on, no duplicate.
    with SseStream(srv, "/segments/stream", token=shop.admin, last_event_id=latest["id"]) as s:
        assert segment_events(s, 0.8) == []
        shop.book(cs[4], "700000.00")
        nxt = wait_segment_event(s, 3.0)
        assert nxt["id"] > latest["id"]
        assert nxt["data"] == shop.segments().json()


def test_stream_snapshot_on_connect_is_current_within_debounce(start_server):
    """A subscriber that connects right after a write (before SEGMENT_DEBOUNCE has run the
    recomputation) must still get the current segments first, the same list GET returns."""
    srv = start_server({"SEGMENT_DEBOUNCE": "1500ms", "SSE_HEARTBEAT": "1s"})
    shop = Shop(srv)
    cs = [shop.customer(1, p) for p in ("200000.00", "500000.00", "1500000.00", "3000000.00")]
    with SseStream(srv, "/segments/stream", token=shop.admin) as s:
        wait_segment_event(s, 4.0)  # the snapshot is now published
    shop.book(cs[0], "3000000.00")
    current = shop.segments().json()
    assert by_user(current)[cs[0].id]["frequency"] == 2
    with SseStream(srv, "/segments/stream", token=shop.admin) as s:
        first = wait_segment_event(s, 3.0)
        assert first["data"] == current, (
            "the snapshot sent on connect is the one published before the last write "
            f"(stale until SEGMENT_DEBOUNCE passes): {by_user(first['data'])[cs[0].id]} vs "
            f"GET {by_user(current)[cs[0].id]}")


def test_segments_stream_without_changes_sends_nothing_new(start_server):
    srv = start_server(FAST)
    shop = Shop(srv)
    cs = [shop.customer(1, p) for p in ("200000.00", "500000.00", "1500000.00", "3000000.00")]
    with SseStream(srv, "/segments/stream", token=shop.admin) as s:
        first = wait_segment_event(s, 3.0)
        # A GET does not publish; a status change that leaves the segments as they were
        # publishes nothing either.
        shop.segments()
        r = srv.patch(f"/bookings/{cs[0].bookings[0]['id']}", shop.admin,
                      json={"status": "confirmed"})
        assert r.status_code == 200, r.text
        items = s.collect(1.2)
        assert [it for it in items if it["kind"] == "event"] == []
        assert any(it["kind"] == "comment" for it in items)  # heartbeats (SSE_HEARTBEAT=1s)
        assert first["data"] == shop.segments().json()


# -- demo data --------------------------------------------------------------------------------------
def test_demo_segments(start_server, tmp_path):
    offline = JanjiServer(FAST, tmpdir=tmp_path)  # same tmpdir, same database as srv below
    seeded = offline.run_cli("seed-demo", "--database", offline.db_url, timeout=120)
    assert seeded.returncode == 0, seeded.stdout + seeded.stderr
    srv = start_server(FAST, tmpdir=tmp_path)
    assert srv.db_url == offline.db_url
    admin = srv.admin_login()
    r = srv.get("/segments/", admin)
    assert r.status_code == 200, r.text
    items = strict_json(r)
    check_items(items)
    assert len(items) == 149
    assert {it["customer_segment"] for it in items} == set(NAMES.values())
    assert srv.get("/segments/", admin).content == r.content

    # frequency / monetary / recency agree with the bookings themselves.
    bookings = srv.get("/bookings/", admin).json()
    now = utcnow()
    per_user = {}
    for b in bookings:
        if b["status"] == "cancelled":
            continue
        u = per_user.setdefault(b["user_id"], {"n": 0, "m": Decimal(0), "last": None})
        u["n"] += 1
        u["m"] += Decimal(b["price_locked"])
        t = datetime.fromisoformat(b["tanggal_booking"])
        u["last"] = t if u["last"] is None else max(u["last"], t)
    assert set(per_user) == {it["user_id"] for it in items}
    for it in items:
        u = per_user[it["user_id"]]
        assert it["frequency"] == u["n"], it
        assert Decimal(it["monetary"]) == u["m"], it
        days = (now - u["last"]).total_seconds() / 86400
        allowed = {math.floor(days), math.floor(days - 600 / 86400)}  # computed a bit earlier
        assert it["recency"] in allowed, (it, u["last"], days)

    with SseStream(srv, "/segments/stream", token=admin) as s:
        ev = wait_segment_event(s, 5.0)
        assert ev["data"] == items
