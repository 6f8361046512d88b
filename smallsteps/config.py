"""Safe defaults. Secrets come from the instance folder or SMALLSTEPS_* variables."""

import os
from datetime import timedelta
from pathlib import Path

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
    VAPID_SUBJECT = "mailto:hello@smallsteps.invalid"
    PUSH_ALLOWED_HOSTS: list[str] = []
    PUSH_ALLOW_HTTP = False
    NUDGE_MAX_LATENESS = 2 * 3600
    # How many reverse proxies stand in front of the app (0: none); see README.
    PROXY_FIX_HOPS = 0
    # How much the app says on standard error: DEBUG, INFO, WARNING or ERROR.
    LOG_LEVEL = "INFO"


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
    lateness = settings.get("NUDGE_MAX_LATENESS")
    if isinstance(lateness, bool) or not isinstance(lateness, int | float) or lateness <= 0:
        problems.append(f"NUDGE_MAX_LATENESS must be a number of seconds above 0, not {lateness!r}")
    if problems:
        raise ValueError("Small Steps cannot start: " + "; ".join(problems) + ".")
