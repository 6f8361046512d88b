from datetime import date

from sqlalchemy import select

from smallsteps.extensions import db
from smallsteps.models import Goal, Step, Win


def page(response) -> str:
    return response.get_data(as_text=True)


def live_wins(app) -> list[Win]:
    with app.app_context():
        return list(db.session.scalars(select(Win).where(Win.deleted_at.is_(None))))


def test_a_win_logged_with_the_form_is_on_today_with_a_celebration(app, person):
    response = person.log_win("Asked for help", energy="low", note="Texted my sister")
    assert response.status_code == 302
    today = page(person.client.get("/"))
    assert "Asked for help" in today
    assert "Texted my sister" in today
    assert "energy: low" in today
    assert "flash-celebrate" in today
    # The celebration shows once, not on every visit.
    assert "flash-celebrate" not in page(person.client.get("/"))


def test_today_offers_the_suggestions_people_log_most(person):
    today = page(person.client.get("/"))
    for idea in ("Paused before reacting", "Asked for help", "Said no without guilt"):
        assert f'data-suggestion="{idea}"' in today


def test_a_281_character_win_is_refused_with_a_message_and_nothing_is_saved(app, person):
    too_long = "a" * 281
    response = person.log_win(too_long)
    assert response.status_code == 400
    assert "Keep it to 280 characters." in page(response)
    assert f'value="{too_long}"' in page(response)
    assert live_wins(app) == []


def test_a_280_character_win_is_kept_whole(app, person):
    person.log_win("b" * 280)
    assert [win.text for win in live_wins(app)] == ["b" * 280]


def test_an_empty_win_is_refused_kindly(app, person):
    response = person.log_win("   ")
    assert response.status_code == 400
    assert "Write a few words about your win." in page(response)
    assert live_wins(app) == []


def test_a_win_keeps_the_day_the_device_lived_it(app, person):
    person.log_win("Late walk in Tokyo", occurred_at="2026-11-22T23:30:00+09:00")
    (win,) = live_wins(app)
    assert win.local_date == date(2026, 11, 22)
    assert win.local_time.hour == 23
    assert win.occurred_at_local.isoformat() == "2026-11-22T23:30:00+09:00"


def test_a_night_owls_win_after_midnight_counts_for_the_day_before(app, person):
    person.api("PUT", "/api/v1/settings", json={"day_start": 3})
    person.log_win("Went to bed before 2", occurred_at="2026-11-23T01:30:00+01:00")
    (win,) = live_wins(app)
    assert win.local_date == date(2026, 11, 22)


def test_a_win_can_be_edited_and_deleted(app, person):
    person.log_win("Took a breath")
    (win,) = live_wins(app)
    response = person.post(f"/wins/{win.id}/edit", {"text": "Took three deep breaths"})
    assert response.status_code == 302
    assert "Took three deep breaths" in page(person.client.get("/"))

    person.post(f"/wins/{win.id}/delete")
    assert "Took three deep breaths" not in page(person.client.get("/"))
    assert live_wins(app) == []
    with app.app_context():
        tombstone = db.session.get(Win, win.id)
        assert tombstone.deleted_at is not None


def test_another_person_cannot_see_edit_or_delete_a_win(app, person, other_person):
    person.log_win("My private win")
    (win,) = live_wins(app)

    assert "My private win" not in page(other_person.client.get("/"))
    assert other_person.client.get(f"/wins/{win.id}/edit").status_code == 404
    assert other_person.post(f"/wins/{win.id}/edit", {"text": "hacked"}).status_code == 404
    assert other_person.post(f"/wins/{win.id}/delete").status_code == 404
    assert [w.text for w in live_wins(app)] == ["My private win"]
    assert "My private win" in page(person.client.get("/"))


def test_a_win_links_only_to_the_persons_own_step(app, person, other_person):
    other_person.post("/goals", {"title": "Their goal"})
    with app.app_context():
        goal_id = db.session.scalar(select(Goal.id))
    other_person.post(f"/goals/{goal_id}/steps", {"title": "Their step"})
    with app.app_context():
        step_id = db.session.scalar(select(Step.id))
    response = person.log_win("Mine", step_id=str(step_id))
    assert response.status_code == 400
    assert live_wins(app) == []


def test_a_made_up_win_id_answers_404(person):
    assert person.client.get("/wins/not-a-uuid/edit").status_code == 404
    assert person.client.get("/wins/6f1c2a9e-0000-4000-8000-000000000000/edit").status_code == 404


def test_signed_out_visitors_are_sent_to_sign_in(client):
    response = client.get("/")
    assert response.status_code == 302
    assert response.location.startswith("/login")
