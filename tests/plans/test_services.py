"""Import into the database (idempotent, atomic, replace rules), edits with history, the command."""

from __future__ import annotations

import datetime as dt
import json
from io import StringIO
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied
from django.core.management import CommandError, call_command

from pressdesk.accounts.models import OrgKind, Role
from pressdesk.core.audit import history_for
from pressdesk.core.errors import TransitionError, ValidationFailed
from pressdesk.plans import selectors, services
from pressdesk.plans.importer import PlanImportError
from pressdesk.plans.models import ContentArea, KeyEvent, Orientation, Plan, Responsibility, Topic
from tests.factories import OrganisationFactory
from tests.plans.conftest import PLAN_2024, PLAN_2025
from tests.plans.documents import MINIMAL, docx_bytes

pytestmark = pytest.mark.django_db


def _snapshot() -> dict[str, Any]:
    return {
        "plans": list(Plan.objects.values_list("pk", "year", "title", "source_sha256").order_by("pk")),
        "areas": list(ContentArea.objects.values_list("pk", "title", "keywords").order_by("pk")),
        "topics": list(Topic.objects.values_list("pk", "text", "keywords", "target_count").order_by("pk")),
        "events": list(KeyEvent.objects.values_list("pk", "title", "date", "keywords").order_by("pk")),
        "resp": list(Responsibility.objects.values_list("pk", "body").order_by("pk")),
        "orientations": Orientation.objects.count(),
    }


def test_import_2024_stores_the_plan(plan_2024: Plan) -> None:
    assert selectors.plan_counts(plan_2024) == {
        "areas": 5,
        "topics": 19,
        "events": 8,
        "responsibilities": 5,
        "signers": 2,
        "recipients": 12,
    }
    dated = list(plan_2024.events.exclude(date=None).order_by("order").values_list("date", flat=True))
    assert dated == [dt.date(2024, 5, 7), dt.date(2024, 12, 22), dt.date(2024, 12, 22)]
    regroup = plan_2024.events.get(title__contains="tập kết ra Bắc")
    assert (regroup.date, regroup.year, regroup.since_year) == (None, 2024, 1954)
    dong_son = plan_2024.events.get(title__contains="Đông Sơn")
    assert (dong_son.since_year, dong_son.year, dong_son.topic.order, dong_son.area.number) == (
        1924,
        2024,
        4,
        5,
    )
    assert plan_2024.source_name == PLAN_2024.name and len(plan_2024.source_sha256) == 64
    assert history_for(plan_2024).filter(action="plan_import").count() == 1


def test_import_maps_bodies_to_organisations_by_kind(db: Any) -> None:
    btg = OrganisationFactory(
        kind=OrgKind.PROPAGANDA, valid_from=dt.date(2020, 1, 1), valid_to=dt.date(2025, 2, 19)
    )
    OrganisationFactory(
        kind=OrgKind.PROPAGANDA, valid_from=dt.date(2025, 2, 20)
    )  # the successor, not in 2024
    stttt = OrganisationFactory(kind=OrgKind.INFORMATION)
    OrganisationFactory(kind=OrgKind.DEPARTMENT)
    OrganisationFactory(kind=OrgKind.DEPARTMENT)
    plan = services.plan_import(document=PLAN_2024.read_bytes(), filename=PLAN_2024.name)
    assert plan.owner == btg
    assert set(plan.issuing_bodies.all()) == {btg, stttt}
    rows = list(plan.responsibilities.order_by("order").values_list("body_kind", "organisation"))
    assert rows == [
        (OrgKind.PROPAGANDA, btg.pk),
        (OrgKind.INFORMATION, stttt.pk),
        (OrgKind.DEPARTMENT, None),  # several departments: none is meant alone
        (OrgKind.PROVINCIAL_PRESS, None),
        (OrgKind.REPRESENTATIVE_OFFICE, None),
    ]


def test_reimport_of_the_same_document_changes_nothing(plan_2024: Plan) -> None:
    before = _snapshot()
    again = services.plan_import(document=PLAN_2024.read_bytes(), filename="other-name.txt")
    assert again.pk == plan_2024.pk
    assert _snapshot() == before
    assert history_for(plan_2024).count() == 1


def test_other_document_for_the_same_year_is_refused_without_replace(plan_2024: Plan) -> None:
    before = _snapshot()
    changed = PLAN_2024.read_text(encoding="utf-8").replace(
        "Hội Nhà báo tỉnh;", "Hội Nhà báo tỉnh;\n- Báo Mới;"
    )
    with pytest.raises(TransitionError) as err:
        services.plan_import(document=changed, filename="kh-2024-b.txt")
    assert "năm 2024" in err.value.message and "--replace" in err.value.message
    assert _snapshot() == before


