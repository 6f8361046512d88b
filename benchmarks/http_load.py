"""Benchmark HTTP under load: the real app against a bare Flask "hello", both under gunicorn.

Run by hand, not by the test suite, with Debian's wrk installed (`apt-get install wrk`):

    .venv/bin/python benchmarks/http_load.py [--duration 20]

SQLite always; PostgreSQL too when SMALLSTEPS_BENCH_POSTGRES_URL (or
SMALLSTEPS_TEST_POSTGRES_URL) names a server, for example
postgresql+psycopg://postgres@127.0.0.1:5432/postgres. A database of its own is created
there and dropped afterwards.

Two gunicorn servers run side by side on free ports of 127.0.0.1, each with `make run`'s
settings (2 workers, 4 threads each, so gunicorn's gthread worker; access log on, written to
a file; the nudge dispatcher and the backups the launcher adds are not started): a bare Flask
app that answers "Hello, World!" (benchmarks/hello.py), and `wsgi:app` on a freshly migrated
database, told the database, a secret key, an instance folder and the cheapest password hash
through SMALLSTEPS_* variables. Nine people are made with accounts.create_account, each given
300 wins spread over the last year through the sync service, and each signs in through the
sign-in page; their session cookies and tokens from GET /api/v1/csrf go into the Lua
scripts that wrk runs.

wrk drives each case with 8 threads of one connection each, one person per connection, for
`--duration` seconds, as fast as the server answers; the runs alternate between hello and the
app, starting and ending with hello, and each case's ratio is its requests per second over
the mean of the hello runs just before and just after it. The cases:

1. POST /api/v1/sync with one new win (a new id every request), one person per connection;
2. the same, with one person (the ninth) on every connection;
3. GET / (Today, HTML);
4. GET /api/v1/summary (a year of history);
5. GET /api/v1/settings (a trivial signed-in JSON answer).

The reads run first, so they see the seeded history only; the syncs run last. Each sync
carries the cursor its connection's last answer gave it (the first, from pulling everything
once at sign-in), as a phone that has synced before does, so an answer carries only what
changed since: the other connections' new wins, in case 2. Latencies are wrk's
(from a connection's send to its answer, the next request waiting for it); errors are non-2xx
answers and wrk's socket errors (connect, read, write, timeout).
"""

import argparse
import json
import re
import shutil
import statistics
import string
import subprocess
import sys
import tempfile
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import requests  # noqa: E402
from sqlalchemy import func, select  # noqa: E402

from benchmarks.common import databases, migrated_app, win_change  # noqa: E402
from benchmarks.served import logged_errors, serving  # noqa: E402
from smallsteps.extensions import db  # noqa: E402
from smallsteps.models import User, Win  # noqa: E402
from smallsteps.services import accounts  # noqa: E402
from smallsteps.services import sync as sync_service  # noqa: E402

PASSWORD = "a calm benchmark password"
SECRET_KEY = "http-benchmark"
# Sent by the sign-in and by wrk alike, so the session's "basic" protection sees one browser.
USER_AGENT = "smallsteps-http-benchmark"
CONNECTIONS = 8
PEOPLE = CONNECTIONS + 1  # one per connection, and one who has them all in case 2
HISTORY_WINS = 300
OFFSET = timezone(timedelta(hours=1))
WARMUP_SECONDS = 2
REQUEST_TIMEOUT = 30.0
WRK_TIMEOUT = "60s"  # above gunicorn's 30-second worker timeout, so even that is timed
ID_MARK = "WIN-ID"
SINCE_MARK = "SINCE-CURSOR"
CSRF_META = re.compile(r'<meta name="csrf-token" content="([^"]+)"')
SOCKET_ERRORS = ("connect", "read", "write", "timeout")

