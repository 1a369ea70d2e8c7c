"""Recompute the per-project-year progress summary from the progress reports (idempotent)."""

from django.core.management.base import BaseCommand, CommandError

from parks.models import Park
from projects import summary


class Command(BaseCommand):
    help = ("Recompute ProjectYearProgress from the counted progress reports (all parks, or "
            "--park). Triggers keep it in step; use this after loading data with them "
            "disabled, or --check to verify it without writing.")

    def add_arguments(self, parser):
        parser.add_argument("--park", help="slug of one park (default: all parks)")
        parser.add_argument("--check", action="store_true",
                            help="only compare with the reports; exit 1 on a difference")

    def handle(self, *args, **options):
        park = None
        if options["park"]:
            park = Park.objects.filter(slug=options["park"]).first()
            if park is None:
                raise CommandError(f"no park {options['park']!r}")
        if options["check"]:
            diffs = summary.differences(park=park)
            for (project_id, year), pair in list(diffs.items())[:20]:
                self.stdout.write(f"project {project_id} {year}: stored {pair['stored']} "
                                  f"expected {pair['expected']}")
            if diffs:
                raise CommandError(f"{len(diffs)} project-year summaries differ")
            self.stdout.write("progress summary: in step with the reports")
            return
        written = summary.rebuild(park=park)
        self.stdout.write(f"progress summary rebuilt: {written} project-year rows")
