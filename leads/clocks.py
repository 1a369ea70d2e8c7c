"""Response clocks: when a lead's next answer, assessment, feedback or report is due.

One rule, used by the services that keep `InvestmentLead.clock_due_on` (the earliest clock
still running) and by the tests. Working days are Monday to Friday; public holidays are not
known to the app (a park that needs them sets its clocks a day longer).

- answer:   a lead with no follow-up logged yet, `answer_working_days` after registration;
- assess:   a lead still at 线索 (not moved to 洽谈 or dropped), `assess_working_days` after
            registration;
- feedback: a lead in 洽谈 with no follow-up since it got there, `feedback_days` after;
- report:   every open lead, `report_days` after its latest follow-up (or registration).
Signed leads run the report clock only; landed and dropped leads run none.
"""

from __future__ import annotations

from datetime import date, timedelta

from projects.models import OPEN_LEAD_STAGES, LeadStage

DEFAULTS = {"answer_working_days": 1, "assess_working_days": 3, "feedback_days": 7,
            "report_days": 14}
KINDS = ("answer", "assess", "feedback", "report")


def add_working_days(start: date, days: int) -> date:
    """The date `days` working days (Mon–Fri) after `start`."""
    current = start
    while days > 0:
        current += timedelta(days=1)
        if current.weekday() < 5:
            days -= 1
    return current


def clock_due(*, stage: str, registered_on: date, negotiating_on: date | None,
              last_follow_up_on: date | None, clocks) -> tuple[date | None, str]:
    """(the date the earliest running clock runs out, which clock) — (None, "") when none
    runs. `clocks` has the four settings (a ResponseClocks or an object with DEFAULTS)."""
    if stage not in OPEN_LEAD_STAGES:
        return None, ""
    candidates = []
    if last_follow_up_on is None:
        candidates.append((add_working_days(registered_on, clocks.answer_working_days),
                           "answer"))
    if stage == LeadStage.LEAD:
        candidates.append((add_working_days(registered_on, clocks.assess_working_days),
                           "assess"))
    if stage == LeadStage.NEGOTIATING and negotiating_on is not None and (
            last_follow_up_on is None or last_follow_up_on < negotiating_on):
        candidates.append((negotiating_on + timedelta(days=clocks.feedback_days), "feedback"))
    candidates.append(((last_follow_up_on or registered_on)
                       + timedelta(days=clocks.report_days), "report"))
    return min(candidates)
