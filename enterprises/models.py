"""Enterprises served by a park, visits to them, their demands, and import batches."""

import re
import unicodedata
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.conf import settings
from django.db import connection, models
from django.db.models import Count, Exists, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from enterprises.credit_code import validate_credit_code_format
from parkportal.audit import AuditedManager
from parkportal.fields import MoneyField
from parkportal.money import ratio


class Relation(models.TextChoices):
    RESIDENT = "resident", _("Resident")
    MANAGED = "managed", _("Managed on behalf")
    NONE = "none", _("Not served")


# --- rule: a served enterprise (SPEC §3 "enterprises served") -------------------------------
# On a day: resident or managed on behalf, settled by then (or no date) and not moved out by
# then. ORM form `served_q`, SQL form `served_sql` (tests/enterprises/test_rules.py).
SERVED_RELATIONS = (Relation.RESIDENT, Relation.MANAGED)


def served_q(on: date, prefix: str = "") -> Q:
    """Enterprises served on the day `on`; `prefix` reaches them through a relation."""
    def q(**lookups):
        return Q(**{f"{prefix}{key}": value for key, value in lookups.items()})

    return (q(relation__in=SERVED_RELATIONS)
            & (q(settled_on__isnull=True) | q(settled_on__lte=on))
            & (q(left_on__isnull=True) | q(left_on__gt=on)))


def served_sql(on: date, alias: str = "") -> tuple[str, list]:
    """The SQL form of `served_q`: (condition, parameters) over the enterprise table, its
    columns prefixed by `alias` (e.g. "e.")."""
    day = connection.ops.adapt_datefield_value(on)
    return (f"{alias}relation IN ({', '.join('%s' for _ in SERVED_RELATIONS)}) "
            f"AND ({alias}settled_on IS NULL OR {alias}settled_on <= %s) "
            f"AND ({alias}left_on IS NULL OR {alias}left_on > %s)",
            [*(str(relation) for relation in SERVED_RELATIONS), day, day])


class EnterpriseStatus(models.TextChoices):
    NEGOTIATING = "negotiating", _("Negotiating")
    SIGNED = "signed", _("Signed")
    SETTLED = "settled", _("Settled")
    OPERATING = "operating", _("Operating")
    LEFT = "left", _("Moved out")


