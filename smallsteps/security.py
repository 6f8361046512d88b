"""Response headers that keep pages private: CSP, no sniffing, no caching, Secure cookies."""

from flask import Response as FlaskResponse
from flask import current_app, has_request_context, request, session

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


# Browsers treat these hosts as secure even over plain http: no notice is needed there.
LOOPBACK_HOSTS = {"localhost", "127.0.0.1", "[::1]"}


def init_app(app):
    """Add the headers to every response, guard its cookies, and offer the https notice."""
    app.response_class = Response
    app.after_request(add_security_headers)
    app.context_processor(lambda: {"https_notice": https_notice})


def https_notice() -> bool:
    """Tell whether to say, once a session, that installing, offline use and nudges need https.

    Over plain http from another host (a home server at its LAN address), the app works as a
    website, but the browser allows no service worker, no install and no push there.
    """
    host = request.host.rsplit(":", 1)[0] if not request.host.startswith("[") else "[::1]"
    if request.is_secure or host in LOOPBACK_HOSTS or host.startswith("127."):
        return False
    if session.get("https_notice_shown"):
        return False
    session["https_notice_shown"] = True
    return True


def add_security_headers(response):
    """Keep pages to the app's own origin, unframed, uncached and, over https, on https."""
    headers = response.headers
    headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
    headers.setdefault("X-Content-Type-Options", "nosniff")
    headers.setdefault("Referrer-Policy", "same-origin")
    headers.setdefault("Cross-Origin-Opener-Policy", "same-origin")
    headers.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
    if request.is_secure:
        headers.setdefault("Strict-Transport-Security", "max-age=31536000; includeSubDomains")
    if request.endpoint != "static":
        # Pages and JSON may hold a person's words: no browser or proxy keeps a copy.
        headers.setdefault("Cache-Control", "no-store")
    return response


def cookies_must_be_secure() -> bool:
    """Tell whether cookies set now need the Secure flag."""
    setting = current_app.config.get("COOKIE_SECURE", "auto")
    if setting == "auto":
        # The scheme the request came by (through PROXY_FIX_HOPS behind a proxy), not its
        # host: over plain http a browser drops a Secure cookie, and nobody could sign in.
        return has_request_context() and request.is_secure
    return bool(setting)


class Response(FlaskResponse):
    """A response whose cookies are Secure whenever the request came over https."""

    def set_cookie(self, *args, **kwargs):
        """Set a cookie, Secure when the request came over https."""
        if cookies_must_be_secure():
            kwargs["secure"] = True
        super().set_cookie(*args, **kwargs)
