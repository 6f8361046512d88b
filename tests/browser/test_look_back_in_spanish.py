"""A Spanish-speaking person's Look back gives its dates in Spanish."""

import re
import uuid

import pytest
from playwright.sync_api import expect

from tests.browser.walk import send_changes, settle, sign_up_at

pytestmark = pytest.mark.browser
ENGLISH_MONTHS = re.compile(
    r"\b(January|February|March|April|May|June|July|August|September|October|November|December)\b"
)


@pytest.fixture
def spanish_phone(browser, phone):
    """Return a phone whose browser asks for Spanish first."""
    context = browser.new_context(**phone, locale="es-ES")
    yield context
    context.close()


def test_dates_on_look_back_read_in_spanish_for_a_spanish_speaking_person(
    spanish_phone, live_server
):
    page = spanish_phone.new_page()
    sign_up_at(page, live_server.url, email="lucia@example.com")  # the browser chose Spanish
    settle(page)
    assert page.evaluate("document.documentElement.lang") == "es"
    first = {
        "text": "Pedí ayuda",
        "occurred_at": "2026-03-03T18:00:00+01:00",
        "step_id": None,
        "energy": None,
        "note": "",
    }
    stamp = "2026-03-03T17:00:00.000Z"
    send_changes(
        page,
        live_server,
        [{"type": "win", "id": str(uuid.uuid4()), "updated_at": stamp, "data": first}],
    )

    page.goto(live_server.url + "/look-back")
    settle(page)
    # The first win's date, as Spanish writes it: "3 de marzo" (with "de 2026" another year).
    expect(page.locator("main")).to_contain_text(re.compile(r"\b3 de marzo\b"))
    labels = page.locator("rect.heat-day").evaluate_all(
        "(cells) => cells.map((cell) => cell.getAttribute('aria-label') || cell.textContent)"
    )
    words = page.locator("main").inner_text() + " ".join(label or "" for label in labels)
    assert not ENGLISH_MONTHS.search(words), ENGLISH_MONTHS.search(words)
    assert re.search(
        r"\b(enero|febrero|marzo|abril|mayo|junio|julio|agosto|septiembre"
        r"|octubre|noviembre|diciembre)\b",
        " ".join(map(str, labels)),
    )
