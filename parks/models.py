"""Regions, parks, industries, park and region members, the park's own yearly targets and
quarter closes."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from parkportal.audit import AuditedManager
from parkportal.fields import MoneyField


class PlanStatus(models.TextChoices):
    """Annual plans and park targets made by the year rollover start as drafts: they enter no
    figure (dashboard, exports, lists, lights) until a park admin confirms them."""

    DRAFT = "draft", _("Draft (not published)")
    CONFIRMED = "confirmed", _("Confirmed")


class PublishedMixin:
    """The rule "a plan or target counts once confirmed", in its ORM and its SQL form."""

    @staticmethod
    def published_q(prefix: str = "") -> Q:
        return Q(**{f"{prefix}status": PlanStatus.CONFIRMED})

    @staticmethod
    def published_sql(alias: str) -> str:
        return f"{alias}.status = '{PlanStatus.CONFIRMED.value}'"


class RegionLevel(models.TextChoices):
    """The administrative levels above parks, lowest first (county → city → province)."""

    COUNTY = "county", _("County")
    CITY = "city", _("City")
    PROVINCE = "province", _("Province")


LEVEL_RANK = {RegionLevel.COUNTY: 0, RegionLevel.CITY: 1, RegionLevel.PROVINCE: 2}
# A region sits at most this many levels below the top (a county in a city in a province):
# `parks.selectors.parks_in_region` reaches every park under a region in one query.
MAX_REGION_DEPTH = len(LEVEL_RANK)


class Region(models.Model):
    """A county, city or province that parks roll up to (e.g. 汉中市 in 陕西省). Its parent is
    the region one or more levels above it; a province has none."""

    slug = models.SlugField(_("slug"), max_length=50, unique=True,
                            help_text=_("Short identifier used in addresses, e.g. hanzhong."))
    name = models.CharField(_("name"), max_length=100)
    level = models.CharField(_("level"), max_length=10, choices=RegionLevel.choices)
    parent = models.ForeignKey("self", on_delete=models.PROTECT, null=True, blank=True,
                               related_name="children", verbose_name=_("parent region"))

    class Meta:
        verbose_name = _("region")
        verbose_name_plural = _("regions")
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(condition=Q(level__in=[level.value for level in RegionLevel]),
                                   name="region_level_known"),
            models.CheckConstraint(condition=~Q(parent=F("pk")), name="region_not_own_parent"),
        ]

    def __str__(self):
        return self.name

    def clean(self):
        from django.core.exceptions import ValidationError

        if self.parent_id is not None and self.parent is not None:
            if LEVEL_RANK.get(self.parent.level, -1) <= LEVEL_RANK.get(self.level, -1):
                raise ValidationError({"parent": _(
                    "The parent region must be at a higher level (county → city → province).")})

    def ancestors(self) -> list["Region"]:
        """The regions above this one, nearest first."""
        result, region = [], self.parent
        while region is not None and len(result) < MAX_REGION_DEPTH:
            result.append(region)
            region = region.parent
        return result


class Park(models.Model):
    """An industrial park; every other record belongs to one."""

    name = models.CharField(_("name"), max_length=100, unique=True)
    slug = models.SlugField(_("slug"), max_length=50, unique=True,
                            help_text=_("Short identifier used in addresses, e.g. zhenba."))
    county = models.CharField(_("county"), max_length=50, blank=True)
    city = models.CharField(_("city"), max_length=50, blank=True)
    province = models.CharField(_("province"), max_length=50, blank=True)
    # The lowest region the park sits in (its county, else its city or province); the
    # county/city/province texts above are the names as the park's report writes them.
    region = models.ForeignKey(Region, on_delete=models.PROTECT, null=True, blank=True,
                               related_name="parks", verbose_name=_("region"))
    # Traffic-light thresholds (percentage points a project's completion may trail time progress).
    lag_yellow_points = models.PositiveSmallIntegerField(
        _("yellow threshold (points behind)"), default=10,
        help_text=_("A project this many percentage points behind time progress is yellow."))
    lag_red_points = models.PositiveSmallIntegerField(
        _("red threshold (points behind)"), default=30,
        help_text=_("A project more than this many percentage points behind time progress is red."))
    not_started_red_months = models.PositiveSmallIntegerField(
        _("red when not started after (months)"), default=3,
        help_text=_("A project not started this many months after its planned start is red."))
    # The reporting window: the report for month M is due by this day of month M + 1.
    report_due_day = models.PositiveSmallIntegerField(
        _("monthly reports due by day"), default=10,
        validators=[MinValueValidator(1), MaxValueValidator(28)],
        help_text=_("A month's progress report is due by this day of the next month (1–28)."))

    class Meta:
        verbose_name = _("park")
        verbose_name_plural = _("parks")
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(lag_red_points__gte=F("lag_yellow_points")),
                name="park_red_threshold_not_below_yellow",
            ),
            models.CheckConstraint(condition=Q(report_due_day__gte=1) & Q(report_due_day__lte=28),
                                   name="park_report_due_day_1_to_28"),
        ]

    def __str__(self):
        return self.name


class Industry(models.Model):
    """An industry (产业) projects and enterprises are classified by."""

    name = models.CharField(_("name"), max_length=50, unique=True)
    slug = models.SlugField(_("slug"), max_length=50, unique=True)
    name_en = models.CharField(_("English name"), max_length=80, blank=True)
    sort_order = models.PositiveSmallIntegerField(_("sort order"), default=0)

    class Meta:
        verbose_name = _("industry")
        verbose_name_plural = _("industries")
        ordering = ["sort_order", "name"]
        # The lists' industry columns sort by it (tests/staff/test_sort_indexes.py).
        indexes = [models.Index(fields=["sort_order", "name"], name="industry_sort_order")]

    def __str__(self):
        return self.name


class ParkMember(models.Model):
    """Which park a user works for. Roles are Django groups (see parkportal.roles)."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                                related_name="park_member", verbose_name=_("user"))
    park = models.ForeignKey(Park, on_delete=models.PROTECT, related_name="members",
                             verbose_name=_("park"))
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    title = models.CharField(_("position"), max_length=50, blank=True)

    class Meta:
        verbose_name = _("park member")
        verbose_name_plural = _("park members")

    def __str__(self):
        return f"{self.user} @ {self.park}"