class Enterprise(models.Model):
    """An enterprise (企业) attracted to or served by a park."""

    # No index of its own: the (park, credit code) key and the dashboard's indexes lead with
    # the park already (a fourth index on it only slowed every insert; docs/performance.md).
    park = models.ForeignKey("parks.Park", on_delete=models.PROTECT, db_index=False,
                             related_name="enterprises", verbose_name=_("park"))
    name = models.CharField(_("enterprise name"), max_length=200)
    credit_code = models.CharField(
        _("unified social credit code"), max_length=18,
        validators=[validate_credit_code_format],
        help_text=_("18 characters per GB 32100-2015."))
    industry = models.ForeignKey("parks.Industry", on_delete=models.SET_NULL, null=True,
                                 blank=True, related_name="enterprises",
                                 verbose_name=_("industry"),
                                 help_text=_("The park's industry chain (产业链)."))
    # The national classification (GB/T 4754, 国民经济行业分类) as an enterprise list gives
    # it: a different concept from the park's chains, mapped to one by IndustryMapping.
    national_industry = models.CharField(
        _("national industry classification"), max_length=100, blank=True,
        help_text=_("As the list gives it (GB/T 4754), e.g. 制造业."))
    national_industry_code = models.CharField(
        _("national industry code"), max_length=5, blank=True,
        help_text=_("GB/T 4754 code where the list gives one, e.g. C or C27."))
    origin = models.CharField(_("origin"), max_length=100, blank=True,
                              help_text=_("City or province the investor comes from."))
    relation = models.CharField(_("relation to the park"), max_length=20,
                                choices=Relation.choices, default=Relation.RESIDENT)
    status = models.CharField(_("status"), max_length=20, choices=EnterpriseStatus.choices,
                              default=EnterpriseStatus.SETTLED)
    settled_on = models.DateField(_("settled on"), null=True, blank=True)
    left_on = models.DateField(_("moved out on"), null=True, blank=True)
    registered_capital = MoneyField(_("registered capital (10k yuan)"), null=True, blank=True)
    employees = models.PositiveIntegerField(_("employees"), null=True, blank=True)
    contact_person = models.CharField(_("contact person"), max_length=50, blank=True)
    contact_phone = models.CharField(_("contact phone"), max_length=30, blank=True)
    introduced_year = models.PositiveSmallIntegerField(
        _("year introduced"), null=True, blank=True,
        help_text=_("The year the park attracted this enterprise (招商引进)."))
    responsible = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="responsible_enterprises",
        verbose_name=_("assigned staff"),
        help_text=_("Staff who serve this enterprise and may see its contact details."))
    address = models.CharField(_("address"), max_length=200, blank=True)
    is_illustrative = models.BooleanField(
        _("illustrative"), default=False,
        help_text=_("Invented to split a report total; not named by the source."))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    objects = AuditedManager()  # audits bulk writes too (parkportal.audit)
    # History is read per enterprise (its id) and by date, never by park or chain.
    history = HistoricalRecords(m2m_fields=[responsible], no_db_index=["park", "industry"])

    class Meta:
        verbose_name = _("enterprise")
        verbose_name_plural = _("enterprises")
        ordering = ["name"]
        indexes = [
            models.Index(fields=["park", "relation", "status"], name="enterprise_served"),
            models.Index(fields=["name"], name="enterprise_name"),
            models.Index(fields=["introduced_year"], name="enterprise_introduced_year"),
            models.Index(fields=["settled_on"], name="enterprise_settled_on"),
            models.Index(fields=["registered_capital"], name="enterprise_capital"),
            # Sortable columns of the enterprise lists (tests/staff/test_sort_indexes.py).
            # A large import drops and rebuilds the single-column ones (SORT_INDEXES).
            models.Index(fields=["credit_code"], name="enterprise_credit_code"),
            models.Index(fields=["relation"], name="enterprise_relation"),
            models.Index(fields=["status"], name="enterprise_status"),
            models.Index(fields=["origin"], name="enterprise_origin"),
            models.Index(fields=["employees"], name="enterprise_employees"),
        ]
        constraints = [
            models.UniqueConstraint(fields=["park", "credit_code"],
                                    name="one_enterprise_per_park_credit_code"),
            models.CheckConstraint(
                condition=Q(registered_capital__isnull=True) | Q(registered_capital__gte=0),
                name="enterprise_capital_not_negative"),
            models.CheckConstraint(condition=~Q(name=""), name="enterprise_name_required"),
            models.CheckConstraint(condition=~Q(credit_code=""),
                                   name="enterprise_credit_code_required"),
        ]

    def __str__(self):
        return self.name


# The single-column indexes the sorted enterprise lists need (each sort is 10–20× slower
# without its index at 100,000 enterprises: docs/performance.md, "Sort indexes"). Building
# them once after a large load is cheaper than keeping them up to date row by row, so the
# import rebuilds them then (enterprises/importing/writer.py).
SORT_INDEXES = ("enterprise_name", "enterprise_introduced_year", "enterprise_settled_on",
                "enterprise_capital", "enterprise_credit_code", "enterprise_relation",
                "enterprise_status", "enterprise_origin", "enterprise_employees")


