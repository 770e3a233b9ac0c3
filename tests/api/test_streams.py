"""Live streams (SSE): /bookings/stream and /segments/stream — access, framing, events,
Last-Event-ID replay, heartbeats, background re-scoring, disconnects and shutdown."""

import json
import socket
import subprocess
import time
import uuid
from datetime import datetime, timedelta, timezone

import pytest
import requests

from conftest import (JANJI_BIN, JanjiServer, SseStream, base_env, sanitizer_report,
                      wait_until)

STREAMS = ("/bookings/stream", "/segments/stream")


def utcnow():
    return datetime.now(timezone.utc).replace(tzinfo=None)


def iso(dt):
    return dt.strftime("%Y-%m-%dT%H:%M:%S")


def book(srv, token, type_id, when=None, clients=1, headers=None):
    body = {"service_type_id": type_id,
            "tanggal_acara": when or iso(utcnow() + timedelta(days=30, hours=6)),
            "jumlah_client": clients}
    r = srv.post("/bookings/", token, json=body, headers=headers)
    assert r.status_code == 201, r.text
    return r


def make_type(srv, admin, price="1500000.00"):
    r = srv.post("/services/packages", admin,
                 json={"name": f"Pkg {uuid.uuid4().hex[:10]}", "description": "sse test"})
    assert r.status_code == 201, r.text
    r = srv.post("/services/types", admin,
                 json={"package_id": r.json()["id"], "name": f"Type {uuid.uuid4().hex[:8]}",
                       "description": "sse test type", "price": price})
    assert r.status_code == 201, r.text
    return r.json()["service_types"][-1]["id"]


def assert_exact_frame(ev):
    """`id: N` + `data: {"type": "...", "data": "<JSON string>"}` written as Python's
    json.dumps writes it; the inner string is compact JSON."""
    assert ev["kind"] == "event", ev
    assert ev["lines"][0] == f"id: {ev['id']}", ev["raw"]
    assert set(ev["envelope"]) == {"type", "data"}, ev["raw"]
    assert list(ev["envelope"]) == ["type", "data"], ev["raw"]
    assert isinstance(ev["data_text"], str), ev["raw"]
    expected = "data: " + json.dumps({"type": ev["type"], "data": ev["data_text"]},
                                     ensure_ascii=False)
    assert ev["lines"][1] == expected, (ev["lines"][1], expected)
    compact = json.dumps(json.loads(ev["data_text"]), separators=(",", ":"), ensure_ascii=False)
    assert ev["data_text"] == compact, ev["data_text"]


def events_of(stream, n, timeout=5.0, types=None):
    out = []
    deadline = time.monotonic() + timeout
    while len(out) < n:
        ev = stream.next_event(deadline - time.monotonic(), types=types)
        assert ev is not None, f"only {len(out)} of {n} events within {timeout}s: {out}"
        out.append(ev)
    return out


def event_for(stream, booking_id, type_, timeout=5.0):
    """The next event of `type_` about booking `booking_id` (other events are skipped)."""
    deadline = time.monotonic() + timeout
    while True:
        ev = stream.next_event(deadline - time.monotonic(), types={type_})
        assert ev is not None, f"no {type_} for booking {booking_id} within {timeout}s"
        if ev["data"]["id"] == booking_id:
            return ev


@pytest.fixture(scope="module")
def stream_type(server, admin_token):
    return make_type(server, admin_token, "1500000.00")


@pytest.fixture(scope="module")
def tuned():
    """A server with a 1 s heartbeat, a 1 s re-score interval and a replay depth of 2."""
    s = JanjiServer({"SSE_HEARTBEAT": "1s", "PRIORITY_RESCORE_INTERVAL": "1s",
                     "SSE_REPLAY": "2", "SSE_MAX_BACKLOG": "64",
                     "SEGMENT_DEBOUNCE": "200ms"}).start()
    s.admin = s.admin_login()
    s.type_id = make_type(s, s.admin, "1500000.00")
    yield s
    try:
        s.assert_stopped_cleanly()
    finally:
        s.cleanup()


