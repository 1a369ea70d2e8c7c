"""Import an enterprise list from the command line, with the web wizard's reader and writer.

Exit status: 0 when the file was read (even with rejected rows), 1 when --strict aborted,
2 for a file-level error (message on stderr, nothing written).
"""

import json
import sys
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from enterprises.importing.reader import ImportFileError, too_big
from enterprises.importing.writer import analyse, run_import
from parks.models import Park


class Command(BaseCommand):
    help = ("Import an enterprise list (.xlsx, .xls or .csv) into a park: upsert by unified "
            "social credit code, every rejected row reported. Exit status 0 = file read, "
            "1 = --strict aborted, 2 = file-level error.")

    def add_arguments(self, parser):
        parser.add_argument("file", help="The .xlsx, .xls or .csv file.")
        parser.add_argument("--park", required=True, help="Slug of the park, e.g. zhenba.")
        parser.add_argument("--dry-run", action="store_true",
                            help="Write nothing; report what would happen.")
        parser.add_argument("--strict", action="store_true",
                            help="Import nothing if any row is rejected (exit status 1).")
        parser.add_argument("--accept-bad-checksum", action="store_true",
                            help="Accept credit codes whose check character is wrong.")
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
        try:  # the file first: a file-level error needs no database
            analysed = analyse(data, accept_bad_checksum=options["accept_bad_checksum"])
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
        outcome = run_import(park=park, data=data, file_name=path.name, user=user,
                             strict=options["strict"],
                             accept_bad_checksum=options["accept_bad_checksum"],
                             dry_run=options["dry_run"], analysed=analysed)
        if options["format"] == "json":
            self.stdout.write(json.dumps(outcome.as_json(), ensure_ascii=False))
        else:
            self.write_text(outcome)
        if outcome.aborted:
            sys.exit(1)

    def write_text(self, outcome):
        counts = outcome.counts
        if outcome.dry_run:
            self.stdout.write(_("Dry run: nothing was written."))
        elif outcome.aborted:
            self.stderr.write(_("Strict mode: %(n)s rejected rows, nothing was imported.")
                              % {"n": outcome.rejected})
        self.stdout.write(
            _("created %(created)s, updated %(updated)s, unchanged %(unchanged)s, "
              "rejected %(rejected)s") % {"created": counts.created, "updated": counts.updated,
                                          "unchanged": counts.unchanged,
                                          "rejected": outcome.rejected})
        for error in outcome.validated.errors:
            column = f" [{error.column}]" if error.column else ""
            self.stdout.write(_("row %(row)s%(column)s: %(message)s")
                              % {"row": error.row, "column": column, "message": error.message})
        if outcome.batch is not None:
            self.stdout.write(_("Import batch %(id)s.") % {"id": outcome.batch.pk})
