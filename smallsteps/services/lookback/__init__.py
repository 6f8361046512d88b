"""Look back: how far someone has come as of a day, from wins aggregated in SQL.

The history before a start day a few weeks back is folded once and kept (``settled``);
each look adds the few weeks since, counted per local date and step in one query.
Python walks the small step tree, so a smaller step's wins count for every step above
it, and hands plain dates to the pure functions in ``domain``. The summary built here
is what the Look back page draws and what ``/api/v1/summary`` answers.
"""

import uuid
from dataclasses import dataclass, field
from datetime import date

from ...domain import lookback, momentum, streaks
from ...domain.ladder import StepTree
from ...domain.lookback.settled import NOTHING_YET, Settled, settle_start
from ...models import User
from . import queries
from .queries import PastWin, words_from_back_then
from .settled import settled_history

__all__ = ["GoalProgress", "PastWin", "StepRhythm", "Summary", "summarize", "words_from_back_then"]


@dataclass
class StepRhythm:
    """One live step as of a day: its wins with its smaller steps', rhythm and momentum."""

    id: uuid.UUID
    title: str
    goal_id: uuid.UUID
    depth: int
    weekly_target: int | None
    weekly_streak: int | None
    momentum: int | None
    wins: int
    # Its days with a win (its smaller steps' too), from ``STEP_DAYS_KEPT`` before the start day.
    days: frozenset[date] = field(repr=False)


@dataclass
class GoalProgress:
    """A goal with the wins toward it and its steps in ladder order."""

    id: uuid.UUID
    title: str
    wins: int
    steps: list[StepRhythm]


@dataclass
class Summary:
    """Everything the summary endpoint and the look-back page show, as of one day."""

    as_of: date
    # Live wins per local date over the last KEPT_DAYS days or more.
    counts: dict[date, int] = field(repr=False)
    streak: streaks.Streak
    momentum: int | None
    look: lookback.LookBack
    goals: list[GoalProgress]

    @property
    def shown_up_lately(self) -> int:
        """Return how many of the last 14 days the person showed up."""
        return self.look.last_7_days.days + self.look.previous_7_days.days

    @property
    def steps(self) -> list[StepRhythm]:
        """Return every live step of the active goals, goal by goal, in ladder order."""
        return [step for goal in self.goals for step in goal.steps]

    @property
    def new_since_then(self) -> list[StepRhythm]:
        """Return the steps done lately that were not done six months ago."""
        new = set(self.look.new_since_then)
        return [step for step in self.steps if step.id in new]


@dataclass
class Recent:
    """The live wins lived from the start day to the as-of day."""

    counts: dict[date, int] = field(default_factory=dict)
    own_days: dict[uuid.UUID, set[date]] = field(default_factory=dict)
    own_wins: dict[uuid.UUID, int] = field(default_factory=dict)


def summarize(user: User, as_of: date) -> Summary:
    """Return the person's streaks, momentum, look-back and step rhythms as of a day."""
    start = settle_start(as_of, user.week_start)
    settled = settled_history(user, start)
    recent = Recent(*queries.recent_wins(user.id, start, as_of))
    counts = settled.counts | recent.counts
    goals = goal_progress(user, as_of, settled, recent)
    bands = lookback.milestone_bands(counts, as_of, wins_before=settled.before.wins)
    settled_counts = {count for count, _ in settled.milestones}
    picked = queries.milestone_dates(
        user.id, [band for band in bands if band.count not in settled_counts]
    )
    return Summary(
        as_of=as_of,
        counts=counts,
        streak=streaks.gentle_streak(recent.counts, as_of, user.grace, settled.run),
        momentum=momentum.overall_momentum(recent.counts, as_of, settled.momentum),
        look=lookback.look_back(
            counts,
            as_of,
            {step.id: step.days for goal in goals for step in goal.steps},
            milestone_dates=[*settled.milestones, *picked],
            before=settled.before,
        ),
        goals=goals,
    )


def goal_progress(user: User, as_of: date, settled: Settled, recent: Recent) -> list[GoalProgress]:
    """Return each active goal with its wins and its live steps' rhythms, oldest goal first."""
    tree = StepTree(queries.steps_of(user.id))
    live = {step.id for step in tree.steps if step.deleted_at is None}
    goals = queries.active_goals(user.id)
    progress = [GoalProgress(goal_id, title, 0, []) for goal_id, title in goals]
    by_goal = {goal.id: goal for goal in progress}

    def wins_of(step_id: uuid.UUID) -> int:
        return settled.step_wins.get(step_id, 0) + recent.own_wins.get(step_id, 0)

    for step in tree.steps:
        if step.goal_id in by_goal:
            by_goal[step.goal_id].wins += wins_of(step.id)
    for step, depth in tree.in_ladder_order(live):
        goal = by_goal.get(step.goal_id)
        if goal is None:
            continue
        before = settled.steps.get(step.id, NOTHING_YET)
        days = tree.days_under(step.id, recent.own_days)
        target = step.weekly_target
        goal.steps.append(
            StepRhythm(
                id=step.id,
                title=step.title,
                goal_id=step.goal_id,
                depth=depth,
                weekly_target=target,
                weekly_streak=(
                    None
                    if target is None
                    else streaks.weekly_streak(
                        days, as_of, target, user.week_start, settled.start, before.weekly_run
                    )
                ),
                momentum=momentum.step_momentum(days, as_of, target, before.progress),
                wins=sum(wins_of(step_id) for step_id in tree.under(step.id)),
                days=before.days | days,
            )
        )
    return progress
