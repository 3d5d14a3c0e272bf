"""VB5xx: the dossier reaches the office N working days before the meeting."""

from __future__ import annotations

import datetime as dt

from .. import facts
from . import Hit, RuleContext, rule

MEETING_LABELS = {
    "ubnd": "phiên họp UBND",
    "giao-ban": "họp giao ban lãnh đạo UBND",
    "ban-can-su": "họp Ban cán sự đảng",
    "lam-viec": "buổi làm việc của UBND",
}


def arrival_date(ctx: RuleContext) -> dt.date:
    """--received, else the newest signing time / document date in the dossier, else today."""
    if ctx.options.received:
        return ctx.options.received
    days = []
    for f in ctx.dossier.files:
        if f.document is None:
            continue
        days += facts.signing_dates(f.document)
        if f.document.date and f.document.date.date:
            days.append(f.document.date.date)
    return max(days) if days else ctx.today


def _fmt(day: dt.date) -> str:
    return day.strftime("%d/%m/%Y")


@rule("VB501")
def arrives_before_meeting(ctx: RuleContext):
    meeting = ctx.options.meeting
    if meeting is None:
        return None
    kind = ctx.options.meeting_kind or ctx.profile.default_meeting_kind
    required = ctx.profile.meetings.get(kind)
    if required is None:
        return None
    received = arrival_date(ctx)
    deadline = ctx.calendar.add_working_days(meeting, -required)
    if received <= deadline:
        return []
    days = max(ctx.calendar.working_days_between(received, meeting), 0)
    return [Hit(params={"received": _fmt(received), "days": f"{days:02d}", "meeting": _fmt(meeting),
                        "meeting_label": MEETING_LABELS.get(kind, f"phiên họp '{kind}'"),
                        "deadline": _fmt(deadline), "required": f"{required:02d}"})]
