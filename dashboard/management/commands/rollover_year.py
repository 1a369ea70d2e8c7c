import json

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils import translation

from dashboard.rollover import check_years, rollover_year
from parks.models import Park


class Command(BaseCommand):
    help = (
        "Year rollover (年度结转): draft next year's annual plans for the park's projects that go "
        "on (not completed, in operation or cancelled), carrying their cumulative completed "
        "investment (至上年底累计), and draft the park's targets from this year's. Drafts count "
        "in no figure until a park admin confirms them on /dashboard/rollover/. A second run "
        "adds nothing. Exit code 2 for bad arguments."
    )

    def add_arguments(self, parser):
        parser.add_argument("--park", required=True, help="park slug, e.g. zhenba")
        parser.add_argument("--from", dest="from_year", type=int, required=True,
                            help="the year to roll over from (Y)")
        parser.add_argument("--to", dest="to_year", type=int, required=True,
                            help="the year to draft (must be Y + 1)")
        parser.add_argument("--dry-run", action="store_true",
                            help="show what would be created; write nothing")
        parser.add_argument("--format", choices=["text", "json"], default="text",
                            help="json: one JSON object (amounts in 万元 as decimal strings)")

    def handle(self, *args, park, from_year, to_year, dry_run, format, **options):
        with translation.override("zh-hans"):
            park_obj = Park.objects.filter(slug=park).first()
            if park_obj is None:
                raise CommandError(f"未找到园区 {park!r}（no park with slug {park!r}）",
                                   returncode=2)
            try:
                check_years(from_year, to_year)
                result = rollover_year(park=park_obj, from_year=from_year, to_year=to_year,
                                       dry_run=dry_run)
            except ValidationError as exc:
                raise CommandError(" ".join(exc.messages), returncode=2) from exc
        if format == "json":
            self.stdout.write(json.dumps(result.as_json(), ensure_ascii=False))
            return
        verb = "将创建" if dry_run else "已创建"
        self.stdout.write(f"{park_obj.name} {from_year} → {to_year}"
                          f"{'（试运行，未写入）' if dry_run else ''}")
        self.stdout.write(f"{verb}草稿年度计划 {result.plans_created} 个，草稿园区目标 "
                          f"{result.targets_created} 个；已有 {to_year} 年计划的项目 "
                          f"{len(result.already_planned)} 个。")
        for row in result.projects:
            self.stdout.write(f"  {row['code']} {row['name']}  至上年底累计 "
                              f"{row['completed_before_year']} 万元")
        if not dry_run and (result.plans_created or result.targets_created):
            self.stdout.write("草稿在管理员确认之前不计入任何统计数字。")
