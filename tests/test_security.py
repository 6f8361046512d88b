import re

from flask import url_for

from tests.conftest import app_on


def test_pages_carry_a_strict_content_security_policy(client):
    response = client.get("/login")
    policy = response.headers["Content-Security-Policy"]
    assert "default-src 'self'" in policy and "script-src 'self'" in policy
    assert "unsafe-inline" not in policy
    assert "frame-ancestors 'none'" in policy
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert "<script>" not in response.get_data(as_text=True)


def test_the_session_cookie_is_http_only_and_same_site_lax(person):
    person.log_out()
    response = person.post("/login", {"email": person.email, "password": person.password})
    cookie = response.headers.getlist("Set-Cookie")
    session = next(value for value in cookie if value.startswith("session="))
    assert "HttpOnly" in session and "SameSite=Lax" in session
    assert "Secure" not in session  # a developer's loopback host


def test_cookies_are_secure_over_https(app):
    client = app.test_client()
    response = client.get("/login", base_url="https://smallsteps.example")
    cookies = response.headers.getlist("Set-Cookie")
    assert cookies and all("Secure" in value for value in cookies)


def test_behind_a_proxy_cookies_follow_the_scheme_it_was_reached_by(database_url, tmp_path):
    with app_on(database_url, tmp_path / "instance", PROXY_FIX_HOPS=1) as app:
        client = app.test_client()
        # Caddy passes the request on as http to 127.0.0.1, saying it came over https.
        headers = {"X-Forwarded-Proto": "https", "X-Forwarded-For": "198.51.100.7"}
        response = client.get("/login", base_url="http://127.0.0.1:5000", headers=headers)
        cookies = response.headers.getlist("Set-Cookie")
        assert cookies and all("Secure" in value for value in cookies)
        assert "max-age" in response.headers["Strict-Transport-Security"]


def test_a_home_server_reached_over_plain_http_by_its_lan_name_signs_people_in(app):
    client = app.test_client()
    lan = "http://smallsteps.lan:5000"
    response = client.get("/signup", base_url=lan)
    # A browser drops a Secure cookie that came over plain http, and the form's token with it.
    cookies = response.headers.getlist("Set-Cookie")
    assert cookies and all("Secure" not in value for value in cookies)
    token = re.search(r'name="csrf-token" content="([^"]+)"', response.get_data(as_text=True))[1]
    form = {"csrf_token": token, "email": "lan@example.com", "password": "a calm password"}
    response = client.post("/signup", data=form, base_url=lan)
    assert response.status_code == 302, response.get_data(as_text=True)
    assert all("Secure" not in value for value in response.headers.getlist("Set-Cookie"))
    assert 'id="log-form"' in client.get("/", base_url=lan).get_data(as_text=True)

    token = re.search(r'name="csrf-token" content="([^"]+)"', client.get("/", base_url=lan).text)[1]
    client.post("/logout", data={"csrf_token": token}, base_url=lan)
    token = re.search(
        r'name="csrf-token" content="([^"]+)"', client.get("/login", base_url=lan).text
    )[1]
    form = {"csrf_token": token, "email": "lan@example.com", "password": "a calm password"}
    assert client.post("/login", data=form, base_url=lan).status_code == 302
    assert 'id="log-form"' in client.get("/", base_url=lan).get_data(as_text=True)


PRIVATE_ANSWERS = [
    "/",
    "/goals",
    "/look-back",
    "/settings",
    "/api/v1/settings",
    "/api/v1/summary",
    "/api/v1/nudges",
    "/api/v1/export",
    "/export.csv",
]


def test_no_private_answer_may_be_kept_by_a_browser_or_proxy(person):
    person.log_win("Something private")
    for url in PRIVATE_ANSWERS:
        response = person.client.get(url)
        assert response.status_code == 200, url
        assert "no-store" in response.headers.get("Cache-Control", ""), url


def test_static_files_are_kept_for_a_year_without_asking_again(app, client):
    with app.test_request_context():
        url = url_for("static", filename="css/app.css")
    with client.get(url) as response:
        assert response.status_code == 200
        assert response.headers["Cache-Control"] == "public, max-age=31536000, immutable"
        assert response.headers["X-Content-Type-Options"] == "nosniff"
        assert "default-src 'self'" in response.headers["Content-Security-Policy"]


def test_https_responses_ask_for_https_from_now_on(client):
    response = client.get("/login", base_url="https://smallsteps.example")
    assert "max-age" in response.headers["Strict-Transport-Security"]
