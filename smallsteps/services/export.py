"""Everything a person wrote, to take away: the whole account as JSON and the wins as CSV."""

import csv
import io
from datetime import date, datetime
from typing import Any

from sqlalchemy import and_, select

from ..extensions import db
from ..models import Goal, Step, User, Win, utcnow
from . import accounts, sharing
from .nudges import plans
from .sync.shape import MODELS, as_change, iso_utc

FORMAT = "smallsteps-export"
VERSION = 1
# Each record type's list in the export, in the order an import applies them.
LISTS = {"goal": "goals", "step": "steps", "win": "wins", "reflection": "reflections"}
CSV_HEADER = ("date", "time", "utc_offset", "text", "step", "goal", "energy", "note")
# A spreadsheet runs a cell that starts with one of these as a formula.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\n")


def export_of(user: User, now: datetime | None = None) -> dict[str, Any]:
    """Return every record of the person's, tombstones too, with their settings and plan."""
    body: dict[str, Any] = {
        "format": FORMAT,
        "version": VERSION,
        "exported_at": iso_utc(now or utcnow()),
        "account": {"email": user.email, "created_at": iso_utc(user.created_at)},
        "settings": accounts.settings_of(user),
        "nudges": plans.as_json(plans.plan_of(user)),
    }
    for kind, model in MODELS.items():
        query = select(model).where(model.user_id == user.id).order_by(model.change_seq)
        body[LISTS[kind]] = [as_change(kind, record) for record in db.session.scalars(query)]
    # What each share showed and who looked; never a token or link (an import makes none).
    body["shares"] = sharing.export_rows(user)
    body["low_capacity_days"] = [
        day.isoformat() for day in plans.low_capacity_days(user, date.min, date.max)
    ]
    return body


def safe_cell(value: str) -> str:
    """Return a cell a spreadsheet shows as the text it is, never runs as a formula."""
    return "'" + value if value.startswith(FORMULA_STARTS) else value


def offset_label(minutes: int) -> str:
    """Return a UTC offset in minutes as text a spreadsheet keeps: UTC+09:00, UTC-03:30."""
    sign = "-" if minutes < 0 else "+"
    hours, rest = divmod(abs(minutes), 60)
    return f"UTC{sign}{hours:02d}:{rest:02d}"


def wins_csv(user: User) -> bytes:
    """Return the person's live wins as UTF-8 CSV, oldest first, with a header row."""
    query = (
        select(
            Win.local_date,
            Win.local_time,
            Win.utc_offset_minutes,
            Win.text,
            Step.title.label("step_title"),
            Goal.title.label("goal_title"),
            Win.energy,
            Win.note,
        )
        .outerjoin(Step, and_(Step.id == Win.step_id, Step.user_id == Win.user_id))
        .outerjoin(Goal, and_(Goal.id == Step.goal_id, Goal.user_id == Win.user_id))
        .where(Win.user_id == user.id, Win.deleted_at.is_(None))
        .order_by(Win.occurred_at, Win.id)
    )
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(CSV_HEADER)
    for row in db.session.execute(query):
        cells = (
            row.local_date.isoformat(),
            row.local_time.strftime("%H:%M"),
            offset_label(row.utc_offset_minutes),
            row.text,
            row.step_title or "",
            row.goal_title or "",
            row.energy or "",
            row.note or "",
        )
        writer.writerow([safe_cell(cell) for cell in cells])
    # The byte-order mark tells spreadsheets the file is UTF-8, so accents and emoji survive.
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def file_name(user: User, suffix: str) -> str:
    """Return a download's file name, dated with the person's today."""
    return f"smallsteps-{accounts.today_for(user).isoformat()}{suffix}"


def download_headers(user: User, suffix: str) -> dict[str, str]:
    """Return the headers of a download of the person's data: saved as a file, never cached."""
    return {
        "Content-Disposition": f'attachment; filename="{file_name(user, suffix)}"',
        "Cache-Control": "no-store",
    }
