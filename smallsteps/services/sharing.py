"""Shares: a read-only link to a person's progress for someone they trust, and who looked.

The link carries a random token; only its SHA-256 is kept, so the link is shown once. What
a share shows is its scope (`Scope`): some goals or all, notes or not, how far back. The
page is built from the wins in that scope alone, so nothing outside it can show.
"""

import hashlib
import secrets
import uuid
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

import segno
from flask_babel import gettext as _
from sqlalchemy import delete, select

from ..domain.changes import LONG_TEXT_MAX
from ..domain.devices import describe
from ..domain.momentum import days_lately, overall_momentum
from ..domain.streaks import Streak, gentle_streak, week_start_of
from ..domain.text import unstorable
from ..extensions import db
from ..models import Goal, Reflection, Share, ShareView, Step, User, Win, utcnow
from . import reflections
from .accounts import today_for
from .errors import ServiceError
from .lookback.said import explain_momentum
from .nudges.plans import low_capacity_days

DEFAULT_DAYS_OPEN = 90
MOST_DAYS_OPEN = 365
MOST_DAYS_BACK = 3660
NAME_MAX = 80
# The newest looks kept per share; older ones go as new ones come.
VIEWS_KEPT = 200
# A summary to print covers the last 1, 2 or 4 weeks.
SUMMARY_WEEKS = (1, 2, 4)


class InvalidShare(ServiceError):
    """A share that cannot be made as asked; `fields` says what to change, field by field."""

    error = "invalid share"

    def __init__(self, fields: dict[str, str]):
        """Keep what to change in each field."""
        self.fields = fields
        super().__init__(" ".join(fields.values()))
        self.detail = fields  # the API names each field


@dataclass(frozen=True)
class Scope:
    """What a page of someone's progress may show: which goals, notes or not, which days."""

    user: User
    goal_ids: frozenset[uuid.UUID] | None
    include_notes: bool
    first: date | None
    last: date


@dataclass(frozen=True)
class SharedWin:
    """One win as a shared page shows it."""

    day: date
    time: str
    text: str
    step: str
    note: str
    step_id: uuid.UUID | None = None


@dataclass(frozen=True)
class SharedStep:
    """A step of a shared goal: its rhythm in the shared days."""

    goal: str
    title: str
    weekly_target: int | None
    wins: int
    days_lately: int


@dataclass
class Progress:
    """Everything a shared page or a printed summary shows, built from the scope alone."""

    scope: Scope
    wins: list[SharedWin]
    first_win: date | None
    days: int
    weeks: list[tuple[date, int, int]]
    then_words: list[str]
    now_words: list[str]
    momentum: int | None
    momentum_words: str
    steps: list[SharedStep]
    goals: list[str]
    low_days: list[date]
    streak: Streak | None
    by_day: dict[date, list[SharedWin]] = field(default_factory=dict)
    # The person's weekly reflections in range, when notes are shared.
    reflections: list[Reflection] = field(default_factory=list)


def qr_svg(url: str) -> str:
    """Return the link as a QR code to scan in the room, drawn here as inline SVG."""
    code = segno.make(url, error="m")
    return code.svg_inline(border=2, dark="#17231f", light="#ffffff", svgclass="qr", omitsize=True)


def token_hash(token: str) -> str:
    """Return what is kept of a token: its SHA-256, in hex."""
    return hashlib.sha256(token.encode("utf-8", "surrogatepass")).hexdigest()


def parse_goal_ids(user: User, raw: Any) -> list[uuid.UUID] | None:
    """Return the person's live goals named in `raw` (None for all), or refuse."""
    if raw is None:
        return None
    if not isinstance(raw, list) or not raw or len(raw) > 100:
        # Translators: for the API's users; null, true and false are JSON's words, kept as is.
        raise InvalidShare({"goal_ids": _("Send null for every goal, or a list of your goals.")})
    try:
        wanted = {uuid.UUID(str(value)) for value in raw}
    except ValueError:
        raise InvalidShare({"goal_ids": _("Each goal id must be one of your goals.")}) from None
    found = set(
        db.session.scalars(
            select(Goal.id).where(
                Goal.user_id == user.id, Goal.id.in_(wanted), Goal.deleted_at.is_(None)
            )
        )
    )
    if found != wanted:
        raise InvalidShare({"goal_ids": _("Each goal id must be one of your goals.")})
    return sorted(wanted, key=str)


