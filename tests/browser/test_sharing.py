"""Bring it to a session: a busy month's summary prints on two pages at most, for the person
and through a share; the shared page on a phone; the list of shares offline."""

import re
import uuid
from datetime import UTC, datetime, timedelta

import pytest
from playwright.sync_api import expect

from tests.browser.test_offline_goals import keep_for_offline
from tests.browser.walk import send_changes, settle, sign_up, stamp

PHONE = {"width": 390, "height": 844}
TEXTS = (
    "Paused before reacting to the message",
    "Asked my sister for help with the kids",
    "Went for a short walk at lunch",
    "Chose rest when my body needed it",
    "Wrote down one thought before bed",
)


def busy_month(page, server) -> None:
    """Log five wins a day for the last four weeks, one of them each day with a note."""
    now = datetime.now(UTC)
    updated = stamp(now - timedelta(seconds=5))
    changes = []
    for days_ago in range(28):
        for number, text in enumerate(TEXTS):
            moment = now - timedelta(days=days_ago, minutes=10 * number + 1)
            data = {
                "text": text,
                "occurred_at": moment.isoformat(timespec="seconds"),
                "step_id": None,
                "energy": None,
                "note": "It helped more than I expected." if number == 0 else "",
            }
            changes.append(
                {"type": "win", "id": str(uuid.uuid4()), "updated_at": updated, "data": data}
            )
    send_changes(page, server, changes)


def pages_printed(page, paper: str) -> int:
    """Print the open page to PDF, as "Save as PDF" would, and count its pages."""
    pdf = page.pdf(format=paper, print_background=False)
    return len(re.findall(rb"/Type\s*/Page[^s]", pdf))


@pytest.mark.parametrize("paper", ["A4", "Letter"])
def test_a_busy_month_prints_on_two_pages_at_most(page, live_server, paper):
    sign_up(page, live_server)
    busy_month(page, live_server)
    page.goto(live_server.url + "/look-back/summary?weeks=4&notes=1")
    expect(page.locator(".day-line")).to_have_count(28)
    page.emulate_media(media="print")

    assert 1 <= pages_printed(page, paper) <= 2

    page.emulate_media(media="screen")
    token = page.request.get(live_server.url + "/api/v1/csrf").json()["csrf_token"]
    made = page.request.post(
        live_server.url + "/api/v1/shares",
        data={"name": "Dr. Kim", "include_notes": True, "days": None},
        headers={"X-CSRFToken": token},
    ).json()
    counsellor = page.context.browser.new_page()
    counsellor.goto(made["url"] + "/summary?weeks=4")
    expect(counsellor.locator(".day-line")).to_have_count(28)
    counsellor.emulate_media(media="print")
    assert 1 <= pages_printed(counsellor, paper) <= 2
    counsellor.close()


def test_a_share_made_on_a_phone_opens_for_the_counsellor_and_ends_with_one_tap(
    context, page, live_server
):
    page.set_viewport_size(PHONE)
    sign_up(page, live_server)
    busy_month(page, live_server)
    page.goto(live_server.url + "/settings/sharing")
    page.get_by_label("Who is it for?").fill("Sam, my sponsor")
    page.get_by_role("button", name="Make a link").click()
    link = page.get_by_role("textbox", name="The link").input_value()
    expect(page.locator(".qr-frame svg")).to_be_visible()

    counsellor = context.browser.new_context(viewport=PHONE)
    reader = counsellor.new_page()
    reader.goto(link)
    expect(reader.get_by_role("heading", name="How far they've come")).to_be_visible()
    expect(reader.locator(".shared-wins .win-text").first).to_have_text(TEXTS[0])
    assert reader.evaluate("document.documentElement.scrollWidth <= window.innerWidth")

    keep_for_offline(page, live_server.url + "/settings/sharing", "Sam, my sponsor")
    expect(page.get_by_text("Looked at 1 time")).to_be_visible()
    context.set_offline(True)
    page.reload()
    expect(page.get_by_text("Sam, my sponsor", exact=True)).to_be_visible()
    page.get_by_role("button", name="End this share").click()
    expect(page.locator(".flash")).to_contain_text("needs a connection")
    context.set_offline(False)
    settle(page)
    page.get_by_role("button", name="End this share").click()
    expect(page.locator(".flash")).to_contain_text("opens nothing now")

    assert reader.goto(link).status == 404
    counsellor.close()
