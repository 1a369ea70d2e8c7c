"""User management for park admins at /users/: pages as configuration
(parkportal.generic_views), plus password reset and deactivation."""

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from enterprises.models import Enterprise
from parkportal.forms import route_errors
from parkportal.generic_views import (
    ObjectDetailView,
    ObjectEditView,
    ObjectListView,
    Panel,
    Related,
)
from parkportal.roles import ADMIN
from projects.models import Project
from users import selectors, services
from users.filters import UserFilter
from users.forms import ROLE_CHOICES, PasswordResetForm, UserForm
from users.tables import AssignedEnterpriseTable, AssignedProjectTable, UserTable


class UserViews:
    model = get_user_model()
    selector = selectors.visible_users
    allowed_roles = (ADMIN,)
    url_namespace = "users"

    def verbose_name(self):
        return gettext_lazy("user")


class UserListView(UserViews, ObjectListView):
    table_class = UserTable
    filterset_class = UserFilter

    def get_context_data(self, **kwargs):
        return super().get_context_data(**kwargs) | {
            "verbose_name_plural": gettext_lazy("Users and assignments")}


class UserDetailView(UserViews, ObjectDetailView):
    title_field = "username"
    panels = [Panel(gettext_lazy("Account"), ["username", "first_name", "last_name", "email",
                                              "is_active", "last_login", "date_joined"])]
    related = [
        Related(gettext_lazy("Responsible for projects"), AssignedProjectTable,
                lambda obj, user: Project.objects.filter(responsible=obj)),
        Related(gettext_lazy("Responsible for enterprises"), AssignedEnterpriseTable,
                lambda obj, user: Enterprise.objects.filter(responsible=obj)),
    ]
    template_name = "users/user_detail.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(**kwargs) | {
            "account_log": services.account_log(self.object)}

    def panel_rows(self, obj):
        panels = super().panel_rows(obj)
        member = getattr(obj, "park_member", None)
        roles = dict(ROLE_CHOICES)
        panels[0]["rows"] += [
            (_("Role"), roles.get(services.role_of(obj), "—")),
            (_("Park"), member.park if member else "—"),
            (_("Phone"), (member.phone if member else "") or "—"),
            (_("Position"), (member.title if member else "") or "—"),
        ]
        return panels


class UserEditView(UserViews, ObjectEditView):
    form_class = UserForm
    service = services.save_user


class UserPasswordView(UserViews, ObjectEditView):
    """An admin sets a new password for an account of the park."""

    form_class = PasswordResetForm

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        del kwargs["instance"], kwargs["user"]
        return kwargs

    def form_valid(self, form):
        try:
            services.reset_password(instance=self.object, user=self.request.user,
                                    password=form.cleaned_data["new_password1"])
        except ValidationError as exc:
            route_errors(form, exc)
            return self.form_invalid(form)
        messages.success(self.request, _("New password set for %(name)s.")
                         % {"name": self.object.get_username()})
        return redirect("users:detail", pk=self.object.pk)

    def get_context_data(self, **kwargs):
        return super().get_context_data(**kwargs) | {
            "title": _("New password for %(name)s") % {"name": self.object.get_username()}}


class UserActiveView(UserViews, ObjectEditView):
    """POST `active=0` deactivates the account (it can no longer sign in; its records stay),
    `active=1` reactivates it. GET shows the confirmation."""

    template_name = "users/user_active.html"

    def get_form_class(self):
        from django import forms

        return forms.Form

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        del kwargs["instance"], kwargs["user"]
        return kwargs

    def form_valid(self, form):
        active = self.request.POST.get("active") == "1"
        try:
            services.set_active(instance=self.object, user=self.request.user, active=active)
        except ValidationError as exc:
            messages.error(self.request, " ".join(exc.messages))
        except PermissionDenied:
            raise
        else:
            messages.success(self.request, (_("%(name)s can sign in again.") if active else
                                            _("%(name)s is deactivated and can no longer sign "
                                              "in."))
                             % {"name": self.object.get_username()})
        return redirect(reverse("users:detail", args=[self.object.pk]))


@login_required
@require_POST
def large_text(request):
    """Switch the signed-in user's large-text mode (any role: it is their own preference)."""
    services.set_large_text(request=request, on=request.POST.get("large_text") == "1")
    next_url = request.POST.get("next") or "/"
    if not url_has_allowed_host_and_scheme(next_url, allowed_hosts={request.get_host()},
                                           require_https=request.is_secure()):
        next_url = "/"
    return redirect(next_url)