LUA = string.Template("""\
-- Written by benchmarks/http_load.py for one wrk run.
local people = $people
local method, path = $method, $path
local body_head, body_tail = $body_head, $body_tail
local run_prefix = $prefix
local threads = {}
local started = 0

function setup(thread)
  started = started + 1
  thread:set("index", started)
  table.insert(threads, thread)
end

function init(args)
  sent, non2xx = 0, 0
  local person = people[(index - 1) % #people + 1]
  request_headers = {["User-Agent"] = $user_agent}
  if person.cookie then request_headers["Cookie"] = person.cookie end
  cursor = person.cursor
  if body_head then
    request_headers["X-CSRFToken"] = person.token
    request_headers["Content-Type"] = "application/json"
  else
    fixed = wrk.format(method, path, request_headers)
  end
end

function request()
  if fixed then return fixed end
  sent = sent + 1
  local id = string.format("%s-%04x-4000-8000-%012x", run_prefix, index, sent)
  -- Each connection is a phone: it sends the cursor its last answer gave it.
  local head = body_head:gsub("SINCE%-CURSOR", function() return cursor end)
  return wrk.format(method, path, request_headers, head .. id .. body_tail)
end

function response(status, headers, body)
  if status < 200 or status > 299 then non2xx = non2xx + 1 end
  if body_head and body then
    cursor = body:match('"cursor":%s*"([^"]+)"') or cursor
  end
end

function done(summary, latency, requests)
  local bad = 0
  for _, thread in ipairs(threads) do bad = bad + thread:get("non2xx") end
  local e = summary.errors
  io.write(string.format(
    "RESULT requests=%d duration_us=%d p50_us=%f p99_us=%f non2xx=%d " ..
    "connect=%d read=%d write=%d timeout=%d\\n",
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(99),
    bad, e.connect, e.read, e.write, e.timeout))
end
""")


@dataclass
class Case:
    """One row of the table: what wrk sends, and with whose sessions."""

    name: str
    method: str
    path: str
    syncs: bool = False
    one_person: bool = False


CASES = [
    Case("1. sync one new win, a person per connection", "POST", "/api/v1/sync", syncs=True),
    Case("2. sync one new win, one person on all", "POST", "/api/v1/sync", True, True),
    Case("3. GET / (Today)", "GET", "/"),
    Case("4. GET /api/v1/summary", "GET", "/api/v1/summary"),
    Case("5. GET /api/v1/settings", "GET", "/api/v1/settings"),
]
RUN_ORDER = [2, 3, 4, 0, 1]  # reads before the syncs add to everyone's history


@dataclass
class Run:
    """What one wrk run measured."""

    requests: int
    seconds: float
    p50_ms: float
    p99_ms: float
    non_2xx: int
    socket_errors: dict[str, int]

    @property
    def rate(self) -> float:
        """Return the answers per second."""
        return self.requests / self.seconds

    def errors(self) -> str:
        """Return the errors in words, or 0."""
        found = [f"{self.non_2xx} non-2xx"] if self.non_2xx else []
        found += [f"{count} {kind}" for kind, count in self.socket_errors.items() if count]
        return ", ".join(found) or "0"


def sync_body(now: datetime) -> tuple[str, str]:
    """Return the one-win sync body before and after the win's id, stamped with `now`."""
    body = {
        "since": SINCE_MARK,
        "changes": [
            win_change(
                now.astimezone(OFFSET).isoformat(timespec="seconds"),
                now.isoformat(timespec="milliseconds").replace("+00:00", "Z"),
                win_id=ID_MARK,
                text="A small win",
            )
        ],
    }
    head, tail = json.dumps(body).split(ID_MARK)
    return head, tail


def history(now: datetime) -> list[dict]:
    """Return HISTORY_WINS new wins spread evenly over the year up to `now`."""
    stamp = now.isoformat(timespec="milliseconds").replace("+00:00", "Z")
    return [
        win_change(
            (now - timedelta(days=365 * number / HISTORY_WINS))
            .astimezone(OFFSET)
            .isoformat(timespec="seconds"),
            stamp,
        )
        for number in range(HISTORY_WINS)
    ]


