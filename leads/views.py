"""Lead pages (招商线索): list and board, detail, register / edit, and the actions on a lead
(follow-up, stage, reassignment, funds in place, landing); the park's response clocks.

Pages are configuration over parkportal.generic_views; the actions share `LeadActionView`
(the lead through `visible_leads`, so another park's or another officer's lead is a 404;
who may act is the service's rule, checked first for a 403)."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import FormView

from attachments.selectors import attachments_by_record
from leads import selectors, services
from leads.filters import LeadFilter
from leads.forms import (
    ClocksForm,
    FollowUpForm,
    FundsForm,
    LandForm,
    LeadForm,
    ReassignForm,
    StageForm,
)
from leads.tables import LeadTable
from parkportal.forms import route_errors
from parkportal.generic_views import ObjectDetailView, ObjectEditView, ObjectListView, Panel
from parkportal.permissions import RoleRequiredMixin, park_of
from parkportal.roles import ADMIN, LEADER, STAFF, is_admin
from projects.models import InvestmentLead, LeadActivity, LeadStage


class LeadViews:
    model = InvestmentLead
    selector = selectors.visible_leads
    url_namespace = "leads"
    edit_roles = (STAFF, ADMIN)

    def may_edit(self):
        obj = getattr(self, "object", None)
        if obj is None:
            return selectors.may_create_lead(self.request.user)
        return selectors.may_edit_lead(self.request.user, obj)


class LeadListView(LeadViews, ObjectListView):
    table_class = LeadTable
    filterset_class = LeadFilter
    export_filename = "investment-leads"
    template_name = "leads/lead_list.html"

    board = False  # the board view (by stage) of the same filtered leads

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["board"] = selectors.board_columns(self.filterset.qs) if self.board else None
        context["today"] = timezone.localdate()
        return context


class LeadBoardView(LeadListView):
    board = True


class LeadDetailView(LeadViews, ObjectDetailView):
    template_name = "leads/lead_detail.html"
    panels = [
        Panel(gettext_lazy("Investment lead"),
              ["investor", "industry", "stage", "intended_investment", "signed_amount",
               "source", "contact", "responsible", "next_action", "next_action_on"],
              texts=["drop_reason"]),
        Panel(gettext_lazy("Stage dates"),
              ["registered_on", "negotiating_on", "signed_on", "landed_on", "dropped_on"]),
    ]

    def history_querysets(self, obj):
        return [obj.history.all()]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        lead, user = self.object, self.request.user
        editable = selectors.may_edit_lead(user, lead)
        today = timezone.localdate()
        follow_ups = list(lead.activities.select_related("user"))
        files = attachments_by_record(LeadActivity, [item.pk for item in follow_ups])
        for item in follow_ups:
            item.proof_files = files.get(item.pk, [])
        context.update(
            follow_ups=follow_ups,
            stage_changes=lead.stage_changes.select_related("by"),
            reassignments=lead.reassignments.select_related("from_user", "to_user", "by"),
            funds=lead.funds.all(),
            funds_total=sum((f.amount for f in lead.funds.all()), 0),
            overdue=lead.is_open and lead.lead_due_on is not None and lead.lead_due_on < today,
            can_follow_up=editable and lead.is_open,
            can_move=editable and lead.is_open,
            can_land=editable and lead.stage == LeadStage.SIGNED,
            can_add_funds=editable and lead.stage in (LeadStage.SIGNED, LeadStage.LANDED),
            can_reassign=selectors.may_reassign(user),
        )
        return context


class LeadEditView(LeadViews, ObjectEditView):
    form_class = LeadForm
    service = services.save_lead


class LeadActionView(RoleRequiredMixin, FormView):
    """An action on one lead: `form_class`, `title`, and `act(form.cleaned_data)`."""

    template_name = "generic/object_edit.html"
    title = ""

    def may_act(self) -> bool:
        return selectors.may_edit_lead(self.request.user, self.lead)

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        self.lead = get_object_or_404(selectors.visible_leads(request.user), pk=kwargs["pk"])
        if not self.may_act():
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_initial(self):
        return {"happened_on": timezone.localdate(), "on": timezone.localdate(),
                "received_on": timezone.localdate(), "landed_on": timezone.localdate()}

    def form_valid(self, form):
        try:
            self.act(form.cleaned_data)
        except ValidationError as exc:
            route_errors(form, exc)
            return self.form_invalid(form)
        messages.success(self.request, _("%(name)s saved.") % {"name": self.lead})
        return redirect(reverse("leads:detail", args=[self.lead.pk]))

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(title=f"{self.title} · {self.lead}", object=self.lead,
                       verbose_name_plural=InvestmentLead._meta.verbose_name_plural,
                       list_url=reverse("leads:list"),
                       cancel_url=reverse("leads:detail", args=[self.lead.pk]),
                       multipart=getattr(self, "multipart", False))
        return context


class FollowUpView(LeadActionView):
    form_class = FollowUpForm
    title = gettext_lazy("Log a follow-up")
    multipart = True

    def act(self, data):
        self.activity = services.log_follow_up(lead=self.lead, user=self.request.user, **data)


class StageView(LeadActionView):
    form_class = StageForm
    title = gettext_lazy("Move the lead")

    def act(self, data):
        services.change_stage(lead=self.lead, user=self.request.user, **data)


class ReassignView(LeadActionView):
    form_class = ReassignForm
    title = gettext_lazy("Hand the lead over")

    def may_act(self):
        return selectors.may_reassign(self.request.user)

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "user": self.request.user}

    def act(self, data):
        services.reassign_lead(lead=self.lead, user=self.request.user, **data)


class FundsView(LeadActionView):
    form_class = FundsForm
    title = gettext_lazy("Record funds in place")

    def act(self, data):
        services.record_funds(lead=self.lead, user=self.request.user, **data)


class LandView(LeadActionView):
    form_class = LandForm
    title = gettext_lazy("Land the lead")

    def get_initial(self):
        return {**super().get_initial(), "enterprise_name": self.lead.investor,
                "project_name": self.lead.investor,
                "total_investment": self.lead.signed_amount}

    def act(self, data):
        services.land_lead(lead=self.lead, user=self.request.user, **data)


class ClocksView(RoleRequiredMixin, FormView):
    """The park's response clocks: leaders and admins read them, admins set them."""

    allowed_roles = (LEADER, ADMIN)
    template_name = "leads/clocks.html"
    form_class = ClocksForm

    def dispatch(self, request, *args, **kwargs):
        if (request.method == "POST" and request.user.is_authenticated
                and not is_admin(request.user)):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_initial(self):
        clocks = selectors.clocks_for(park_of(self.request.user))
        return {name: getattr(clocks, name) for name in
                ("answer_working_days", "assess_working_days", "feedback_days",
                 "report_days")}

    def form_valid(self, form):
        try:
            services.save_clocks(park=park_of(self.request.user), user=self.request.user,
                                 data=form.cleaned_data)
        except ValidationError as exc:
            route_errors(form, exc)
            return self.form_invalid(form)
        messages.success(self.request, _("Response clocks saved."))
        return redirect(reverse("leads:clocks"))
