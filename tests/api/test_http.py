"""HTTP-level behaviour: routing, headers, CORS, keep-alive, shutdown."""

import http.client
import json
import socket
import time

import pytest
import requests

from conftest import HEALTH_OK, assert_detail, raw_exchange

JSON_CT = "application/json; charset=utf-8"


def test_health_answers_ok(server):
    r = server.get("/health")
    assert r.status_code == 200
    assert r.json() == HEALTH_OK
    assert r.headers["Content-Type"] == JSON_CT


@pytest.mark.parametrize("path,auth", [
    ("/health", None),
    ("/openapi.json", None),
    ("/services/packages", None),
    ("/auth/me", "customer"),
    ("/bookings/me", "customer"),
    ("/bookings", "admin"),
])
def test_every_get_route_answers_with_and_without_trailing_slash(server, customer, admin_token,
                                                                  path, auth):
    token = {"customer": customer.token, "admin": admin_token, None: None}[auth]
    plain = server.get(path, token)
    slashed = server.get(path + "/", token)
    assert plain.status_code == 200, plain.text
    assert slashed.status_code == 200, slashed.text
    assert "Location" not in slashed.headers
    assert plain.json() == slashed.json()


def test_item_routes_answer_with_trailing_slash(server, admin_token, customer, service_type,
                                                make_catalogue):
    pid = service_type["package_id"]
    assert server.get(f"/services/packages/{pid}/").status_code == 200
    r = server.post("/bookings/", customer.token,
                    json={"service_type_id": service_type["type_id"],
                          "tanggal_acara": "2099-01-01T10:00:00", "jumlah_client": 1})
    assert r.status_code == 201, r.text
    bid = r.json()["id"]
    assert server.get(f"/bookings/{bid}/", customer.token).status_code == 200
    r = server.patch(f"/bookings/{bid}/", admin_token, json={"status": "confirmed"})
    assert r.status_code == 200, r.text
    r = server.patch(f"/services/packages/{pid}/", admin_token, json={"description": "slash"})
    assert r.status_code == 200, r.text
    # POST with a trailing slash on a route declared without one.
    r = server.post("/auth/login/", data={"username": customer.email,
                                          "password": customer.password})
    assert r.status_code == 200, r.text
    tmp = make_catalogue("1000.00")
    r = server.delete(f"/services/packages/{tmp['package_id']}/", admin_token)
    assert r.status_code == 204, r.text


def test_responses_are_json_utf8_including_errors(server, customer):
    for r in (server.get("/health"), server.get("/nope"), server.delete("/health"),
              server.get("/auth/me"), server.get("/auth/me", customer.token),
              server.post("/auth/register", json={})):
        assert r.headers.get("Content-Type") == JSON_CT, (r.request.url, r.headers)


def test_request_id_is_generated_when_absent(server):
    r1, r2 = server.get("/health"), server.get("/health")
    assert r1.headers.get("X-Request-Id")
    assert r2.headers.get("X-Request-Id")
    assert r1.headers["X-Request-Id"] != r2.headers["X-Request-Id"]


@pytest.mark.parametrize("rid", ["abc-123_X.y", "a" * 128, "0"])
def test_valid_request_id_is_echoed(server, rid):
    r = server.get("/health", headers={"X-Request-Id": rid})
    assert r.headers["X-Request-Id"] == rid


@pytest.mark.parametrize("rid", ["a" * 129, "has space", "semi;colon", "slash/x", "ü"])
def test_invalid_request_id_is_replaced(server, rid):
    r = server.get("/health", headers={"X-Request-Id": rid.encode("utf-8")})
    assert r.status_code == 200
    got = r.headers.get("X-Request-Id")
    assert got and got != rid
    assert len(got) <= 128
    assert all(c.isalnum() or c in "-_." for c in got)


def test_request_id_is_on_error_responses(server):
    r = server.get("/no/such/path", headers={"X-Request-Id": "trace-404"})
    assert r.headers["X-Request-Id"] == "trace-404"