def test_replace_rebuilds_the_plan_when_nothing_refers_to_it(plan_2024: Plan) -> None:
    changed = PLAN_2024.read_text(encoding="utf-8").replace(
        "Hội Nhà báo tỉnh;", "Hội Nhà báo tỉnh;\n- Báo Mới;"
    )
    plan = services.plan_import(document=changed, filename="kh-2024-b.txt", replace=True)
    assert plan.pk == plan_2024.pk
    assert len(plan.recipients) == 13 and plan.source_name == "kh-2024-b.txt"
    assert selectors.plan_counts(plan)["topics"] == 19
    assert Plan.objects.count() == 1
    assert history_for(plan).filter(action="plan_replace").count() == 1


def test_replace_is_refused_while_orientation_notes_refer_to_topics(plan_2024: Plan, editor: Any) -> None:
    topic = Topic.objects.get(area__plan=plan_2024, area__number=5, order=4)
    services.orientation_issue(
        plan=plan_2024,
        actor=editor,
        title="Định hướng",
        body="Nội dung",
        topics=[topic],
        valid_from=dt.date(2024, 4, 1),
        valid_to=None,
    )
    before = _snapshot()
    changed = PLAN_2024.read_text(encoding="utf-8") + "\n"
    with pytest.raises(TransitionError) as err:
        services.plan_import(document=changed, filename="kh.txt", replace=True)
    assert "đang được dùng" in err.value.message
    assert _snapshot() == before


def test_replace_is_refused_while_press_mentions_refer_to_areas(plan_2024: Plan) -> None:
    from pressdesk.monitoring.models import Article, Mention

    article = Article.objects.create(
        canonical_url="https://example.vn/a", url="https://example.vn/a", title="Bài"
    )
    area = plan_2024.areas.get(number=1)
    Mention.objects.create(article=article, plan=plan_2024, area=area)
    before = _snapshot()
    with pytest.raises(TransitionError) as err:
        services.plan_import(
            document=PLAN_2024.read_text(encoding="utf-8") + "\n", filename="kh.txt", replace=True
        )
    assert "Không thể thay kế hoạch năm 2024" in err.value.message
    assert _snapshot() == before


def test_malformed_document_writes_nothing(db: Any) -> None:
    with pytest.raises(PlanImportError):
        services.plan_import(document=MINIMAL.replace("1. Kinh tế\n", ""), filename="kh.txt")
    assert Plan.objects.count() == 0 and ContentArea.objects.count() == 0


def test_second_plan_imports_from_docx(db: Any) -> None:
    data = docx_bytes(PLAN_2025.read_text(encoding="utf-8"))
    plan = services.plan_import(document=data, filename="kh-2025.docx")
    assert (plan.year, plan.number, plan.issue_date) == (2025, "27-KH/BTGDVTU", dt.date(2025, 3, 14))
    assert selectors.plan_counts(plan)["topics"] == 8 and plan.events.count() == 7


def test_import_by_a_non_editor_is_refused(db: Any, persona: Any) -> None:
    with pytest.raises(PermissionDenied):
        services.plan_import(
            document=PLAN_2024.read_bytes(), filename="kh.txt", actor=persona(Role.APPRAISER)
        )
    assert Plan.objects.count() == 0


# --- edits ---------------------------------------------------------------------------------------------


def test_topic_update_records_history(plan_2024: Plan, editor: Any) -> None:
    topic = Topic.objects.get(area__plan=plan_2024, area__number=1, order=1)
    services.topic_update(
        topic_id=topic.pk,
        actor=editor,
        text="  Kinh tế   năm 2024 ",
        keywords="tăng trưởng, GRDP, GRDP, ",
        target_count=12,
    )
    topic.refresh_from_db()
    assert (topic.text, topic.keywords, topic.target_count) == (
        "Kinh tế năm 2024",
        ["tăng trưởng", "GRDP"],
        12,
    )
    record = history_for(topic).get()
    assert record.action == "topic_update" and record.actor == editor and record.role == Role.PLAN_EDITOR
    assert record.data["changes"]["target_count"] == [None, 12]
    # Saving the same values again records nothing.
    services.topic_update(
        topic_id=topic.pk, actor=editor, text=topic.text, keywords=topic.keywords, target_count=12
    )
    assert history_for(topic).count() == 1


