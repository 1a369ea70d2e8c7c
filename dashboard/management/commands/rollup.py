import json

from django.core.management.base import BaseCommand, CommandError
from django.utils import translation

from dashboard.selectors import park_rollup, to_jsonable
from parkportal.templatetags.money import money, percent
from parks.models import Park


class Command(BaseCommand):
    help = (
        "Print the park's figures for a year up to the end of a quarter (SPEC §3): "
        "the same object the dashboard's ?format=json returns."
    )

    def add_arguments(self, parser):
        parser.add_argument("--park", required=True, help="park slug, e.g. zhenba")
        parser.add_argument("--year", type=int, required=True)
        parser.add_argument("--quarter", type=int, required=True, choices=[1, 2, 3, 4])
        parser.add_argument("--format", choices=["table", "json"], default="table",
                            help="json: one JSON object, amounts in 万元 as decimal strings")

    def handle(self, *args, park, year, quarter, format, **options):
        park_obj = Park.objects.filter(slug=park).first()
        if park_obj is None:
            raise CommandError(f"未找到园区 {park!r}（no park with slug {park!r}）")
        figures = park_rollup(park=park_obj, year=year, quarter=quarter)
        if format == "json":
            self.stdout.write(json.dumps(to_jsonable(figures), ensure_ascii=False))
            return
        with translation.override("zh-hans"):
            self.stdout.write(self.render_table(figures))

    @staticmethod
    def render_table(f: dict) -> str:
        rows = [
            ("计划实施项目", f"{f['projects_planned']} 个"),
            ("总投资", money(f["total_investment"])),
            ("年度计划投资", money(f["annual_planned"])),
            ("其中工业投资", money(f["industrial_planned"])),
            ("累计完成投资", money(f["completed_ytd"])),
            ("完成率", percent(f["completion_rate"])),
            ("时序进度", percent(f["time_progress"])),
            ("重大项目前期", f"{f['major_preliminary']['count']} 个，总投资 "
                       f"{money(f['major_preliminary']['total_investment'])}"),
            ("已完成前期工作", f"{f['preliminary_done']} 个"),
            (f"{f['quarter']}季度新开工", f"{f['new_starts']} 个"),
            ("续建", f"{f['continuing']} 个"),
            ("形成固定资产投资", money(f["fixed_asset_investment"])),
            ("引进企业", f"{f['enterprises_introduced']} 家"),
            ("代管及入驻企业", f"{f['enterprises_served']} 家"),
            ("引进人才", f"{f['talents']['total']} 人（其中博士 {f['talents']['phd']} 人）"),
            ("合作机构", f"{f['partners']} 家"),
            ("创新中心", f"{f['innovation_centers']} 个"),
        ]
        width = max(len(label) for label, _ in rows)
        lines = [f"{f['park_name']} {f['year']}年第{f['quarter']}季度（截至 {f['period_end']}）",
                 "-" * 40]
        lines += [f"{label}{'　' * (width - len(label))}  {value}" for label, value in rows]
        return "\n".join(lines)
