"""A small park with hand-computed figures for 2024 Q2 (months 1–6, period end 2024-06-30).

Projects planned in 2024: A, B, C, E (D has a 2023 plan only).
  A biomedicine, major, industrial, new start 2024-04-10, plan 4000 (industrial 4000);
    reports Jan 0 approved, Apr 500/400 approved, May 700/600 submitted, Jun 300 draft
    (not counted), Jul 900 approved (after the period)      -> completed 1200, yellow (20 pts)
  B green food, continuing since 2023-05-01, plan 3000; Feb 1000/900 approved,
    Mar 500 returned (not counted), May 800/700 approved    -> completed 1800, green
  C clean energy, major, preliminary, planned start 2024-01-15, never started, plan 2000
    (industrial 1000)                                         -> red (not started)
  E other, cancelled, plan 1000                               -> not rated
"""

from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from enterprises.models import Demand, Enterprise, Visit
from projects.models import AnnualPlan, ProgressReport, Project, ProjectStage
from talent.models import TalentIntroduction

SH = ZoneInfo("Asia/Shanghai")
D = Decimal

CODES = iter(f"91610728MA{n:07d}X" for n in range(1000))


def report(project, month, completed, fixed=0, status="approved", year=2024, **extra):
    if status == "returned":
        extra.setdefault("return_reason", "请补充")
    return ProgressReport.objects.create(
        project=project, year=year, month=month, completed_investment=D(completed),
        fixed_asset_investment=D(fixed), status=status, **extra)


@pytest.fixture
def small_park(park, industries, staff_user):
    a = Project.objects.create(
        park=park, code="A", name="项目甲", industry=industries["biomedicine"],
        total_investment=D("10000"), is_major=True, is_industrial=True,
        stage=ProjectStage.NEW_START, planned_start=date(2024, 4, 1),
        actual_start=date(2024, 4, 10), preliminary_done=True,
        preliminary_done_on=date(2024, 3, 1), construction_content="=HYPERLINK(\"x\")")
    a.responsible.add(staff_user)
    b = Project.objects.create(
        park=park, code="B", name="项目乙", industry=industries["green-food"],
        total_investment=D("5000"), stage=ProjectStage.CONTINUING,
        actual_start=date(2023, 5, 1), preliminary_done=True,
        preliminary_done_on=date(2023, 3, 1))
    c = Project.objects.create(
        park=park, code="C", name="项目丙", industry=industries["clean-energy"],
        total_investment=D("8000"), is_major=True, stage=ProjectStage.PRELIMINARY,
        planned_start=date(2024, 1, 15))
    d = Project.objects.create(
        park=park, code="D", name="项目丁", industry=industries["eco-tourism"],
        total_investment=D("2000"), stage=ProjectStage.CONTINUING,
        actual_start=date(2022, 1, 1))
    e = Project.objects.create(
        park=park, code="E", name="项目戊", industry=industries["other"],
        total_investment=D("6000"), stage=ProjectStage.CANCELLED)
    for project, planned, industrial, year in ((a, 4000, 4000, 2024), (b, 3000, 0, 2024),
                                               (c, 2000, 1000, 2024), (d, 1500, 0, 2023),
                                               (e, 1000, 0, 2024)):
        AnnualPlan.objects.create(project=project, year=year, planned_investment=D(planned),
                                  industrial_investment=D(industrial))
    report(a, 1, 0)
    report(a, 4, 500, 400, image_progress="主体施工", problems="-用地手续待办")
    report(a, 5, 700, 600, status="submitted", problems="-资金缺口")
    report(a, 6, 300, 300, status="draft", image_progress="草稿")
    report(a, 7, 900, 900)
    report(b, 2, 1000, 900)
    report(b, 3, 500, 500, status="returned")
    report(b, 5, 800, 700, image_progress="@设备安装")
    report(d, 5, 999, 999, year=2023)

    def enterprise(name, **kw):
        return Enterprise.objects.create(park=park, name=name, credit_code=next(CODES), **kw)

    e1 = enterprise("企业一", relation="resident", settled_on=date(2023, 1, 1),
                    introduced_year=2024)
    e2 = enterprise("企业二", relation="managed", introduced_year=2023)
    enterprise("企业三", relation="resident", settled_on=date(2024, 8, 1), introduced_year=2024)
    enterprise("企业四", relation="none", introduced_year=2024)
    enterprise("企业五", relation="resident", settled_on=date(2020, 1, 1),
               left_on=date(2024, 5, 1))
    Visit.objects.create(enterprise=e1, visited_on=date(2024, 6, 25), staff=staff_user)
    Visit.objects.create(enterprise=e2, visited_on=date(2024, 6, 23), staff=staff_user)

    def demand(ent, created, due, resolved=None):
        obj = Demand.objects.create(
            enterprise=ent, description="诉求", due_on=due,
            status="resolved" if resolved else "open", resolution="已解决" if resolved else "",
            resolved_at=datetime(*resolved, 10, tzinfo=SH) if resolved else None)
        Demand.objects.filter(pk=obj.pk).update(created_at=datetime(*created, 9, tzinfo=SH))

    demand(e1, (2024, 5, 1), date(2024, 6, 1))                       # open, overdue
    demand(e2, (2024, 6, 10), date(2024, 7, 30), (2024, 7, 5))       # open on 06-30
    demand(e1, (2024, 3, 1), date(2024, 4, 1), (2024, 4, 1))         # resolved before
    demand(e2, (2024, 7, 10), date(2024, 8, 1))                      # raised after
    for day, degree in ((date(2024, 2, 1), "phd"), (date(2024, 5, 1), "master"),
                        (date(2024, 9, 1), "phd"), (date(2023, 12, 1), "phd")):
        TalentIntroduction.objects.create(park=park, person_name="某", degree=degree,
                                          introduced_on=day)
    return {"A": a, "B": b, "C": c, "D": d, "E": e}