# -- access ------------------------------------------------------------------------------------
@pytest.mark.parametrize("path", STREAMS)
def test_stream_without_token_is_401(server, path):
    with SseStream(server, path) as s:
        assert s.status == 401, s.status_line
        assert s.headers.get("www-authenticate") == "Bearer", s.headers
        assert s.headers.get("content-type", "").startswith("application/json"), s.headers
        body = s.json()
        assert set(body) == {"detail"} and isinstance(body["detail"], str), body


@pytest.mark.parametrize("path", STREAMS)
def test_stream_with_bad_token_is_401(server, path):
    bogus = server.make_token(1, secret="not-the-secret")
    for kw in ({"token": bogus}, {"query_token": bogus}, {"query_token": "garbage"}):
        with SseStream(server, path, **kw) as s:
            assert s.status == 401, (kw, s.status_line)
            assert s.headers.get("www-authenticate") == "Bearer"
            assert "detail" in s.json()


@pytest.mark.parametrize("path", STREAMS)
def test_stream_customer_is_403(server, customer, path):
    for kw in ({"token": customer.token}, {"query_token": customer.token}):
        with SseStream(server, path, **kw) as s:
            assert s.status == 403, (kw, s.status_line)
            assert s.json() == {"detail": "Not enough permissions"}


@pytest.mark.parametrize("path", STREAMS)
@pytest.mark.parametrize("how", ["header", "query"])
def test_stream_admin_ok_headers_and_preamble(server, admin_token, path, how):
    kw = {"token": admin_token} if how == "header" else {"query_token": admin_token}
    with SseStream(server, path, **kw) as s:
        assert s.status == 200, s.status_line
        assert s.headers.get("content-type") == "text/event-stream; charset=utf-8", s.headers
        assert s.chunked, s.headers
        assert "content-length" not in s.headers
        assert "no-cache" in s.headers.get("cache-control", ""), s.headers
        first = s.next(5)
        assert first is not None and first["kind"] == "retry", first
        assert first["raw"] == "retry: 3000"
        assert bytes(s.raw_body).startswith(b"retry: 3000\n\n"), bytes(s.raw_body[:40])


def test_stream_trailing_slash_pair(server, admin_token):
    with SseStream(server, "/bookings/stream/", token=admin_token) as s:
        assert s.status == 200, s.status_line
        assert s.headers.get("content-type") == "text/event-stream; charset=utf-8"


def test_openapi_lists_streams(server):
    paths = server.get("/openapi.json").json()["paths"]
    for p in STREAMS:
        assert p in paths or p + "/" in paths, sorted(paths)


# -- booking events ------------------------------------------------------------------------------
def test_booking_created_reaches_subscriber_quickly(server, admin_token, stream_type):
    c = server.new_customer(name='Siti "Nur" Ñandú / \\ test')
    with SseStream(server, "/bookings/stream", token=admin_token) as s:
        assert s.status == 200
        assert s.next(5)["kind"] == "retry"
        r = book(server, c.token, stream_type)
        returned = time.monotonic()
        created = r.json()
        ev = event_for(s, created["id"], "booking_created", timeout=5)
        assert ev["t"] - returned < 1.0, f"booking_created arrived {ev['t'] - returned:.3f}s late"
        assert ev["data"] == created
        assert_exact_frame(ev)


def test_booking_updated_payload_is_patch_response(server, admin_token, customer, stream_type):
    created = book(server, customer.token, stream_type).json()
    with SseStream(server, "/bookings/stream", token=admin_token) as s:
        assert s.next(5)["kind"] == "retry"
        r = server.patch(f"/bookings/{created['id']}", admin_token, json={"status": "paid"})
        assert r.status_code == 200, r.text
        ev = event_for(s, created["id"], "booking_updated")
        assert ev["data"] == r.json()
        assert ev["data"]["status"] == "paid"
        assert_exact_frame(ev)
        r2 = server.patch(f"/bookings/{created['id']}", admin_token, json={"status": "cancelled"})
        ev2 = event_for(s, created["id"], "booking_updated")
        assert ev2["data"] == r2.json()
        assert ev2["id"] > ev["id"]


