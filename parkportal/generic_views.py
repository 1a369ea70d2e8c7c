"""Object pages as configuration (after NetBox's `netbox/views/generic/`).

A model's pages are a few declarative lines: which objects the viewer may see (`selector`,
a function of the user, e.g. `talent.selectors.visible_partners`), a table and a filterset for
the list, panels and related tables for the detail, a form and the service that writes it for
the edit, a service for the delete. The behaviour is written once here:

- every page needs one of `allowed_roles`; writes need one of `edit_roles` (403 otherwise);
- objects come only from `selector(user)`, so another park's object is a 404;
- a service's ValidationError lands on the form through `parkportal.forms.route_errors`,
  its PermissionDenied is a 403, and a refused write leaves the database as it was;
- personal fields (`personal_fields`) show as *** unless `may_see_personal(user, obj)`, on
  the page and in its history.

`object_urls()` gives the usual URL patterns for a set of these views.
"""

from dataclasses import dataclass, field

import django_filters
import django_tables2 as tables
from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
from django.db.models import ProtectedError, Q
from django.shortcuts import get_object_or_404, redirect
from django.urls import path, reverse
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import DetailView, FormView
from django_filters.views import FilterView

from parkportal.audit import history_entries
from parkportal.fields import MoneyField
from parkportal.forms import route_errors
from parkportal.listing import ListPageMixin
from parkportal.permissions import RoleRequiredMixin
from parkportal.roles import ADMIN, roles_for
from parkportal.templatetags.money import money

HIDDEN = "***"


@dataclass
class Panel:
    """A card of label / value rows on a detail page."""

    title: str
    fields: list[str]
    # Fields shown as multi-line text below the rows.
    texts: list[str] = field(default_factory=list)


@dataclass
class Related:
    """A table of related rows on a detail page: `rows(obj, user)` gives its queryset."""

    title: str
    table_class: type
    rows: object
    table_kwargs: object = None  # (view, obj) -> dict of table kwargs
    add_url: object = None  # (obj) -> URL of a page adding such a row, shown to editors


class ObjectTable(tables.Table):
    """A table that knows its viewer (`user`), to mask personal columns per row."""

    def __init__(self, *args, user=None, **kwargs):
        self.user = user
        super().__init__(*args, **kwargs)

    class Meta:
        attrs = {"class": "table table-sm table-hover align-middle mb-0"}


class ObjectFilterSet(django_filters.FilterSet):
    """A FilterSet with a `q` search over `search_fields` and small Bootstrap widgets; it
    knows its viewer (`user`) for choices scoped to the viewer's park."""

    search_fields: tuple[str, ...] = ()
    q = django_filters.CharFilter(label=gettext_lazy("Search"), method="search")

    def __init__(self, *args, user=None, **kwargs):
        self.user = user
        super().__init__(*args, **kwargs)
        for form_field in self.form.fields.values():
            widget = form_field.widget
            css = "form-select form-select-sm" if isinstance(widget, forms.Select) \
                else "form-control form-control-sm"
            widget.attrs.setdefault("class", css)

    def search(self, queryset, name, value):
        value = value.strip()
        if not value or not self.search_fields:
            return queryset
        query = Q()
        for search_field in self.search_fields:
            query |= Q(**{f"{search_field}__icontains": value})
        return queryset.filter(query)


