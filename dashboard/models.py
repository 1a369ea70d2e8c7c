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
