import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from parks.models import Park
from upward.oc4ids import project_package
from upward.scope import scope_title
from upward.workbook import plan_vs_completed_bytes, title_for


class Command(BaseCommand):
    help = ("Write a park's upward report: the 1—N月 plan-against-completed workbook (xlsx) or "
            "the OC4IDS project package (json, amounts in CNY). docs/api.md.")

    def add_arguments(self, parser):
        parser.add_argument("--park", required=True, action="append",
                            help="park slug; repeat for several parks in one report")
        parser.add_argument("--year", type=int, required=True)
        parser.add_argument("--month", type=int, required=True, choices=range(1, 13),
                            metavar="1-12", help="months 1 .. this month")
        parser.add_argument("--format", choices=["xlsx", "oc4ids"], default="xlsx")
        parser.add_argument("--title", help="the scope's name in the title (default: the "
                                            "parks' names)")
        parser.add_argument("--output", "-o", help="file to write (default: stdout for "
                                                   "oc4ids; required for xlsx)")

    def handle(self, *args, park, year, month, format, title, output, **options):
        found = {p.slug: p for p in Park.objects.filter(slug__in=park)}
        missing = [slug for slug in park if slug not in found]
        if missing:
            raise CommandError(f"未找到园区 {', '.join(missing)}（no park with that slug）")
        parks = [found[slug] for slug in park]
        if format == "oc4ids":
            text = json.dumps(project_package(parks=parks, year=year, month=month),
                              ensure_ascii=False, indent=1)
            if output:
                Path(output).write_text(text, encoding="utf-8")
                self.stdout.write(f"wrote {output}")
            else:
                self.stdout.write(text)
            return
        if not output:
            raise CommandError("--output FILE is required for the workbook（请指定输出文件）")
        data = plan_vs_completed_bytes(
            parks=parks, year=year, month=month,
            title=title_for(title or scope_title(parks), year, month))
        Path(output).write_bytes(data)
        self.stdout.write(f"wrote {output} ({len(data)} bytes)")
