"""Small lead panels other pages include with one line: the home page's overdue leads and
the lineage of an enterprise or a project (the leads it came from)."""

from django import template
from django.utils import timezone

from leads.selectors import overdue_leads_for, visible_leads

register = template.Library()


@register.inclusion_tag("leads/overdue_panel.html", takes_context=True)
def overdue_leads_panel(context):
    user = context.get("user") or getattr(context.get("request"), "user", None)
    if user is None:
        return {"leads": []}
    return {"leads": list(overdue_leads_for(user, timezone.localdate())[:20])}


@register.inclusion_tag("leads/lineage.html", takes_context=True)
def lead_lineage(context, obj):
    """The leads that landed as `obj` (an enterprise or a project); links only to the leads
    the viewer may open."""
    user = context["request"].user
    leads = list(obj.leads.all())
    visible = set(visible_leads(user).filter(pk__in=[lead.pk for lead in leads])
                  .values_list("pk", flat=True)) if leads else set()
    for lead in leads:
        lead.visible = lead.pk in visible
    return {"leads": leads}
