"""Passwords: argon2id hashes, old hashes upgraded at sign-in, and passwords too easy to guess."""

from functools import cache

from argon2 import PasswordHasher, profiles
from argon2.exceptions import InvalidHashError, VerificationError
from flask import current_app
from flask_babel import gettext as _
from werkzeug.security import check_password_hash

PASSWORD_MIN_LENGTH = 8
PASSWORD_MAX_LENGTH = 256
# Hashes made before argon2id came in (Werkzeug's scrypt and pbkdf2); upgraded at sign-in.
_WERKZEUG_METHODS = ("scrypt:", "pbkdf2:")


@cache
def _hasher_for(profile: str) -> PasswordHasher:
    """Return the hasher of one of argon2-cffi's named parameter sets."""
    return PasswordHasher.from_parameters(getattr(profiles, profile))


def _hasher() -> PasswordHasher:
    """Return the hasher the app is set to (PASSWORD_HASH_PROFILE)."""
    return _hasher_for(current_app.config["PASSWORD_HASH_PROFILE"])


@cache
def _unknown_hash(profile: str) -> str:
    """Return a hash checked against when an email is unknown, so both answers take as long."""
    return _hasher_for(profile).hash("not a real password")


def hash_password(password: str) -> str:
    """Return an argon2id hash of the password."""
    return _hasher().hash(password)


def verify(stored_hash: str | None, password: str) -> tuple[bool, str | None]:
    """Tell whether the password matches, and give a new hash when the stored one is dated.

    With no stored hash (nobody has that email) it takes as long and says no.
    """
    if stored_hash is None:
        verify(_unknown_hash(current_app.config["PASSWORD_HASH_PROFILE"]), password)
        return False, None
    if stored_hash.startswith(_WERKZEUG_METHODS):
        matches = check_password_hash(stored_hash, password)
        return matches, hash_password(password) if matches else None
    hasher = _hasher()
    try:
        hasher.verify(stored_hash, password)
    except (VerificationError, InvalidHashError):
        return False, None
    return True, hash_password(password) if hasher.check_needs_rehash(stored_hash) else None


@cache
def _common_passwords() -> frozenset[str]:
    """Return the most common passwords long enough to be chosen here, lower-cased."""
    # zxcvbn ships the 30,000 passwords seen most often in public breaches, most common first.
    from zxcvbn.frequency_lists import FREQUENCY_LISTS

    return frozenset(
        word.lower() for word in FREQUENCY_LISTS["passwords"] if len(word) >= PASSWORD_MIN_LENGTH
    )


def weakness(password: str, email: str) -> str | None:
    """Return a kind word on why a new password is too easy to guess, or None when it is fine."""
    lowered = password.strip().lower()
    if lowered == email.strip().lower() or lowered == email.strip().lower().partition("@")[0]:
        return _("Your password can't be your email. Try a few words only you would put together?")
    if lowered in _common_passwords():
        return _(
            "That password is one of the most common ones, so it's easy to guess. "
            "Try a few words only you would put together?"
        )
    return None
