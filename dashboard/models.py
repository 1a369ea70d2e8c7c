"""Stored dashboard figures: the roll-up of a park × period, kept while the data is unchanged.

See dashboard/snapshots.py for how a snapshot is keyed, read and invalidated.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class FiguresSnapshot(models.Model):
    """The JSON roll-up and lagging rows of park × year × quarter, computed on `as_of`,
    valid while the figures data version is still `data_version` and the code computing
    them is still `code_version` (a deploy changing a figure's definition makes every stored
    snapshot stale). Derived data: never edited, safe to delete at any time (the next
    dashboard view recomputes it)."""

    park = models.ForeignKey("parks.Park", on_delete=models.CASCADE, related_name="+",
                             verbose_name=_("park"))
    year = models.PositiveSmallIntegerField(_("year"))
    quarter = models.PositiveSmallIntegerField(_("quarter"))
    as_of = models.DateField(_("as of"))
    data_version = models.BigIntegerField(_("data version"))
    code_version = models.CharField(_("code version"), max_length=16, default="")
    # JSON text rather than a JSONField: PostgreSQL's jsonb would reorder the keys, and the
    # roll-up's key order is the order `rollup --format json` prints.
    figures = models.TextField(_("figures"))
    lagging = models.TextField(_("lagging projects"))
    computed_at = models.DateTimeField(_("computed at"), auto_now=True)

    class Meta:
        verbose_name = _("figures snapshot")
        verbose_name_plural = _("figures snapshots")
        constraints = [
            models.UniqueConstraint(fields=["park", "year", "quarter", "as_of"],
                                    name="one_snapshot_per_park_period_day"),
        ]

    def __str__(self):
        return (f"{self.park_id} {self.year} Q{self.quarter} @ {self.as_of} "
                f"v{self.data_version} {self.code_version}")


class ProjectYearFact(models.Model):
    """Per project and year with an annual plan: the one narrow row the traffic lights read
    (issue 15, docs/performance.md) instead of joining the project, its plan and its
    progress summary row for each of a park's projects.

    Derived data, kept exactly in step by database triggers (migration dashboard 0007) on
    `projects.Project`, `projects.AnnualPlan` and `projects.ProjectYearProgress` (itself
    trigger-kept from the reports), whatever the write path. Amounts are whole cents
    (BIGINT): `plan_to_q<Q>_cents` the plan to the end of quarter Q (Σ q1 .. qQ of a split
    plan, 0 for an unsplit one), `done_to_q<Q>_cents` the counted completed investment of
    months 1 .. 3Q. Never written from code; `dashboard.facts.rebuild` recomputes it."""

    project_id = models.BigIntegerField()
    park_id = models.BigIntegerField()
    year = models.PositiveSmallIntegerField()
    code = models.CharField(max_length=40)
    stage = models.CharField(max_length=20)
    planned_start = models.DateField(null=True)
    actual_start = models.DateField(null=True)
    published = models.BooleanField()
    is_split = models.BooleanField()
    planned_cents = models.BigIntegerField()
    plan_to_q1_cents = models.BigIntegerField()
    plan_to_q2_cents = models.BigIntegerField()
    plan_to_q3_cents = models.BigIntegerField()
    plan_to_q4_cents = models.BigIntegerField()
    done_to_q1_cents = models.BigIntegerField()
    done_to_q2_cents = models.BigIntegerField()
    done_to_q3_cents = models.BigIntegerField()
    done_to_q4_cents = models.BigIntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["project_id", "year"],
                                    name="one_fact_per_project_year"),
        ]
        indexes = [models.Index(fields=["park_id", "year"], name="fact_park_year")]

    def __str__(self):
        return f"{self.code} {self.year}"