def checked(user: User, body: dict) -> dict:
    """Return a new share's fields from the API's shape, or refuse naming what to change."""
    problems: dict[str, str] = {}
    name = body.get("name")
    if not isinstance(name, str) or not name.strip() or len(name.strip()) > NAME_MAX:
        problems["name"] = _("Say who it is for, in 1 to %(most)s characters.", most=NAME_MAX)
    elif unstorable(name):
        problems["name"] = _("Use letters, numbers and punctuation.")
    notes = body.get("include_notes", False)
    if not isinstance(notes, bool):
        # Translators: true and false are JSON's words, kept as they are.
        problems["include_notes"] = _("Send true or false.")
    days = body.get("days")
    if days is not None and (
        not isinstance(days, int) or isinstance(days, bool) or not 1 <= days <= MOST_DAYS_BACK
    ):
        # Translators: null is JSON's word for none, kept as it is.
        problems["days"] = _(
            "Send null for everything, or a number of days from 1 to %(most)s.",
            most=MOST_DAYS_BACK,
        )
    open_for = body.get("expires_in_days", DEFAULT_DAYS_OPEN)
    if (
        not isinstance(open_for, int)
        or isinstance(open_for, bool)
        or not 1 <= open_for <= MOST_DAYS_OPEN
    ):
        problems["expires_in_days"] = _(
            "Send a number of days from 1 to %(most)s.", most=MOST_DAYS_OPEN
        )
    try:
        goal_ids = parse_goal_ids(user, body.get("goal_ids"))
    except InvalidShare as refused:
        problems.update(refused.fields)
    if problems:
        raise InvalidShare(problems)
    return {
        "name": name.strip(),
        "goal_ids": goal_ids,
        "include_notes": notes,
        "days": days,
        "expires_in_days": open_for,
    }


def create(user: User, fields: dict, now: datetime | None = None) -> tuple[Share, str]:
    """Make a share from checked fields; return it with its token, which is never kept."""
    now = now or utcnow()
    token = secrets.token_urlsafe(24)  # 192 bits
    ids = fields["goal_ids"]
    share = Share(
        user_id=user.id,
        name=fields["name"],
        goal_ids=None if ids is None else ",".join(str(goal_id) for goal_id in ids),
        include_notes=fields["include_notes"],
        days=fields["days"],
        token_hash=token_hash(token),
        created_at=now,
        expires_at=now + timedelta(days=fields["expires_in_days"]),
    )
    db.session.add(share)
    db.session.commit()
    return share, token


def goal_ids_of(share: Share) -> list[str] | None:
    """Return the goal ids a share shows, or None for all."""
    return None if share.goal_ids is None else share.goal_ids.split(",")


def shares_of(user: User) -> list[Share]:
    """Return the person's shares, newest first, ended ones included."""
    return list(
        db.session.scalars(
            select(Share).where(Share.user_id == user.id).order_by(Share.created_at.desc())
        )
    )


def owned(user: User, share_id: Any) -> Share | None:
    """Return the person's share with this id, or None (for a stranger's too)."""
    try:
        wanted = uuid.UUID(str(share_id))
    except ValueError:
        return None
    share = db.session.get(Share, wanted)
    return share if share is not None and share.user_id == user.id else None


def revoke(share: Share) -> None:
    """End a share at once: the link, and the log of who looked, are gone."""
    db.session.delete(share)
    db.session.commit()


def views_of(share: Share) -> list[ShareView]:
    """Return who looked, newest first."""
    return list(
        db.session.scalars(
            select(ShareView)
            .where(ShareView.share_id == share.id)
            .order_by(ShareView.at.desc(), ShareView.id.desc())
        )
    )


def as_json(share: Share) -> dict[str, Any]:
    """Return a share as the API lists it: never its token or link."""
    return {
        "id": str(share.id),
        "name": share.name,
        "goal_ids": goal_ids_of(share),
        "include_notes": share.include_notes,
        "days": share.days,
        "expires_at": share.expires_at.isoformat(),
        "created_at": share.created_at.isoformat(),
    }


def view_json(view: ShareView) -> dict[str, str]:
    """Return one look as the API lists it."""
    return {"at": view.at.isoformat(), "device": view.device}


def live_share(token: str, now: datetime | None = None) -> Share | None:
    """Return the share a link's token opens, or None: wrong, revoked and ended alike."""
    if not token or len(token) > 200:
        return None
    share = db.session.scalar(select(Share).where(Share.token_hash == token_hash(token)))
    if share is None or share.expires_at <= (now or utcnow()):
        return None
    return share


def note_view(share: Share, user_agent: str | None, now: datetime | None = None) -> None:
    """Log one look at a share, keeping the newest VIEWS_KEPT."""
    db.session.add(ShareView(share_id=share.id, at=now or utcnow(), device=describe(user_agent)))
    db.session.flush()
    kept = (
        select(ShareView.id)
        .where(ShareView.share_id == share.id)
        .order_by(ShareView.at.desc(), ShareView.id.desc())
        .limit(VIEWS_KEPT)
    )
    db.session.execute(
        delete(ShareView).where(ShareView.share_id == share.id, ShareView.id.not_in(kept))
    )
    db.session.commit()


def scope_of(share: Share, weeks: int | None = None) -> Scope:
    """Return what a share shows today; with `weeks`, only the last weeks of it."""
    user = db.session.get(User, share.user_id)
    last = today_for(user)
    reach = [days for days in (share.days, weeks and weeks * 7) if days]
    ids = goal_ids_of(share)
    return Scope(
        user=user,
        goal_ids=None if ids is None else frozenset(uuid.UUID(value) for value in ids),
        include_notes=share.include_notes,
        first=last - timedelta(days=min(reach) - 1) if reach else None,
        last=last,
    )


