"""No word a person reads escapes the catalogs.

Every page and every API answer is read in the pseudo-language (tests/catalogs.py): each
catalog text accented and wrapped, dates in Greek. Whatever is left in plain ASCII letters,
once the person's own words are set aside, was written past the catalogs.
"""

import re
from html.parser import HTMLParser

import pytest

from tests.catalogs import PSEUDO, build_pseudo, shipped_catalogs
from tests.conftest import Person
from tests.test_isolation import SECRETS, fill, first_persons_life, walk

# Names that stay as they are in every language.
PROPER = {
    "Small Steps",
    "UTC",
    "JSON",
    "CSV",
    "PDF",
    "QR",
    "iPhone",
    "iPad",
    "Android",
    "Chrome",
    "Safari",
    "Firefox",
    "Edge",
    "Samsung",
    "Internet",
    "Opera",
    "Windows",
    "Linux",
    "macOS",
    "Caddy",
    "https",
    "http",
    "A4",
    "Letter",
}
ATTRIBUTES = {"title", "aria-label", "placeholder", "alt", "label"}
# Lists of data, named as the data is: the tz database's zones, each language in itself.
DATA_LISTS = {"timezone", "language"}
ENGLISH = re.compile(r"[A-Za-z]{2,}")


@pytest.fixture(scope="session")
def pseudo_catalogs(tmp_path_factory):
    """Return a folder holding the pseudo-language's compiled catalogs."""
    return build_pseudo(tmp_path_factory.mktemp("pseudo"))


@pytest.fixture
def app(database_url, shared_apps, pseudo_catalogs):
    """Return the app with nudges set up and the pseudo-language among its languages."""
    from tests.nudges.nudged_app import vapid_pem

    return shared_apps.get(
        database_url,
        VAPID_PRIVATE_KEY=vapid_pem(),
        BABEL_TRANSLATION_DIRECTORIES=str(pseudo_catalogs),
    )


class Reader(HTMLParser):
    """Collect what a person reads on a page: text, and the attributes said or shown."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.read: list[str] = []
        self.skipping: list[str] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag in ("script", "style") or (tag == "select" and attrs.get("name") in DATA_LISTS):
            self.skipping.append(tag)
        if self.skipping:
            return
        self.read += [value for name, value in attrs.items() if name in ATTRIBUTES and value]
        if tag == "meta" and attrs.get("name") == "description":
            self.read.append(attrs.get("content") or "")
        if tag == "input" and attrs.get("type") in ("submit", "button") and attrs.get("value"):
            self.read.append(attrs["value"])

    def handle_endtag(self, tag):
        if self.skipping and self.skipping[-1] == tag:
            self.skipping.pop()

    def handle_data(self, data):
        if not self.skipping and data.strip():
            self.read.append(data)


def escaped(texts) -> list[str]:
    """Return the texts that still hold English once the person's own words are set aside.

    Language codes ("en", "ar") are data too: a refused language lists them.
    """
    languages = {"en", PSEUDO, *(path.parents[1].name for path in shipped_catalogs())}
    found = []
    for text in texts:
        rest = text
        for own in (*SECRETS.values(), *PROPER, *languages):
            rest = re.sub(rf"\b{re.escape(own)}\b", " ", rest)
        rest = re.sub(r"\S+@\S+|https?://\S+|/\S*", " ", rest)
        found += [
            " ".join(rest[max(0, hit.start() - 30) : hit.end() + 30].split())
            for hit in ENGLISH.finditer(rest)
        ]
    return found


def readable_strings(value) -> list[str]:
    """Return every text in a JSON value."""
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [text for item in value.values() for text in readable_strings(item)]
    if isinstance(value, list):
        return [text for item in value for text in readable_strings(item)]
    return []


def read_answer(response) -> list[str]:
    """Return what a person reads in an answer: a page's words or an API error's."""
    kind = response.content_type or ""
    if 300 <= response.status_code < 400:
        return []  # a browser follows a redirect; nobody reads its body
    if kind.startswith("text/html"):
        reader = Reader()
        reader.feed(response.get_data(as_text=True))
        return reader.read
    if kind.startswith("application/json") and response.status_code >= 400:
        body = response.get_json(silent=True) or {}
        # `error` is a code the scripts compare; `detail` is what a person is shown.
        return readable_strings(body.get("detail"))
    return []


def test_every_page_reads_in_the_pseudo_language_with_nothing_escaped(app):
    first, ids = first_persons_life(app)
    assert first.api("PUT", "/api/v1/settings", json={"language": PSEUDO}).status_code == 200
    seen, escapes = 0, {}
    for rule, method in walk(app):
        if method != "GET" or rule.rule in ("/logout",):
            continue
        path = fill(rule, ids)
        response = first.client.get(path)
        texts = read_answer(response)
        seen += bool(texts)
        if found := escaped(texts):
            escapes[path] = found
    assert seen > 25, "the walk read the pages"
    assert not escapes, escapes


def test_what_is_said_after_an_action_or_a_mistake_reads_in_the_pseudo_language(app):
    first, ids = first_persons_life(app)
    first.api("PUT", "/api/v1/settings", json={"language": PSEUDO})
    answers = [
        # A flash after a win logged with the form, read on the page it leads to.
        first.post("/wins", {"text": "Φως"}, follow_redirects=True),
        first.post("/wins", {"text": ""}),
        first.post(
            "/settings",
            {
                "display_name": "x" * 81,
                "timezone": "Nowhere/Else",
                "week_start": "9",
                "grace": "7",
                "language": "xx",
            },
        ),
        first.post("/goals", {"title": ""}),
        first.api("PUT", "/api/v1/settings", json={"grace": 9, "language": "xx", "zone": 1}),
        first.api("PUT", "/api/v1/nudges", json={"times": ["25:00"], "weekdays": [9]}),
        first.api("POST", "/api/v1/sync", json={"since": None, "changes": [{"type": "win"}]}),
        first.client.get("/api/v1/nothing-here"),
        first.client.get("/nothing-here"),
    ]
    stranger = Person(app.test_client(), "sky@example.com")
    stranger.client.environ_base["HTTP_ACCEPT_LANGUAGE"] = PSEUDO
    answers += [
        stranger.client.get("/login"),
        stranger.client.get("/signup"),
        stranger.post("/login", {"email": "sky@example.com", "password": "wrong"}),
        stranger.post("/signup", {"email": "not an email", "password": "short"}),
    ]
    rejected = answers[6].get_json()["results"][0]
    texts = [text for response in answers for text in read_answer(response)]
    texts += readable_strings([rejected.get("reason"), rejected.get("message")])
    assert len(texts) > 40
    assert not escaped(texts), escaped(texts)


def test_every_nudge_arrives_in_the_pseudo_language(app):
    import json

    from smallsteps.domain.nudges import MESSAGES, RESTING_MESSAGES, WEEKLY_MESSAGE
    from smallsteps.services.nudges.claims import payload

    texts = [*MESSAGES, *RESTING_MESSAGES, WEEKLY_MESSAGE]
    with app.app_context():
        said = [
            json.loads(payload(text, "https://steps.example.org", kind, language=PSEUDO))
            for text in texts
            for kind in ("daily", "weekly")
        ]
    notes = [body["notification"] for body in said]
    assert {note["lang"] for note in notes} == {PSEUDO}
    assert not escaped(note["body"] for note in notes), escaped(note["body"] for note in notes)