@pytest.mark.parametrize("path", ["/nope", "/bookings/1/extra", "/services", "/auth"])
def test_unknown_path_is_404_not_found(server, path):
    assert_detail(server.get(path), 404, "Not Found")


def test_wrong_method_is_405_with_allow_header(server):
    r = server.delete("/health")
    assert_detail(r, 405, "Method Not Allowed")
    assert r.headers["Allow"] == "GET"
    r = server.request("PUT", "/bookings/")
    assert_detail(r, 405, "Method Not Allowed")
    allowed = {m.strip() for m in r.headers["Allow"].split(",")}
    assert {"GET", "POST"} <= allowed
    r = server.post("/auth/me")
    assert r.status_code == 405
    assert {"GET", "PATCH"} <= {m.strip() for m in r.headers["Allow"].split(",")}


def test_cors_wildcard_allows_any_origin(server):
    r = server.get("/health", headers={"Origin": "http://x.test"})
    assert r.status_code == 200
    assert r.headers.get("Access-Control-Allow-Origin") == "*"


def test_no_cors_headers_without_origin(server):
    r = server.get("/health")
    assert "Access-Control-Allow-Origin" not in r.headers


def test_cors_preflight_allows_method_and_requested_headers(server):
    r = server.request("OPTIONS", "/bookings/", headers={
        "Origin": "http://x.test",
        "Access-Control-Request-Method": "POST",
        "Access-Control-Request-Headers": "authorization,content-type",
    })
    assert r.status_code == 200, r.text
    methods = {m.strip() for m in r.headers["Access-Control-Allow-Methods"].split(",")}
    assert "POST" in methods
    allowed = {h.strip().lower() for h in r.headers["Access-Control-Allow-Headers"].split(",")}
    assert {"authorization", "content-type"} <= allowed
    assert r.headers.get("Access-Control-Allow-Origin") == "*"


def test_cors_explicit_origin_list(start_server):
    srv = start_server({"CORS_ORIGINS": "http://good.test"})
    r = srv.get("/health", headers={"Origin": "http://good.test"})
    assert r.status_code == 200
    assert r.headers.get("Access-Control-Allow-Origin") == "http://good.test"
    assert "Origin" in [v.strip() for v in r.headers.get("Vary", "").split(",")]

    r = srv.get("/health", headers={"Origin": "http://evil.test"})
    assert r.status_code == 200
    assert r.headers.get("Access-Control-Allow-Origin") in (None, "")

    pre = {"Access-Control-Request-Method": "POST",
           "Access-Control-Request-Headers": "authorization,content-type"}
    r = srv.request("OPTIONS", "/bookings/", headers={"Origin": "http://good.test", **pre})
    assert r.status_code == 200
    assert r.headers.get("Access-Control-Allow-Origin") == "http://good.test"
    r = srv.request("OPTIONS", "/bookings/", headers={"Origin": "http://evil.test", **pre})
    assert r.status_code == 400
    assert r.headers.get("Access-Control-Allow-Origin") in (None, "")


def test_keep_alive_serves_two_requests_on_one_connection(server):
    conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=10)
    try:
        conn.request("GET", "/health")
        r1 = conn.getresponse()
        assert r1.status == 200 and json.loads(r1.read()) == HEALTH_OK
        sock = conn.sock
        assert sock is not None, "server closed a keep-alive connection"
        conn.request("GET", "/services/packages")
        r2 = conn.getresponse()
        assert r2.status == 200
        json.loads(r2.read())
        assert conn.sock is sock, "second request needed a new connection"
    finally:
        conn.close()
    with requests.Session() as s:
        assert server.get("/health", session=s).status_code == 200
        assert server.get("/health", session=s).status_code == 200


def test_content_type_is_tolerated_on_bodyless_requests(server, customer):
    r = server.get("/auth/me", customer.token, headers={"Content-Type": "application/json"})
    assert r.status_code == 200, r.text
    r = server.get("/services/packages", headers={"Content-Type": "text/plain"})
    assert r.status_code == 200, r.text


