"""Proof files (证明资料) of a lead's follow-ups (attachments.registry).

This replaces the provisional rule of projects/attachment_rules.py (autodiscovery runs the
apps in INSTALLED_APPS order and `leads` comes after `projects`, so this registration wins):
a follow-up's files are served only to those who may open its lead (`visible_leads`: the
lead's park, and for staff only their own leads), and added by those who may act on it.
"""

from django.urls import reverse

from attachments.registry import register
from leads.selectors import may_edit_lead, visible_leads
from projects.models import LeadActivity

register(
    LeadActivity,
    records=lambda user: LeadActivity.objects.filter(
        lead_id__in=visible_leads(user).values("pk")).select_related("lead__park"),
    may_attach=lambda user, activity: may_edit_lead(user, activity.lead),
    park=lambda activity: activity.lead.park,
    url=lambda activity: reverse("leads:detail", args=[activity.lead_id]),
)