@pytest.mark.parametrize(
    ("kwargs", "code"),
    [
        ({"text": "   "}, "topic.text_required"),
        ({"target_count": -1}, "topic.target_range"),
        ({"keywords": ["x" * 101]}, "keywords.too_long"),
        ({"keywords": [f"k{i}" for i in range(51)]}, "keywords.too_many"),
    ],
)
def test_topic_update_refuses_bad_input(plan_2024: Plan, editor: Any, kwargs: dict, code: str) -> None:
    topic = Topic.objects.get(area__plan=plan_2024, area__number=1, order=1)
    args = {"text": topic.text, "keywords": [], "target_count": None, **kwargs}
    before = _snapshot()
    with pytest.raises(ValidationFailed) as err:
        services.topic_update(topic_id=topic.pk, actor=editor, **args)
    assert err.value.code == code
    assert _snapshot() == before


def test_event_update_sets_date_year_and_window(plan_2024: Plan, editor: Any) -> None:
    event = plan_2024.events.get(title__contains="tập kết ra Bắc")
    services.event_update(
        event_id=event.pk,
        actor=editor,
        title=event.title,
        date=dt.date(2024, 7, 20),
        window_before_days=10,
        window_after_days=5,
        keywords=["tập kết"],
    )
    event.refresh_from_db()
    assert (event.date, event.year, event.window_start, event.window_end) == (
        dt.date(2024, 7, 20),
        2024,
        dt.date(2024, 7, 10),
        dt.date(2024, 7, 25),
    )
    assert history_for(event).get().action == "event_update"
    with pytest.raises(ValidationFailed):
        services.event_update(
            event_id=event.pk,
            actor=editor,
            title="",
            date=None,
            window_before_days=1,
            window_after_days=1,
            keywords=[],
        )


def test_area_update_and_orientation_issue(plan_2024: Plan, editor: Any) -> None:
    area = plan_2024.areas.get(number=2)
    services.area_update(area_id=area.pk, actor=editor, keywords=["chuyển đổi số"])
    area.refresh_from_db()
    assert area.keywords == ["chuyển đổi số"] and history_for(area).get().action == "area_update"
    topics = list(Topic.objects.filter(area=area)[:2])
    note = services.orientation_issue(
        plan=plan_2024,
        actor=editor,
        title="Định hướng chuyển đổi số",
        body="Tập trung",
        topics=topics,
        valid_from=dt.date(2024, 3, 1),
        valid_to=dt.date(2024, 3, 31),
        number="05-HD/BTGTU",
    )
    assert set(note.topics.all()) == set(topics) and note.author == editor
    assert list(selectors.orientations_in_force(plan_2024, day=dt.date(2024, 3, 15))) == [note]
    assert list(selectors.orientations_in_force(plan_2024, day=dt.date(2024, 4, 1))) == []
    with pytest.raises(ValidationFailed):
        services.orientation_issue(
            plan=plan_2024,
            actor=editor,
            title="X",
            body="Y",
            topics=[],
            valid_from=dt.date(2024, 3, 2),
            valid_to=dt.date(2024, 3, 1),
        )


def test_orientation_refuses_topics_of_another_plan(plan_2024: Plan, editor: Any) -> None:
    other = services.plan_import(document=PLAN_2025.read_bytes(), filename=PLAN_2025.name)
    foreign = Topic.objects.filter(area__plan=other).first()
    with pytest.raises(ValidationFailed):
        services.orientation_issue(
            plan=plan_2024,
            actor=editor,
            title="X",
            body="Y",
            topics=[foreign],
            valid_from=dt.date(2024, 1, 1),
            valid_to=None,
        )
    assert Orientation.objects.count() == 0


@pytest.mark.parametrize("role", [r for r in Role.values if r != Role.PLAN_EDITOR])
def test_edits_need_the_plan_editor_role(plan_2024: Plan, persona: Any, role: str) -> None:
    actor = persona(role)
    topic = Topic.objects.filter(area__plan=plan_2024).first()
    assert topic is not None
    event = plan_2024.events.first()
    assert event is not None
    before = _snapshot()
    calls = [
        lambda: services.topic_update(
            topic_id=topic.pk, actor=actor, text="X", keywords=[], target_count=None
        ),
        lambda: services.event_update(
            event_id=event.pk,
            actor=actor,
            title="X",
            date=None,
            window_before_days=1,
            window_after_days=1,
            keywords=[],
        ),
        lambda: services.area_update(area_id=topic.area_id, actor=actor, keywords=["x"]),
        lambda: services.orientation_issue(
            plan=plan_2024,
            actor=actor,
            title="X",
            body="Y",
            topics=[],
            valid_from=dt.date(2024, 1, 1),
            valid_to=None,
        ),
    ]
    for call in calls:
        with pytest.raises(PermissionDenied):
            call()
    assert _snapshot() == before


# --- command line --------------------------------------------------------------------------------------


