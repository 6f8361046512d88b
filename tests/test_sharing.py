"""Sharing with a counsellor: a share shows its scope and nothing else, ends at once, logs
each look, and belongs to its person alone; on SQLite and PostgreSQL."""

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from smallsteps.extensions import db
from smallsteps.models import Share, ShareView
from tests.conftest import make_person
from tests.test_sync import goal, new_id, step, sync, win

# The clock stands at Sunday 2026-11-22 14:00 in Amsterdam.
IPHONE = (
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 "
    "(KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1"
)


# The clock stops first, so a person is made on the same day their wins are read.
pytestmark = pytest.mark.usefixtures("clock")


@pytest.fixture
def life(person):
    """Give the person goal A and goal B, wins toward each with notes, and one old win of A."""
    ids = {"a": new_id(), "b": new_id(), "step_a": new_id(), "step_b": new_id()}
    changes = [
        goal(ids["a"], title="Stay sober"),
        goal(ids["b"], title="Sleep better"),
        step(ids["a"], ids["step_a"], title="Call my sponsor"),
        step(ids["b"], ids["step_b"], title="Phone away at ten"),
        win(
            text="Called Marjan",
            occurred_at="2026-11-20T19:00:00+01:00",
            step_id=ids["step_a"],
            note="voice shaking, did it anyway",
        ),
        win(
            text="Went to the Tuesday meeting",
            occurred_at="2026-11-17T20:00:00+01:00",
            step_id=ids["step_a"],
        ),
        win(
            text="Phone in the kitchen",
            occurred_at="2026-11-21T22:00:00+01:00",
            step_id=ids["step_b"],
            note="slept at last",
        ),
        win(text="Poured it away", occurred_at="2026-08-01T21:00:00+02:00", step_id=ids["step_a"]),
    ]
    sync(person, changes)
    return ids


def make_share(person, **fields):
    body = {"name": "Dr. Kim", "goal_ids": None, "include_notes": False, "days": 28, **fields}
    answer = person.api("POST", "/api/v1/shares", json=body)
    assert answer.status_code == 201, answer.get_data(as_text=True)
    return answer.json


def path_of(url: str) -> str:
    return url if url.startswith("/") else "/" + url.split("/", 3)[3]


def read(app, url: str, **headers):
    """Open a shared link as the counsellor would: a browser of their own, no account."""
    return app.test_client().get(path_of(url), headers=headers)


def test_a_share_of_one_goal_without_notes_shows_that_goal_and_nothing_else(app, person, life):
    made = make_share(person, goal_ids=[life["a"]])

    answer = read(app, made["url"])
    page = answer.get_data(as_text=True)
    assert answer.status_code == 200
    assert "Called Marjan" in page and "Went to the Tuesday meeting" in page
    assert "Call my sponsor" in page and "Stay sober" in page
    assert "Phone in the kitchen" not in page and "Sleep better" not in page  # goal B
    assert "voice shaking" not in page and "slept at last" not in page  # no notes
    assert "Poured it away" not in page  # before its four weeks
    assert person.email not in page


def test_a_share_with_notes_and_everything_shows_them(app, person, life):
    made = make_share(person, include_notes=True, days=None)

    page = read(app, made["url"]).get_data(as_text=True)
    assert "voice shaking, did it anyway" in page and "slept at last" in page
    assert "Poured it away" in page and "Phone in the kitchen" in page


def test_the_shared_page_is_private_to_its_reader(app, person, life):
    answer = read(app, make_share(person)["url"])

    assert answer.headers["Cache-Control"] == "no-store"
    assert answer.headers["Referrer-Policy"] == "no-referrer"
    assert "noindex" in answer.headers["X-Robots-Tag"]
    assert "default-src 'self'" in answer.headers["Content-Security-Policy"]
    assert "Set-Cookie" not in answer.headers
    assert '<meta name="robots" content="noindex, nofollow">' in answer.get_data(as_text=True)


def test_the_link_is_shown_once_and_the_list_never_shows_it(app, person, life):
    made = make_share(person, goal_ids=[life["b"]], expires_in_days=30)

    assert set(made) == {
        "id",
        "name",
        "goal_ids",
        "include_notes",
        "days",
        "expires_at",
        "created_at",
        "url",
    }
    assert made["goal_ids"] == [life["b"]] and made["expires_at"].startswith("2026-12-22")
    listed = person.api("GET", "/api/v1/shares").json
    assert [share["id"] for share in listed] == [made["id"]]
    assert "url" not in listed[0]
    token = made["url"].rsplit("/", 1)[1]
    assert len(token) >= 22  # at least 128 bits
    assert token not in person.client.get("/settings/sharing").get_data(as_text=True)
    with app.app_context():
        assert token not in db.session.scalar(select(Share.token_hash))