def test_sigterm_exits_zero_and_stops_accepting(start_server):
    srv = start_server()
    assert srv.get("/health").status_code == 200
    code = srv.stop()
    assert code == 0, srv.log()
    with pytest.raises(OSError):
        socket.create_connection(("127.0.0.1", srv.port), timeout=2).close()


def test_sigterm_closes_idle_keep_alive_connections_promptly(start_server):
    srv = start_server()
    conn = http.client.HTTPConnection("127.0.0.1", srv.port, timeout=10)
    conn.request("GET", "/health")
    assert conn.getresponse().read()
    # The connection is now idle in keep-alive; draining must not wait for it to time out.
    t0 = time.monotonic()
    code = srv.stop()
    elapsed = time.monotonic() - t0
    conn.close()
    assert code == 0, srv.log()
    assert elapsed < 10, f"drain took {elapsed:.1f}s with one idle connection"


def test_pipelined_requests_get_two_responses_in_order(server):
    resp = raw_exchange(server.port,
                b"GET /health HTTP/1.1\r\nHost: x\r\n\r\n"
                b"GET /nope HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
    first = resp.find(b"HTTP/1.1 200")
    second = resp.find(b"HTTP/1.1 404")
    assert 0 <= first < second, resp[:500]


def test_http_1_0_request_is_answered_and_closed(server):
    resp = raw_exchange(server.port, b"GET /health HTTP/1.0\r\n\r\n")
    assert resp.startswith(b"HTTP/1.0 200") or resp.startswith(b"HTTP/1.1 200"), resp[:200]
    body = resp.partition(b"\r\n\r\n")[2]
    assert json.loads(body) == HEALTH_OK, resp[:500]


def test_expect_100_continue_is_honoured(server):
    body = json.dumps({"name": "Cont", "email": f"cont-{time.time_ns()}@example.test",
                       "password": "secret1"}).encode()
    head = (b"POST /auth/register HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
            b"Expect: 100-continue\r\nConnection: close\r\nContent-Length: " +
            str(len(body)).encode() + b"\r\n\r\n")
    with socket.create_connection(("127.0.0.1", server.port), timeout=5) as s:
        s.sendall(head)
        interim = s.recv(4096)
        assert interim.startswith(b"HTTP/1.1 100"), interim
        s.sendall(body)
        rest = b""
        while True:
            data = s.recv(65536)
            if not data:
                break
            rest += data
    assert rest.startswith(b"HTTP/1.1 201") or b"HTTP/1.1 201" in interim + rest, rest[:300]


def test_chunked_request_body_is_accepted(server):
    body = json.dumps({"name": "Chunky", "email": f"chunk-{time.time_ns()}@example.test",
                       "password": "secret1"}).encode()

    def gen():
        yield body[:10]
        yield body[10:]

    r = server.post("/auth/register", data=gen(), headers={"Content-Type": "application/json"})
    assert r.status_code == 201, r.text


def test_overlong_request_target_is_rejected_not_crashed(server):
    resp = raw_exchange(server.port, b"GET /health?x=" + b"a" * 20000 +
                b" HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
    assert resp[:12] in (b"HTTP/1.1 431", b"HTTP/1.1 414"), resp[:200]
    assert server.get("/health").status_code == 200


def test_cors_headers_are_present_on_error_responses(server):
    r = server.get("/auth/me", headers={"Origin": "http://x.test"})
    assert r.status_code == 401
    assert r.headers.get("Access-Control-Allow-Origin") == "*"
    r = server.get("/nope", headers={"Origin": "http://x.test"})
    assert r.status_code == 404
    assert r.headers.get("Access-Control-Allow-Origin") == "*"


def test_unknown_query_parameters_are_ignored(server, admin_token):
    assert server.get("/health", params={"foo": "bar"}).status_code == 200
    assert server.get("/bookings/", admin_token, params={"foo": "bar"}).status_code == 200
