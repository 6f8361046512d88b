import re
from datetime import date

from sqlalchemy import select

from smallsteps.extensions import db
from smallsteps.models import User, Win


def test_settings_are_read_and_changed_through_the_api(person):
    response = person.client.get("/api/v1/settings")
    assert response.json == {
        "timezone": "Europe/Amsterdam",
        "week_start": 0,
        "grace": 1,
        "day_start": 0,
        "display_name": "",
        "show_streak": True,
        "language": "en",
    }
    response = person.api("PUT", "/api/v1/settings", json={"grace": 3, "display_name": "River"})
    assert response.status_code == 200
    assert response.json["grace"] == 3 and response.json["display_name"] == "River"
    assert response.json["timezone"] == "Europe/Amsterdam"
    # The name is set apart (<bdi>): its direction is its own in any language's sentence.
    assert "Hi <bdi>River</bdi>," in person.client.get("/").get_data(as_text=True)


def test_nonsense_settings_are_refused_field_by_field_and_nothing_changes(app, person):
    response = person.api(
        "PUT",
        "/api/v1/settings",
        json={"grace": 4, "week_start": True, "timezone": "Nowhere/City", "colour": "red"},
    )
    assert response.status_code == 400
    body = response.json
    assert body["error"] == "invalid settings"
    assert set(body["detail"]) == {"grace", "week_start", "timezone", "colour"}
    assert person.client.get("/api/v1/settings").json["grace"] == 1


def test_malformed_json_is_a_clear_4xx_not_a_crash(person):
    headers = {"Content-Type": "application/json"}
    for body in ("{not json", "[1, 2]", '"text"', ""):
        response = person.api("PUT", "/api/v1/settings", data=body, headers=headers)
        assert response.status_code == 400, body
        assert response.json["error"] == "invalid JSON"
    response = person.api("PUT", "/api/v1/settings", data="grace=2")
    assert response.status_code == 415


def test_an_api_call_without_a_session_gets_401_json(client):
    response = client.get("/api/v1/settings")
    assert response.status_code == 401
    assert response.json == {"error": "sign in first", "detail": None}


def test_an_api_change_without_a_csrf_token_is_refused(person):
    response = person.client.put("/api/v1/settings", json={"grace": 2})
    assert response.status_code == 400
    assert "CSRF" in response.json["error"]
    assert person.client.get("/api/v1/settings").json["grace"] == 1


def test_an_unknown_api_route_is_json(person):
    response = person.client.get("/api/v1/nothing-here")
    assert response.status_code == 404
    assert response.json["error"]


def test_the_settings_form_saves_and_keeps_bad_input_visible(app, person):
    response = person.post(
        "/settings",
        {
            "display_name": "Sky",
            "timezone": "Asia/Tokyo",
            "week_start": "6",
            "grace": "2",
            "day_start": "4",
            "language": "es",
        },
    )
    assert response.status_code == 302
    with app.app_context():
        user = db.session.scalar(select(User))
        assert (user.timezone, user.week_start, user.grace, user.day_start, user.language) == (
            "Asia/Tokyo",
            6,
            2,
            4,
            "es",
        )
    response = person.post(
        "/settings",
        {
            "display_name": "x" * 81,
            "timezone": "Asia/Tokyo",
            "week_start": "0",
            "grace": "2",
            "language": "en",
        },
    )
    assert response.status_code == 400
    assert "x" * 81 in response.get_data(as_text=True)


def test_changing_the_day_start_moves_wins_to_the_day_they_were_lived(app, person):
    person.log_win("Up late, still kind to myself", occurred_at="2026-11-23T02:00:00+01:00")
    person.log_win("Morning walk", occurred_at="2026-11-23T09:00:00+01:00")

    def local_dates():
        with app.app_context():
            return sorted(db.session.scalars(select(Win.local_date)))

    assert local_dates() == [date(2026, 11, 23), date(2026, 11, 23)]
    person.api("PUT", "/api/v1/settings", json={"day_start": 3})
    assert local_dates() == [date(2026, 11, 22), date(2026, 11, 23)]
    person.api("PUT", "/api/v1/settings", json={"day_start": 0})
    assert local_dates() == [date(2026, 11, 23), date(2026, 11, 23)]


def test_the_time_zone_list_offers_current_zones_by_region_with_the_persons_own_first(person):
    html = person.client.get("/settings").get_data(as_text=True)
    select_box = re.search(r'<select[^>]*id="timezone".*?</select>', html, re.S).group()
    values = re.findall(r'<option[^>]*value="([^"]+)"', select_box)
    assert "Europe/Lisbon" in values and "America/Argentina/Buenos_Aires" in values
    assert not {"Factory", "EST5EDT", "Africa/Asmera", "US/Eastern"} & set(values)
    assert values.count("Europe/Amsterdam") == 1
    groups = re.findall(r'<optgroup label="([^"]+)">', select_box)
    assert groups[0] == "Your time zone" and {"Africa", "America", "Europe"} <= set(groups)
    first = re.search(r"<option[^>]*>", select_box).group()
    assert 'value="Europe/Amsterdam"' in first and "selected" in first
    assert ">Argentina / Buenos Aires</option>" in select_box


def test_any_zone_the_tz_database_knows_can_still_be_chosen(app, person):
    form = {
        "timezone": "US/Eastern",
        "week_start": "0",
        "grace": "1",
        "day_start": "0",
        "language": "en",
    }
    assert person.post("/settings", form).status_code == 302
    assert person.client.get("/api/v1/settings").json["timezone"] == "US/Eastern"
    response = person.api("PUT", "/api/v1/settings", json={"timezone": "Africa/Asmera"})
    assert response.status_code == 200 and response.json["timezone"] == "Africa/Asmera"
    html = person.client.get("/settings").get_data(as_text=True)
    assert re.search(r'<option selected value="Africa/Asmera">', html) or re.search(
        r'<option[^>]*value="Africa/Asmera"[^>]*selected', html
    )
