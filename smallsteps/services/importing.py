"""Bringing an export back: records merged by id with sync's rules, settings and plan restored."""

import json
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

from flask_babel import gettext as _
from sqlalchemy.exc import IntegrityError

from ..domain.merge import Outcome
from ..domain.text import N_, UNSTORABLE, unstorable_path
from ..extensions import db
from ..models import User
from . import accounts
from .errors import ServiceError
from .export import FORMAT, LISTS, VERSION
from .nudges import plans
from .sync import Conflict, apply_changes

# An export of years of wins must come back in one file; sync's batches are far smaller.
MAX_RECORDS = 20_000
MAX_BYTES = 10 * 1024 * 1024
KIND_OF_LIST = {name: kind for kind, name in LISTS.items()}
# The parts of an export used or rejected one by one, bad text included: none sinks the rest.
PARTS = (*LISTS.values(), "settings", "nudges")


class NotAnExport(ServiceError):
    """The file is not a Small Steps export this server can read."""

    error = "not a Small Steps export"
    said = N_(
        "That file isn't a Small Steps export. Choose the .json file that "
        "“Download everything” gave you."
    )


class TooManyRecords(ServiceError):
    """The export holds more records than one import takes."""

    status = 413
    error = "too many records"


class TooLarge(ServiceError):
    """The export is larger than one import takes."""

    status = 413
    error = "request too large"

    def __init__(self):
        """Say the largest file one import takes, in the request's language."""
        mib = MAX_BYTES // 2**20
        super().__init__(_("Import at most %(mib)d MiB at a time.", mib=mib))
        self.said = _("That file is larger than %(mib)d MiB.", mib=mib)


def read_file(raw: bytes) -> dict[str, Any]:
    """Return the JSON object an uploaded file holds, read as UTF-8 with or without a BOM.

    ``raw`` may be cut off past ``MAX_BYTES``; a file longer than that is refused.
    """
    if len(raw) > MAX_BYTES:
        raise TooLarge()
    try:
        body = json.loads(raw.decode("utf-8-sig"))
    except (UnicodeDecodeError, ValueError, RecursionError):
        raise NotAnExport(_("An export is a JSON file in UTF-8.")) from None
    if not isinstance(body, dict):
        raise NotAnExport(_("An export is one JSON object."))
    return body


def tally() -> dict[str, int]:
    """Return a count of zero for each outcome."""
    return {str(outcome): 0 for outcome in Outcome}


def record_lists(body: Mapping[str, Any]) -> dict[str, list]:
    """Return the export's lists of goals, steps and wins, or refuse a file that is not one."""
    if body.get("format") != FORMAT:
        raise NotAnExport(
            _('This is not a Small Steps export: "format" must be "%(format)s".', format=FORMAT)
        )
    version = body.get("version")
    if isinstance(version, bool) or version != VERSION:
        raise NotAnExport(
            _(
                'This export\'s "version" is not one this server reads (%(version)s).',
                version=VERSION,
            )
        )
    lists = {}
    for name in LISTS.values():
        records = body.get(name, [])
        if not isinstance(records, list):
            raise NotAnExport(_('"%(name)s" must be a list.', name=name))
        lists[name] = records
    if sum(len(records) for records in lists.values()) > MAX_RECORDS:
        raise TooManyRecords(_("Import at most %(limit)s records at a time.", limit=MAX_RECORDS))
    return lists


def import_export(user: User, body: Mapping[str, Any], now: datetime | None = None) -> dict:
    """Merge an export into the person's account and report what became of each part."""
    lists = record_lists(body)
    report: dict[str, Any] = {"counts": tally(), **{name: tally() for name in lists}}
    report["rejected"] = []
    report["settings"] = restore_settings(user, body.get("settings"))
    report["nudges"] = restore_nudges(user, body.get("nudges"))
    raw = [record for records in lists.values() for record in records]
    owners = [name for name, records in lists.items() for _ in records]
    for name, result in zip(owners, apply_all(user, raw, now), strict=True):
        status = result["status"]
        report["counts"][status] += 1
        report[name][status] += 1
        if status == Outcome.REJECTED:
            report["rejected"].append(
                {"id": result["id"], "type": KIND_OF_LIST[name], "message": result["message"]}
            )
    return report


def apply_all(user: User, raw: list, now: datetime | None) -> list[dict]:
    """Apply every record with sync's rules in one transaction; return their results."""
    now = now or datetime.now(UTC)
    for attempt in range(2):
        try:
            results = apply_changes(user.id, user.day_start, raw, now, user.week_start)
            db.session.commit()
            return results
        except IntegrityError:
            # Someone else's device made one of these ids at the same moment; the retry sees it.
            db.session.rollback()
            if attempt:
                raise Conflict() from None
    raise Conflict()


def rejected(message: str) -> dict[str, str]:
    """Return the report of a part that could not be used."""
    return {"status": str(Outcome.REJECTED), "message": message}


def explain(errors: Mapping[str, str]) -> str:
    """Return field errors as one message."""
    return " ".join(f"{key}: {message}" for key, message in errors.items())


def unstorable_errors(data: Mapping[str, Any]) -> dict[str, str]:
    """Return the error of the first text in a part that can't be saved, if any."""
    where = unstorable_path(data)
    return {} if where is None else {where: _(UNSTORABLE)}


def restore_settings(user: User, data: Any) -> dict[str, str]:
    """Put back the settings the export carries; keys this server doesn't know are skipped."""
    if data is None:
        return {"status": str(Outcome.UNCHANGED)}
    if not isinstance(data, dict):
        return rejected(_("settings must be an object."))
    current = accounts.settings_of(user)
    known = {k: v for k, v in data.items() if k in current}
    clean, errors = accounts.validate_settings(known)
    errors = unstorable_errors(known) or errors
    if errors:
        return rejected(explain(errors))
    changes = {key: value for key, value in clean.items() if current[key] != value}
    if not changes:
        return {"status": str(Outcome.UNCHANGED)}
    accounts.update_settings(user, changes)
    return {"status": str(Outcome.APPLIED)}


def restore_nudges(user: User, data: Any) -> dict[str, str]:
    """Put back the nudge plan the export carries, checked like the API's PUT."""
    if data is None:
        return {"status": str(Outcome.UNCHANGED)}
    if not isinstance(data, dict):
        return rejected(_("nudges must be an object."))
    current = plans.as_json(plans.plan_of(user))
    known = {k: v for k, v in data.items() if k in current}
    plan, errors = plans.validate(known, current)
    errors = unstorable_errors(known) or errors
    if errors:
        return rejected(explain(errors))
    if plan == current:
        return {"status": str(Outcome.UNCHANGED)}
    plans.save(user, plan)
    return {"status": str(Outcome.APPLIED)}
