"""SQLite's writers take turns in a queue instead of sleeping in its busy timeout.

SQLite lets one writer in at a time; the others, told "busy", sleep and try again, for
1, 2, 5 … up to 100 ms a time. Under an evening rush of syncs that is the tail: a writer can
sleep through several turns it could have had. So a transaction that will write first
takes this queue's turn: a lock for the threads of one process, then an exclusive
`flock` on a file beside the database for the processes (gunicorn's workers, the nudge
dispatcher, commands). A waiter there is woken the moment the turn is free. BEGIN
IMMEDIATE then finds the database free; SQLite's own timeout stays as the backstop for
writers outside the app.
"""

import fcntl
import os
import threading

# The queue of each SQLite file this process writes to, by path.
_queues: dict[str, "WriterQueue"] = {}
_made = threading.Lock()


class WriterQueue:
    """The turn to write one SQLite file, shared by the threads and processes using it."""

    def __init__(self, database: str, wait_seconds: float):
        """Queue the writers of `database`, giving up after `wait_seconds` in this process."""
        self.path = database + "-writers.lock"
        self.wait_seconds = wait_seconds
        self.threads = threading.Lock()
        self.file: int | None = None
        self.pid = 0

    def enter(self) -> bool:
        """Wait for the turn to write; False if it did not come (SQLite then decides)."""
        if not self.threads.acquire(timeout=self.wait_seconds):
            return False
        try:
            if self.file is None or self.pid != os.getpid():
                # A file opened before gunicorn forked would be one lock for every worker.
                self.file = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o600)
                self.pid = os.getpid()
            fcntl.flock(self.file, fcntl.LOCK_EX)
        except OSError:
            self.threads.release()
            return False
        return True

    def leave(self) -> None:
        """Give the turn to the next writer."""
        fcntl.flock(self.file, fcntl.LOCK_UN)
        self.threads.release()


def queue_for(database: str | None, wait_seconds: float) -> WriterQueue | None:
    """Return the writers' queue of a SQLite file, or None for a database in memory."""
    if not database or database == ":memory:" or database.startswith("file:"):
        return None
    path = os.path.abspath(database)
    with _made:
        if path not in _queues:
            _queues[path] = WriterQueue(path, wait_seconds)
        return _queues[path]


def take_turn(connection, database: str | None, wait_seconds: float) -> None:
    """Before a writing transaction begins on `connection`, wait for the turn to write."""
    queue = queue_for(database, wait_seconds)
    if queue is not None and queue.enter():
        connection.info["writer_turn"] = queue


def end_turn(info: dict) -> None:
    """After the transaction that held it ended, give the turn on."""
    queue = info.pop("writer_turn", None)
    if queue is not None:
        queue.leave()
