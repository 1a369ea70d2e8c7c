"""Investment projects, their annual plans, monthly progress reports and investment leads."""


from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from parkportal.audit import AuditedManager
from parkportal.fields import MoneyField
from parkportal.money import ZERO
from parkportal.periods import quarter_of
from parkportal.sql import literal_list
from parks.models import PlanStatus, PublishedMixin


class ProjectStage(models.TextChoices):
    PRELIMINARY = "preliminary", _("Reserve / preliminary")
    NEW_START = "new_start", _("New start")
    CONTINUING = "continuing", _("Continuing construction")
    COMPLETED = "completed", _("Completed")
    OPERATING = "operating", _("In operation")
    SUSPENDED = "suspended", _("Suspended / postponed")
    CANCELLED = "cancelled", _("Cancelled")


UNDER_CONSTRUCTION = (ProjectStage.NEW_START, ProjectStage.CONTINUING)


class ConstructionNature(models.TextChoices):
    """建设性质."""

    NEW = "new", _("New construction")
    EXPANSION = "expansion", _("Expansion")
    RENOVATION = "renovation", _("Renovation")
    RELOCATION = "relocation", _("Relocation")


class Project(models.Model):
    """An investment project (项目) of a park."""

    park = models.ForeignKey("parks.Park", on_delete=models.PROTECT, related_name="projects",
                             verbose_name=_("park"))
    code = models.SlugField(_("project code"), max_length=40, unique=True,
                            help_text=_("Unique code used in addresses, e.g. ZB2024-01."),
                            allow_unicode=False)
    name = models.CharField(_("project name"), max_length=200)
    industry = models.ForeignKey("parks.Industry", on_delete=models.PROTECT,
                                 related_name="projects", verbose_name=_("industry"))
    owner_enterprise = models.ForeignKey(
        "enterprises.Enterprise", on_delete=models.SET_NULL, null=True, blank=True,
        related_name="projects", verbose_name=_("owner enterprise"))
    construction_content = models.TextField(_("construction content"), blank=True)
    total_investment = MoneyField(_("total investment (10k yuan)"))
    is_major = models.BooleanField(_("major project"), default=False)
    is_industrial = models.BooleanField(_("industrial project"), default=False)
    stage = models.CharField(_("stage"), max_length=20, choices=ProjectStage.choices,
                             default=ProjectStage.PRELIMINARY)
    preliminary_done = models.BooleanField(_("preliminary work completed"), default=False)
    preliminary_done_on = models.DateField(_("preliminary work completed on"), null=True,
                                           blank=True)
    planned_start = models.DateField(_("planned start"), null=True, blank=True)
    actual_start = models.DateField(_("actual start"), null=True, blank=True)
    planned_completion = models.DateField(_("planned completion"), null=True, blank=True)
    actual_completion = models.DateField(_("actual completion"), null=True, blank=True)
    responsible = models.ManyToManyField(settings.AUTH_USER_MODEL, blank=True,
                                         related_name="responsible_projects",
                                         verbose_name=_("responsible staff"))
    location = models.CharField(_("location"), max_length=200, blank=True)
    construction_nature = models.CharField(_("nature of construction"), max_length=20,
                                           choices=ConstructionNature.choices, blank=True)
    responsible_unit = models.CharField(_("responsible unit"), max_length=200, blank=True)
    leader_in_charge = models.CharField(_("leader in charge"), max_length=100, blank=True,
                                        help_text=_("包抓领导: the county leader who follows "
                                                    "the project."))
    in_statistics = models.BooleanField(
        _("in the statistics"), default=False,
        help_text=_("入库纳统: entered in the fixed-asset investment statistics."))
    in_statistics_on = models.DateField(_("in the statistics since"), null=True, blank=True)
    suspended_on = models.DateField(_("suspended on"), null=True, blank=True)
    suspended_reason = models.TextField(_("reason for suspension"), blank=True)
    stage_before_suspension = models.CharField(
        _("stage before suspension"), max_length=20, choices=ProjectStage.choices, blank=True,
        help_text=_("Where a resumed project goes back to."))
    is_illustrative = models.BooleanField(
        _("illustrative"), default=False,
        help_text=_("Values invented to split a report total; not stated by the source."))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    objects = AuditedManager()  # audits bulk writes too (parkportal.audit)
    history = HistoricalRecords(m2m_fields=[responsible])

    class Meta:
        verbose_name = _("project")
        verbose_name_plural = _("projects")
        ordering = ["code"]
        indexes = [
            models.Index(fields=["park", "stage"], name="project_park_stage"),
            models.Index(fields=["name"], name="project_name"),
            models.Index(fields=["total_investment"], name="project_total_investment"),
            models.Index(fields=["actual_start"], name="project_actual_start"),
            # Sortable columns of the project list (tests/staff/test_sort_indexes.py).
            models.Index(fields=["stage"], name="project_stage"),
            models.Index(fields=["is_major"], name="project_is_major"),
            models.Index(fields=["is_industrial"], name="project_is_industrial"),
            models.Index(fields=["location"], name="project_location"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(total_investment__gte=0),
                                   name="project_total_investment_not_negative"),
            models.CheckConstraint(
                condition=Q(preliminary_done=True, preliminary_done_on__isnull=False)
                | Q(preliminary_done=False, preliminary_done_on__isnull=True),
                name="project_preliminary_done_has_date"),
            models.CheckConstraint(
                condition=Q(actual_completion__isnull=True) | Q(actual_start__isnull=True)
                | Q(actual_completion__gte=F("actual_start")),
                name="project_completion_after_start"),
            models.CheckConstraint(
                condition=Q(in_statistics=True, in_statistics_on__isnull=False)
                | Q(in_statistics=False, in_statistics_on__isnull=True),
                name="project_in_statistics_has_date"),
            models.CheckConstraint(
                condition=~Q(stage="suspended")
                | (Q(suspended_on__isnull=False) & ~Q(suspended_reason="")),
                name="project_suspension_has_date_and_reason"),
        ]

    def __str__(self):
        return f"{self.code} {self.name}"