class RegionMember(models.Model):
    """Which region a user works for (a region leader: the leader role, scoped to the region
    and every park under it, read-only). A user is a park member or a region member, not
    both."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                                related_name="region_member", verbose_name=_("user"))
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="members",
                               verbose_name=_("region"))
    title = models.CharField(_("position"), max_length=50, blank=True)

    class Meta:
        verbose_name = _("region member")
        verbose_name_plural = _("region members")

    def __str__(self):
        return f"{self.user} @ {self.region}"

    def clean(self):
        from django.core.exceptions import ValidationError

        if self.user_id and ParkMember.objects.filter(user_id=self.user_id).exists():
            raise ValidationError(_("This user already works for a park; a user works for "
                                    "a park or a region, not both."))


class ParkAnnualTarget(PublishedMixin, models.Model):
    """The park's own targets for a year, as its report states them (年度目标)."""

    park = models.ForeignKey(Park, on_delete=models.CASCADE, related_name="annual_targets",
                             verbose_name=_("park"))
    year = models.PositiveSmallIntegerField(_("year"))
    projects_planned = models.PositiveIntegerField(_("projects to implement"), default=0)
    total_investment = MoneyField(_("total investment of those projects (10k yuan)"), default=0)
    annual_investment = MoneyField(_("planned investment for the year (10k yuan)"), default=0)
    industrial_investment = MoneyField(_("of which industrial investment (10k yuan)"), default=0)
    major_preliminary_projects = models.PositiveIntegerField(
        _("major projects in preliminary stage"), default=0)
    major_preliminary_investment = MoneyField(
        _("their total investment (10k yuan)"), default=0)
    enterprises_to_introduce = models.PositiveIntegerField(
        _("enterprises to introduce"), null=True, blank=True)
    talents_to_introduce = models.PositiveIntegerField(
        _("talents to introduce"), null=True, blank=True)
    source = models.CharField(_("source"), max_length=200, blank=True,
                              help_text=_("Where the targets are stated, e.g. a report."))
    status = models.CharField(_("status"), max_length=10, choices=PlanStatus.choices,
                              default=PlanStatus.CONFIRMED)
    objects = AuditedManager()  # audits bulk writes too (parkportal.audit)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("park annual target")
        verbose_name_plural = _("park annual targets")
        ordering = ["park", "-year"]
        constraints = [
            models.UniqueConstraint(fields=["park", "year"], name="one_target_per_park_year"),
            models.CheckConstraint(
                condition=Q(total_investment__gte=0) & Q(annual_investment__gte=0)
                & Q(industrial_investment__gte=0) & Q(major_preliminary_investment__gte=0),
                name="park_target_money_not_negative",
            ),
            models.CheckConstraint(
                condition=Q(industrial_investment__lte=F("annual_investment")),
                name="park_target_industrial_within_annual",
            ),
        ]

    def __str__(self):
        return f"{self.park} {self.year}"


