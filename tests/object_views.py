"""View tests as data (after NetBox's `utilities/testing/views.py`).

A model's pages built on parkportal.generic_views are tested by a subclass that declares
sample data and expectations; the tests are written once here:

    class TestPartnerPages(ObjectViewTests):
        url_prefix = "talent:partner_"
        model = PartnerOrganization
        filter_cases = {"q": ("中关村", [0])}   # filter -> (value, indexes of sample objects)

        def make_objects(self, *, park, industries, staff_user):
            return [PartnerOrganization.objects.create(park=park, name="中关村…"), ...]

        def form_data(self, objects):
            return {"name": "新机构"}

Checked: every page (list, detail, create, edit, delete) for every persona; every filter of
the list's FilterSet has a case and returns exactly the expected rows; every sortable column
sorts both ways; a refused write (wrong role, bad input) changes no row and no history; an
admin's edit is written, recorded and shown in the object's history.
"""

import pytest
from django.urls import NoReverseMatch, reverse

from tests.conftest import make_user
from tests.permissions.matrix import (
    ADMIN,
    ANON,
    DENIED,
    LEADER,
    LOGIN,
    STAFF_OTHER,
    STAFF_RESP,
    roles,
)

READ = roles(staff_resp=200, staff_other=200, leader=200, admin=200)
WRITE = roles(staff_resp=DENIED, staff_other=DENIED, leader=DENIED, admin=200)


def check_status(response, expected, label):
    status = response.status_code
    if expected == LOGIN:
        assert status == 302 and "/accounts/login/" in response["Location"], (
            f"{label}: expected the login page, got {status}")
    elif isinstance(expected, tuple):
        assert status in expected, f"{label}: expected one of {expected}, got {status}"
    else:
        assert status == expected, f"{label}: expected {expected}, got {status}"


def table_pks(response) -> list:
    return [row.record.pk for row in response.context["table"].page.object_list]


