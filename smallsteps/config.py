"""Safe defaults. Secrets come from the instance folder or SMALLSTEPS_* variables."""

import os
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit

SECRET_KEY_FILE = "secret_key"


class Defaults:
    """Settings every deployment starts from."""

    SQLALCHEMY_DATABASE_URI = None  # resolved against the instance folder in database_uri()
    SQLALCHEMY_ENGINE_OPTIONS = {"pool_pre_ping": True}
    WTF_CSRF_TIME_LIMIT = 8 * 3600
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    REMEMBER_COOKIE_HTTPONLY = True
    REMEMBER_COOKIE_SAMESITE = "Lax"
    # A phone that was told "remember me" stays signed in for half a year.
    REMEMBER_COOKIE_DURATION = timedelta(days=180)
    # "auto": cookies are Secure whenever the request came over https (see security.py).
    COOKIE_SECURE = "auto"
    MAX_CONTENT_LENGTH = 2 * 1024 * 1024
    # argon2id with one of argon2-cffi's named parameter sets: RFC 9106's second recommendation
    # (64 MiB, 3 passes), above OWASP's minimum. Tests use "CHEAPEST" for people they make.
    PASSWORD_HASH_PROFILE = "RFC_9106_LOW_MEMORY"
    # Where push services can reach whoever runs the server; this placeholder says to set it.
    VAPID_SUBJECT = "mailto:hello@smallsteps.invalid"
    # Push-service hosts (`host` or `host:port`) allowed besides FCM, Mozilla, Apple, Windows.
    PUSH_ALLOWED_HOSTS: list[str] = []
    # Plain http to the allowed hosts, for a local test push service only.
    PUSH_ALLOW_HTTP = False
    # Seconds a nudge may run late (after an outage) and still be sent; later ones are dropped.
    NUDGE_MAX_LATENESS = 2 * 3600
    # Seconds a push service keeps an undelivered nudge for a phone that is off.
    NUDGE_TTL = 4 * 3600
    # Sends in flight at once, over one HTTP session.
    NUDGE_CONCURRENCY = 64
    # Seconds one send may take before it counts as failed (and is retried).
    NUDGE_TIMEOUT = 15.0
    # Seconds before the first retry of a failed send; each retry waits twice as long.
    NUDGE_RETRY_BACKOFF = 1.0
    # Processes that encrypt nudges beside the sending thread (0: encrypt in it): every
    # core but one, up to four.
    NUDGE_ENCRYPT_PROCESSES = max(0, min(4, (os.cpu_count() or 1) - 1))
    # How many reverse proxies stand in front of the app (0: none); see README.
    PROXY_FIX_HOPS = 0
    # How much the app says on standard error: DEBUG, INFO, WARNING or ERROR.
    LOG_LEVEL = "INFO"
    # How many daily SQLite backups `make run` keeps in the instance folder's backups/.
    BACKUP_KEEP = 7
    # Who may make an account: "open" (anyone), "invite" (with a link from `flask users
    # invite`) or "closed" (nobody, but an invitation still works).
    SIGNUPS = "open"
    # Where people reach this server, like "https://steps.example.org": every link the app
    # hands out (invitations, reset mails) starts with it, never with a request's Host header.
    BASE_URL = None
    # The SMTP server that sends password-reset mails; none: the owner makes reset links.
    MAIL_SERVER = None
    MAIL_PORT = 587
    MAIL_USERNAME = None
    MAIL_PASSWORD = None
    MAIL_FROM = None
    # "starttls" (upgrade a plain connection), "tls" (TLS from the start) or "none".
    MAIL_SECURITY = "starttls"


def database_uri(configured: str | None, instance_path: str) -> str:
    """Return the SQLAlchemy URL to use, defaulting to SQLite in the instance folder."""
    url = configured or os.environ.get("DATABASE_URL")
    if not url:
        return "sqlite:///" + str(Path(instance_path) / "smallsteps.sqlite")
    # Hosting platforms hand out postgres:// URLs; SQLAlchemy wants a driver name.
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


def read_secret_key(instance_path: str) -> str | None:
    """Return the secret key kept in the instance folder, if one was made."""
    path = Path(instance_path) / SECRET_KEY_FILE
    if path.is_file():
        return path.read_text().strip() or None
    return None


