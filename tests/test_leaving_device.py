"""A sign-out or a deletion tells the browser, and the page after it, to clear the device."""

import re

CLEAR_SITE_DATA = '"cache", "storage"'


def markers(page: str) -> int:
    """Count the marks that tell the page's script to clear this device."""
    return len(re.findall(r"\bdata-clear-device\b", page))


def test_signing_out_tells_the_browser_and_the_next_page_to_clear_the_device(person):
    response = person.log_out()
    assert response.status_code == 302
    assert response.headers["Clear-Site-Data"] == CLEAR_SITE_DATA
    landing = person.client.get(response.location).get_data(as_text=True)
    assert markers(landing) == 1
    assert "You&#39;re signed out." in landing
    # Once: a later visit to the same page clears nothing.
    assert markers(person.client.get(response.location).get_data(as_text=True)) == 0


def test_deleting_the_account_tells_the_browser_and_the_next_page_to_clear_the_device(person):
    response = person.post("/settings/delete", {"password": person.password})
    assert response.status_code == 302
    assert response.headers["Clear-Site-Data"] == CLEAR_SITE_DATA
    landing = person.client.get(response.location).get_data(as_text=True)
    assert markers(landing) == 1
    assert "Your account and everything in it are deleted." in landing


def test_a_refused_deletion_leaves_the_device_as_it_was(person):
    response = person.post("/settings/delete", {"password": "not it"})
    assert response.status_code == 400
    assert "Clear-Site-Data" not in response.headers
    assert markers(response.get_data(as_text=True)) == 0
    assert markers(person.client.get("/").get_data(as_text=True)) == 0
