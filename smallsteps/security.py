"""Response headers that keep pages private: CSP, no sniffing, Secure cookies."""

from flask import Response as FlaskResponse
from flask import current_app, has_request_context, request

CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "manifest-src 'self'",
        "worker-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)
LOOPBACK_HOSTS = {"localhost", "127.0.0.1", "[::1]", "::1"}


def init_app(app):
    """Add the headers to every response and guard its cookies."""
    app.response_class = Response
    app.after_request(add_security_headers)


def is_loopback_request() -> bool:
    """Tell whether the page was asked for on this machine itself."""
    return request.host.rsplit(":", 1)[0] in LOOPBACK_HOSTS or request.host == "[::1]"


def add_security_headers(response):
    """Set CSP and friends."""
    headers = response.headers
    headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
    headers.setdefault("X-Content-Type-Options", "nosniff")
    headers.setdefault("Referrer-Policy", "same-origin")
    headers.setdefault("Cross-Origin-Opener-Policy", "same-origin")
    headers.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
    if request.is_secure:
        headers.setdefault("Strict-Transport-Security", "max-age=31536000; includeSubDomains")
    return response


def cookies_must_be_secure() -> bool:
    """Tell whether cookies set now need the Secure flag."""
    setting = current_app.config.get("COOKIE_SECURE", "auto")
    if setting == "auto":
        return has_request_context() and not is_loopback_request()
    return bool(setting)


class Response(FlaskResponse):
    """A response whose cookies are Secure wherever the app is not on a loopback host."""

    def set_cookie(self, *args, **kwargs):
        """Set a cookie, Secure when the app is served beyond this machine."""
        if cookies_must_be_secure():
            kwargs["secure"] = True
        super().set_cookie(*args, **kwargs)