class QuarterClose(models.Model):
    """A closed quarter (季度关账): the figures published at close never change."""

    park = models.ForeignKey(Park, on_delete=models.PROTECT, related_name="quarter_closes",
                             verbose_name=_("park"))
    year = models.PositiveSmallIntegerField(_("year"))
    quarter = models.PositiveSmallIntegerField(
        _("quarter"), validators=[MinValueValidator(1), MaxValueValidator(4)])
    closed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                  related_name="+", verbose_name=_("closed by"))
    closed_at = models.DateTimeField(_("closed at"), auto_now_add=True)
    published_figures = models.JSONField(
        _("published figures"),
        help_text=_("The roll-up as published at close, exactly as the JSON export shows it."))
    note = models.TextField(_("note"), blank=True)

    class Meta:
        verbose_name = _("quarter close")
        verbose_name_plural = _("quarter closes")
        ordering = ["park", "-year", "-quarter"]
        constraints = [
            models.UniqueConstraint(fields=["park", "year", "quarter"],
                                    name="one_close_per_park_quarter"),
            models.CheckConstraint(condition=Q(quarter__gte=1) & Q(quarter__lte=4),
                                   name="quarter_close_quarter_1_to_4"),
        ]

    def __str__(self):
        return f"{self.park} {self.year}Q{self.quarter}"


class QuarterCloseCorrection(models.Model):
    """A change made by an admin to data inside a closed quarter, with its reason."""

    quarter_close = models.ForeignKey(QuarterClose, on_delete=models.PROTECT,
                                      related_name="corrections",
                                      verbose_name=_("quarter close"))
    progress_report = models.ForeignKey("projects.ProgressReport", on_delete=models.SET_NULL,
                                        null=True, blank=True, related_name="corrections",
                                        verbose_name=_("progress report"))
    reason = models.TextField(_("reason"))
    changed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   related_name="+", verbose_name=_("changed by"))
    changed_at = models.DateTimeField(_("changed at"), auto_now_add=True)
    before = models.JSONField(_("before"), default=dict, blank=True)
    after = models.JSONField(_("after"), default=dict, blank=True)

    class Meta:
        verbose_name = _("closed-quarter correction")
        verbose_name_plural = _("closed-quarter corrections")
        ordering = ["-changed_at"]
        constraints = [
            models.CheckConstraint(condition=~Q(reason=""), name="correction_reason_required"),
        ]

    def __str__(self):
        return f"{self.quarter_close}: {self.reason[:30]}"
