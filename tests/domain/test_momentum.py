"""Momentum: Loop Habit Tracker's score, overall and per step, and how it is explained."""

from datetime import date, timedelta

import pytest

from smallsteps.domain.momentum import (
    as_percentage,
    days_lately,
    explain_momentum,
    multiplier,
    overall_momentum,
    step_momentum,
)

FIRST = date(2026, 3, 1)


def daily(count: int, first: date = FIRST) -> list[date]:
    """Return ``count`` consecutive days from ``first``."""
    return [first + timedelta(days=i) for i in range(count)]


def day(number: int) -> date:
    """Return the ``number``-th day counted from the first win, which is day 1."""
    return FIRST + timedelta(days=number - 1)


@pytest.mark.parametrize(
    ("days_in_a_row", "expected"),
    [
        pytest.param(1, 5, id="day-1-first-win"),
        pytest.param(2, 10, id="day-2"),
        pytest.param(7, 31, id="day-7"),
        pytest.param(13, 50, id="day-13-half-life"),
        pytest.param(29, 79, id="day-29"),
        pytest.param(30, 80, id="day-30-loop-80"),
        pytest.param(59, 96, id="day-59"),
        pytest.param(60, 96, id="day-60-loop-96"),
        pytest.param(100, 100, id="day-100"),
    ],
)
def test_a_perfect_daily_habit_builds_momentum_like_loop(days_in_a_row, expected):
    assert overall_momentum(daily(days_in_a_row), day(days_in_a_row)) == expected


def test_a_perfect_day_30_and_day_60_read_80_and_96_in_closed_form():
    m = multiplier(1.0)
    assert (as_percentage(1 - m**30), as_percentage(1 - m**60)) == (80, 96)


def test_half_of_the_score_fades_in_13_days_without_a_win():
    assert multiplier(1.0) ** 13 == pytest.approx(0.5)


@pytest.mark.parametrize(
    ("days", "today", "expected"),
    [
        pytest.param([], day(1), None, id="no-wins"),
        pytest.param(daily(3, day(5)), day(4), None, id="only-later-wins"),
        pytest.param(daily(30), day(31), 76, id="one-missed-day-only-dents"),
        pytest.param(daily(30), day(33), 68, id="three-missed-days"),
        pytest.param(daily(60), day(30), 80, id="as-of-in-the-past-ignores-later-days"),
        pytest.param(daily(30)[::-1] + daily(30), day(30), 80, id="unsorted-with-duplicates"),
        pytest.param([day(1)], day(400), 0, id="one-win-long-ago-rests-at-zero"),
    ],
)
def test_overall_momentum(days, today, expected):
    assert overall_momentum(days, today) == expected


def weekly(per_week: int, weeks: int) -> list[date]:
    """Return the first ``per_week`` days of each of ``weeks`` weeks from the first win."""
    return [FIRST + timedelta(weeks=w, days=d) for w in range(weeks) for d in range(per_week)]


@pytest.mark.parametrize(
    ("days", "today", "target", "expected"),
    [
        pytest.param(weekly(3, 10), day(1), None, None, id="no-weekly-target"),
        pytest.param([], day(1), 3, None, id="no-wins"),
        pytest.param(weekly(3, 10), FIRST - timedelta(days=1), 3, None, id="only-later-wins"),
        pytest.param(weekly(1, 1), day(1), 1, 1, id="first-win-of-a-weekly-step"),
        pytest.param(weekly(1, 30), day(200), 1, 98, id="once-a-week-for-200-days"),
        pytest.param(weekly(3, 30), day(30), 3, 59, id="three-a-week-for-30-days"),
        pytest.param(weekly(3, 30), day(200), 3, 100, id="three-a-week-for-200-days"),
        pytest.param(weekly(7, 30), day(60), 7, 94, id="every-day-for-60-days"),
        pytest.param(weekly(3, 30) * 2, day(30), 3, 59, id="duplicate-days-count-once"),
        pytest.param(weekly(3, 4), day(200), 3, 0, id="fades-after-a-long-rest"),
    ],
)
def test_step_momentum(days, today, target, expected):
    assert step_momentum(days, today, target) == expected


def test_a_step_slower_than_its_target_scores_below_one_that_meets_it():
    slower = step_momentum(weekly(1, 30), day(200), 3)
    assert slower is not None and slower < step_momentum(weekly(3, 30), day(200), 3)


@pytest.mark.parametrize("target", [0, 8])
def test_a_step_target_outside_1_to_7_is_refused(target):
    with pytest.raises(ValueError, match="weekly target"):
        step_momentum([FIRST], FIRST, target)


