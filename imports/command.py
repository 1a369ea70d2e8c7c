"""What every import command shares (import_enterprises, import_schedule): the file, park,
dry-run, strict, user and format options, reading the file within the upload limit, finding
the park and the user, and the exit status (0 = file read, 1 = --strict aborted, 2 = a
file-level error, message on stderr, nothing written)."""

import json
import sys
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from imports.reader import too_big
from parks.models import Park


class ImportCommand(BaseCommand):
    def add_arguments(self, parser):
        parser.add_argument("file", help="The .xlsx, .xls or .csv file.")
        parser.add_argument("--park", required=True, help="Slug of the park, e.g. zhenba.")
        parser.add_argument("--dry-run", action="store_true",
                            help="Write nothing; report what would happen.")
        parser.add_argument("--strict", action="store_true",
                            help="Import nothing if any row is rejected (exit status 1).")
        self.add_target_arguments(parser)
        parser.add_argument("--user", help="Username recorded as the importer.")
        parser.add_argument("--format", choices=["text", "json"], default="text",
                            help="Output format (json: one object on stdout).")

    def add_target_arguments(self, parser):
        """The target's own options (listed after --strict in the help)."""

    def fail(self, message: str, status: int = 2):
        self.stderr.write(str(message))
        sys.exit(status)

    def read_file(self, name: str) -> tuple[Path, bytes]:
        path = Path(name)
        if not path.is_file():
            self.fail(_("The file %(name)s cannot be opened.") % {"name": path})
        size = path.stat().st_size
        if size > settings.IMPORT_MAX_UPLOAD_BYTES:
            self.fail(str(too_big(size, settings.IMPORT_MAX_UPLOAD_BYTES)))
        return path, path.read_bytes()

    def park_and_user(self, options):
        park = Park.objects.filter(slug=options["park"]).first()
        if park is None:
            self.fail(_("There is no park with the slug %(slug)s.") % {"slug": options["park"]})
        user = None
        if options["user"]:
            user = get_user_model().objects.filter(username=options["user"]).first()
            if user is None:
                self.fail(_("There is no user %(name)s.") % {"name": options["user"]})
        return park, user

    def finish(self, outcome, options):
        """Print the outcome (one JSON object, or text) and exit 1 when --strict aborted."""
        if options["format"] == "json":
            self.stdout.write(json.dumps(outcome.as_json(), ensure_ascii=False))
        else:
            self.write_text(outcome)
        if outcome.aborted:
            sys.exit(1)

    def write_text(self, outcome):
        raise NotImplementedError
