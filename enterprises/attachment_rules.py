"""Who may view and attach files on the enterprise app's records (attachments.registry)."""

from django.urls import reverse

from attachments.registry import register
from enterprises.models import Demand
from enterprises.selectors import visible_demands
from parkportal.permissions import can_log_visits

# A demand's documents: seen by the park (as the demand list); added by staff and admins, who
# log and handle demands.
register(
    Demand,
    records=lambda user: visible_demands(user).select_related("enterprise__park"),
    may_attach=lambda user, demand: can_log_visits(user),
    park=lambda demand: demand.enterprise.park,
    url=lambda demand: reverse("enterprises:demand_edit", args=[demand.pk]),
)
