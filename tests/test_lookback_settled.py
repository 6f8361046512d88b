"""The summary keeps the history before a start day folded; it must never drift from the wins.

Each check compares the endpoint with the definitions computed straight from every live
win in the database, after the changes people make: a win today, an old win fixed or
deleted, a recent win moved back months, a step's new target, another day start.
"""

import json
import random
from collections import Counter
from datetime import UTC, date, datetime, timedelta, timezone

import pytest
import time_machine
from sqlalchemy import select

from smallsteps.domain.lookback import MILESTONES, look_back
from smallsteps.domain.momentum import overall_momentum, step_momentum
from smallsteps.domain.streaks import gentle_streak, weekly_streak
from smallsteps.extensions import db
from smallsteps.models import SettledHistory, Step, User, Win
from smallsteps.services import accounts
from tests.conftest import FIXED_NOW
from tests.test_lookback_api import summary
from tests.test_sync import goal, new_id, step, sync, win

ZONES = [timezone(timedelta(hours=hours)) for hours in (1, -5, 9)]


@pytest.fixture(autouse=True)
def midday():
    """Run at a set afternoon, the clock moving: today's wins are made at set hours in three
    zones, and late in the evening some of them would lie ahead of the clock."""
    with time_machine.travel(FIXED_NOW, tick=True):
        yield


def expected(app, email: str, as_of: date) -> dict:
    """Return the summary's numbers computed from every live win, with no shortcut."""
    with app.app_context():
        user = db.session.scalar(select(User).where(User.email == email))
        wins = db.session.execute(
            select(Win.local_date, Win.occurred_at, Win.id, Win.step_id).where(
                Win.user_id == user.id, Win.deleted_at.is_(None), Win.local_date <= as_of
            )
        ).all()
        steps = db.session.execute(
            select(Step.id, Step.parent_step_id, Step.weekly_target, Step.deleted_at).where(
                Step.user_id == user.id
            )
        ).all()
        grace, week_start = user.grace, user.week_start
    counts = Counter(row.local_date for row in wins)
    ordered = sorted(wins, key=lambda row: (row.occurred_at, row.id))
    milestones = [(n, ordered[n - 1].local_date) for n in MILESTONES if n <= len(ordered)]

    def under(step_id):
        found = {step_id}
        for each in steps:
            if each.parent_step_id == step_id:
                found |= under(each.id)
        return found

    live = [each for each in steps if each.deleted_at is None]
    days = {
        each.id: {row.local_date for row in wins if row.step_id in under(each.id)} for each in live
    }
    look = look_back(counts, as_of, days, milestone_dates=milestones)
    streak = gentle_streak(counts, as_of, grace)
    return {
        "streak": {"current": streak.current, "longest": streak.longest, "grace": grace},
        "momentum": overall_momentum(counts, as_of),
        "six_months_ago": {"wins": look.six_months_ago.wins, "days": look.six_months_ago.days},
        "since_start": {
            "first_win": look.since_start.first_win.isoformat(),
            "wins": look.since_start.wins,
            "days": look.since_start.days,
        },
        "milestones": [{"count": n, "date": day.isoformat()} for n, day in milestones],
        "heatmap": {"start": look.heatmap_start.isoformat(), "counts": look.heatmap_counts},
        "new_since_then": sorted(str(step_id) for step_id in look.new_since_then),
        "steps": {
            str(each.id): (
                None
                if each.weekly_target is None
                else weekly_streak(days[each.id], as_of, each.weekly_target, week_start),
                step_momentum(days[each.id], as_of, each.weekly_target),
            )
            for each in live
        },
    }


def shown(person, as_of: date | None = None) -> dict:
    """Return the same numbers as the endpoint answers them."""
    body = summary(person, as_of.isoformat() if as_of else None)
    picked = {key: body[key] for key in ("streak", "momentum", "six_months_ago", "since_start")}
    return picked | {
        "milestones": body["milestones"],
        "heatmap": body["heatmap"],
        "new_since_then": sorted(item["id"] for item in body["new_since_then"]),
        "steps": {item["id"]: (item["weekly_streak"], item["momentum"]) for item in body["steps"]},
    }


def today_of(app, email: str) -> date:
    with app.app_context():
        return accounts.today_for(db.session.scalar(select(User).where(User.email == email)))


def settled_key(app, email: str) -> str | None:
    with app.app_context():
        whose = select(User.id).where(User.email == email).scalar_subquery()
        return db.session.scalar(
            select(SettledHistory.cache_key).where(SettledHistory.user_id == whose)
        )


