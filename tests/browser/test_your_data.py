import csv
import io
import json

import pytest
from playwright.sync_api import expect

from tests.browser.test_today import sign_up

pytestmark = pytest.mark.browser


def test_a_person_downloads_their_data_and_brings_it_back_from_settings(
    page, live_server, context, tmp_path
):
    sign_up(page, live_server)
    page.get_by_label("What's one small win?").fill("Café with a friend, =no formula")
    page.get_by_role("button", name="Log this win").click()
    expect(page.locator(".wins .win-text")).to_have_text(["Café with a friend, =no formula"])
    page.goto(live_server.url + "/settings/delete")
    page.get_by_role("link", name="download your data").click()
    card = page.locator("#your-data")
    expect(card).to_be_in_viewport()

    with page.expect_download() as json_download:
        card.get_by_role("link", name="Download everything").click()
    with page.expect_download() as csv_download:
        card.get_by_role("link", name="Download your wins").click()
    exported = tmp_path / json_download.value.suggested_filename
    json_download.value.save_as(exported)
    rows = list(csv.reader(io.StringIO(csv_download.value.path().read_text("utf-8-sig"))))

    assert exported.name.endswith(".json")
    assert csv_download.value.suggested_filename.endswith("-wins.csv")
    [saved] = json.loads(exported.read_text())["wins"]
    assert saved["data"]["text"] == "Café with a friend, =no formula"
    assert rows[1][3] == "Café with a friend, =no formula"
    for url in ("/export.csv", "/api/v1/export"):  # typed in, or a link without `download`
        with page.expect_download():
            page.evaluate("(url) => { location.href = url; }", url)
    kept = page.evaluate(
        "async () => (await (await caches.open('smallsteps-pages')).keys()).map((r) => r.url)"
    )
    assert kept and not [url for url in kept if "export" in url]

    card.get_by_label("Bring back an export (.json)").set_input_files(exported)
    card.get_by_role("button", name="Import", exact=True).click()
    expect(page.locator("#import-report")).to_contain_text("Wins: 1 already here.")
    assert context.console_errors == []
