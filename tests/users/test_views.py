"""User management at /users/: the shared view tests plus roles, assignments, passwords."""

import pytest
from django.contrib.auth.models import User
from django.urls import reverse

from parkportal.roles import ADMIN, LEADER, STAFF, roles_for
from parks.models import Park
from tests.conftest import PASSWORD, make_user
from tests.object_views import ObjectViewTests
from tests.permissions.matrix import DENIED, roles

ADMINS = roles(staff_resp=DENIED, staff_other=DENIED, leader=DENIED, admin=200)
NEW_PASSWORD = "Zhenba-2025-secure!"


class TestUserPages(ObjectViewTests):
    url_prefix = "users:"
    model = User
    access = {"list": ADMINS, "detail": ADMINS, "create": ADMINS, "edit": ADMINS}
    changed_fields = ("first_name",)
    volatile_fields = ("last_login",)
    query_budget = {"list": 5, "detail": 7}
    filter_cases = {"q": ("staff_", [0, 1]), "role": (LEADER, [2]), "is_active": ("false", [4])}

    @pytest.fixture
    def objects(self, park, staff_user, other_staff, leader, admin_user):
        return [staff_user, other_staff, leader, admin_user,
                make_user("retired", STAFF, park, is_active=False)]

    def form_data(self, objects):
        return {"username": "newstaff", "password": NEW_PASSWORD, "first_name": "赵六",
                "role": STAFF, "phone": "13800000000"}

    def edit_form_data(self, objects):
        return {"first_name": "张三丰", "role": STAFF}

    def invalid_form_data(self, objects):
        return {"role": "superhero"}


def login(client, user):
    client.force_login(user)
    return client


def test_admin_creates_a_leader_who_can_sign_in(client, admin_user, park):
    login(client, admin_user)
    response = client.post(reverse("users:create"), {
        "username": "leader2", "password": NEW_PASSWORD, "first_name": "钱七", "role": LEADER,
        "title": "副主任"})
    assert response.status_code == 302
    created = User.objects.get(username="leader2")
    assert roles_for(created) == {LEADER} and not created.is_staff
    assert created.park_member.park == park and created.park_member.title == "副主任"
    client.logout()
    assert client.login(username="leader2", password=NEW_PASSWORD)


def test_weak_password_and_taken_name_are_refused(client, admin_user, staff_user):
    login(client, admin_user)
    count = User.objects.count()
    response = client.post(reverse("users:create"), {
        "username": "weak", "password": "123", "role": STAFF})
    assert response.context["form"].errors["password"]
    response = client.post(reverse("users:create"), {
        "username": staff_user.username.upper(), "password": NEW_PASSWORD, "role": STAFF})
    assert response.context["form"].errors["username"]
    assert User.objects.count() == count


def test_role_change_and_assignments(client, admin_user, other_staff, project):
    login(client, admin_user)
    response = client.post(reverse("users:edit", args=[other_staff.pk]), {
        "role": ADMIN, "projects": [project.pk]})
    assert response.status_code == 302
    other_staff = User.objects.get(pk=other_staff.pk)
    assert roles_for(other_staff) == {ADMIN} and other_staff.is_staff
    assert other_staff in project.responsible.all()
    # The project's history says who was assigned, and by whom.
    assert project.history.filter(history_user=admin_user).exists()
    client.post(reverse("users:edit", args=[other_staff.pk]), {"role": STAFF, "projects": []})
    other_staff = User.objects.get(pk=other_staff.pk)
    assert roles_for(other_staff) == {STAFF} and not other_staff.is_staff
    assert other_staff not in project.responsible.all()


def test_admin_cannot_lock_themselves_out(client, admin_user):
    login(client, admin_user)
    response = client.post(reverse("users:edit", args=[admin_user.pk]), {"role": STAFF})
    assert "role" in response.context["form"].errors
    response = client.post(reverse("users:active", args=[admin_user.pk]), {"active": "0"})
    assert response.status_code == 302
    admin_user.refresh_from_db()
    assert admin_user.is_active and ADMIN in roles_for(User.objects.get(pk=admin_user.pk))


def test_password_reset_and_deactivation(client, admin_user, staff_user):
    login(client, admin_user)
    response = client.post(reverse("users:password", args=[staff_user.pk]), {
        "new_password1": NEW_PASSWORD, "new_password2": "different"})
    assert response.context["form"].errors["new_password2"]
    client.post(reverse("users:password", args=[staff_user.pk]), {
        "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    client.post(reverse("users:active", args=[staff_user.pk]), {"active": "0"})
    client.logout()
    assert not client.login(username=staff_user.username, password=NEW_PASSWORD)
    staff_user.refresh_from_db()
    assert staff_user.check_password(NEW_PASSWORD) and not staff_user.is_active
    login(client, admin_user).post(reverse("users:active", args=[staff_user.pk]),
                                   {"active": "1"})
    log = client.get(reverse("users:detail", args=[staff_user.pk])).context["account_log"]
    assert [entry.user for entry in log] == [admin_user] * 3  # reactivated, deactivated, reset
    client.logout()
    assert client.login(username=staff_user.username, password=NEW_PASSWORD)


def test_admin_of_another_park_cannot_touch_our_users(client, staff_user, project):
    other = Park.objects.create(name="别的园区", slug="elsewhere")
    outsider = make_user("admin_elsewhere", ADMIN, other)
    login(client, outsider)
    for name in ("users:detail", "users:edit", "users:password", "users:active"):
        assert client.get(reverse(name, args=[staff_user.pk])).status_code == 404
    client.post(reverse("users:active", args=[staff_user.pk]), {"active": "0"})
    staff_user.refresh_from_db()
    assert staff_user.is_active and staff_user.check_password(PASSWORD)
