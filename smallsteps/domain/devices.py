"""A coarse name for a device from its User-Agent: "Safari on iPhone", never the version.

The name is kept in English, as data (the share log, the API, the export); `reading`
takes it apart again, so a page can say it in its reader's language.
"""

from .text import N_

# Checked in order: the first name found wins (Edge and Opera also say "Chrome"; Chrome
# also says "Safari").
BROWSERS = (
    ("Edg/", "Edge"),
    ("OPR/", "Opera"),
    ("SamsungBrowser", "Samsung Internet"),
    ("Firefox/", "Firefox"),
    ("FxiOS", "Firefox"),
    ("CriOS", "Chrome"),
    ("Chrome/", "Chrome"),
    ("Chromium/", "Chrome"),
    ("Safari/", "Safari"),
)
SYSTEMS = (
    ("iPhone", "iPhone"),
    ("iPad", "iPad"),
    ("Android", "Android"),
    ("Windows", "Windows"),
    ("CrOS", "ChromeOS"),
    # Translators: the system in "Safari on a Mac", a device that looked at a shared page.
    ("Macintosh", N_("a Mac")),
    ("Linux", "Linux"),
)
# Translators: a device that looked at a shared page, like "Safari on iPhone".
BROWSER_ON = N_("%(browser)s on %(system)s")
# Translators: a device that looked at a shared page, its browser unknown.
SOME_BROWSER_ON = N_("A browser on %(system)s")
# Translators: a device that looked at a shared page, nothing known of it.
SOME_BROWSER = N_("A browser")

BROWSER_NAMES = frozenset(name for _mark, name in BROWSERS)
SYSTEM_NAMES = frozenset(name for _mark, name in SYSTEMS)


def describe(user_agent: str | None) -> str:
    """Return "Safari on iPhone", "Chrome on Android" and the like, or "A browser"."""
    agent = user_agent or ""
    browser = next((name for mark, name in BROWSERS if mark in agent), None)
    system = next((name for mark, name in SYSTEMS if mark in agent), None)
    if browser and system:
        return BROWSER_ON % {"browser": browser, "system": system}
    if system:
        return SOME_BROWSER_ON % {"system": system}
    return browser or SOME_BROWSER


def reading(name: str) -> tuple[str | None, dict[str, str]]:
    """Return the pattern and the names a device's name was made from, to say it again.

    "Safari on a Mac" is (BROWSER_ON, {"browser": "Safari", "system": "a Mac"}); a
    browser's name alone, or a name `describe` never makes, is (None, {}).
    """
    if name == SOME_BROWSER:
        return SOME_BROWSER, {}
    for system in SYSTEM_NAMES:
        if name == SOME_BROWSER_ON % {"system": system}:
            return SOME_BROWSER_ON, {"system": system}
        for browser in BROWSER_NAMES:
            if name == BROWSER_ON % {"browser": browser, "system": system}:
                return BROWSER_ON, {"browser": browser, "system": system}
    return None, {}
