import pytest
from playwright.sync_api import expect

from tests.browser.walk import go, sign_up

pytestmark = pytest.mark.browser

SHOWN = """(select) => [...select.querySelectorAll("option")]
  .filter((option) => !option.hidden && !option.parentElement.hidden)
  .map((option) => option.value)"""


def test_typing_a_place_narrows_the_grouped_time_zone_list(page, live_server, context):
    sign_up(page, live_server)
    go(page, live_server.url + "/settings")
    zones = page.get_by_label("Time zone", exact=True)
    chosen = zones.input_value()
    assert zones.locator("optgroup").first.get_attribute("label") == "Your time zone"

    page.get_by_label("Find your place").fill("buenos")
    expect(page.get_by_text("1 zone matches. Choose it below.")).to_be_visible()
    assert set(zones.evaluate(SHOWN)) == {chosen, "America/Argentina/Buenos_Aires"}

    zones.select_option("America/Argentina/Buenos_Aires")
    page.get_by_role("button", name="Save settings").click()
    expect(page.get_by_text("Settings saved.")).to_be_visible()
    expect(page.get_by_label("Time zone", exact=True)).to_have_value(
        "America/Argentina/Buenos_Aires"
    )
    assert context.console_errors == []
