"""Request-body limits applied before Django reads a byte of the body (docs/security.md).

Django reads a whole multipart body (to disk past FILE_UPLOAD_MAX_MEMORY_SIZE) as soon as
anything touches `request.POST`, which the CSRF check does before any view runs. So the size and
the sender are checked here, from the headers alone: a body declared larger than
REQUEST_MAX_BODY_BYTES gets 413, and a visitor who has not signed in may send no more than
ANONYMOUS_MAX_BODY_BYTES (a login form is a few hundred bytes; any real upload is larger) and
no body of undeclared length: 403 "sign in before uploading". nginx's
`client_max_body_size` (deploy/) stops oversized bodies even earlier.
"""

from django.conf import settings
from django.http import HttpResponse
from django.utils.translation import gettext as _

ANONYMOUS_MAX_BODY_BYTES = 64 * 1024


def _declared_length(request) -> int:
    try:
        return int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return 0


class UploadLimitMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        # The body of a refused request is never read (gunicorn's sync workers close the
        # connection after each response, so its unread rest is never parsed as a request).
        return self.refuse(request) or self.get_response(request)

    def refuse(self, request) -> HttpResponse | None:
        if request.method in ("GET", "HEAD", "OPTIONS"):
            return None
        length = _declared_length(request)
        limit = settings.REQUEST_MAX_BODY_BYTES
        if length > limit:
            return HttpResponse(
                _("The request is %(size)s MB, more than the allowed %(limit)s MB.")
                % {"size": f"{length / 1048576:.1f}", "limit": f"{limit / 1048576:.0f}"},
                status=413, content_type="text/plain; charset=utf-8")
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            return None
        if length > ANONYMOUS_MAX_BODY_BYTES or (
                not length and "HTTP_TRANSFER_ENCODING" in request.META):
            # An upload (or a body of unknown length) from somebody who has not signed in.
            return HttpResponse(_("Sign in before uploading a file."), status=403,
                                content_type="text/plain; charset=utf-8")
        return None
