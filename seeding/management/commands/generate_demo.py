"""Build a synthetic park-scale data set for benchmarks and demos (not for production).

Default size: 20,000 projects with 5 years of plans and monthly reports (1.2 million
reports), 100,000 enterprises with one recent visit each, 10,000 demands, 2,000 talents.
With `--parks N`: N parks (`<park>-0001` …, spread over the ten cities of a province), each
with --projects (default 20) and --enterprises (default 100) of its own: 2,000 parks give
40,000 projects, 2.4 million reports and 200,000 enterprises. Every table is loaded in one
COPY for all parks, so the statement-level triggers run once per table, not once per park.
On PostgreSQL rows are loaded with COPY; on SQLite with executemany. History rows
(django-simple-history) are not written for synthetic data.
"""

from __future__ import annotations

import random
import time
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.db.models import NOT_PROVIDED
from django.utils import timezone

from enterprises.credit_code import ALPHABET, check_character
from enterprises.models import Demand, Enterprise, Visit
from parks.models import Industry, Park, ParkMember, QuarterClose
from projects.models import (
    AnnualPlan,
    ProgressReport,
    Project,
    ProjectStage,
    ProjectYearProgress,
)
from talent.models import TalentIntroduction

INDUSTRIES = [("生物医药", "biomedicine", "Biomedicine"), ("绿色食品", "green-food", "Green food"),
              ("清洁能源", "clean-energy", "Clean energy"),
              ("生态文旅", "eco-tourism", "Eco-cultural tourism"), ("其他", "other", "Other")]
CITIES = ["西安市", "宝鸡市", "咸阳市", "铜川市", "渭南市", "延安市", "榆林市", "汉中市", "安康市",
          "商洛市"]
NAME_PARTS = ["中药材", "富硒茶", "食用菌", "光伏", "生物质", "冷链", "康养", "魔芋", "腊肉",
              "水电", "制药", "文旅", "物流", "包装", "饮用水"]
NAME_KINDS = ["精深加工项目", "产业化基地", "综合利用项目", "标准化厂房", "生产线", "服务中心"]


ANALYZED_TOO = (Park,)


def columns_and_defaults(model) -> tuple[list[str], dict]:
    """Every concrete column but the id, with the value a plain INSERT must give it."""
    now = timezone.now()
    columns, defaults = [], {}
    for field in model._meta.concrete_fields:
        if field.primary_key:
            continue
        columns.append(field.column)
        if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
            value = now
        elif field.default is not NOT_PROVIDED:
            value = field.default() if callable(field.default) else field.default
        elif field.null:
            value = None
        else:
            value = ""
        defaults[field.column] = value
    return columns, defaults


def naive_utc(value):
    """SQLite keeps datetimes as naive UTC text (as Django's ORM writes them)."""
    if isinstance(value, datetime) and timezone.is_aware(value):
        return timezone.make_naive(value, UTC).isoformat(sep=" ")
    return value


class Loader:
    """Fast inserts: COPY on PostgreSQL, executemany elsewhere."""

    def __init__(self):
        self.postgres = connection.vendor == "postgresql"

    def load(self, model, rows) -> int:
        columns, defaults = columns_and_defaults(model)
        table = model._meta.db_table
        count = 0
        with connection.cursor() as cursor:
            if self.postgres:
                names = ", ".join(f'"{c}"' for c in columns)
                with cursor.cursor.copy(f'COPY "{table}" ({names}) FROM STDIN') as copy:
                    for row in rows:
                        merged = {**defaults, **row}
                        copy.write_row(tuple(merged[c] for c in columns))
                        count += 1
            else:
                names = ", ".join(f'"{c}"' for c in columns)
                marks = ", ".join("%s" for _ in columns)
                sql = f'INSERT INTO "{table}" ({names}) VALUES ({marks})'
                batch = []
                for row in rows:
                    merged = {**defaults, **row}
                    batch.append(tuple(naive_utc(merged[c]) for c in columns))
                    if len(batch) >= 5000:
                        cursor.executemany(sql, batch)
                        count += len(batch)
                        batch = []
                if batch:
                    cursor.executemany(sql, batch)
                    count += len(batch)
        return count


def credit_code(n: int) -> str:
    """A checksum-valid synthetic unified social credit code, unique per n."""
    body, value = [], n
    for _ in range(9):
        value, digit = divmod(value, 31)
        body.append(ALPHABET[digit])
    first17 = "91610728" + "".join(reversed(body))
    return first17 + check_character(first17)


