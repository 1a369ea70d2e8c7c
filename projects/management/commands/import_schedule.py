"""Import a 重点项目进度表 (project schedule) from the command line, with the wizard's reader and
writer (projects.importing). Exit status as import_enterprises: 0 when the file was read (even
with rejected rows), 1 when --strict aborted, 2 for a file-level error (nothing written)."""

from django.utils.translation import gettext as _

from imports.command import ImportCommand
from imports.reader import ImportFileError
from projects.importing.writer import KINDS, analyse, check_month, run_import


class Command(ImportCommand):
    help = ("Import a project schedule (重点项目进度表: projects, the year's plans, the month's "
            "reports) into a park. Exit status 0 = file read, 1 = --strict aborted, 2 = "
            "file-level error.")

    def add_target_arguments(self, parser):
        parser.add_argument("--year", type=int, help="The year (default: from the title).")
        parser.add_argument("--month", type=int, choices=range(1, 13), metavar="MONTH",
                            help="The month (default: from the header, e.g. 1—3月完成).")

    def handle(self, *args, **options):
        path, data = self.read_file(options["file"])
        try:
            analysed = analyse(data, year=options["year"], month=options["month"])
        except ImportFileError as exc:
            self.fail(str(exc))
        park, user = self.park_and_user(options)
        validated = analysed[1]
        try:
            check_month(park, validated.year, validated.month)
            outcome = run_import(park=park, data=data, file_name=path.name, user=user,
                                 strict=options["strict"], dry_run=options["dry_run"],
                                 year=options["year"], month=options["month"],
                                 analysed=analysed)
        except ImportFileError as exc:
            self.fail(str(exc))
        self.finish(outcome, options)

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
