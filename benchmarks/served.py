"""gunicorn as `make run` starts it, on a free loopback port, for the benchmarks that load it
over HTTP (sync_load.py, http_load.py): start, wait until it answers, read its log, stop."""

import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parent.parent
# `make run`'s server settings, without the dispatcher the launcher starts beside it; the
# access log goes to a file instead of the terminal.
MAKE_RUN_ARGUMENTS = ["--workers", "2", "--threads", "4", "--access-logfile", "-"]
START_TIMEOUT = 30.0
STOP_GRACE = 10.0
LOG_WORDS = ("error", "exception", "traceback", "locked", "timeout", "critical")


def free_port() -> int:
    """Return a TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextlib.contextmanager
def serving(
    application: str, variables: dict[str, str], folder: Path, ready: str
) -> Iterator[tuple[str, Path]]:
    """Run gunicorn for `application` with `variables` set; yield its base URL and error log.

    It is up once `ready` (a path) answers 200.
    """
    folder.mkdir(parents=True, exist_ok=True)
    port = free_port()
    environment = {**os.environ, **variables}
    environment.pop("GUNICORN_CMD_ARGS", None)
    error_log = folder / "gunicorn-errors.log"
    command = [sys.executable, "-m", "gunicorn", "--bind", f"127.0.0.1:{port}"]
    with open(folder / "gunicorn-access.log", "wb") as access, open(error_log, "wb") as errors:
        server = subprocess.Popen(
            [*command, *MAKE_RUN_ARGUMENTS, application],
            cwd=ROOT,
            env=environment,
            stdout=access,
            stderr=errors,
        )
        try:
            base = f"http://127.0.0.1:{port}"
            wait_until_up(base + ready, server)
            yield base, error_log
        finally:
            stop_server(server)


def wait_until_up(url: str, server: subprocess.Popen) -> None:
    """Poll a page until it answers, or give up when the server dies or stalls."""
    give_up = time.monotonic() + START_TIMEOUT
    while time.monotonic() < give_up:
        if server.poll() is not None:
            raise RuntimeError(f"gunicorn exited with {server.returncode} while starting")
        with contextlib.suppress(requests.RequestException):
            if requests.get(url, timeout=2).status_code == 200:
                return
        time.sleep(0.1)
    raise RuntimeError(f"gunicorn did not answer within {START_TIMEOUT:.0f} s")


def stop_server(server: subprocess.Popen) -> None:
    """Stop gunicorn gracefully, and make it stop if it takes too long."""
    if server.poll() is not None:
        return
    server.send_signal(signal.SIGTERM)
    try:
        server.wait(STOP_GRACE)
    except subprocess.TimeoutExpired:
        server.kill()
        server.wait()


def logged_errors(error_log: Path) -> list[str]:
    """Return the lines of gunicorn's error log that speak of an error."""
    lines = error_log.read_text(errors="replace").splitlines()
    return [line for line in lines if any(word in line.lower() for word in LOG_WORDS)]