class Visit(models.Model):
    """A visit (走访) by park staff to an enterprise."""

    class Kind(models.TextChoices):
        ON_SITE = "on_site", _("On-site visit")
        SYMPOSIUM = "symposium", _("Symposium")
        FIELD_OFFICE = "field_office", _("Field office")

    enterprise = models.ForeignKey(Enterprise, on_delete=models.CASCADE, related_name="visits",
                                   verbose_name=_("enterprise"))
    visited_on = models.DateField(_("visit date"))
    staff = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                              related_name="visits", verbose_name=_("visited by"))
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices,
                            default=Kind.ON_SITE)
    notes = models.TextField(_("notes"), blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    objects = AuditedManager()  # audits bulk writes too (parkportal.audit)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("visit")
        verbose_name_plural = _("visits")
        ordering = ["-visited_on", "-id"]
        indexes = [models.Index(fields=["enterprise", "visited_on"], name="visit_enterprise_date"),
                   models.Index(fields=["visited_on"], name="visit_date")]

    def __str__(self):
        return f"{self.enterprise} {self.visited_on}"


# --- rule: the visit window (SPEC §1 "52 enterprises visited every week") -------------------
# The 7 days up to and including a day: `as_of` and the 6 days before it. ORM form
# `in_visit_window_q` (and `visited_in_window`, per enterprise), SQL form `visit_window_sql`.
VISIT_WINDOW_DAYS = 7


def visit_window(as_of: date) -> tuple[date, date]:
    """(first day, last day) of the window ending on `as_of`, both included."""
    return as_of - timedelta(days=VISIT_WINDOW_DAYS - 1), as_of


def in_visit_window_q(as_of: date, prefix: str = "") -> Q:
    """Visits dated in the window ending on `as_of`; `prefix` reaches them ("visits__")."""
    first, last = visit_window(as_of)
    return Q(**{f"{prefix}visited_on__gte": first, f"{prefix}visited_on__lte": last})


def visited_in_window(as_of: date, enterprise=None) -> Exists:
    """Whether the enterprise (default: the outer query's row) had a visit in the window."""
    enterprise = OuterRef("pk") if enterprise is None else enterprise
    return Exists(Visit.objects.filter(in_visit_window_q(as_of), enterprise=enterprise))


def visit_window_sql(as_of: date, column: str = "visited_on") -> tuple[str, list]:
    """The SQL form of `in_visit_window_q`: (condition, parameters) on a visit date column."""
    first, last = (connection.ops.adapt_datefield_value(day) for day in visit_window(as_of))
    return f"{column} >= %s AND {column} <= %s", [first, last]


# --- rule: the visit coverage rate (SPEC §3 "visit coverage") -------------------------------
# Of the enterprises served on a day, the share visited in the window ending that day, a rate
# (parkportal.money.ratio: 4 places, half up; None when none is served). ORM form
# `coverage_aggregates` over served enterprises; SQL form: dashboard.selectors.
# enterprise_figures, built from `served_sql` and `visit_window_sql`.


def coverage_aggregates(as_of: date) -> dict:
    """{"served", "visited"} aggregates over a queryset of enterprises served on `as_of`."""
    return {"served": Count("pk"), "visited": Count("pk", filter=Q(visited_in_window(as_of)))}


def coverage_rate(visited: int, served: int) -> Decimal | None:
    return ratio(visited, served)


class Demand(models.Model):
    """A demand (诉求) an enterprise raised, tracked until resolved."""

    class Category(models.TextChoices):
        LABOUR = "labour", _("Labour")
        FINANCE = "finance", _("Finance")
        LAND = "land", _("Land")
        APPROVALS = "approvals", _("Approvals")
        INFRASTRUCTURE = "infrastructure", _("Infrastructure")
        OTHER = "other", _("Other")

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        IN_PROGRESS = "in_progress", _("In progress")
        RESOLVED = "resolved", _("Resolved")

    enterprise = models.ForeignKey(Enterprise, on_delete=models.CASCADE,
                                   related_name="demands", verbose_name=_("enterprise"))
    visit = models.ForeignKey(Visit, on_delete=models.SET_NULL, null=True, blank=True,
                              related_name="demands", verbose_name=_("raised at visit"))
    category = models.CharField(_("category"), max_length=20, choices=Category.choices,
                                default=Category.OTHER)
    description = models.TextField(_("description"))
    status = models.CharField(_("status"), max_length=20, choices=Status.choices,
                              default=Status.OPEN)
    due_on = models.DateField(_("due date"), null=True, blank=True)
    resolution = models.TextField(_("resolution"), blank=True)
    resolved_at = models.DateTimeField(_("resolved at"), null=True, blank=True)
    assignee = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                 null=True, blank=True, related_name="demands",
                                 verbose_name=_("handled by"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                   null=True, blank=True, related_name="+",
                                   verbose_name=_("recorded by"))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    objects = AuditedManager()  # audits bulk writes too (parkportal.audit)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("demand")
        verbose_name_plural = _("demands")
        ordering = ["status", "due_on", "-id"]
        indexes = [
            models.Index(fields=["status", "due_on"], name="demand_status_due"),
            # Sortable columns of the demand list (tests/staff/test_sort_indexes.py).
            models.Index(fields=["category"], name="demand_category"),
            models.Index(fields=["due_on"], name="demand_due_on"),
            models.Index(fields=["created_at"], name="demand_created_at"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="resolved")
                | (~Q(resolution="") & Q(resolved_at__isnull=False)),
                name="demand_resolved_needs_resolution"),
        ]

    def __str__(self):
        return f"{self.enterprise}: {self.description[:30]}"

    def is_overdue(self, today: date) -> bool:
        """The Python form of `overdue_demand_q`."""
        return (self.status in OPEN_DEMAND_STATUSES and self.due_on is not None
                and self.due_on < today)


