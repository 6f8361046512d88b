"""Weekly reflections through sync: kept exactly once, last writer wins, checked record by
record, each person's own, and back from an export; on SQLite and PostgreSQL."""

import pytest

from tests.test_sync import new_id, stamp, sync, win

# Monday 2026-11-16 starts the week for a person whose week starts on Monday (the default).
MONDAY = "2026-11-16"


def reflection(reflection_id=None, week_of=MONDAY, minutes=0, **answers):
    return {
        "type": "reflection",
        "id": reflection_id or new_id(),
        "updated_at": stamp(minutes),
        "deleted": False,
        "data": {
            "week_of": week_of,
            "answers": answers
            or {"tiny_step": "Asked for help once", "shifted": "", "then_and_now": ""},
            "written_at": "2026-11-22T19:30:00+01:00",
        },
    }


def reflections_of(person) -> list[dict]:
    return [c for c in sync(person)["changes"] if c["type"] == "reflection"]


def test_a_reflection_round_trips_as_it_was_written(clock, person):
    sent = reflection(
        tiny_step="Said no without guilt",
        shifted="I pause more before I answer",
        then_and_now="I walk to work now",
    )

    answer = sync(person, [sent])

    assert answer["results"] == [{"id": sent["id"], "status": "applied"}]
    [back] = reflections_of(person)
    assert back["data"] == sent["data"] and back["id"] == sent["id"]


def test_the_same_reflection_twice_is_kept_once(clock, person):
    sent = reflection()
    sync(person, [sent])

    again = sync(person, [sent])

    assert again["results"] == [{"id": sent["id"], "status": "unchanged"}]
    assert len(reflections_of(person)) == 1


def test_editing_a_past_reflection_is_last_writer_wins(clock, person):
    first = reflection(tiny_step="Went outside")
    sync(person, [first])
    newer = {**first, "updated_at": stamp(5)}
    newer["data"] = {**first["data"], "answers": {"tiny_step": "Went outside twice"}}
    older = {**first, "updated_at": stamp(-5)}
    older["data"] = {**first["data"], "answers": {"tiny_step": "An old draft"}}

    assert sync(person, [newer])["results"][0]["status"] == "applied"
    assert sync(person, [older])["results"][0]["status"] == "stale"
    [kept] = reflections_of(person)
    assert kept["data"]["answers"]["tiny_step"] == "Went outside twice"


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (reflection(tiny_step="a" * 1001), "tiny_step can be at most 1000 characters."),
        (reflection(week_of="2026-11-18"), "week_of must be the first day of a week"),
        (reflection(week_of="18/11/2026"), "week_of must be a date"),
        (reflection(mood="fine"), "answers may hold only"),
    ],
    ids=["answer-too-long", "a-wednesday", "not-a-date", "an-unknown-question"],
)
def test_a_reflection_that_cannot_be_kept_is_rejected_alone(clock, person, change, message):
    good = reflection(tiny_step="Kept my appointment")

    answer = sync(person, [change, good])

    assert answer["results"][0]["status"] == "rejected"
    assert message in answer["results"][0]["message"]
    assert answer["results"][1]["status"] == "applied"
    assert [r["id"] for r in reflections_of(person)] == [good["id"]]


def test_a_1000_character_answer_is_kept_whole(clock, person):
    sync(person, [reflection(then_and_now="b" * 1000)])

    [kept] = reflections_of(person)
    assert kept["data"]["answers"]["then_and_now"] == "b" * 1000


def test_the_week_start_setting_decides_what_a_week_start_is(clock, person):
    person.api("PUT", "/api/v1/settings", json={"week_start": 6})  # weeks from Sunday

    answer = sync(person, [reflection(week_of=MONDAY), reflection(week_of="2026-11-15")])

    assert [result["status"] for result in answer["results"]] == ["rejected", "applied"]


def test_a_reflection_is_the_persons_own(clock, person, other_person):
    theirs = reflection(tiny_step="Private words")
    sync(person, [theirs])

    taken = {**theirs, "updated_at": stamp(10)}
    answer = sync(other_person, [taken])

    assert answer["results"][0]["status"] == "rejected"
    assert reflections_of(other_person) == []
    assert reflections_of(person)[0]["data"]["answers"]["tiny_step"] == "Private words"