class ObjectViewTests:
    """Subclass as Test…; see the module docstring. Override `access` to change who may
    open which page (persona -> expected status, as in tests/permissions/matrix.py)."""

    url_prefix: str = ""
    model = None
    access = {"list": READ, "detail": READ, "create": WRITE, "edit": WRITE, "delete": WRITE}
    filter_cases: dict = {}
    # Fields of the form data the admin's edit is checked against.
    changed_fields: tuple = ()
    # Columns that change by merely using the site (a sign-in's last_login).
    volatile_fields: tuple = ()
    # Most queries an admin's list and detail page may take (None: not pinned). Sessions and
    # the user cost the same on every page; the rest must not grow with the rows shown.
    query_budget: dict = {"list": None, "detail": None}

    # --- what a subclass declares --------------------------------------------------------

    def make_objects(self, *, park, industries, staff_user) -> list:
        raise NotImplementedError

    def form_data(self, objects) -> dict:
        raise NotImplementedError

    def edit_form_data(self, objects) -> dict:
        """Data an admin's edit of objects[0] saves (default: `form_data`)."""
        return self.form_data(objects)

    def invalid_form_data(self, objects) -> dict:
        """Data the form or the service refuses (default: the form emptied)."""
        return {}

    # --- fixtures ------------------------------------------------------------------------

    @pytest.fixture
    def personas(self, staff_user, other_staff, leader, admin_user):
        return {STAFF_RESP: staff_user, STAFF_OTHER: other_staff, LEADER: leader,
                ADMIN: admin_user}

    @pytest.fixture
    def objects(self, park, industries, staff_user):
        objects = self.make_objects(park=park, industries=industries, staff_user=staff_user)
        assert len(objects) >= 2, "give at least two sample objects"
        return objects

    # --- helpers -------------------------------------------------------------------------

    def url(self, page, obj=None):
        return reverse(f"{self.url_prefix}{page}", args=[obj.pk] if obj is not None else [])

    def pages(self, objects):
        pages = {"list": self.url("list"), "create": self.url("create"),
                 "detail": self.url("detail", objects[0]), "edit": self.url("edit", objects[0])}
        try:
            pages["delete"] = self.url("delete", objects[0])
        except NoReverseMatch:
            pass
        return pages

    def snapshot(self):
        rows = [{k: v for k, v in row.items() if k not in self.volatile_fields}
                for row in self.model._base_manager.order_by("pk").values()]
        history = getattr(self.model, "history", None)
        return rows, history.count() if history is not None else None

    def client_for(self, client, personas, persona):
        client.logout()
        if persona != ANON:
            client.force_login(personas[persona])
        return client

    # --- the tests -----------------------------------------------------------------------

    def test_every_page_for_every_persona(self, client, objects, personas):
        for page, url in self.pages(objects).items():
            for persona in (ANON, *personas):
                response = self.client_for(client, personas, persona).get(url)
                check_status(response, self.access[page][persona], f"GET {url} as {persona}")

    def test_another_parks_objects_are_not_found(self, client, objects, industries):
        from parks.models import Park

        other = Park.objects.create(name="别的园区", slug="otherpark")
        outsider = make_user("admin_elsewhere", "admin", other)
        client.force_login(outsider)
        for page, url in self.pages(objects).items():
            if page in ("list", "create"):
                continue
            assert client.get(url).status_code == 404, f"GET {url} from another park"
        listed = set(table_pks(client.get(self.url("list"))))
        assert not listed & {obj.pk for obj in objects}

    def test_every_filter(self, client, objects, personas):
        client.force_login(personas[ADMIN])
        response = client.get(self.url("list"))
        names = set(response.context["filter"].filters)
        assert names == set(self.filter_cases), (
            f"filters without a test case: {sorted(names - set(self.filter_cases))}")
        for name, (value, expected) in self.filter_cases.items():
            response = client.get(self.url("list"), {name: value})
            assert response.status_code == 200
            assert sorted(table_pks(response)) == sorted(objects[i].pk for i in expected), (
                f"filter {name}={value!r}")

    def test_every_sortable_column(self, client, objects, personas):
        client.force_login(personas[ADMIN])
        table = client.get(self.url("list")).context["table"]
        sortable = [column.name for column in table.columns if column.orderable]
        assert sortable, "no sortable column"
        for name in sortable:
            pks = {}
            for order in (name, f"-{name}"):
                response = client.get(self.url("list"), {"sort": order})
                assert response.status_code == 200, f"sort={order}"
                pks[order] = table_pks(response)
            assert sorted(pks[name]) == sorted(o.pk for o in objects), f"sort={name}"
            assert sorted(pks[f"-{name}"]) == sorted(pks[name]), f"sort=-{name}"

    def test_query_budget(self, client, objects, personas):
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        client.force_login(personas[ADMIN])
        for page, url in (("list", self.url("list")), ("detail", self.url("detail", objects[0]))):
            budget = self.query_budget.get(page)
            if budget is None:
                continue
            client.get(url)  # warm caches (content types, translations)
            with CaptureQueriesContext(connection) as queries:
                assert client.get(url).status_code == 200
            assert len(queries) <= budget, (
                f"{page}: {len(queries)} queries, budget {budget}:\n"
                + "\n".join(q["sql"][:160] for q in queries.captured_queries))

    def test_export_has_every_row(self, client, objects, personas):
        client.force_login(personas[ADMIN])
        response = client.get(self.url("list"), {"_export": "csv"})
        if "text/csv" not in response.get("Content-Type", ""):
            pytest.skip("no export on this list")
        lines = response.content.decode("utf-8-sig").strip().splitlines()
        assert len(lines) == len(objects) + 1

    def test_refused_writes_change_nothing(self, client, objects, personas):
        before = self.snapshot()
        pages = self.pages(objects)
        for persona in (ANON, *personas):
            self.client_for(client, personas, persona)
            for page in ("create", "edit", "delete"):
                if page not in pages or self.access[page][persona] == 200:
                    continue
                response = client.post(pages[page], self.form_data(objects))
                assert response.status_code in (302, 403, 404), f"POST {page} as {persona}"
        assert self.snapshot() == before

    def test_invalid_input_writes_nothing(self, client, objects, personas):
        client.force_login(personas[ADMIN])
        before = self.snapshot()
        for url in (self.url("create"), self.url("edit", objects[0])):
            response = client.post(url, self.invalid_form_data(objects))
            assert response.status_code == 200, f"POST {url}"
            assert response.context["form"].errors, f"POST {url}: no error shown"
            assert "is-invalid" in response.content.decode() or \
                response.context["form"].non_field_errors()
        assert self.snapshot() == before

    def test_admin_creates_and_edits_with_history(self, client, objects, personas):
        client.force_login(personas[ADMIN])
        data = self.form_data(objects)
        count = self.model.objects.count()
        response = client.post(self.url("create"), data)
        assert response.status_code == 302, (
            response.context["form"].errors if response.context else response.status_code)
        assert self.model.objects.count() == count + 1
        created = self.model.objects.order_by("-pk").first()
        data = self.edit_form_data(objects)
        response = client.post(self.url("edit", objects[0]), data)
        assert response.status_code == 302, (
            response.context["form"].errors if response.context else response.status_code)
        edited = self.model.objects.get(pk=objects[0].pk)
        for name in self.changed_fields or ():
            expected = self.model._meta.get_field(name).to_python(data[name])
            assert getattr(edited, name) == expected, name
        history = getattr(self.model, "history", None)
        if history is not None:
            assert history.filter(id=created.pk, history_type="+",
                                  history_user=personas[ADMIN]).exists()
            assert history.filter(id=edited.pk, history_type="~",
                                  history_user=personas[ADMIN]).exists()
            page = client.get(self.url("detail", edited)).content.decode()
            assert 'id="history"' in page

    def test_admin_deletes(self, client, objects, personas):
        pages = self.pages(objects)
        if "delete" not in pages:
            pytest.skip("the domain keeps these records")
        client.force_login(personas[ADMIN])
        response = client.post(pages["delete"])
        assert response.status_code == 302
        assert not self.model.objects.filter(pk=objects[0].pk).exists()
