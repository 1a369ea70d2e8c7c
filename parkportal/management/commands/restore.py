"""`manage.py restore FILE`: put a backup archive back (parkportal.backup)."""

from argparse import RawDescriptionHelpFormatter

from django.core.management.base import BaseCommand, CommandError

from parkportal import backup


class Command(BaseCommand):
    help = """Restore a backup archive made by `manage.py backup` into the configured
database (DATABASE_URL) and MEDIA_ROOT.

Stop the app and the worker first. The restore is all or nothing: on PostgreSQL it wipes the
schema, replays the dump and checks every table's row count against the manifest in one
transaction; on SQLite the checked copy replaces the database in one write transaction. Media
files are swapped in after the database succeeded.

It refuses, with exit code 2 and without changing anything:
  - a database (or MEDIA_ROOT) that is not empty, unless --force is given (which replaces
    everything in it);
  - a backup from the other engine: a SQLite backup cannot be restored into PostgreSQL or
    the reverse (to move from SQLite to PostgreSQL use `manage.py move_database`);
  - a backup made by newer code (migrations this code does not have), unless --force.

Exit codes: 0 restored, 1 failed (the database is as it was), 2 refused.
See docs/operations.md, "Backups and restore".

examples:
  createdb parkportal && manage.py restore /var/backups/parkportal/parkportal-backup-….tar.gz
  manage.py restore --check FILE      # test an archive, change nothing
  manage.py restore --force FILE      # replace the current data"""

    def create_parser(self, prog_name, subcommand, **kwargs):
        parser = super().create_parser(prog_name, subcommand, **kwargs)
        parser.formatter_class = RawDescriptionHelpFormatter
        return parser

    def add_arguments(self, parser):
        parser.add_argument("file", metavar="FILE", help="the .tar.gz archive to restore")
        parser.add_argument("--force", action="store_true",
                            help="replace a database / MEDIA_ROOT that is not empty")
        parser.add_argument("--check", action="store_true",
                            help="only unpack and verify the archive (dump readable, row counts "
                                 "and media files as the manifest says); change nothing")
        parser.add_argument("--no-media", action="store_true",
                            help="restore the database only; leave MEDIA_ROOT as it is")

    def handle(self, *args, **options):
        try:
            manifest = backup.read_manifest(options["file"])
            self.stdout.write(
                f"backup of {manifest['created']}: {manifest['engine']} database "
                f"{manifest['database']}, {len(manifest['tables'])} tables, "
                f"{manifest['rows']} rows, {manifest['media']['files']} media files")
            result = backup.restore_backup(options["file"], force=options["force"],
                                           include_media=not options["no_media"],
                                           check_only=options["check"])
        except backup.BackupError as exc:
            verb = "refused" if exc.exit_code == 2 else "failed"
            raise CommandError(f"restore {verb}: {exc}", returncode=exc.exit_code) from exc
        if options["check"]:
            self.stdout.write(f"archive OK (checked in {result.seconds:.1f} s); nothing changed")
        else:
            self.stdout.write(f"restored in {result.seconds:.1f} s "
                              f"({result.media_files} media files)")
        for note in result.notes:
            self.stdout.write(self.style.WARNING(f"note: {note}"))