class ObjectViewMixin(RoleRequiredMixin):
    """What every generic object view shares: the selector, roles and names."""

    model = None
    selector = None  # function(user) -> the queryset of objects the user may see
    edit_roles: tuple[str, ...] = (ADMIN,)
    url_namespace = None  # "talent": URL names "<ns>:<prefix>list", "<ns>:<prefix>detail"…
    url_prefix = ""  # e.g. "partner_" for "talent:partner_list"
    personal_fields: tuple[str, ...] = ()
    # False: the domain keeps these records (history, figures); True: a delete page exists.
    deletable = False

    def get_queryset(self):
        return type(self).selector(self.request.user)

    def url_name(self, action: str) -> str:
        return f"{self.url_namespace}:{self.url_prefix}{action}"

    def may_edit(self) -> bool:
        return bool(roles_for(self.request.user) & set(self.edit_roles))

    def may_see_personal(self, obj) -> bool:
        """Override for models with personal data (default: nothing is personal)."""
        return True

    def verbose_name(self):
        return self.model._meta.verbose_name

    def get_list_url(self):
        return reverse(self.url_name("list"))

    def get_create_url(self):
        return reverse(self.url_name("create"))

    def get_detail_url(self, obj):
        return reverse(self.url_name("detail"), args=[obj.pk])

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            verbose_name=self.verbose_name(),
            verbose_name_plural=self.model._meta.verbose_name_plural,
            list_url=self.get_list_url(),
            can_edit=self.may_edit(),
            create_url=self.get_create_url() if self.may_edit() else None,
        )
        return context


class ObjectListView(ObjectViewMixin, ListPageMixin, FilterView):
    """A filtered, sortable, exportable table (parkportal.listing)."""

    template_name = "generic/object_list.html"
    table_paginate_by = 25

    def get_table_kwargs(self):
        return {"user": self.request.user}

    def get_filterset_kwargs(self, filterset_class):
        return {**super().get_filterset_kwargs(filterset_class), "user": self.request.user}


def display_value(obj, name: str):
    """`obj.<name>` as a page shows it: choices by label, money in 万元, dates ISO, many-to-many
    joined, booleans Yes / No, empty as —."""
    model_field = obj._meta.get_field(name)
    if model_field.many_to_many:
        names = [str(getattr(o, "get_full_name", lambda: "")() or o) for o in
                 getattr(obj, name).all()]
        return "、".join(names) or "—"
    value = getattr(obj, name)
    if value is None or value == "":
        return "—"
    if model_field.choices:
        return getattr(obj, f"get_{name}_display")()
    if isinstance(model_field, MoneyField):
        return money(value)
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    if isinstance(model_field, models.DateField) and not isinstance(model_field,
                                                                      models.DateTimeField):
        return date_format(value, "Y-m-d")
    return value


class ObjectDetailView(ObjectViewMixin, DetailView):
    """Panels of fields, related tables and the change history of one object."""

    template_name = "generic/object_detail.html"
    panels: list[Panel] = []
    related: list[Related] = []
    title_field = None  # the heading; str(obj) by default

    def history_querysets(self, obj):
        """The histories shown on the page (the object's own by default)."""
        history = getattr(obj, "history", None)
        return [history.all()] if history is not None else []

    def panel_rows(self, obj):
        personal = self.may_see_personal(obj)
        shown = []
        for panel in self.panels:
            rows = [(obj._meta.get_field(name).verbose_name,
                     display_value(obj, name) if personal or name not in self.personal_fields
                     else HIDDEN) for name in panel.fields]
            texts = [(obj._meta.get_field(name).verbose_name, getattr(obj, name))
                     for name in panel.texts if getattr(obj, name)]
            shown.append({"title": panel.title, "rows": rows, "texts": texts})
        return shown

    def related_tables(self, obj):
        tables = []
        for related in self.related:
            kwargs = related.table_kwargs(self, obj) if related.table_kwargs else {}
            table = related.table_class(related.rows(obj, self.request.user), orderable=False,
                                        user=self.request.user, **kwargs)
            tables.append({"title": related.title, "table": table,
                           "add_url": related.add_url(obj) if related.add_url
                           and self.may_edit() else None})
        return tables

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        obj = self.object
        personal = self.may_see_personal(obj)
        context.update(
            title=getattr(obj, self.title_field) if self.title_field else str(obj),
            panels=self.panel_rows(obj),
            related_tables=self.related_tables(obj),
            history=history_entries(self.history_querysets(obj),
                                    exclude_fields=() if personal else self.personal_fields),
            edit_url=reverse(self.url_name("edit"), args=[obj.pk]) if self.may_edit() else None,
            delete_url=reverse(self.url_name("delete"), args=[obj.pk])
            if self.deletable and self.may_edit() else None,
        )
        return context


