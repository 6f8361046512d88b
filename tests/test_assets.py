"""Static files: one content hash in their URLs, kept for a year, sent gzip or brotli."""

import gzip
import re
import shutil
from pathlib import Path

import brotli
import pytest
from flask import url_for

from smallsteps import assets, create_app
from tests.conftest import app_config

STATIC = Path(assets.__file__).parent / "static"
A_YEAR = "public, max-age=31536000, immutable"


def static_app(tmp_path, **overrides):
    """Return an app for static files only: it never opens its database."""
    return create_app(app_config(f"sqlite:///{tmp_path / 'unused.sqlite'}", tmp_path, **overrides))


def static_url(app, filename: str) -> str:
    with app.test_request_context():
        return url_for("static", filename=filename)


def built_app(tmp_path):
    """Compress the static files as `make run` does, then return an app that serves them."""
    settings = {"ASSET_BUILD_FOLDER": str(tmp_path / "build")}
    result = static_app(tmp_path, **settings).test_cli_runner().invoke(args=["assets", "build"])
    assert result.exit_code == 0, result.output
    return static_app(tmp_path, **settings)


def test_a_page_names_every_static_file_by_the_current_version(client):
    page = client.get("/login").get_data(as_text=True)
    version = assets.current_version(client.application)
    assert f'<link rel="stylesheet" href="/static/{version}/css/app.css">' in page
    assert f'<script type="module" src="/static/{version}/js/app.js">' in page
    urls = re.findall(r'(?:href|src)="(/static/[^"]*)"', page)
    assert len(urls) >= 4 and all(url.startswith(f"/static/{version}/") for url in urls)


def test_a_static_file_is_kept_for_a_year_and_is_the_file(tmp_path):
    app = static_app(tmp_path)
    with app.test_client().get(static_url(app, "js/today.js")) as response:
        assert response.status_code == 200
        assert response.headers["Cache-Control"] == A_YEAR
        assert response.mimetype == "text/javascript"
        assert "Content-Encoding" not in response.headers  # nothing compressed was built
        assert response.get_data() == (STATIC / "js/today.js").read_bytes()


def test_a_file_of_another_version_or_of_none_is_not_found(tmp_path):
    client = static_app(tmp_path).test_client()
    for url in ["/static/css/app.css", "/static/0123456789abcdef/css/app.css"]:
        with client.get(url) as response:
            assert response.status_code == 404, url


def test_a_version_set_while_running_is_served_the_same_way(tmp_path):
    app = static_app(tmp_path)
    app.config["ASSET_VERSION"] = "version-two"
    url = static_url(app, "css/app.css")
    assert url == "/static/version-two/css/app.css"
    with app.test_client().get(url) as response:
        assert response.status_code == 200
        assert response.headers["Cache-Control"] == A_YEAR
        assert response.get_data() == (STATIC / "css/app.css").read_bytes()


@pytest.mark.parametrize(
    ("accepted", "encoding", "decompress"),
    [
        ("br", "br", brotli.decompress),
        ("gzip", "gzip", gzip.decompress),
        ("gzip, deflate, br, zstd", "br", brotli.decompress),
    ],
)
def test_a_built_file_comes_compressed_as_the_browser_accepts(
    tmp_path, accepted, encoding, decompress
):
    app = built_app(tmp_path)
    original = (STATIC / "js/today.js").read_bytes()
    url = static_url(app, "js/today.js")
    with app.test_client().get(url, headers={"Accept-Encoding": accepted}) as response:
        assert response.status_code == 200
        assert response.headers["Content-Encoding"] == encoding
        assert response.headers["Vary"] == "Accept-Encoding"
        assert response.headers["Cache-Control"] == A_YEAR
        body = response.get_data()
        assert len(body) < len(original) / 2
        assert decompress(body) == original


def test_a_built_file_comes_plain_to_a_browser_that_accepts_no_compression(tmp_path):
    app = built_app(tmp_path)
    with app.test_client().get(static_url(app, "css/app.css")) as response:
        assert "Content-Encoding" not in response.headers
        assert response.get_data() == (STATIC / "css/app.css").read_bytes()


def test_a_build_of_other_files_is_never_served(tmp_path):
    app = built_app(tmp_path)
    assert assets.built_folder(app) is not None
    changed = tmp_path / "static"
    shutil.copytree(STATIC, changed)
    with open(changed / "css/app.css", "a", encoding="utf-8") as stylesheet:
        stylesheet.write("\n/* changed */\n")
    app.static_folder = str(changed)
    assert assets.built_folder(app) is None


def test_changing_any_static_file_changes_every_url(tmp_path):
    app = static_app(tmp_path / "app")
    original = static_url(app, "js/app.js")
    same, changed = tmp_path / "same", tmp_path / "changed"
    shutil.copytree(STATIC, same)
    shutil.copytree(STATIC, changed)
    with open(changed / "icons/icon.svg", "a", encoding="utf-8") as icon:
        icon.write("\n")
    app.static_folder = str(same)
    assert static_url(app, "js/app.js") == original
    app.static_folder = str(changed)
    assert static_url(app, "js/app.js") != original
    assert static_url(app, "js/app.js").endswith("/js/app.js")


def test_in_debug_mode_an_edited_file_is_served_at_a_new_url_at_once(tmp_path):
    app = static_app(tmp_path / "app", DEBUG=True)
    static = tmp_path / "static"
    shutil.copytree(STATIC, static)
    app.static_folder = str(static)
    before = static_url(app, "css/app.css")
    with open(static / "css/app.css", "a", encoding="utf-8") as stylesheet:
        stylesheet.write("\n/* edited */\n")
    after = static_url(app, "css/app.css")
    assert after != before
    client = app.test_client()
    with client.get(before) as response:
        assert response.status_code == 404
    with client.get(after) as response:
        assert response.headers["Cache-Control"] == A_YEAR
        assert response.get_data().endswith(b"/* edited */\n")
