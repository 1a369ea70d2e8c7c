"""Mutation testing of the core modules with mutmut 3 (`make mutation`; not part of `make test`).

Each module is mutated in its own scratch copy of the checkout and judged by its own fast unit
tests only (SQLite), so a survivor says "this module's tests miss it", not "some browser test
somewhere might notice". Prints per module the mutants, killed and survived and every survivor,
and writes docs/testing.md.

    python scripts/mutation.py                    # every module, writes docs/testing.md
    python scripts/mutation.py credit_code        # one module (docs/testing.md untouched)
    python scripts/mutation.py --jobs 2           # mutants run in parallel (default 1)

Equivalent mutants (no test can tell them from the original) are listed in EQUIVALENT with the
reason; they count in the totals but not in the "non-equivalent killed" rate.
"""

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DOC = ROOT / "docs" / "testing.md"
# Every Django app of the checkout (a folder with an apps.py), so a new app is copied too.
APPS = sorted(p.parent.name for p in ROOT.glob("*/apps.py"))
ALSO_COPY = ["conftest.py", "manage.py", "locale", "fixtures", "seed"]
SKIP = shutil.ignore_patterns(".venv", "node_modules", ".git", "mutants", "staticfiles", "media",
                              "test-output", "bench", "__pycache__", "*.pyc", ".ruff_cache",
                              "db.sqlite3", "vendor")


@dataclass
class Module:
    key: str
    path: str  # the file mutated
    tests: list[str]  # its own tests (files or node ids)
    functions: list[str] = field(default_factory=list)  # only these (all when empty)
    note: str = ""

    @property
    def dotted(self) -> str:
        return self.path.removesuffix(".py").replace("/", ".")

    def patterns(self) -> list[str]:
        """mutmut mutant-name globs: x_<function>__mutmut_N, xǁClassǁmethod__mutmut_N."""
        if not self.functions:
            return []
        names = []
        for name in self.functions:
            if "." in name:
                cls, method = name.split(".")
                names.append(f"{self.dotted}.xǁ{cls}ǁ{method}__mutmut_*")
            else:
                names.append(f"{self.dotted}.x_{name}__mutmut_*")
        return names


MODULES = [
    Module("credit_code", "enterprises/credit_code.py",
           ["tests/enterprises/test_credit_code.py"]),
    Module("normalize", "enterprises/importing/normalize.py",
           ["tests/imports/test_normalize.py", "tests/imports/test_industry.py"]),
    Module("periods", "parkportal/periods.py",
           ["tests/dashboard/test_selectors.py", "tests/parks/test_selectors.py",
            "tests/parkportal/test_periods.py"]),
    Module("money", "parkportal/money.py", ["tests/dashboard/test_selectors.py"]),
    Module("figure_helpers", "dashboard/selectors.py",
           ["tests/dashboard/test_selectors.py"],
           functions=["as_of_date", "default_period", "to_jsonable", "_leaves", "_number",
                      "figure_differences"],
           note="the period and figure helpers only; the SQL roll-ups are held by the figure "
                "tests against hand-computed values"),
    Module("quarter_closes", "parks/selectors.py", ["tests/parks/test_selectors.py"]),
    Module("permissions", "parkportal/permissions.py",
           ["tests/parkportal/test_permissions.py"]),
    Module("import_service", "enterprises/importing/writer.py",
           ["tests/imports/test_writer.py", "tests/imports/test_writer_batches.py"],
           functions=["_model_field", "_attname", "analyse", "_orm_plan", "_write_orm",
                      "_history_m2m_orm", "new_batch", "commit", "run_import"],
           note="the ORM path and the batch functions, on SQLite; `classify` and `write` "
                "branch to the PostgreSQL COPY path (`_stage`, `_write_sql`), whose mutants "
                "cannot fail on SQLite: that path is held equal to the ORM path by the writer "
                "tests under `make test-pg`; `rerun_batch` runs in the worker process "
                "(tests/imports/test_background.py), out of mutmut's reach; `sha256` and "
                "`batch_reason` moved to imports/batches.py (issue 14)"),
]

