"""GET /settings (what the pages need to tell dates and money as the business does) and
JANJI_WEB_DIR (the pages served from a folder instead of the built-in copies)."""

from conftest import assert_refuses_to_start, strict_json, wait_until


def test_settings_name_the_default_zone_and_no_capacity(server):
    r = server.get("/settings")
    assert r.status_code == 200, r.text
    assert strict_json(r) == {"business_timezone": "Asia/Makassar", "daily_client_capacity": None,
                              "cancel_cutoff_hours": 48, "currency": "IDR"}


def test_settings_follow_the_configuration(start_server):
    s = start_server({"BUSINESS_TIMEZONE": "Asia/Jakarta", "DAILY_CLIENT_CAPACITY": "6",
                      "CANCEL_CUTOFF": "24h"})
    body = strict_json(s.get("/settings"))
    assert body["business_timezone"] == "Asia/Jakarta"
    assert body["daily_client_capacity"] == 6
    assert body["cancel_cutoff_hours"] == 24


def test_pages_are_served_from_janji_web_dir_and_follow_its_changes(start_server, tmp_path):
    web = tmp_path / "files"
    web.mkdir()
    (web / "admin.html").write_text("<!doctype html><title>satu</title>")
    (web / "app-1.js").write_text("console.log(1)")
    (tmp_path / "secret.txt").write_text("outside the folder")
    s = start_server({"JANJI_WEB_DIR": str(web)})
    r = s.get("/admin")
    assert r.status_code == 200 and "satu" in r.text, r.text
    assert r.headers["content-type"].startswith("text/html")
    etag = r.headers["etag"]
    assert s.get("/admin", headers={"If-None-Match": etag}).status_code == 304
    js = s.get("/assets/app-1.js")
    assert js.status_code == 200 and js.text == "console.log(1)"
    assert js.headers["content-type"].startswith("text/javascript")
    # A rebuilt page shows at the next request, with a new validator.
    (web / "admin.html").write_text("<!doctype html><title>dua, lebih panjang</title>")
    wait_until(lambda: "dua" in s.get("/admin").text, message="the changed page")
    assert s.get("/admin").headers["etag"] != etag
    # Nothing outside the folder, and a page is not an asset.
    (web / "outside.js").symlink_to(tmp_path / "secret.txt")
    for path in ("/assets/..%2Fsecret.txt", "/assets/admin.html", "/assets/missing.js",
                 "/assets/.hidden", "/assets/admin.html%00.js", "/assets/outside.js"):
        assert s.get(path).status_code == 404, path
    assert "JANJI_WEB_DIR" in s.log()


def test_a_janji_web_dir_that_is_not_a_folder_refuses_to_start(tmp_path):
    assert_refuses_to_start({"JANJI_WEB_DIR": str(tmp_path / "missing")}, "JANJI_WEB_DIR")
