"""HTML forms, each with its CSRF token and messages a person can act on."""

from functools import cache
from importlib import resources

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
from .domain.words import plural
from .services.accounts import DISPLAY_NAME_MAX, WEEKDAY_NAMES, time_zones
from .services.passwords import PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH, weakness

# What the form calls each of ENERGY_LEVELS, in the same order.
ENERGY_WORDS = ("Low", "Okay", "High")


def options(*pairs) -> list[SelectChoice]:
    """Return form choices from (value, label) pairs."""
    return [SelectChoice(value, label) for value, label in pairs]


def _strip(value):
    return value.strip() if isinstance(value, str) else value


def refuse_unstorable(form, field) -> None:
    """Stop at a character that can't be saved; keep what was typed, safe to show again."""
    if isinstance(field.data, str) and unstorable(field.data):
        field.data = renderable(field.data)
        raise StopValidation(UNSTORABLE)


class Form(FlaskForm):
    """A form whose every text field refuses text that can't be saved, before anything else."""

    def __init__(self, *args, **kwargs):
        """Put the check first on each text field, hidden and password ones included."""
        super().__init__(*args, **kwargs)
        for field in self:
            if isinstance(field, StringField) and not isinstance(field, CSRFTokenField):
                field.validators = [refuse_unstorable, *field.validators]


def new_password_field(label: str, missing: str) -> PasswordField:
    """Return a field for choosing a password, long enough to be worth having."""
    return PasswordField(
        label,
        validators=[
            DataRequired(missing),
            Length(
                min=PASSWORD_MIN_LENGTH,
                max=PASSWORD_MAX_LENGTH,
                message=f"Use at least {PASSWORD_MIN_LENGTH} characters.",
            ),
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
        "Email",
        filters=[_strip],
        validators=[
            DataRequired("Enter your email."),
            Email("That doesn't look like an email address."),
            Length(max=254),
        ],
    )
    password = new_password_field("Password", "Choose a password.")
    timezone = HiddenField()
    # The token of the invitation link the page was opened with, when sign-up needs one.
    invite = HiddenField()

    def validate_password(self, field):
        """Refuse the email itself and the passwords guessers try first."""
        refuse_weak_password(field.data, self.email.data or "")


class LoginForm(Form):
    """Sign in."""

    email = EmailField("Email", filters=[_strip], validators=[DataRequired("Enter your email.")])
    password = PasswordField("Password", validators=[DataRequired("Enter your password.")])
    remember = BooleanField("Keep me signed in on this device")


class ForgotPasswordForm(Form):
    """Ask for a link to choose a new password."""

    email = EmailField(
        "Email",
        filters=[_strip],
        validators=[
            DataRequired("Enter the email you signed up with."),
            Email("That doesn't look like an email address."),
            Length(max=254),
        ],
    )


class ResetPasswordForm(Form):
    """Choose a new password from a reset link."""

    password = new_password_field("New password", "Choose a new password.")
    remember = BooleanField("Keep me signed in on this device")

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
        "What's one small win?",
        filters=[_strip],
        validators=[
            DataRequired("Write a few words about your win."),
            Length(max=WIN_TEXT_MAX, message=f"Keep it to {WIN_TEXT_MAX} characters."),
        ],
    )
    step_id = SelectField("Toward a step (optional)", default="")
    energy = RadioField(
        "Energy (optional)",
        choices=options(("", "Skip"), *zip(ENERGY_LEVELS, ENERGY_WORDS, strict=True)),
        default="",
        validate_choice=True,
    )
    note = TextAreaField(
        "A note for yourself (optional)",
        filters=[_strip],
        validators=[
            Optional(),
            Length(max=LONG_TEXT_MAX, message=f"Keep the note to {LONG_TEXT_MAX:,} characters."),
        ],
    )
    # Filled in by the browser with the device's own time and offset.
    occurred_at = HiddenField()
    # When it happened, if not just now: read in the person's zone by the view (wins.moment).
    when = RadioField(
        "When was it?",
        choices=options(
            ("now", "Just now"), ("yesterday", "Yesterday evening"), ("other", "Another time")
        ),
        default="now",
        validate_choice=True,
    )
    day = StringField("Day", filters=[_strip], render_kw={"type": "date"})
    time = StringField("Time", filters=[_strip], render_kw={"type": "time"})


