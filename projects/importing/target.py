"""The 重点项目进度表 (project schedule) as an import target (imports.targets): columns in
columns.py, rows checked by validate.py, written by writer.py."""

from django.utils.translation import gettext_lazy as _

from imports.targets import Target
from projects.importing import writer
from projects.importing.columns import ScheduleMapping
from projects.importing.forms import MappingForm, UploadForm


class ScheduleTarget(Target):
    name = "schedule"
    namespace = "schedule_import"
    title = _("Import the project schedule")
    list_url = "projects:list"
    list_label = _("Projects")
    mapping_class = ScheduleMapping
    upload_form = UploadForm
    mapping_form = MappingForm
    writer = writer
    batch_template = "projects/importing/batch.html"
    upload_step = _("1. Upload the schedule")
    upload_help = (
        _("The sheet as the office keeps it: a title and a 填报单位 line above the header, "
          "two-level headers (年度计划 over 计划投资 and 其中工业投资, 1—N月完成 over 本月 and "
          "累计), section rows (一、续建项目) and 合计 lines."),
        _("Rows are matched to projects by code, else by exact name; new projects are "
          "created. The month's figures enter as submitted reports awaiting review."),)

    def options(self, cleaned_data):
        return {"year": cleaned_data.get("year"), "month": cleaned_data.get("month")}

    def analyse(self, data, *, mapping=None, options, progress=None):
        mapping, validated = writer.analyse(data, mapping=mapping, year=options.get("year"),
                                            month=options.get("month"))
        if progress is not None:
            progress(validated.total_rows)
        return mapping, validated

    def new_batch(self, *, park, data, file_name, user, mapping, validated, options):
        return writer.new_batch(park=park, data=data, file_name=file_name, user=user,
                                mapping=mapping, validated=validated, options=options)

    def summarise(self, batch, validated, counts):
        batch.summary = writer.summary_of(batch.summary, validated, counts)

    def preview_context(self, batch):
        counts = batch.summary.get("counts", {})
        labels = {"projects": _("Projects"), "plans": _("Annual plans"),
                  "reports": _("Monthly reports")}
        return {"groups": [(labels[kind], counts.get(kind, {})) for kind in writer.KINDS],
                "warnings": batch.summary.get("warnings", []),
                "period": batch.summary.get("period", {})}


TARGET = ScheduleTarget()
