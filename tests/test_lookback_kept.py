from sqlalchemy import select

from smallsteps.extensions import db
from smallsteps.models import SummaryCache


def summary(person, as_of="2026-11-22") -> dict:
    response = person.client.get(f"/api/v1/summary?as_of={as_of}")
    assert response.status_code == 200
    return response.json


def cached_keys(app) -> list[str]:
    with app.app_context():
        return list(db.session.scalars(select(SummaryCache.cache_key)))


def test_looking_again_reuses_the_summary_until_something_changes(app, person):
    person.log_win("Asked for help", occurred_at="2026-11-22T10:00:00+01:00")
    first = summary(person)
    assert summary(person) == first
    assert len(cached_keys(app)) == 1

    person.log_win("Took a breath", occurred_at="2026-11-22T11:00:00+01:00")
    second = summary(person)
    assert second["last_7_days"] == {"wins": 2, "days": 1}
    assert first["last_7_days"] == {"wins": 1, "days": 1}


def test_a_deleted_win_leaves_the_cached_summary_at_once(app, clock, person):
    person.log_win("Oops", occurred_at="2026-11-22T10:00:00+01:00")
    assert summary(person)["since_start"]["wins"] == 1
    win_id = person.client.get("/").get_data(as_text=True).split('data-id="')[1].split('"')[0]
    person.post(f"/wins/{win_id}/delete")
    assert summary(person)["since_start"]["wins"] == 0


def test_a_new_grace_or_as_of_gives_a_new_summary(app, person):
    for day in ("2026-11-16", "2026-11-18"):
        person.log_win("Showed up", occurred_at=f"{day}T10:00:00+01:00")
    assert summary(person, "2026-11-19")["streak"] == {"current": 2, "longest": 2, "grace": 1}
    person.api("PUT", "/api/v1/settings", json={"grace": 0})
    assert summary(person, "2026-11-19")["streak"] == {"current": 1, "longest": 1, "grace": 0}
    assert summary(person, "2026-11-20")["streak"]["current"] == 0
    assert summary(person, "2026-11-16")["streak"]["current"] == 1


def test_each_person_has_their_own_cached_summary(app, person, other_person):
    person.log_win("Mine", occurred_at="2026-11-22T10:00:00+01:00")
    assert summary(person)["since_start"]["wins"] == 1
    assert summary(other_person)["since_start"]["wins"] == 0
    assert len(cached_keys(app)) == 2
