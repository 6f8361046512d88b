"""Accessible to all: axe on every page in both colour schemes, keyboard, focus, motion, zoom."""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.axe import axe_source, check_both_schemes, report
from tests.browser.walk import WIN_FIELD, go, seed, settle, sign_up, walk

pytestmark = pytest.mark.browser

DESKTOP = {"viewport": {"width": 1280, "height": 900}}


def new_context(browser, profile, **options):
    """Return a browser profile that keeps the errors its pages report."""
    context = browser.new_context(**profile, timezone_id="UTC", **options)
    errors: list[str] = []
    context.on("weberror", lambda error: errors.append(str(error.error)))
    context.on("console", lambda message: message.type == "error" and errors.append(message.text))
    context.console_errors = errors
    return context


# The phone's walk is in test_phone_walk.py, which checks its requests too.
def test_axe_finds_nothing_on_any_page_of_a_desktop_in_light_or_dark(browser, live_server):
    axe_source()
    context = new_context(browser, DESKTOP)
    page = context.new_page()
    found: dict[str, list[str]] = {}
    walk(page, live_server, check_both_schemes(found))
    context.close()
    assert not found, report(found)


def signed_in_with_history(browser, profile, server, **options):
    """Return a context and page signed in as a person with goals and months of wins."""
    context = new_context(browser, profile, **options)
    page = context.new_page()
    sign_up(page, server)
    ids = seed(page, server)
    return context, page, ids


