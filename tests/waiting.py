"""Waiting in tests: by polling a condition, with a deadline, never by sleeping a fixed time."""

import time

POLL_EVERY = 0.05


def wait_until(condition, what: str, seconds: float = 60.0):
    """Poll `condition` until it gives something true, and return that; fail naming `what`."""
    deadline = time.monotonic() + seconds
    while True:
        value = condition()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"gave up waiting for {what}")
        time.sleep(POLL_EVERY)


def settled_value(read, expected, seconds: float = 60.0):
    """Poll `read` until it gives `expected` or time runs out; return what it gave last."""
    deadline = time.monotonic() + seconds
    value = read()
    while value != expected and time.monotonic() < deadline:
        time.sleep(POLL_EVERY)
        value = read()
    return value
