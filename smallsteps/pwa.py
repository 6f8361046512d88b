"""The installable app: the service worker, the manifest, the offline page, the JS's words.

The service worker is at /sw.js, and the JavaScript's words in each language (its catalog)
at /i18n/<language>.json.
"""

import hashlib
import json
from pathlib import Path

from flask import Blueprint, Response, abort, current_app, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _

from . import assets, i18n

bp = Blueprint("pwa", __name__)

# Large files a phone fetches only when it needs them, and the worker itself.
NOT_PRECACHED = ("screenshots/", "sw.js")
THEME_COLOR = "#23604f"
BACKGROUND_COLOR = "#f6f3ec"


def shell() -> dict:
    """Return the app shell: its version, the static files' base URL and the files to precache.

    The version is the static files' (see assets.py): a deploy that changes any of them, or
    the offline page, installs a new worker.
    """
    return {
        "version": assets.current_version(),
        "static": assets.base_url(),
        "files": [
            url_for("static", filename=name)
            for name in assets.files()
            if not name.startswith(NOT_PRECACHED)
        ],
        # Every language's words, so a page and a nudge speak it offline too.
        "catalogs": {
            language: catalog_url(language)
            for language in i18n.languages()
            if language != i18n.SOURCE_LANGUAGE
        },
    }


@bp.get("/sw.js")
def service_worker():
    """Serve the service worker at the root scope, told which shell version it keeps."""
    source = Path(current_app.static_folder, "sw.js").read_text(encoding="utf-8")
    prelude = f"const SHELL = {json.dumps(shell())};\n"
    response = Response(prelude + source, mimetype="text/javascript")
    response.headers["Cache-Control"] = "no-cache"
    response.headers["Service-Worker-Allowed"] = "/"
    return response


def catalog_version() -> str:
    """Return the version in the catalogs' URLs: the static files' and the compiled catalogs'.

    A deploy that changes either gives every catalog a new URL, and so /sw.js new bytes: the
    worker that comes with them keeps the new catalogs.
    """
    cached = current_app.extensions.get("smallsteps.catalogs")
    unchanged = cached is not None and cached["stamp"][0] == assets.current_version()
    if unchanged and not current_app.debug:
        return cached["version"]  # catalogs change with a deploy, which restarts the app
    compiled = sorted(
        path for folder in i18n.translation_folders() for path in folder.glob("*/LC_MESSAGES/js.mo")
    )
    stamp = (assets.current_version(), [(path, path.stat().st_mtime_ns) for path in compiled])
    if cached is not None and cached["stamp"] == stamp:
        return cached["version"]
    digest = hashlib.sha256(stamp[0].encode())
    for path in compiled:
        digest.update(f"{path.parents[1].name}\0".encode() + path.read_bytes())
    cached = {"stamp": stamp, "version": digest.hexdigest()[:16], "bodies": {}}
    current_app.extensions["smallsteps.catalogs"] = cached
    return cached["version"]


@bp.app_template_global()
def catalog_url(language: str | None = None) -> str:
    """Return the URL of a language's catalog for the JavaScript, "" for English (it has none)."""
    language = str(language or get_locale() or i18n.SOURCE_LANGUAGE)
    if language == i18n.SOURCE_LANGUAGE:
        return ""
    return url_for("pwa.catalog", language=language, v=catalog_version())


@bp.get("/i18n/<language>.json")
def catalog(language):
    """Serve the JavaScript's words in a language: msgid to text, a plural's forms by category.

    The URL carries the catalogs' version (?v=), so browsers keep it as long as a static
    file; any other version is answered with the current words, kept by no one.
    """
    if language not in i18n.languages():
        abort(404)
    version = catalog_version()
    bodies = current_app.extensions["smallsteps.catalogs"]["bodies"]
    if language not in bodies:
        words = {} if language == i18n.SOURCE_LANGUAGE else i18n.javascript_catalog(language)
        bodies[language] = json.dumps(words, ensure_ascii=False, sort_keys=True)
    response = Response(bodies[language], mimetype="application/json")
    current = request.args.get("v") == version
    response.headers["Cache-Control"] = assets.CACHE_CONTROL if current else "no-cache"
    return response


@bp.get("/manifest.webmanifest")
def manifest():
    """Describe the app to the browser that installs it."""

    def icon(name, size, purpose="any"):
        src = url_for("static", filename=f"icons/{name}")
        return {"src": src, "sizes": f"{size}x{size}", "type": "image/png", "purpose": purpose}

    body = {
        "id": "/",
        "name": "Small Steps",
        "short_name": "Small Steps",
        "description": _(
            "Log small wins, break big goals into smaller steps, "
            "and look back at how far you've come."
        ),
        # The browser's language: a manifest is fetched without the person's cookies.
        "lang": str(get_locale() or i18n.SOURCE_LANGUAGE).replace("_", "-"),
        "dir": i18n.text_direction(),
        "start_url": "/",
        "scope": "/",
        "display": "standalone",
        "orientation": "any",
        "theme_color": THEME_COLOR,
        "background_color": BACKGROUND_COLOR,
        "categories": ["health", "lifestyle", "productivity"],
        "icons": [
            icon("icon-192.png", 192),
            icon("icon-512.png", 512),
            icon("icon-maskable-512.png", 512, "maskable"),
        ],
        # Long-press the home-screen icon: log a win, or look back, in one tap.
        "shortcuts": [
            {"name": _("Log a win"), "url": "/#log-form", "icons": [icon("icon-192.png", 192)]},
            {"name": _("Look back"), "url": "/look-back", "icons": [icon("icon-192.png", 192)]},
        ],
        # Text shared from another app becomes a win to confirm (wins.share).
        "share_target": {
            "action": "/share",
            "method": "GET",
            "enctype": "application/x-www-form-urlencoded",
            "params": {"title": "title", "text": "text", "url": "url"},
        },
        "screenshots": [
            {
                "src": url_for("static", filename="screenshots/today-narrow.png"),
                "sizes": "540x1200",
                "type": "image/png",
                "form_factor": "narrow",
                "label": _("Today: log a small win in seconds"),
            }
        ],
    }
    return Response(json.dumps(body), mimetype="application/manifest+json")


@bp.get("/offline")
def offline():
    """Say calmly that this page needs a connection, and that wins are safe."""
    return render_template("pwa/offline.html")


@bp.get("/help/https")
def https_help():
    """Explain, for whoever runs the server, how to reach Small Steps over https."""
    return render_template("pwa/https.html")
