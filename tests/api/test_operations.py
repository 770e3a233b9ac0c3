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


# -- backups (SQLite; the PostgreSQL pass runs them on a SQLite file too) ----------------------
import sqlite3
import threading
import time
import uuid
from datetime import datetime, timedelta, timezone


def sqlite_env(folder, **extra):
    folder.mkdir(parents=True, exist_ok=True)
    return {"DATABASE_URL": f"sqlite:///{folder}/janji.db", "REDIS_URL": None, **extra}


def service_type(s):
    admin = s.admin_login()
    r = s.post("/services/packages", admin, json={"name": f"Pkg {uuid.uuid4().hex[:8]}",
                                                   "description": "backup test"})
    assert r.status_code == 201, r.text
    r = s.post("/services/types", admin, json={"package_id": r.json()["id"], "name": "Rias",
                                                "description": "", "price": "750000.00"})
    assert r.status_code == 201, r.text
    return r.json()["service_types"][-1]["id"]


def booking_ids(path):
    with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as db:
        assert db.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        return {row[0] for row in db.execute("SELECT id FROM service_bookings")}


def test_backup_while_bookings_are_written_holds_every_acknowledged_one(start_server, tmp_path):
    data = tmp_path / "data"
    s = start_server(sqlite_env(data), tmpdir=str(data))
    type_id = service_type(s)
    customers = [s.new_customer() for _ in range(8)]
    when = (datetime.now(timezone.utc) + timedelta(days=40)).strftime("%Y-%m-%dT10:00:00")
    acked = []  # (monotonic time of the answer, id)
    lock = threading.Lock()
    remaining = iter(range(200))
    backup_at = {}

    def writer(k):
        http = __import__("requests").Session()
        for _ in remaining:
            r = http.post(s.url + "/bookings/", headers={
                "Authorization": f"Bearer {customers[k % 8].token}"},
                json={"service_type_id": type_id, "tanggal_acara": when, "jumlah_client": 1},
                timeout=30)
            assert r.status_code == 201, r.text
            with lock:
                acked.append((time.monotonic(), r.json()["id"]))

    threads = [threading.Thread(target=writer, args=(k,)) for k in range(16)]
    for t in threads:
        t.start()
    wait_until(lambda: len(acked) >= 60, timeout=60, message="60 bookings written")
    copy = tmp_path / "copy.db"
    backup_at["start"] = time.monotonic()
    out = s.run_cli("backup", str(copy))
    assert out.returncode == 0, out.stderr
    assert "integrity_check ok" in out.stdout, out.stdout
    for t in threads:
        t.join(timeout=120)
    assert len(acked) == 200, len(acked)

    in_copy = booking_ids(copy)
    before = {i for t, i in acked if t < backup_at["start"]}
    assert len(before) >= 60
    assert before <= in_copy, sorted(before - in_copy)
    assert len(in_copy) < 200 or len(acked) == 200  # a snapshot: at most everything
    # The copy stands alone: no WAL or lock file beside it.
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith("copy")) == ["copy.db"]
    # Nobody may overwrite a backup by accident.
    again = s.run_cli("backup", str(copy))
    assert again.returncode == 1 and "exists" in again.stderr, again.stderr

    # Restore: refused while the server runs, then into the stopped data dir, where the
    # server serves exactly what the backup held.
    refused = s.run_cli("restore", str(copy))
    assert refused.returncode == 1 and "in use" in refused.stderr, refused.stderr
    assert s.stop() == 0
    done = s.run_cli("restore", str(copy))
    assert done.returncode == 0, done.stderr
    kept = [p for p in data.iterdir() if p.name.startswith("janji.db.replaced-")]
    assert len(kept) == 1, list(data.iterdir())
    assert booking_ids(kept[0]) >= {i for _, i in acked}, "the replaced file keeps everything"
    s.restart()
    admin = s.admin_login()
    listed = s.get("/bookings/", admin)
    assert listed.status_code == 200, listed.text
    assert {b["id"] for b in listed.json()} == in_copy


def test_backup_refuses_what_is_not_a_sqlite_file(start_server, tmp_path):
    s = start_server(sqlite_env(tmp_path / "data"), tmpdir=str(tmp_path / "data"))
    pg = s.run_cli("backup", str(tmp_path / "x.db"),
                   env_overrides={"DATABASE_URL": "postgresql://janji@127.0.0.1:1/janji"})
    assert pg.returncode == 2 and "pg_dump" in pg.stderr, pg.stderr
    garbage = tmp_path / "garbage.db"
    garbage.write_text("bukan basis data")
    r = s.run_cli("restore", str(garbage))
    assert r.returncode == 1, r.stderr
    assert s.get("/health").status_code == 200