@pytest.mark.parametrize(
    ("score", "target", "expected"),
    [
        pytest.param(None, None, "Log a win to start your momentum.", id="no-score"),
        pytest.param(0, None, "A gentle start — every day you show up lifts it.", id="zero"),
        pytest.param(9, None, "A gentle start — every day you show up lifts it.", id="9"),
        pytest.param(
            10, None, "About 1 day in 5 lately — every day you show up lifts it.", id="10-half-up"
        ),
        pytest.param(
            29, None, "About 1 day in 5 lately — every day you show up lifts it.", id="29"
        ),
        pytest.param(30, None, "About 2 days in 5 lately.", id="30"),
        pytest.param(62, None, "About 3 days in 5 lately.", id="62"),
        pytest.param(80, None, "About 4 days in 5 lately.", id="80"),
        pytest.param(89, None, "About 4 days in 5 lately.", id="89"),
        pytest.param(90, None, "Just about every day lately.", id="90"),
        pytest.param(100, None, "Just about every day lately.", id="100"),
        pytest.param(None, 3, "Log a win to start your momentum.", id="step-no-score"),
        pytest.param(16, 3, "A gentle start — every day you show up lifts it.", id="step-16-of-3"),
        pytest.param(
            17,
            3,
            "About 1 of your 3 days a week lately — every day you show up lifts it.",
            id="step-17-of-3",
        ),
        pytest.param(55, 3, "About 2 of your 3 days a week lately.", id="step-55-of-3"),
        pytest.param(84, 3, "Right on your rhythm of 3 days a week lately.", id="step-84-of-3"),
        pytest.param(49, 1, "A gentle start — every day you show up lifts it.", id="step-49-of-1"),
        pytest.param(50, 1, "Right on your rhythm of 1 day a week lately.", id="step-50-of-1"),
        pytest.param(100, 7, "Right on your rhythm of 7 days a week lately.", id="step-100-of-7"),
    ],
)
def test_explain_momentum_in_plain_warm_words(score, target, expected):
    assert explain_momentum(score, weekly_target=target) == expected


@pytest.mark.parametrize("target", [None, 1, 2, 3, 4, 5, 6, 7])
def test_no_explanation_shames_or_runs_long(target):
    for score in range(0, 101):
        sentence = explain_momentum(score, weekly_target=target)
        assert len(sentence) <= 80, (score, sentence)
        for word in ("fail", "only", "missed", "broke", "lost", "behind", "should"):
            assert word not in sentence.lower(), (score, sentence)


@pytest.mark.parametrize(("score", "target"), [(-1, None), (101, None), (50, 0), (50, 8)], ids=str)
def test_explain_momentum_refuses_impossible_input(score, target):
    with pytest.raises(ValueError):
        explain_momentum(score, weekly_target=target)


QUIET = "Quiet for a couple of weeks, and that's okay. It's here whenever you're ready."


@pytest.mark.parametrize(
    ("score", "target", "lately", "expected"),
    [
        pytest.param(22, 4, 0, QUIET, id="a-step-quiet-for-two-weeks"),
        pytest.param(60, None, 0, QUIET, id="overall-quiet-for-two-weeks"),
        pytest.param(
            22,
            4,
            1,
            "About 1 of your 4 days a week lately — every day you show up lifts it.",
            id="one-recent-day",
        ),
        pytest.param(84, 3, None, "Right on your rhythm of 3 days a week lately.", id="not-said"),
        pytest.param(None, 3, 0, "Log a win to start your momentum.", id="no-score-yet"),
    ],
)
def test_a_rhythm_is_only_claimed_while_there_are_recent_wins(score, target, lately, expected):
    assert explain_momentum(score, weekly_target=target, days_lately=lately) == expected


@pytest.mark.parametrize(
    ("days_ago", "expected"),
    [([], 0), ([0], 1), ([0, 0, 13], 2), ([14, 40], 0), ([-1, 3], 1)],
)
def test_days_lately_counts_the_days_with_a_win_in_the_last_14(days_ago, expected):
    today = date(2026, 11, 22)
    assert days_lately([today - timedelta(days=n) for n in days_ago], today) == expected


class Shouting:
    """Words from a catalog that writes every sentence in capitals."""

    def gettext(self, string, **variables):
        return (string % variables if variables else string).upper()

    def ngettext(self, singular, plural, num, **variables):
        return ((singular if num == 1 else plural) % {"num": num, **variables}).upper()


@pytest.mark.parametrize("target", [None, 1, 2, 3, 4, 5, 6, 7])
def test_every_sentence_comes_from_the_words_it_is_given(target):
    for score in [None, *range(0, 101)]:
        for lately in (None, 0, 3):
            english = explain_momentum(score, weekly_target=target, days_lately=lately)
            said = explain_momentum(
                score, weekly_target=target, days_lately=lately, words=Shouting()
            )
            assert said == english.upper(), (score, target, lately)
