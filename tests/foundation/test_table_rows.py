"""The rows of list tables rendered in Python equal what django-tables2's own template renders,
plus each cell's column header as `data-label` (the phone's card layout)."""

import re

import django_tables2 as tables
import pytest
from django.template import Context, Template
from django.test import RequestFactory
from django.test.html import parse_html

from enterprises.models import Enterprise
from enterprises.tables import EnterpriseTable
from projects.tables import ProjectTable

pytestmark = pytest.mark.django_db

STOCK = "django_tables2/bootstrap5-responsive.html"
OURS = "tables/table.html"


LABEL = re.compile(r' data-label="([^"]*)"')


def render_html(table_class, data, template_name, **kwargs):
    request = RequestFactory().get("/list/", {"sort": "-code"})
    table = table_class(data, template_name=template_name, **kwargs)
    tables.RequestConfig(request, paginate={"per_page": 25}).configure(table)
    return Template("{% load django_tables2 %}{% render_table table %}").render(
        Context({"table": table, "request": request}))


def render(table_class, data, template_name, **kwargs):
    """The table as parsed HTML, the data-label attributes left out (the stock template has
    none; `test_every_cell_is_labelled_with_its_header` holds them)."""
    return parse_html(LABEL.sub("", render_html(table_class, data, template_name, **kwargs)))


class Scored(tables.Table):
    """Per-cell attributes from the record, and a localised column: the slower path."""

    name = tables.Column(attrs={"td": {"data-long": lambda record: len(record.name) > 4}})
    registered_capital = tables.Column(localize=True)

    class Meta:
        model = Enterprise
        fields = ("name", "registered_capital")


def test_project_rows_are_the_stock_rows(project, park, admin_user):
    from projects.selectors import project_rows

    rows = project_rows(admin_user, year=2024)
    ours = render(ProjectTable, rows, OURS, year=2024)
    assert ours == render(ProjectTable, rows, STOCK, year=2024)
    assert "测试项目" in str(ours) and "4,000.00" in str(ours)


def test_enterprise_rows_and_per_cell_attributes(park, industries):
    from decimal import Decimal

    for i, name in enumerate(["短名", "一个很长的企业名称<b>"]):
        Enterprise.objects.create(park=park, name=name, credit_code=f"91610728MA6YQ3W2{i}J"[:18],
                                  registered_capital=Decimal("1234.50"))
    rows = Enterprise.objects.all()
    ours = render(EnterpriseTable, rows, OURS)
    assert ours == render(EnterpriseTable, rows, STOCK)
    assert render(Scored, rows, OURS) == render(Scored, rows, STOCK)
    assert "&lt;b&gt;" in str(ours)  # escaped, never markup


def test_empty_table_says_so(park):
    ours = render(EnterpriseTable, Enterprise.objects.none(), OURS)
    assert ours == render(EnterpriseTable, Enterprise.objects.none(), STOCK)


def test_every_cell_is_labelled_with_its_header(project, park, admin_user):
    from projects.selectors import project_rows

    html = render_html(ProjectTable, project_rows(admin_user, year=2024), OURS, year=2024)
    labels = LABEL.findall(html)
    assert labels[:4] == ["编号", "项目名称", "产业", "阶段"]
    assert "2024年计划投资（万元）" in labels
    assert html.count("<td ") == len(labels)
    # Per-cell attributes (the slower path) are labelled too.
    Enterprise.objects.create(park=park, name="短名", credit_code="91610728MA6YQ3W27J")
    assert LABEL.findall(render_html(Scored, Enterprise.objects.all(), OURS)) == [
        "企业名称", "注册资本（万元）"]
