"""HTML forms, each with its CSRF token and messages a person can act on."""

from functools import cache
from importlib import resources

from babel import Locale, support
from flask_babel import format_number, get_locale, ngettext
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel.speaklater import LazyString
from flask_login import current_user
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    EmailField,
    HiddenField,
    PasswordField,
    RadioField,
    SelectChoice,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.csrf.core import CSRFTokenField
from wtforms.i18n import messages_path
from wtforms.validators import (
    DataRequired,
    Email,
    InputRequired,
    Length,
    Optional,
    StopValidation,
    ValidationError,
)

from . import i18n
from .domain.changes import ENERGY_LEVELS, LONG_TEXT_MAX, PAIRING_MAX, TITLE_MAX, WIN_TEXT_MAX
from .domain.streaks import WEEKLY_TARGETS
from .domain.text import UNSTORABLE, renderable, unstorable
from .services.accounts import DISPLAY_NAME_MAX, time_zones
from .services.passwords import PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH, weakness

# What the form calls each of ENERGY_LEVELS, in the same order.
# Translators: how much energy a person had when they logged a win.
ENERGY_WORDS = (_l("Low"), _l("Okay"), _l("High"))


def options(*pairs) -> list[SelectChoice]:
    """Return form choices from (value, label) pairs."""
    return [SelectChoice(value, label) for value, label in pairs]


def said_later(words) -> LazyString:
    """Return words made when shown, in the language of the request showing them.

    For messages made once, with the form, whose words need the request: a plural, or a
    number written the language's way (1,000 or 1.000).
    """
    return LazyString(words)


def weekday_names() -> list[str]:
    """Return the names of the days, Monday first, in the current language (CLDR's)."""
    names = (get_locale() or Locale.parse(i18n.SOURCE_LANGUAGE)).days["stand-alone"]["wide"]
    return [names[day] for day in range(7)]


def _strip(value):
    return value.strip() if isinstance(value, str) else value


def refuse_unstorable(form, field) -> None:
    """Stop at a character that can't be saved; keep what was typed, safe to show again."""
    if isinstance(field.data, str) and unstorable(field.data):
        field.data = renderable(field.data)
        raise StopValidation(_(UNSTORABLE))


# A field a person writes their own words in takes the direction of what they type: Arabic
# on an English page, English on an Arabic one.
OWN_WORDS = {"dir": "auto"}


@cache
def wtforms_catalog(language: str) -> support.Translations:
    """Return WTForms' own messages in a language, read from its catalog once."""
    return support.Translations.load(messages_path(), [language], domain="wtforms")


class Form(FlaskForm):
    """A form whose every text field refuses text that can't be saved, before anything else."""

    class Meta:
        """WTForms' own messages ("Not a valid choice.") in the request's language."""

        def get_translations(self, form):
            """Return them from a catalog read once per language, not once per request."""
            return wtforms_catalog(str(get_locale() or i18n.SOURCE_LANGUAGE))

    def __init__(self, *args, **kwargs):
        """Put the check first on each text field, hidden and password ones included."""
        super().__init__(*args, **kwargs)
        for field in self:
            if isinstance(field, StringField) and not isinstance(field, CSRFTokenField):
                field.validators = [refuse_unstorable, *field.validators]


def new_password_field(label: str, missing: str) -> PasswordField:
    """Return a field for choosing a password, long enough to be worth having."""
    too_short = said_later(
        lambda: ngettext(
            "Use at least %(num)d character.",
            "Use at least %(num)d characters.",
            PASSWORD_MIN_LENGTH,
        )
    )
    # The hint the page shows under the field (its description).
    enough = said_later(
        lambda: ngettext(
            "At least %(num)d character.", "At least %(num)d characters.", PASSWORD_MIN_LENGTH
        )
    )
    return PasswordField(
        label,
        description=enough,
        validators=[
            DataRequired(missing),
            Length(min=PASSWORD_MIN_LENGTH, max=PASSWORD_MAX_LENGTH, message=too_short),
        ],
    )


def refuse_weak_password(password: str | None, email: str) -> None:
    """Raise a kind validation error for a password too easy to guess."""
    problem = weakness(password or "", email)
    if problem:
        raise ValidationError(problem)