# --- rule: an open demand -------------------------------------------------------------------
# Now: open or in progress (status); overdue: open and due before today. ORM forms
# `open_demand_q`, `overdue_demand_q` (Python: `Demand.is_overdue`). On a past day (the
# dashboard's "as of"): raised by the end of that day and not resolved by then,
# `open_demand_on_q`; the services keep the two in step (resolving stamps resolved_at,
# reopening clears it; tests/enterprises/test_rules.py). No SQL form: no SQL reads demands.
OPEN_DEMAND_STATUSES = (Demand.Status.OPEN, Demand.Status.IN_PROGRESS)


def open_demand_q(prefix: str = "") -> Q:
    return Q(**{f"{prefix}status__in": OPEN_DEMAND_STATUSES})


def overdue_demand_q(today: date, prefix: str = "") -> Q:
    return open_demand_q(prefix) & Q(**{f"{prefix}due_on__lt": today})


def open_demand_on_q(as_of: date) -> Q:
    """Demands raised by the end of the day `as_of` (local time) and not resolved by then."""
    tz = timezone.get_current_timezone()
    end_of_day = timezone.make_aware(datetime.combine(as_of + timedelta(days=1), time.min), tz)
    return Q(created_at__lt=end_of_day) & (
        Q(resolved_at__isnull=True) | Q(resolved_at__gte=end_of_day))


# --- rule: a national classification → a park industry chain (IndustryMapping) -------------

NATIONAL_CODE = re.compile(r"[A-T]\d{0,4}|\d{2,4}")


def normalize_national_code(code: str) -> str:
    """'c 27' → 'C27': upper case, no spaces; '' stays ''."""
    return "".join(code.split()).upper()


def normalize_national_name(name: str) -> str:
    """Names compare without spaces and with full-width letters folded."""
    return "".join(unicodedata.normalize("NFKC", name).split())


class IndustryMapping(models.Model):
    """How one park files a national industry classification (GB/T 4754) under one of its
    industry chains: by code (a code maps every code under it: C27 covers C2710) or by name."""

    park = models.ForeignKey("parks.Park", on_delete=models.CASCADE,
                             related_name="industry_mappings", verbose_name=_("park"))
    national_code = models.CharField(
        _("national industry code"), max_length=5, blank=True,
        help_text=_("A GB/T 4754 code: a section letter (C), a division (C27) or finer; it "
                    "covers every code that starts with it."))
    national_name = models.CharField(
        _("national industry classification"), max_length=100, blank=True,
        help_text=_("The name as lists write it, e.g. 医药制造业."))
    industry = models.ForeignKey("parks.Industry", on_delete=models.PROTECT,
                                 related_name="national_mappings",
                                 verbose_name=_("industry chain"))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("industry mapping")
        verbose_name_plural = _("industry mappings")
        ordering = ["national_code", "national_name"]
        constraints = [
            models.CheckConstraint(condition=~Q(national_code="", national_name=""),
                                   name="industry_mapping_code_or_name"),
            models.UniqueConstraint(fields=["park", "national_code"],
                                    condition=~Q(national_code=""),
                                    name="one_industry_mapping_per_park_code"),
            models.UniqueConstraint(fields=["park", "national_name"],
                                    condition=~Q(national_name=""),
                                    name="one_industry_mapping_per_park_name"),
        ]

    def __str__(self):
        label = " ".join(filter(None, [self.national_code, self.national_name]))
        return f"{label} → {self.industry}"


