"""The Look back page: what a person reads there, on both databases."""

import re
from datetime import date, timedelta
from html import unescape

from babel.dates import format_date
from sqlalchemy import select

from smallsteps.extensions import db
from smallsteps.models import User
from smallsteps.services import accounts
from tests.test_lookback_api import add_goal, add_step, log

SHAMING = re.compile(r"\b(lost|failed|failure|broke|broken|missed your|behind)\b", re.I)


def page(person) -> str:
    response = person.client.get("/look-back")
    assert response.status_code == 200
    return unescape(response.get_data(as_text=True))


def words(html: str) -> str:
    """Return the page's visible words, tags removed and spaces collapsed."""
    text = re.sub(r"<(script|title)\b.*?</\1>", " ", html, flags=re.S)
    spaced = " ".join(re.sub(r"<[^>]+>", " ", text).split())
    return re.sub(r" ([,.])", r"\1", spaced)


def today_of(app) -> date:
    with app.app_context():
        return accounts.today_for(db.session.scalar(select(User)))


def when(day, hour: int = 12) -> str:
    """Return a timestamp at ``hour`` on ``day`` in the person's zone (Amsterdam, winter)."""
    return f"{day.isoformat()}T{hour:02d}:00:00+01:00"


def test_someone_new_is_welcomed_without_a_single_zero_to_feel_bad_about(person):
    text = words(page(person))
    assert "Your look back begins with your first win." in text
    assert "The last two weeks have been quiet, and that's okay. Rest is part of it." in text
    assert "Log a win to start your momentum." in text
    assert not SHAMING.search(text)


def test_the_streak_reads_in_gentle_words_and_its_numbers_can_be_hidden(app, person):
    today = today_of(app)
    for days_ago in (0, 1, 3, 4):
        log(person, when(today - timedelta(days=days_ago), 12 if days_ago else 0))
    text = words(page(person))
    assert "You've shown up 4 of the last 14 days." in text
    assert "Your gentle streak: 4 days, carried through 1 rest day." in text

    person.api("PUT", "/api/v1/settings", json={"show_streak": False})
    text = words(page(person))
    assert "You've been showing up lately." in text
    assert "of the last 14 days" not in text and "streak" not in text.lower()


def test_after_a_long_rest_the_page_says_rest_is_part_of_it(app, person):
    today = today_of(app)
    for days_ago in range(20, 25):
        log(person, when(today - timedelta(days=days_ago)))
    text = words(page(person))
    assert "Rest is part of it" in text
    assert "Your longest run so far: 5 days." in text
    assert not SHAMING.search(text)


def test_the_heatmap_gives_every_day_a_title_and_says_the_same_in_words(app, person):
    today = today_of(app)
    log(person, when(today - timedelta(days=2)))
    log(person, when(today - timedelta(days=2), 13))
    html = page(person)
    year = re.search(r'<svg class="heatmap year".*?</svg>', html, re.S).group()
    titles = re.findall(r"<rect class=\"heat-day level-\d\"[^>]*><title>([^<]+)</title>", year)
    assert 371 <= len(titles) <= 377
    day = today - timedelta(days=2)
    assert f"{day:%A}, {day:%B} {day.day}, {day.year}: 2 wins" in titles
    assert titles[-1].endswith("a rest day")  # today, nothing yet
    month = f"{day:%B %Y}"
    row = re.search(rf"<th scope=\"row\">{month}</th><td[^>]*>(\d+)</td><td[^>]*>(\d+)</td>", html)
    assert row and row.groups() == ("2", "1")
    assert 'role="group" aria-labelledby="year-title year-summary"' in html
    recent = re.search(r'<svg class="heatmap recent".*?</svg>', html, re.S).group()
    recent_titles = re.findall(r"<title>([^<]+)</title>", recent)
    assert 113 <= len(recent_titles) <= 119 and recent_titles == titles[-len(recent_titles) :]
    assert "in the last 17 weeks." in words(html)


def test_the_heatmap_names_days_months_and_weekdays_in_the_persons_language(app, person):
    today = today_of(app)
    day = today - timedelta(days=2)
    log(person, when(day))
    assert person.api("PUT", "/api/v1/settings", json={"language": "de"}).status_code == 200
    html = page(person)
    year = re.search(r'<svg class="heatmap year".*?</svg>', html, re.S).group()
    titles = re.findall(r"<title>([^<]+)</title>", year)
    # German writes "Freitag, 20. November 2026" (CLDR), whatever the catalog says after it.
    assert any(
        title.startswith(format_date(day, "EEEE, d. MMMM y", locale="de")) for title in titles
    )
    labels = re.findall(r'<text class="heat-label"[^>]*>([^<]+)</text>', year)
    german_months = {
        format_date(date(2026, month, 1), "LLL", locale="de") for month in range(1, 13)
    }
    assert labels[-4:] == ["M", "M", "F", "S"]  # Montag, Mittwoch, Freitag, Sonntag
    assert set(labels[:-4]) <= german_months
    month = format_date(day, "LLLL y", locale="de")
    assert re.search(rf'<th scope="row">{month}</th><td[^>]*>1</td><td[^>]*>1</td>', html)


