"""Starting a Release `janji serve` for benchmarks and reading its memory."""
import os
import resource
import secrets
import socket
import subprocess
import tempfile
import time
import urllib.parse
import urllib.request
import json

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
JANJI = os.environ.get("JANJI_BIN", os.path.join(REPO, "build", "janji"))
ADMIN_EMAIL = "bench-admin@janji.test"


def raise_fd_limit():
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    def __init__(self, tmp=None, env=None):
        self.tmp = tmp or tempfile.mkdtemp(prefix="janji-bench-")
        self.port = free_port()
        self.password = secrets.token_hex(12)
        self.db = f"sqlite:///{self.tmp}/janji.db"
        self.env = dict(os.environ, JANJI_DATA_DIR=self.tmp, DATABASE_URL=self.db,
                        SECRET_KEY=secrets.token_hex(32), ADMIN_EMAIL=ADMIN_EMAIL,
                        ADMIN_PASSWORD=self.password, LOG_LEVEL="warn")
        self.env.update(env or {})
        self.proc = None

    def run(self, *args):
        subprocess.run([JANJI, *args], env=self.env, check=True, stdout=subprocess.DEVNULL)

    def start(self):
        self.log = open(os.path.join(self.tmp, "server.log"), "w")
        self.proc = subprocess.Popen(
            [JANJI, "serve", "--host", "127.0.0.1", "--port", str(self.port)], env=self.env,
            stdout=self.log, stderr=subprocess.STDOUT, preexec_fn=raise_fd_limit)
        deadline = time.time() + 30
        while time.time() < deadline:
            try:
                urllib.request.urlopen(self.url("/health"), timeout=1)
                return self
            except OSError:
                time.sleep(0.1)
        raise RuntimeError("server did not start; see " + self.log.name)

    def stop(self):
        if self.proc:
            self.proc.terminate()
            self.proc.wait(timeout=30)

    def url(self, path):
        return f"http://127.0.0.1:{self.port}{path}"

    def login(self):
        body = urllib.parse.urlencode({"username": ADMIN_EMAIL, "password": self.password}).encode()
        with urllib.request.urlopen(self.url("/auth/login"), data=body) as r:
            return json.load(r)["access_token"]

    def memory_kib(self):
        """(current RSS, peak RSS) of the server in KiB."""
        fields = {}
        with open(f"/proc/{self.proc.pid}/status") as f:
            for line in f:
                k, _, v = line.partition(":")
                fields[k] = v.strip()
        return int(fields["VmRSS"].split()[0]), int(fields["VmHWM"].split()[0])


def request(server, method, path, token=None, body=None):
    data = json.dumps(body).encode() if body is not None else None
    req = urllib.request.Request(server.url(path), data=data, method=method)
    if token:
        req.add_header("Authorization", "Bearer " + token)
    if data is not None:
        req.add_header("Content-Type", "application/json")
    with urllib.request.urlopen(req, timeout=120) as r:
        return r.status, r.read()


def percentile(values, p):
    s = sorted(values)
    if not s:
        return float("nan")
    k = min(len(s) - 1, max(0, int(round(p / 100 * (len(s) - 1)))))
    return s[k]
