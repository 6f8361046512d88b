"""Static files under one content hash, kept by browsers for a year, sent gzip or brotli.

The front end has no build step and its modules import each other by relative paths
(`./store.js`), so no file gets a name of its own: the whole tree is served under one
version, `/static/<version>/js/app.js`. The version hashes every static file (and the
offline page the service worker keeps beside them), so any change gives every URL a new
one; the ASSET_VERSION setting, when given, replaces it. `url_for("static", filename=...)`
fills it in.

WhiteNoise serves the tree with `Cache-Control: public, max-age=31536000, immutable`, and
picks a file's `.br` or `.gz` copy when the browser accepts it. Those copies are made by
`flask assets build` (run by `make run`): the static folder copied into ASSET_BUILD_FOLDER
(`<instance>/static` by default), in a folder named after the content hash, and compressed
there. Without a build of these very files the plain folder is served, uncompressed.
"""

import hashlib
import re
import shutil
import tempfile
from pathlib import Path

import click
from flask import abort, current_app, send_from_directory
from flask.cli import AppGroup
from whitenoise import WhiteNoise
from whitenoise.compress import Compressor

from .security import CONTENT_SECURITY_POLICY

YEAR = 365 * 24 * 60 * 60
CACHE_CONTROL = f"public, max-age={YEAR}, immutable"
# The offline page is kept by the service worker with the static files: it is versioned too.
OFFLINE_PAGE = Path("templates", "pwa", "offline.html")
# The name of a build: the content hash it was made from.
BUILT = re.compile(r"[0-9a-f]{16}")

cli = AppGroup("assets", help="The static files, compressed for serving.")


def init_app(app):
    """Serve the static folder at /static/<version>/, through WhiteNoise outside debug mode."""
    app.static_folder = "static"
    app.add_url_rule("/static/<version>/<path:filename>", endpoint="static", view_func=send)
    app.url_defaults(add_version)
    if app.debug:
        # The files change under a running server: Flask sends them, checking the version.
        return
    # Without a build for these files (`flask assets build`), they are sent uncompressed.
    served = built_folder(app) or Path(app.static_folder)
    whitenoise = WhiteNoise(
        app.wsgi_app, max_age=None, allow_all_origins=False, add_headers_function=add_headers
    )
    whitenoise.add_files(served, prefix=base_url(app))
    app.wsgi_app = whitenoise


def add_headers(headers, _path, _url):
    """Give a file WhiteNoise sends a year's caching and the headers Flask's answers get."""
    headers["Cache-Control"] = CACHE_CONTROL
    # Flask's after_request never sees these answers: an SVG opened by itself stays inert.
    headers["Content-Security-Policy"] = CONTENT_SECURITY_POLICY
    headers["X-Content-Type-Options"] = "nosniff"


def add_version(endpoint, values):
    """Put the version into every static URL the app builds."""
    if endpoint == "static":
        values.setdefault("version", current_version())


def send(version, filename):
    """Send a static file WhiteNoise does not hold: in debug mode, or a version set since start."""
    if version != current_version():
        abort(404)
    response = send_from_directory(current_app.static_folder, filename)
    response.headers["Cache-Control"] = CACHE_CONTROL
    return response


def current_version(app=None) -> str:
    """Return the version in every static URL: ASSET_VERSION if set, else the content hash."""
    app = app or current_app._get_current_object()
    return str(app.config.get("ASSET_VERSION") or content_hash(app))


def base_url(app=None) -> str:
    """Return the URL the static tree is served under, ending in a slash."""
    return f"/static/{current_version(app)}/"


def files(app=None) -> list[str]:
    """Return every static file's path inside the static folder, in a stable order."""
    return scan(app or current_app._get_current_object())["files"]


def content_hash(app) -> str:
    """Return a hash of every static file and the offline page."""
    return scan(app)["hash"]


def scan(app) -> dict:
    """Hash the static folder once; in debug mode, again whenever a file has changed."""
    root = Path(app.static_folder)
    cached = app.extensions.get("smallsteps.assets")
    if cached is not None and cached["root"] == root and not app.debug:
        return cached
    paths = sorted(path for path in root.rglob("*") if path.is_file())
    offline_page = Path(app.root_path, OFFLINE_PAGE)
    every = [*paths, offline_page]
    stamp = [(path, path.stat().st_mtime_ns, path.stat().st_size) for path in every]
    if cached is not None and cached["root"] == root and cached["stamp"] == stamp:
        return cached
    digest = hashlib.sha256()
    for path in paths:
        digest.update(path.relative_to(root).as_posix().encode() + b"\0" + path.read_bytes())
    digest.update(offline_page.read_bytes())
    cached = {
        "root": root,
        "stamp": stamp,
        "hash": digest.hexdigest()[:16],
        "files": [path.relative_to(root).as_posix() for path in paths],
    }
    app.extensions["smallsteps.assets"] = cached
    return cached


def build_root(app) -> Path:
    """Return the folder that holds the compressed builds."""
    return Path(app.config.get("ASSET_BUILD_FOLDER") or Path(app.instance_path, "static"))


def built_folder(app) -> Path | None:
    """Return the compressed copy of the static files as they are now, if one was built."""
    folder = build_root(app) / content_hash(app)
    return folder if folder.is_dir() else None


def build(app) -> Path:
    """Copy the static folder into the build folder and compress it with WhiteNoise's compressor.

    The copy is named after the content hash, so a server never serves a build of other
    files; older builds are removed. Building again for the same files does nothing.
    """
    root = build_root(app)
    target = root / content_hash(app)
    if target.is_dir():
        return target
    root.mkdir(parents=True, exist_ok=True)
    # Made beside the target and renamed into place, so a half-made build is never served.
    work = Path(tempfile.mkdtemp(prefix=".building-", dir=root))
    try:
        copy = work / "static"
        shutil.copytree(app.static_folder, copy)
        compressor = Compressor(quiet=True)
        for path in sorted(copy.rglob("*")):
            if path.is_file() and compressor.should_compress(path.name):
                compressor.compress(str(path))
        copy.rename(target)
    finally:
        shutil.rmtree(work)
    for old in root.iterdir():
        if old != target and old.is_dir() and BUILT.fullmatch(old.name):
            shutil.rmtree(old, ignore_errors=True)
    return target


@cli.command("build")
def build_command():
    """Copy the static files into the build folder and compress them (brotli and gzip)."""
    target = build(current_app)
    click.echo(f"Static files compressed in {target}.")
