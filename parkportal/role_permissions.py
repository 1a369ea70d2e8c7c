"""The model permissions each role's group holds (the Django admin checks them).

Our roles are Django groups (parkportal.roles). Only the `admin` role works in the Django admin,
and there only on its own park's records (parkportal.admin_scoping). The admin group gets:

* every permission on the park's data: projects, plans, procedures, leads, enterprises,
  visits, demands, talent, partners and centers;
* view and change on its park, view on industries and regions (shared by every park);
* view only on what a workflow writes: monthly reports (the project pages' services keep their
  version, status transitions, closed-quarter rule, reason and history), import batches (the
  import wizard), quarter closes and their corrections (the dashboard);
* users: view, add and change (in its park; never superuser status or single permissions);
* login lock-outs (django-axes): view and delete, which unlocks a user.

`ensure_role_permissions` runs after every `migrate` (post_migrate) and adds what is missing;
it never removes a permission an operator granted by hand.
"""

from django.contrib.auth.models import Group, Permission
from django.db.models import Q

from parkportal.roles import ALL_ROLES

ADMIN_FULL_APPS = ("projects", "enterprises", "talent")
ALL_ACTIONS = ("add", "change", "delete", "view")
ADMIN_PERMISSIONS = {
    # app label: {model: actions}; models of ADMIN_FULL_APPS not listed get all four actions.
    "parks": {"park": ("view", "change"), "industry": ("view",), "region": ("view",),
              "parkmember": ALL_ACTIONS,
              "parkannualtarget": ALL_ACTIONS, "quarterclose": ("view",),
              "quarterclosecorrection": ("view",)},
    "projects": {"progressreport": ("view",)},
    "enterprises": {"importbatch": ("view",)},
    "auth": {"user": ("view", "add", "change")},
    "axes": {"accessattempt": ("view", "delete"), "accessfailurelog": ("view",),
             "accesslog": ("view",)},
}


def admin_permissions():
    """The Permission rows of the admin group."""
    wanted = Q(pk__in=[])
    for app_label in ADMIN_FULL_APPS:
        special = ADMIN_PERMISSIONS.get(app_label, {})
        wanted |= Q(content_type__app_label=app_label) & ~Q(content_type__model__in=special)
    for app_label, models in ADMIN_PERMISSIONS.items():
        for model, actions in models.items():
            wanted |= Q(content_type__app_label=app_label, content_type__model=model,
                        codename__in=[f"{action}_{model}" for action in actions])
    return Permission.objects.filter(wanted)


def ensure_role_permissions(**_kwargs) -> None:
    """Create the three role groups and give the admin group its permissions (idempotent)."""
    groups = {name: Group.objects.get_or_create(name=name)[0] for name in ALL_ROLES}
    groups["admin"].permissions.add(*admin_permissions())
