"""Every page a person can reach, walked in a real browser, with data behind them.

The accessibility and no-third-party tests share this walk: `walk(page, server, visit)`
signs up, seeds goals, a three-deep ladder, an archived goal and half a year of wins, and
calls `visit(page, name)` on each page in each state a person sees it in.
"""

import uuid
from datetime import UTC, datetime, timedelta

from playwright.sync_api import expect

PASSWORD = "a calm password"
WIN_FIELD = "What's one small win?"


def under_worker(page):
    """Wait until the service worker controls the page, reloading once if it has not claimed it.

    A page loaded before the first worker was active waits for ``clients.claim()``, which a
    busy machine can leave pending; a navigation under an active worker is always controlled.
    """
    ready = (
        "Promise.race([navigator.serviceWorker.ready.then(() => true),"
        " new Promise((done) => setTimeout(() => done(false), 60000))])"
    )
    assert page.evaluate(ready), "the service worker never became active"
    if not page.evaluate("navigator.serviceWorker.controller !== null"):
        page.reload()
    page.wait_for_function("() => navigator.serviceWorker.controller !== null", timeout=60_000)


def settle(page):
    """Wait until the page has synced (when signed in) and its animations have finished."""
    page.wait_for_load_state("load")
    page.wait_for_function(
        """() => {
          const status = document.getElementById("sync-status");
          return !status || (!status.hidden && status.dataset.state === "synced");
        }"""
    )
    page.evaluate("() => Promise.all(document.getAnimations().map((a) => a.finished))")


def go(page, url):
    """Open a page and wait until it is still."""
    page.goto(url)
    settle(page)


def sign_up_at(page, url: str, email="river@example.com", password=PASSWORD):
    """Create an account through the sign-up form of the app at `url`, and land on Today."""
    # Found by name, not by their words: a browser asking for another language reads others.
    page.goto(url + "/signup")
    page.locator("input[name=email]").fill(email)
    page.locator("input[name=password]").fill(password)
    page.locator("main form button[type=submit]").click()
    expect(page.locator("#log-form [name=text]")).to_be_visible()


def sign_up(page, server, email="river@example.com", password=PASSWORD):
    """Create an account through the sign-up form and wait until Today is still."""
    sign_up_at(page, server.url, email, password)
    settle(page)


def speak(page, server, language):
    """Set the signed-in person's language through the settings API."""
    token = page.request.get(server.url + "/api/v1/csrf").json()["csrf_token"]
    response = page.request.put(
        server.url + "/api/v1/settings",
        data={"language": language},
        headers={"X-CSRFToken": token},
    )
    assert response.ok, response.text()


