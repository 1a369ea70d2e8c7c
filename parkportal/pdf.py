"""Print pages as PDF (issue 16): the same template as the print HTML page, laid out by
WeasyPrint with the system's Noto CJK fonts (fonts-noto-cjk; pango from Debian).

The print templates carry their CSS inline (templates/print/base.html), so WeasyPrint fetches
nothing: no static-file URL is resolved and no network is touched."""

from urllib.parse import quote

from django.http import HttpResponse
from django.template.loader import render_to_string

PDF = "application/pdf"


def only_embedded():
    """WeasyPrint's URL fetcher: print templates fetch nothing from outside (no http, no
    file); only `data:` URLs (the photos' thumbnails, embedded by the view) are read."""
    from weasyprint.urls import URLFetcher

    return URLFetcher(allowed_protocols={"data"})


def pdf_bytes(html: str) -> bytes:
    from weasyprint import HTML  # imported here: the pango libraries load on first use

    return HTML(string=html, url_fetcher=only_embedded()).write_pdf()


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
