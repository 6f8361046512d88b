"""Run the web server and the nudge dispatcher side by side, and stop both together.

`make run` uses it: ``python -m smallsteps.launcher -- <gunicorn arguments>``. Ctrl-C or
SIGTERM reaches both; when the server stops, the dispatcher is stopped too. If the
dispatcher exits on its own, it is started again after a pause, so one bad night never
ends tomorrow's nudges, while the app keeps serving.

While it serves it holds the instance folder's serving lock (so `flask restore` waits for it
to stop), and once an hour it asks for the daily SQLite backup, which is taken when the
newest one is a day old.
"""

import signal
import subprocess
import sys
import time

from . import create_app
from .backups import serving_lock

RESTART_PAUSE = 10.0
STOP_GRACE = 10.0
BACKUP_EVERY = 3600.0


def backup_command() -> list[str]:
    """Return the command that takes the daily backup when one is due."""
    return [sys.executable, "-m", "flask", "--app", "wsgi", "backup", "--daily"]


def dispatcher_command() -> list[str]:
    """Return the command that runs the nudge dispatcher loop."""
    return [sys.executable, "-m", "flask", "--app", "wsgi", "nudges", "run"]


def server_command(arguments: list[str]) -> list[str]:
    """Return the gunicorn command with the given arguments."""
    return [sys.executable, "-m", "gunicorn", *arguments]


def stop(process: subprocess.Popen | None, signum: int = signal.SIGTERM) -> None:
    """Ask a child to stop, and make it stop if it takes too long."""
    if process is None or process.poll() is not None:
        return
    process.send_signal(signum)
    try:
        process.wait(STOP_GRACE)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def main(arguments: list[str]) -> int:
    """Start both children, forward signals, and return the server's exit code."""
    if arguments[:1] == ["--"]:
        arguments = arguments[1:]
    stopping: list[int] = []

    def forward(signum, _frame):
        stopping.append(signum)

    signal.signal(signal.SIGINT, forward)
    signal.signal(signal.SIGTERM, forward)
    with serving_lock(create_app().instance_path, wait=True):
        return serve(arguments, stopping)


def serve(arguments: list[str], stopping: list[int]) -> int:
    """Run the server, the dispatcher and the daily backup until told to stop."""
    server = subprocess.Popen(server_command(arguments))
    dispatcher: subprocess.Popen | None = subprocess.Popen(dispatcher_command())
    restart_at = 0.0
    backup: subprocess.Popen | None = None
    backup_at = 0.0
    try:
        while not stopping and server.poll() is None:
            if backup is not None and backup.poll() is not None:
                backup = None
            if backup is None and time.monotonic() >= backup_at:
                backup, backup_at = (
                    subprocess.Popen(backup_command()),
                    time.monotonic() + BACKUP_EVERY,
                )
            if dispatcher is not None and dispatcher.poll() is not None:
                print("The nudge dispatcher stopped; starting it again soon.", file=sys.stderr)
                dispatcher, restart_at = None, time.monotonic() + RESTART_PAUSE
            if dispatcher is None and time.monotonic() >= restart_at:
                dispatcher = subprocess.Popen(dispatcher_command())
            time.sleep(0.2)
    finally:
        signum = stopping[0] if stopping else signal.SIGTERM
        stop(backup, signum)
        stop(dispatcher, signum)
        stop(server, signum)
    return 0 if stopping else (server.returncode or 0)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