# mutant name -> why no test can kill it. Keep the reason short and checkable.
_N = "enterprises.importing.normalize."
_FAST_DATE = ("ISO fast path only: a date it lets through (or not) gets the same answer and "
              "the same 1900..2100 bounds from the general path below it")
_FAST_AMOUNT = ("plain-number fast path only: '1,200' fails Decimal() there and falls through "
                "to the general path, which gives the same amount")
_P = "parkportal.permissions."
_VALUE = "Value() infers BooleanField from a bool; the output_field only says so twice"
_W = "enterprises.importing.writer."
_ZIP = ("zip(strict=True) to None, False or left out: the record and the attribute names both "
        "come from validated.fields, so their lengths are always equal")
_CHUNK = ("the chunk size of a bulk write (500 to 501, None or left out): the same rows are "
          "written; with None Django splits to SQLite's variable limit itself (this ORM path "
          "never runs on PostgreSQL, which takes the COPY path)")
EQUIVALENT = {
    **{_N + f"x_industry_parser__mutmut_{i}": "the industry parser's cache only saves "
       "recomputing a cell: not caching, looking up None, caching None or one more entry "
       "gives the same IndustryCell for every text" for i in (78, 79, 83, 84)},
    _N + "x_industry_parser__mutmut_68": "chain_of('') is always None: no chain key is empty "
                                         "(empty names are skipped when the keys are built)",
    "dashboard.selectors.x_to_jsonable__mutmut_6": "format(Decimal, 'F') equals 'f' for every "
                                                   "finite amount (they differ only for NaN and "
                                                   "infinity, which no figure holds)",
    "parks.selectors.x__under__mutmut_4": "range(0, …) adds depth 0: Q(region=region), the "
                                          "condition the Q starts with, a second time",
    "dashboard.selectors.x__number__mutmut_2": "`None and bool` for `None or bool`: a None or "
                                               "a bool then reaches Decimal(str(value)), which "
                                               "raises InvalidOperation for 'None' and 'True', "
                                               "caught: None either way",
    _P + "x_region_of__mutmut_3": "an anonymous user has no region_member: getattr gives None "
                                  "either way",
    _P + "x_park_of__mutmut_3": "an anonymous user has no park_member: getattr gives None "
                                "either way",
    **{_P + f"x_may_see_personal_data__mutmut_{i}": _VALUE for i in (5, 7, 12, 14)},
    _P + "x_personal_data_enterprise_ids__mutmut_7": "values_list(flat=True) with no field "
                                                     "lists the primary key",
    _N + "x_fold__mutmut_1": "NFKC leaves ASCII text unchanged; the test is a shortcut",
    _N + "x_fold_alnum__mutmut_1": "translating ASCII text with a full-width table is a no-op",
    _N + "x_parse_amount__mutmut_8": _FAST_AMOUNT,
    _N + "x_parse_amount__mutmut_9": _FAST_AMOUNT,
    **{_N + f"x_parse_date__mutmut_{i}": _FAST_DATE for i in (3, 4, 5, 6, 9, 10, 11)},
    _N + "x_is_totals_row__mutmut_25": "rstrip('XX:XX') instead of rstrip(':'): the key is "
                                       "lower-cased first, so it never ends in an upper-case X",
    _N + "x_is_totals_row__mutmut_35": "`return` (None) instead of `break` then `return False`: "
                                       "both falsy, and callers use the result as a condition",
    "enterprises.credit_code.x_normalize_credit_code__mutmut_15":
        '`ch == "\\u3000"` is redundant: `"\\u3000".isspace()` is already true',
    **{_W + f"x__orm_plan__mutmut_{i}": _ZIP for i in (28, 31, 32, 39, 42, 43)},
    _W + "x__orm_plan__mutmut_35": "`dirty = None` instead of False: both falsy, and `dirty` "
                                   "is only tested for truth",
    **{_W + f"x__write_orm__mutmut_{i}": _CHUNK for i in (8, 10, 11, 18, 21, 27)},
    **{_W + f"x__history_m2m_orm__mutmut_{i}": _CHUNK for i in (27, 29, 30)},
    **{_W + f"x__write_orm__mutmut_{i}": "`update=None` or left out: bulk_history_create's "
                                          "default is update=False, and None is as falsy"
       for i in (30, 35)},
    **{_W + f"x__history_m2m_orm__mutmut_{i}": "apps.get_model() finds a model by its name "
                                                "in any letter case"
       for i in (11, 12)},
    _W + "x_new_batch__mutmut_47": "`save=None` instead of save=False: both falsy, the file "
                                   "is stored without saving the batch twice either way",
    **{_W + f"x_new_batch__mutmut_{i}": "rsplit('/') with no or a larger maxsplit: the last "
                                        "part, the only one used, is the same"
       for i in (55, 58)},
    **{_W + f"x_run_import__mutmut_{i}": "commit() without the user writes in the name of "
                                         "batch.created_by, which run_import has just set to "
                                         "that same user"
       for i in (49, 52)},
}

