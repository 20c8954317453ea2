"""`pressdesk analyse --input IN.jsonl --output OUT.jsonl [--plan PATH]`: analysis without a database.

Each input line {"id", "title", "text"} (optional "lead", "url", "published") gives one output line
{"id", "about_province", "relevance", "places", "area", "topics", "events", "tone", "false_info",
"model_version"} (see pressdesk/nlp/analyser.py). Nothing here touches the database.
"""

from __future__ import annotations

import argparse
import json
import os
import tempfile
import time
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser


class Command(BaseCommand):
    help = "Phân tích bài báo từ tệp JSONL (không cần cơ sở dữ liệu)."
    requires_system_checks: list[str] = []
    requires_migrations_checks = False

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--input", required=True, help="tệp JSONL đầu vào")
        parser.add_argument("--output", required=True, help="tệp JSONL kết quả")
        parser.add_argument("--plan", help="kế hoạch: tệp JSON (dạng plan show --json) hoặc văn bản kế hoạch")
        parser.add_argument("--workers", type=int, default=1, help="số tiến trình phân tích (mặc định 1)")
        parser.add_argument(
            "--embeddings",
            action=argparse.BooleanOptionalAction,
            default=None,
            help="dùng (hoặc --no-embeddings: không dùng) mô hình nhúng câu e5 để xác định lĩnh vực "
            "(mặc định theo PRESSDESK_NLP_EMBEDDINGS: có)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        from pressdesk.nlp.analyser import Analyser
        from pressdesk.nlp.plan import PlanError

        items = read_input(Path(options["input"]))
        plan = load_plan(options.get("plan"))
        started = time.monotonic()
        try:
            analyser = Analyser(plan, embeddings=options.get("embeddings"))
        except PlanError as exc:
            raise CommandError(f"Kế hoạch không hợp lệ: {exc}") from exc
        output = Path(options["output"])
        # Written next to the target and renamed at the end: a failure leaves no half-written file.
        fd, tmp = tempfile.mkstemp(dir=output.parent if str(output.parent) else ".", suffix=".part")
        count = about = 0
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as handle:
                for result in analyser.analyse_batch(items, workers=max(1, options["workers"])):
                    handle.write(json.dumps(result, ensure_ascii=False) + "\n")
                    count += 1
                    about += bool(result["about_province"])
            os.replace(tmp, output)
        finally:
            if os.path.exists(tmp):
                os.unlink(tmp)
        seconds = time.monotonic() - started
        self.stdout.write(
            f"Đã phân tích {count} bài ({about} bài về tỉnh) trong {seconds:.1f} giây; "
            f"model_version {analyser.model_version}"
        )


def read_input(path: Path) -> list[dict[str, Any]]:
    if not path.exists():
        raise CommandError(f"Không tìm thấy tệp đầu vào: {path}")
    items: list[dict[str, Any]] = []
    with path.open(encoding="utf-8") as handle:
        for number, line in enumerate(handle, start=1):
            if not line.strip():
                continue
            try:
                item = json.loads(line)
            except json.JSONDecodeError as exc:
                raise CommandError(f"Dòng {number}: không phải JSON hợp lệ ({exc.msg}).") from exc
            if not isinstance(item, dict):
                raise CommandError(f'Dòng {number}: cần một đối tượng JSON {{"id", "title", "text"}}.')
            missing = [key for key in ("id", "title", "text") if key not in item]
            if missing:
                raise CommandError(f"Dòng {number}: thiếu trường {', '.join(missing)}.")
            for key in ("title", "text", "lead", "url", "published"):
                if key in item and item[key] is not None and not isinstance(item[key], str):
                    raise CommandError(f"Dòng {number}: trường {key} phải là chuỗi.")
            items.append(item)
    return items


def load_plan(path_arg: str | None) -> dict[str, Any] | None:
    """None → the shipped 2024 plan (the importer's reading when available)."""
    if not path_arg:
        try:
            from pressdesk.monitoring.analysis import PLAN_DOCUMENT, plan_dict_from_document

            return plan_dict_from_document(PLAN_DOCUMENT)
        except Exception:
            return None  # the Analyser falls back to the JSON copy of the same plan
    path = Path(path_arg)
    if not path.exists():
        raise CommandError(f"Không tìm thấy tệp kế hoạch: {path}")
    if path.suffix.lower() == ".json":
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (json.JSONDecodeError, UnicodeDecodeError) as exc:
            raise CommandError(f"Tệp kế hoạch {path} không phải JSON hợp lệ: {exc}") from exc
        if not isinstance(data, dict):
            raise CommandError(f"Tệp kế hoạch {path} phải chứa một đối tượng JSON.")
        return data
    try:
        from pressdesk.monitoring.analysis import plan_dict_from_document

        return plan_dict_from_document(path)
    except Exception as exc:
        raise CommandError(f"Không đọc được văn bản kế hoạch {path}: {exc}") from exc