def two_years(app, person) -> dict:
    """Give the person two years of wins toward a small ladder, synced as a phone would."""
    today = today_of(app, person.email)
    goal_id, breathe, smaller, call = new_id(), new_id(), new_id(), new_id()
    ladder = [
        goal(goal_id),
        step(goal_id, breathe, title="Breathe before answering"),
        step(goal_id, smaller, title="One slow breath", parent=breathe),
        step(goal_id, call, title="Call someone I love"),
    ]
    ladder[2]["data"]["weekly_target"] = None
    ladder[3]["data"]["weekly_target"] = 1
    sync(person, ladder)
    rng = random.Random(7)
    changes = []
    for offset in range(730, -1, -1):
        day = today - timedelta(days=offset)
        if rng.random() < 0.3 and offset > 3:
            continue  # rest days, so streaks break and grace matters
        for number in range(rng.choice((1, 1, 2, 3))):
            zone = rng.choice(ZONES)
            wall = datetime.combine(day, datetime.min.time()) + timedelta(hours=7 + 5 * number)
            when = wall.replace(minute=rng.randrange(60), tzinfo=zone)
            step_id = rng.choice((None, breathe, smaller, call))
            changes.append(win(text=f"Win {offset}-{number}", occurred_at=when.isoformat(),
                               step_id=step_id))  # fmt: skip
    for first in range(0, len(changes), 500):
        answer = sync(person, changes[first : first + 500])
        assert {result["status"] for result in answer["results"]} == {"applied"}
    return {"goal": goal_id, "breathe": breathe, "call": call, "wins": changes, "today": today}


def test_the_summary_matches_every_win_through_the_changes_people_make(app, person):
    history = two_years(app, person)
    email, today = person.email, history["today"]
    assert shown(person) == expected(app, email, today)
    first_key = settled_key(app, email)
    assert first_key is not None

    # A win today leaves the settled history as it was, and shows.
    person.log_win("Asked for help today")
    assert shown(person) == expected(app, email, today)
    assert settled_key(app, email) == first_key

    # Fixing a win from a year ago, and deleting another, reach back into it.
    old, gone = history["wins"][100], history["wins"][101]
    when = old["data"]["occurred_at"]
    fixed = win(
        old["id"], text="Walked instead", minutes=60, occurred_at=when, step_id=history["call"]
    )
    sync(person, [fixed, win(gone["id"], minutes=61, deleted=True)])
    assert shown(person) == expected(app, email, today)
    assert settled_key(app, email) != first_key

    # A recent win moved back five months leaves the recent weeks and lands in settled days.
    recent = history["wins"][-2]
    moved = (today - timedelta(days=150)).isoformat() + "T21:00:00+01:00"
    sync(person, [win(recent["id"], minutes=62, occurred_at=moved, step_id=history["breathe"])])
    assert shown(person) == expected(app, email, today)

    # An old win moved to yesterday leaves the settled days: only its old date tells.
    old_one = history["wins"][200]
    yesterday = (today - timedelta(days=1)).isoformat() + "T20:00:00+01:00"
    sync(person, [win(old_one["id"], minutes=64, occurred_at=yesterday)])
    assert shown(person) == expected(app, email, today)

    # A step's new weekly target changes its rhythm over the whole history.
    changed = step(
        history["goal"], history["breathe"], minutes=63,
                   title="Breathe before answering")  # fmt: skip
    changed["data"]["weekly_target"] = 5
    sync(person, [changed])
    assert shown(person) == expected(app, email, today)

    # Another day start and grace move every local date and run.
    assert (
        person.api("PUT", "/api/v1/settings", json={"day_start": 3, "grace": 0}).status_code == 200
    )
    assert shown(person) == expected(app, email, today)

    # And any day in the past answers as if later wins had not happened yet.
    for days_back in (40, 200, 500):
        as_of = today - timedelta(days=days_back)
        assert shown(person, as_of) == expected(app, email, as_of)
    assert shown(person) == expected(app, email, today)


def test_a_win_lived_weeks_ago_is_told_apart_from_one_lived_lately(app, person):
    history = two_years(app, person)
    summary(person)
    key = settled_key(app, person.email)
    lately = (datetime.now(UTC) - timedelta(days=2)).isoformat()
    sync(person, [win(text="Yesterday's walk", minutes=70, occurred_at=lately)])
    summary(person)
    assert settled_key(app, person.email) == key
    weeks_ago = (datetime.now(UTC) - timedelta(days=40)).isoformat()
    sync(person, [win(text="Remembered one", minutes=71, occurred_at=weeks_ago)])
    assert shown(person) == expected(app, person.email, history["today"])
    assert settled_key(app, person.email) != key


@pytest.mark.parametrize("weeks", [1, 3, 20])
def test_settled_history_moves_on_with_the_weeks_and_still_matches_every_win(app, person, weeks):
    history = two_years(app, person)
    today = history["today"]
    # A look as of some weeks ago folds history up to a start day that far back.
    earlier = today - timedelta(weeks=weeks)
    assert shown(person, earlier) == expected(app, person.email, earlier)
    folded_from = settled_start(app, person.email)
    person.log_win("Asked for help today")
    assert shown(person) == expected(app, person.email, today)
    assert settled_start(app, person.email) == folded_from + timedelta(weeks=weeks)


def settled_start(app, email: str) -> date:
    with app.app_context():
        whose = select(User.id).where(User.email == email).scalar_subquery()
        body = db.session.scalar(select(SettledHistory.body).where(SettledHistory.user_id == whose))
        return date.fromisoformat(json.loads(body)["start"])
