import uuid
from datetime import UTC, datetime, timedelta

import pytest

from smallsteps.domain.changes import Rejected, parse_change

NOW = datetime(2026, 11, 22, 12, 0, tzinfo=UTC)
ID = str(uuid.uuid4())


def win(**data):
    fields = {"text": "Asked for help", "occurred_at": "2026-11-22T23:30:00+09:00", **data}
    return {"type": "win", "id": ID, "updated_at": "2026-11-22T11:59:00.120Z", "data": fields}


def test_a_win_is_cleaned_into_plain_values():
    change = parse_change(win(text="  Asked for help  ", energy=""), NOW)
    assert change.kind == "win" and change.id == uuid.UUID(ID) and not change.deleted
    assert change.data["text"] == "Asked for help"
    assert change.data["energy"] is None and change.data["note"] == ""
    assert change.data["occurred_at"].utcoffset() == timedelta(hours=9)


@pytest.mark.parametrize(
    ("data", "words"),
    [
        ({"text": ""}, "empty"),
        ({"text": "x" * 281}, "280"),
        ({"text": "bad\x00byte"}, "can't be saved"),
        ({"text": "\ud800"}, "can't be saved"),
        ({"note": "not a character: \uffff"}, "note: This has a character"),
        ({"occurred_at": "2026-11-22T23:30:00"}, "UTC offset"),
        ({"occurred_at": "1999-12-31T23:59:59+00:00"}, "2000"),
        ({"occurred_at": "2026-11-23T12:00:01+00:00"}, "day ahead"),
        ({"occurred_at": "0001-01-01T00:00:00+01:00"}, "2000"),
        ({"energy": "tired"}, "energy"),
        ({"step_id": 7}, "step_id"),
    ],
)
def test_a_win_that_cannot_be_kept_says_why(data, words):
    with pytest.raises(Rejected, match=words):
        parse_change(win(**data), NOW)


def test_a_delete_needs_no_fields():
    change = parse_change(
        {"type": "win", "id": ID, "updated_at": "2026-11-22T11:00:00Z", "deleted": True}, NOW
    )
    assert change.deleted and change.data is None


@pytest.mark.parametrize("target", [0, 8, True, 2.5, "3"])
def test_a_weekly_target_is_a_whole_number_from_1_to_7(target):
    step = {
        "type": "step",
        "id": ID,
        "updated_at": "2026-11-22T11:00:00Z",
        "data": {"title": "Walk", "goal_id": ID, "weekly_target": target},
    }
    with pytest.raises(Rejected, match="weekly_target"):
        parse_change(step, NOW)
