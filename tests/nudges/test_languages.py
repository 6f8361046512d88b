"""A nudge speaks the language of the person it goes to, whoever else is nudged in the pass."""

from datetime import datetime

from flask_babel import force_locale, gettext

from smallsteps.domain.nudges import MESSAGES, WEEKLY_MESSAGE
from smallsteps.extensions import db
from smallsteps.models import User
from tests.nudges.helpers import plan_nudges, send_due, sign_up, subscribe

PLANNED_AT = "2026-11-20T12:00:00+01:00"
DUE_AT = "2026-11-20T20:00:30+01:00"


def speaks(app, email: str, language: str) -> None:
    """Set the language a person reads Small Steps in, as their settings would."""
    with app.app_context():
        db.session.query(User).filter_by(email=email).one().language = language
        db.session.commit()


def said_in(app, language: str, texts) -> dict[str, str]:
    """Return each English text's translation in a language's catalog, by translation."""
    with app.test_request_context(), force_locale(language):
        return {gettext(text): text for text in texts}


def nudged(app, push_service, application_server_key, email: str, **plan):
    """Return a signed-up person's phone, with nudges planned every evening at 20:00."""
    person = sign_up(app, email)
    phone = push_service.new_device(application_server_key)
    subscribe(person, phone)
    plan_nudges(app, person, datetime.fromisoformat(PLANNED_AT), times=["20:00"], **plan)
    return phone


def test_a_nudge_to_someone_who_reads_german_arrives_in_german(
    app, push_service, application_server_key
):
    german_phone = nudged(app, push_service, application_server_key, "lena@example.com")
    english_phone = nudged(app, push_service, application_server_key, "river@example.com")
    speaks(app, "lena@example.com", "de")

    send_due(app, DUE_AT)

    [to_lena] = push_service.delivered_to(german_phone)
    [to_river] = push_service.delivered_to(english_phone)
    note = to_lena.payload["notification"]
    assert (note["lang"], note["dir"], note["title"]) == ("de", "ltr", "Small Steps")
    german = said_in(app, "de", MESSAGES)
    assert note["body"] in german, note["body"]
    english = german[note["body"]]
    assert note["body"] != english, (
        f"the nudge arrived in English ({english!r}): the German catalog "
        "(smallsteps/translations/de/LC_MESSAGES/messages.po) must translate the nudge texts"
    )
    # Everyone else in the same pass still reads their own language.
    assert to_river.payload["notification"]["body"] in MESSAGES
    assert to_river.payload["notification"]["lang"] == "en"


def test_the_weekly_nudge_is_said_in_the_persons_language_too(
    app, push_service, application_server_key
):
    phone = nudged(
        app,
        push_service,
        application_server_key,
        "lena@example.com",
        weekdays=[0],  # a Monday nudge only: Friday the 20th brings the weekly one alone
        weekly={"weekday": 4, "time": "20:00"},
    )
    speaks(app, "lena@example.com", "de")

    send_due(app, DUE_AT)

    [note] = push_service.delivered_to(phone)
    assert note.payload["notification"]["body"] == next(iter(said_in(app, "de", [WEEKLY_MESSAGE])))
    assert note.payload["notification"]["lang"] == "de"


def test_a_nudge_in_a_right_to_left_language_says_so(app, push_service, application_server_key):
    phone = nudged(app, push_service, application_server_key, "layla@example.com")
    speaks(app, "layla@example.com", "ar")

    send_due(app, DUE_AT)

    [note] = push_service.delivered_to(phone)
    assert (note.payload["notification"]["lang"], note.payload["notification"]["dir"]) == (
        "ar",
        "rtl",
    )
    assert note.payload["notification"]["body"] in said_in(app, "ar", MESSAGES)


def test_a_language_no_catalog_knows_gets_english(app, push_service, application_server_key):
    phone = nudged(app, push_service, application_server_key, "sky@example.com")
    speaks(app, "sky@example.com", "xx")

    send_due(app, DUE_AT)

    [note] = push_service.delivered_to(phone)
    assert note.payload["notification"]["body"] in MESSAGES
    assert note.payload["notification"]["lang"] == "en"
