"""The user list."""

import django_tables2 as tables
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from parkportal.generic_views import ObjectTable
from users.services import role_of

NUM = {"td": {"class": "num"}, "th": {"class": "num"}}


class UserTable(ObjectTable):
    username = tables.Column(verbose_name=_("User name"),
                             linkify=("users:detail", {"pk": tables.A("pk")}))
    first_name = tables.Column(verbose_name=_("Name"), empty_values=(),
                               order_by=("first_name", "last_name"))
    role = tables.Column(verbose_name=_("Role"), empty_values=(), orderable=False)
    is_active = tables.BooleanColumn(verbose_name=_("Active"))
    project_count = tables.Column(verbose_name=_("Projects"), attrs=NUM)
    enterprise_count = tables.Column(verbose_name=_("Enterprises"), attrs=NUM)
    last_login = tables.DateTimeColumn(verbose_name=_("Last sign-in"), format="Y-m-d H:i")

    class Meta(ObjectTable.Meta):
        model = get_user_model()
        fields = ("username", "first_name", "role", "is_active", "project_count",
                  "enterprise_count", "last_login")
        order_by = ("username",)

    def render_first_name(self, record):
        return record.get_full_name() or "—"

    def render_role(self, record):
        from users.forms import ROLE_CHOICES

        names = {group.name for group in record.groups.all()}
        labels = [str(label) for role, label in ROLE_CHOICES if role in names]
        return "、".join(labels) or "—"

    def value_role(self, record):
        return role_of(record)


class AssignedProjectTable(ObjectTable):
    code = tables.Column(verbose_name=_("Code"),
                         linkify=("projects:detail", {"code": tables.A("code")}))
    name = tables.Column(verbose_name=_("Project name"))
    stage = tables.Column(verbose_name=_("Stage"))

    class Meta(ObjectTable.Meta):
        from projects.models import Project as model

        fields = ("code", "name", "stage")


class AssignedEnterpriseTable(ObjectTable):
    name = tables.Column(verbose_name=_("Enterprise name"),
                         linkify=("enterprises:detail", {"pk": tables.A("pk")}))
    status = tables.Column(verbose_name=_("Status"))

    class Meta(ObjectTable.Meta):
        from enterprises.models import Enterprise as model

        fields = ("name", "status")
