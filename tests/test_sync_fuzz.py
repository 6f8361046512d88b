import json
import uuid
from datetime import UTC, datetime

from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from tests.conftest import csrf_token

# A few ids shared by every example, so later examples edit what earlier ones made.
IDS = [str(uuid.UUID(int=n)) for n in range(1, 4)]
any_text = st.text(alphabet=st.characters() | st.characters(categories=["Cs"]), max_size=12)
scalars = st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | any_text
json_values = st.recursive(
    scalars,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(any_text, inner, max_size=3),
    max_leaves=8,
)
instants = st.datetimes(timezones=st.just(UTC) | st.none()).map(lambda d: d.isoformat())
ids = st.sampled_from(IDS) | st.uuids().map(str)
fields = st.fixed_dictionaries(
    {},
    optional={
        "text": any_text | st.text(min_size=279, max_size=282),
        "title": any_text,
        "why": any_text,
        "note": any_text,
        "pairing": any_text,
        "occurred_at": instants | json_values,
        "step_id": st.none() | ids | json_values,
        "goal_id": ids | json_values,
        "parent_step_id": st.none() | ids,
        "weekly_target": st.integers(-1, 9) | json_values,
        "energy": st.sampled_from([None, "low", "ok", "high", "", "LOW"]),
    },
)
changes = st.fixed_dictionaries(
    {},
    optional={
        "type": st.sampled_from(["goal", "step", "win"]) | json_values,
        "id": ids | json_values,
        "updated_at": instants | json_values,
        "deleted": st.booleans() | json_values,
        "data": fields | json_values,
    },
)
recent = st.datetimes(min_value=datetime(2001, 1, 1), max_value=datetime(2026, 1, 1))
plausible = st.builds(
    lambda kind, record_id, when, deleted, data: {
        "type": kind,
        "id": record_id,
        "updated_at": when.isoformat() + "Z",
        "deleted": deleted,
        "data": {
            "text": "A small win",
            "title": "A step",
            "occurred_at": when.isoformat() + "+09:00",
            "goal_id": IDS[0],
            **data,
        },
    },
    st.sampled_from(["goal", "step", "win"]),
    st.sampled_from(IDS),
    recent,
    st.booleans(),
    fields,
)
bodies = (
    st.fixed_dictionaries(
        {"changes": st.lists(plausible | changes | json_values, max_size=6)},
        optional={"since": st.none() | any_text | json_values},
    )
    | json_values
)


@settings(
    max_examples=120,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(body=bodies)
def test_no_sync_body_gets_a_server_error(person, body):
    headers = {"X-CSRFToken": csrf_token(person.client), "Content-Type": "application/json"}
    response = person.client.post("/api/v1/sync", data=json.dumps(body), headers=headers)
    assert response.status_code < 500, response.get_data(as_text=True)
    assert response.is_json
    for result in (response.json or {}).get("results", []):
        event(result["status"])
