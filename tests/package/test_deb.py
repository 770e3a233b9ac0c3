"""The Debian package (`make deb`): installed with dpkg on this machine, its unit checked by
systemd-analyze, the installed binary run as the unit runs it (its user, its environment
file, its state directory) until it answers /health, and removed again with the data left.

JANJI_DEB names the package. The machine must not have janji installed already: the test
installs, removes and purges it.
"""

import grp
import os
import pwd
import signal
import socket
import stat
import subprocess
import time
import urllib.request
from pathlib import Path

import pytest

DEB = os.environ.get("JANJI_DEB", "")
UNIT = Path("/usr/lib/systemd/system/janji.service")
ENV_FILE = Path("/etc/janji/janji.env")
STATE = Path("/var/lib/janji")


def run(*args):
    return subprocess.run(args, capture_output=True, text=True, timeout=300)


def unit_settings(text):
    """The unit's Key=value lines (the last one wins, as for these keys in systemd)."""
    out = {}
    for line in text.splitlines():
        if "=" in line and not line.startswith(("#", "[")):
            key, value = line.split("=", 1)
            out[key.strip()] = value.strip()
    return out


def env_file(text):
    """KEY=value lines as systemd's EnvironmentFile= reads them (comments and blanks out)."""
    out = {}
    for line in text.splitlines():
        line = line.strip()
        if line and not line.startswith("#") and "=" in line:
            key, value = line.split("=", 1)
            out[key] = value
    return out


@pytest.fixture(scope="module")
def installed():
    assert DEB and Path(DEB).is_file(), f"JANJI_DEB={DEB!r} is not a package file"
    assert run("dpkg-query", "-W", "janji").returncode != 0, \
        "janji is installed on this machine already; the package test would replace it"
    user_before = run("getent", "passwd", "janji").returncode == 0
    state_before = STATE.exists()
    r = run("dpkg", "-i", DEB)
    assert r.returncode == 0, r.stdout + r.stderr
    try:
        yield
    finally:
        run("dpkg", "--purge", "janji")
        if not user_before:
            run("userdel", "janji")
        if not state_before:
            run("rm", "-rf", str(STATE))
        run("rm", "-rf", "/etc/janji")


def test_depends_are_computed_from_the_binary():
    depends = run("dpkg-deb", "-f", DEB, "Depends").stdout
    for lib in ("libsqlite3-0", "libpq5", "libcurl4", "libssl3", "libsodium23", "libhiredis",
                "libstdc++6", "libc6", "tzdata"):
        assert lib in depends, depends
    conffiles = run("dpkg-deb", "--info", DEB, "conffiles").stdout.split()
    assert conffiles == ["/etc/janji/janji.env"], conffiles


def test_install_makes_the_user_the_state_directory_and_a_private_env_file(installed):
    assert os.access("/usr/bin/janji", os.X_OK)
    user = pwd.getpwnam("janji")
    assert user.pw_uid < 1000 and user.pw_shell.endswith("nologin"), user
    st = STATE.stat()
    assert (st.st_uid, stat.S_IMODE(st.st_mode)) == (user.pw_uid, 0o750)
    st = ENV_FILE.stat()
    assert st.st_uid == 0 and st.st_gid == grp.getgrnam("janji").gr_gid
    assert stat.S_IMODE(st.st_mode) == 0o640


def test_the_unit_is_hardened_and_verifies(installed):
    unit = unit_settings(UNIT.read_text())
    assert unit["User"] == "janji" and unit["StateDirectory"] == "janji"
    assert unit["ProtectSystem"] == "strict" and unit["NoNewPrivileges"] == "yes"
    assert unit["Restart"] == "on-failure"
    assert unit["EnvironmentFile"] == str(ENV_FILE)
    r = run("systemd-analyze", "verify", str(UNIT))
    assert r.returncode == 0 and "janji.service" not in r.stderr, r.stdout + r.stderr


def test_the_installed_binary_serves_as_the_unit_runs_it(installed):
    unit = unit_settings(UNIT.read_text())
    env = {"PATH": "/usr/sbin:/usr/bin:/sbin:/bin", **env_file(ENV_FILE.read_text())}
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    env["PORT"] = str(port)
    # A sanitizer build packaged by `make test`: its leak check cannot trace another user.
    env["ASAN_OPTIONS"] = "detect_leaks=0"
    proc = subprocess.Popen(unit["ExecStart"].split(), env=env, cwd=unit["WorkingDirectory"],
                            user=unit["User"], group=unit["Group"], extra_groups=[],
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        deadline = time.monotonic() + 60
        status = None
        while time.monotonic() < deadline and proc.poll() is None:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/health", timeout=2) as r:
                    status = r.status
                    break
            except OSError:
                time.sleep(0.1)
        assert status == 200, proc.stdout.read() if proc.poll() is not None else "no answer"
        janji = pwd.getpwnam("janji").pw_uid
        for name in ("janji.db", "secret_key"):
            assert (STATE / name).stat().st_uid == janji, name
    finally:
        proc.send_signal(signal.SIGTERM)
        out, _ = proc.communicate(timeout=60)
    assert proc.returncode == 0, out


def test_remove_leaves_the_data(installed):
    r = run("dpkg", "-r", "janji")
    assert r.returncode == 0, r.stdout + r.stderr
    assert not Path("/usr/bin/janji").exists() and not UNIT.exists()
    assert (STATE / "janji.db").exists() and (STATE / "secret_key").exists()
    assert ENV_FILE.exists(), "a removed package keeps its configuration until purged"
