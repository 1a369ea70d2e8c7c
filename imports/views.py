"""The import wizard of every target (admins only): upload → preview and mapping → commit →
progress → done. Each view is given its target's name (imports.urls.wizard_urls); the target
(imports.targets) provides the forms, the reading and the writing."""

from django.conf import settings
from django.contrib import messages
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views import View

from enterprises.models import ImportBatch
from imports.headers import AmbiguousColumns
from imports.queue import (
    cancel_batch,
    expire_lost_batches,
    refresh_batch,
    retry_batch,
    runs_in_background,
    start_batch,
)
from imports.reader import ImportFileError
from imports.report import error_report
from imports.targets import get_target
from parkportal.permissions import RoleRequiredMixin, park_of, scope_to_park
from parkportal.roles import ADMIN

PREVIEW_ERROR_ROWS = 500
RECENT_BATCHES = 15


class AdminOnlyMixin(RoleRequiredMixin):
    allowed_roles = (ADMIN,)
    target_name = "enterprises"

    @property
    def target(self):
        return get_target(self.target_name)

    def batches(self):
        return scope_to_park(ImportBatch.objects.select_related("park", "created_by")
                             .filter(target=self.target_name), self.request.user)

    def get_batch(self, pk, **extra) -> ImportBatch:
        return get_object_or_404(self.batches(), pk=pk, **extra)

    def redirect_to_batch(self, batch):
        return redirect(f"{self.target.namespace}:batch", pk=batch.pk)

    def get_context(self, **context):
        return {"target": self.target, "ns": self.target.namespace, **context}


class UploadView(AdminOnlyMixin, View):
    def context(self, form):
        expire_lost_batches()  # the list shows no import as "running" whose worker is gone
        return self.get_context(
            form=form, batches=self.batches()[:RECENT_BATCHES],
            max_mb=settings.IMPORT_MAX_UPLOAD_BYTES // (1024 * 1024),
            max_rows=f"{settings.IMPORT_MAX_ROWS:,}")

    def get(self, request):
        form = self.target.upload_form(park=park_of(request.user))
        return render(request, self.target.upload_template, self.context(form))

    def post(self, request):
        target = self.target
        form = target.upload_form(request.POST, request.FILES, park=park_of(request.user))
        if not form.is_valid():
            return render(request, target.upload_template, self.context(form), status=400)
        upload = form.cleaned_data["file"]
        data = upload.read()
        park = form.get_park()
        options = target.options(form.cleaned_data)
        try:
            try:
                mapping, validated = target.analyse(data, options=options)
            except AmbiguousColumns as exc:
                # Nothing can be checked before the admin chooses: a preview that asks.
                mapping, validated, counts = exc.mapping, None, None
            else:
                counts = target.classify(park, validated, options)
        except ImportFileError as exc:
            form.add_error("file", str(exc))
            return render(request, target.upload_template, self.context(form), status=400)
        batch = target.new_batch(park=park, data=data, file_name=upload.name,
                                 user=request.user, mapping=mapping, validated=validated,
                                 options=options)
        target.store_preview(batch, mapping, validated, counts)
        return self.redirect_to_batch(batch)


class BatchView(AdminOnlyMixin, View):
    """Preview while previewed, a progress bar while queued or running, the result after."""

    def render_batch(self, request, batch, form=None, status=200):
        target = self.target
        mapping = target.mapping_class.from_json(batch.column_mapping)
        if form is None and batch.state == ImportBatch.State.PREVIEWED:
            form = target.mapping_form(mapping=mapping, initial={
                "strict": batch.strict, **target.batch_options(batch)})
        errors = batch.errors[:PREVIEW_ERROR_ROWS]
        return render(request, target.batch_template, self.get_context(
            batch=batch, form=form, mapping=mapping, errors=errors,
            more_errors=max(0, len(batch.errors) - len(errors)),
            ignored=mapping.ignored,
            mapped=[(mapping.headers[i], name) for name, i in mapping.columns.items()],
            background=runs_in_background(batch),
            ambiguous=bool(mapping.ambiguous),
            blocked=bool(mapping.ambiguous) or (batch.strict and batch.rejected_count > 0),
            **target.preview_context(batch)), status=status)

    def get(self, request, pk):
        return self.render_batch(request, refresh_batch(self.get_batch(pk)))

    def post(self, request, pk):
        """Re-check the preview with a corrected mapping and options."""
        target = self.target
        batch = self.get_batch(pk)
        if batch.state != ImportBatch.State.PREVIEWED:
            return self.redirect_to_batch(batch)
        form = target.mapping_form(
            request.POST, mapping=target.mapping_class.from_json(batch.column_mapping))
        if not form.is_valid():
            return self.render_batch(request, batch, form, status=400)
        mapping = form.new_mapping()
        batch.strict = form.cleaned_data["strict"]
        options = {**target.batch_options(batch), **target.options(form.cleaned_data)}
        target.store_options(batch, options)
        try:
            with batch.file.open("rb") as handle:
                mapping, validated = target.analyse(handle.read(), mapping=mapping,
                                                    options=options)
            counts = target.classify(batch.park, validated, options)
        except ImportFileError as exc:
            form.add_error(None, str(exc))
            return self.render_batch(request, batch, form, status=400)
        target.store_preview(batch, mapping, validated, counts)
        messages.info(request, _("The preview was checked again with your changes."))
        return self.redirect_to_batch(batch)


class CommitView(AdminOnlyMixin, View):
    def post(self, request, pk):
        batch = self.get_batch(pk)
        mapping = self.target.mapping_class.from_json(batch.column_mapping)
        if mapping.ambiguous:
            messages.warning(request, _("Choose the columns marked in the mapping first."))
        elif not start_batch(batch):  # a second click, or another admin was quicker
            messages.info(request, _("This import was already started."))
        return self.redirect_to_batch(batch)


class RetryView(AdminOnlyMixin, View):
    def post(self, request, pk):
        batch = self.get_batch(pk)
        if retry_batch(batch):
            messages.success(request, _("The import was started again."))
        else:
            messages.warning(request, _("Only a failed import can be retried."))
        return self.redirect_to_batch(batch)


class CancelView(AdminOnlyMixin, View):
    def post(self, request, pk):
        batch = self.get_batch(pk)
        if cancel_batch(batch, user=request.user):
            messages.success(request, _("The import was cancelled; nothing was written."))
        else:
            messages.warning(request, _("This import has already finished."))
        return self.redirect_to_batch(batch)


class StatusView(AdminOnlyMixin, View):
    """The progress bar alone, polled by the batch page; tells htmx to reload when done."""

    def get(self, request, pk):
        batch = refresh_batch(self.get_batch(pk))
        response = render(request, "imports/_progress.html", self.get_context(batch=batch))
        if batch.state not in (ImportBatch.State.QUEUED, ImportBatch.State.RUNNING):
            response["HX-Refresh"] = "true"
        return response


class ErrorReportView(AdminOnlyMixin, View):
    def get(self, request, pk):
        batch = self.get_batch(pk)
        stem = batch.file_name.rsplit(".", 1)[0] or "import"
        response = HttpResponse(
            error_report(batch, self.target.mapping_class),
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
