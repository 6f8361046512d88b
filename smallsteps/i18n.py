"""Languages: which one a request speaks, and the words and dates it reads in it.

Every word a person reads comes from a catalog: Flask-Babel's for the server (templates,
messages, nudges), and the same catalogs' `js` domain, served as JSON, for the JavaScript
and the service worker. A language is shipped when its catalog is in `translations/`;
English is the source and needs none.
"""

import re
from contextlib import contextmanager
from datetime import date
from functools import cache
from pathlib import Path

import flask_babel
from babel import Locale
from babel.dates import format_date, format_time, match_skeleton
from babel.support import Translations
from flask import current_app, g, has_app_context, has_request_context, request
from flask_babel import Babel, force_locale, get_locale, get_translations
from flask_login import current_user
from markupsafe import Markup

SOURCE_LANGUAGE = "en"
TRANSLATIONS = Path(__file__).parent / "translations"
# Scripts read from right to left, by language code.
RIGHT_TO_LEFT = {"ar", "fa", "he", "ur"}


def init_app(app) -> None:
    """Choose each request's language and time zone, and give templates `lang` and `dir`."""
    app.config.setdefault("BABEL_TRANSLATION_DIRECTORIES", str(TRANSLATIONS))
    # One Babel per app: it caches the catalogs it has read, and two apps in one process (as
    # in tests) may read theirs from different folders.
    Babel(app, locale_selector=request_language, timezone_selector=request_time_zone)
    app.jinja_env.policies["ext.i18n.trimmed"] = True
    app.jinja_env.install_gettext_callables(
        gettext=lambda text: request_catalog().ugettext(text),
        ngettext=lambda one, many, count: request_catalog().ungettext(one, many, count),
        pgettext=lambda context, text: request_catalog().upgettext(context, text),
        npgettext=lambda context, one, many, count: request_catalog().unpgettext(
            context, one, many, count
        ),
        newstyle=True,
    )
    app.add_template_global(text_direction)
    app.add_template_global(languages)
    app.add_template_global(get_locale)
    for helper in (weekday_date, long_date, clock_time):
        app.add_template_global(helper)
    app.add_template_filter(isolated, "bdi")


def shipped() -> tuple[str, ...]:
    """Return the languages this package ships a catalog for, English first."""
    found = sorted(path.parents[1].name for path in TRANSLATIONS.glob("*/LC_MESSAGES/messages.po"))
    return (SOURCE_LANGUAGE, *found)


def translation_folders() -> list[Path]:
    """Return the folders catalogs are read from, the app's own last."""
    configured = current_app.config["BABEL_TRANSLATION_DIRECTORIES"]
    return [Path(folder) for folder in configured.split(";") if folder]


def languages() -> dict[str, str]:
    """Return every language a person can choose, by code, each named in itself.

    Read from the folders once per app: catalogs change with a deploy, which restarts it.
    Every signed-out request asks (to match the browser's languages).
    """
    found = current_app.extensions.get("smallsteps.languages")
    if found is None:
        found = current_app.extensions["smallsteps.languages"] = compiled_languages()
    return found


def compiled_languages() -> dict[str, str]:
    """Return the languages whose compiled catalogs are in the translation folders."""
    codes = {SOURCE_LANGUAGE}
    for folder in translation_folders():
        if folder.is_dir():
            codes |= {
                entry.name
                for entry in folder.iterdir()
                if (entry / "LC_MESSAGES" / "messages.mo").is_file()
            }
    return {code: Locale.parse(code).get_display_name(code).capitalize() for code in sorted(codes)}


def closest_language(accepted) -> str:
    """Return the shipped language nearest a browser's Accept-Language, English if none is.

    The browser's languages are tried in its order of preference, each as it is and then by
    its base language: "de-CH, fr;q=0.8" is served German, not French; "es-MX" Spanish.
    """
    shipped = {code.lower().replace("_", "-"): code for code in languages()}
    for wanted, quality in accepted:  # most wanted first
        tag = wanted.lower().replace("_", "-")
        if quality <= 0 or tag == "*":
            continue
        found = shipped.get(tag) or shipped.get(tag.split("-")[0])
        if found:
            return found
    return SOURCE_LANGUAGE


def request_language() -> str:
    """Return the language of this request: the person's own, else their browser's nearest."""
    chosen = g.get("language")
    if chosen:
        return chosen
    if current_user and current_user.is_authenticated:
        return current_user.language or SOURCE_LANGUAGE
    if has_request_context():
        return closest_language(request.accept_languages)
    return SOURCE_LANGUAGE


def request_time_zone() -> str | None:
    """Return the person's time zone, for dates Babel formats."""
    if current_user and current_user.is_authenticated:
        return current_user.timezone
    return None