def test_event_ids_strictly_increase_and_order_matches(server, admin_token, customer,
                                                       stream_type):
    with SseStream(server, "/bookings/stream", query_token=admin_token) as s:
        assert s.next(5)["kind"] == "retry"
        ids = [book(server, customer.token, stream_type).json()["id"] for _ in range(5)]
        evs = [e for e in events_of(s, 5, types={"booking_created"})]
        assert [e["data"]["id"] for e in evs] == ids
        got = [e["id"] for e in evs]
        assert all(a < b for a, b in zip(got, got[1:])), got
        for e in evs:
            assert_exact_frame(e)
        # Every block in the body is a retry, a heartbeat comment or a two-line event.
        for block in bytes(s.raw_body).decode().split("\n\n"):
            if not block:
                continue
            lines = block.split("\n")
            assert (block == "retry: 3000" or block == ": heartbeat" or
                    (len(lines) == 2 and lines[0].startswith("id: ") and
                     lines[1].startswith("data: "))), repr(block)


def test_every_subscriber_gets_every_event(server, admin_token, customer, stream_type):
    subs = [SseStream(server, "/bookings/stream", token=admin_token),
            SseStream(server, "/bookings/stream", query_token=admin_token),
            SseStream(server, "/bookings/stream/", token=admin_token)]
    try:
        for s in subs:
            assert s.status == 200 and s.next(5)["kind"] == "retry"
        a = book(server, customer.token, stream_type).json()
        upd = server.patch(f"/bookings/{a['id']}", admin_token, json={"status": "dp"}).json()
        seen = []
        for s in subs:
            e1 = event_for(s, a["id"], "booking_created")
            e2 = event_for(s, a["id"], "booking_updated")
            assert (e1["data"], e2["data"]) == (a, upd)
            seen.append((e1["id"], e2["id"], e1["raw"], e2["raw"]))
        assert len(set(seen)) == 1, "subscribers saw different ids or frames for one event"
    finally:
        for s in subs:
            s.close()


def test_idempotent_replay_publishes_nothing(server, admin_token, customer, stream_type):
    key = str(uuid.uuid4())
    when = iso(utcnow() + timedelta(days=40))
    with SseStream(server, "/bookings/stream", token=admin_token) as s:
        assert s.next(5)["kind"] == "retry"
        first = book(server, customer.token, stream_type, when=when,
                     headers={"Idempotency-Key": key}).json()
        again = server.post("/bookings/", customer.token, headers={"Idempotency-Key": key},
                            json={"service_type_id": stream_type, "tanggal_acara": when,
                                  "jumlah_client": 1})
        assert again.status_code in (200, 201), again.text
        assert again.json()["id"] == first["id"]
        marker = book(server, customer.token, stream_type).json()
        evs = events_of(s, 2, types={"booking_created"})
        assert [e["data"]["id"] for e in evs] == [first["id"], marker["id"]], \
            "an Idempotency-Key replay published a second booking_created"
        assert s.next_event(0.5, types={"booking_created"}) is None


# -- Last-Event-ID ---------------------------------------------------------------------------------
def test_last_event_id_replays_exactly_the_missed_events(server, admin_token, customer,
                                                         stream_type):
    with SseStream(server, "/bookings/stream", token=admin_token) as a:
        assert a.next(5)["kind"] == "retry"
        b0 = book(server, customer.token, stream_type).json()
        e1 = event_for(a, b0["id"], "booking_created")
    missed = [book(server, customer.token, stream_type).json() for _ in range(3)]
    with SseStream(server, "/bookings/stream", token=admin_token, last_event_id=e1["id"]) as b:
        assert b.status == 200
        items = b.collect_until(lambda got: sum(it["kind"] == "event" for it in got) >= 3, 10)
        items += b.collect(0.5)  # and nothing after them
        got = [it for it in items if it["kind"] == "event"]
        assert [e["data"]["id"] for e in got] == [m["id"] for m in missed], \
            [(e["type"], e["data"]["id"]) for e in got]
        assert [e["type"] for e in got] == ["booking_created"] * 3
        assert [e["data"] for e in got] == missed
        assert all(e["id"] > e1["id"] for e in got)
        assert all(x["id"] < y["id"] for x, y in zip(got, got[1:]))
        # ...and then continues live, without repeating anything.
        live = book(server, customer.token, stream_type).json()
        ev = b.next_event(5)
        assert ev is not None and ev["data"]["id"] == live["id"], ev
        assert ev["id"] > got[-1]["id"]