def test_a_reflection_leaves_with_the_export_and_comes_back(app, clock, person):
    sent = reflection(shifted="I sleep with the phone in the hall")
    sync(person, [sent])
    exported = person.api("GET", "/api/v1/export").json
    assert [r["id"] for r in exported["reflections"]] == [sent["id"]]

    person.post("/settings/delete", {"password": "a calm password", "confirm": "y"})
    from tests.conftest import make_person

    again = make_person(app, "river@example.com")
    report = again.api("POST", "/api/v1/import", json=exported).json

    assert report["reflections"]["applied"] == 1
    [back] = reflections_of(again)
    said = {"tiny_step": "", "shifted": "I sleep with the phone in the hall", "then_and_now": ""}
    assert back["data"] == {**sent["data"], "answers": said}


def page_of(response) -> str:
    return response.get_data(as_text=True)


def test_the_reflection_page_asks_three_questions_beside_the_weeks_evidence(clock, person):
    sync(person, [win(text="Asked for help", occurred_at="2026-11-20T10:00:00+01:00")])

    opened = person.client.get("/reflect")
    assert opened.headers["Location"] == f"/reflect/{MONDAY}"
    page = page_of(person.client.get(opened.headers["Location"]))
    assert "What tiny step did you take this week?" in page
    assert "How have your habits shifted, even slightly?" in page
    assert "What are you doing today that you weren&#39;t doing six months ago?" in page
    assert "“Asked for help”" in page and "1 win on 1 day" in page


def test_answers_from_the_form_are_kept_each_optional_and_shown_on_look_back(clock, person):
    saved = person.post(f"/reflect/{MONDAY}", {"tiny_step": "", "shifted": "I rest without guilt"})

    assert saved.headers["Location"] == f"/reflect/{MONDAY}"
    assert "Kept. Looking back is a small step too." in page_of(
        person.client.get(f"/reflect/{MONDAY}")
    )
    [kept] = reflections_of(person)
    assert kept["data"]["answers"] == {
        "tiny_step": "",
        "shifted": "I rest without guilt",
        "then_and_now": "",
    }
    look_back = page_of(person.client.get("/look-back"))
    assert "This week you wrote" in look_back and "“I rest without guilt”" in look_back
    assert "“I rest without guilt”" in page_of(person.client.get(f"/days/{MONDAY}"))


def test_saving_again_edits_the_same_reflection(clock, person):
    person.post(f"/reflect/{MONDAY}", {"tiny_step": "One walk"})
    person.post(f"/reflect/{MONDAY}", {"tiny_step": "Two walks"})

    [kept] = reflections_of(person)
    assert kept["data"]["answers"]["tiny_step"] == "Two walks"


def test_an_answer_over_1000_characters_is_refused_kindly_and_kept_in_the_box(clock, person):
    answer = person.post(f"/reflect/{MONDAY}", {"shifted": "c" * 1001})

    assert answer.status_code == 400
    assert "Keep it to 1,000 characters." in page_of(answer)
    assert reflections_of(person) == []


@pytest.mark.parametrize("week", ["2026-11-18", "2026-11-23", "2026-10-05", "soon"])
def test_a_week_that_cannot_be_reflected_on_is_not_found(clock, person, week):
    assert person.client.get(f"/reflect/{week}").status_code == 404


def test_last_week_is_still_open_to_look_back_on(clock, person):
    assert person.client.get("/reflect/2026-11-09").status_code == 200


def test_a_share_with_notes_carries_reflections_and_one_without_does_not(app, clock, person):
    person.post(f"/reflect/{MONDAY}", {"then_and_now": "I call my sister on Sundays"})
    with_notes = person.api(
        "POST", "/api/v1/shares", json={"name": "Dr. Kim", "include_notes": True}
    )
    without = person.api("POST", "/api/v1/shares", json={"name": "Sam"})

    def shared(made) -> str:
        return page_of(app.test_client().get("/" + made.json["url"].split("/", 3)[3]))

    assert "I call my sister on Sundays" in shared(with_notes)
    assert "I call my sister on Sundays" not in shared(without)


def test_energy_over_the_weeks_is_drawn_and_said_in_words(clock, person):
    sync(
        person,
        [
            win(text="Good day", occurred_at="2026-11-20T10:00:00+01:00", energy="high"),
            win(text="Hard day", occurred_at="2026-11-19T10:00:00+01:00", energy="low"),
        ],
    )
    person.api("PUT", "/api/v1/days/2026-11-19", json={"low_capacity": True})

    page = page_of(person.client.get("/look-back"))
    assert "Energy over the weeks" in page and 'class="energy-chart"' in page
    # This week: high, okay, low, gentle, each cell labelled for a narrow screen.
    assert (
        '<td data-label="High:">1</td><td data-label="Okay:">0</td>'
        '<td data-label="Low:">1</td><td data-label="Low-capacity days:">1</td>'
    ) in page