class Command(BaseCommand):
    help = ("Generate a synthetic park at province scale for benchmarks: projects with annual "
            "plans and monthly reports for several years, enterprises with visits and "
            "demands, talents. Refuses to touch a park that has data unless --reset.")

    def add_arguments(self, parser):
        parser.add_argument("--park", default="province-demo",
                            help="slug of the synthetic park (with --parks: their prefix)")
        parser.add_argument("--parks", type=int, default=None,
                            help="generate this many parks (<park>-0001 …), each with "
                                 "--projects and --enterprises of its own")
        parser.add_argument("--projects", type=int, default=None,
                            help="projects per park (default 20,000; with --parks 20)")
        parser.add_argument("--years", type=int, default=5,
                            help="years of plans and monthly reports (default 5)")
        parser.add_argument("--end-year", type=int, default=None,
                            help="last year generated (default: last year)")
        parser.add_argument("--enterprises", type=int, default=None,
                            help="enterprises per park (default 100,000; with --parks 100)")
        parser.add_argument("--demands", type=int, default=None,
                            help="per park; default: one per ten enterprises")
        parser.add_argument("--talents", type=int, default=None,
                            help="per park (default 2,000; with --parks 1)")
        parser.add_argument("--seed", type=int, default=20240403)
        parser.add_argument("--reset", action="store_true",
                            help="delete the park's existing data first")

    def handle(self, *args, **o):
        started = time.monotonic()
        many = o["parks"] is not None
        if many and o["parks"] < 1:
            raise CommandError("--parks must be at least 1")
        for name, single, each in (("projects", 20_000, 20), ("enterprises", 100_000, 100),
                                   ("talents", 2_000, 1)):
            if o[name] is None:
                o[name] = each if many else single
        end_year = o["end_year"] or timezone.localdate().year - 1
        years = list(range(end_year - o["years"] + 1, end_year + 1))
        rng = random.Random(o["seed"])
        slugs = ([f"{o['park']}-{n:04d}" for n in range(1, o["parks"] + 1)] if many
                 else [o["park"]])
        existing = {park.slug: park for park in Park.objects.filter(slug__in=slugs)}
        with_data = set(Project.objects.filter(park__in=existing.values())
                        .values_list("park_id", flat=True).distinct())
        if with_data:
            if not o["reset"]:
                names = sorted(p.slug for p in existing.values() if p.pk in with_data)
                raise CommandError(f"park {names[0]!r} already has data: use --reset")
            self.reset(sorted(with_data))
        with transaction.atomic():
            parks = self.parks(slugs, existing, many)
            industries = [Industry.objects.get_or_create(slug=slug, defaults={
                "name": name, "name_en": name_en, "sort_order": i})[0].pk
                for i, (name, slug, name_en) in enumerate(INDUSTRIES)]
            staff = self.staff_users(parks)
            loader = Loader()
            counts = {}
            counts["projects"] = loader.load(Project, (
                row for n, park in enumerate(parks, start=1)
                for row in self.projects(park, industries, years, o["projects"], rng,
                                         prefix=f"{o['park'].upper()[:6]}{n:04d}"
                                         if many else None)))
            ids = dict(Project.objects.filter(park__in=parks).values_list("code", "pk"))
            plans = {}
            counts["plans"] = loader.load(AnnualPlan, self.plans(ids, years, rng, plans))
            counts["reports"] = loader.load(ProgressReport, self.reports(plans, years, rng))
            counts["enterprises"] = loader.load(Enterprise, (
                row for n, park in enumerate(parks)
                for row in self.enterprises(park, industries, years, o["enterprises"], rng,
                                            first=n * o["enterprises"])))
            enterprise_ids: dict[int, list[int]] = {park.pk: [] for park in parks}
            for park_id, pk in (Enterprise.objects.filter(park__in=parks)
                                .order_by("pk").values_list("park_id", "pk")):
                enterprise_ids[park_id].append(pk)
            visit_end = date(end_year, 12, 31)
            counts["visits"] = loader.load(Visit, (
                {"enterprise_id": pk, "visited_on": visit_end - timedelta(days=rng.randrange(9)),
                 "staff_id": staff[park_id], "kind": Visit.Kind.ON_SITE}
                for park_id, pks in enterprise_ids.items() for pk in pks))
            counts["demands"] = loader.load(Demand, (
                row for park_id, pks in enterprise_ids.items() if pks
                for row in self.demands(
                    pks, o["demands"] if o["demands"] is not None else len(pks) // 10,
                    end_year, rng, staff[park_id])))
            counts["talents"] = loader.load(TalentIntroduction, (
                {"park_id": park.pk, "person_name": f"人才{i:05d}",
                 "degree": rng.choice(["phd", "master", "master", "bachelor", "other"]),
                 "introduced_on": date(rng.choice(years), rng.randint(1, 12), rng.randint(1, 28)),
                 "is_illustrative": True}
                for park in parks for i in range(o["talents"])))
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                for model in (Project, AnnualPlan, ProgressReport, Enterprise, Visit, Demand,
                              TalentIntroduction, *ANALYZED_TOO):
                    cursor.execute(f'ANALYZE "{model._meta.db_table}"')
                if not connection.in_atomic_block:
                    # The summary was rewritten by the triggers (and by --reset): reclaim the
                    # dead rows so reading a year's rows does not scan them.
                    cursor.execute(f'VACUUM ANALYZE "{ProjectYearProgress._meta.db_table}"')
                else:
                    cursor.execute(f'ANALYZE "{ProjectYearProgress._meta.db_table}"')
        summary = ", ".join(f"{value:,} {name}" for name, value in counts.items())
        where = (f"{len(parks):,} parks {parks[0].slug} … {parks[-1].slug}" if many
                 else f"park {parks[0].slug}")
        self.stdout.write(f"generate_demo: {where} (years {years[0]}–{years[-1]}): "
                          f"{summary} in {time.monotonic() - started:.1f} s")

    @staticmethod
    def parks(slugs, existing, many):
        """The parks by slug, the missing ones created in one statement."""
        new = []
        for n, slug in enumerate(slugs):
            if slug not in existing:
                city = CITIES[n % len(CITIES)] if many else "汉中市"
                new.append(Park(slug=slug, name=f"合成演示园区（{slug}）", province="陕西省",
                                city=city, county=f"{city[:-1]}合成{n % 7 + 1}县" if many
                                else ""))
        Park.objects.bulk_create(new)
        by_slug = {park.slug: park for park in Park.objects.filter(slug__in=slugs)}
        return [by_slug[slug] for slug in slugs]

    @staticmethod
    def staff_users(parks) -> dict[int, int]:
        """park id → the id of its synthetic staff member (created when missing)."""
        users = get_user_model().objects
        names = {f"{park.slug}-staff"[:150]: park for park in parks}
        users.bulk_create([users.model(username=name, first_name="演示", password="!")
                           for name in names], ignore_conflicts=True)
        ids = dict(users.filter(username__in=names).values_list("username", "pk"))
        ParkMember.objects.bulk_create(
            [ParkMember(user_id=ids[name], park=park) for name, park in names.items()],
            ignore_conflicts=True)
        return {park.pk: ids[name] for name, park in names.items()}

    @staticmethod
    def reset(park_ids: list[int]):
        """Delete the parks' synthetic data with plain SQL (row-by-row ORM deletes with
        history would take hours at this size)."""
        def table(model):
            return f'"{model._meta.db_table}"'
        through = Project.responsible.through
        ent_through = Enterprise.responsible.through
        statements = [
            (f"DELETE FROM {table(QuarterClose.corrections.rel.related_model)} WHERE "
             f"quarter_close_id IN (SELECT id FROM {table(QuarterClose)} WHERE park_id = %s)"),
            f"DELETE FROM {table(QuarterClose)} WHERE park_id = %s",
            (f"DELETE FROM {table(ProgressReport)} WHERE project_id IN "
             f"(SELECT id FROM {table(Project)} WHERE park_id = %s)"),
            (f"DELETE FROM {table(ProjectYearProgress)} WHERE project_id IN "
             f"(SELECT id FROM {table(Project)} WHERE park_id = %s)"),
            (f"DELETE FROM {table(AnnualPlan)} WHERE project_id IN "
             f"(SELECT id FROM {table(Project)} WHERE park_id = %s)"),
            (f"DELETE FROM {table(through)} WHERE project_id IN "
             f"(SELECT id FROM {table(Project)} WHERE park_id = %s)"),
            (f"DELETE FROM {table(Project.preliminary_procedures.rel.related_model)} WHERE "
             f"project_id IN (SELECT id FROM {table(Project)} WHERE park_id = %s)"),
            f"DELETE FROM {table(Project)} WHERE park_id = %s",
            f"DELETE FROM {table(TalentIntroduction)} WHERE park_id = %s",
            (f"DELETE FROM {table(Demand)} WHERE enterprise_id IN "
             f"(SELECT id FROM {table(Enterprise)} WHERE park_id = %s)"),
            (f"DELETE FROM {table(Visit)} WHERE enterprise_id IN "
             f"(SELECT id FROM {table(Enterprise)} WHERE park_id = %s)"),
            (f"DELETE FROM {table(ent_through)} WHERE enterprise_id IN "
             f"(SELECT id FROM {table(Enterprise)} WHERE park_id = %s)"),
            f"DELETE FROM {table(Enterprise)} WHERE park_id = %s",
        ]
        marks = "IN (" + ", ".join("%s" for _ in park_ids) + ")"
        with transaction.atomic(), connection.cursor() as cursor:
            for sql in statements:
                cursor.execute(sql.replace("= %s", marks), park_ids)

    @staticmethod
    def projects(park, industries, years, n, rng, prefix=None):
        first_year = years[0]
        stages = [ProjectStage.PRELIMINARY] * 3 + [ProjectStage.NEW_START] * 2 + \
            [ProjectStage.CONTINUING] * 4 + [ProjectStage.COMPLETED, ProjectStage.OPERATING]
        prefix = prefix or park.slug.upper()[:12]
        for i in range(n):
            stage = rng.choice(stages)
            planned_start = date(rng.randint(first_year - 1, years[-1]), rng.randint(1, 12),
                                 rng.randint(1, 28))
            started = stage != ProjectStage.PRELIMINARY or rng.random() < 0.1
            actual_start = (planned_start + timedelta(days=rng.randint(-20, 90))
                            if started else None)
            prelim_done = started or rng.random() < 0.5
            yield {
                "park_id": park.pk, "code": f"{prefix}-{i:06d}",
                "name": f"{rng.choice(NAME_PARTS)}{rng.choice(NAME_KINDS)}（合成{i}）",
                "industry_id": rng.choice(industries),
                "construction_content": "合成数据：用于性能测试",
                "total_investment": Decimal(rng.randint(500, 200_000)),
                "is_major": rng.random() < 0.05, "is_industrial": rng.random() < 0.7,
                "stage": str(stage.value), "preliminary_done": prelim_done,
                "preliminary_done_on": (planned_start - timedelta(days=rng.randint(10, 120))
                                        if prelim_done else None),
                "planned_start": planned_start, "actual_start": actual_start,
                "is_illustrative": True,
            }

    @staticmethod
    def plans(ids, years, rng, plans):
        for pk in ids.values():
            for year in years:
                planned = rng.randint(100, 20_000)
                plans[(pk, year)] = planned
                yield {"project_id": pk, "year": year, "planned_investment": Decimal(planned),
                       "industrial_investment": Decimal(planned * rng.randint(0, 10) // 10),
                       "is_illustrative": True}

    @staticmethod
    def reports(plans, years, rng):
        statuses = ["approved"] * 95 + ["submitted"] * 3 + ["draft"] * 2
        for (pk, year), planned in plans.items():
            pace = rng.randint(20, 130)  # this project's pace this year, in % of plan
            for month in range(1, 13):
                completed = planned * pace * rng.randint(0, 200) // 120_000
                yield {"project_id": pk, "year": year, "month": month,
                       "completed_investment": Decimal(completed),
                       "fixed_asset_investment": Decimal(completed * 9 // 10),
                       "status": rng.choice(statuses), "is_illustrative": True}

    @staticmethod
    def enterprises(park, industries, years, n, rng, first=0):
        relations = ["resident"] * 6 + ["managed"] * 3 + ["none"]
        for i in range(first, first + n):
            yield {
                "park_id": park.pk, "name": f"合成企业{i:06d}有限公司",
                "credit_code": credit_code(i), "industry_id": rng.choice(industries),
                "relation": rng.choice(relations), "status": "settled",
                "settled_on": date(rng.randint(years[0] - 5, years[-1]), rng.randint(1, 12), 1),
                "registered_capital": Decimal(rng.randint(10, 50_000)),
                "employees": rng.randint(1, 500),
                "introduced_year": rng.choice([*years, None, None]),
                "is_illustrative": True,
            }

    @staticmethod
    def demands(enterprise_ids, n, end_year, rng, staff: int):
        now = timezone.now()
        categories = [c for c, _ in Demand.Category.choices]
        for i in range(n):
            created = now.replace(year=end_year, month=rng.randint(1, 12), day=rng.randint(1, 28))
            resolved = rng.random() < 0.6
            yield {
                "enterprise_id": rng.choice(enterprise_ids), "category": rng.choice(categories),
                "description": f"合成诉求 {i}", "created_at": created,
                "status": "resolved" if resolved else "open",
                "resolution": "已解决（合成）" if resolved else "",
                "resolved_at": created + timedelta(days=rng.randint(1, 40)) if resolved else None,
                "due_on": (created + timedelta(days=30)).date(), "created_by_id": staff,
            }
