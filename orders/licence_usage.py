"""Licence use (R-MS-6): read the Microsoft 365 active-users report and count active users.

The report is the CSV that the Microsoft 365 admin centre exports under Reports → Usage →
Active users (one row per user, a "<service> Last Activity Date" column per service). A user
is active who used at least one of the cloud services R-MS-6 lists in the 90 days before the
report date; OneDrive, Skype and permanently licensed Office apps do not count. The share is
counted against the users with an assigned licence (seed 003): a non-empty "Assigned Products"
where the export has that column, otherwise any "Has … License" column true; users without a
licence and deleted users are left out. 85 % or more of the licensed users must be active.
"""

import csv
import io
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.utils.translation import gettext as _

from orders.errors import InvalidUsageReport

ACTIVE_WITHIN = timedelta(days=90)
THRESHOLD_PERCENT = 85
MAX_ROWS = 20_000
MAX_BYTES = 5 * 1024 * 1024

USER_COLUMN = "User Principal Name"
NAME_COLUMN = "Display Name"
DELETED_COLUMN = "Is Deleted"
ASSIGNED_COLUMN = "Assigned Products"
REPORT_DATE_COLUMN = "Report Refresh Date"
# R-MS-6: the cloud services that count, as the admin centre names their columns.
COUNTED_ACTIVITY_COLUMNS = (
    "Exchange Last Activity Date",
    "SharePoint Last Activity Date",
    "Yammer Last Activity Date",
    "Teams Last Activity Date",
    "Microsoft 365 Apps Last Activity Date",
)


MAX_LISTED_INACTIVE = 500  # the page lists them by name; more would not be read


@dataclass(frozen=True)
class UsageCount:
    report_date: date
    licensed_users: int
    active_users: int
    inactive_users: tuple = ()  # ({"name", "last"}, …), the least recently active first


def _licence_columns(columns: list[str]) -> list[str]:
    """The columns that say whether a user holds a licence (R-MS-6)."""
    if ASSIGNED_COLUMN in columns:
        return [ASSIGNED_COLUMN]
    return [c for c in columns if c.startswith("Has ") and c.endswith(" License")]


def _is_licensed(row: dict, licence_columns: list[str]) -> bool:
    if licence_columns == [ASSIGNED_COLUMN]:
        return bool((row.get(ASSIGNED_COLUMN) or "").strip())
    return any((row.get(c) or "").strip().lower() == "true" for c in licence_columns)


def is_compliant(*, active: int, licensed: int) -> bool:
    """85 % or more, computed in whole numbers: 5 of 6 (83.3 %) is below."""
    return licensed > 0 and active * 100 >= THRESHOLD_PERCENT * licensed


def _decode(data: bytes) -> str:
    try:
        if data.startswith((b"\xff\xfe", b"\xfe\xff")):
            text = data.decode("utf-16")
        else:
            text = data.decode("utf-8-sig")
        text.encode("utf-8")  # a lone surrogate cannot be stored
        return text
    except UnicodeError:
        raise InvalidUsageReport(
            _(
                "The file is not in UTF-8. Export the report again from the Microsoft 365 "
                "admin centre (it saves UTF-8), or save it as “CSV UTF-8”."
            )
        ) from None


def _parse_date(value: str, *, row: int, column: str) -> date | None:
    value = (value or "").strip()
    if not value:
        return None
    for parse in (date.fromisoformat, lambda v: datetime.strptime(v, "%m/%d/%Y").date()):
        try:
            return parse(value[:10])
        except ValueError:
            continue
    raise InvalidUsageReport(
        _("Row %(row)s: “%(value)s” in “%(column)s” is not a date (use YYYY-MM-DD).")
        % {"row": row, "value": value[:30], "column": column}
    )


def count_active_users(data: bytes, *, today: date) -> UsageCount:
    """Count licensed and active users in an exported report. Raises `InvalidUsageReport`."""
    if len(data) > MAX_BYTES:
        raise InvalidUsageReport(_("The file is larger than 5 MB."))
    text = _decode(data)
    if "\x00" in text:
        raise InvalidUsageReport(_("The file contains a NUL character: it is not a CSV report."))
    try:
        return _count_active_users(text, today=today)
    except csv.Error:  # e.g. a field over the csv module's 128 KB limit
        raise InvalidUsageReport(
            _("The file is not a readable CSV report. Export the active-users report again.")
        ) from None


def _report_columns(columns: list[str]) -> tuple[list[str], list[str]]:
    """The report's activity and licence columns, or `InvalidUsageReport` when it is not the
    Microsoft 365 active-users report or does not say who holds a licence."""
    activity_columns = [c for c in COUNTED_ACTIVITY_COLUMNS if c in columns]
    licence_columns = _licence_columns(columns)
    if USER_COLUMN not in columns or not activity_columns:
        raise InvalidUsageReport(
            _(
                "This is not the Microsoft 365 active-users report: it needs the columns "
                "“%(user)s” and at least one of %(services)s."
            )
            % {
                "user": USER_COLUMN,
                "services": ", ".join(f"“{c}”" for c in COUNTED_ACTIVITY_COLUMNS),
            }
        )
    if not licence_columns:
        raise InvalidUsageReport(
            _(
                "The report does not say who holds a licence: it needs the column “%(assigned)s” "
                "or the “Has … License” columns. Export the active-users report again with "
                "all columns."
            )
            % {"assigned": ASSIGNED_COLUMN}
        )
    return activity_columns, licence_columns


def _count_active_users(text: str, *, today: date) -> UsageCount:
    reader = csv.DictReader(io.StringIO(text, newline=""))
    columns = [c.strip() for c in (reader.fieldnames or [])]
    reader.fieldnames = columns
    activity_columns, licence_columns = _report_columns(columns)
    report_date = None
    licensed = active = 0
    inactive = []
    for number, row in enumerate(reader, start=2):
        if number - 1 > MAX_ROWS:
            raise InvalidUsageReport(
                _("The report has more than %(max)s users; contact us to send it another way.")
                % {"max": MAX_ROWS}
            )
        if not (row.get(USER_COLUMN) or "").strip():
            continue
        if (row.get(DELETED_COLUMN) or "").strip().lower() == "true":
            continue
        if report_date is None and REPORT_DATE_COLUMN in columns:
            report_date = _parse_date(
                row[REPORT_DATE_COLUMN], row=number, column=REPORT_DATE_COLUMN
            )
        last = [_parse_date(row.get(c), row=number, column=c) for c in activity_columns]
        if not _is_licensed(row, licence_columns):
            continue
        licensed += 1
        since = (report_date or today) - ACTIVE_WITHIN
        if any(day is not None and day > since for day in last):
            active += 1
        else:
            latest = max((day for day in last if day is not None), default=None)
            name = (row.get(NAME_COLUMN) or "").strip() or row[USER_COLUMN].strip()
            inactive.append({"name": name[:200], "last": latest.isoformat() if latest else ""})
    if not licensed:
        raise InvalidUsageReport(_("The report lists no users with a licence."))
    inactive.sort(key=lambda user: (user["last"], user["name"]))
    return UsageCount(
        report_date=report_date or today,
        licensed_users=licensed,
        active_users=active,
        inactive_users=tuple(inactive[:MAX_LISTED_INACTIVE]),
    )
