"""`pressdesk analyse` works without a database: run it with DATABASE_URL pointing nowhere."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from pressdesk.nlp.analyser import OUTPUT_KEYS

ROOT = Path(__file__).resolve().parents[2]


def run(args: list[str], tmp_path: Path) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ)
    # Any database access would fail: the directory does not exist.
    env["DATABASE_URL"] = f"sqlite:///{tmp_path}/missing-dir/none.sqlite3"
    env["DJANGO_SETTINGS_MODULE"] = "pressdesk.settings"
    return subprocess.run(
        [sys.executable, "-m", "pressdesk", "analyse", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )


def write(path: Path, lines: list[str]) -> Path:
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_analyse_jsonl_without_database(tmp_path):
    source = write(
        tmp_path / "in.jsonl",
        [
            json.dumps(
                {
                    "id": "a1",
                    "title": "Thanh Hóa: Khởi công cao tốc qua huyện Nông Cống",
                    "text": "UBND tỉnh Thanh Hóa khởi công dự án đường cao tốc.\nDự án có vốn 12.000 tỷ đồng.",
                    "published": "2024-03-02",
                },
                ensure_ascii=False,
            ),
            json.dumps(
                {"id": 2, "title": "Chị Thanh Hòa bán hàng online", "text": "Chị Thanh Hòa ở Hà Nội."},
                ensure_ascii=False,
            ),
            "",
        ],
    )
    out = tmp_path / "out.jsonl"
    proc = run(["--input", str(source), "--output", str(out)], tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert not (tmp_path / "missing-dir").exists()
    rows = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert [r["id"] for r in rows] == ["a1", 2]
    assert all(tuple(r) == OUTPUT_KEYS for r in rows)
    assert rows[0]["about_province"] is True and rows[0]["area"] == 1
    assert rows[1]["about_province"] is False


def test_plan_argument_json(tmp_path):
    plan = {
        "year": 2027,
        "areas": [{"number": 7, "title": "Du lịch", "topics": [{"order": 1, "text": "Du lịch biển"}]}],
        "events": [],
    }
    plan_path = tmp_path / "plan.json"
    plan_path.write_text(json.dumps(plan, ensure_ascii=False), encoding="utf-8")
    source = write(
        tmp_path / "in.jsonl",
        [
            json.dumps(
                {
                    "id": 1,
                    "title": "Du khách đổ về biển Sầm Sơn",
                    "text": "Biển Sầm Sơn (Thanh Hóa) đón 200.000 du khách dịp lễ, khách sạn kín phòng.",
                },
                ensure_ascii=False,
            )
        ],
    )
    out = tmp_path / "out.jsonl"
    proc = run(["--input", str(source), "--output", str(out), "--plan", str(plan_path)], tmp_path)
    assert proc.returncode == 0, proc.stderr
    row = json.loads(out.read_text(encoding="utf-8"))
    assert row["about_province"] is True and row["area"] == 7


@pytest.mark.parametrize(
    ("lines", "message"),
    [
        (['{"id": 1, "title": "a", "text": "b"}', "not json"], "Dòng 2: không phải JSON hợp lệ"),
        (['{"id": 1, "title": "a"}'], "Dòng 1: thiếu trường text"),
        (['{"id": 1, "title": "a", "text": "b"}', "", "[1, 2]"], "Dòng 3: cần một đối tượng JSON"),
        (['{"id": 1, "title": 5, "text": "b"}'], "Dòng 1: trường title phải là chuỗi"),
    ],
)
def test_bad_lines_name_the_line(tmp_path, lines, message):
    out = tmp_path / "out.jsonl"
    proc = run(["--input", str(write(tmp_path / "in.jsonl", lines)), "--output", str(out)], tmp_path)
    assert proc.returncode != 0
    assert message in proc.stderr
    assert not out.exists()
