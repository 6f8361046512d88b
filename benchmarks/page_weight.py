"""Page weight of Today: bytes over the wire, cold and warm, in Chromium on a phone screen.

Run by hand (figures go in docs/quality.md, "Page weight of Today"):

    .venv/bin/python benchmarks/page_weight.py [--root FOLDER]

It migrates a throwaway SQLite database, gives one person a goal, a three-step ladder and
half a year of wins, compresses the static files as `make run` does (when the code has
`flask assets build`), serves the app with gunicorn (2 workers, 4 threads) on a free
loopback port, signs in over HTTP and hands the session cookie to Debian's Chromium
(Playwright, 390 × 844, touch). `--root` measures another copy of the project, such as a
`git worktree` of an older commit, with this script.

Two counts per visit. "On the wire" is every byte the server sent back (status lines,
headers and bodies, as compressed as they went), counted by a small relay between Chromium
and gunicorn: the page, its files, the data it syncs, and the service worker with what it
fetches to keep the app for offline use. "Today's files" is what the page itself loaded
(the page, scripts, style, icons, manifest; not its data), as Chromium received it
(Playwright's `request.sizes()`: headers and encoded body), so a file from a cache or from
the worker counts nothing. Four visits to Today:

- cold: an empty cache and no service worker yet;
- warm: Today reloaded once the worker has kept the shell (a person opening it again);
- cold and warm again with service workers blocked, as on plain http to a LAN address,
  where the HTTP cache alone keeps files.
"""

import argparse
import http.cookiejar
import json
import os
import re
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
import urllib.request
import uuid
from collections import defaultdict
from datetime import UTC, datetime, timedelta
from pathlib import Path

