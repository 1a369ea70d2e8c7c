"""Refresh the zh_Hans catalogue and fill translations from tab-separated files.

Usage: python scripts/translate.py [PAIRS.tsv ...]

Each line of a PAIRS file is `English source<TAB>中文`. The script runs makemessages,
fills every matching msgid (plural forms: give `singular|plural<TAB>单数|复数`), clears
the fuzzy flag on entries it filled, reports untranslated msgids, and compiles.
Run it under `flock locale/.lock` when several people work in one checkout.
"""

import subprocess
import sys
from pathlib import Path

import polib

ROOT = Path(__file__).resolve().parent.parent
PO = ROOT / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po"
PY = sys.executable


def manage(*args: str) -> None:
    subprocess.run([PY, "manage.py", *args, "-i", ".venv", "-i", "node_modules"],
                   cwd=ROOT, check=True, stdout=subprocess.DEVNULL)


def load_pairs(paths: list[str]) -> dict[str, str]:
    pairs: dict[str, str] = {}
    for path in paths:
        for number, line in enumerate(Path(path).read_text("utf-8").splitlines(), 1):
            if not line.strip() or line.startswith("#"):
                continue
            if "\t" not in line:
                sys.exit(f"{path}:{number}: no tab between source and translation")
            source, target = line.split("\t", 1)
            pairs[source.replace("\\n", "\n")] = target.replace("\\n", "\n")
    return pairs


def main() -> None:
    pairs = load_pairs(sys.argv[1:])
    manage("makemessages", "-l", "zh_Hans", "--no-location")
    catalogue = polib.pofile(str(PO))
    catalogue.metadata["Language"] = "zh_Hans"
    catalogue.metadata["Plural-Forms"] = "nplurals=1; plural=0;"
    for entry in catalogue:
        key = entry.msgid if not entry.msgid_plural else f"{entry.msgid}|{entry.msgid_plural}"
        if key in pairs:
            if entry.msgid_plural:
                entry.msgstr_plural = {0: pairs[key].split("|")[0]}
            else:
                entry.msgstr = pairs[key]
            if "fuzzy" in entry.flags:
                entry.flags.remove("fuzzy")
                entry.previous_msgid = None
                entry.previous_msgid_plural = None
    catalogue.save()
    missing = [e.msgid for e in catalogue if not e.translated() and not e.obsolete]
    manage("compilemessages")
    if missing:
        print(f"{len(missing)} untranslated:")
        for msgid in missing:
            print("  ", msgid.replace("\n", "\\n"))


if __name__ == "__main__":
    main()
