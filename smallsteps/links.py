"""Whole links the app hands out (invitations, reset mails), built from BASE_URL alone.

Never from the Host header of a request: whoever sends a request chooses that header, and a
mailed link built from it could send a person's reset token to their server.
"""

from urllib.parse import urlsplit

from flask import current_app, url_for

# What commands use when BASE_URL is not set: the address `make run` serves at.
LOCAL_BASE_URL = "http://127.0.0.1:5000"


def base_url() -> str:
    """Return where people reach this server, without a trailing slash."""
    return (current_app.config.get("BASE_URL") or LOCAL_BASE_URL).rstrip("/")


def absolute_url(endpoint: str, **values) -> str:
    """Return the whole link to an endpoint, under BASE_URL."""
    parts = urlsplit(base_url())
    adapter = current_app.url_map.bind(parts.netloc, url_scheme=parts.scheme)
    return adapter.build(endpoint, values, force_external=True)


def shown_url(endpoint: str, **values) -> str:
    """Return a whole link shown on screen to the person asking.

    Under BASE_URL when set, else the address their browser used: a link on their own
    screen is not a mailed one, so the Host header cannot send it anywhere else.
    """
    if current_app.config.get("BASE_URL"):
        return absolute_url(endpoint, **values)
    return url_for(endpoint, _external=True, **values)