def test_last_event_id_of_latest_replays_nothing(server, admin_token, customer, stream_type):
    with SseStream(server, "/bookings/stream", token=admin_token) as a:
        assert a.next(5)["kind"] == "retry"
        b0 = book(server, customer.token, stream_type).json()
        e1 = event_for(a, b0["id"], "booking_created")
        # Nothing else is published in between here, so e1 is the newest event.
        assert a.next_event(0.3) is None
    with SseStream(server, "/bookings/stream", token=admin_token, last_event_id=e1["id"]) as b:
        assert [it for it in b.collect(0.7) if it["kind"] == "event"] == []


@pytest.mark.parametrize("bad", ["abc", "12abc", "-5", ""])
def test_non_numeric_last_event_id_is_ignored(server, admin_token, customer, stream_type, bad):
    # There is something that could be replayed. With REDIS_URL its event goes round Redis
    # after the 201: wait until it was delivered here, so it cannot arrive live below.
    with SseStream(server, "/bookings/stream", token=admin_token) as w:
        assert w.next(5)["kind"] == "retry"  # subscribed
        made = book(server, customer.token, stream_type).json()
        event_for(w, made["id"], "booking_created")
    with SseStream(server, "/bookings/stream", token=admin_token, last_event_id=bad) as s:
        assert s.status == 200
        items = s.collect(0.7)
        assert items and items[0]["kind"] == "retry", items
        assert [it for it in items if it["kind"] == "event"] == [], \
            f"Last-Event-ID {bad!r} replayed events"
        live = book(server, customer.token, stream_type).json()
        ev = s.next_event(5)
        assert ev is not None and ev["data"]["id"] == live["id"]


def test_replay_beyond_sse_replay_comes_from_the_log(tuned):
    # SSE_REPLAY=2 events are kept in memory; a Last-Event-ID further back is read from the
    # event log, so the client still gets every missed event, once, in order.
    c = tuned.new_customer()
    with SseStream(tuned, "/bookings/stream", token=tuned.admin) as a:
        b0 = book(tuned, c.token, tuned.type_id).json()
        e1 = event_for(a, b0["id"], "booking_created")
        missed = [book(tuned, c.token, tuned.type_id).json()["id"] for _ in range(5)]
        for m in missed:  # delivered here, so the memory holds only the last two
            event_for(a, m, "booking_created")
    with SseStream(tuned, "/bookings/stream", token=tuned.admin, last_event_id=e1["id"]) as b:
        items = b.collect_until(lambda got: sum(it["kind"] == "event" for it in got) >= 5, 10)
        items += b.collect(0.5)  # and nothing after them
        events = [it for it in items if it["kind"] == "event"]
        got = [it["data"]["id"] for it in events if it["type"] == "booking_created"]
        assert got == missed, f"SSE_REPLAY=2 and replayed {got} of {missed}"
        assert [int(it["id"]) for it in events] == sorted(int(it["id"]) for it in events)


def test_max_backlog_must_exceed_replay(tmp_path):
    env = base_env(tmp_path, "k" * 64, "adm-password-123",
                   {"SSE_REPLAY": "100", "SSE_MAX_BACKLOG": "100"})
    port = str(_free_port())
    p = subprocess.run([JANJI_BIN, "serve", "--host", "127.0.0.1", "--port", port], env=env,
                       capture_output=True, text=True, timeout=30)
    out = p.stdout + p.stderr
    assert p.returncode != 0, out
    assert "SSE_MAX_BACKLOG" in out, out
    assert not sanitizer_report(out), out


def _free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


