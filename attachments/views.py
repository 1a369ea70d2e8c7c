"""Upload, serve and delete attachments. Every request first loads the attachment's record
through its rule (attachments.registry), i.e. the record page's own check: 404 outside the
viewer's reach, 403 where the record page refuses. Files are streamed by the app; MEDIA_ROOT is
never served directly (deploy/nginx refuses /media/)."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.storage import default_storage
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import TemplateView

from attachments import services
from attachments.forms import AttachmentForm
from attachments.models import Attachment
from attachments.registry import load_record, record_of
from parkportal.permissions import RoleRequiredMixin

# Shown in the browser; anything else is downloaded.
INLINE_TYPES = {"image/jpeg", "image/png", "image/webp", "image/gif"}


def _back(request, rule, record):
    target = request.POST.get("next") or request.GET.get("next")
    if target and url_has_allowed_host_and_scheme(target, {request.get_host()},
                                                  require_https=request.is_secure()):
        return target
    return (rule.url(record) if rule.url else None) or "/"


class UploadView(RoleRequiredMixin, View):
    http_method_names = ["post"]

    def post(self, request, label, object_id):
        rule, record = load_record(request.user, label, object_id)
        if not rule.attachable(request.user, record):
            raise PermissionDenied
        form = AttachmentForm(request.POST, request.FILES)
        if not form.is_valid():
            messages.error(request, _("Choose a file to attach; nothing was saved."))
            return redirect(_back(request, rule, record))
        upload = form.cleaned_data["file"]
        try:
            services.attach_file(record=record, file=upload, user=request.user,
                                 caption=form.cleaned_data["caption"])
        except ValidationError as exc:
            messages.error(request, f"{upload.name}: {' '.join(exc.messages)}")
        else:
            messages.success(request, _("%(name)s attached.") % {"name": upload.name})
        return redirect(_back(request, rule, record))


class ServeView(RoleRequiredMixin, View):
    """The file (or its thumbnail) after the record's own permission check."""

    thumbnail = False

    def get(self, request, pk):
        attachment = get_object_or_404(Attachment, pk=pk)
        record_of(request.user, attachment)  # 404 / 403 as the record's page
        name = attachment.thumbnail.name if self.thumbnail else attachment.file.name
        if not name or not default_storage.exists(name):
            raise Http404
        inline = self.thumbnail or attachment.mime_type in INLINE_TYPES
        response = FileResponse(default_storage.open(name, "rb"),
                                as_attachment=not inline,
                                filename=attachment.original_name if not self.thumbnail
                                else None,
                                content_type="image/jpeg" if self.thumbnail
                                else attachment.mime_type)
        if self.thumbnail:
            response["Content-Disposition"] = "inline"
        response["X-Content-Type-Options"] = "nosniff"
        response["Cache-Control"] = "private, max-age=3600"
        # A served file never runs as a page of this site, whatever it contains.
        response["Content-Security-Policy"] = "default-src 'none'; sandbox"
        return response


class DeleteView(RoleRequiredMixin, TemplateView):
    template_name = "attachments/delete.html"

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        self.attachment = get_object_or_404(Attachment, pk=kwargs["pk"])
        self.rule, self.record = record_of(request.user, self.attachment)
        if not self.rule.may_delete(request.user, self.record, self.attachment):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def post(self, request, pk):
        name = self.attachment.original_name
        services.delete_attachment(attachment=self.attachment, user=request.user,
                                   record=self.record)
        messages.success(request, _("%(name)s deleted.") % {"name": name})
        return redirect(_back(request, self.rule, self.record))

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(attachment=self.attachment, record=self.record,
                       back=_back(self.request, self.rule, self.record))
        return context