def test_the_server_keeps_rotating_backups(start_server, tmp_path):
    data = tmp_path / "data"
    s = start_server(sqlite_env(data, BACKUP_INTERVAL="1s", BACKUP_KEEP="2", LOG_LEVEL="info"),
                     tmpdir=str(data))
    folder = data / "backups"

    def backups():
        return sorted(p.name for p in folder.glob("janji-*.db")) if folder.exists() else []
    # Rotation keeps two while more are written (each name is the second it was taken).
    wait_until(lambda: len(backups()) == 2, timeout=20, message="two backups")
    first = backups()
    wait_until(lambda: backups() and backups()[-1] > first[-1], timeout=20,
               message="a newer backup")
    # A new backup is renamed into place a moment before the oldest is deleted.
    wait_until(lambda: len(backups()) <= 2, timeout=5, message="rotation back to two")
    for name in backups():
        assert booking_ids(folder / name) is not None  # opens and passes integrity_check
    assert oct(folder.stat().st_mode & 0o777) == "0o700"
    wait_until(lambda: "backup written to" in s.log(), message="the backup logged")


def test_backup_settings_are_checked():
    assert_refuses_to_start({"BACKUP_INTERVAL": "500ms"}, "BACKUP_INTERVAL must be 0")
    assert_refuses_to_start({"BACKUP_KEEP": "0"}, "BACKUP_KEEP must be an integer")


# -- GET /metrics ------------------------------------------------------------------------------
import math
import re

from conftest import SseStream

METRIC_NAME = re.compile(r"^[a-zA-Z_:][a-zA-Z0-9_:]*$")
LABEL_NAME = re.compile(r"^[a-zA-Z_][a-zA-Z0-9_]*$")
SAMPLE = re.compile(r"^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{(.*)\})?\s+(\S+)(\s+-?\d+)?$")
LABEL = re.compile(r'\s*([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\\n]|\\[\\"n])*)"\s*(,|$)')
TYPES = {"counter", "gauge", "histogram", "summary", "untyped"}


def parse_value(text):
    if text in ("+Inf", "Inf"):
        return math.inf
    if text == "-Inf":
        return -math.inf
    if text == "NaN":
        return math.nan
    return float(text)  # raises on anything else


def parse_labels(text):
    labels, pos = {}, 0
    while pos < len(text):
        m = LABEL.match(text, pos)
        assert m, f"bad labels at {text[pos:]!r}"
        assert m.group(1) not in labels, f"label {m.group(1)} twice"
        labels[m.group(1)] = m.group(2).replace('\\"', '"').replace("\\n", "\n").replace(
            "\\\\", "\\")
        pos = m.end()
    return labels


def parse_exposition(text):
    """The Prometheus text format (0.0.4) checked line by line: HELP and TYPE once per family
    and before its samples, names and labels by the grammar, values as floats, no sample
    twice, histograms with ascending cumulative buckets ending in +Inf equal to _count.
    Returns {family: {"type", "samples": [(name, labels, value)]}}."""
    assert text.endswith("\n"), "the last line ends with a newline"
    families, seen = {}, set()
    for line in text.split("\n")[:-1]:
        if not line.strip():
            continue
        if line.startswith("#"):
            parts = line.split(None, 3)
            if len(parts) >= 3 and parts[1] in ("HELP", "TYPE"):
                name = parts[2]
                assert METRIC_NAME.match(name), line
                fam = families.setdefault(name, {"type": None, "help": None, "samples": []})
                key = parts[1].lower()
                assert fam[key] is None, f"second {parts[1]} for {name}"
                assert not fam["samples"], f"{parts[1]} after samples of {name}"
                if key == "type":
                    assert len(parts) == 4 and parts[3] in TYPES, line
                    fam["type"] = parts[3]
                else:
                    fam["help"] = parts[3] if len(parts) == 4 else ""
            continue
        m = SAMPLE.match(line)
        assert m, f"not a sample line: {line!r}"
        name, labels, value = m.group(1), parse_labels(m.group(3) or ""), parse_value(m.group(4))
        base = name
        for suffix in ("_bucket", "_sum", "_count"):
            if name.endswith(suffix) and name[: -len(suffix)] in families and \
                    families[name[: -len(suffix)]]["type"] in ("histogram", "summary"):
                base = name[: -len(suffix)]
        assert base in families and families[base]["type"], f"sample before TYPE: {line}"
        key = (name, tuple(sorted(labels.items())))
        assert key not in seen, f"sample twice: {line}"
        seen.add(key)
        families[base]["samples"].append((name, labels, value))
    for base, fam in families.items():
        if fam["type"] != "histogram":
            continue
        series = {}
        for name, labels, value in fam["samples"]:
            rest = tuple(sorted((k, v) for k, v in labels.items() if k != "le"))
            series.setdefault(rest, {"buckets": [], "count": None})
            if name == base + "_bucket":
                series[rest]["buckets"].append((parse_value(labels["le"]), value))
            elif name == base + "_count":
                series[rest]["count"] = value
        for rest, h in series.items():
            bounds = [b for b, _ in h["buckets"]]
            counts = [c for _, c in h["buckets"]]
            assert bounds == sorted(bounds) and bounds[-1] == math.inf, (base, rest, bounds)
            assert counts == sorted(counts), f"{base} {rest}: buckets not cumulative {counts}"
            assert counts[-1] == h["count"], (base, rest)
    return families


