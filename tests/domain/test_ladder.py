"""The goal ladder as a tree: smaller steps under bigger ones, in order, even through a loop."""

from dataclasses import dataclass
from datetime import date

import pytest

from smallsteps.domain.ladder import StepTree


@dataclass(frozen=True)
class Step:
    """A step as the tree sees it: an id and the step it makes smaller."""

    id: str
    parent_step_id: str | None = None


# Two ladders, oldest step first: A > B > C with D beside B, and E on its own.
STEPS = [Step("A"), Step("B", "A"), Step("E"), Step("C", "B"), Step("D", "A")]
# A misbehaving client linked X and Y into a loop of parents.
LOOP = [Step("X", "Y"), Step("Y", "X")]


@pytest.mark.parametrize(
    ("steps", "step_id", "under"),
    [
        pytest.param(STEPS, "A", ["A", "B", "D", "C"], id="the-whole-ladder-step-first"),
        pytest.param(STEPS, "B", ["B", "C"], id="part-of-a-ladder"),
        pytest.param(STEPS, "C", ["C"], id="the-smallest-step"),
        pytest.param(STEPS, "unknown", ["unknown"], id="a-step-not-in-the-tree"),
        pytest.param(LOOP, "X", ["X", "Y"], id="a-loop-ends"),
    ],
)
def test_under_a_step_are_the_step_and_every_smaller_one(steps, step_id, under):
    assert StepTree(steps).under(step_id) == under


@pytest.mark.parametrize(
    ("steps", "live", "order"),
    [
        pytest.param(
            STEPS, None, [("A", 0), ("B", 1), ("C", 2), ("D", 1), ("E", 0)], id="every-step"
        ),
        pytest.param(
            STEPS, {"B", "C", "D", "E"}, [("B", 0), ("C", 1), ("E", 0), ("D", 0)],
            id="a-removed-steps-smaller-steps-move-to-the-top",
        ),
        pytest.param(STEPS, {"A", "C"}, [("A", 0), ("C", 0)], id="under-a-removed-step"),
        pytest.param(LOOP, None, [("X", 0), ("Y", 1)], id="a-loop-still-shows-once"),
        pytest.param([], None, [], id="no-steps"),
    ],
)  # fmt: skip
def test_in_ladder_order_each_step_is_followed_by_its_smaller_steps(steps, live, order):
    walked = [(step.id, depth) for step, depth in StepTree(steps).in_ladder_order(live)]
    assert walked == order


def test_a_steps_days_are_its_own_and_every_smaller_steps():
    own_days = {"A": [date(2026, 1, 1)], "C": [date(2026, 1, 3)], "E": [date(2026, 1, 5)]}
    tree = StepTree(STEPS)
    assert tree.days_under("A", own_days) == {date(2026, 1, 1), date(2026, 1, 3)}
    assert tree.days_under("B", own_days) == {date(2026, 1, 3)}
    assert tree.days_under("D", own_days) == frozenset()
