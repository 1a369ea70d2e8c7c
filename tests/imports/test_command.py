"""`manage.py import_enterprises`: output, JSON and exit status."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command

from enterprises.models import Enterprise, ImportBatch
from tests.imports import files

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parents[2]


def run(capsys, *args):
    try:
        call_command("import_enterprises", *map(str, args))
        status = 0
    except SystemExit as exc:
        status = exc.code
    out = capsys.readouterr()
    return status, out.out, out.err


def test_json_output_and_reimport(park, industries, import_file, capsys):
    rows = [files.HEADER, *files.rows(3), ["4", "无代码公司", "", "1", "", "", ""]]
    path = import_file(files.xlsx_bytes(rows), "名单.xlsx")
    status, out, _err = run(capsys, path, "--park", park.slug, "--format", "json")
    assert status == 0
    data = json.loads(out)
    batch = ImportBatch.objects.get()
    assert data == {"created": 3, "updated": 0, "unchanged": 0, "rejected": 1,
                    "errors": [{"row": 6, "column": "统一社会信用代码",
                                "message": "缺少统一社会信用代码。"}],
                    "batch": batch.pk}
    status, out, _err = run(capsys, path, "--park", park.slug, "--format", "json")
    assert json.loads(out)["unchanged"] == 3 and Enterprise.objects.count() == 3


def test_dry_run(park, industries, import_file, capsys):
    path = import_file(files.csv_bytes([files.HEADER, *files.rows(2)]))
    status, out, _err = run(capsys, path, "--park", park.slug, "--dry-run", "--format", "json")
    assert status == 0 and json.loads(out)["created"] == 2 and json.loads(out)["batch"] is None
    assert Enterprise.objects.count() == 0 and ImportBatch.objects.count() == 0


def test_strict_exit_1(park, industries, import_file, capsys):
    rows = [files.HEADER, *files.rows(2), ["3", "坏", "XYZ", "", "", "", ""]]
    path = import_file(files.csv_bytes(rows))
    status, out, _err = run(capsys, path, "--park", park.slug, "--strict", "--format", "json")
    assert status == 1
    assert json.loads(out)["rejected"] == 1
    assert Enterprise.objects.count() == 0


def test_text_output(park, industries, import_file, capsys):
    path = import_file(files.csv_bytes([files.HEADER, *files.rows(2)]))
    status, out, _err = run(capsys, path, "--park", park.slug)
    assert status == 0 and "新增 2" in out


@pytest.mark.parametrize("data", [b"%PDF-1.7\x00", b"a,b\n1,2\n"])
def test_file_level_error_exit_2(park, import_file, capsys, data):
    path = import_file(data, "x.xlsx")
    status, out, err = run(capsys, path, "--park", park.slug, "--format", "json")
    assert status == 2 and out == "" and err.strip()
    assert ImportBatch.objects.count() == 0


def test_unknown_park_exit_2(import_file, capsys):
    path = import_file(files.csv_bytes([files.HEADER, *files.rows(1)]))
    status, _out, err = run(capsys, path, "--park", "nowhere")
    assert status == 2 and "nowhere" in err


def test_exit_status_from_a_real_process(import_file):
    """The shell sees 2 and the message on stderr (the file is refused before any query)."""
    path = import_file(b"\x89PNG\r\n\x1a\n\x00\x00\x00", "photo.xls")
    env = {**os.environ, "DATABASE_URL": "sqlite:////nonexistent/never-opened.sqlite3"}
    proc = subprocess.run([sys.executable, "manage.py", "import_enterprises", str(path),
                           "--park", "zhenba", "--format", "json"], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=60)
    assert proc.returncode == 2
    assert proc.stdout == ""
    assert "不是电子表格" in proc.stderr
