"""Plan pages and API: every role reads; only the plan editor edits, imports, issues; refusals change nothing."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from pressdesk.accounts.models import Role
from pressdesk.core.audit import history_for
from pressdesk.plans import services
from pressdesk.plans.models import ContentArea, KeyEvent, Orientation, Plan, Topic
from tests.factories import UserFactory
from tests.plans.conftest import PLAN_2024, PLAN_2025
from tests.plans.documents import MINIMAL, docx_bytes

pytestmark = pytest.mark.django_db

NON_EDITORS = [r for r in Role.values if r != Role.PLAN_EDITOR]


def _client(user: Any = None) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def _topic(plan: Plan) -> Topic:
    return Topic.objects.get(area__plan=plan, area__number=1, order=1)


def _state() -> tuple:
    return (
        list(Topic.objects.values_list("pk", "text", "keywords", "target_count").order_by("pk")),
        list(KeyEvent.objects.values_list("pk", "title", "date", "keywords").order_by("pk")),
        Orientation.objects.count(),
        list(ContentArea.objects.values_list("pk", "keywords").order_by("pk")),
        list(Plan.objects.values_list("pk", "source_sha256").order_by("pk")),
    )


@pytest.mark.parametrize("role", Role.values)
def test_every_role_reads_the_plan_pages(plan_2024: Plan, persona: Any, role: str) -> None:
    client = _client(persona(role))
    topic = _topic(plan_2024)
    event = plan_2024.events.get(title__contains="Điện Biên Phủ")
    pages = [
        reverse("plans:index"),
        reverse("plans:detail", args=[2024]),
        reverse("plans:orientations", args=[2024]),
        reverse("plans:topic", args=[topic.pk]),
        reverse("plans:event", args=[event.pk]),
        reverse("plans:area", args=[topic.area_id]),
    ]
    for url in pages:
        assert client.get(url).status_code == 200, url
    page = client.get(reverse("plans:detail", args=[2024])).content.decode()
    assert "Lĩnh vực Văn hóa - Xã hội" in page and "Kỷ niệm 70 năm Ngày Chiến thắng Điện Biên Phủ" in page
    assert "07/05/2024" in page and "Tháng 12" in page and "Phạm Văn Tuấn" in page
    editing = 'id="topic-form"' in client.get(reverse("plans:topic", args=[topic.pk])).content.decode()
    assert editing == (role == Role.PLAN_EDITOR)


def test_anonymous_and_roleless_users_are_kept_out(plan_2024: Plan) -> None:
    url = reverse("plans:detail", args=[2024])
    response = _client().get(url)
    assert response.status_code == 302 and "/dang-nhap/" in response["Location"]
    assert _client(UserFactory()).get(url).status_code == 403
    assert _client(UserFactory()).get("/api/plans/2024").status_code == 403
    assert _client().get("/api/plans/").status_code == 401


def test_unknown_plan_and_topic_are_404(plan_2024: Plan, editor: Any) -> None:
    client = _client(editor)
    assert client.get(reverse("plans:detail", args=[1999])).status_code == 404
    assert client.get(reverse("plans:topic", args=[999999])).status_code == 404
    assert client.get("/api/plans/1999").status_code == 404


def test_plan_editor_edits_a_topic_and_sees_history(plan_2024: Plan, editor: Any) -> None:
    client = _client(editor)
    topic = _topic(plan_2024)
    url = reverse("plans:topic", args=[topic.pk])
    response = client.post(url, {"text": "Kinh tế 2024", "keywords": "GRDP, đầu tư", "target_count": "20"})
    assert response.status_code == 302
    topic.refresh_from_db()
    assert (topic.text, topic.keywords, topic.target_count) == ("Kinh tế 2024", ["GRDP", "đầu tư"], 20)
    page = client.get(url).content.decode()
    assert "topic_update" in page and "Kinh tế 2024" in page


def test_plan_editor_sets_area_keywords(plan_2024: Plan, editor: Any) -> None:
    client = _client(editor)
    area = plan_2024.areas.get(number=3)
    url = reverse("plans:area", args=[area.pk])
    assert client.post(url, {"keywords": "xúc tiến đầu tư, đối ngoại"}).status_code == 302
    area.refresh_from_db()
    assert area.keywords == ["xúc tiến đầu tư", "đối ngoại"]
    assert "area_update" in client.get(url).content.decode()


def test_plan_editor_edits_an_event_with_a_vietnamese_date(plan_2024: Plan, editor: Any) -> None:
    client = _client(editor)
    event = plan_2024.events.get(title__contains="tập kết")
    url = reverse("plans:event", args=[event.pk])
    data = {
        "title": event.title,
        "date": "20/07/2024",
        "window_before_days": "7",
        "window_after_days": "3",
        "keywords": "tập kết ra Bắc",
    }
    assert client.post(url, data).status_code == 302
    event.refresh_from_db()
    assert event.date == dt.date(2024, 7, 20) and event.keywords == ["tập kết ra Bắc"]
    assert "event_update" in client.get(url).content.decode()
    bad = client.post(url, {**data, "date": "31/02/2024"})
    assert bad.status_code == 422
    event.refresh_from_db()
    assert event.date == dt.date(2024, 7, 20)


def test_plan_editor_issues_an_orientation_note(plan_2024: Plan, editor: Any) -> None:
    client = _client(editor)
    topic = _topic(plan_2024)
    url = reverse("plans:orientation_new", args=[2024])
    assert client.get(url).status_code == 200
    data = {
        "title": "Định hướng quý II",
        "number": "07-HD",
        "body": "Tập trung kinh tế.",
        "topics": [topic.pk],
        "valid_from": "01/04/2024",
        "valid_to": "30/06/2024",
    }
    assert client.post(url, data).status_code == 302
    note = Orientation.objects.get()
    assert (note.valid_from, note.valid_to, list(note.topics.all())) == (
        dt.date(2024, 4, 1),
        dt.date(2024, 6, 30),
        [topic],
    )
    assert "Định hướng quý II" in client.get(reverse("plans:orientations", args=[2024])).content.decode()
    refused = client.post(url, {**data, "valid_to": "01/03/2024"})
    assert refused.status_code == 422 and Orientation.objects.count() == 1


@pytest.mark.parametrize("role", NON_EDITORS)
def test_non_editors_get_403_and_nothing_changes(plan_2024: Plan, persona: Any, role: str) -> None:
    client = _client(persona(role))
    topic = _topic(plan_2024)
    event = plan_2024.events.first()
    assert event is not None
    before = _state()
    posts = [
        (reverse("plans:area", args=[topic.area_id]), {"keywords": "x"}),
        (reverse("plans:topic", args=[topic.pk]), {"text": "X", "keywords": "", "target_count": ""}),
        (
            reverse("plans:event", args=[event.pk]),
            {"title": "X", "date": "", "window_before_days": "1", "window_after_days": "1", "keywords": ""},
        ),
        (
            reverse("plans:orientation_new", args=[2024]),
            {"title": "X", "body": "Y", "valid_from": "01/01/2024"},
        ),
        (reverse("plans:import"), {"document": SimpleUploadedFile("kh.txt", PLAN_2025.read_bytes())}),
    ]
    for url, data in posts:
        assert client.post(url, data).status_code == 403, url
    assert client.get(reverse("plans:import")).status_code == 403
    assert client.get(reverse("plans:orientation_new", args=[2024])).status_code == 403
    patch = client.patch(
        f"/api/plans/topics/{topic.pk}", json.dumps({"text": "X"}), content_type="application/json"
    )
    assert patch.status_code == 403
    assert _state() == before
    assert not history_for(topic).exists()


def test_import_page_takes_text_and_docx_and_shows_errors(editor: Any) -> None:
    client = _client(editor)
    url = reverse("plans:import")
    assert client.get(url).status_code == 200
    docx = SimpleUploadedFile("kh-2025.docx", docx_bytes(PLAN_2025.read_text(encoding="utf-8")))
    response = client.post(url, {"document": docx})
    assert response.status_code == 302 and response["Location"] == reverse("plans:detail", args=[2025])
    assert Plan.objects.get(year=2025).events.count() == 7
    bad = SimpleUploadedFile("kh.txt", MINIMAL.replace("1. Kinh tế\n", "").encode())
    response = client.post(url, {"document": bad})
    assert response.status_code == 422
    assert "Dòng 10: mục II (nội dung) không có lĩnh vực nào" in response.content.decode()
    wrong = client.post(url, {"document": SimpleUploadedFile("kh.pdf", b"%PDF-1.4")})
    assert wrong.status_code == 422 and "Chỉ nhận tệp" in wrong.content.decode()
    assert Plan.objects.count() == 1


def test_import_page_refuses_another_document_for_a_stored_year(plan_2024: Plan, editor: Any) -> None:
    client = _client(editor)
    changed = PLAN_2024.read_bytes().replace("Hội Nhà báo tỉnh;".encode(), b"")
    response = client.post(reverse("plans:import"), {"document": SimpleUploadedFile("kh.txt", changed)})
    assert response.status_code == 409 and "Đã có kế hoạch năm 2024" in response.content.decode()
    response = client.post(
        reverse("plans:import"), {"document": SimpleUploadedFile("kh.txt", changed), "replace": "on"}
    )
    assert response.status_code == 302
    plan_2024.refresh_from_db()
    assert len(plan_2024.recipients) == 11


# --- API -----------------------------------------------------------------------------------------------


def test_api_lists_and_shows_plans(plan_2024: Plan, persona: Any) -> None:
    from io import StringIO

    from django.core.management import call_command

    client = _client(persona(Role.VIEWER))
    listing = client.get("/api/plans/").json()
    assert listing == [
        {
            "year": 2024,
            "title": plan_2024.title,
            "number": "",
            "issue_date": None,
            "status": "issued",
            "areas": 5,
            "topics": 19,
            "events": 8,
        }
    ]
    out = StringIO()
    call_command("plan", "show", "2024", "--json", stdout=out)
    assert client.get("/api/plans/2024").json() == json.loads(out.getvalue())


def test_api_patch_topic_by_the_plan_editor(plan_2024: Plan, editor: Any) -> None:
    client = _client(editor)
    topic = _topic(plan_2024)
    response = client.patch(
        f"/api/plans/topics/{topic.pk}",
        json.dumps({"keywords": ["GRDP"], "target_count": 5}),
        content_type="application/json",
    )
    assert response.status_code == 200
    body = response.json()
    assert (body["keywords"], body["target_count"], body["text"]) == (["GRDP"], 5, topic.text)
    bad = client.patch(
        f"/api/plans/topics/{topic.pk}", json.dumps({"text": " "}), content_type="application/json"
    )
    assert bad.status_code == 422 and bad.json()["detail"]["code"] == "topic.text_required"
    assert client.patch("/api/plans/topics/999999", "{}", content_type="application/json").status_code == 404


def test_demo_loader_imports_the_plan_once(db: Any) -> None:
    from pressdesk.accounts import demo as accounts_demo
    from pressdesk.core.demo import DemoContext
    from pressdesk.plans import demo

    ctx = DemoContext()
    accounts_demo.load(ctx)
    demo.load(ctx)
    plan = ctx.extra["plan"]
    assert plan.owner == ctx.orgs["btg"]
    assert set(plan.issuing_bodies.all()) >= {ctx.orgs["btg"], ctx.orgs["stttt"]}
    assert "Kế hoạch 2024: 5 lĩnh vực, 19 nội dung, 8 sự kiện" in ctx.lines
    assert Orientation.objects.filter(plan=plan, author=ctx.users["bientap"]).count() == 1
    assert Topic.objects.filter(area__plan=plan).exclude(keywords=[]).count() == 4
    before = _state()
    demo.load(DemoContext(users=ctx.users, orgs=ctx.orgs))
    assert _state() == before


def test_services_import_accepts_editor_actor(editor: Any) -> None:
    plan = services.plan_import(document=PLAN_2025.read_bytes(), filename=PLAN_2025.name, actor=editor)
    record = history_for(plan).get()
    assert record.actor == editor and record.action == "plan_import"