class ObjectEditView(ObjectViewMixin, FormView):
    """Create (no `pk` in the URL) or edit an object with `form_class`; `service` writes it:
    `service(instance=obj or None, user=user, data=cleaned_data)` returns the object."""

    template_name = "generic/object_edit.html"
    form_class = None
    service = None

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        self.object = None
        self.load_parent()
        if self.has_object():
            self.object = self.get_object()  # 404 first: another park's object is not there
        if not self.may_edit():
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    lookup = ("pk", "pk")  # (model field, URL keyword) that find the object

    def has_object(self) -> bool:
        return self.lookup[1] in self.kwargs

    def get_object(self):
        field, keyword = self.lookup
        return get_object_or_404(self.get_queryset(), **{field: self.kwargs[keyword]})

    def load_parent(self):
        """Find the object this one belongs to (a 404 when the viewer may not see it)."""

    def write(self, data: dict):
        """Call the service; returns the object written."""
        return type(self).service(instance=self.object, user=self.request.user, data=data)

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "instance": self.object, "user": self.request.user}

    def form_valid(self, form):
        try:
            obj = self.write(form.cleaned_data)
        except ValidationError as exc:
            route_errors(form, exc)
            return self.form_invalid(form)
        messages.success(self.request, _("%(name)s saved.") % {"name": obj})
        return redirect(self.get_success_url_for(obj))

    def get_success_url_for(self, obj):
        return self.get_detail_url(obj)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            object=self.object,
            title=(_("Edit %(name)s") % {"name": self.object} if self.object is not None
                   else _("Add %(name)s") % {"name": self.verbose_name()}),
            cancel_url=(self.get_detail_url(self.object) if self.object is not None
                        else self.get_list_url()),
        )
        return context


class ObjectDeleteView(ObjectEditView):
    """A confirmation page; POST calls `service(instance=obj, user=user)`."""

    template_name = "generic/object_delete.html"

    def get_form_class(self):
        return forms.Form

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs.pop("instance")
        kwargs.pop("user")
        return kwargs

    def form_valid(self, form):
        name = str(self.object)
        try:
            type(self).service(instance=self.object, user=self.request.user)
        except (ValidationError, ProtectedError) as exc:
            messages.error(self.request, " ".join(getattr(exc, "messages", [])) or _(
                "%(name)s is still referred to and cannot be deleted.") % {"name": name})
            return redirect(self.get_detail_url(self.object))
        messages.success(self.request, _("%(name)s deleted.") % {"name": name})
        return redirect(self.get_list_url())

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["title"] = _("Delete %(name)s") % {"name": self.object}
        return context


def object_urls(prefix: str, *, list_view, detail_view, edit_view, delete_view=None,
                route: str = "") -> list:
    """URL patterns `<route>`, `<route>new/`, `<route><pk>/`, `<route><pk>/edit/` (and
    `<route><pk>/delete/`) named `<prefix>list`, `<prefix>create`, `<prefix>detail`,
    `<prefix>edit` (`<prefix>delete`)."""
    patterns = [
        path(route, list_view.as_view(), name=f"{prefix}list"),
        path(f"{route}new/", edit_view.as_view(), name=f"{prefix}create"),
        path(f"{route}<int:pk>/", detail_view.as_view(), name=f"{prefix}detail"),
        path(f"{route}<int:pk>/edit/", edit_view.as_view(), name=f"{prefix}edit"),
    ]
    if delete_view is not None:
        patterns.append(path(f"{route}<int:pk>/delete/", delete_view.as_view(),
                             name=f"{prefix}delete"))
    return patterns

