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
    s.start()
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
    assert len(backups()) <= 2
    for name in backups():
        assert booking_ids(folder / name) is not None  # opens and passes integrity_check
    assert oct(folder.stat().st_mode & 0o777) == "0o700"
    wait_until(lambda: "backup written to" in s.log(), message="the backup logged")


def test_backup_settings_are_checked():
    assert_refuses_to_start({"BACKUP_INTERVAL": "500ms"}, "BACKUP_INTERVAL must be 0")
    assert_refuses_to_start({"BACKUP_KEEP": "0"}, "BACKUP_KEEP must be an integer")
