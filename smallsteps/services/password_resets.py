"""A forgotten password: a signed link, good for an hour, spent once a new password is set.

No table: the token carries the person's id and a short fingerprint of their password hash
and session token, signed with the secret key. Setting a new password changes both, so the
link opens nothing afterwards, and neither does any older link.
"""

import hashlib
import hmac
from datetime import timedelta

from flask import current_app
from flask_babel import gettext as _
from itsdangerous import BadData, URLSafeTimedSerializer
from sqlalchemy import select

from .. import i18n, mail
from ..extensions import begin_writing, db
from ..links import absolute_url
from ..models import User
from . import accounts, passwords, throttle

SALT = "password-reset"
# Seconds a link works for.
MAX_AGE = 3600


def reset_mail(link: str) -> tuple[str, str]:
    """Return the reset mail's subject and body, in the current language."""
    subject = _("Your Small Steps sign-in link")
    # Translators: a plain-text email; keep the line breaks and the %(link)s line as they are.
    body = _(
        "Hello,\n"
        "\n"
        "Someone, we hope you, asked for a way back into Small Steps. Open this link to choose a\n"
        "new password:\n"
        "\n"
        "%(link)s\n"
        "\n"
        "It works once, for an hour. If you didn't ask, you can let this mail go: your password\n"
        "stays as it is.\n"
        "\n"
        "Take care,\n"
        "Small Steps\n",
        link=link,
    )
    return subject, body


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=SALT)


def fingerprint(user: User) -> str:
    """Return a short digest of what a new password replaces: the hash and the session token."""
    material = f"{user.password_hash}\n{user.session_token}".encode()
    return hashlib.sha256(material).hexdigest()[:16]


def make_token(user: User) -> str:
    """Return a reset token for this person, good for MAX_AGE seconds."""
    return _serializer().dumps({"user": user.id, "fingerprint": fingerprint(user)})


def link_for(user: User) -> str:
    """Return the whole reset link for this person, under BASE_URL."""
    return absolute_url("auth.reset", token=make_token(user))


def _holder(token: str, lock: bool = False) -> User | None:
    """Return the person a fresh, unspent token was made for, or None."""
    try:
        data = _serializer().loads(token, max_age=MAX_AGE)
    except BadData:  # tampered, expired, or not a token at all
        return None
    user_id = data.get("user") if isinstance(data, dict) else None
    seen = data.get("fingerprint") if isinstance(data, dict) else None
    if type(user_id) is not int or not isinstance(seen, str):
        return None
    query = select(User).where(User.id == user_id).execution_options(populate_existing=True)
    user = db.session.scalar(query.with_for_update() if lock else query)
    if user is None or not hmac.compare_digest(fingerprint(user), seen):
        return None
    return user


def email_of(token: str) -> str | None:
    """Return the email of the person a token still works for; end the transaction."""
    user = _holder(token)
    email = user.email if user is not None else None
    db.session.commit()
    return email


def reset_password(token: str, new_password: str) -> User | None:
    """Set a new password with a token and spend it; None when the token no longer works."""
    if email_of(token) is None:
        return None
    # Hashed outside any transaction, so no lock is held through the slow part.
    password_hash = passwords.hash_password(new_password)
    begin_writing()
    # Checked again under the row's lock: of two tabs racing with one link, one sets it.
    user = _holder(token, lock=True)
    if user is None:
        db.session.rollback()
        return None
    accounts.set_password_hash(user, password_hash)
    return user


def request_link(email: str, address: str | None) -> timedelta:
    """Mail a reset link if the email has an account; return the wait if asked too often.

    Every request is counted. An email with an account and one without take the same steps
    until the mail, which is written and sent only once the answer has gone out, so the
    answer is the same, and as quick, either way.
    """
    attempt = throttle.begin_attempt(email, address, purpose="reset")
    if attempt.wait:
        return attempt.wait
    user = accounts.find_by_email(email)
    if user is not None:
        # Written in the language of the person it goes to, not the one asking.
        with i18n.speaking(user.language):
            subject, body = reset_mail(link_for(user))
        mail.send_after_answer(user.email, subject, body)
    db.session.commit()
    return timedelta(0)