class PreliminaryProcedure(models.Model):
    """One item of a project's preliminary-procedure checklist (前期手续)."""

    class Kind(models.TextChoices):
        FILING = "filing", _("Project approval / filing")
        LAND = "land", _("Land-use pre-approval")
        PLANNING = "planning", _("Planning permit")
        ENVIRONMENT = "environment", _("Environmental impact assessment")
        ENERGY = "energy", _("Energy-saving review")
        SAFETY = "safety", _("Safety assessment")
        DESIGN = "design", _("Design review")
        CONSTRUCTION_PERMIT = "construction_permit", _("Construction permit")

    class Status(models.TextChoices):
        PENDING = "pending", _("Not started")
        IN_PROGRESS = "in_progress", _("In progress")
        DONE = "done", _("Done")
        NOT_NEEDED = "not_needed", _("Not needed")

    project = models.ForeignKey(Project, on_delete=models.CASCADE,
                                related_name="preliminary_procedures",
                                verbose_name=_("project"))
    kind = models.CharField(_("procedure"), max_length=30, choices=Kind.choices)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices,
                              default=Status.PENDING)
    due_on = models.DateField(_("due on"), null=True, blank=True)
    done_on = models.DateField(_("done on"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=200, blank=True)
    objects = AuditedManager()  # audits bulk writes too (parkportal.audit)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("preliminary procedure")
        verbose_name_plural = _("preliminary procedures")
        ordering = ["project", "kind"]
        constraints = [
            models.UniqueConstraint(fields=["project", "kind"],
                                    name="one_procedure_kind_per_project"),
        ]

    def __str__(self):
        return f"{self.project.code} {self.get_kind_display()}"

    OPEN = (Status.PENDING, Status.IN_PROGRESS)

    @classmethod
    def overdue_q(cls, today) -> Q:
        """The ORM form of `is_overdue`: due before `today` and still open."""
        return Q(due_on__lt=today, status__in=cls.OPEN)

    def is_overdue(self, today=None) -> bool:
        """Due before today and neither done nor found unnecessary."""
        from django.utils import timezone

        today = today or timezone.localdate()
        return self.due_on is not None and self.due_on < today and self.status in self.OPEN


class AnnualPlan(PublishedMixin, models.Model):
    """A project's plan for one year (年度计划)."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="annual_plans",
                                verbose_name=_("project"))
    year = models.PositiveSmallIntegerField(_("year"))
    planned_investment = MoneyField(_("planned investment for the year (10k yuan)"))
    industrial_investment = MoneyField(_("of which industrial investment (10k yuan)"),
                                       default=0)
    q1_planned = MoneyField(_("planned in Q1 (10k yuan)"), default=0)
    q2_planned = MoneyField(_("planned in Q2 (10k yuan)"), default=0)
    q3_planned = MoneyField(_("planned in Q3 (10k yuan)"), default=0)
    q4_planned = MoneyField(_("planned in Q4 (10k yuan)"), default=0)
    completed_before_year = MoneyField(
        _("completed to the end of last year (10k yuan)"), default=0,
        help_text=_("至上年底累计: investment completed in earlier years."))
    milestones = models.TextField(_("target milestones"), blank=True)
    is_illustrative = models.BooleanField(
        _("illustrative"), default=False,
        help_text=_("Values invented to split a report total; not stated by the source."))
    status = models.CharField(_("status"), max_length=10, choices=PlanStatus.choices,
                              default=PlanStatus.CONFIRMED)
    objects = AuditedManager()  # audits bulk writes too (parkportal.audit)
    history = HistoricalRecords()

    QUARTER_FIELDS = ("q1_planned", "q2_planned", "q3_planned", "q4_planned")

    class Meta:
        verbose_name = _("annual plan")
        verbose_name_plural = _("annual plans")
        ordering = ["project", "-year"]
        indexes = [models.Index(fields=["year", "project"], name="annual_plan_year_project")]
        constraints = [
            models.UniqueConstraint(fields=["project", "year"], name="one_plan_per_project_year"),
            models.CheckConstraint(
                condition=Q(planned_investment__gte=0) & Q(industrial_investment__gte=0),
                name="annual_plan_money_not_negative"),
            models.CheckConstraint(
                condition=Q(industrial_investment__lte=F("planned_investment")),
                name="annual_plan_industrial_within_planned"),
            models.CheckConstraint(
                condition=Q(q1_planned__gte=0) & Q(q2_planned__gte=0) & Q(q3_planned__gte=0)
                & Q(q4_planned__gte=0) & Q(completed_before_year__gte=0),
                name="annual_plan_quarters_not_negative"),
            # The quarters split the year's plan exactly, or are not given (all zero).
            models.CheckConstraint(
                condition=Q(q1_planned=0, q2_planned=0, q3_planned=0, q4_planned=0)
                | Q(planned_investment=F("q1_planned") + F("q2_planned") + F("q3_planned")
                    + F("q4_planned")),
                name="annual_plan_quarters_add_up"),
        ]

    def __str__(self):
        return f"{self.project.code} {self.year}"


class ReportStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    APPROVED = "approved", _("Approved")
    RETURNED = "returned", _("Returned")


# --- rule: which monthly reports count (SPEC §3) --------------------------------------------
# Submitted or approved reports are figures; drafts and reports returned by a leader are not.
# ORM form `counted_q`, SQL form `counted_sql` (and the literal list `COUNTED_STATUSES_SQL`,
# also frozen in the trigger migration projects 0003, see tests/projects/test_rules.py).
COUNTED_STATUSES = (ReportStatus.SUBMITTED, ReportStatus.APPROVED)
COUNTED_STATUSES_SQL = literal_list(COUNTED_STATUSES)  # "('submitted', 'approved')"


def counted_q(prefix: str = "") -> Q:
    """Reports that count; `prefix` reaches them through a relation ("progress_reports__")."""
    return Q(**{f"{prefix}status__in": COUNTED_STATUSES})


def counted_sql(column: str = "status") -> str:
    """The SQL form of `counted_q`: "status IN ('submitted', 'approved')" (no parameters)."""
    return f"{column} IN {COUNTED_STATUSES_SQL}"


class ProgressReport(models.Model):
    """A project's progress in one month (月度进展). Cumulative figures are derived."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE,
                                related_name="progress_reports", verbose_name=_("project"))
    year = models.PositiveSmallIntegerField(_("year"))
    month = models.PositiveSmallIntegerField(
        _("month"), validators=[MinValueValidator(1), MaxValueValidator(12)])
    completed_investment = MoneyField(_("investment completed this month (10k yuan)"),
                                      default=0)
    fixed_asset_investment = MoneyField(_("fixed-asset investment formed (10k yuan)"),
                                        default=0)
    image_progress = models.TextField(_("physical progress"), blank=True,
                                      help_text=_("形象进度: what can be seen on site."))
    problems = models.TextField(_("problems"), blank=True)
    coordination_needed = models.TextField(_("coordination needed"), blank=True)
    stage = models.CharField(_("stage at month end"), max_length=20,
                             choices=ProjectStage.choices, blank=True)
    status = models.CharField(_("status"), max_length=20, choices=ReportStatus.choices,
                              default=ReportStatus.DRAFT)
    return_reason = models.TextField(_("reason for return"), blank=True)
    unusual_amount_reason = models.TextField(
        _("reason for an unusual amount"), blank=True,
        help_text=_("Why this month's completed investment is far above the project's plan "
                    "or its usual months (asked before such an amount is saved)."))
    version = models.PositiveIntegerField(
        _("version"), default=1,
        help_text=_("Raised on every save; a save from an older version is refused."))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                   null=True, blank=True, related_name="+",
                                   verbose_name=_("created by"))
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                     null=True, blank=True, related_name="+",
                                     verbose_name=_("submitted by"))
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    reviewed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                    null=True, blank=True, related_name="+",
                                    verbose_name=_("reviewed by"))
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)
    is_illustrative = models.BooleanField(
        _("illustrative"), default=False,
        help_text=_("Values invented to split a report total; not stated by the source."))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    objects = AuditedManager()  # audits bulk writes too (parkportal.audit)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("progress report")
        verbose_name_plural = _("progress reports")
        ordering = ["project", "year", "month"]
        indexes = [
            models.Index(fields=["year", "month"], name="progress_year_month"),
            models.Index(fields=["status"], name="progress_status"),
        ]
        constraints = [
            models.UniqueConstraint(fields=["project", "year", "month"],
                                    name="one_report_per_project_month"),
            models.CheckConstraint(condition=Q(month__gte=1) & Q(month__lte=12),
                                   name="progress_month_1_to_12"),
            models.CheckConstraint(
                condition=Q(completed_investment__gte=0) & Q(fixed_asset_investment__gte=0),
                name="progress_money_not_negative"),
            models.CheckConstraint(
                condition=~Q(status=ReportStatus.RETURNED) | ~Q(return_reason=""),
                name="progress_return_needs_reason"),
        ]

    def __str__(self):
        return f"{self.project.code} {self.year}-{self.month:02d}"

    @property
    def period(self) -> str:
        return f"{self.year}-{self.month:02d}"

    @property
    def quarter(self) -> int:
        return quarter_of(self.month)