SETTING_CHOICES = {
    "LOG_LEVEL": {"DEBUG", "INFO", "WARNING", "ERROR"},
    "COOKIE_SECURE": {"auto", True, False},
    "SIGNUPS": {"open", "invite", "closed"},
    "MAIL_SECURITY": {"starttls", "tls", "none"},
}


def is_base_url(value) -> bool:
    """Tell whether a value is a scheme and a host (and port) with nothing after them."""
    if not isinstance(value, str):
        return False
    try:
        parts = urlsplit(value)
        _ = parts.port  # a port that isn't a number raises here
    except ValueError:
        return False
    return (
        parts.scheme in ("http", "https")
        and bool(parts.hostname)
        and parts.username is None
        and parts.path in ("", "/")
        and not parts.query
        and not parts.fragment
    )


def mail_problems(settings) -> list[str]:
    """Return what keeps the mail settings from working; none when mail is not set up."""
    if not settings.get("MAIL_SERVER"):
        return []
    problems = []
    if not settings.get("BASE_URL"):
        problems.append(
            "MAIL_SERVER needs BASE_URL (like https://steps.example.org): mailed links are "
            "built from it, never from the address a request names"
        )
    if not settings.get("MAIL_FROM"):
        problems.append("MAIL_SERVER needs MAIL_FROM, the address reset mails come from")
    port = settings.get("MAIL_PORT")
    if isinstance(port, bool) or not isinstance(port, int) or not 0 < port < 65536:
        problems.append(f"MAIL_PORT must be a port number, like 587 or 465, not {port!r}")
    return problems


NUMBERS_ABOVE_ZERO = {
    "NUDGE_MAX_LATENESS": "a number of seconds",
    "NUDGE_TTL": "a number of seconds",
    "NUDGE_CONCURRENCY": "a whole number",
    "NUDGE_TIMEOUT": "a number of seconds",
    "NUDGE_RETRY_BACKOFF": "a number of seconds",
}


def check(settings) -> None:
    """Refuse to start with a setting that cannot work, naming it and what it takes."""
    problems = []
    for name, choices in SETTING_CHOICES.items():
        value = settings.get(name)
        if isinstance(value, str) and name == "LOG_LEVEL":
            value = value.upper()
        if value not in choices:
            shown = ", ".join(sorted(str(choice) for choice in choices))
            problems.append(f"{name} must be one of {shown}, not {value!r}")
    hops = settings.get("PROXY_FIX_HOPS")
    if isinstance(hops, bool) or not isinstance(hops, int) or not 0 <= hops <= 5:
        problems.append(
            f"PROXY_FIX_HOPS must be a whole number from 0 to 5 (proxies in front), not {hops!r}"
        )
    profile = settings.get("PASSWORD_HASH_PROFILE")
    if profile not in ("RFC_9106_LOW_MEMORY", "RFC_9106_HIGH_MEMORY", "CHEAPEST"):
        problems.append(
            "PASSWORD_HASH_PROFILE must be RFC_9106_LOW_MEMORY or RFC_9106_HIGH_MEMORY, "
            f"not {profile!r}"
        )
    for name, what in NUMBERS_ABOVE_ZERO.items():
        value = settings.get(name)
        if isinstance(value, bool) or not isinstance(value, int | float) or value <= 0:
            problems.append(f"{name} must be {what} above 0, not {value!r}")
    processes = settings.get("NUDGE_ENCRYPT_PROCESSES")
    if isinstance(processes, bool) or not isinstance(processes, int) or processes < 0:
        problems.append(
            f"NUDGE_ENCRYPT_PROCESSES must be a whole number, 0 or more, not {processes!r}"
        )
    keep = settings.get("BACKUP_KEEP")
    if isinstance(keep, bool) or not isinstance(keep, int) or keep < 1:
        problems.append(f"BACKUP_KEEP must be a whole number of backups, 1 or more, not {keep!r}")
    base_url = settings.get("BASE_URL")
    if base_url not in (None, "") and not is_base_url(base_url):
        problems.append(
            "BASE_URL must be where people reach this server: http:// or https:// and a host, "
            f"with nothing after it, like https://steps.example.org, not {base_url!r}"
        )
    problems.extend(mail_problems(settings))
    if problems:
        raise ValueError("Small Steps cannot start: " + "; ".join(problems) + ".")