def test_revoking_ends_the_link_at_once_and_looks_the_same_as_a_wrong_one(app, person, life):
    made = make_share(person)
    assert read(app, made["url"]).status_code == 200

    assert person.api("DELETE", f"/api/v1/shares/{made['id']}").status_code == 204

    revoked = read(app, made["url"])
    wrong = read(app, made["url"][:-4] + "abcd")
    assert revoked.status_code == wrong.status_code == 404
    assert revoked.get_data() == wrong.get_data()
    assert person.api("GET", "/api/v1/shares").json == []


def test_a_share_ends_on_its_day(app, clock, person, life):
    made = make_share(person, expires_in_days=7)
    assert read(app, made["url"]).status_code == 200

    clock.shift(timedelta(days=7))

    ended = read(app, made["url"])
    assert ended.status_code == 404
    assert ended.get_data() == read(app, "http://x/s/not-a-token").get_data()


def test_each_look_is_logged_with_a_coarse_device(app, person, life):
    made = make_share(person)

    read(app, made["url"], **{"User-Agent": IPHONE})
    read(app, path_of(made["url"]) + "/summary?weeks=2")

    views = person.api("GET", f"/api/v1/shares/{made['id']}/views").json
    assert [view["device"] for view in views] == ["A browser", "Safari on iPhone"]
    assert all(view["at"].startswith("2026-11-22T13:00") for view in views)
    assert "Safari on iPhone" in person.client.get("/settings/sharing").get_data(as_text=True)


def test_another_person_cannot_list_read_the_log_of_or_end_a_share(app, person, other_person, life):
    made = make_share(person)

    assert other_person.api("GET", "/api/v1/shares").json == []
    assert other_person.api("GET", f"/api/v1/shares/{made['id']}/views").status_code == 404
    assert other_person.api("DELETE", f"/api/v1/shares/{made['id']}").status_code == 404
    ended = other_person.post(f"/settings/sharing/{made['id']}/revoke")
    assert ended.status_code == 404
    assert "We couldn't find that" in ended.get_data(as_text=True)
    assert read(app, made["url"]).status_code == 200


def test_a_share_of_someone_elses_goal_is_refused(app, person, other_person, life):
    answer = other_person.api(
        "POST", "/api/v1/shares", json={"name": "Friend", "goal_ids": [life["a"]]}
    )

    assert answer.status_code == 400
    assert answer.json["detail"] == {"goal_ids": "Each goal id must be one of your goals."}


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"name": ""}, "name"),
        ({"name": "x" * 81}, "name"),
        ({"name": "Kim", "goal_ids": []}, "goal_ids"),
        ({"name": "Kim", "goal_ids": ["not-an-id"]}, "goal_ids"),
        ({"name": "Kim", "days": 0}, "days"),
        ({"name": "Kim", "days": "28"}, "days"),
        ({"name": "Kim", "include_notes": "yes"}, "include_notes"),
        ({"name": "Kim", "expires_in_days": 400}, "expires_in_days"),
        ({"name": "Kim", "expires_in_days": True}, "expires_in_days"),
    ],
)
def test_a_share_that_cannot_be_is_refused_field_by_field(app, person, body, field):
    answer = person.api("POST", "/api/v1/shares", json=body)

    assert answer.status_code == 400
    assert answer.json["error"] == "invalid share" and field in answer.json["detail"]
    assert person.api("GET", "/api/v1/shares").json == []


def test_deleting_the_account_ends_its_shares(app, person, life):
    made = make_share(person)
    read(app, made["url"])

    person.post("/settings/delete", {"password": "a calm password", "confirm": "y"})

    assert read(app, made["url"]).status_code == 404
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Share)) == 0
        assert db.session.scalar(select(func.count()).select_from(ShareView)) == 0


def test_shares_leave_with_the_export_without_their_tokens(app, person, life):
    made = make_share(person, goal_ids=[life["a"]])
    read(app, made["url"])

    exported = person.api("GET", "/api/v1/export").json
    [share] = exported["shares"]
    assert share["name"] == "Dr. Kim" and share["goal_ids"] == [life["a"]]
    assert len(share["views"]) == 1
    token = made["url"].rsplit("/", 1)[1]
    assert token not in str(exported) and "url" not in share