def tab_until(page, condition: str, limit: int = 60) -> bool:
    """Press Tab until `condition` (a JS expression about document.activeElement) holds."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate(f"() => {{ const el = document.activeElement; return {condition}; }}"):
            return True
    return False


def test_a_win_is_logged_with_the_keyboard_alone(browser, phone, live_server):
    context = new_context(browser, phone)
    page = context.new_page()
    sign_up(page, live_server)
    page.goto(live_server.url + "/")
    settle(page)

    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Skip to content")
    expect(skip).to_be_focused()
    expect(skip).to_be_in_viewport()
    assert tab_until(page, "el.name === 'text'"), "Tab reaches the win field"
    page.keyboard.type("Paused before reacting")
    page.keyboard.press("Enter")
    expect(page.locator(".wins .win-text")).to_have_text(["Paused before reacting"])
    expect(page.locator(".flash-celebrate")).to_be_visible()

    field = page.get_by_label(WIN_FIELD)
    expect(field).to_have_value("")
    field.focus()
    page.keyboard.type("Asked for help")
    assert tab_until(page, "el.textContent.trim() === 'Log this win'"), "Tab reaches the button"
    page.keyboard.press("Enter")
    logged = page.locator(".wins .win-text")
    expect(logged).to_have_text(["Asked for help", "Paused before reacting"])
    assert context.console_errors == []
    context.close()


def test_a_mistake_is_told_to_a_screen_reader_with_the_field(browser, phone, live_server):
    context = new_context(browser, phone)
    page = context.new_page()
    sign_up(page, live_server)
    page.get_by_role("button", name="Log this win").click()
    field = page.get_by_label(WIN_FIELD)
    expect(field).to_have_attribute("aria-invalid", "true")
    expect(field).to_have_accessible_description(re.compile("Write a few words about your win"))
    expect(field).to_be_focused()

    page.keyboard.type("Stood up and stretched")
    page.keyboard.press("Enter")
    expect(page.locator(".wins .win-text")).to_have_text(["Stood up and stretched"])
    expect(field).not_to_have_attribute("aria-invalid", "true")
    expect(field).to_have_accessible_description("Up to 280 characters.")
    context.close()


# What the focused element looks like, and the colour its outline is drawn against.
FOCUS_STYLE = """() => {
  const el = document.activeElement;
  const style = getComputedStyle(el);
  let behind = el.parentElement;
  let background = "rgba(0, 0, 0, 0)";
  while (behind) {
    background = getComputedStyle(behind).backgroundColor;
    if (!/rgba\\(.*, 0\\)$/.test(background) && background !== "transparent") break;
    behind = behind.parentElement;
  }
  const box = el.getBoundingClientRect();
  return {
    name: `${el.tagName.toLowerCase()} "${(el.innerText || el.name || el.id || "").trim()}"`,
    outline: style.outlineStyle, width: parseFloat(style.outlineWidth) || 0,
    color: style.outlineColor, shadow: style.boxShadow, background,
    seen: box.width > 0 && box.height > 0 && box.bottom > 0 && box.top < innerHeight,
  };
}"""


def luminance(color: str) -> float:
    """Return the relative luminance of an rgb()/rgba() colour, as WCAG defines it."""
    red, green, blue = (float(part) / 255 for part in re.findall(r"[\d.]+", color)[:3])

    def channel(value):
        return value / 12.92 if value <= 0.04045 else ((value + 0.055) / 1.055) ** 2.4

    return 0.2126 * channel(red) + 0.7152 * channel(green) + 0.0722 * channel(blue)


def contrast(one: str, other: str) -> float:
    """Return the WCAG contrast ratio of two colours."""
    light, dark = sorted((luminance(one), luminance(other)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_focus_is_visible_on_everything_the_tab_key_reaches(browser, phone, live_server, scheme):
    context, page, ids = signed_in_with_history(browser, phone, live_server)
    page.emulate_media(color_scheme=scheme)
    unseen = []
    for path in ["/", f"/goals/{ids['goal']}", "/look-back", "/settings"]:
        go(page, live_server.url + path)
        for detail in page.locator("details").all():
            detail.evaluate("(el) => { el.open = true; }")
        page.evaluate("() => document.activeElement.blur()")
        reached = set()
        for _ in range(150):
            page.keyboard.press("Tab")
            focus = page.evaluate(FOCUS_STYLE)
            if focus["name"].startswith("body") or focus["name"] in reached:
                break
            reached.add(focus["name"])
            ring = focus["outline"] != "none" and focus["width"] >= 2
            if not (ring or focus["shadow"] != "none") or not focus["seen"]:
                unseen.append(f"{path}: {focus['name']} shows no focus ({focus})")
            elif ring and contrast(focus["color"], focus["background"]) < 3:
                unseen.append(f"{path}: {focus['name']} focus ring too faint ({focus})")
        assert len(reached) > 5, f"Tab moves through {path}"
    context.close()
    assert not unseen, "\n".join(unseen)


FIELD_EDGES = """() => [...document.querySelectorAll(`input:is([type=text], [type=email],
    [type=password], [type=time], :not([type])), select, textarea`)]
  .filter((el) => el.getClientRects().length)
  .map((el) => {
    let behind = el.parentElement, background = "";
    while (behind) {
      background = getComputedStyle(behind).backgroundColor;
      if (!/rgba\\(.*, 0\\)$/.test(background)) break;
      behind = behind.parentElement;
    }
    const style = getComputedStyle(el);
    return {name: el.name, edge: style.borderTopColor, inside: style.backgroundColor, background};
  })"""


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_form_fields_stand_out_from_the_page_in_both_themes(browser, phone, live_server, scheme):
    context, page, ids = signed_in_with_history(browser, phone, live_server)
    page.emulate_media(color_scheme=scheme)
    faint = []
    for path in ["/", f"/goals/{ids['goal']}", "/settings", "/settings/nudges"]:
        go(page, live_server.url + path)
        for detail in page.locator("details").all():
            detail.evaluate("(el) => { el.open = true; }")
        fields = page.evaluate(FIELD_EDGES)
        assert fields, f"{path} has fields"
        for field in fields:
            edge = field["edge"]
            against = min(contrast(edge, field["background"]), contrast(edge, field["inside"]))
            if against < 3:
                faint.append(f"{path}: {field['name']} edge {against:.2f}:1 ({field})")
    context.close()
    assert not faint, "\n".join(faint)


MOVING = """() => {
  const moving = [];
  for (const el of document.querySelectorAll("*")) {
    for (const pseudo of [null, "::before", "::after"]) {
      const style = getComputedStyle(el, pseudo);
      const seconds = (list) => Math.max(...list.split(",").map((d) => parseFloat(d) || 0));
      const animated = style.animationName !== "none" && seconds(style.animationDuration) > 0;
      if (animated || seconds(style.transitionDuration) > 0) {
        moving.push(`${el.tagName}.${el.className.baseVal ?? el.className}${pseudo || ""}`);
      }
    }
  }
  return {moving, running: document.getAnimations().length,
          scroll: getComputedStyle(document.documentElement).scrollBehavior};
}"""


def test_nothing_moves_when_a_person_asks_for_reduced_motion(browser, phone, live_server):
    context, page, _ = signed_in_with_history(browser, phone, live_server, reduced_motion="reduce")
    page.goto(live_server.url + "/")
    page.get_by_label(WIN_FIELD).fill("Took three slow breaths")
    page.get_by_role("button", name="Log this win").click()
    expect(page.locator(".flash-celebrate")).to_be_visible()
    today = page.evaluate(MOVING)
    page.goto(live_server.url + "/look-back")
    expect(page.get_by_role("img", name=re.compile("^Momentum")).first).to_be_visible()
    look_back = page.evaluate(MOVING)
    context.close()

    for name, found in [("Today", today), ("Look back", look_back)]:
        assert found == {"moving": [], "running": 0, "scroll": "auto"}, name


def test_the_celebration_moves_for_everyone_else(browser, phone, live_server):
    context, page, _ = signed_in_with_history(browser, phone, live_server)
    page.goto(live_server.url + "/")
    page.get_by_label(WIN_FIELD).fill("Took three slow breaths")
    page.get_by_role("button", name="Log this win").click()
    expect(page.locator(".flash-celebrate")).to_have_css("animation-name", "celebrate")
    page.goto(live_server.url + "/look-back")
    expect(page.locator(".ring-value")).to_have_css("animation-name", "ring-grow")
    context.close()


# Text a person can see that reaches past the screen's edges, or is cut off by its box.
CUT_OFF = """() => {
  const width = document.documentElement.clientWidth;
  const cut = [];
  const tiny = (el) => {
    const box = el.getBoundingClientRect();
    return box.width <= 1 && box.height <= 1 && getComputedStyle(el).overflow === "hidden";
  };
  const hidden = (el) => {
    if (el.closest(".visually-hidden, [hidden], details:not([open]) > :not(summary)")) return true;
    for (let up = el; up; up = up.parentElement) if (tiny(up)) return true;
    return false;
  };
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  while (walker.nextNode()) {
    const node = walker.currentNode;
    if (!node.textContent.trim() || hidden(node.parentElement)) continue;
    const range = document.createRange();
    range.selectNodeContents(node);
    for (const box of range.getClientRects()) {
      if (box.width && (box.left < -1 || box.right > width + 1)) {
        cut.push(`${node.parentElement.tagName} "${node.textContent.trim().slice(0, 30)}"`);
        break;
      }
    }
  }
  for (const el of document.body.querySelectorAll("*")) {
    if (hidden(el) || !el.getClientRects().length) continue;
    const style = getComputedStyle(el);
    const wide = style.overflowX !== "visible" && el.scrollWidth > el.clientWidth + 1;
    const tall = style.overflowY !== "visible" && el.scrollHeight > el.clientHeight + 1;
    if ((wide && el.tagName !== "INPUT") || (tall && el.tagName !== "TEXTAREA")) {
      cut.push(`${el.tagName}.${el.className.baseVal ?? el.className} clips its content`);
    }
  }
  return {cut, scrolls: document.documentElement.scrollWidth > width, width,
          fontSize: getComputedStyle(document.body).fontSize};
}"""


@pytest.mark.parametrize("enlarge", ["browser text size", "root font size"])
def test_text_at_200_percent_fits_a_320_pixel_screen(browser, phone, live_server, enlarge):
    narrow = {**phone, "viewport": {"width": 320, "height": 640}}
    context, page, ids = signed_in_with_history(browser, narrow, live_server)
    if enlarge == "browser text size":
        # The setting a person changes in the browser: every default font size doubled.
        fonts = {"standard": 32, "fixed": 26, "sansSerif": 32, "serif": 32}
        context.new_cdp_session(page).send("Page.setFontSizes", {"fontSizes": fonts})
    pages = {
        "/": ["textbox", WIN_FIELD, "button", "Log this win", "link", "Look back"],
        "/look-back": ["heading", "How far you've come", "img", re.compile("^Momentum")],
        f"/goals/{ids['goal']}": ["button", "Archive", "link", re.compile("^Edit")],
        "/goals": ["button", "Add goal", "button", re.compile("^Bring back")],
        f"/wins/{ids['win']}/edit": ["textbox", WIN_FIELD, "button", "Save"],
        "/settings": ["combobox", "Time zone", "button", "Save settings"],
        "/settings/nudges": ["textbox", "Nudge time 1", "button", "Save plan"],
    }
    for path, controls in pages.items():
        go(page, live_server.url + path)
        for detail in page.locator("details").all():
            detail.evaluate("(el) => { el.open = true; }")
        if enlarge == "root font size":
            page.evaluate("() => { document.documentElement.style.fontSize = '200%'; }")
        settle(page)
        found = page.evaluate(CUT_OFF)
        assert found["width"] == 320
        assert float(found["fontSize"].removesuffix("px")) >= 32, "the text really is twice as big"
        assert found["cut"] == [] and not found["scrolls"], (path, found)
        for role, name in zip(controls[::2], controls[1::2], strict=True):
            control = page.get_by_role(role, name=name).first
            control.scroll_into_view_if_needed()
            expect(control).to_be_in_viewport()
            box = control.bounding_box()
            assert box["x"] >= 0 and box["x"] + box["width"] <= 320, (path, name, box)
    context.close()