def value(families, family, name=None, **labels):
    for n, l, v in families[family]["samples"]:
        if n == (name or family) and all(l.get(k) == x for k, x in labels.items()):
            return v
    return None


def metrics(s, token):
    r = s.get("/metrics", token)
    assert r.status_code == 200, r.text
    assert r.headers["content-type"].startswith("text/plain; version=0.0.4"), r.headers
    return parse_exposition(r.text)


def test_metrics_parse_and_move_with_the_requests(start_server):
    s = start_server()
    admin = s.admin_login()
    before = metrics(s, admin)
    for family in ("janji_http_requests_total", "janji_http_request_duration_seconds",
                   "janji_db_pool_waits_total", "janji_db_transactions_in_flight",
                   "janji_db_write_batch_size", "janji_sse_subscribers",
                   "janji_event_log_lag_events", "janji_notifications",
                   "janji_password_hash_queue", "process_resident_memory_bytes",
                   "process_open_fds"):
        assert family in before, family
    health = dict(route="/health", method="GET", status="2xx")
    h0 = value(before, "janji_http_requests_total", **health)
    for _ in range(3):
        assert s.get("/health").status_code == 200
    assert s.get("/tidak-ada").status_code == 404
    assert s.get("/bookings/1", admin).status_code == 404  # a route's 404: its own pattern
    customer = s.new_customer()
    type_id = service_type(s)
    when = (datetime.now(timezone.utc) + timedelta(days=30)).strftime("%Y-%m-%dT10:00:00")
    r = s.post("/bookings/", customer.token, json={"service_type_id": type_id,
                                                    "tanggal_acara": when, "jumlah_client": 1})
    assert r.status_code == 201, r.text
    with SseStream(s, "/bookings/stream", token=admin) as stream:
        assert stream.status == 200
        wait_until(lambda: value(metrics(s, admin), "janji_sse_subscribers",
                                 stream="bookings") == 1, message="one subscriber")
    after = metrics(s, admin)
    assert value(after, "janji_http_requests_total", **health) == h0 + 3
    assert value(after, "janji_http_requests_total", route="(unmatched)", status="4xx") >= 1
    assert value(after, "janji_http_requests_total", route="/bookings/{booking_id}",
                 method="GET", status="4xx") == 1
    assert value(after, "janji_http_requests_total", route="/bookings/", method="POST",
                 status="2xx") == 1
    latency = value(after, "janji_http_request_duration_seconds",
                    "janji_http_request_duration_seconds_count", route="/health")
    assert latency >= 3
    writes = value(after, "janji_db_write_batch_size", "janji_db_write_batch_size_sum")
    assert writes > value(before, "janji_db_write_batch_size", "janji_db_write_batch_size_sum")
    assert value(after, "process_resident_memory_bytes") > 1_000_000
    assert value(after, "process_open_fds") >= 3
    assert value(after, "janji_password_hash_queue") == 0
    assert value(after, "janji_event_log_lag_events") >= 0
    # The booking's e-mail/WhatsApp/webhook deliveries, if any channel is set up, are
    # counted by channel and status; every count is a whole number.
    for _, labels, v in after["janji_notifications"]["samples"]:
        assert labels["status"] in ("queued", "sent", "failed") and v == int(v)


def test_metrics_need_an_admin_or_the_metrics_token(start_server):
    token = "scrape-" + uuid.uuid4().hex
    s = start_server({"METRICS_TOKEN": token})
    assert s.get("/metrics").status_code == 401
    assert s.get("/metrics", s.new_customer().token).status_code == 403
    assert s.get("/metrics", token + "x").status_code == 401
    assert "janji_http_requests_total" in metrics(s, token)
    assert "janji_http_requests_total" in metrics(s, s.admin_login())


def test_a_short_metrics_token_is_refused():
    assert_refuses_to_start({"METRICS_TOKEN": "pendek"}, "METRICS_TOKEN must be at least 16")
