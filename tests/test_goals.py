from sqlalchemy import select

from smallsteps.extensions import db
from smallsteps.models import Goal, Step, Win


def page(response) -> str:
    return response.get_data(as_text=True)


def only(app, model, **where):
    with app.app_context():
        query = select(model).filter_by(**where)
        return db.session.scalars(query).one()


def build_ladder(app, person) -> tuple:
    person.post("/goals", {"title": "Feel calmer at work", "why": "So I enjoy evenings"})
    goal = only(app, Goal)
    person.post(
        f"/goals/{goal.id}/steps",
        {"title": "Meditate ten minutes", "weekly_target": "3", "pairing": "my favourite tea"},
    )
    big = only(app, Step, title="Meditate ten minutes")
    person.post(
        f"/goals/{goal.id}/steps", {"title": "Two-minute breathing", "parent_step_id": str(big.id)}
    )
    smaller = only(app, Step, title="Two-minute breathing")
    person.post(
        f"/goals/{goal.id}/steps", {"title": "One deep breath", "parent_step_id": str(smaller.id)}
    )
    smallest = only(app, Step, title="One deep breath")
    return goal, big, smaller, smallest


def test_a_ladder_three_steps_deep_renders_in_order_and_indented(app, person):
    goal, big, smaller, smallest = build_ladder(app, person)
    html = page(person.client.get(f"/goals/{goal.id}"))
    assert html.index("Meditate ten minutes") < html.index("Two-minute breathing")
    assert html.index("Two-minute breathing") < html.index("One deep breath")
    assert f'class="rung depth-0" id="step-{big.id}"' in html
    assert f'class="rung depth-1" id="step-{smaller.id}"' in html
    assert f'class="rung depth-2" id="step-{smallest.id}"' in html
    assert "3 days a week" in html and "with <bdi>my favourite tea</bdi>" in html
    assert "So I enjoy evenings" in html
    assert smallest.parent_step_id == smaller.id and smaller.parent_step_id == big.id


def test_every_rung_of_the_ladder_can_be_edited(app, person):
    goal, big, smaller, smallest = build_ladder(app, person)
    response = person.post(
        f"/steps/{smallest.id}/edit",
        {"title": "One slow breath", "weekly_target": "7", "pairing": ""},
    )
    assert response.status_code == 302
    person.post(f"/goals/{goal.id}/edit", {"title": "Calmer days", "why": ""})
    html = page(person.client.get(f"/goals/{goal.id}"))
    assert "One slow breath" in html and "7 days a week" in html
    assert "Calmer days" in html
    assert only(app, Step, id=smallest.id).parent_step_id == smaller.id


def test_a_step_edit_form_shows_the_current_values(app, person):
    _, big, _, _ = build_ladder(app, person)
    html = page(person.client.get(f"/steps/{big.id}/edit"))
    assert 'value="Meditate ten minutes"' in html
    assert '<option selected value="3">' in html


def test_a_step_without_a_title_is_refused_with_a_message(app, person):
    person.post("/goals", {"title": "Sleep better"})
    goal = only(app, Goal)
    response = person.post(f"/goals/{goal.id}/steps", {"title": " ", "pairing": "music"})
    assert response.status_code == 400
    assert "Name the step." in page(response)
    assert 'value="music"' in page(response)


def test_the_step_list_on_today_shows_smaller_steps(app, person):
    build_ladder(app, person)
    html = page(person.client.get("/"))
    assert "Feel calmer at work: Meditate ten minutes" in html
    assert "One deep breath" in html


def test_removing_a_step_removes_its_smaller_steps_but_keeps_wins(app, person):
    goal, big, smaller, smallest = build_ladder(app, person)
    person.log_win("Breathed once", step_id=str(smallest.id))
    person.post(f"/steps/{smaller.id}/delete")
    html = page(person.client.get(f"/goals/{goal.id}"))
    assert "Meditate ten minutes" in html
    assert "Two-minute breathing" not in html and "One deep breath" not in html
    assert "Breathed once" in page(person.client.get("/"))
    assert only(app, Win).deleted_at is None