def seed_people(app, now: datetime) -> list[str]:
    """Make the people, each with a year of wins, through the services; return their emails."""
    emails = [f"person{number}@example.com" for number in range(PEOPLE)]
    app.config["PASSWORD_HASH_PROFILE"] = "CHEAPEST"
    with app.app_context():
        for email in emails:
            user = accounts.create_account(email, PASSWORD, "Europe/Amsterdam")
            answer = sync_service.sync(user, None, history(now))
            if any(result["status"] != "applied" for result in answer["results"]):
                raise RuntimeError(f"seeding {email}: not every win was applied")
        db.session.remove()
        db.engine.dispose()
    return emails


def wins_per_person(app, emails: list[str]) -> list[int]:
    """Return how many wins each person has, read from the database."""
    with app.app_context():
        counts = [
            db.session.scalar(
                select(func.count(Win.id))
                .join(User, Win.user_id == User.id)
                .where(User.email == email)
            )
            for email in emails
        ]
        db.session.remove()
        db.engine.dispose()
    return counts


def app_environment(database_url: str, instance: Path) -> dict[str, str]:
    """Return the environment that points `wsgi:app` at the benchmark's database."""
    return {
        "SMALLSTEPS_SQLALCHEMY_DATABASE_URI": database_url,
        "SMALLSTEPS_SECRET_KEY": SECRET_KEY,
        "SMALLSTEPS_INSTANCE_PATH": str(instance),
        "SMALLSTEPS_PASSWORD_HASH_PROFILE": "CHEAPEST",
    }


def pulled_cursor(http, base: str, token: str) -> str:
    """Pull everything once, as a phone does on its first visit; return the cursor it ends at."""
    since = None
    while True:
        answer = http.post(
            f"{base}/api/v1/sync",
            json={"since": since, "changes": []},
            headers={"X-CSRFToken": token},
            timeout=REQUEST_TIMEOUT,
        )
        answer.raise_for_status()
        since = answer.json()["cursor"]
        if not answer.json().get("more"):
            return since


def sign_in(base: str, email: str) -> dict[str, str]:
    """Sign in through the sign-in page; return the session cookie and the API's CSRF token."""
    http = requests.Session()
    http.headers["User-Agent"] = USER_AGENT
    page = http.get(f"{base}/login", timeout=REQUEST_TIMEOUT)
    page.raise_for_status()
    form = {"csrf_token": CSRF_META.search(page.text).group(1), "email": email}
    form["password"] = PASSWORD
    answer = http.post(f"{base}/login", data=form, allow_redirects=False, timeout=REQUEST_TIMEOUT)
    if answer.status_code != 302:
        raise RuntimeError(f"sign-in as {email} answered {answer.status_code}")
    token = http.get(f"{base}/api/v1/csrf", timeout=REQUEST_TIMEOUT)
    token.raise_for_status()
    cookie = "; ".join(f"{jar.name}={jar.value}" for jar in http.cookies)
    csrf = token.json()["csrf_token"]
    return {"cookie": cookie, "token": csrf, "cursor": pulled_cursor(http, base, csrf)}


def probe(base: str, person: dict[str, str], body: tuple[str, str]) -> None:
    """Send every case once as wrk will, and stop unless each answers 200 as it should."""
    for case in CASES:
        headers = {"User-Agent": USER_AGENT, "Cookie": person["cookie"]}
        data = None
        if case.syncs:
            headers |= {"X-CSRFToken": person["token"], "Content-Type": "application/json"}
            data = str(uuid.uuid4()).join(with_cursor(body, person))
        answer = requests.request(
            case.method,
            base + case.path,
            headers=headers,
            data=data,
            allow_redirects=False,
            timeout=REQUEST_TIMEOUT,
        )
        if answer.status_code != 200:
            raise RuntimeError(f"{case.name} answered {answer.status_code}: {answer.text[:200]}")
        if case.syncs and answer.json()["results"][0]["status"] != "applied":
            raise RuntimeError(f"{case.name}: the win was not applied: {answer.text[:200]}")


