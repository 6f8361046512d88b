"""One place that turns errors into answers: JSON for the API, a page for people."""

from flask import current_app, jsonify, render_template, request
from sqlalchemy.exc import OperationalError, SQLAlchemyError
from werkzeug.exceptions import HTTPException, InternalServerError

from .extensions import db
from .services.errors import ServiceError

# How long a client is told to wait when the database cannot be reached.
UNAVAILABLE_RETRY_AFTER = 30


class ApiProblem(HTTPException):
    """An API error with a status, a short message and optional details."""

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


def handle_http_error(error: HTTPException):
    """Answer an HTTP error in the form the caller reads."""
    status = error.code or 500
    if wants_json():
        detail = getattr(error, "detail", None)
        response = api_error(status, error.description or error.name, detail)
        for key, value in error.get_headers():
            if key in ("Retry-After", "Allow", "WWW-Authenticate"):
                response.headers[key] = value
        return response
    return render_template("error.html", error=error), status


def handle_service_error(error: ServiceError):
    """Answer a request a service turned down, as the API's error or as a page."""
    return handle_http_error(ApiProblem(error.status, error.error, error.detail))


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
    if wants_json():
        response = api_error(503, "the server can't reach its records just now; try again soon")
    else:
        # Rendered without context processors and without base.html: both read the
        # signed-in person, which needs the database.
        page = current_app.jinja_env.get_template("unavailable.html").render()
        response = current_app.make_response((page, 503))
    response.headers["Retry-After"] = str(UNAVAILABLE_RETRY_AFTER)
    return response
