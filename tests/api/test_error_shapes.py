"""Every error, the transport's own included, in the shape of the surface that owns the path:
the course surface (/api/...) answers with its {"success": false, "error": {...}} envelope,
everything else (/auth, /services, /bookings, /segments, /health) with FastAPI's {"detail": ...}."""
import json

import pytest

from conftest import raw_exchange, split_response

# One path of each surface that has GET and POST routes (so other verbs are a 405).
SURFACES = {"fastapi": b"/services/packages", "envelope": b"/api/courses"}


def assert_shape(surface, status, headers, body, expected_status):
    assert status == expected_status, (status, body[:300])
    assert headers.get("content-type", "").startswith("application/json"), headers
    doc = json.loads(body.decode("utf-8", errors="strict"))
    if surface == "fastapi":
        assert set(doc) == {"detail"}, doc
        assert "success" not in doc and "error" not in doc
    else:
        assert doc["success"] is False, doc
        assert set(doc) == {"success", "error"}, doc
        assert isinstance(doc["error"]["code"], str) and doc["error"]["code"].isupper(), doc
        assert isinstance(doc["error"]["message"], str) and doc["error"]["message"], doc
        assert "detail" not in doc
    assert headers.get("x-request-id"), headers
    return doc


def exchange(port, request):
    return split_response(raw_exchange(port, request))


@pytest.mark.parametrize("surface", SURFACES)
def test_unknown_path_is_404_in_the_surfaces_shape(server, surface):
    path = SURFACES[surface] + b"/no/such/thing/here"
    status, headers, body = exchange(server.port, b"GET " + path + b" HTTP/1.1\r\nHost: j\r\n"
                                     b"Connection: close\r\n\r\n")
    assert_shape(surface, status, headers, body, 404)


@pytest.mark.parametrize("surface", SURFACES)
def test_wrong_method_is_405_in_the_surfaces_shape(server, surface):
    status, headers, body = exchange(server.port, b"PATCH " + SURFACES[surface] +
                                     b" HTTP/1.1\r\nHost: j\r\nConnection: close\r\n\r\n")
    doc = assert_shape(surface, status, headers, body, 405)
    assert "GET" in headers["allow"]
    if surface == "envelope":
        assert doc["error"]["code"] == "METHOD_NOT_ALLOWED"


@pytest.mark.parametrize("surface", SURFACES)
def test_malformed_framing_is_400_in_the_surfaces_shape(server, surface):
    # Transfer-Encoding on HTTP/1.0 is refused (a proxy could frame it differently).
    status, headers, body = exchange(server.port, b"POST " + SURFACES[surface] +
                                     b" HTTP/1.0\r\nHost: j\r\nTransfer-Encoding: chunked\r\n\r\n"
                                     b"0\r\n\r\n")
    doc = assert_shape(surface, status, headers, body, 400)
    assert headers.get("connection") == "close"
    if surface == "envelope":
        assert doc["error"]["code"] == "BAD_REQUEST"
    else:
        assert doc == {"detail": "Malformed HTTP request"}


@pytest.mark.parametrize("surface", SURFACES)
def test_malformed_target_is_400_in_the_surfaces_shape(server, surface):
    status, headers, body = exchange(server.port, b"GET " + SURFACES[surface] +
                                     b"/%zz HTTP/1.1\r\nHost: j\r\nConnection: close\r\n\r\n")
    assert_shape(surface, status, headers, body, 400)


@pytest.mark.parametrize("surface", SURFACES)
def test_declared_body_over_the_limit_is_413_in_the_surfaces_shape(server, surface):
    # The server answers at once from the declared length, then closes without the body.
    status, headers, body = exchange(server.port, b"POST " + SURFACES[surface] +
                                     b" HTTP/1.1\r\nHost: j\r\nContent-Type: application/json"
                                     b"\r\nContent-Length: 1000000000\r\n\r\n{")
    doc = assert_shape(surface, status, headers, body, 413)
    if surface == "envelope":
        assert doc["error"]["code"] == "PAYLOAD_TOO_LARGE"


@pytest.mark.parametrize("surface", SURFACES)
def test_headers_over_the_limit_are_431_in_the_surfaces_shape(server, surface):
    headers = b"".join(b"X-H%d: %s\r\n" % (i, b"v" * 90) for i in range(400))  # ~40 KB
    status, got, body = exchange(server.port, b"GET " + SURFACES[surface] +
                                 b" HTTP/1.1\r\nHost: j\r\n" + headers + b"\r\n")
    doc = assert_shape(surface, status, got, body, 431)
    if surface == "envelope":
        assert doc["error"]["code"] == "HEADER_TOO_LARGE"


@pytest.mark.parametrize("surface", SURFACES)
def test_transfer_coding_not_decoded_is_501_in_the_surfaces_shape(server, surface):
    status, headers, body = exchange(server.port, b"POST " + SURFACES[surface] +
                                     b" HTTP/1.1\r\nHost: j\r\nTransfer-Encoding: gzip, chunked"
                                     b"\r\n\r\n0\r\n\r\n")
    doc = assert_shape(surface, status, headers, body, 501)
    if surface == "envelope":
        assert doc["error"]["code"] == "NOT_IMPLEMENTED"


@pytest.mark.parametrize("surface", SURFACES)
def test_refused_cors_preflight_is_400_in_the_surfaces_shape(start_server, surface):
    srv = start_server({"CORS_ORIGINS": "http://good.test"})
    request = (b"OPTIONS " + SURFACES[surface] + b" HTTP/1.1\r\nHost: j\r\nConnection: close\r\n"
               b"Origin: http://evil.test\r\nAccess-Control-Request-Method: POST\r\n\r\n")
    status, headers, body = exchange(srv.port, request)
    doc = assert_shape(surface, status, headers, body, 400)
    assert "access-control-allow-origin" not in headers
    if surface == "fastapi":
        assert doc == {"detail": "Disallowed CORS origin"}
    else:
        assert doc["error"]["message"] == "Disallowed CORS origin"
    # An allowed origin is still answered as before.
    allowed = request.replace(b"evil.test", b"good.test")
    status, headers, _ = exchange(srv.port, allowed)
    assert status == 200 and headers["access-control-allow-origin"] == "http://good.test"


@pytest.mark.parametrize("surface,path", [("fastapi", b"/bookings/"),
                                          ("envelope", b"/api/booking/pending")])
def test_missing_token_is_401_in_the_surfaces_shape(server, surface, path):
    status, headers, body = exchange(server.port, b"GET " + path + b" HTTP/1.1\r\nHost: j\r\n"
                                     b"Connection: close\r\n\r\n")
    doc = assert_shape(surface, status, headers, body, 401)
    assert headers["www-authenticate"] == "Bearer"
    if surface == "envelope":
        assert doc["error"]["code"] == "UNAUTHORIZED"
