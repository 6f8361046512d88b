"""What a service turns down reads the same from every view: the API's JSON and the page."""

import io
import json

import pytest
from sqlalchemy.exc import IntegrityError

from smallsteps.services import importing
from smallsteps.services import sync as sync_service
from tests.test_sync import SYNC, win

IMPORT = "/api/v1/import"
EXPORT_START = {"format": "smallsteps-export", "version": 1}


def upload(person, body: bytes):
    """Send a file to the settings page's import form, as a person picks one."""
    return person.post(
        "/settings/import",
        {"file": (io.BytesIO(body), "export.json")},
        content_type="multipart/form-data",
    )


def taken(*args, **kwargs):
    """Fail as a write does when another device made the same new id a moment before."""
    raise IntegrityError("INSERT", {}, Exception("duplicate key"))


def test_a_sync_with_a_cursor_this_server_never_gave_is_told_to_start_again(person):
    response = person.api("POST", SYNC, json={"since": "made-up", "changes": []})

    assert response.status_code == 400
    assert response.get_json() == {
        "error": "invalid cursor",
        "detail": "start again with since: null",
    }


def test_a_sync_that_loses_the_race_twice_is_asked_to_try_again(person, monkeypatch):
    monkeypatch.setattr(sync_service, "apply_changes", taken)

    response = person.api("POST", SYNC, json={"since": None, "changes": [win()]})

    assert response.status_code == 409
    assert response.get_json() == {
        "error": "conflict",
        "detail": "another change got there first; try again",
    }


def test_an_import_that_loses_the_race_twice_says_so_on_the_api_and_on_the_page(
    person, monkeypatch
):
    monkeypatch.setattr(importing, "apply_changes", taken)
    body = {**EXPORT_START, "wins": [win()]}

    api = person.api("POST", IMPORT, json=body)
    page = upload(person, json.dumps(body).encode())

    assert api.status_code == 409
    assert api.get_json() == {
        "error": "conflict",
        "detail": "another change got there first; try again",
    }
    assert page.status_code == 409
    assert "Something else changed at the same moment." in page.get_data(as_text=True)


def test_an_export_of_too_many_records_is_refused_in_the_same_words_everywhere(person):
    body = {**EXPORT_START, "wins": [{}] * (importing.MAX_RECORDS + 1)}
    words = "Import at most 20000 records at a time."

    api = person.api("POST", IMPORT, json=body)
    page = upload(person, json.dumps(body).encode())

    assert api.status_code == 413
    assert api.get_json() == {"error": "too many records", "detail": words}
    assert page.status_code == 413
    assert words in page.get_data(as_text=True)


@pytest.mark.parametrize(
    ("body", "detail"),
    [
        pytest.param(
            {"format": "another-app", "version": 1},
            'This is not a Small Steps export: "format" must be "smallsteps-export".',
            id="another-format",
        ),
        pytest.param(
            {**EXPORT_START, "version": 2},
            'This export\'s "version" is not one this server reads (1).',
            id="another-version",
        ),
        pytest.param({**EXPORT_START, "goals": "none"}, '"goals" must be a list.', id="no-list"),
    ],
)
def test_what_is_not_an_export_is_explained_to_the_api_and_kindly_on_the_page(person, body, detail):
    api = person.api("POST", IMPORT, json=body)
    page = upload(person, json.dumps(body).encode())

    assert api.status_code == 400
    assert api.get_json() == {"error": "not a Small Steps export", "detail": detail}
    assert page.status_code == 400
    assert "That file isn&#39;t a Small Steps export." in page.get_data(as_text=True)


@pytest.mark.parametrize(
    "raw",
    [b"{not json", b"[1, 2]", b"\xff\xfe not utf-8", b"[" * 100_000],
    ids=["broken-json", "a-list", "not-utf-8", "nested-too-deep"],
)
def test_a_file_that_is_not_one_json_object_is_not_an_export(person, raw):
    page = upload(person, raw)

    assert page.status_code == 400
    assert "isn&#39;t a Small Steps export" in page.get_data(as_text=True)
