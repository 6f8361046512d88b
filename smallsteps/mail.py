"""Mail through the SMTP server in the settings (MAIL_*), sent after the answer has gone out."""

import json
import logging
import smtplib
import ssl
import threading
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import formatdate, make_msgid
from urllib.parse import urlsplit

from flask import after_this_request, current_app, has_request_context

log = logging.getLogger(__name__)
# Seconds to wait on the mail server before giving up on a message.
TIMEOUT = 30


@dataclass(frozen=True)
class Server:
    """Where and how mail is handed over, and whom it comes from."""

    host: str
    port: int
    # "starttls", "tls" or "none"
    security: str
    sender: str
    # The domain of message ids: BASE_URL's host.
    domain: str
    username: str | None = None
    password: str | None = None


def configured() -> bool:
    """Tell whether this server can send mail."""
    return bool(current_app.config.get("MAIL_SERVER"))


def server() -> Server:
    """Return the mail server the settings name."""
    config = current_app.config
    return Server(
        host=config["MAIL_SERVER"],
        port=int(config["MAIL_PORT"]),
        security=config["MAIL_SECURITY"],
        sender=config["MAIL_FROM"],
        domain=urlsplit(config["BASE_URL"]).hostname,
        username=_text(config.get("MAIL_USERNAME")),
        password=_text(config.get("MAIL_PASSWORD")),
    )


def _text(value) -> str | None:
    """Return a setting as text: SMALLSTEPS_* variables that look like JSON arrive parsed."""
    if value is None or value == "":
        return None
    return value if isinstance(value, str) else json.dumps(value)


def compose(to: str, subject: str, body: str, via: Server) -> EmailMessage:
    """Return a plain-text message."""
    message = EmailMessage()
    message["From"] = via.sender
    message["To"] = to
    message["Subject"] = subject
    message["Date"] = formatdate(usegmt=True)
    message["Message-ID"] = make_msgid(domain=via.domain)
    # Tells mail servers not to answer it with an out-of-office reply.
    message["Auto-Submitted"] = "auto-generated"
    message.set_content(body)
    return message


def send(message: EmailMessage, via: Server) -> None:
    """Hand a message to the mail server and wait until it has taken it."""
    context = ssl.create_default_context()
    if via.security == "tls":
        client = smtplib.SMTP_SSL(via.host, via.port, timeout=TIMEOUT, context=context)
    else:
        client = smtplib.SMTP(via.host, via.port, timeout=TIMEOUT)
    with client:
        if via.security == "starttls":
            client.starttls(context=context)
        if via.username:
            client.login(via.username, via.password or "")
        client.send_message(message)


def send_after_answer(to: str, subject: str, body: str) -> None:
    """Mail a message from a thread of its own, started once the answer has gone out.

    So the answer takes as long as it would without a mail: nothing of the mail, not even
    writing it, happens while it is being made.
    """
    via = server()

    def start() -> None:
        thread = threading.Thread(
            target=_send_or_log, args=(to, subject, body, via), name="mail", daemon=True
        )
        thread.start()

    if not has_request_context():
        start()
        return

    @after_this_request
    def when_answered(response):
        response.call_on_close(start)
        return response


def _send_or_log(to: str, subject: str, body: str, via: Server) -> None:
    """Write and send a message; log a failure without the address, so no email is kept."""
    try:
        send(compose(to, subject, body, via), via)
    except Exception as error:  # a thread has no caller to tell
        code = getattr(error, "smtp_code", "")
        log.error("A mail could not be sent (%s %s)", type(error).__name__, code)