def test_command_imports_and_shows_json(db: Any) -> None:
    out = StringIO()
    call_command("plan", "import", str(PLAN_2024), stdout=out)
    assert "Kế hoạch 2024: 5 lĩnh vực, 19 nội dung, 8 sự kiện" in out.getvalue()
    out = StringIO()
    call_command("plan", "show", "2024", "--json", stdout=out)
    data = json.loads(out.getvalue())
    assert list(data) == [
        "year",
        "title",
        "legal_basis",
        "purposes",
        "areas",
        "events",
        "responsibilities",
        "signers",
        "recipients",
    ]
    assert data["year"] == 2024 and data["legal_basis"] == ["Quyết định số 1950/QĐ-UBND ngày 08/6/2021"]
    assert [len(a["topics"]) for a in data["areas"]] == [5, 4, 2, 4, 4]
    assert list(data["areas"][0]) == ["number", "title", "topics"]
    assert list(data["areas"][0]["topics"][0]) == ["order", "text"]
    assert data["events"][0] == {
        "title": "Kỷ niệm 70 năm Ngày Chiến thắng Điện Biên Phủ",
        "date": "2024-05-07",
        "year": 2024,
        "since_year": 1954,
    }
    assert data["events"][1]["date"] is None and data["events"][1]["since_year"] == 1954
    assert data["responsibilities"][1]["body"] == "Sở Thông tin và Truyền thông"
    assert len(data["responsibilities"][1]["tasks"]) == 4
    assert data["signers"][0] == {
        "name": "Phạm Văn Tuấn",
        "title": "PHÓ TRƯỞNG BAN",
        "body": "BAN TUYÊN GIÁO TỈNH ỦY",
    }
    assert len(data["recipients"]) == 12
    assert "Thanh Hóa" in out.getvalue()  # ensure_ascii=False: Vietnamese as written


def test_command_refuses_a_malformed_document(db: Any, tmp_path: Any) -> None:
    bad = tmp_path / "kh.txt"
    bad.write_text(MINIMAL.replace("- Kết quả tăng trưởng.\n", ""), encoding="utf-8")
    with pytest.raises(CommandError) as err:
        call_command("plan", "import", str(bad), stdout=StringIO())
    assert str(err.value) == "Dòng 12: lĩnh vực 1 “Kinh tế” không có nội dung nào (cần các dòng “- …”)"
    assert Plan.objects.count() == 0
    with pytest.raises(CommandError, match="Không có kế hoạch năm 2031"):
        call_command("plan", "show", "2031", "--json", stdout=StringIO())
    with pytest.raises(CommandError, match="Không đọc được tệp"):
        call_command("plan", "import", str(tmp_path / "missing.txt"), stdout=StringIO())


def test_command_replace_flag(plan_2024: Plan, tmp_path: Any) -> None:
    doc = tmp_path / "kh.txt"
    doc.write_text(PLAN_2024.read_text(encoding="utf-8").replace("Hội Nhà báo tỉnh;", ""), encoding="utf-8")
    with pytest.raises(CommandError, match="--replace"):
        call_command("plan", "import", str(doc), stdout=StringIO())
    call_command("plan", "import", str(doc), "--replace", stdout=StringIO())
    plan_2024.refresh_from_db()
    assert len(plan_2024.recipients) == 11


def test_only_editors_of_the_owning_body_or_its_successor_edit_the_plan(
    plan_2024: Plan, make_user: Any
) -> None:
    successor = OrganisationFactory(kind=OrgKind.PROPAGANDA, name="Ban Tuyên giáo và Dân vận Tỉnh ủy")
    owner = OrganisationFactory(
        kind=OrgKind.PROPAGANDA,
        name="Ban Tuyên giáo Tỉnh ủy",
        valid_to=dt.date(2025, 2, 19),
        successor=successor,
    )
    elsewhere = OrganisationFactory(kind=OrgKind.PROPAGANDA, name="Ban Tuyên giáo tỉnh khác")
    plan_2024.owner = owner
    plan_2024.save()
    topic = plan_2024.areas.get(number=1).topics.get(order=1)
    before = topic.text
    with pytest.raises(PermissionDenied):
        services.topic_update(
            topic_id=topic.pk,
            actor=make_user(Role.PLAN_EDITOR, elsewhere),
            text="Sửa trái phép",
            keywords=[],
            target_count=None,
        )
    topic.refresh_from_db()
    assert topic.text == before  # refused: nothing changed
    for body in (owner, successor):
        services.topic_update(
            topic_id=topic.pk,
            actor=make_user(Role.PLAN_EDITOR, body),
            text=f"Sửa bởi {body.name}",
            keywords=[],
            target_count=None,
        )
    topic.refresh_from_db()
    assert topic.text == "Sửa bởi Ban Tuyên giáo và Dân vận Tỉnh ủy"