class IndustryResolver:
    """The park's mappings, to file (national name, code) pairs under a chain id.

    The longest mapped code that starts the given code wins (C27 before C); then the exact
    name. None when nothing maps: the enterprise keeps no chain, it is never rejected."""

    def __init__(self, mappings):
        self.by_code = {}
        self.by_name = {}
        for mapping in mappings:
            if mapping.national_code:
                self.by_code[normalize_national_code(mapping.national_code)] = \
                    mapping.industry_id
            if mapping.national_name:
                self.by_name[normalize_national_name(mapping.national_name)] = \
                    mapping.industry_id

    @classmethod
    def for_park(cls, park) -> "IndustryResolver":
        return cls(IndustryMapping.objects.filter(park=park))

    def __bool__(self):
        return bool(self.by_code or self.by_name)

    def resolve(self, name: str | None, code: str | None) -> int | None:
        if code:
            code = normalize_national_code(code)
            for end in range(len(code), 0, -1):
                if code[:end] in self.by_code:
                    return self.by_code[code[:end]]
        if name:
            return self.by_name.get(normalize_national_name(name))
        return None


class ImportBatch(models.Model):
    """One import of a file (an enterprise list, a project schedule): who, when, which file,
    and what came of it."""

    class State(models.TextChoices):
        PREVIEWED = "previewed", _("Previewed")
        QUEUED = "queued", _("Queued")
        RUNNING = "running", _("Running")
        COMMITTED = "committed", _("Committed")
        FAILED = "failed", _("Failed")
        CANCELLED = "cancelled", _("Cancelled")

    # What was imported (imports.targets): an enterprise list or a project schedule.
    target = models.CharField(_("import of"), max_length=20, default="enterprises",
                              db_index=True)
    park = models.ForeignKey("parks.Park", on_delete=models.PROTECT,
                             related_name="import_batches", verbose_name=_("park"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                   null=True, blank=True, related_name="import_batches",
                                   verbose_name=_("imported by"))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    file_name = models.CharField(_("file name"), max_length=255)
    file = models.FileField(_("original file"), upload_to="imports/%Y/%m/", blank=True)
    file_sha256 = models.CharField(_("file SHA-256"), max_length=64)
    state = models.CharField(_("state"), max_length=20, choices=State.choices,
                             default=State.PREVIEWED)
    strict = models.BooleanField(_("strict mode"), default=False,
                                 help_text=_("Abort the whole import if any row is rejected."))
    accept_bad_checksum = models.BooleanField(
        _("accept codes failing the checksum"), default=False)
    column_mapping = models.JSONField(_("column mapping"), default=dict, blank=True)
    total_rows = models.PositiveIntegerField(_("rows"), default=0)
    processed_rows = models.PositiveIntegerField(_("rows processed"), default=0)
    created_count = models.PositiveIntegerField(_("created"), default=0)
    updated_count = models.PositiveIntegerField(_("updated"), default=0)
    unchanged_count = models.PositiveIntegerField(_("unchanged"), default=0)
    rejected_count = models.PositiveIntegerField(_("rejected"), default=0)
    errors = models.JSONField(_("row errors"), default=list, blank=True)
    # A target's own figures (the schedule: counts per kind of record, warnings, year and month).
    summary = models.JSONField(_("summary"), default=dict, blank=True)
    message = models.TextField(_("message"), blank=True)
    # Background runs: the queued task, and the lease its worker keeps renewing while it runs.
    # A running batch whose lease has run out lost its worker (killed, out of memory).
    task_id = models.CharField(_("task"), max_length=64, blank=True)
    lease_expires_at = models.DateTimeField(_("worker lease expires at"), null=True,
                                            blank=True)

    class Meta:
        verbose_name = _("import batch")
        verbose_name_plural = _("import batches")
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.file_name} ({self.get_state_display()})"
