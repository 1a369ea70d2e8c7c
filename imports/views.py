"""The import wizard (admins only): upload → preview and mapping → commit → progress → done."""

from django.conf import settings
from django.contrib import messages
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views import View

from enterprises.importing.forms import MappingForm, UploadForm
from enterprises.importing.headers import ColumnMapping
from enterprises.importing.queue import (
    cancel_batch,
    expire_lost_batches,
    refresh_batch,
    retry_batch,
    runs_in_background,
    start_batch,
)
from enterprises.importing.reader import ImportFileError
from enterprises.importing.report import error_report
from enterprises.importing.writer import analyse, classify, new_batch
from enterprises.models import ImportBatch
from parkportal.permissions import RoleRequiredMixin, park_of, scope_to_park
from parkportal.roles import ADMIN

PREVIEW_ERROR_ROWS = 500
RECENT_BATCHES = 15


class AdminOnlyMixin(RoleRequiredMixin):
    allowed_roles = (ADMIN,)

    def get_batch(self, pk, **extra) -> ImportBatch:
        batches = scope_to_park(ImportBatch.objects.select_related("park", "created_by"),
                                self.request.user)
        return get_object_or_404(batches, pk=pk, **extra)


def _store_preview(batch: ImportBatch, mapping: ColumnMapping, outcome_validated, counts):
    batch.column_mapping = mapping.to_json()
    batch.total_rows = outcome_validated.total_rows
    batch.rejected_count = outcome_validated.rejected_rows
    batch.errors = outcome_validated.error_dicts()
    batch.created_count, batch.updated_count = counts.created, counts.updated
    batch.unchanged_count = counts.unchanged
    batch.save()


class UploadView(AdminOnlyMixin, View):
    template_name = "enterprises/importing/upload.html"

    def context(self, form):
        expire_lost_batches()  # the list shows no import as "running" whose worker is gone
        batches = scope_to_park(ImportBatch.objects.select_related("park", "created_by"),
                                self.request.user)[:RECENT_BATCHES]
        return {"form": form, "batches": batches,
                "max_mb": settings.IMPORT_MAX_UPLOAD_BYTES // (1024 * 1024),
                "max_rows": f"{settings.IMPORT_MAX_ROWS:,}"}

    def get(self, request):
        return render(request, self.template_name,
                      self.context(UploadForm(park=park_of(request.user))))

    def post(self, request):
        form = UploadForm(request.POST, request.FILES, park=park_of(request.user))
        if not form.is_valid():
            return render(request, self.template_name, self.context(form), status=400)
        upload = form.cleaned_data["file"]
        data = upload.read()
        park = form.get_park()
        try:
            mapping, validated = analyse(data)
            counts = classify(park, validated)
        except ImportFileError as exc:
            form.add_error("file", str(exc))
            return render(request, self.template_name, self.context(form), status=400)
        batch = new_batch(park=park, data=data, file_name=upload.name, user=request.user,
                          mapping=mapping, validated=validated)
        _store_preview(batch, mapping, validated, counts)
        return redirect("imports:batch", pk=batch.pk)


class BatchView(AdminOnlyMixin, View):
    """Preview while previewed, a progress bar while queued or running, the result after."""

    template_name = "enterprises/importing/batch.html"

    def render_batch(self, request, batch, form=None, status=200):
        mapping = ColumnMapping.from_json(batch.column_mapping)
        if form is None and batch.state == ImportBatch.State.PREVIEWED:
            form = MappingForm(mapping=mapping, initial={
                "strict": batch.strict, "accept_bad_checksum": batch.accept_bad_checksum})
        errors = batch.errors[:PREVIEW_ERROR_ROWS]
        return render(request, self.template_name, {
            "batch": batch, "form": form, "mapping": mapping, "errors": errors,
            "more_errors": max(0, len(batch.errors) - len(errors)),
            "ignored": mapping.ignored,
            "mapped": [(mapping.headers[i], name) for name, i in mapping.columns.items()],
            "background": runs_in_background(batch),
            "blocked": batch.strict and batch.rejected_count > 0,
        }, status=status)

    def get(self, request, pk):
        return self.render_batch(request, refresh_batch(self.get_batch(pk)))

    def post(self, request, pk):
        """Re-check the preview with a corrected mapping and options."""
        batch = self.get_batch(pk)
        if batch.state != ImportBatch.State.PREVIEWED:
            return redirect("imports:batch", pk=batch.pk)
        form = MappingForm(request.POST, mapping=ColumnMapping.from_json(batch.column_mapping))
        if not form.is_valid():
            return self.render_batch(request, batch, form, status=400)
        mapping = form.new_mapping()
        batch.strict = form.cleaned_data["strict"]
        batch.accept_bad_checksum = form.cleaned_data["accept_bad_checksum"]
        try:
            with batch.file.open("rb") as handle:
                mapping, validated = analyse(handle.read(), mapping=mapping,
                                             accept_bad_checksum=batch.accept_bad_checksum)
            counts = classify(batch.park, validated)
        except ImportFileError as exc:
            form.add_error(None, str(exc))
            return self.render_batch(request, batch, form, status=400)
        _store_preview(batch, mapping, validated, counts)
        messages.info(request, _("The preview was checked again with your changes."))
        return redirect("imports:batch", pk=batch.pk)


class CommitView(AdminOnlyMixin, View):
    def post(self, request, pk):
        batch = self.get_batch(pk)
        if not start_batch(batch):  # a second click, or another admin was quicker
            messages.info(request, _("This import was already started."))
        return redirect("imports:batch", pk=batch.pk)


class RetryView(AdminOnlyMixin, View):
    def post(self, request, pk):
        batch = self.get_batch(pk)
        if retry_batch(batch):
            messages.success(request, _("The import was started again."))
        else:
            messages.warning(request, _("Only a failed import can be retried."))
        return redirect("imports:batch", pk=batch.pk)


class CancelView(AdminOnlyMixin, View):
    def post(self, request, pk):
        batch = self.get_batch(pk)
        if cancel_batch(batch, user=request.user):
            messages.success(request, _("The import was cancelled; nothing was written."))
        else:
            messages.warning(request, _("This import has already finished."))
        return redirect("imports:batch", pk=batch.pk)


class StatusView(AdminOnlyMixin, View):
    """The progress bar alone, polled by the batch page; tells htmx to reload when done."""

    def get(self, request, pk):
        batch = refresh_batch(self.get_batch(pk))
        response = render(request, "enterprises/importing/_progress.html", {"batch": batch})
        if batch.state not in (ImportBatch.State.QUEUED, ImportBatch.State.RUNNING):
            response["HX-Refresh"] = "true"
        return response


class ErrorReportView(AdminOnlyMixin, View):
    def get(self, request, pk):
        batch = self.get_batch(pk)
        stem = batch.file_name.rsplit(".", 1)[0] or "import"
        response = HttpResponse(
            error_report(batch),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
        filename = _("%(name)s-rejected-rows.xlsx") % {"name": stem}
        response["Content-Disposition"] = content_disposition_header(True, filename)
        return response


class OriginalFileView(AdminOnlyMixin, View):
    def get(self, request, pk):
        batch = self.get_batch(pk)
        if not batch.file:
            raise Http404
        return FileResponse(batch.file.open("rb"), as_attachment=True,
                            filename=batch.file_name)