def text_direction(language: str | None = None) -> str:
    """Return "rtl" for a language written right to left, else "ltr"."""
    code = str(language or get_locale() or SOURCE_LANGUAGE).split("_")[0]
    return "rtl" if code in RIGHT_TO_LEFT else "ltr"


def isolated(words) -> Markup:
    """Return a person's own words set apart from the sentence around them, in <bdi>.

    Their direction is then their own (English in an Arabic sentence, Arabic in an English
    one), and the sentence's punctuation stays where the sentence puts it. Templates:
    `{{ _('Hi %(name)s', name=display_name | bdi) }}`. An element that holds only the
    person's words takes dir="auto" instead.
    """
    return Markup("<bdi>%s</bdi>") % words


@contextmanager
def speaking(language: str | None):
    """Speak `language` (a nudge's reader's, a sharer's) in gettext and dates within."""
    forget_catalog()
    try:
        with force_locale(language or SOURCE_LANGUAGE):
            yield
    finally:
        forget_catalog()


def request_catalog():
    """Return the catalog the templates read from, looked up once per request and language.

    Flask-Babel finds it anew for every text (a page has about a hundred); a page reads it
    from here instead. `speaking` and `refresh` forget it when the language changes.
    """
    catalog = g.get("_smallsteps_catalog")
    if catalog is None:
        catalog = g._smallsteps_catalog = get_translations()
    return catalog


def forget_catalog() -> None:
    """Forget this request's catalog, for a language change within it."""
    if has_app_context():
        g.pop("_smallsteps_catalog", None)


def refresh() -> None:
    """Speak the person's new language from here on in this request (after a settings change)."""
    flask_babel.refresh()
    forget_catalog()


def date_words(day: date, skeleton: str) -> str:
    """Return a date in the current language from a CLDR skeleton, like "MMMMEEEEd".

    The language's own pattern for the skeleton is used, with weekday and month names
    written out in full: "Sunday, November 22", "domingo, 22 de noviembre".
    """
    locale = get_locale() or Locale.parse(SOURCE_LANGUAGE)
    return format_date(day, full_names(skeleton, locale), locale=locale)


@cache
def full_names(skeleton: str, locale: Locale) -> str:
    """Return the language's pattern for a skeleton, its weekday and month names unabridged."""
    pattern = locale.datetime_skeletons[match_skeleton(skeleton, locale.datetime_skeletons)]
    pattern = pattern.pattern
    if "EEEE" in skeleton:
        pattern = re.sub(r"(?<!E)E{1,3}(?!E)", "EEEE", pattern)
    if "MMMM" in skeleton:
        pattern = re.sub(r"(?<![ML])([ML])\1{2}(?![ML])", lambda m: m.group(1) * 4, pattern)
    return pattern


def weekday_date(day: date, today: date | None = None) -> str:
    """Return "Sunday, November 22, 2025", without the year when it is `today`'s."""
    same_year = today is not None and day.year == today.year
    return date_words(day, "MMMMEEEEd" if same_year else "yMMMMEEEEd")


def long_date(day: date, today: date | None = None) -> str:
    """Return "November 22, 2025", without the year when it is `today`'s."""
    same_year = today is not None and day.year == today.year
    return date_words(day, "MMMMd" if same_year else "yMMMMd")


def clock_time(moment) -> str:
    """Return a time of day the way the current language writes it, like "18:30"."""
    return format_time(moment, "HH:mm", locale=get_locale() or SOURCE_LANGUAGE)


def javascript_catalog(language: str) -> dict:
    """Return the JavaScript's messages in `language`: msgid to text, plurals by category."""
    translations = Translations()
    for folder in translation_folders():
        found = Translations.load(str(folder), [language], domain="js")
        if isinstance(found, Translations):  # else the folder has no catalog for it
            translations.merge(found)
            translations.plural = found.plural  # merge takes the texts, not the plural rule
    catalog: dict = {}
    locale = Locale.parse(language)
    samples = plural_samples(locale)
    for key, text in getattr(translations, "_catalog", {}).items():
        if not key or not text:
            continue  # the header
        if isinstance(key, tuple):
            singular, index = key
            if index == 0:
                catalog[singular] = {
                    category: translations.ngettext(singular, singular, number)
                    for category, number in samples.items()
                }
        else:
            catalog[key] = text
    return catalog


def plural_samples(locale: Locale) -> dict[str, int]:
    """Return a number for each of the language's plural categories ("one", "few", …).

    The browser picks a category with Intl.PluralRules; the catalog's own plural rule
    picks the form for a number of that category.
    """
    samples: dict[str, int] = {}
    for number in range(0, 1000):
        samples.setdefault(locale.plural_form(number), number)
    return samples
