import django_filters
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from parkportal.generic_views import ObjectFilterSet
from users.forms import ROLE_CHOICES

ACTIVE = (("", _("All")), ("true", _("Active")), ("false", _("Deactivated")))


class UserFilter(ObjectFilterSet):
    search_fields = ("username", "first_name", "last_name", "email")
    role = django_filters.ChoiceFilter(label=_("Role"), choices=ROLE_CHOICES,
                                       field_name="groups__name", empty_label=_("All"))
    is_active = django_filters.TypedChoiceFilter(label=_("Status"), choices=ACTIVE,
                                                 coerce=lambda v: v == "true")

    class Meta:
        model = get_user_model()
        fields = ["q", "role", "is_active"]
