"""Every column a user can sort a list by is backed by an index (issue 4, item 7).

Walks every django-tables2 table of projects/ and enterprises/ and, for each orderable column
(hidden ones too: `?sort=` and the exports reach them), follows what it orders by to a model
field that must be indexed: `db_index`, unique, primary key, a foreign key, or the first column
of a Meta index or unique constraint. Ordering by a relation orders by the related model's
`Meta.ordering` (or the foreign key itself without one), so that is followed too. A computed
column (an annotation) cannot be indexed: it must be `orderable=False`.
"""

import inspect

import django_tables2 as tables
import pytest
from django.core.exceptions import FieldDoesNotExist
from django.db import models

from enterprises import tables as enterprise_tables
from projects import tables as project_tables
from projects.models import Project

TABLE_MODULES = (project_tables, enterprise_tables)


def all_tables():
    return [cls for module in TABLE_MODULES for _name, cls in inspect.getmembers(module)
            if inspect.isclass(cls) and issubclass(cls, tables.Table)
            and cls.__module__ == module.__name__]


def is_indexed(model, field) -> bool:
    if field.primary_key or field.unique or field.db_index:  # ForeignKey: db_index=True
        return True
    meta = model._meta
    firsts = [index.fields[0].lstrip("-") for index in meta.indexes if index.fields]
    firsts += [constraint.fields[0] for constraint in meta.constraints
               if isinstance(constraint, models.UniqueConstraint) and constraint.fields]
    firsts += [fields[0] for fields in meta.unique_together]
    return field.name in firsts


def unindexed(model, path: str, trail: str = "") -> list[str]:
    """What `order_by(path)` sorts on that has no index (empty when all is indexed)."""
    trail = trail or f"{model.__name__}.{path}"
    *relations, last = path.lstrip("-").split("__")
    try:
        for name in relations:
            relation = model._meta.get_field(name)
            if not (relation.many_to_one or relation.one_to_one):
                return [f"{trail}: {name} is not a foreign key"]
            if not is_indexed(model, relation):
                return [f"{trail}: {model.__name__}.{name}"]
            model = relation.related_model
        field = model._meta.get_field(last)
    except FieldDoesNotExist:
        return [f"{trail}: not a model field (computed columns must be orderable=False)"]
    if not field.is_relation:
        return [] if is_indexed(model, field) else [f"{trail}: {model.__name__}.{last}"]
    if not (field.many_to_one or field.one_to_one) or not is_indexed(model, field):
        return [f"{trail}: {model.__name__}.{last}"]
    ordering = field.related_model._meta.ordering
    if not ordering:  # orders by the foreign key column itself
        return []
    # Django orders by the related model's ordering; its first field decides the index use.
    return unindexed(field.related_model, ordering[0], trail)


def unindexed_sort_columns(table_class) -> list[str]:
    model = table_class._meta.model
    table = table_class(model.objects.none())
    problems = []
    for column in table.columns.all():  # hidden columns too
        if not column.orderable:
            continue
        for accessor in column.order_by:
            problems += [f"{table_class.__name__}.{column.name}: {problem}"
                         for problem in unindexed(model, accessor.for_queryset())]
    return problems


def test_the_tables_are_found():
    assert {cls.__name__ for cls in all_tables()} >= {"ProjectTable", "EnterpriseTable",
                                                       "DemandTable"}


@pytest.mark.parametrize("table_class", all_tables(), ids=lambda cls: cls.__name__)
def test_every_sortable_column_is_indexed(table_class):
    assert unindexed_sort_columns(table_class) == []


def test_an_unindexed_sortable_column_is_caught():
    class Careless(project_tables.ProjectTable):
        construction_content = tables.Column()  # a text field without an index
        year_rate = tables.Column(empty_values=())  # computed, left orderable

        class Meta(project_tables.ProjectTable.Meta):
            fields = (*project_tables.ProjectTable.Meta.fields, "construction_content")

    problems = unindexed_sort_columns(Careless)
    assert any("construction_content" in p and "Project.construction_content" in p
               for p in problems)
    assert any("year_rate" in p and "computed" in p for p in problems)
    assert unindexed(Project, "industry__name_en") == [
        "Project.industry__name_en: Industry.name_en"]
    assert unindexed(Project, "industry__name") == []  # unique
    assert unindexed(Project, "owner_enterprise") == []  # → Enterprise.name, indexed