def test_guessing_links_is_slowed_for_that_address(app, person, life):
    made = make_share(person)
    guesser = app.test_client()
    address = {"REMOTE_ADDR": "203.0.113.9"}
    answers = [guesser.get(f"/s/guess-{n}", environ_base=address).status_code for n in range(21)]
    assert answers == [404] * 20 + [429]
    assert guesser.get(path_of(made["url"]), environ_base=address).status_code == 429
    assert read(app, made["url"]).status_code == 200  # another address is not slowed


def test_the_settings_form_makes_a_share_and_shows_its_link_and_qr_once(app, person, life):
    answer = person.post(
        "/settings/sharing",
        {
            "name": "Sam (sponsor)",
            "goals": "chosen",
            "goal_ids": [life["a"]],
            "days": "91",
            "expires_in_days": "90",
        },
    )
    page = answer.get_data(as_text=True)

    assert answer.status_code == 200
    assert "Your link for Sam (sponsor)" in page and 'class="qr"' in page
    url = page.split('id="share-url" value="', 1)[1].split('"', 1)[0]
    assert "Called Marjan" in read(app, url).get_data(as_text=True)
    listing = person.client.get("/settings/sharing").get_data(as_text=True)
    assert "Sam (sponsor)" in listing and "Stay sober" in listing and url not in listing


def test_the_form_keeps_what_was_typed_when_a_field_is_wrong(app, person, life):
    answer = person.post("/settings/sharing", {"name": "", "goals": "chosen", "days": "28"})

    assert answer.status_code == 400
    assert "Say who it is for" in answer.get_data(as_text=True)
    assert person.api("GET", "/api/v1/shares").json == []


def test_the_summary_through_a_share_keeps_to_the_shares_scope(app, person, life):
    made = make_share(person, goal_ids=[life["b"]], include_notes=True)

    page = read(app, path_of(made["url"]) + "/summary?weeks=1").get_data(as_text=True)
    assert "Phone in the kitchen" in page and "slept at last" in page
    assert "Called Marjan" not in page


def test_a_person_prints_their_own_summary_notes_only_when_asked(app, person, life):
    plain = person.client.get("/look-back/summary?weeks=1").get_data(as_text=True)
    with_notes = person.client.get("/look-back/summary?weeks=1&notes=1").get_data(as_text=True)

    assert "Called Marjan" in plain and "Phone in the kitchen" in plain
    assert "voice shaking" not in plain and "voice shaking" in with_notes
    assert "Poured it away" not in plain  # months before the last week


def test_a_stranger_needs_an_account_for_a_summary_of_their_own(client):
    assert client.get("/look-back/summary").status_code == 302


def test_each_person_keeps_their_own_shares(app, person, life):
    make_share(person)
    someone = make_person(app, "third@example.com")
    assert someone.api("GET", "/api/v1/shares").json == []


@pytest.fixture
def spanish_app(database_url, shared_apps, tmp_path_factory):
    """Return the app with a small Spanish catalog of a shared page's words."""
    from babel.messages.catalog import Catalog
    from babel.messages.mofile import write_mo

    folder = tmp_path_factory.mktemp("catalogs")
    catalog = Catalog(locale="es")
    catalog.add("A summary to print", "Un resumen para imprimir")
    catalog.add("%(browser)s on %(system)s", "%(browser)s en %(system)s")
    catalog.add("a Mac", "un Mac")
    (folder / "es" / "LC_MESSAGES").mkdir(parents=True)
    with (folder / "es" / "LC_MESSAGES" / "messages.mo").open("wb") as file:
        write_mo(file, catalog)
    return shared_apps.get(database_url, BABEL_TRANSLATION_DIRECTORIES=str(folder))


def test_a_shared_page_reads_in_its_sharers_language_whoever_opens_it(spanish_app):
    sharer = make_person(spanish_app, "river@example.com")
    assert sharer.api("PUT", "/api/v1/settings", json={"language": "es"}).status_code == 200
    made = make_share(sharer)
    mac = "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_5) AppleWebKit/605.1.15 Safari/605.1.15"

    for page in (made["url"], path_of(made["url"]) + "/summary"):
        answer = read(spanish_app, page, **{"Accept-Language": "en", "User-Agent": mac})
        text = answer.get_data(as_text=True)
        assert '<html lang="es" dir="ltr">' in text
        assert "noviembre" in text  # its dates too
    assert "Un resumen para imprimir" in read(spanish_app, made["url"]).get_data(as_text=True)
    # The look is kept as data and said in the reader's language.
    views = sharer.api("GET", f"/api/v1/shares/{made['id']}/views").json
    assert views[-1]["device"] == "Safari on a Mac"
    assert "Safari en un Mac" in sharer.client.get("/settings/sharing").get_data(as_text=True)
