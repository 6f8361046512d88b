"""One place that turns errors into answers: JSON for the API, a page for people."""

from flask import current_app, g, jsonify, render_template, request
from flask_babel import gettext as _
from flask_wtf.csrf import CSRFError
from sqlalchemy.exc import OperationalError, SQLAlchemyError
from werkzeug.exceptions import HTTPException, InternalServerError

from . import i18n
from .extensions import db
from .services.errors import ServiceError

# How long a client is told to wait when the database cannot be reached.
UNAVAILABLE_RETRY_AFTER = 30


class ApiProblem(HTTPException):
    """An API error with a status, a short message and optional details.

    The message (``error``) is a code programs read, in English; ``detail``, what to do
    about it, is said to the person, in their language.
    """

    def __init__(self, status: int, error: str, detail=None):
        """Answer with ``status``; ``error`` is the message and ``detail`` what to do about it."""
        super().__init__(description=error)
        self.code = status
        self.detail = detail


def init_app(app):
    """Send each kind of error to its handler; Flask picks the most specific kind that fits."""
    app.register_error_handler(HTTPException, handle_http_error)
    app.register_error_handler(ServiceError, handle_service_error)
    app.register_error_handler(OperationalError, handle_database_unavailable)
    app.register_error_handler(Exception, handle_unexpected_error)


def wants_json() -> bool:
    """Tell whether the request is an API call."""
    return request.path.startswith("/api/")


def api_error(status: int, error: str, detail=None):
    """Return the API's error body with its status."""
    response = jsonify({"error": error, "detail": detail})
    response.status_code = status
    return response


def words_for(error: HTTPException) -> str:
    """Return what went wrong, said to a person in their language, by the kind of error."""
    if isinstance(error, CSRFError):
        return _("This page was open for a long time. Go back, reload it and try again.")
    status = error.code or 500
    if status == 404:
        return _("It may have been moved or deleted.")
    if status in (401, 403):
        return _("This isn't open to you. Sign in first, or go back.")
    if status == 405:
        return _("That isn't something this address does.")
    if status == 413:
        return _("That was more than the server takes at once.")
    if status == 429:
        return _("That's a lot of tries. Take a breather and try again in a minute.")
    if status in (502, 503, 504):
        return _("The server is busy just now. Try again in a minute.")
    if status >= 500:
        return _("Something on the server didn't work. Try again in a minute.")
    return _("The server couldn't use that request. Go back and try again.")


def handle_http_error(error: HTTPException, said: str | None = None):
    """Answer an HTTP error in the form the caller reads."""
    status = error.code or 500
    if wants_json():
        detail = getattr(error, "detail", None)
        if detail is None and not isinstance(error, ApiProblem):
            detail = words_for(error)  # the error is a code; this says it to the person
        response = api_error(status, error.description or error.name, detail)
        for key, value in error.get_headers():
            if key in ("Retry-After", "Allow", "WWW-Authenticate"):
                response.headers[key] = value
        return response
    if said is None:
        detail = getattr(error, "detail", None)
        said = detail if isinstance(detail, str) and detail else words_for(error)
    return render_template("error.html", error=error, said=said), status


def handle_service_error(error: ServiceError):
    """Answer a request a service turned down, as the API's error or as a page."""
    problem = ApiProblem(error.status, error.error, error.detail)
    return handle_http_error(problem, said=error.said or None)


def handle_unexpected_error(error: Exception):
    """Log a bug and answer without leaking its details."""
    if isinstance(error, HTTPException):
        return handle_http_error(error)
    current_app.logger.exception("Unhandled error", exc_info=error)
    return handle_http_error(InternalServerError())


def handle_database_unavailable(error: OperationalError):
    """Answer 503 when the database is down or busy, with a page that needs no database."""
    current_app.logger.error("The database is unavailable: %s", error.orig or error)
    try:
        db.session.rollback()
    except SQLAlchemyError:
        pass  # the connection is gone; the pool makes a new one next time
    # The person's own language is in the database: their browser's is said instead.
    g.language = i18n.closest_language(request.accept_languages)
    if wants_json():
        detail = _("Small Steps can't reach its records just now. Try again in a minute.")
        response = api_error(
            503, "the server can't reach its records just now; try again soon", detail
        )
    else:
        # Rendered without context processors and without base.html: both read the
        # signed-in person, which needs the database.
        page = current_app.jinja_env.get_template("unavailable.html").render()
        response = current_app.make_response((page, 503))
    response.headers["Retry-After"] = str(UNAVAILABLE_RETRY_AFTER)
    return response
