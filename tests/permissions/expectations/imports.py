"""Enterprise import (issue 5) — written by the staff-workflow engineer for the URLs that
existed when the matrix landed; the import engineer owns this module from now on.
SPEC §5: import is for admins only."""

from django.core.files.base import ContentFile

from tests.permissions.matrix import ADMIN, DENIED, Case, roles

CSV = "企业名称,统一社会信用代码\n矩阵测试企业,91610728MA6YQ3W27J\n".encode()


def _batch(world):
    """A committed batch with its original file (created once per world)."""
    from enterprises.models import ImportBatch

    if not hasattr(world, "import_batch"):
        batch = ImportBatch.objects.create(
            park=world.park, created_by=world.users[ADMIN], file_name="企业名单.csv",
            file_sha256="0" * 64, state=ImportBatch.State.COMMITTED,
            column_mapping={"header_row": 0, "headers": ["企业名称", "统一社会信用代码"],
                            "columns": {"name": 0, "credit_code": 1}, "units": {}},
            total_rows=1, processed_rows=1, unchanged_count=1)
        batch.file.save("matrix.csv", ContentFile(CSV))
        world.import_batch = batch
    return {"pk": world.import_batch.pk}


def admin_only(admin):
    return roles(staff_resp=DENIED, staff_other=DENIED, leader=DENIED, admin=admin)


CASES = {
    # An empty upload is a bad request with the form's message.
    "imports:upload": Case(get=admin_only(200), post=admin_only(400)),
    # A committed batch shows its result; a POST to it only redirects back.
    "imports:batch": Case(get=admin_only(200), post=admin_only(302), kwargs=_batch),
    "imports:commit": Case(get=admin_only(405), post=admin_only(302), kwargs=_batch),
    # A committed batch can be neither retried nor cancelled: both redirect back to it.
    "imports:retry": Case(get=admin_only(405), post=admin_only(302), kwargs=_batch),
    "imports:cancel": Case(get=admin_only(405), post=admin_only(302), kwargs=_batch),
    "imports:status": Case(get=admin_only(200), post=admin_only(405), kwargs=_batch),
    "imports:errors": Case(get=admin_only(200), post=admin_only(405), kwargs=_batch),
    "imports:file": Case(get=admin_only(200), post=admin_only(405), kwargs=_batch),
}


# --- the schedule import (issue 14): the same wizard, its own batches -----------------------

SCHEDULE = "项目名称,总投资\n矩阵测试项目,100\n".encode()


def _schedule_batch(world):
    from enterprises.models import ImportBatch

    if not hasattr(world, "schedule_batch"):
        batch = ImportBatch.objects.create(
            park=world.park, created_by=world.users[ADMIN], file_name="进度表.csv",
            file_sha256="0" * 64, state=ImportBatch.State.COMMITTED, target="schedule",
            column_mapping={"header_row": 1, "headers": ["项目名称", "总投资"],
                            "columns": {"name": 0, "total_investment": 1}, "units": {}},
            summary={"options": {"year": 2025, "month": 3}},
            total_rows=1, processed_rows=1, unchanged_count=1)
        batch.file.save("matrix-schedule.csv", ContentFile(SCHEDULE))
        world.schedule_batch = batch
    return {"pk": world.schedule_batch.pk}


CASES.update({
    "schedule_import:upload": Case(get=admin_only(200), post=admin_only(400)),
    "schedule_import:batch": Case(get=admin_only(200), post=admin_only(302),
                                  kwargs=_schedule_batch),
    "schedule_import:commit": Case(get=admin_only(405), post=admin_only(302),
                                   kwargs=_schedule_batch),
    "schedule_import:retry": Case(get=admin_only(405), post=admin_only(302),
                                  kwargs=_schedule_batch),
    "schedule_import:cancel": Case(get=admin_only(405), post=admin_only(302),
                                   kwargs=_schedule_batch),
    "schedule_import:status": Case(get=admin_only(200), post=admin_only(405),
                                   kwargs=_schedule_batch),
    "schedule_import:errors": Case(get=admin_only(200), post=admin_only(405),
                                   kwargs=_schedule_batch),
    "schedule_import:file": Case(get=admin_only(200), post=admin_only(405),
                                 kwargs=_schedule_batch),
})
