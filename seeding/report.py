"""Load a park as its report describes it, from a JSON file in fixtures/.

Idempotent: every record is found by its natural key and only written when a value differs,
so a second run writes nothing (no saves, no history rows). See docs/seed-data.md.
"""

from __future__ import annotations

import json
import secrets
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal
from pathlib import Path

from django.conf import settings
from django.contrib.auth.models import Group, User
from django.db import transaction

from enterprises.models import Demand, Enterprise, Visit
from parkportal.role_permissions import ensure_role_permissions
from parkportal.roles import ADMIN, ALL_ROLES, LEADER, STAFF
from parks.models import Industry, Park, ParkAnnualTarget, ParkMember, Region, RegionMember
from projects.models import AnnualPlan, PreliminaryProcedure, ProgressReport, Project
from talent.models import InnovationCenter, PartnerOrganization, TalentIntroduction

DEMO_REGION = "hanzhong"  # the region of the demo region leader
DEFAULT_FIXTURE = Path(settings.BASE_DIR) / "fixtures" / "zhenba-2024.json"

# Which seeded projects and enterprises the demo staff member is responsible for.
DEMO_STAFF_PROJECTS = ("ZB2024-02", "ZB2024-03", "ZB2024-05", "ZB2024-07", "ZB2024-10")
DEMO_STAFF_ENTERPRISE_COUNT = 12


@dataclass
class SeedResult:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    passwords: dict[str, str] = field(default_factory=dict)


def _date(value: str | None) -> date | None:
    return date.fromisoformat(value) if value else None


def _money(value: str | None) -> Decimal | None:
    return Decimal(value) if value is not None else None


