import json

from django.core.management.base import BaseCommand, CommandError
from django.utils import translation

from dashboard.regions import region_rollup
from dashboard.selectors import park_rollup, to_jsonable
from parkportal.templatetags.money import money, percent
from parks.models import Park, Region


class Command(BaseCommand):
    help = (
        "Print the park's figures for a year up to the end of a quarter (SPEC §3): "
        "the same object the dashboard's ?format=json returns. With --region instead of "
        "--park: the figures of every park under the region summed (rates recomputed from "
        "the sums) and `parks` listing each park's figures."
    )

    def add_arguments(self, parser):
        where = parser.add_mutually_exclusive_group(required=True)
        where.add_argument("--park", help="park slug, e.g. zhenba")
        where.add_argument("--region", help="region slug (county, city or province), e.g. "
                                            "hanzhong")
        parser.add_argument("--published", action="store_true",
                            help="--region: a park whose quarter is closed counts with its "
                                 "published figures (as the region dashboard shows)")
        parser.add_argument("--year", type=int, required=True)
        parser.add_argument("--quarter", type=int, required=True, choices=[1, 2, 3, 4])
        parser.add_argument("--format", choices=["table", "json"], default="table",
                            help="json: one JSON object, amounts in 万元 as decimal strings")

    def handle(self, *args, park, region, year, quarter, format, published, **options):
        if region is not None:
            region_obj = Region.objects.filter(slug=region).first()
            if region_obj is None:
                raise CommandError(f"未找到地区 {region!r}（no region with slug {region!r}）")
            figures = region_rollup(region=region_obj, year=year, quarter=quarter,
                                    published=published)
        else:
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
        name = f["park_name"] if "park_name" in f else f["region_name"]
        lines = [f"{name} {f['year']}年第{f['quarter']}季度（截至 {f['period_end']}）",
                 "-" * 40]
        lines += [f"{label}{'　' * (width - len(label))}  {value}" for label, value in rows]
        if "parks" in f:
            lines += ["-" * 40, f"园区 {len(f['parks'])} 个："]
            lines += [f"  {p['park_name']}（{p['park']}）完成率 {percent(p['completion_rate'])}"
                      for p in f["parks"]]
        return "\n".join(lines)
