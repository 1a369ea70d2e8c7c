"""`manage.py move_database --to URL`: copy a SQLite installation into PostgreSQL."""

from argparse import RawDescriptionHelpFormatter

from django.core.management.base import BaseCommand, CommandError

from parkportal import backup


class Command(BaseCommand):
    help = """Copy every row of the current SQLite database (DATABASE_URL unset or sqlite:)
into an empty PostgreSQL database, then check it.

The target database must exist (createdb NAME) and hold no data; the command migrates it,
copies a consistent snapshot of the SQLite file (history rows, progress summary and the
dashboard's data version included, keys preserved), and compares every table's row count,
every money column's sum and every id sequence with the source before it commits. On any
difference nothing is loaded (the target is left migrated and empty). The SQLite file is
never changed. Copy MEDIA_ROOT yourself if the new server uses another one.

Stop the app and the worker first: writes made during the move are not copied.

Exit codes: 0 moved, 1 failed (target left empty), 2 refused.
See docs/operations.md, "Moving from SQLite to PostgreSQL".

example:
  createdb parkportal
  manage.py move_database --to postgres://parkportal@127.0.0.1/parkportal
  # then set DATABASE_URL=postgres://parkportal@127.0.0.1/parkportal and restart"""

    def create_parser(self, prog_name, subcommand, **kwargs):
        parser = super().create_parser(prog_name, subcommand, **kwargs)
        parser.formatter_class = RawDescriptionHelpFormatter
        return parser

    def add_arguments(self, parser):
        parser.add_argument(
            "--to", required=True, metavar="URL",
            help="the PostgreSQL database, as a DATABASE_URL (postgres://USER@HOST:PORT/NAME; "
                 "postgres:///NAME for the local socket). A password in it is used only "
                 "through libpq, never put on a command line; prefer ~/.pgpass.")

    def handle(self, *args, **options):
        def log(message):
            if options["verbosity"] >= 1:
                self.stdout.write(f"… {message}")

        try:
            result = backup.move_database(options["to"], log=log)
        except backup.BackupError as exc:
            verb = "refused" if exc.exit_code == 2 else "failed"
            raise CommandError(f"move {verb}: {exc}", returncode=exc.exit_code) from exc
        rows = sum(result.counts.values())
        self.stdout.write(
            f"moved {rows} rows in {len(result.counts)} tables in {result.seconds:.1f} s; "
            f"row counts, {len(result.money)} money column sums and the id sequences match "
            f"the source. Now point DATABASE_URL at the new database and restart.")
