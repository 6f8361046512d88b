from datetime import UTC, datetime, timedelta

import pytest

from smallsteps.domain.merge import Outcome, Version, decide, parents_first

T = datetime(2026, 11, 22, 14, 30, tzinfo=UTC)


def version(minutes=0, deleted=False, text="Paused before reacting"):
    return Version(T + timedelta(minutes=minutes), deleted, (text,))


@pytest.mark.parametrize(
    ("current", "incoming", "outcome"),
    [
        (None, version(), Outcome.APPLIED),
        (version(0), version(1, text="Edited"), Outcome.APPLIED),
        (version(1), version(0, text="Older edit"), Outcome.STALE),
        (version(0), version(0), Outcome.UNCHANGED),
        (version(0, deleted=True), version(0, deleted=True), Outcome.UNCHANGED),
        (version(5, deleted=True), version(3, text="Older edit"), Outcome.STALE),
        (version(3), version(5, deleted=True), Outcome.APPLIED),
        (version(5, deleted=True), version(7, text="Written later"), Outcome.APPLIED),
        # Same instant, different versions: the tombstone wins, whichever came first.
        (version(0), version(0, deleted=True), Outcome.APPLIED),
        (version(0, deleted=True), version(0), Outcome.STALE),
    ],
)
def test_the_last_writer_wins_and_tombstones_stay_down(current, incoming, outcome):
    assert decide(current, incoming) is outcome


def test_two_different_versions_at_the_same_instant_settle_the_same_way_on_every_device():
    a, b = version(0, text="A"), version(0, text="B")
    assert {decide(a, b), decide(b, a)} == {Outcome.APPLIED, Outcome.STALE}


@pytest.mark.parametrize(
    ("links", "order"),
    [
        ([], []),
        ([("a", None), ("b", None)], [0, 1]),
        ([("child", "parent"), ("parent", None)], [1, 0]),
        ([("c", "b"), ("b", "a"), ("a", None)], [2, 1, 0]),
        ([("a", "elsewhere"), ("b", "a")], [0, 1]),
        ([("a", "b"), ("b", "a")], [1, 0]),
    ],
)
def test_a_parent_sent_in_the_same_batch_is_handled_first(links, order):
    assert parents_first(links) == order