def stamp(moment: datetime) -> str:
    """Return an ISO-8601 timestamp with milliseconds and Z, like a browser makes."""
    return moment.astimezone(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def send_changes(page, server, changes):
    """Send changes through the sync API, as a phone's outbox would."""
    token = page.request.get(server.url + "/api/v1/csrf").json()["csrf_token"]
    response = page.request.post(
        server.url + "/api/v1/sync",
        data={"since": None, "changes": changes},
        headers={"X-CSRFToken": token},
    )
    results = response.json()["results"]
    assert [result["status"] for result in results] == ["applied"] * len(changes), results


def seed(page, server) -> dict:
    """Give the signed-in person goals, a three-deep ladder and wins reaching back months."""
    now = datetime.now(UTC)
    ids = {name: str(uuid.uuid4()) for name in ("goal", "big", "small", "smaller", "old")}
    updated = stamp(now - timedelta(seconds=5))
    goal = {"title": "Sleep a little better", "why": "Mornings feel kinder when I've slept."}
    old = {"title": "Run a marathon", "why": ""}
    steps = [
        ("big", None, "In bed by eleven", 3, "a chapter of a novel"),
        ("small", "big", "Screens off at half ten", 5, ""),
        ("smaller", "small", "Phone on the charger in the hall", None, "a cup of tea"),
    ]
    changes = [
        {"type": "goal", "id": ids["goal"], "updated_at": updated, "data": goal},
        {"type": "goal", "id": ids["old"], "updated_at": updated, "data": old},
    ]
    for name, parent, title, target, pairing in steps:
        data = {
            "title": title,
            "goal_id": ids["goal"],
            "parent_step_id": ids[parent] if parent else None,
            "weekly_target": target,
            "pairing": pairing,
        }
        changes.append({"type": "step", "id": ids[name], "updated_at": updated, "data": data})
    texts = ["Paused before reacting", "Asked for help", "Went for a short walk"]
    # Today, most of the last month, and a few days six months ago ("then").
    days = [0, 0, 1, 2, 4, 5, 8, 9, 12, 15, 20, 26, 190, 195, 200]
    for number, days_ago in enumerate(days):
        moment = now - timedelta(days=days_ago, seconds=1 + number)
        data = {
            "text": texts[number % len(texts)],
            "occurred_at": moment.isoformat(timespec="seconds"),
            "step_id": ids["smaller"] if number % 2 else None,
            "energy": ("low", "ok", "high", None)[number % 4],
            "note": "It was easier than I thought." if number == 1 else "",
        }
        win_id = str(uuid.uuid4())
        ids.setdefault("win", win_id)
        changes.append({"type": "win", "id": win_id, "updated_at": updated, "data": data})
    send_changes(page, server, changes)
    token = page.request.get(server.url + "/api/v1/csrf").json()["csrf_token"]
    archived = page.request.post(
        f"{server.url}/goals/{ids['old']}/archive", form={"csrf_token": token}
    )
    assert archived.ok
    return ids


def open_details(page, summary):
    """Open a <details> by its summary, as a person taps it."""
    page.get_by_text(summary, exact=True).first.click()
    settle(page)


def visit_your_data(page, server, visit):
    """Import an export again, then a file that is not one, from settings."""
    go(page, server.url + "/settings")
    chooser = page.locator("input[type=file]")
    if not chooser.count():
        return
    export = page.request.get(server.url + "/api/v1/export").body()
    for name, body in [("an import done", export), ("a file that is not an export", b"hello")]:
        chooser.set_input_files(
            {"name": "export.json", "mimeType": "application/json", "buffer": body}
        )
        page.get_by_role("button", name="Import").click()
        settle(page)
        visit(page, f"settings, {name}")
        chooser = page.locator("input[type=file]")


def walk(page, server, visit):
    """Visit every page a person can reach, in every state it shows, calling `visit` on each."""
    url = server.url
    go(page, url + "/signup")
    visit(page, "sign up")
    page.get_by_role("button", name="Create my account").click()
    settle(page)
    visit(page, "sign up, with mistakes")
    go(page, url + "/login")
    visit(page, "sign in")
    page.get_by_label("Email").fill("nobody@example.com")
    page.get_by_label("Password").fill("not the password")
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("alert")).to_be_visible()
    settle(page)
    visit(page, "sign in, a wrong password")
    go(page, url + "/offline")
    visit(page, "offline, signed out")
    go(page, url + "/no-such-page")
    visit(page, "not found, signed out")

    sign_up(page, server)
    visit(page, "Today, empty")
    page.get_by_role("button", name="Log this win").click()
    settle(page)
    visit(page, "Today, an empty win")
    for name, path, mistake in [
        ("goals, empty", "/goals", "Add goal"),
        ("Look back, empty", "/look-back", None),
        ("settings", "/settings", None),
        ("gentle nudges", "/settings/nudges", None),
        ("change password", "/settings/password", "Change password"),
        ("delete account", "/settings/delete", "Delete my account and everything in it"),
    ]:
        go(page, url + path)
        visit(page, name)
        if mistake:
            page.get_by_role("button", name=mistake).click()
            expect(page.locator(".field-errors").first).to_be_visible()
            settle(page)
            visit(page, f"{name}, with a mistake")
    go(page, url + "/settings/nudges")
    page.get_by_label("From").fill("22:00")
    page.get_by_label("until").fill("")
    page.get_by_role("button", name="Save plan").click()
    expect(page.locator(".field-errors").first).to_be_visible()
    settle(page)
    visit(page, "gentle nudges, with a mistake")

    ids = seed(page, server)
    go(page, url + "/")
    expect(page.locator(".wins .win")).to_have_count(2)
    visit(page, "Today, with wins")
    open_details(page, "Earlier, a step, energy or a note")
    page.get_by_label("Another time").check()
    visit(page, "Today, with the details open and another time chosen")
    page.get_by_label("Just now").check()
    page.locator(".wins .win").first.get_by_role("button", name="Edit").click()
    expect(page.get_by_label("Your win")).to_be_focused()
    visit(page, "Today, editing a win in place")
    page.get_by_role("button", name="Cancel").click()
    page.get_by_label(WIN_FIELD).fill("Drank a glass of water")
    page.get_by_role("button", name="Log this win").click()
    expect(page.locator(".flash-celebrate")).to_be_visible()
    settle(page)
    visit(page, "Today, a win just logged")
    page.get_by_role("button", name="Low-capacity day").click()
    expect(page.get_by_role("region", name="A low-capacity day")).to_be_visible()
    settle(page)
    visit(page, "Today, a low-capacity day")

    for name, path in [
        ("edit a win", f"/wins/{ids['win']}/edit"),
        ("edit a win, with a mistake", f"/wins/{ids['win']}/edit"),
        ("goals, with an archived one", "/goals"),
        ("edit a step", f"/steps/{ids['smaller']}/edit"),
        ("edit a goal", f"/goals/{ids['goal']}/edit"),
        ("Look back, with history", "/look-back"),
        ("earlier days", "/days"),
        ("offline", "/offline"),
        ("not found", "/goals/no-such-goal"),
    ]:
        go(page, url + path)
        if name.endswith("with a mistake"):
            page.get_by_label(WIN_FIELD).fill("")
            page.get_by_role("button", name="Save").click()
            expect(page.locator(".field-errors")).to_be_visible()
            settle(page)
        visit(page, name)
        if name == "earlier days":
            page.get_by_role("link", name="Yesterday").click()
            settle(page)
            visit(page, "yesterday's page")
            page.get_by_label("At about").fill("")
            page.get_by_role("button", name="Log it for this day").click()
            expect(page.locator(".field-errors")).to_be_visible()
            visit(page, "yesterday's page, with a mistake")

    go(page, f"{url}/goals/{ids['goal']}/edit")
    open_details(page, "Delete goal")
    visit(page, "edit a goal, about to delete it")

    visit_your_data(page, server, visit)

    go(page, f"{url}/goals/{ids['goal']}")
    expect(page.locator(".ladder .rung")).to_have_count(3)
    visit(page, "a goal with a three-deep ladder")
    page.locator(".ladder .rung").nth(2).get_by_text("Make it even smaller").click()
    settle(page)
    visit(page, "a goal, making a step smaller")
    page.get_by_role("button", name="Add smaller step").click()
    expect(page.locator(".field-errors")).to_be_visible()
    visit(page, "a goal, a smaller step without a name")
    go(page, url + "/look-back")
    open_details(page, "Your year in words")
    visit(page, "Look back, the year in words")
    visit_reflection(page, server, visit)
    visit_sharing(page, server, visit)