# -- heartbeats ----------------------------------------------------------------------------------
def test_heartbeat_comments_when_idle(tuned):
    streams = [SseStream(tuned, p, token=tuned.admin) for p in STREAMS]
    try:
        for s, path in zip(streams, STREAMS):
            # Each item carries its arrival time, so the gaps are measured, not guessed: wait
            # (generously) for two heartbeats, then check when they came (SSE_HEARTBEAT=1s).
            items = s.collect_until(
                lambda got: sum(it["kind"] == "comment" for it in got) >= 2, timeout=15)
            beats = [it for it in items if it["kind"] == "comment"]
            assert len(beats) >= 2, (path, items)
            for b in beats:
                assert b["raw"] == ": heartbeat", b["raw"]
            assert items[0]["kind"] == "retry"
            assert b": heartbeat\n\n" in bytes(s.raw_body)
            first = beats[0]["t"] - items[0]["t"]
            assert first < 2.0, f"{path}: first heartbeat {first:.2f}s after subscribing"
            gaps = [y["t"] - x["t"] for x, y in zip(beats, beats[1:])]
            assert all(0.5 < g < 2.0 for g in gaps), (path, gaps)
    finally:
        for s in streams:
            s.close()


# -- background re-scoring ------------------------------------------------------------------------
def delivered_everything(srv):
    """Whether srv delivered every logged event to its streams (its /metrics say no lag)."""
    text = srv.get("/metrics", srv.admin).text
    return "\njanji_event_log_lag_events 0\n" in text


def test_background_rescore_publishes_booking_updated(tuned):
    c = tuned.new_customer()
    when = iso(utcnow() + timedelta(days=3, seconds=4))
    # The same crossing for a cancelled booking: the job skips it.
    skipped = book(tuned, c.token, tuned.type_id, when=when).json()
    r = tuned.patch(f"/bookings/{skipped['id']}", tuned.admin, json={"status": "cancelled"})
    assert r.status_code == 200, r.text
    skipped = r.json()
    # The stream opens once the cancellation's own event went out: it is not the job's.
    wait_until(lambda: delivered_everything(tuned), message="the event log delivered")
    with SseStream(tuned, "/bookings/stream", token=tuned.admin) as s:
        created = book(tuned, c.token, tuned.type_id, when=when).json()
        assert created["urgency_level"] == "soon", created
        assert skipped["urgency_level"] == "soon", skipped
        seen = []
        deadline = time.monotonic() + 12
        while not any(e["type"] == "booking_updated" and e["data"]["id"] == created["id"]
                      for e in seen):
            e = s.next_event(deadline - time.monotonic())
            assert e is not None, f"no booking_updated from the re-score job within 12s: {seen}"
            seen.append(e)
        assert not [e for e in seen if e["data"]["id"] == skipped["id"]], \
            "the re-score job published a cancelled booking"
        ev = seen[-1]
        got = ev["data"]
        assert got["urgency_level"] == "urgent", got
        assert got["priority_score"] == created["priority_score"] + 15, (created, got)
        assert got["status"] == created["status"]
        assert_exact_frame(ev)
        stored = tuned.get(f"/bookings/{created['id']}", tuned.admin).json()
        assert stored == got
        # Once re-scored, the job has nothing new to say about it; never about the other.
        for it in s.collect(2.2):
            if it["kind"] == "event":
                assert it["data"]["id"] not in (created["id"], skipped["id"]), it
    assert tuned.get(f"/bookings/{skipped['id']}", tuned.admin).json() == skipped


# -- disconnects and shutdown -----------------------------------------------------------------------
def test_many_streams_opened_and_closed(server, admin_token, customer, stream_type):
    for i in range(50):
        path = STREAMS[i % 2]
        if i % 3 == 0:
            # Hang up right after sending the request.
            with socket.create_connection(("127.0.0.1", server.port), timeout=5) as sock:
                sock.sendall(f"GET {path} HTTP/1.1\r\nHost: x\r\n"
                             f"Authorization: Bearer {admin_token}\r\n\r\n".encode())
        else:
            with SseStream(server, path, token=admin_token) as s:
                assert s.status == 200
                if i % 3 == 1:
                    assert s.next(5)["kind"] == "retry"
    book(server, customer.token, stream_type)  # publish to whatever is left subscribed
    assert server.get("/health", timeout=5).status_code == 200
    with SseStream(server, "/bookings/stream", token=admin_token) as s:
        created = book(server, customer.token, stream_type).json()
        ev = event_for(s, created["id"], "booking_created")
        assert ev["data"] == created
    assert server.get("/health", timeout=5).status_code == 200