class SignupForm(Form):
    """Create an account."""

    email = EmailField(
        _l("Email"),
        filters=[_strip],
        validators=[
            DataRequired(_l("Enter your email.")),
            Email(_l("That doesn't look like an email address.")),
            Length(max=254),
        ],
    )
    password = new_password_field(_l("Password"), _l("Choose a password."))
    timezone = HiddenField()
    # The token of the invitation link the page was opened with, when sign-up needs one.
    invite = HiddenField()

    def validate_password(self, field):
        """Refuse the email itself and the passwords guessers try first."""
        refuse_weak_password(field.data, self.email.data or "")


class LoginForm(Form):
    """Sign in."""

    email = EmailField(
        _l("Email"), filters=[_strip], validators=[DataRequired(_l("Enter your email."))]
    )
    password = PasswordField(_l("Password"), validators=[DataRequired(_l("Enter your password."))])
    remember = BooleanField(_l("Keep me signed in on this device"))


class ForgotPasswordForm(Form):
    """Ask for a link to choose a new password."""

    email = EmailField(
        _l("Email"),
        filters=[_strip],
        validators=[
            DataRequired(_l("Enter the email you signed up with.")),
            Email(_l("That doesn't look like an email address.")),
            Length(max=254),
        ],
    )


class ResetPasswordForm(Form):
    """Choose a new password from a reset link."""

    password = new_password_field(_l("New password"), _l("Choose a new password."))
    remember = BooleanField(_l("Keep me signed in on this device"))

    def __init__(self, *args, person_email: str = "", **kwargs):
        """Remember whose password this is, to refuse their email as a password."""
        super().__init__(*args, **kwargs)
        self.person_email = person_email

    def validate_password(self, field):
        """Refuse the person's email and the passwords guessers try first."""
        refuse_weak_password(field.data, self.person_email)


class WinForm(Form):
    """Log or edit a small win."""

    text = StringField(
        _l("What's one small win?"),
        filters=[_strip],
        render_kw=OWN_WORDS,
        validators=[
            DataRequired(_l("Write a few words about your win.")),
            Length(
                max=WIN_TEXT_MAX,
                message=said_later(
                    lambda: ngettext(
                        "Keep it to %(limit)s character.",
                        "Keep it to %(limit)s characters.",
                        WIN_TEXT_MAX,
                        limit=format_number(WIN_TEXT_MAX),
                    )
                ),
            ),
        ],
    )
    step_id = SelectField(_l("Toward a step (optional)"), default="")
    energy = RadioField(
        _l("Energy (optional)"),
        choices=options(("", _l("Skip")), *zip(ENERGY_LEVELS, ENERGY_WORDS, strict=True)),
        default="",
        validate_choice=True,
    )
    note = TextAreaField(
        _l("A note for yourself (optional)"),
        filters=[_strip],
        render_kw=OWN_WORDS,
        validators=[
            Optional(),
            Length(
                max=LONG_TEXT_MAX,
                message=said_later(
                    lambda: ngettext(
                        "Keep the note to %(limit)s character.",
                        "Keep the note to %(limit)s characters.",
                        LONG_TEXT_MAX,
                        limit=format_number(LONG_TEXT_MAX),
                    )
                ),
            ),
        ],
    )
    # Filled in by the browser with the device's own time and offset.
    occurred_at = HiddenField()
    # When it happened, if not just now: read in the person's zone by the view (wins.moment).
    when = RadioField(
        _l("When was it?"),
        choices=options(
            ("now", _l("Just now")),
            ("yesterday", _l("Yesterday evening")),
            ("other", _l("Another time")),
        ),
        default="now",
        validate_choice=True,
    )
    day = StringField(_l("Day"), filters=[_strip], render_kw={"type": "date"})
    time = StringField(_l("Time"), filters=[_strip], render_kw={"type": "time"})


class GoalForm(Form):
    """Name a goal and why it matters."""

    title = StringField(
        _l("Goal"),
        filters=[_strip],
        render_kw=OWN_WORDS,
        validators=[DataRequired(_l("Give your goal a name.")), Length(max=TITLE_MAX)],
    )
    why = TextAreaField(
        _l("Why it matters to you (optional)"),
        filters=[_strip],
        render_kw=OWN_WORDS,
        validators=[Optional(), Length(max=LONG_TEXT_MAX)],
    )


