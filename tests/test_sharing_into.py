"""The home-screen icon's shortcuts, and text shared from another app becoming a win to confirm."""

from sqlalchemy import func, select

from smallsteps.extensions import db
from smallsteps.models import Win


def test_the_manifest_offers_shortcuts_and_takes_shared_text(client):
    manifest = client.get("/manifest.webmanifest").json
    assert [shortcut["name"] for shortcut in manifest["shortcuts"]] == ["Log a win", "Look back"]
    assert manifest["share_target"] == {
        "action": "/share",
        "method": "GET",
        "enctype": "application/x-www-form-urlencoded",
        "params": {"title": "title", "text": "text", "url": "url"},
    }


def wins_in(app) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(Win))


def test_shared_text_waits_in_the_log_field_until_the_person_logs_it(app, person):
    page = person.client.get("/share?title=A+note&text=Went+for+a+walk+at+lunch").text
    assert 'value="Went for a walk at lunch"' in page
    assert "Shared with Small Steps" in page
    assert wins_in(app) == 0


def test_a_shared_link_or_title_is_kept_and_long_text_is_trimmed_to_fit(person):
    page = person.client.get("/share?title=Breathing&url=https://example.org/breathe").text
    assert 'value="Breathing https://example.org/breathe"' in page
    long = person.client.get("/share?text=" + "calm " * 100).text
    assert 'value="' + ("calm " * 56).strip() + '"' in long


def test_shared_text_with_characters_that_cannot_be_kept_never_breaks_the_page(person):
    response = person.client.get("/share?text=Walked%00home")
    assert response.status_code == 200
    assert "Walked\ufffdhome" in response.text


def test_sharing_while_signed_out_asks_to_sign_in_first(client):
    response = client.get("/share?text=hello")
    assert response.status_code == 302 and "/login" in response.location