# Survivors that are not equivalent but that the module's own tests cannot reach: mutant name
# -> where the behaviour is held instead. They stay counted as survivors.
EXPLAINED = {
    **{_N + f"x_industry_parser__mutmut_{i}":
       "the rule that splits a leading code off a national classification (`C27 医药制造业`, "
       "`C 制造业`) for codes and names of unusual shapes (a code with spaces or a dash inside, "
       "a name starting with an ASCII letter after a code ending in a letter, separators "
       "around the name): the shapes tests/imports/test_industry.py gives are split right "
       "with or without these mutants; not yet covered by a test of its own"
       for i in (40, 41, 42, 43, 61, 65)},
    **{_N + f"x__choices__mutmut_{i}":
       "`_choices` runs only while the module is imported (it builds RELATIONS and STATUSES); "
       "mutmut switches a mutant on after the import, so no test can reach it. The tables it "
       "builds are held by tests/imports/test_normalize.py (relations and statuses by name)"
       for i in range(1, 7)},
    _W + "x_run_import__mutmut_33":
        "`new_batch(validated=None)` in run_import: the running batch holds 0 rows instead of "
        "the file's count until commit() ends it, and every end commit() records (committed, "
        "strict abort, failed) sets the counts of the rows it checked; only a batch withdrawn "
        "in the middle of run_import's own write (cancelled from the wizard while the command "
        "line writes it) would keep the 0. Not reached by the module's tests; the counts at "
        "each end are held by tests/imports/test_writer_batches.py",
    _W + "x_run_import__mutmut_46":
        "`LeaseKeeper(None)` renews no lease while run_import writes. Only visible when a "
        "write outlasts a quarter of IMPORT_LEASE_SECONDS on PostgreSQL: on SQLite the "
        "keeper's UPDATE waits on the write's own lock, so no renewal lands before the commit. The "
        "lease of a background import (tasks.run_batch's own keeper) is held by "
        "tests/imports/test_background.py (a killed worker is detected by its lapsed lease)",
}

STATUS_LINE = re.compile(r"^\s+(\S+__mutmut_\d+): (.+)$")


def run(cmd, cwd, log, env):
    log.write(f"$ {' '.join(cmd)}\n")
    log.flush()
    return subprocess.run(cmd, cwd=cwd, env=env, stdout=log, stderr=subprocess.STDOUT,
                          check=False)