class StepForm(Form):
    """Add or edit a step, something to add to your days."""

    title = StringField(
        _l("Step"),
        filters=[_strip],
        render_kw=OWN_WORDS,
        validators=[DataRequired(_l("Name the step.")), Length(max=TITLE_MAX)],
    )
    weekly_target = SelectField(_l("How many days a week (optional)"), default="")
    pairing = StringField(
        _l("Pair it with something you enjoy (optional)"),
        filters=[_strip],
        render_kw=OWN_WORDS,
        validators=[Optional(), Length(max=PAIRING_MAX)],
    )
    parent_step_id = HiddenField()

    def __init__(self, *args, **kwargs):
        """Offer the weekly targets, counted in the current language."""
        super().__init__(*args, **kwargs)
        self.weekly_target.choices = options(
            ("", _("No target")),
            *[(str(k), ngettext("%(num)d day", "%(num)d days", k)) for k in WEEKLY_TARGETS],
        )


class SettingsForm(Form):
    """Change how your days are counted and what you are called."""

    display_name = StringField(
        _l("Your name (optional)"),
        filters=[_strip],
        render_kw=OWN_WORDS,
        validators=[Optional(), Length(max=DISPLAY_NAME_MAX)],
    )
    # Any zone the tz database knows is accepted; the list offers the current ones.
    timezone = SelectField(_l("Time zone"), validators=[InputRequired()], validate_choice=False)
    week_start = SelectField(_l("Weeks start on"), coerce=int)
    grace = SelectField(_l("Rest days a streak carries through"), coerce=int)
    day_start = SelectField(_l("My day ends at"), coerce=int)
    show_streak = BooleanField(_l("Show my streak numbers on Look back"))
    # Each language is named in itself, so a person can find theirs whatever they read now.
    language = SelectField(_l("Language"), validators=[InputRequired()])

    def __init__(self, *args, **kwargs):
        """Offer today's time zones by region, the person's own first, and every language."""
        super().__init__(*args, **kwargs)
        self.timezone.choices = time_zone_choices(self.timezone.data)
        self.language.choices = list(i18n.languages().items())
        self.week_start.choices = options(*enumerate(weekday_names()))
        self.grace.choices = options(
            # Translators: no rest days: a streak counts only days in a row.
            (0, _("None: a streak is days in a row")),
            *[(days, ngettext("%(num)d day", "%(num)d days", days)) for days in (1, 2, 3)],
        )
        self.day_start.choices = options(
            (0, _("Midnight")),
            # Translators: an hour after midnight when the person's day ends, like "2 a.m.".
            *[(hour, _("%(hour)d a.m.", hour=hour)) for hour in range(1, 5)],
        )

    def validate_timezone(self, field):
        """Refuse a zone the tz database does not know."""
        if field.data not in time_zones():
            raise ValidationError(_("Choose a time zone from the list."))


@cache
def current_time_zones() -> tuple[str, ...]:
    """Return the zones places use today, one or more a country, from the tz database's zone.tab.

    Old spellings (Africa/Asmera), rule names (EST5EDT) and placeholders (Factory) are left out.
    """
    table = resources.files("tzdata").joinpath("zoneinfo", "zone.tab").read_text("utf-8")
    rows = (line.split("\t") for line in table.splitlines() if line and not line.startswith("#"))
    return tuple(sorted({row[2] for row in rows if len(row) > 2} & time_zones()))


def zone_label(zone: str) -> str:
    """Return a zone's place as a person reads it: "Argentina / Buenos Aires"."""
    return zone.partition("/")[2].replace("_", " ").replace("/", " / ") or zone


def time_zone_choices(current: str | None) -> dict[str, list[SelectChoice]]:
    """Return the current zones grouped by region, with ``current`` in a group of its own first."""
    groups: dict[str, list[SelectChoice]] = {}
    if current:
        region = current.partition("/")[0] if "/" in current else ""
        label = f"{zone_label(current)} ({region})" if region else current
        groups[_("Your time zone")] = [SelectChoice(current, label)]
    for zone in current_time_zones():
        if zone != current:
            groups.setdefault(zone.partition("/")[0], []).append(
                SelectChoice(zone, zone_label(zone))
            )
    return groups


class PasswordChangeForm(Form):
    """Choose a new password; every other device is signed out."""

    current_password = PasswordField(
        _l("Current password"), validators=[DataRequired(_l("Enter your current password."))]
    )
    new_password = new_password_field(_l("New password"), _l("Choose a new password."))

    def validate_new_password(self, field):
        """Refuse the person's email and the passwords guessers try first."""
        refuse_weak_password(field.data, current_user.email)


class DeleteAccountForm(Form):
    """Confirm with the password that everything should be deleted."""

    password = PasswordField(
        _l("Your password"), validators=[DataRequired(_l("Enter your password."))]
    )
