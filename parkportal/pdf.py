"""Print pages as PDF (issue 16): the same template as the print HTML page, laid out by
WeasyPrint with the system's Noto CJK fonts (fonts-noto-cjk; pango from Debian).

The print templates carry their CSS inline (templates/print/base.html), so WeasyPrint fetches
nothing: no static-file URL is resolved and no network is touched."""

from urllib.parse import quote

from django.http import HttpResponse
from django.template.loader import render_to_string

PDF = "application/pdf"


def no_fetch(url, *args, **kwargs):
    """WeasyPrint's URL fetcher: print templates need nothing from outside."""
    raise ValueError(f"print templates fetch nothing ({url})")


def pdf_bytes(html: str) -> bytes:
    from weasyprint import HTML  # imported here: the pango libraries load on first use

    return HTML(string=html, url_fetcher=no_fetch).write_pdf()


class PrintMixin:
    """A view whose page is a print page; `as_view(pdf=True)` answers it as a PDF named
    `pdf_filename()` instead (inline: the browser shows it, and saves it under that name)."""

    pdf = False

    def pdf_filename(self) -> str:
        raise NotImplementedError

    def render_to_response(self, context, **response_kwargs):
        if not self.pdf:
            return super().render_to_response(context, **response_kwargs)
        html = render_to_string(self.get_template_names(), {**context, "for_pdf": True},
                                request=self.request)
        response = HttpResponse(pdf_bytes(html), content_type=PDF)
        response["Content-Disposition"] = (
            f"inline; filename*=UTF-8''{quote(self.pdf_filename())}")
        return response