def visit_reflection(page, server, visit):
    """Answer this week's three questions, one at a time, and keep them."""
    go(page, server.url + "/reflect")
    visit(page, "this week's reflection")
    page.get_by_label("What tiny step did you take this week?").fill("Asked for help")
    page.get_by_role("button", name="Next").click()
    visit(page, "this week's reflection, the second question")
    page.get_by_role("button", name="Skip this one").click()
    page.get_by_role("button", name="Save my answers").click()
    expect(page.locator("#reflect-news")).to_contain_text("Kept.")
    settle(page)
    visit(page, "this week's reflection, kept")
    go(page, server.url + "/look-back")
    visit(page, "Look back, with a reflection")


def visit_sharing(page, server, visit):
    """Make a share from settings, with a mistake first; open its page and the summaries."""
    go(page, server.url + "/settings/sharing")
    visit(page, "sharing, no shares yet")
    page.get_by_role("button", name="Make a link").click()
    expect(page.locator(".field-errors")).to_be_visible()
    settle(page)
    visit(page, "sharing, with a mistake")
    page.get_by_label("Who is it for?").fill("Dr. Kim")
    page.get_by_label("Include my notes").check()
    page.get_by_role("button", name="Make a link").click()
    link = page.get_by_role("textbox", name="The link")
    expect(link).to_be_visible()
    settle(page)
    visit(page, "sharing, a link just made")
    shared = link.input_value()
    go(page, server.url + "/settings/sharing")
    visit(page, "sharing, with a share")
    go(page, shared)
    visit(page, "a shared page")
    go(page, shared + "/summary?weeks=2")
    visit(page, "a shared summary to print")
    go(page, server.url + "/look-back/summary?weeks=4")
    visit(page, "your own summary to print")
    go(page, server.url + "/s/not-a-link")
    visit(page, "a shared link that opens nothing")