SUMMARY_MONTHS = range(1, 13)


class ProjectYearProgress(models.Model):
    """Per project and year: the counted (submitted or approved) progress reports' amounts,
    one column per month: completed investment (`completed_m1` .. `completed_m12`) and
    fixed-asset investment formed (`fixed_m1` .. `fixed_m12`), 0 where nothing counts.

    Derived data, kept exactly in step with `ProgressReport` by database triggers
    (migration projects 0003): every write path (ORM, admin, queryset.update, bulk_create,
    raw SQL, COPY) updates it in the same statement. Never write it from code; after a bulk
    load with the triggers off, or to verify it, run `manage.py rebuild_progress_summary`.
    A missing row means zeros. The dashboard reads these ~1 row per project instead of the
    year's twelve reports per project.
    """

    project = models.ForeignKey(Project, on_delete=models.CASCADE,
                                related_name="year_progress", verbose_name=_("project"))
    year = models.PositiveSmallIntegerField(_("year"))
    completed_m1 = models.DecimalField(max_digits=14, decimal_places=2, default=0)
    completed_m2 = models.DecimalField(max_digits=14, decimal_places=2, default=0)
    completed_m3 = models.DecimalField(max_digits=14, decimal_places=2, default=0)
    completed_m4 = models.DecimalField(max_digits=14, decimal_places=2, default=0)
    completed_m5 = models.DecimalField(max_digits=14, decimal_places=2, default=0)
    completed_m6 = models.DecimalField(max_digits=14, decimal_places=2, default=0)
    completed_m7 = models.DecimalField(max_digits=14, decimal_places=2, default=0)
    completed_m8 = models.DecimalField(max_digits=14, decimal_places=2, default=0)
    completed_m9 = models.DecimalField(max_digits=14, decimal_places=2, default=0)
    completed_m10 = models.DecimalField(max_digits=14, decimal_places=2, default=0)
    completed_m11 = models.DecimalField(max_digits=14, decimal_places=2, default=0)
    completed_m12 = models.DecimalField(max_digits=14, decimal_places=2, default=0)
    fixed_m1 = models.DecimalField(max_digits=14, decimal_places=2, default=0)
    fixed_m2 = models.DecimalField(max_digits=14, decimal_places=2, default=0)
    fixed_m3 = models.DecimalField(max_digits=14, decimal_places=2, default=0)
    fixed_m4 = models.DecimalField(max_digits=14, decimal_places=2, default=0)
    fixed_m5 = models.DecimalField(max_digits=14, decimal_places=2, default=0)
    fixed_m6 = models.DecimalField(max_digits=14, decimal_places=2, default=0)
    fixed_m7 = models.DecimalField(max_digits=14, decimal_places=2, default=0)
    fixed_m8 = models.DecimalField(max_digits=14, decimal_places=2, default=0)
    fixed_m9 = models.DecimalField(max_digits=14, decimal_places=2, default=0)
    fixed_m10 = models.DecimalField(max_digits=14, decimal_places=2, default=0)
    fixed_m11 = models.DecimalField(max_digits=14, decimal_places=2, default=0)
    fixed_m12 = models.DecimalField(max_digits=14, decimal_places=2, default=0)

    class Meta:
        verbose_name = _("project year progress (summary)")
        verbose_name_plural = _("project year progress (summary)")
        constraints = [
            models.UniqueConstraint(fields=["project", "year"],
                                    name="one_progress_summary_per_project_year"),
        ]
        indexes = [models.Index(fields=["year", "project"], name="progress_summary_year")]

    def __str__(self):
        return f"{self.project_id} {self.year}"

    def completed(self, months=SUMMARY_MONTHS):
        return sum((getattr(self, f"completed_m{m}") for m in months), ZERO)