def with_cursor(body: tuple[str, str], person: dict[str, str]) -> tuple[str, str]:
    """Return the sync body sent with this person's cursor: a phone that has pulled before."""
    head, tail = body
    return head.replace(json.dumps(SINCE_MARK), json.dumps(person["cursor"])), tail


def lua(value) -> str:
    """Return a Lua literal for a string, None, or a list of dicts of strings."""
    if value is None:
        return "nil"
    if isinstance(value, str):
        return json.dumps(value)  # ASCII only: a JSON string is a Lua string too
    rows = (", ".join(f"{key} = {lua(item)}" for key, item in row.items()) for row in value)
    return "{" + ", ".join("{" + row + "}" for row in rows) + "}"


def write_script(
    folder: Path, name: str, case: Case | None, people: list[dict], body: tuple[str, str]
) -> Path:
    """Write the Lua script for one wrk run of a case (None: hello) and return its path."""
    syncs = case is not None and case.syncs
    if case is None:
        people = [{}]
    elif case.one_person:
        people = people[-1:]
    else:
        people = people[:CONNECTIONS]
    path = folder / f"{name}.lua"
    path.write_text(
        LUA.substitute(
            people=lua(people),
            method=lua(case.method if case else "GET"),
            path=lua(case.path if case else "/"),
            body_head=lua(body[0] if syncs else None),
            body_tail=lua(body[1] if syncs else None),
            prefix=lua(uuid.uuid4().hex[:8]),
            user_agent=lua(USER_AGENT),
        )
    )
    return path


def run_wrk(script: Path, base: str, seconds: int) -> Run:
    """Run wrk with the script against the server and return what it measured."""
    command = [
        "wrk",
        f"--threads={CONNECTIONS}",
        f"--connections={CONNECTIONS}",
        f"--duration={seconds}s",
        f"--timeout={WRK_TIMEOUT}",
        "--latency",
        f"--script={script}",
        base + "/",
    ]
    output = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    found = re.search(r"^RESULT (.*)$", output, re.MULTILINE)
    if not found:
        raise RuntimeError(f"wrk printed no result:\n{output}")
    values = {key: float(value) for key, value in (p.split("=") for p in found.group(1).split())}
    return Run(
        requests=int(values["requests"]),
        seconds=values["duration_us"] / 1e6,
        p50_ms=values["p50_us"] / 1000,
        p99_ms=values["p99_us"] / 1000,
        non_2xx=int(values["non2xx"]),
        socket_errors={kind: int(values[kind]) for kind in SOCKET_ERRORS},
    )


def alternate(
    scripts: dict[int, Path], hello_script: Path, app: str, hello: str, seconds: int
) -> tuple[dict[int, Run], list[Run]]:
    """Run hello, then each case followed by hello again; return the app's and hello's runs."""
    hello_runs = [run_wrk(hello_script, hello, seconds)]
    print(f"  hello: {hello_runs[-1].rate:,.0f} req/s", file=sys.stderr)
    app_runs = {}
    for index in RUN_ORDER:
        app_runs[index] = run_wrk(scripts[index], app, seconds)
        run = app_runs[index]
        print(f"  {CASES[index].name}: {run.rate:,.0f} req/s", file=sys.stderr)
        hello_runs.append(run_wrk(hello_script, hello, seconds))
        print(f"  hello: {hello_runs[-1].rate:,.0f} req/s", file=sys.stderr)
    return app_runs, hello_runs


