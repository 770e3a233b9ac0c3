"""Operating it: LOG_FORMAT=json (one JSON object per log line)."""

import json

from conftest import assert_refuses_to_start, wait_until


def json_lines(server):
    """Every line of the server's log, each parsed as one JSON object."""
    out = []
    for line in server.log().splitlines():
        obj = json.loads(line)  # a line that is not one JSON object fails the test here
        assert isinstance(obj, dict), line
        out.append(obj)
    return out


def test_json_log_lines_parse_and_carry_the_request_id(start_server):
    s = start_server({"LOG_FORMAT": "json", "LOG_LEVEL": "info"})
    ok = s.get("/health", headers={"X-Request-Id": "cek-json-1"})
    assert ok.status_code == 200
    missing = s.get("/bookings/999999", headers={"X-Request-Id": "cek-json-2"})
    assert missing.status_code == 401
    generated = s.get("/services/packages").headers["X-Request-Id"]

    def requests_logged():
        ids = {line.get("request_id") for line in json_lines(s)}
        return {"cek-json-1", "cek-json-2", generated} <= ids
    wait_until(requests_logged, message="the three request lines")

    lines = json_lines(s)
    for line in lines:
        assert line["level"] in ("trace", "debug", "info", "warning", "error", "critical"), line
        assert line["time"].endswith("Z") and "T" in line["time"], line
        assert ("message" in line) != ("request_id" in line), line
    by_id = {line["request_id"]: line for line in lines if "request_id" in line}
    assert by_id["cek-json-1"]["method"] == "GET"
    assert by_id["cek-json-1"]["path"] == "/health"
    assert by_id["cek-json-1"]["status"] == 200
    assert by_id["cek-json-1"]["client"] == "127.0.0.1"
    assert isinstance(by_id["cek-json-1"]["ms"], (int, float)) and by_id["cek-json-1"]["ms"] >= 0
    assert by_id["cek-json-2"]["status"] == 401
    assert by_id[generated]["path"] == "/services/packages"
    # What is not a request is a message of its own (the start-up lines, for one).
    assert any("listening" in line.get("message", "") for line in lines), lines


def test_text_log_lines_stay_as_they_were(start_server):
    s = start_server({"LOG_LEVEL": "info"})
    s.get("/health", headers={"X-Request-Id": "cek-text-1"})
    wait_until(lambda: "id=cek-text-1" in s.log(), message="the request line")
    line = next(l for l in s.log().splitlines() if "id=cek-text-1" in l)
    assert " info GET /health 200 " in line and "client=127.0.0.1" in line, line


def test_an_unknown_log_format_is_refused():
    assert_refuses_to_start({"LOG_FORMAT": "xml"}, "LOG_FORMAT must be text or json")
