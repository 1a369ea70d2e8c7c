"""The in-app inbox: a person's reminders, newest day first, and which kinds they mute."""

from django import forms
from django.contrib import messages
from django.shortcuts import redirect
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView, View

from parkportal.permissions import RoleRequiredMixin
from reminders import services
from reminders.models import Kind
from reminders.selectors import muted_kinds

# Where each kind of reminder is dealt with.
KIND_URLS = {Kind.REPORTS_DUE: "home", Kind.REPORTS_LATE: "home",
             Kind.DEMANDS_DUE: "enterprises:demands", Kind.PROCEDURES_OVERDUE: "projects:list",
             Kind.LEADS_DUE: "leads:list"}


def kind_url(kind) -> str:
    try:
        return reverse(KIND_URLS[kind])
    except NoReverseMatch:
        return reverse("home")


class MuteForm(forms.Form):
    muted = forms.MultipleChoiceField(label=gettext_lazy("Do not remind me of"),
                                      choices=Kind.choices, required=False,
                                      widget=forms.CheckboxSelectMultiple)


class InboxView(RoleRequiredMixin, TemplateView):
    template_name = "reminders/inbox.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        items = list(user.inbox_items.all()[:60])
        for item in items:
            item.url = kind_url(item.kind)
        context.update(items=items, unread=sum(i.read_at is None for i in items),
                       mute_form=MuteForm(initial={"muted": sorted(muted_kinds(user))}))
        return context


class MarkReadView(RoleRequiredMixin, View):
    http_method_names = ["post"]

    def post(self, request):
        services.mark_read(user=request.user)
        return redirect("reminders:inbox")


class MuteView(RoleRequiredMixin, View):
    http_method_names = ["post"]

    def post(self, request):
        form = MuteForm(request.POST)
        if not form.is_valid():
            messages.error(request, _("Unknown kind of reminder; nothing was changed."))
            return redirect("reminders:inbox")
        services.set_mutes(user=request.user, kinds=form.cleaned_data["muted"])
        messages.success(request, _("Your reminder settings were saved."))
        return redirect("reminders:inbox")