def mutate(module: Module, jobs: int, workdir: Path, reuse=False) -> dict:
    """Run mutmut over one module in a scratch copy; return {mutant name: status}."""
    copy = workdir / module.key
    if reuse and (copy / "mutants").is_dir():
        return statuses_of(module, copy)
    if copy.exists():
        shutil.rmtree(copy)
    shutil.copytree(ROOT, copy, ignore=SKIP, symlinks=True)
    settings = "\n".join([
        "", "[tool.mutmut]",
        f"source_paths = {APPS!r}",
        f"only_mutate = [{module.path!r}]",
        f"also_copy = {ALSO_COPY!r}",
        f"pytest_add_cli_args_test_selection = {module.tests!r}",
        'pytest_add_cli_args = ["-p", "no:xdist", "-p", "no:playwright", "-q", "--reuse-db"]',
        "",
    ])
    with open(copy / "pyproject.toml", "a", encoding="utf-8") as f:
        f.write(settings)
    # One SQLite test database on disk, migrated once and reused by every mutant (creating
    # it takes far longer than a module's own tests).
    with open(copy / "parkportal" / "settings.py", "a", encoding="utf-8") as f:
        f.write('\nDATABASES["default"]["TEST"] = {"NAME": str(BASE_DIR / "mutation.sqlite3")}\n')
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}  # SQLite
    mutmut = [sys.executable, "-m", "mutmut"]
    with open(copy / "mutation.log", "w", encoding="utf-8") as log:
        run([*mutmut, "run", "--max-children", str(jobs), *module.patterns()], copy, log, env)
    return statuses_of(module, copy)


def statuses_of(module: Module, copy: Path) -> dict:
    result = subprocess.run([sys.executable, "-m", "mutmut", "results", "--all", "true"],
                            cwd=copy, capture_output=True, text=True, check=False)
    statuses = {}
    patterns = module.patterns()
    for line in result.stdout.splitlines():
        match = STATUS_LINE.match(line)
        if not match:
            continue
        name, status = match.groups()
        if patterns and not any(re.fullmatch(p.replace(".", r"\.").replace("*", ".*"), name)
                                for p in patterns):
            continue
        statuses[name] = status.strip()
    if not statuses:
        raise SystemExit(f"{module.key}: mutmut reported no mutants; see {copy}/mutation.log")
    return statuses


def diff(module: Module, name: str, workdir: Path) -> str:
    result = subprocess.run([sys.executable, "-m", "mutmut", "show", name],
                            cwd=workdir / module.key, capture_output=True, text=True,
                            check=False)
    lines = [line for line in result.stdout.splitlines()
             if line.startswith(("+", "-")) and not line.startswith(("+++", "---"))]
    return "\n".join(lines)


def summarise(module: Module, statuses: dict, workdir: Path) -> dict:
    killed = [n for n, s in statuses.items() if s in ("killed", "timeout")]
    survived = [n for n, s in statuses.items() if n not in killed]
    equivalent = [n for n in survived if n in EQUIVALENT]
    real = [n for n in survived if n not in EQUIVALENT]
    non_equivalent = len(statuses) - len(equivalent)
    return {
        "module": module, "mutants": len(statuses), "killed": len(killed),
        "survived": len(survived), "equivalent": equivalent,
        "survivors": [(n, statuses[n], diff(module, n, workdir)) for n in real],
        "rate": len(killed) / non_equivalent if non_equivalent else 1.0,
        "raw_rate": len(killed) / len(statuses),
    }