class GoalForm(Form):
    """Name a goal and why it matters."""

    title = StringField(
        "Goal",
        filters=[_strip],
        validators=[DataRequired("Give your goal a name."), Length(max=TITLE_MAX)],
    )
    why = TextAreaField(
        "Why it matters to you (optional)",
        filters=[_strip],
        validators=[Optional(), Length(max=LONG_TEXT_MAX)],
    )


class StepForm(Form):
    """Add or edit a step, something to add to your days."""

    title = StringField(
        "Step",
        filters=[_strip],
        validators=[DataRequired("Name the step."), Length(max=TITLE_MAX)],
    )
    weekly_target = SelectField(
        "How many days a week (optional)",
        choices=options(("", "No target"), *[(str(k), plural(k, "day")) for k in WEEKLY_TARGETS]),
        default="",
    )
    pairing = StringField(
        "Pair it with something you enjoy (optional)",
        filters=[_strip],
        validators=[Optional(), Length(max=PAIRING_MAX)],
    )
    parent_step_id = HiddenField()


class SettingsForm(Form):
    """Change how your days are counted and what you are called."""

    display_name = StringField(
        "Your name (optional)",
        filters=[_strip],
        validators=[Optional(), Length(max=DISPLAY_NAME_MAX)],
    )
    # Any zone the tz database knows is accepted; the list offers the current ones.
    timezone = SelectField("Time zone", validators=[InputRequired()], validate_choice=False)
    week_start = SelectField(
        "Weeks start on",
        choices=options(*enumerate(WEEKDAY_NAMES)),
        coerce=int,
    )
    grace = SelectField(
        "Rest days a streak carries through",
        choices=options(
            (0, "None: a streak is days in a row"), (1, "1 day"), (2, "2 days"), (3, "3 days")
        ),
        coerce=int,
    )
    day_start = SelectField(
        "My day ends at",
        choices=options((0, "Midnight"), *[(hour, f"{hour} a.m.") for hour in range(1, 5)]),
        coerce=int,
    )
    show_streak = BooleanField("Show my streak numbers on Look back")
    # Each language is named in itself, so a person can find theirs whatever they read now.
    language = SelectField("Language", validators=[InputRequired()])

    def __init__(self, *args, **kwargs):
        """Offer today's time zones by region, the person's own first, and every language."""
        super().__init__(*args, **kwargs)
        self.timezone.choices = time_zone_choices(self.timezone.data)
        self.language.choices = list(i18n.languages().items())

    def validate_timezone(self, field):
        """Refuse a zone the tz database does not know."""
        if field.data not in time_zones():
            raise ValidationError("Choose a time zone from the list.")


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
        groups["Your time zone"] = [SelectChoice(current, label)]
    for zone in current_time_zones():
        if zone != current:
            groups.setdefault(zone.partition("/")[0], []).append(
                SelectChoice(zone, zone_label(zone))
            )
    return groups


class PasswordChangeForm(Form):
    """Choose a new password; every other device is signed out."""

    current_password = PasswordField(
        "Current password", validators=[DataRequired("Enter your current password.")]
    )
    new_password = new_password_field("New password", "Choose a new password.")

    def validate_new_password(self, field):
        """Refuse the person's email and the passwords guessers try first."""
        refuse_weak_password(field.data, current_user.email)


class DeleteAccountForm(Form):
    """Confirm with the password that everything should be deleted."""

    password = PasswordField("Your password", validators=[DataRequired("Enter your password.")])