CHROMIUM = os.environ.get("SMALLSTEPS_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]
SCREEN = {"width": 390, "height": 844}
EMAIL, PASSWORD = "river@example.com", "a calm password"
# What a request is for, by its path: Today's own files, the data it syncs, the worker.
KINDS = [
    ("worker", re.compile(r"^/sw\.js$")),
    ("data (API)", re.compile(r"^/api/")),
    ("script", re.compile(r"\.js$")),
    ("style", re.compile(r"\.css$")),
    ("image", re.compile(r"\.(png|svg)$")),
    ("manifest", re.compile(r"\.webmanifest$")),
]


def free_port() -> int:
    """Return a loopback port nobody listens on."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def history(now: datetime) -> list[dict]:
    """Return a goal with a three-step ladder and about 140 wins over 200 days, as changes."""
    stamp = now.isoformat(timespec="milliseconds").replace("+00:00", "Z")
    goal, steps = str(uuid.uuid4()), [str(uuid.uuid4()) for _ in range(3)]
    data = {"title": "Sleep a little better", "why": "Mornings are kinder."}
    changes = [{"type": "goal", "id": goal, "updated_at": stamp, "data": data}]
    titles = ["In bed by eleven", "Screens off at half ten", "Phone on the charger in the hall"]
    for index, (step, title) in enumerate(zip(steps, titles, strict=True)):
        data = {
            "title": title,
            "goal_id": goal,
            "parent_step_id": steps[index - 1] if index else None,
            "weekly_target": 3 if index == 0 else None,
            "pairing": "",
        }
        changes.append({"type": "step", "id": step, "updated_at": stamp, "data": data})
    texts = ["Paused before reacting", "Asked for help", "Went for a short walk"]
    for day in range(200):
        if day % 7 in (3, 5):  # rest days
            continue
        moment = now - timedelta(days=day, minutes=5)
        data = {
            "text": texts[day % 3],
            "occurred_at": moment.isoformat(timespec="seconds"),
            "step_id": steps[day % 3] if day % 2 else None,
            "energy": "ok",
            "note": "",
        }
        changes.append({"type": "win", "id": str(uuid.uuid4()), "updated_at": stamp, "data": data})
    return changes


def prepare(root: Path, folder: str, build: bool) -> dict:
    """Migrate a database, add one person with history, compress the static files if it can."""
    import flask_migrate

    from smallsteps import create_app

    config = {
        "SECRET_KEY": uuid.uuid4().hex,
        "SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder}/page-weight.sqlite",
        "INSTANCE_PATH": folder,
    }
    app = create_app({**config, "WTF_CSRF_ENABLED": False})
    with app.app_context():
        flask_migrate.upgrade(directory=str(root / "migrations"))
    client = app.test_client()
    form = {"email": EMAIL, "password": PASSWORD, "timezone": "UTC"}
    assert client.post("/signup", data=form).status_code == 302, "signed up"
    answer = client.post(
        "/api/v1/sync", json={"since": None, "changes": history(datetime.now(UTC))}
    )
    assert answer.status_code == 200, answer.get_data(as_text=True)
    if build and (root / "smallsteps" / "assets.py").exists():  # older code has no build
        result = app.test_cli_runner().invoke(args=["assets", "build"])
        assert result.exit_code == 0, result.output
        config["compressed"] = True
    return config


def serve(root: Path, config: dict, port: int) -> subprocess.Popen:
    """Start gunicorn with the app factory on the port and wait until it answers."""
    settings = {key: value for key, value in config.items() if key != "compressed"}
    command = [
        sys.executable,
        "-m",
        "gunicorn",
        "--bind",
        f"127.0.0.1:{port}",
        "--workers",
        "2",
        "--threads",
        "4",
        f"smallsteps:create_app({settings!r})",
    ]
    environment = {**os.environ, "PYTHONPATH": str(root)}
    server = subprocess.Popen(command, cwd=root, env=environment, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/login", timeout=1).close()
            return server
        except OSError:
            time.sleep(0.2)
    server.terminate()
    raise SystemExit("the app did not start")


def sign_in(base: str) -> list[dict]:
    """Sign in through the form and return the cookies a signed-in browser holds."""
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    page = opener.open(base + "/login").read().decode()
    token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    form = {"csrf_token": token, "email": EMAIL, "password": PASSWORD, "remember": "y"}
    opener.open(base + "/login", data=urllib.parse.urlencode(form).encode()).close()
    cookies = [{"name": c.name, "value": c.value, "url": base} for c in jar]
    assert any(cookie["name"] == "session" for cookie in cookies), "signed in"
    return cookies


def kind(url: str) -> str:
    """Name what a URL is for."""
    path = urllib.parse.urlsplit(url).path
    return next((name for name, pattern in KINDS if pattern.search(path)), "page")


class Relay:
    """A loopback TCP relay in front of the server that counts every byte sent back."""

    def __init__(self, port: int):
        self.target = port
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = self.listener.getsockname()[1]
        self.received = 0
        self.lock = threading.Lock()
        threading.Thread(target=self.accept, daemon=True).start()

    def accept(self):
        while True:
            try:
                browser, _ = self.listener.accept()
            except OSError:
                return
            server = socket.create_connection(("127.0.0.1", self.target))
            threading.Thread(target=self.pipe, args=(browser, server, False), daemon=True).start()
            threading.Thread(target=self.pipe, args=(server, browser, True), daemon=True).start()

    def pipe(self, source, sink, counted: bool):
        try:
            while chunk := source.recv(65536):
                sink.sendall(chunk)
                if counted:
                    with self.lock:
                        self.received += len(chunk)
        except OSError:
            pass
        finally:
            for end in (source, sink):
                try:
                    end.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass

    def take(self) -> int:
        """Return the bytes sent back since the last call."""
        with self.lock:
            received, self.received = self.received, 0
        return received

    def close(self):
        self.listener.close()


class PageFiles:
    """Add up what the page itself received for its own files, by kind, and how encoded."""

    def __init__(self, page):
        self.bytes: dict[str, int] = defaultdict(int)
        self.encodings: dict[str, set] = defaultdict(set)
        self.requests = 0
        page.on("requestfinished", self.count)

    def count(self, request):
        name = kind(request.url)
        if name in ("data (API)", "worker"):
            return
        sizes = request.sizes()
        # Headers and encoded body as Chromium received them: nothing for a cached answer.
        received = max(0, sizes["responseHeadersSize"] + sizes["responseBodySize"])
        self.bytes[name] += received
        self.requests += bool(received)
        response = request.response()
        if received and name in ("script", "style") and response:
            self.encodings[name].add(response.headers.get("content-encoding", "none"))

    def take(self) -> dict:
        """Return what was counted since the last call."""
        taken = {
            "by_kind": dict(self.bytes),
            "encodings": {name: sorted(found) for name, found in self.encodings.items()},
            "requests": self.requests,
        }
        self.bytes.clear()
        self.encodings.clear()
        self.requests = 0
        return taken


def quiet(page):
    """Wait until Today has synced, the worker (if any) is ready and the network is still."""
    page.wait_for_load_state("load")
    page.wait_for_function(
        """() => {
          const status = document.getElementById("sync-status");
          return !status || (!status.hidden && status.textContent === "All synced");
        }""",
        timeout=60_000,
    )
    page.wait_for_load_state("networkidle")
    time.sleep(1.5)  # the worker's precache and warm-up finish after the page's own requests
    page.wait_for_load_state("networkidle")


def under_worker(page):
    """Wait until the service worker controls the page and has kept its shell."""
    page.wait_for_function("() => navigator.serviceWorker.controller !== null", timeout=60_000)
    page.wait_for_function(
        "() => caches.keys().then((names) => names.some((n) => n.startsWith('smallsteps-shell-')))"
    )


def visit(browser, base: str, relay: Relay, cookies: list[dict], workers: bool) -> dict:
    """Open Today cold, then reload it warm; return what each took."""
    context = browser.new_context(
        viewport=SCREEN,
        screen=SCREEN,
        device_scale_factor=3,
        is_mobile=True,
        has_touch=True,
        service_workers="allow" if workers else "block",
    )
    context.add_cookies(cookies)
    page = context.new_page()
    files = PageFiles(page)
    relay.take()
    page.goto(base + "/")
    quiet(page)
    if workers:
        under_worker(page)
        quiet(page)
    cold = {**files.take(), "wire": relay.take()}
    page.reload()
    quiet(page)
    warm = {**files.take(), "wire": relay.take()}
    context.close()
    return {"cold": cold, "warm": warm}


def kilobytes(count: int) -> str:
    return f"{count / 1024:.1f} KB"


def report(label: str, measured: dict) -> dict:
    own = sum(measured["by_kind"].values())
    parts = ", ".join(f"{name} {kilobytes(n)}" for name, n in sorted(measured["by_kind"].items()))
    wire = kilobytes(measured["wire"])
    print(f"{label:<26} Today's files {kilobytes(own):>9}   on the wire {wire:>9}")
    print(f"{'':<26} {parts or 'nothing'} ({measured['requests']} over the network)")
    if measured["encodings"]:
        print(f"{'':<26} encodings: {json.dumps(measured['encodings'])}")
    return {**measured, "own": own}


def main() -> None:
    """Measure Today cold and warm, with and without the service worker, and print it."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    default_root = Path(__file__).resolve().parent.parent
    parser.add_argument("--root", type=Path, default=default_root, help="the project to measure")
    parser.add_argument("--json", type=Path, help="also write the figures to this file")
    parser.add_argument(
        "--no-build", action="store_true", help="serve the static files uncompressed"
    )
    arguments = parser.parse_args()
    root = arguments.root.resolve()
    sys.path.insert(0, str(root))

    from playwright.sync_api import sync_playwright

    figures = {}
    with tempfile.TemporaryDirectory() as folder:
        config = prepare(root, folder, build=not arguments.no_build)
        port = free_port()
        server = serve(root, config, port)
        relay = Relay(port)
        base = f"http://127.0.0.1:{relay.port}"
        try:
            cookies = sign_in(base)
            compressed = "compressed build" if config.get("compressed") else "no compressed build"
            print(f"Today at {SCREEN['width']}×{SCREEN['height']}, signed in, {compressed}")
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(
                    executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
                )
                with_worker = visit(browser, base, relay, cookies, workers=True)
                without_worker = visit(browser, base, relay, cookies, workers=False)
                browser.close()
            figures["cold"] = report("cold", with_worker["cold"])
            figures["warm"] = report("warm (reload, worker)", with_worker["warm"])
            figures["cold, no worker"] = report("cold, no worker", without_worker["cold"])
            figures["warm, no worker"] = report("warm (reload), no worker", without_worker["warm"])
        finally:
            relay.close()
            server.terminate()
            server.wait(timeout=10)
    if arguments.json:
        arguments.json.write_text(json.dumps(figures, indent=2))


if __name__ == "__main__":
    main()