class Seeder:
    def __init__(self, data: dict):
        self.data = data
        self.result = SeedResult()

    def upsert(self, model, lookup: dict, values: dict):
        """Create, or update only the fields that differ; count what happened."""
        obj = model.objects.filter(**lookup).first()
        if obj is None:
            obj = model(**lookup, **values)
            obj.full_clean()
            obj.save()
            self.result.created += 1
            return obj
        changed = [name for name, value in values.items() if getattr(obj, name) != value]
        if changed:
            for name in changed:
                setattr(obj, name, values[name])
            obj.full_clean()
            obj.save()
            self.result.updated += 1
        else:
            self.result.unchanged += 1
        return obj

    def run(self) -> SeedResult:
        data = self.data
        regions = self.seed_regions()
        park_values = {k: v for k, v in data["park"].items() if k not in ("slug", "region")}
        if data["park"].get("region"):
            park_values["region"] = regions[data["park"]["region"]]
        park = self.upsert(Park, {"slug": data["park"]["slug"]}, park_values)
        industries = {
            row["slug"]: self.upsert(Industry, {"slug": row["slug"]},
                                     {"name": row["name"], "name_en": row["name_en"],
                                      "sort_order": row["sort_order"]})
            for row in data["industries"]
        }
        for row in data["targets"]:
            values = {k: v for k, v in row.items() if k != "year"}
            for key in ("total_investment", "annual_investment", "industrial_investment",
                        "major_preliminary_investment"):
                values[key] = _money(values[key])
            self.upsert(ParkAnnualTarget, {"park": park, "year": row["year"]}, values)
        self.seed_enterprises(park, industries)
        self.seed_projects(park, industries)
        self.seed_talent(park)
        self.seed_leads(park, industries)
        return self.result

    def seed_regions(self) -> dict:
        """The regions above the park (province first, so each parent exists), by slug."""
        regions = {}
        for row in self.data.get("regions", []):
            regions[row["slug"]] = self.upsert(Region, {"slug": row["slug"]}, {
                "name": row["name"], "level": row["level"],
                "parent": regions[row["parent"]] if row["parent"] else None})
        return regions

    def seed_projects(self, park, industries):
        for row in self.data["projects"]:
            project = self.upsert(Project, {"code": row["code"]}, {
                "park": park, "name": row["name"], "industry": industries[row["industry"]],
                "construction_content": row["construction_content"],
                "total_investment": _money(row["total_investment"]),
                "is_major": row["is_major"], "is_industrial": row["is_industrial"],
                "stage": row["stage"],
                "preliminary_done": row["preliminary_done_on"] is not None,
                "preliminary_done_on": _date(row["preliminary_done_on"]),
                "planned_start": _date(row["planned_start"]),
                "actual_start": _date(row["actual_start"]),
                "planned_completion": _date(row["planned_completion"]),
                "location": row["location"], "is_illustrative": row["illustrative"],
            })
            for plan in row["plans"]:
                self.upsert(AnnualPlan, {"project": project, "year": plan["year"]}, {
                    "planned_investment": _money(plan["planned_investment"]),
                    "industrial_investment": _money(plan["industrial_investment"]),
                    "milestones": plan["milestones"], "is_illustrative": True,
                })
            for report in row["reports"]:
                year, month = (int(part) for part in report["period"].split("-"))
                self.upsert(ProgressReport, {"project": project, "year": year, "month": month}, {
                    "completed_investment": _money(report["completed_investment"]),
                    "fixed_asset_investment": _money(report["fixed_asset_investment"]),
                    "image_progress": report["image_progress"], "problems": report["problems"],
                    "stage": report["stage"], "status": report["status"],
                    "is_illustrative": True,
                })
            for procedure in row["procedures"]:
                self.upsert(PreliminaryProcedure, {"project": project, "kind": procedure["kind"]},
                            {"status": procedure["status"],
                             "done_on": _date(procedure.get("done_on"))})

    def seed_enterprises(self, park, industries):
        for row in self.data["enterprises"]:
            self.upsert(Enterprise, {"park": park, "credit_code": row["credit_code"]}, {
                "name": row["name"], "industry": industries[row["industry"]],
                "origin": row["origin"], "relation": row["relation"], "status": row["status"],
                "settled_on": _date(row["settled_on"]),
                "registered_capital": _money(row["registered_capital"]),
                "employees": row["employees"], "introduced_year": row["introduced_year"],
                "is_illustrative": row["illustrative"],
            })

    def seed_leads(self, park, industries):
        """The enterprises introduced in 2024 as landed investment leads (issue 13): linked to
        their enterprises, with stage dates, signed amounts and funds in place that are all
        illustrative (docs/seed-data.md, F21)."""
        from leads.models import LeadFunds, LeadStageChange
        from projects.models import InvestmentLead, LeadStage

        for row in self.data.get("leads", []):
            enterprise = Enterprise.objects.get(park=park,
                                                credit_code=row["enterprise_credit_code"])
            lead = self.upsert(InvestmentLead, {"park": park, "enterprise": enterprise}, {
                "investor": row["investor"], "industry": industries[row["industry"]],
                "source": row["source"], "stage": LeadStage.LANDED,
                "intended_investment": _money(row["intended_investment"]),
                "signed_amount": _money(row["signed_amount"]),
                "registered_on": _date(row["registered_on"]),
                "negotiating_on": _date(row["negotiating_on"]),
                "signed_on": _date(row["signed_on"]), "landed_on": _date(row["landed_on"]),
                "is_illustrative": True,
            })
            moves = ((("", LeadStage.LEAD, "registered_on"),
                      (LeadStage.LEAD, LeadStage.NEGOTIATING, "negotiating_on"),
                      (LeadStage.NEGOTIATING, LeadStage.SIGNED, "signed_on"),
                      (LeadStage.SIGNED, LeadStage.LANDED, "landed_on")))
            for from_stage, to_stage, key in moves:
                self.upsert(LeadStageChange, {"lead": lead, "to_stage": to_stage},
                            {"from_stage": from_stage, "changed_on": _date(row[key]),
                             "reason": "【示例】"})
            for funds in row["funds_in_place"]:
                self.upsert(LeadFunds, {"lead": lead, "received_on": _date(funds["received_on"])},
                            {"amount": _money(funds["amount"]), "note": "【示例】"})

    def seed_talent(self, park):
        partners = {
            row["name"]: self.upsert(PartnerOrganization, {"park": park, "name": row["name"]}, {
                "location": row["location"], "field": row["field"],
                "joined_on": _date(row["joined_on"])})
            for row in self.data["partners"]
        }
        centers = {
            row["name"]: self.upsert(InnovationCenter, {"park": park, "name": row["name"]}, {
                "kind": row["kind"], "city": row["city"],
                "partner": partners.get(row["partner"]),
                "established_on": _date(row["established_on"])})
            for row in self.data["innovation_centers"]
        }
        employers = {e.name: e for e in Enterprise.objects.filter(park=park, is_illustrative=False)}
        for row in self.data["talents"]:
            self.upsert(TalentIntroduction, {"park": park, "person_name": row["person_name"]}, {
                "degree": row["degree"], "field": row["field"], "mode": row["mode"],
                "innovation_center": centers.get(row["innovation_center"]),
                "partner": partners.get(row["partner"]),
                "employer": employers.get(row["employer"]),
                "introduced_on": _date(row["introduced_on"]), "is_illustrative": True,
            })

    def seed_demo_users(self, park: Park, password: str | None) -> None:
        ensure_role_permissions()
        groups = {name: Group.objects.get_or_create(name=name)[0] for name in ALL_ROLES}
        # Chinese names go whole into first_name: get_full_name() joins "first last".
        demo = [("staff1", STAFF, "张晓明", False), ("staff2", STAFF, "陈丽", False),
                ("leader1", LEADER, "李建国", False), ("admin1", ADMIN, "王管理", True)]
        for username, role, full_name, is_admin in demo:
            user = User.objects.filter(username=username).first()
            if user is None:
                user = User(username=username, first_name=full_name,
                            is_staff=is_admin, is_superuser=False)
                chosen = password or secrets.token_urlsafe(12)
                user.set_password(chosen)
                user.save()
                self.result.created += 1
                self.result.passwords[username] = chosen
            elif password and not user.check_password(password):
                user.set_password(password)
                user.save(update_fields=["password"])
                self.result.updated += 1
                self.result.passwords[username] = password
            if is_admin and (user.is_superuser or not user.is_staff):
                # A park admin: the admin group's permissions, is_staff to reach /admin/, never
                # a superuser (which would see and edit every park). Earlier seeds made one.
                user.is_superuser, user.is_staff = False, True
                user.save(update_fields=["is_superuser", "is_staff"])
                self.result.updated += 1
            if not user.groups.filter(pk=groups[role].pk).exists():
                user.groups.add(groups[role])
            ParkMember.objects.get_or_create(user=user, defaults={"park": park})
        self.seed_demo_region_leader(groups[LEADER], password)
        self.assign_demo_staff(park)
        self.seed_demo_visits(park)

    def seed_demo_region_leader(self, leader_group, password: str | None) -> None:
        """`cityleader1`: a leader of the city region (汉中市) the park sits in: reads the
        region dashboard and, through it, each park's (no park membership)."""
        region = Region.objects.filter(slug=DEMO_REGION).first()
        if region is None:
            return
        user = User.objects.filter(username="cityleader1").first()
        if user is None:
            user = User(username="cityleader1", first_name="赵市")
            chosen = password or secrets.token_urlsafe(12)
            user.set_password(chosen)
            user.save()
            self.result.created += 1
            self.result.passwords[user.username] = chosen
        elif password and not user.check_password(password):
            user.set_password(password)
            user.save(update_fields=["password"])
            self.result.updated += 1
            self.result.passwords[user.username] = password
        if not user.groups.filter(pk=leader_group.pk).exists():
            user.groups.add(leader_group)
        RegionMember.objects.get_or_create(user=user, defaults={"region": region})

    def assign_demo_staff(self, park: Park) -> None:
        """staff1 has some projects and enterprises; staff2 the rest, so none is unassigned."""
        staff1, staff2 = (User.objects.get(username=name) for name in ("staff1", "staff2"))
        for project in Project.objects.filter(park=park).prefetch_related("responsible"):
            owner = staff1 if project.code in DEMO_STAFF_PROJECTS else staff2
            if owner not in project.responsible.all():
                project.responsible.add(owner)
        enterprises = Enterprise.objects.filter(park=park).order_by("credit_code")
        for index, enterprise in enumerate(enterprises.prefetch_related("responsible")):
            owner = staff1 if index < DEMO_STAFF_ENTERPRISE_COUNT else staff2
            if owner not in enterprise.responsible.all():
                enterprise.responsible.add(owner)

    def seed_demo_visits(self, park: Park) -> None:
        """The report's weekly visit (F18): each served enterprise visited in the last week of
        Q1 2024 by its assigned staff member, and a few demands raised. Illustrative."""
        week = [date(2024, 3, 25) + timedelta(days=offset) for offset in range(5)]
        served = Enterprise.objects.filter(park=park).order_by("credit_code")
        for index, enterprise in enumerate(served.prefetch_related("responsible")):
            staff = enterprise.responsible.all()[0]
            lookup = {"enterprise": enterprise, "visited_on": week[index % len(week)],
                      "staff": staff}
            self.upsert(Visit, lookup, {"kind": Visit.Kind.ON_SITE,
                                        "notes": "【示例】例行走访，了解一季度生产经营情况。"})
        for row in self.data.get("demo_demands", []):
            enterprise = Enterprise.objects.get(park=park, name=row["enterprise"])
            visit = Visit.objects.filter(enterprise=enterprise).order_by("visited_on").first()
            self.upsert(Demand, {"enterprise": enterprise, "description": row["description"]}, {
                "visit": visit, "category": row["category"], "status": row["status"],
                "due_on": _date(row["due_on"]), "resolution": row.get("resolution", ""),
                "resolved_at": (datetime.fromisoformat(row["resolved_at"])
                                if row.get("resolved_at") else None),
                "assignee": visit.staff if visit else None,
                "created_by": visit.staff if visit else None,
            })


def seed_report(*, path: Path = DEFAULT_FIXTURE, demo_users: bool = False,
                password: str | None = None) -> SeedResult:
    """Load the report's park from `path`; optionally the demo users (staff1, staff2, leader1,
    admin1) with the weekly visits and a few demands."""
    data = json.loads(Path(path).read_text(encoding="utf-8"))
    seeder = Seeder(data)
    with transaction.atomic():
        result = seeder.run()
        if demo_users:
            park = Park.objects.get(slug=data["park"]["slug"])
            seeder.seed_demo_users(park, password)
    return result
