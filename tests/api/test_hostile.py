"""Hostile clients: slowloris, thousands of idle keep-alive connections, oversized and deeply
nested input, bytes that are not UTF-8, and request smuggling. The server must answer each
with a clean error (or close the connection), keep serving everyone else, and never send a
response that is not valid UTF-8 JSON."""

import json
import resource
import selectors
import socket
import threading
import time
import uuid

import pytest

from conftest import raw_exchange, split_response

HEALTH = b"GET /health HTTP/1.1\r\nHost: janji\r\n\r\n"


def responses_in(raw):
    """How many HTTP responses `raw` holds (each starts with a status line)."""
    return raw.count(b"HTTP/1.1 ") + raw.count(b"HTTP/1.0 ")


def strict_body(body):
    """The JSON of a response body, which must be valid UTF-8."""
    return json.loads(body.decode("utf-8", errors="strict"))


def post_raw(port, path, body, content_type=b"application/json", extra=b""):
    return raw_exchange(port, b"POST " + path + b" HTTP/1.1\r\nHost: janji\r\nConnection: close\r\n"
                        b"Content-Type: " + content_type + b"\r\nContent-Length: " +
                        str(len(body)).encode() + b"\r\n" + extra + b"\r\n" + body)


def get_raw(port, target, headers=b""):
    return raw_exchange(port, b"GET " + target + b" HTTP/1.1\r\nHost: janji\r\nConnection: close\r\n"
                        + headers + b"\r\n")


def closed_within(sock, seconds):
    """True when the peer closes `sock` (EOF or reset) within `seconds`, reading what it sends."""
    sock.settimeout(0.2)
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            if sock.recv(4096) == b"":
                return True
        except socket.timeout:
            continue
        except (ConnectionResetError, BrokenPipeError):
            return True
    return False


# -- slowloris -----------------------------------------------------------------------------------
def test_slowloris_clients_trickling_headers_are_closed_and_others_still_served(start_server):
    srv = start_server({"HEADER_TIMEOUT": "2s"})
    trickle = b"GET /health HTTP/1.1\r\nHost: janji\r\n" + b"X-Padding: " + b"a" * 400
    socks = [socket.create_connection(("127.0.0.1", srv.port), timeout=5) for _ in range(100)]
    stop = threading.Event()
    closed = [False] * len(socks)

    def drip():
        # One byte per connection every 100 ms: each stays busy but never finishes a header.
        for i in range(len(trickle)):
            if stop.is_set():
                return
            for k, s in enumerate(socks):
                if closed[k]:
                    continue
                try:
                    s.sendall(trickle[i:i + 1])
                except OSError:
                    closed[k] = True
            time.sleep(0.1)  # the slow drip is the attack itself, not a wait for a state

    dripper = threading.Thread(target=drip)
    dripper.start()
    try:
        # While they trickle, an ordinary client is answered.
        for _ in range(5):
            assert srv.get("/health", timeout=5).status_code == 200
        # Each trickler is cut off once the header timeout passes, though it kept sending.
        for s in socks:
            assert closed_within(s, 15), "a trickling client was kept open past HEADER_TIMEOUT"
    finally:
        stop.set()
        dripper.join()
        for s in socks:
            s.close()
    assert srv.get("/health").status_code == 200


def test_trickled_body_is_dropped_after_the_body_timeout(start_server):
    srv = start_server({"BODY_TIMEOUT": "2s"})
    with socket.create_connection(("127.0.0.1", srv.port), timeout=5) as s:
        s.sendall(b"POST /auth/register HTTP/1.1\r\nHost: janji\r\nContent-Type: application/json"
                  b"\r\nContent-Length: 1000\r\n\r\n{")
        for _ in range(10):  # far too slow to finish 1000 bytes in 2 s
            try:
                s.sendall(b" ")
            except OSError:
                break
            time.sleep(0.2)  # the trickle itself (a stimulus); closed_within() polls below
        assert closed_within(s, 15), "a trickled body was waited on past BODY_TIMEOUT"
    assert srv.get("/health").status_code == 200