def test_requests_stream_reader(server, admin_token, customer, stream_type):
    """The same stream read with requests (stream=True), as a Python client would."""
    with requests.get(server.url + "/bookings/stream", stream=True, timeout=5,
                      headers={"Authorization": f"Bearer {admin_token}"}) as r:
        assert r.status_code == 200
        assert r.headers["Content-Type"] == "text/event-stream; charset=utf-8"
        assert r.headers.get("Transfer-Encoding") == "chunked"
        lines = r.iter_lines(decode_unicode=True)
        assert next(lines) == "retry: 3000"
        assert next(lines) == ""
        created = book(server, customer.token, stream_type).json()
        while True:
            line = next(lines)
            if line.startswith("id: "):
                data = next(lines)
                assert next(lines) == ""
                env = json.loads(data[len("data: "):])
                if env["type"] == "booking_created" and json.loads(env["data"])["id"] == \
                        created["id"]:
                    assert json.loads(env["data"]) == created
                    break


def test_sigterm_ends_open_streams(start_server):
    srv = start_server({"SEGMENT_DEBOUNCE": "200ms"})
    admin = srv.admin_login()
    streams = [SseStream(srv, "/bookings/stream", token=admin),
               SseStream(srv, "/segments/stream", query_token=admin)]
    try:
        for s in streams:
            assert s.status == 200
            assert s.next(5)["kind"] == "retry"
        t0 = time.monotonic()
        code = srv.stop()
        took = time.monotonic() - t0
        assert code == 0, f"exit {code!r} after SIGTERM with open streams:\n{srv.log()}"
        assert took < 5.0, f"SIGTERM with open streams took {took:.1f}s"
        for s in streams:
            assert s.wait_eof(2.0), "the stream did not end at shutdown"
    finally:
        for s in streams:
            s.close()


def test_events_past_event_retention_are_pruned_and_ids_go_on(start_server):
    # EVENT_RETENTION=1s, pruned every 200 ms: the oldest events go, the newest stay, and the
    # ids go on from the highest ever given, so a Last-Event-ID never names a newer event.
    s = start_server({"EVENT_RETENTION": "1s", "EVENT_PRUNE_INTERVAL": "200ms"})
    admin = s.admin_login()
    type_id = make_type(s, admin, "1500000.00")
    c = s.new_customer()
    book(s, c.token, type_id)
    oldest = int(s.sql("SELECT MAX(id) FROM events")[0][0])
    made = []

    def oldest_gone():
        made.append(book(s, c.token, type_id).json()["id"])  # one more, while waiting
        return s.sql(f"SELECT COUNT(*) FROM events WHERE id <= {oldest}") == [("0",)]

    wait_until(oldest_gone, timeout=15, interval=0.1, message=f"event {oldest} pruned")
    newest = s.sql("SELECT id, data FROM events WHERE type = 'booking_created' "
                   "ORDER BY id DESC LIMIT 1")
    assert newest and json.loads(newest[0][1])["id"] == made[-1], (newest, made[-1])
    assert int(newest[0][0]) > oldest
    # Everything pruned, then a new event: its id is still above every earlier one.
    wait_until(lambda: s.sql("SELECT COUNT(*) FROM events") == [("0",)], timeout=15,
               message="every event pruned")
    after = book(s, c.token, type_id).json()["id"]
    last = s.sql("SELECT id, data FROM events WHERE type = 'booking_created'")
    assert len(last) == 1 and json.loads(last[0][1])["id"] == after, last
    assert int(last[0][0]) > int(newest[0][0])