def test_then_and_now_shows_what_is_new_and_their_own_words_from_back_then(app, person):
    today = today_of(app)
    goal = add_goal(app, person, "Feel calmer")
    breathe = add_step(app, person, goal, "Two-minute breathing", 3)
    for days_ago, words_then in ((200, "Walked around the block"), (190, "Called my sister")):
        log(person, when(today - timedelta(days=days_ago)), text=words_then)
    log(person, when(today - timedelta(days=3)), step=breathe)
    text = words(page(person))
    assert "What you do now that you didn't then Two-minute breathing" in text
    assert "Back then, in your own words Walked around the block" in text
    assert "Called my sister" in text


def test_milestones_and_momentum_are_there_to_see(app, person):
    today = today_of(app)
    for days_ago in range(12):
        log(person, when(today - timedelta(days=days_ago)))
    html = page(person)
    text = words(html)
    assert "Win number 10:" in text and "Your first win:" in text
    assert "Next: win number 25, 13 to go." in text
    assert re.search(r'<svg class="ring"[^>]*aria-label="Momentum \d+ out of 100"', html)
    assert "lately" in text


def test_each_goal_shows_its_wins_and_each_steps_rhythm(app, person):
    today = today_of(app)
    goal = add_goal(app, person, "Reach out")
    call = add_step(app, person, goal, "Call a friend", 1)
    emoji = add_step(app, person, goal, "Send one emoji", under=call)
    log(person, when(today - timedelta(days=1)), step=emoji)
    log(person, when(today - timedelta(days=8)), step=call)
    text = words(page(person))
    assert "Reach out 2 wins toward it so far." in text
    assert "Call a friend 2 wins · 1 day a week ·" in text
    assert "Smaller step: Send one emoji 1 win" in text
    assert re.search(r"Call a friend .*? (About|Right on|A gentle start)", text)


def test_the_page_keeps_to_the_content_security_policy(person):
    html = page(person)
    assert "style=" not in html
    assert not re.search(r"<script(?![^>]*\bsrc=)", html)
    nav = re.search(r'<nav class="site-nav".*?</nav>', html, re.S).group(0)
    links = re.findall(r">([^<]+)</a>", nav)
    assert links.index("Goals") + 1 == links.index("Look back") == links.index("Settings") - 1
    assert 'aria-current="page">Look back' in nav


def test_look_back_needs_a_session(client):
    response = client.get("/look-back")
    assert response.status_code == 302 and "/login" in response.location


def test_the_settings_form_turns_streak_numbers_off_and_on(app, person):
    form = {
        "timezone": "Europe/Amsterdam",
        "week_start": "0",
        "grace": "1",
        "day_start": "0",
        "language": "en",
    }
    assert person.post("/settings", form).status_code == 302
    with app.app_context():
        assert db.session.scalar(select(User.show_streak)) is False
    assert person.post("/settings", {**form, "show_streak": "y"}).status_code == 302
    with app.app_context():
        assert db.session.scalar(select(User.show_streak)) is True
    checkbox = re.search(
        r"<input[^>]*id=\"show_streak\"[^>]*>", person.client.get("/settings").text
    )
    assert checkbox and "checked" in checkbox.group(0)


HARD_MONTH = "Quieter weeks happen. Here's what you've done before, and it's still yours."


def test_after_a_hard_month_then_and_now_holds_the_person_and_counts_nothing_down(app, person):
    today = today_of(app)
    for days_ago in (186, 190, 195, 200, 205):
        log(person, when(today - timedelta(days=days_ago)))
    log(person, when(today - timedelta(days=20)))
    text = words(page(person))
    assert "Six months ago" in text and "5 wins" in text
    assert HARD_MONTH in text
    assert "Next: win number 10, whenever it comes." in text
    assert "to go" not in text
    assert not SHAMING.search(text)


def test_a_fuller_month_than_then_needs_no_consoling(app, person):
    today = today_of(app)
    log(person, when(today - timedelta(days=190)))
    for days_ago in (1, 2, 3):
        log(person, when(today - timedelta(days=days_ago)))
    text = words(page(person))
    assert HARD_MONTH not in text
    assert "Next: win number 10, 6 to go." in text


def test_a_step_without_recent_wins_is_not_told_a_rhythm_it_no_longer_has(app, person):
    today = today_of(app)
    goal = add_goal(app, person, "Move a little")
    walk = add_step(app, person, goal, "A short walk", 4)
    for days_ago in range(40, 70):
        log(person, when(today - timedelta(days=days_ago)), step=walk)
    text = words(page(person))
    step = text[text.index("A short walk") :]
    assert "Quiet for a couple of weeks, and that's okay. It's here whenever you're ready." in step
    assert not re.search(r"of your 4 days a week lately|Right on your rhythm", step)
