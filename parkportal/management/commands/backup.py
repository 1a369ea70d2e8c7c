"""`manage.py backup`: one archive of the database and MEDIA_ROOT (parkportal.backup)."""

from argparse import RawDescriptionHelpFormatter

from django.core.management.base import BaseCommand, CommandError

from parkportal import backup


class Command(BaseCommand):
    help = """Write one backup archive (.tar.gz) of the database and MEDIA_ROOT.

The archive holds the database dump (PostgreSQL: pg_dump custom format, taken in one
snapshot; SQLite: the online backup API), every file under MEDIA_ROOT in media/, and
manifest.json (engine, date, Django migrations applied, row count of every table). It is
safe to run while the app and the worker are running. The archive is created mode 0600:
it contains password hashes and sessions; keep it somewhere only operators can read.

Restore it with `manage.py restore FILE`. See docs/operations.md, "Backups and restore".

examples:
  manage.py backup                               # into ./backups/ under the project
  manage.py backup --output /var/backups/parkportal --keep 14   # daily cron, 14 kept
  manage.py backup --output /tmp/before-upgrade.tar.gz"""

    def create_parser(self, prog_name, subcommand, **kwargs):
        parser = super().create_parser(prog_name, subcommand, **kwargs)
        parser.formatter_class = RawDescriptionHelpFormatter
        return parser

    def add_arguments(self, parser):
        parser.add_argument(
            "--output", "-o", metavar="DIR_OR_FILE",
            help="a directory (created if missing; the archive is named "
                 "parkportal-backup-YYYYMMDD-HHMMSS.tar.gz) or an archive file name ending "
                 "in .tar.gz (default: the backups/ directory of the project)")
        parser.add_argument(
            "--keep", type=int, metavar="N",
            help="after a successful backup into a directory, delete all but the newest N "
                 "parkportal-backup-*.tar.gz archives there")
        parser.add_argument("--no-media", action="store_true",
                            help="leave MEDIA_ROOT out (database only)")

    def handle(self, *args, **options):
        if options["keep"] is not None and options["keep"] < 1:
            raise CommandError("--keep must be at least 1")
        try:
            result = backup.create_backup(options["output"], keep=options["keep"],
                                          include_media=not options["no_media"])
        except backup.BackupError as exc:
            raise CommandError(f"backup failed: {exc}", returncode=exc.exit_code) from exc
        manifest = result.manifest
        self.stdout.write(
            f"backup written: {result.path}\n"
            f"  {manifest['engine']} database {manifest['database']}: "
            f"{len(manifest['tables'])} tables, {manifest['rows']} rows; "
            f"{manifest['media']['files']} media files ({manifest['media']['bytes']} bytes)\n"
            f"  archive {result.size} bytes in {result.seconds:.1f} s")
        for path in result.removed:
            self.stdout.write(f"  removed old backup {path}")
