import json
import re

from flask_babel import get_locale

from smallsteps import assets, mail
from smallsteps.extensions import db
from smallsteps.services import password_resets
from tests.conftest import Person, app_on


def test_the_javascripts_words_are_served_per_language_and_english_needs_none(client):
    response = client.get("/i18n/es.json")
    assert response.status_code == 200
    assert response.mimetype == "application/json"
    assert isinstance(json.loads(response.get_data(as_text=True)), dict)
    assert client.get("/i18n/en.json").get_json() == {}
    assert client.get("/i18n/xx.json").status_code == 404
    assert client.get("/i18n/..%2Fsecret.json").status_code == 404


def test_a_page_names_its_catalog_by_a_version_browsers_keep_like_a_static_file(person):
    assert person.api("PUT", "/api/v1/settings", json={"language": "es"}).status_code == 200
    page = person.client.get("/").get_data(as_text=True)
    url = re.search(r'<html [^>]*data-catalog="([^"]+)"', page).group(1).replace("&amp;", "&")
    assert re.fullmatch(r"/i18n/es\.json\?v=[0-9a-f]{16}", url)
    kept = person.client.get(url)
    assert kept.headers["Cache-Control"] == assets.CACHE_CONTROL
    # A page from an earlier deploy still gets the words, which no one keeps.
    earlier = person.client.get("/i18n/es.json?v=0123456789abcdef")
    assert earlier.status_code == 200 and earlier.headers["Cache-Control"] == "no-cache"


def test_an_english_page_loads_no_catalog(person):
    page = person.client.get("/").get_data(as_text=True)
    assert re.search(r'<html [^>]*data-catalog=""', page)


def test_the_service_worker_keeps_every_shipped_languages_catalog(client):
    prelude = client.get("/sw.js").get_data(as_text=True).splitlines()[0]
    shell = json.loads(prelude.removeprefix("const SHELL = ").removesuffix(";"))
    catalogs = shell["catalogs"]
    assert "en" not in catalogs and {"ar", "de", "es", "fr"} <= set(catalogs)
    for language, url in catalogs.items():
        assert url.startswith(f"/i18n/{language}.json?v=")
        assert client.get(url).status_code == 200


def page_language(response) -> tuple[str, str]:
    """Return the lang and dir a page's <html> names."""
    found = re.search(r'<html lang="([^"]*)" dir="([^"]*)"', response.get_data(as_text=True))
    assert found, "every page names its language and direction"
    return found.group(1), found.group(2)


def test_signing_up_speaks_the_browsers_nearest_language(app):
    newcomer = Person(app.test_client(), "lake@example.com")
    # German of Switzerland first: German is shipped, so it wins over French, wanted less.
    newcomer.client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "de-CH, fr;q=0.8"
    assert newcomer.sign_up().status_code == 302
    settings = newcomer.api("GET", "/api/v1/settings")
    assert settings.get_json()["language"] == "de"
    assert page_language(newcomer.client.get("/")) == ("de", "ltr")


def test_a_language_not_shipped_is_refused_and_changes_nothing(person):
    before = person.api("GET", "/api/v1/settings").get_json()
    answer = person.api("PUT", "/api/v1/settings", json={"language": "xx"})
    assert answer.status_code == 400
    body = answer.get_json()
    assert body["error"] == "invalid settings"
    assert set(body["detail"]) == {"language"} and body["detail"]["language"].strip()
    assert person.api("GET", "/api/v1/settings").get_json() == before


def test_a_chosen_language_names_the_next_pages_language_and_direction(person):
    assert person.api("PUT", "/api/v1/settings", json={"language": "es"}).status_code == 200
    assert page_language(person.client.get("/")) == ("es", "ltr")
    assert person.api("PUT", "/api/v1/settings", json={"language": "ar"}).status_code == 200
    assert page_language(person.client.get("/settings")) == ("ar", "rtl")


def test_a_signed_in_persons_own_language_goes_before_their_browsers(person):
    person.api("PUT", "/api/v1/settings", json={"language": "fr"})
    person.client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "es"
    assert page_language(person.client.get("/")) == ("fr", "ltr")


def test_the_page_shown_while_the_database_is_down_speaks_the_browsers_language(
    app, person, tmp_path
):
    cookie = person.client.get_cookie("session").value
    down = "postgresql+psycopg://nobody@127.0.0.1:1/none"
    with app_on(down, tmp_path / "down") as broken:
        client = broken.test_client()
        # Signed in, but the person's own language is in the database that is down.
        client.set_cookie("session", cookie)
        client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "ar, en;q=0.5"
        page = client.get("/")
        assert page.status_code == 503
        assert page_language(page) == ("ar", "rtl")
        client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "es-MX"
        assert page_language(client.get("/goals")) == ("es", "ltr")
        answer = client.get("/api/v1/settings")
        assert answer.status_code == 503 and answer.get_json()["detail"]
    with app.app_context():
        db.session.remove()


def test_a_reset_mail_is_written_in_its_readers_language_not_the_askers(app, person, monkeypatch):
    person.api("PUT", "/api/v1/settings", json={"language": "de"})
    app.config["MAIL_SERVER"] = "127.0.0.1"
    written, sent = [], []
    compose = password_resets.reset_mail

    def reset_mail(link):
        written.append(str(get_locale()))
        return compose(link)

    monkeypatch.setattr(password_resets, "reset_mail", reset_mail)
    monkeypatch.setattr(mail, "send_after_answer", lambda *message: sent.append(message))
    asker = Person(app.test_client(), person.email)
    asker.client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "ar"
    answer = asker.post("/forgot", {"email": person.email})
    assert answer.status_code == 200 and page_language(answer) == ("ar", "rtl")
    assert written == ["de"]
    [(to, subject, body)] = sent
    assert to == person.email and subject and "/reset/" in body