# -- many idle connections -----------------------------------------------------------------------
def read_responses(conns, timeout):
    """Reads one full /health response on every socket in `conns` (non-blocking); returns the
    sockets that got one."""
    sel = selectors.DefaultSelector()
    buffers = {}
    for c in conns:
        sel.register(c, selectors.EVENT_READ)
        buffers[c] = b""
    done = []
    deadline = time.monotonic() + timeout
    while buffers and time.monotonic() < deadline:
        for key, _ in sel.select(timeout=0.5):
            c = key.fileobj
            try:
                data = c.recv(4096)
            except BlockingIOError:
                continue
            except OSError:
                data = b""
            if data:
                buffers[c] += data
                head, sep, body = buffers[c].partition(b"\r\n\r\n")
                if sep and len(body) >= int(split_response(head + sep)[1]["content-length"]):
                    done.append(c)
            if not data or c in done:
                sel.unregister(c)
                del buffers[c]
    sel.close()
    return done


def test_ten_thousand_idle_keep_alive_connections_do_not_stop_service(start_server):
    n = 10_000
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if hard < n + 1000:
        pytest.fail(f"this machine allows only {hard} open files; the test needs {n + 1000}")
    resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
    srv = start_server()
    conns = []
    try:
        for _ in range(n):
            c = socket.socket()
            c.settimeout(10)
            c.connect(("127.0.0.1", srv.port))
            c.setblocking(False)
            conns.append(c)
        # Each asks once and is answered, then stays open and idle.
        for c in conns:
            c.send(HEALTH)
        answered = read_responses(conns, timeout=120)
        assert len(answered) == n, f"only {len(answered)} of {n} connections were answered"

        # With all of them held open, a new client is still served, over and over.
        for _ in range(20):
            r = srv.get("/health", timeout=10)
            assert r.status_code == 200
        customer = srv.new_customer()
        assert srv.get("/auth/me", token=customer.token).status_code == 200

        # And the idle connections are still alive: a sample asks again on the same socket.
        sample = conns[:: n // 50]
        for c in sample:
            c.send(HEALTH)
        assert len(read_responses(sample, timeout=30)) == len(sample)
    finally:
        for c in conns:
            c.close()
        resource.setrlimit(resource.RLIMIT_NOFILE, (soft, hard))
    assert srv.get("/health").status_code == 200


# -- oversized input -----------------------------------------------------------------------------
def test_many_headers_adding_up_past_the_limit_are_431(server):
    headers = b"".join(b"X-H%d: %s\r\n" % (i, b"v" * 90) for i in range(400))  # ~40 KB
    resp = raw_exchange(server.port, b"GET /health HTTP/1.1\r\nHost: janji\r\n" + headers + b"\r\n")
    status, _, body = split_response(resp)
    assert status == 431
    assert strict_body(body) == {"detail": "Request header fields too large"}
    assert server.get("/health").status_code == 200


def test_huge_declared_content_length_is_413_without_waiting_for_the_body(server):
    with socket.create_connection(("127.0.0.1", server.port), timeout=10) as s:
        s.sendall(b"POST /auth/register HTTP/1.1\r\nHost: janji\r\nContent-Type: application/json"
                  b"\r\nContent-Length: 1000000000000\r\n\r\n{")
        data = b""
        while b"\r\n\r\n" not in data:
            chunk = s.recv(4096)
            if not chunk:
                break
            data += chunk
    assert data.startswith(b"HTTP/1.1 413"), data[:200]
    assert server.get("/health").status_code == 200


def test_content_length_beyond_64_bits_is_400(server):
    resp = raw_exchange(server.port, b"POST /auth/register HTTP/1.1\r\nHost: janji\r\n"
                        b"Content-Length: 99999999999999999999999999\r\n\r\n{}")
    assert split_response(resp)[0] == 400


# -- deep nesting ----------------------------------------------------------------------------------
@pytest.mark.parametrize("doc", [b"[" * 10_000 + b"]" * 10_000,
                                 b'{"a":' * 10_000 + b"1" + b"}" * 10_000,
                                 b'{"name": ' + b"[" * 10_000 + b"]" * 10_000 +
                                 b', "email": "deep@example.test", "password": "secret1"}'])
def test_json_nested_ten_thousand_deep_is_422_not_a_crash(server, doc):
    status, _, body = split_response(post_raw(server.port, b"/auth/register", doc))
    assert status == 422
    detail = strict_body(body)["detail"]
    assert detail[0]["type"] == "json_invalid" and detail[0]["ctx"]["error"] == "too deep", detail
    assert server.get("/health").status_code == 200


def test_deep_json_on_the_course_surface_is_invalid_json(server):
    status, _, body = split_response(
        post_raw(server.port, b"/api/booking/register-course", b"[" * 10_000 + b"]" * 10_000))
    assert status == 400
    assert strict_body(body)["error"]["code"] == "INVALID_JSON"


# -- bytes that are not UTF-8 --------------------------------------------------------------------
@pytest.mark.parametrize("raw_name", [b"\xff\xfe", b"\xc3(", b"\xed\xa0\x80", b"\xc0\xaf",
                                      b"ok\xf0\x9f\x92"])
def test_json_string_that_is_not_utf8_is_422(server, raw_name):
    body = b'{"name": "' + raw_name + b'", "email": "u8@example.test", "password": "secret1"}'
    status, _, out = split_response(post_raw(server.port, b"/auth/register", body))
    assert status == 422
    assert strict_body(out)["detail"][0]["type"] == "json_invalid"


def test_lone_surrogate_escape_is_422(server):
    body = b'{"name": "\\udc00", "email": "u8@example.test", "password": "secret1"}'
    status, _, out = split_response(post_raw(server.port, b"/auth/register", body))
    assert status == 422
    assert strict_body(out)["detail"][0]["type"] == "json_invalid"


def test_percent_escapes_that_are_not_utf8_become_replacement_characters(server):
    # As the original's framework decodes them: each bad sequence is U+FFFD, so an echo of
    # the input is still valid JSON and nothing downstream sees bytes that are not text.
    status, _, body = split_response(get_raw(server.port, b"/services/packages/%FF%FE"))
    assert status == 422
    detail = strict_body(body)["detail"][0]
    assert detail["loc"] == ["path", "package_id"] and detail["input"] == "\ufffd\ufffd"
    status, _, body = split_response(get_raw(server.port, b"/services/%ED%A0%80/types"))
    assert status == 404
    strict_body(body)
    for target in (b"/services/packages?x=%C3%28", b"/health?%FF=1"):
        status, _, body = split_response(get_raw(server.port, target))
        assert status == 200, target
        strict_body(body)


def test_raw_non_utf8_bytes_in_the_target_are_400(server):
    status, _, body = split_response(get_raw(server.port, b"/services/\xff\xfe"))
    assert status == 400
    strict_body(body)


def test_form_login_with_non_utf8_username_is_refused_on_valid_json(server):
    status, _, body = split_response(post_raw(
        server.port, b"/auth/login", b"username=%FF%FEuser&password=whatever",
        content_type=b"application/x-www-form-urlencoded"))
    assert status == 401
    assert strict_body(body) == {"detail": "Incorrect email or password"}
    status, _, body = split_response(post_raw(
        server.port, b"/auth/login", b"username=%FF%FEuser&password=",
        content_type=b"application/x-www-form-urlencoded"))
    assert status == 422
    strict_body(body)


def test_idempotency_key_that_is_not_utf8_is_422(server, service_type):
    customer = server.new_customer(name="Key Bytes")
    body = json.dumps({"service_type_id": service_type["type_id"],
                       "tanggal_acara": "2031-01-01T10:00:00", "jumlah_client": 1}).encode()
    resp = post_raw(server.port, b"/bookings/", body,
                    extra=b"Authorization: Bearer " + customer.token.encode() +
                    b"\r\nIdempotency-Key: key-\xff\xfe\r\n")
    status, _, out = split_response(resp)
    assert status == 422, out
    detail = strict_body(out)["detail"][0]
    assert detail["type"] == "string_unicode" and detail["loc"] == ["header", "idempotency-key"]
    assert server.get("/bookings/me", token=customer.token).json() == []


def test_non_utf8_request_id_is_replaced(server):
    status, headers, _ = split_response(get_raw(server.port, b"/health", b"X-Request-Id: \xff\xfe\r\n"))
    assert status == 200
    assert headers["x-request-id"].isalnum() and headers["x-request-id"].isascii()


# -- request smuggling ---------------------------------------------------------------------------
SMUGGLED = b"GET /health HTTP/1.1\r\nHost: janji\r\n\r\n"


@pytest.mark.parametrize("framing", [
    # CL.TE and TE.CL: both framings at once.
    b"Content-Length: 6\r\nTransfer-Encoding: chunked\r\n",
    b"Transfer-Encoding: chunked\r\nContent-Length: 6\r\n",
    # Two different lengths, or a length that is not a plain number.
    b"Content-Length: 5\r\nContent-Length: 6\r\n",
    b"Content-Length: +5\r\n",
    b"Content-Length: 0x5\r\n",
    # Transfer-Encoding that is not plainly "chunked".
    b"Transfer-Encoding: identity\r\n",
    b"Transfer-Encoding: xchunked\r\n",
    b"Transfer-Encoding: chunked, identity\r\n",
    b"Transfer-Encoding : chunked\r\n",
    b"Transfer-Encoding: identity\r\n chunked\r\nContent-Length: 5\r\n",
    # A header split by a bare LF, or a NUL inside a value.
    b"X-A: 1\nTransfer-Encoding: chunked\r\n",
    b"X-A: a\x00b\r\nTransfer-Encoding: chunked\r\n",
])
def test_ambiguous_framing_is_400_and_nothing_smuggled_through(server, framing):
    payload = (b"POST /auth/login HTTP/1.1\r\nHost: janji\r\n" + framing + b"\r\n"
               b"0\r\n\r\n" + SMUGGLED)
    resp = raw_exchange(server.port, payload)
    assert responses_in(resp) == 1, resp  # answered once, then closed: /health never ran
    status, headers, body = split_response(resp)
    assert status == 400, resp[:300]
    assert headers.get("connection") == "close"
    assert strict_body(body) == {"detail": "Malformed HTTP request"}


def test_transfer_coding_we_do_not_decode_is_501_and_closed(server):
    payload = (b"POST /auth/login HTTP/1.1\r\nHost: janji\r\nTransfer-Encoding: gzip, chunked\r\n"
               b"\r\n0\r\n\r\n" + SMUGGLED)
    resp = raw_exchange(server.port, payload)
    assert responses_in(resp) == 1, resp
    status, headers, body = split_response(resp)
    assert status == 501 and headers.get("connection") == "close"
    assert strict_body(body) == {"detail": "Transfer-Encoding not supported"}


def test_transfer_encoding_on_http_1_0_is_400(server):
    payload = (b"POST /auth/login HTTP/1.0\r\nHost: janji\r\nTransfer-Encoding: chunked\r\n\r\n"
               b"0\r\n\r\n" + SMUGGLED)
    resp = raw_exchange(server.port, payload)
    assert responses_in(resp) == 1, resp
    assert split_response(resp)[0] == 400


def test_chunked_body_smuggling_a_request_in_its_trailer_is_not_run(server):
    # A chunk size that overflows, then a request hidden after it.
    payload = (b"POST /auth/login HTTP/1.1\r\nHost: janji\r\nTransfer-Encoding: chunked\r\n\r\n"
               b"10000000000000000\r\nx\r\n0\r\n\r\n" + SMUGGLED)
    resp = raw_exchange(server.port, payload)
    assert responses_in(resp) == 1, resp
    assert split_response(resp)[0] in (400, 413), resp[:300]


def test_plain_chunked_request_still_works_and_keeps_the_connection(server):
    # The rules above must not break honest chunked uploads on a kept-alive connection.
    email = f"chunk-{uuid.uuid4().hex[:8]}@example.test"
    body = json.dumps({"name": "Chunky", "email": email, "password": "secret1"}).encode()
    chunked = b"%x\r\n%s\r\n0\r\n\r\n" % (len(body), body)
    payload = (b"POST /auth/register HTTP/1.1\r\nHost: janji\r\nContent-Type: application/json\r\n"
               b"Transfer-Encoding: chunked\r\n\r\n" + chunked +
               b"GET /health HTTP/1.1\r\nHost: janji\r\nConnection: close\r\n\r\n")
    resp = raw_exchange(server.port, payload)
    assert responses_in(resp) == 2, resp
    assert resp.startswith(b"HTTP/1.1 201"), resp[:200]
