"""Request size and time limits, and login rate limiting."""

import json
import socket
import time
import uuid

import pytest

from conftest import assert_detail, raw_exchange


def _big_json(size):
    body = json.dumps({"name": "x", "email": "big@example.test", "password": "secret1",
                       "address": ""})
    pad = size - len(body)
    return json.dumps({"name": "x", "email": "big@example.test", "password": "secret1",
                       "address": "a" * pad}).encode()


def test_body_larger_than_max_body_bytes_is_413(start_server):
    srv = start_server({"MAX_BODY_BYTES": "2048"})
    body = _big_json(4096)
    assert len(body) == 4096
    r = srv.post("/auth/register", data=body, headers={"Content-Type": "application/json"})
    assert r.status_code == 413, r.text
    # A body under the limit still works on the same server.
    r = srv.post("/auth/register", json={"name": "ok", "email": f"{uuid.uuid4().hex}@ok.test",
                                         "password": "secret1"})
    assert r.status_code == 201, r.text


def test_chunked_body_larger_than_max_body_bytes_is_413(start_server):
    srv = start_server({"MAX_BODY_BYTES": "2048"})
    body = _big_json(4096)

    def chunks():
        for i in range(0, len(body), 512):
            yield body[i:i + 512]

    r = srv.post("/auth/register", data=chunks(), headers={"Content-Type": "application/json"})
    assert r.status_code == 413, r.text


def test_slow_header_is_dropped_after_header_timeout(start_server):
    srv = start_server({"HEADER_TIMEOUT": "1s"})
    opened = time.monotonic()
    with socket.create_connection(("127.0.0.1", srv.port), timeout=10) as s:
        s.sendall(b"GET /health HTTP/1.1\r\n")
        # Block until the server closes the connection (or a generous 10 s pass), and time it.
        s.settimeout(10)
        try:
            data = s.recv(4096)
        except ConnectionResetError:
            data = b""
        except socket.timeout:
            pytest.fail("server kept a trickling client open 10 s, past HEADER_TIMEOUT=1s")
        elapsed = time.monotonic() - opened
        assert data == b"", f"expected the connection to be closed, got {data!r}"
        assert 1.0 <= elapsed < 4.5, f"closed {elapsed:.2f}s after connecting; HEADER_TIMEOUT=1s"


def test_oversized_header_is_431(server):
    req = (b"GET /health HTTP/1.1\r\nHost: x\r\nX-Big: " + b"a" * (17 * 1024) +
           b"\r\nConnection: close\r\n\r\n")
    resp = raw_exchange(server.port, req)
    assert resp.startswith(b"HTTP/1.1 431"), resp[:200]
    # The server is still healthy afterwards.
    assert server.get("/health").status_code == 200


def test_malformed_request_line_is_400_not_a_crash(server):
    resp = raw_exchange(server.port, b"GARBAGE\r\n\r\n")
    assert resp == b"" or resp.startswith(b"HTTP/1.1 400"), resp[:200]
    assert server.get("/health").status_code == 200


def _fail_login(srv, email):
    return srv.post("/auth/login", data={"username": email, "password": "wrong-password"})


def test_login_failures_per_email_are_limited(start_server):
    srv = start_server({"LOGIN_MAX_FAILURES_PER_EMAIL": "3"})
    victim = srv.register(name="Victim")
    bystander = srv.register(name="Bystander")
    for _ in range(3):
        assert_detail(_fail_login(srv, victim.email), 401, "Incorrect email or password")
    r = srv.post("/auth/login", data={"username": victim.email, "password": victim.password})
    assert r.status_code == 429, r.text
    retry = r.headers.get("Retry-After")
    assert retry is not None and retry.isdigit() and int(retry) >= 1, r.headers
    assert isinstance(r.json()["detail"], str)
    # Another account is unaffected.
    r = srv.post("/auth/login", data={"username": bystander.email,
                                      "password": bystander.password})
    assert r.status_code == 200, r.text


def test_login_failures_per_address_are_limited(start_server):
    srv = start_server({"LOGIN_MAX_FAILURES_PER_ADDRESS": "4",
                        "LOGIN_MAX_FAILURES_PER_EMAIL": "100"})
    for i in range(4):
        r = _fail_login(srv, f"nobody{i}-{uuid.uuid4().hex[:6]}@example.test")
        assert r.status_code == 401, r.text
    r = _fail_login(srv, f"nobody-last-{uuid.uuid4().hex[:6]}@example.test")
    assert r.status_code == 429, r.text
    retry = r.headers.get("Retry-After")
    assert retry is not None and retry.isdigit() and int(retry) >= 1, r.headers
