"""Import a 重点项目进度表 (project schedule) from the command line, with the wizard's reader and
writer (projects.importing). Exit status as import_enterprises: 0 when the file was read (even
with rejected rows), 1 when --strict aborted, 2 for a file-level error (nothing written)."""

import json
import sys
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from imports.reader import ImportFileError, too_big
from parks.models import Park
from projects.importing.writer import KINDS, analyse, check_month, run_import


class Command(BaseCommand):
    help = ("Import a project schedule (重点项目进度表: projects, the year's plans, the month's "
            "reports) into a park. Exit status 0 = file read, 1 = --strict aborted, 2 = "
            "file-level error.")

    def add_arguments(self, parser):
        parser.add_argument("file", help="The .xlsx, .xls or .csv file.")
        parser.add_argument("--park", required=True, help="Slug of the park, e.g. zhenba.")
        parser.add_argument("--year", type=int, help="The year (default: from the title).")
        parser.add_argument("--month", type=int, choices=range(1, 13), metavar="MONTH",
                            help="The month (default: from the header, e.g. 1—3月完成).")
        parser.add_argument("--dry-run", action="store_true",
                            help="Write nothing; report what would happen.")
        parser.add_argument("--strict", action="store_true",
                            help="Import nothing if any row is rejected (exit status 1).")
        parser.add_argument("--user", help="Username recorded as the importer.")
        parser.add_argument("--format", choices=["text", "json"], default="text",
                            help="Output format (json: one object on stdout).")

    def fail(self, message: str, status: int = 2):
        self.stderr.write(str(message))
        sys.exit(status)

    def handle(self, *args, **options):
        path = Path(options["file"])
        if not path.is_file():
            self.fail(_("The file %(name)s cannot be opened.") % {"name": path})
        size = path.stat().st_size
        if size > settings.IMPORT_MAX_UPLOAD_BYTES:
            self.fail(str(too_big(size, settings.IMPORT_MAX_UPLOAD_BYTES)))
        data = path.read_bytes()
        try:
            analysed = analyse(data, year=options["year"], month=options["month"])
        except ImportFileError as exc:
            self.fail(str(exc))
        park = Park.objects.filter(slug=options["park"]).first()
        if park is None:
            self.fail(_("There is no park with the slug %(slug)s.") % {"slug": options["park"]})
        user = None
        if options["user"]:
            user = get_user_model().objects.filter(username=options["user"]).first()
            if user is None:
                self.fail(_("There is no user %(name)s.") % {"name": options["user"]})
        validated = analysed[1]
        try:
            check_month(park, validated.year, validated.month)
            outcome = run_import(park=park, data=data, file_name=path.name, user=user,
                                 strict=options["strict"], dry_run=options["dry_run"],
                                 year=options["year"], month=options["month"],
                                 analysed=analysed)
        except ImportFileError as exc:
            self.fail(str(exc))
        if options["format"] == "json":
            self.stdout.write(json.dumps(outcome.as_json(), ensure_ascii=False))
        else:
            self.write_text(outcome)
        if outcome.aborted:
            sys.exit(1)

    def write_text(self, outcome):
        if outcome.dry_run:
            self.stdout.write(_("Dry run: nothing was written."))
        elif outcome.aborted:
            self.stderr.write(_("Strict mode: %(n)s rejected rows, nothing was imported.")
                              % {"n": outcome.rejected})
        self.stdout.write(f"{outcome.validated.year}-{outcome.validated.month:02d}")
        labels = {"projects": _("projects"), "plans": _("annual plans"),
                  "reports": _("monthly reports")}
        for kind in KINDS:
            counts = outcome.plan.counts[kind]
            self.stdout.write(_("%(what)s: created %(created)s, updated %(updated)s, "
                                "unchanged %(unchanged)s") % {"what": labels[kind],
                                                              **counts.as_dict()})
        self.stdout.write(_("rejected %(n)s") % {"n": outcome.rejected})
        for kind, items in ((_("warning"), outcome.validated.warning_dicts()),
                            (_("error"), outcome.validated.error_dicts())):
            for item in items:
                column = f" [{item['column']}]" if item["column"] else ""
                self.stdout.write(_("%(kind)s, row %(row)s%(column)s: %(message)s") % {
                    "kind": kind, "row": item["row"], "column": column,
                    "message": item["message"]})
        if outcome.batch is not None:
            self.stdout.write(_("Import batch %(id)s.") % {"id": outcome.batch.pk})
