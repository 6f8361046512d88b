"""The installable app: the service worker at /sw.js, the manifest and the offline page."""

import json
from pathlib import Path

from flask import Blueprint, Response, current_app, render_template, url_for

from . import assets

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
        "description": "Log small wins, break big goals into smaller steps, "
        "and look back at how far you've come.",
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
            {"name": "Log a win", "url": "/#log-form", "icons": [icon("icon-192.png", 192)]},
            {"name": "Look back", "url": "/look-back", "icons": [icon("icon-192.png", 192)]},
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
                "label": "Today: log a small win in seconds",
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