class LeadStage(models.TextChoices):
    LEAD = "lead", _("Lead")
    NEGOTIATING = "negotiating", _("Negotiating")
    SIGNED = "signed", _("Signed")
    LANDED = "landed", _("Landed")
    DROPPED = "dropped", _("Dropped")


# Stages still in the pipeline: they run response clocks and can be followed up.
OPEN_LEAD_STAGES = (LeadStage.LEAD, LeadStage.NEGOTIATING, LeadStage.SIGNED)
# The forward order of the pipeline (放弃 / dropped leaves it from any open stage).
LEAD_STAGE_ORDER = (LeadStage.LEAD, LeadStage.NEGOTIATING, LeadStage.SIGNED, LeadStage.LANDED)


class InvestmentLead(models.Model):
    """A prospective investor in the pipeline (招商线索).

    The date of each stage is kept on the lead (registered_on, negotiating_on, signed_on,
    landed_on, dropped_on): the dashboard's investment figures read them. Stage moves,
    reassignments and funds in place are written by leads.services only, which also keep
    `clock_due_on` (the earliest response clock still running, see leads.clocks).
    """

    park = models.ForeignKey("parks.Park", on_delete=models.PROTECT,
                             related_name="investment_leads", verbose_name=_("park"))
    investor = models.CharField(_("prospective investor"), max_length=200)
    industry = models.ForeignKey("parks.Industry", on_delete=models.PROTECT, null=True,
                                 blank=True, related_name="leads", verbose_name=_("industry"))
    intended_investment = MoneyField(_("intended investment (10k yuan)"), null=True, blank=True)
    source = models.CharField(_("source"), max_length=200, blank=True)
    contact = models.CharField(_("investor contact"), max_length=200, blank=True)
    stage = models.CharField(_("stage"), max_length=20, choices=LeadStage.choices,
                             default=LeadStage.LEAD)
    registered_on = models.DateField(_("registered on"), default=timezone.localdate)
    negotiating_on = models.DateField(_("negotiating since"), null=True, blank=True)
    signed_on = models.DateField(_("signed on"), null=True, blank=True)
    landed_on = models.DateField(_("landed on"), null=True, blank=True)
    dropped_on = models.DateField(_("dropped on"), null=True, blank=True)
    drop_reason = models.TextField(_("reason for dropping"), blank=True)
    signed_amount = MoneyField(_("signed amount (10k yuan)"), null=True, blank=True)
    next_action = models.CharField(_("next action"), max_length=200, blank=True)
    next_action_on = models.DateField(_("next action date"), null=True, blank=True)
    clock_due_on = models.DateField(_("response due on"), null=True, blank=True, editable=False)
    clock_kind = models.CharField(_("response clock"), max_length=20, blank=True,
                                  editable=False)
    responsible = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                    null=True, blank=True, related_name="investment_leads",
                                    verbose_name=_("responsible staff"))
    project = models.ForeignKey(Project, on_delete=models.SET_NULL, null=True, blank=True,
                                related_name="leads", verbose_name=_("resulting project"))
    enterprise = models.ForeignKey("enterprises.Enterprise", on_delete=models.SET_NULL,
                                   null=True, blank=True, related_name="leads",
                                   verbose_name=_("resulting enterprise"))
    is_illustrative = models.BooleanField(_("illustrative (seed)"), default=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    objects = AuditedManager()  # audits bulk writes too (parkportal.audit)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("investment lead")
        verbose_name_plural = _("investment leads")
        ordering = ["next_action_on", "investor"]
        indexes = [models.Index(fields=["park", "stage"], name="lead_park_stage"),
                   models.Index(fields=["responsible", "stage"], name="lead_responsible")]
        constraints = [
            models.CheckConstraint(
                condition=Q(intended_investment__isnull=True) | Q(intended_investment__gte=0),
                name="lead_investment_not_negative"),
            models.CheckConstraint(
                condition=Q(signed_amount__isnull=True) | Q(signed_amount__gte=0),
                name="lead_signed_amount_not_negative"),
            models.CheckConstraint(
                condition=~Q(stage="dropped") | ~Q(drop_reason=""),
                name="lead_dropped_has_reason"),
        ]

    def __str__(self):
        return self.investor

    @property
    def is_open(self) -> bool:
        return self.stage in OPEN_LEAD_STAGES


class LeadActivity(models.Model):
    """One follow-up of an investment lead (洽谈记录): date, participants, summary, next step;
    proof files hang on it as attachments."""

    lead = models.ForeignKey(InvestmentLead, on_delete=models.CASCADE,
                             related_name="activities", verbose_name=_("investment lead"))
    happened_on = models.DateField(_("date"))
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True,
                             blank=True, related_name="+", verbose_name=_("by"))
    participants = models.CharField(_("participants"), max_length=300, blank=True)
    note = models.TextField(_("summary"))
    next_step = models.CharField(_("next step"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("recorded at"), default=timezone.now, editable=False)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("lead follow-up")
        verbose_name_plural = _("lead follow-ups")
        ordering = ["-happened_on", "-pk"]

    def __str__(self):
        return f"{self.lead} {self.happened_on}"
