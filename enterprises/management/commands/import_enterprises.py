"""Import an enterprise list from the command line, with the web wizard's reader and writer.

Exit status: 0 when the file was read (even with rejected rows), 1 when --strict aborted,
2 for a file-level error (message on stderr, nothing written).
"""

from django.utils.translation import gettext as _

from enterprises.importing.reader import ImportFileError
from enterprises.importing.writer import analyse, run_import
from imports.command import ImportCommand


class Command(ImportCommand):
    help = ("Import an enterprise list (.xlsx, .xls or .csv) into a park: upsert by unified "
            "social credit code, every rejected row reported. Exit status 0 = file read, "
            "1 = --strict aborted, 2 = file-level error.")

    def add_target_arguments(self, parser):
        parser.add_argument("--accept-bad-checksum", action="store_true",
                            help="Accept credit codes whose check character is wrong.")

    def handle(self, *args, **options):
        path, data = self.read_file(options["file"])
        try:  # the file first: a file-level error needs no database
            analysed = analyse(data, accept_bad_checksum=options["accept_bad_checksum"])
        except ImportFileError as exc:
            self.fail(str(exc))
        park, user = self.park_and_user(options)
        outcome = run_import(park=park, data=data, file_name=path.name, user=user,
                             strict=options["strict"],
                             accept_bad_checksum=options["accept_bad_checksum"],
                             dry_run=options["dry_run"], analysed=analysed)
        self.finish(outcome, options)

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
