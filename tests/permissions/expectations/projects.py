"""Project pages and the monthly progress workflow (SPEC §5)."""

from parkportal.once import new_token
from tests.permissions.matrix import DENIED, Case, everyone, roles


def _code(world):
    return {"code": world.project.code}


def _open_month(world):
    return {"code": world.project.code, "period": world.open_period}


def _submitted_month(world):
    return {"code": world.project.code, "period": world.report.period}


def _progress(world):
    return {"version": "0", "completed_investment": "120.50", "fixed_asset_investment": "100",
            "stage": world.project.stage, "image_progress": "矩阵进度", "problems": "",
            "coordination_needed": "", "action": "save", "form_token": new_token()}


def _reports(world):
    from projects.models import ProgressReport

    return sorted(ProgressReport.objects.values_list("year", "month", "completed_investment",
                                                     "status"))


ADMIN_ONLY = roles(staff_resp=DENIED, staff_other=DENIED, leader=DENIED, admin=200)


def _procedure(world):
    from projects.models import PreliminaryProcedure

    procedure = PreliminaryProcedure.objects.get_or_create(project=world.project,
                                                           kind="land")[0]
    return {"code": world.project.code, "pk": procedure.pk}


LEADERS = roles(staff_resp=DENIED, staff_other=DENIED, leader=200, admin=200)


CASES = {
    # 报送情况: leaders and admins; without a month it opens the last ended month.
    "projects:reporting_latest": Case(
        get=roles(staff_resp=DENIED, staff_other=DENIED, leader=302, admin=302),
        post=roles(staff_resp=DENIED, staff_other=DENIED, leader=405, admin=405,
                   leader_staff=405)),
    "projects:reporting": Case(
        get=LEADERS,
        post=roles(staff_resp=DENIED, staff_other=DENIED, leader=405, admin=405,
                   leader_staff=405),
        kwargs={"period": "2024-03"}),
    # Approve-all: POST only, each report through the review service.
    "projects:reporting_approve": Case(
        get=roles(staff_resp=DENIED, staff_other=DENIED, leader=405, admin=405,
                  leader_staff=405),
        post=roles(staff_resp=DENIED, staff_other=DENIED, leader=302, admin=302),
        kwargs={"period": "2024-03"},
        post_data=lambda w: {"report": f"{w.report.pk}:{w.report.version}"},
        state=_reports),
    "projects:list": Case(get=everyone(200), post=everyone(405)),
    "projects:detail": Case(get=everyone(200, parkless=404), post=everyone(405), kwargs=_code),
    # The project sheet to print, as a page and as a PDF: whoever may open the project.
    "projects:sheet": Case(get=everyone(200, parkless=404), post=everyone(405), kwargs=_code),
    "projects:sheet_pdf": Case(get=everyone(200, parkless=404), post=everyone(405),
                               kwargs=_code),
    # Staff edit only projects they are responsible for; leaders see the report read-only
    # (to review it) and never type figures.
    "projects:progress": Case(
        get=roles(staff_resp=200, staff_other=DENIED, leader=200, admin=200),
        post=roles(staff_resp=302, staff_other=DENIED, leader=DENIED, admin=302),
        kwargs=_open_month, post_data=_progress, state=_reports),
    # Approve / return: leaders and admins only; POST only.
    "projects:review": Case(
        get=everyone(405),
        post=roles(staff_resp=DENIED, staff_other=DENIED, leader=302, admin=302),
        kwargs=_submitted_month,
        post_data=lambda w: {"version": str(w.report.version), "action": "approve"},
        state=_reports),
    # Project upkeep: park admins only. Empty or incomplete forms come back with their
    # errors (200): nothing is written.
    "projects:create": Case(get=ADMIN_ONLY, post=ADMIN_ONLY),
    "projects:edit": Case(get=ADMIN_ONLY, post=ADMIN_ONLY, kwargs=_code),
    "projects:suspend": Case(get=ADMIN_ONLY, post=ADMIN_ONLY, kwargs=_code),
    # Resuming a project that is not suspended is refused with a message on the form.
    "projects:resume": Case(get=ADMIN_ONLY, post=ADMIN_ONLY, kwargs=_code),
    "projects:plan_create": Case(get=ADMIN_ONLY, post=ADMIN_ONLY, kwargs=_code),
    "projects:plan_edit": Case(get=ADMIN_ONLY, post=ADMIN_ONLY,
                               kwargs=lambda w: {"code": w.project.code, "year": 2024}),
    "projects:procedure_create": Case(get=ADMIN_ONLY, post=ADMIN_ONLY, kwargs=_code),
    "projects:procedure_edit": Case(get=ADMIN_ONLY, post=ADMIN_ONLY, kwargs=_procedure),
}