def rows_for(label: str, app_runs: dict[int, Run], hello_runs: list[Run]) -> list[str]:
    """Return the table rows of one database, in the cases' order."""
    rows = []
    for index, case in enumerate(CASES):
        place = RUN_ORDER.index(index)
        neighbours = hello_runs[place : place + 2]
        hello_rate = statistics.mean(run.rate for run in neighbours)
        run = app_runs[index]
        errors = run.errors()
        hello_errors = [other.errors() for other in neighbours if other.errors() != "0"]
        if hello_errors:
            errors += f" (hello: {'; '.join(hello_errors)})"
        rows.append(
            f"| {label} | {case.name} | {run.rate:,.0f} | {hello_rate:,.0f} | "
            f"{run.rate / hello_rate:.3f} | {run.p50_ms:.1f} | {run.p99_ms:.1f} | {errors} |"
        )
    return rows


def measure(
    label: str,
    url: str,
    folder: Path,
    hello: str,
    hello_script: Path,
    seconds: int,
    now: datetime,
) -> tuple[list[str], list[str]]:
    """Seed, serve and sign in the people, run every case; return table rows and notes."""
    app = migrated_app(url, folder / "instance")
    emails = seed_people(app, now)
    body = sync_body(now)
    variables = app_environment(url, folder / "instance")
    with serving("wsgi:app", variables, folder / "app", "/login") as (base, error_log):
        people = [sign_in(base, email) for email in emails]
        probe(base, people[0], body)
        before = wins_per_person(app, emails)
        scripts = {
            index: write_script(folder, f"case{index + 1}", case, people, body)
            for index, case in enumerate(CASES)
        }
        for index in (2, 3, 4):  # warm both workers up on the reads
            run_wrk(scripts[index], base, WARMUP_SECONDS)
        run_wrk(hello_script, hello, WARMUP_SECONDS)
        app_runs, hello_runs = alternate(scripts, hello_script, base, hello, seconds)
        after = wins_per_person(app, emails)
        log = logged_errors(error_log)
    answered = app_runs[0].requests + app_runs[1].requests
    added = sum(after) - sum(before)
    notes = [
        f"{label}: {answered:,} syncs answered, {added:,} wins added by them; "
        f"wins per person afterwards {min(after[:CONNECTIONS]):,}–{max(after[:CONNECTIONS]):,} "
        f"(cases 1, 3–5) and {after[-1]:,} (case 2), {min(before):,}–{max(before):,} "
        "before the syncs (answers still in flight when wrk stops are stored but not counted)",
        f"{label}: {len(log)} error lines in gunicorn's log",
    ]
    for line in log[:20]:
        print(f"  gunicorn: {line}", file=sys.stderr)
    return rows_for(label, app_runs, hello_runs), notes


def main() -> int:
    """Serve hello, then measure the app on each database against it; print a table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--duration", type=int, default=20, help="seconds per wrk run")
    seconds = parser.parse_args().duration
    if shutil.which("wrk") is None:
        print("wrk is missing: apt-get install wrk", file=sys.stderr)
        return 1
    now = datetime.now(UTC)
    rows, notes = [], []
    with tempfile.TemporaryDirectory() as name, databases(Path(name)) as found:
        folder = Path(name)
        hello_script = write_script(folder, "hello", None, [], ("", ""))
        with serving("benchmarks.hello:app", {}, folder / "hello", "/") as (hello, _):
            for label, url in found:
                print(f"{label} …", file=sys.stderr)
                measured = measure(label, url, folder / label, hello, hello_script, seconds, now)
                rows += measured[0]
                notes += measured[1]
    print(
        f"\n{seconds} s per wrk run, {CONNECTIONS} connections on {CONNECTIONS} threads; "
        "ratio: the app's req/s over hello's in the runs either side\n"
    )
    columns = ["database", "case", "req/s app", "req/s hello", "ratio", "p50 ms", "p99 ms"]
    columns.append("errors")
    print("| " + " | ".join(columns) + " |")
    print("|" + " --- |" * len(columns))
    print("\n".join(rows))
    print("\n" + "\n".join(f"- {note}" for note in notes))
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except KeyboardInterrupt:  # the servers and the folder are gone by now
        sys.exit(130)