def own_scope(user: User, weeks: int, include_notes: bool) -> Scope:
    """Return a person's own last weeks, every goal, for the summary they print."""
    last = today_for(user)
    return Scope(user, None, include_notes, last - timedelta(days=weeks * 7 - 1), last)


def progress(scope: Scope) -> Progress:
    """Build what a page shows from the wins, steps and days in the scope, and nothing else."""
    user = scope.user
    goals = _goals(scope)
    steps = _steps(scope, goals)
    wins = _wins(scope, steps)
    counts = Counter(win.day for win in wins)
    days = sorted(counts)
    momentum = overall_momentum(days, scope.last) if days else None
    step_days: dict[uuid.UUID, set[date]] = {}
    step_wins: Counter[uuid.UUID] = Counter()
    for win in wins:
        if win.step_id is not None:
            step_days.setdefault(win.step_id, set()).add(win.day)
            step_wins[win.step_id] += 1
    shared_steps = [
        SharedStep(
            goal=goals[step.goal_id],
            title=step.title,
            weekly_target=step.weekly_target,
            wins=step_wins[step.id],
            days_lately=days_lately(step_days.get(step.id, ()), scope.last),
        )
        for step in steps.values()
    ]
    newest_first = sorted(wins, key=lambda win: (win.day, win.time), reverse=True)
    by_day: dict[date, list[SharedWin]] = {}
    for win in newest_first:
        by_day.setdefault(win.day, []).append(win)
    first = scope.first or (days[0] if days else scope.last)
    return Progress(
        scope=scope,
        wins=newest_first,
        first_win=days[0] if days else None,
        days=len(days),
        weeks=_weeks(counts, first, scope.last, user.week_start),
        then_words=_words(wins, first, first + timedelta(days=6)),
        now_words=_words(wins, scope.last - timedelta(days=6), scope.last),
        momentum=momentum,
        momentum_words=explain_momentum(momentum, days_lately=days_lately(days, scope.last)),
        steps=shared_steps,
        goals=sorted(set(goals.values())),
        low_days=low_capacity_days(user, first, scope.last),
        streak=gentle_streak(days, scope.last, user.grace) if user.show_streak else None,
        by_day=by_day,
        reflections=reflections.in_range(
            user, scope.first and week_start_of(scope.first, user.week_start), scope.last
        )
        if scope.include_notes
        else [],
    )


def _goals(scope: Scope) -> dict[uuid.UUID, str]:
    query = select(Goal.id, Goal.title).where(
        Goal.user_id == scope.user.id, Goal.deleted_at.is_(None)
    )
    if scope.goal_ids is not None:
        query = query.where(Goal.id.in_(scope.goal_ids))
    return dict(db.session.execute(query).all())


def _steps(scope: Scope, goals: dict[uuid.UUID, str]) -> dict[uuid.UUID, Step]:
    steps = db.session.scalars(
        select(Step)
        .where(
            Step.user_id == scope.user.id,
            Step.deleted_at.is_(None),
            Step.goal_id.in_(list(goals)),
        )
        .order_by(Step.created_at)
    )
    return {step.id: step for step in steps}


def _wins(scope: Scope, steps: dict[uuid.UUID, Step]) -> list[SharedWin]:
    query = select(Win).where(
        Win.user_id == scope.user.id, Win.deleted_at.is_(None), Win.local_date <= scope.last
    )
    if scope.first is not None:
        query = query.where(Win.local_date >= scope.first)
    if scope.goal_ids is not None:
        # Chosen goals: only wins toward one of their steps.
        query = query.where(Win.step_id.in_(list(steps)))
    return [
        SharedWin(
            day=win.local_date,
            time=win.local_time.strftime("%H:%M"),
            text=win.text,
            step=steps[win.step_id].title if win.step_id in steps else "",
            note=win.note[:LONG_TEXT_MAX] if scope.include_notes else "",
            step_id=win.step_id if win.step_id in steps else None,
        )
        for win in db.session.scalars(query)
    ]


def _weeks(
    counts: Counter, first: date, last: date, week_start: int
) -> list[tuple[date, int, int]]:
    """Return each week from `first` to `last`: its first day, wins and days shown up."""
    weeks = []
    start = week_start_of(first, week_start)
    while start <= last:
        end = start + timedelta(days=6)
        in_week = [day for day in counts if start <= day <= end]
        weeks.append((max(start, first), sum(counts[day] for day in in_week), len(in_week)))
        start = end + timedelta(days=1)
    return weeks


def _words(wins: list[SharedWin], first: date, last: date, most: int = 5) -> list[str]:
    """Return up to `most` different win texts from the days `first` to `last`, oldest first."""
    said: list[str] = []
    for win in sorted(wins, key=lambda win: (win.day, win.time)):
        if first <= win.day <= last and win.text not in said:
            said.append(win.text)
    return said[:most]


def export_rows(user: User) -> list[dict[str, Any]]:
    """Return the person's shares for their export: what each showed and who looked, no token."""
    rows = []
    for share in shares_of(user):
        row = as_json(share)
        row["views"] = [view_json(view) for view in views_of(share)]
        rows.append(row)
    return rows