def test_an_archived_goal_moves_aside_and_can_come_back(app, person):
    person.post("/goals", {"title": "Run a 5k"})
    goal = only(app, Goal)
    person.post(f"/goals/{goal.id}/archive")
    html = page(person.client.get("/goals"))
    assert "Archived" in html and "Bring back" in html
    assert 'class="goal"' not in html
    person.post(f"/goals/{goal.id}/unarchive")
    assert 'class="goal"' in page(person.client.get("/goals"))


def test_another_person_cannot_see_or_change_a_goal_or_its_steps(app, person, other_person):
    goal, big, _, _ = build_ladder(app, person)
    assert "Feel calmer at work" not in page(other_person.client.get("/goals"))
    assert other_person.client.get(f"/goals/{goal.id}").status_code == 404
    assert other_person.client.get(f"/goals/{goal.id}/edit").status_code == 404
    assert other_person.post(f"/goals/{goal.id}/archive").status_code == 404
    assert other_person.post(f"/goals/{goal.id}/steps", {"title": "x"}).status_code == 404
    assert other_person.client.get(f"/steps/{big.id}/edit").status_code == 404
    assert other_person.post(f"/steps/{big.id}/delete").status_code == 404
    assert other_person.post(f"/goals/{goal.id}/delete").status_code == 404
    assert only(app, Step, id=big.id).deleted_at is None
    assert only(app, Goal, id=goal.id).deleted_at is None
    assert "Feel calmer at work" in page(person.client.get("/goals"))


def test_a_smaller_step_cannot_hang_under_another_goals_step(app, person):
    goal, big, _, _ = build_ladder(app, person)
    person.post("/goals", {"title": "Second goal"})
    second = only(app, Goal, title="Second goal")
    response = person.post(
        f"/goals/{second.id}/steps", {"title": "Odd one", "parent_step_id": str(big.id)}
    )
    assert response.status_code == 404


def test_a_goals_edit_page_offers_a_gentle_delete_that_keeps_the_wins(app, person):
    goal, _, _, _ = build_ladder(app, person)
    html = page(person.client.get(f"/goals/{goal.id}/edit"))
    assert f'action="/goals/{goal.id}/delete"' in html
    assert "The wins you logged toward them stay" in html
    assert "Yes, delete this goal" in html


def test_deleting_a_goal_removes_it_and_its_steps_and_keeps_the_wins(app, person):
    goal, big, smaller, smallest = build_ladder(app, person)
    person.log_win("Breathed once", step_id=str(smallest.id))
    response = person.post(f"/goals/{goal.id}/delete")
    assert response.status_code == 302 and response.headers["Location"] == "/goals"
    goals = page(person.client.get("/goals", follow_redirects=True))
    assert "Goal deleted. The wins you logged toward it stay with you." in goals
    assert "Feel calmer at work" not in goals
    assert person.client.get(f"/goals/{goal.id}").status_code == 404
    today = page(person.client.get("/"))
    assert "Breathed once" in today and "Meditate ten minutes" not in today
    assert only(app, Win).deleted_at is None
    # Every other device learns of it: the goal and each of its steps come back as tombstones.
    pulled = person.api("POST", "/api/v1/sync", json={"since": None, "changes": []}).json
    deleted = {change["id"] for change in pulled["changes"] if change["deleted"]}
    assert deleted == {str(goal.id), str(big.id), str(smaller.id), str(smallest.id)}


def test_deleting_an_archived_goal_works_too(app, person):
    person.post("/goals", {"title": "Run a 5k"})
    goal = only(app, Goal)
    person.post(f"/goals/{goal.id}/archive")
    assert person.post(f"/goals/{goal.id}/delete").status_code == 302
    assert "Run a 5k" not in page(person.client.get("/goals"))


def test_a_goal_is_not_deleted_without_a_csrf_token(app, person):
    goal, _, _, _ = build_ladder(app, person)
    response = person.client.post(f"/goals/{goal.id}/delete")
    assert response.status_code == 400
    assert "Feel calmer at work" in page(person.client.get("/goals"))
    assert only(app, Goal, id=goal.id).deleted_at is None
