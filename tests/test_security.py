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


def test_cookies_are_secure_outside_localhost(app, person):
    client = app.test_client()
    response = client.get("/login", base_url="http://smallsteps.example")
    cookies = response.headers.getlist("Set-Cookie")
    assert cookies and all("Secure" in value for value in cookies)


def test_https_responses_ask_for_https_from_now_on(client):
    response = client.get("/login", base_url="https://smallsteps.example")
    assert "max-age" in response.headers["Strict-Transport-Security"]