def report(summaries: list[dict], seconds: float) -> str:
    lines = [
        "# Mutation testing",
        "",
        "`make mutation` (scripts/mutation.py, mutmut 3) changes one thing at a time in each "
        "core module and runs that module's own tests (SQLite, no browser); a mutant the tests "
        "do not notice *survives*. Target: at least 90 % of the non-equivalent mutants killed "
        "in each module. Figures below are from the last full run "
        f"({time.strftime('%Y-%m-%d')}, {seconds / 60:.1f} min).",
        "",
        "| module | tests | mutants | killed | survived | equivalent | killed of non-equivalent "
        "| killed of all |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for s in summaries:
        m = s["module"]
        lines.append(
            f"| `{m.path}`{' (part)' if m.functions else ''} | "
            f"{', '.join(f'`{t}`' for t in m.tests)} | {s['mutants']} | {s['killed']} | "
            f"{s['survived']} | {len(s['equivalent'])} | {s['rate']:.1%} | "
            f"{s['raw_rate']:.1%} |")
    missing = [m for m in MODULES if m not in [s["module"] for s in summaries]]
    if missing:
        lines += ["", "Not measured in this run: "
                  + ", ".join(f"`{m.path}`" for m in missing) + "."]
    lines += ["", "## What each run covers", ""]
    for s in summaries:
        m = s["module"]
        scope = f"functions {', '.join(f'`{f}`' for f in m.functions)}" if m.functions \
            else "the whole module"
        note = f" {m.note[0].upper()}{m.note[1:]}." if m.note else ""
        lines.append(f"- `{m.path}`: {scope}.{note}")
    lines += ["", "## Equivalent mutants", "",
              "Mutants no test can kill because the program behaves the same:", ""]
    any_equivalent = False
    for s in summaries:
        for name in s["equivalent"]:
            any_equivalent = True
            lines.append(f"- `{name}`: {EQUIVALENT[name]}")
    if not any_equivalent:
        lines.append("- none")
    lines += ["", "## Survivors", ""]
    any_survivor = False
    for s in summaries:
        for name, status, change in s["survivors"]:
            any_survivor = True
            lines += [f"- `{name}` ({status})", "", "  ```diff",
                      *[f"  {line}" for line in change.splitlines()], "  ```", ""]
            if name in EXPLAINED:
                lines += [f"  Why it survives: {EXPLAINED[name]}.", ""]
    if not any_survivor:
        lines.append("- none")
    lines += ["", "## Running it", "",
              "`make mutation` runs everything (a few minutes on 2 cores) and rewrites this "
              "file; `.venv/bin/python scripts/mutation.py credit_code` runs one module and "
              "prints its survivors; `--jobs 2` runs mutants in parallel. Scratch copies live "
              "in a temporary folder (`--workdir` keeps them for `mutmut show`). An "
              "equivalent mutant goes in `EQUIVALENT` in scripts/mutation.py with its reason; a "
              "survivor the module's own tests cannot reach goes in `EXPLAINED` with where it "
              "is held instead (it stays counted as a survivor).",
              ""]
    return "\n".join(lines)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("modules", nargs="*", help="module keys (default: all)")
    parser.add_argument("--jobs", type=int, default=1)
    parser.add_argument("--workdir", type=Path, help="keep scratch copies here")
    parser.add_argument("--reuse", action="store_true",
                        help="report the results already in --workdir instead of running")
    parser.add_argument("--doc", action="store_true",
                        help="write docs/testing.md even when only some modules ran")
    args = parser.parse_args(argv)
    known = {m.key: m for m in MODULES}
    unknown = set(args.modules) - set(known)
    if unknown:
        parser.error(f"unknown modules {sorted(unknown)}; known: {sorted(known)}")
    chosen = [known[k] for k in args.modules] if args.modules else MODULES
    workdir = args.workdir or Path(tempfile.mkdtemp(prefix="pp-mutation-"))
    workdir.mkdir(parents=True, exist_ok=True)
    started = time.monotonic()
    summaries = []
    for module in chosen:
        t0 = time.monotonic()
        summary = summarise(module, mutate(module, args.jobs, workdir, args.reuse), workdir)
        summaries.append(summary)
        print(f"{module.key:15} {module.path:40} mutants {summary['mutants']:4}  "
              f"killed {summary['killed']:4}  survived {summary['survived']:3}  "
              f"equivalent {len(summary['equivalent']):2}  "
              f"rate {summary['rate']:.1%}  ({time.monotonic() - t0:.0f} s)", flush=True)
        for name, status, change in summary["survivors"]:
            print(f"    survived: {name} ({status})"
                  + (" [explained in EXPLAINED]" if name in EXPLAINED else ""))
            for line in change.splitlines():
                print(f"        {line}")
    seconds = time.monotonic() - started
    if not args.modules or args.doc:
        DOC.write_text(report(summaries, seconds), encoding="utf-8")
        print(f"wrote {DOC.relative_to(ROOT)}")
    if not args.workdir:
        shutil.rmtree(workdir, ignore_errors=True)
    failing = [s["module"].key for s in summaries if s["rate"] < 0.9]
    if failing:
        print(f"below 90 % of non-equivalent mutants killed: {', '.join(failing)}")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
