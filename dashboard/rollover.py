"""The year rollover (年度结转): next year's annual plans and park targets drafted from this
year's, so nobody retypes the plan table every January.

`rollover_year(park=P, from_year=Y, to_year=Y+1)`:

- every project of the park that goes on gets a DRAFT annual plan for Y+1, unless it has a
  plan for Y+1 already (so a second run adds nothing). A project goes on unless it is
  completed (竣工), in operation (投产) or cancelled (终止); suspended projects (停缓建) go on
  too — they are not finished, and their plan is needed the day they resume;
- the draft carries 至上年底累计 (`completed_before_year`) = the project's Y plan's
  `completed_before_year` (or, with no Y plan, its counted reports of the years before Y)
  + its counted reports of Y: the rule of every figure, from `dashboard.selectors`;
- the planned amounts are left at 0 for the admin to enter: a plan is the government's
  decision, not something to guess; the confirm page lists the drafts still at 0;
- the park's Y target is copied as a DRAFT target for Y+1 (if Y+1 has none);
- drafts enter no figure until an admin confirms the year (`confirm_year`).

`dry_run=True` computes the same answer and writes nothing.
"""

from dataclasses import asdict, dataclass, field

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from dashboard.selectors import completed_by_project
from parkportal.money import ZERO, as_money
from parkportal.permissions import park_of
from parkportal.roles import is_admin
from parks.models import Park, ParkAnnualTarget, PlanStatus
from projects.models import AnnualPlan, Project, ProjectStage

# Projects that do not go on into the next year.
FINISHED_STAGES = (ProjectStage.COMPLETED, ProjectStage.OPERATING, ProjectStage.CANCELLED)
TARGET_FIELDS = ("projects_planned", "total_investment", "annual_investment",
                 "industrial_investment", "major_preliminary_projects",
                 "major_preliminary_investment", "enterprises_to_introduce",
                 "talents_to_introduce")


@dataclass
class RolloverResult:
    park: str
    from_year: int
    to_year: int
    dry_run: bool
    plans_created: int = 0
    targets_created: int = 0
    projects: list[dict] = field(default_factory=list)  # the plans created (or to create)
    already_planned: list[str] = field(default_factory=list)  # codes with a to_year plan

    def as_json(self) -> dict:
        data = asdict(self)
        return {"park": data.pop("park"), "from": data.pop("from_year"),
                "to": data.pop("to_year"), **data}


def check_years(from_year: int, to_year: int) -> None:
    if to_year != from_year + 1:
        raise ValidationError(_("A rollover goes from one year to the next: %(to)s is not "
                                "%(from)s + 1.") % {"to": to_year, "from": from_year},
                              code="years")


def check_may_roll_over(user, park: Park) -> None:
    """Park admins of this park (an admin without a park: any park); None is the command line."""
    if user is None:
        return
    if not is_admin(user) or (park_of(user) is not None and park_of(user) != park):
        raise PermissionDenied


def rollover_year(*, park: Park, from_year: int, to_year: int, user=None,
                  dry_run: bool = False) -> RolloverResult:
    """Draft the plans and the target of `to_year` from `from_year` (see module doc)."""
    check_years(from_year, to_year)
    check_may_roll_over(user, park)
    result = RolloverResult(park=park.slug, from_year=from_year, to_year=to_year,
                            dry_run=dry_run)
    with transaction.atomic():
        projects = list(Project.objects.filter(park=park).exclude(stage__in=FINISHED_STAGES)
                        .order_by("code"))
        planned_next = set(AnnualPlan.objects.filter(project__park=park, year=to_year)
                           .values_list("project_id", flat=True))
        plans_now = {plan.project_id: plan for plan in
                     AnnualPlan.objects.filter(project__park=park, year=from_year)}
        in_year = completed_by_project(park, year=from_year)
        earlier = completed_by_project(park, before_year=from_year)
        drafts = []
        for project in projects:
            if project.pk in planned_next:
                result.already_planned.append(project.code)
                continue
            plan_now = plans_now.get(project.pk)
            before = plan_now.completed_before_year if plan_now is not None \
                else earlier.get(project.pk, ZERO)
            carried = as_money(before + in_year.get(project.pk, ZERO))
            drafts.append(AnnualPlan(
                project=project, year=to_year, planned_investment=ZERO,
                industrial_investment=ZERO, completed_before_year=carried,
                status=PlanStatus.DRAFT))
            result.projects.append({
                "code": project.code, "name": project.name, "stage": project.stage,
                "completed_before_year": str(carried),
                "completed_in_from_year": str(as_money(in_year.get(project.pk, ZERO))),
            })
        target_now = ParkAnnualTarget.objects.filter(park=park, year=from_year).first()
        target_next = None
        if target_now is not None and not ParkAnnualTarget.objects.filter(
                park=park, year=to_year).exists():
            target_next = ParkAnnualTarget(
                park=park, year=to_year, status=PlanStatus.DRAFT,
                source=_("Drafted from the %(year)s targets") % {"year": from_year},
                **{name: getattr(target_now, name) for name in TARGET_FIELDS})
        result.plans_created = len(drafts)
        result.targets_created = int(target_next is not None)
        if dry_run:
            return result
        for draft in drafts:
            draft.full_clean()
            draft._history_user = user
            draft.save()
        if target_next is not None:
            target_next.full_clean()
            target_next._history_user = user
            target_next.save()
    return result


def drafts_of(park: Park, year: int):
    """(draft plans of the year with their projects, the draft target or None)."""
    plans = (AnnualPlan.objects.filter(project__park=park, year=year, status=PlanStatus.DRAFT)
             .select_related("project").order_by("project__code"))
    target = ParkAnnualTarget.objects.filter(park=park, year=year,
                                             status=PlanStatus.DRAFT).first()
    return plans, target


def confirm_year(*, park: Park, year: int, user) -> tuple[int, int]:
    """Publish the park's draft plans and draft target of `year`: from now on they count in
    every figure. Returns (plans confirmed, targets confirmed); each change is in the
    history with its author."""
    check_may_roll_over(user, park)
    with transaction.atomic():
        plans, target = drafts_of(park, year)
        plans = list(plans.select_for_update())
        for plan in plans:
            plan.status = PlanStatus.CONFIRMED
            plan._history_user = user
            plan.save(update_fields=["status"])
        if target is not None:
            target.status = PlanStatus.CONFIRMED
            target._history_user = user
            target.save(update_fields=["status"])
    if not plans and target is None:
        raise ValidationError(_("There is nothing to confirm for %(year)s.") % {"year": year},
                              code="nothing")
    return len(plans), int(target is not None)
