"""Pages of /bao-cao/: the persona matrix for the dashboard, CSV and report downloads, and the
verification pages."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client

from pressdesk.commissioning.models import Delivery
from pressdesk.reports.models import DeliveryVerification, ReportJob
from tests.factories import UserFactory
from tests.reports.factories import RWorld, article, at

D = dt.date
Q = {"plan": 2024, "period": "2024-05"}
READERS = ["officer", "monitor", "editor", "appraiser", "approver", "viewer", "admin"]
REFUSED = ["agency_a", "agency_b", "body"]


def login(client: Client, w: RWorld, who: str) -> None:
    if who == "admin":
        client.force_login(UserFactory(username="quantri", is_superuser=True, is_staff=True))
    elif who != "anonymous":
        client.force_login(w.users[who])


@pytest.mark.parametrize("who", READERS)
def test_readers_see_the_dashboard_and_csv(world: RWorld, client: Client, who: str) -> None:
    login(client, world, who)
    response = client.get("/bao-cao/", Q)
    assert response.status_code == 200
    body = response.content.decode()
    assert 'data-figure="figure-area_weeks"' in body
    assert 'id="figure-tone" type="application/json"' in body
    assert "<script>" not in body  # no inline script: figures travel as JSON only
    csv = client.get("/bao-cao/csv/levels/", Q)
    assert csv.status_code == 200
    assert csv["Content-Type"].startswith("text/csv")
    assert csv.content.decode("utf-8-sig").splitlines()[1] == "Báo chí Trung ương,3,0.4286"


@pytest.mark.parametrize("who", REFUSED)
def test_press_agencies_and_other_bodies_are_refused(world: RWorld, client: Client, who: str) -> None:
    """Press agencies follow their own contracts on the commissioning pages, not province-wide figures."""
    login(client, world, who)
    assert client.get("/bao-cao/", Q).status_code == 403
    assert client.get("/bao-cao/csv/contracts/", Q).status_code == 403
    assert client.post("/bao-cao/lap-bao-cao/", {**Q, "format": "docx"}).status_code == 403
    assert not ReportJob.objects.exists()


def test_anonymous_is_sent_to_login(world: RWorld, client: Client) -> None:
    for url in ("/bao-cao/", "/bao-cao/csv/levels/", "/bao-cao/kiem-tra/", "/bao-cao/tai-ve/1/"):
        response = client.get(url, Q)
        assert response.status_code == 302
        assert response["Location"].startswith("/dang-nhap/")


def test_bad_period_shows_a_clear_error(world: RWorld, client: Client) -> None:
    login(client, world, "viewer")
    response = client.get("/bao-cao/", {"plan": 2024, "period": "2024-13"})
    assert response.status_code == 422
    assert "tháng phải từ 01 đến 12" in response.content.decode()
    assert client.get("/bao-cao/csv/levels/", {"plan": 2024, "period": "x"}).status_code == 422
    assert client.get("/bao-cao/csv/khong-co/", Q).status_code == 404


def test_dashboard_figures_match_the_selector(world: RWorld, client: Client) -> None:
    login(client, world, "monitor")
    ctx = client.get("/bao-cao/", Q).context
    assert ctx["cov"].total == 7
    assert ctx["tables"]["gaps"].rows[0][0] == "1.1 Khu kinh tế Nghi Sơn"
    tone = ctx["figures"]["tone"]["data"][0]
    assert tone["type"] == "pie"


def test_plotly_js_is_served_offline(client: Client) -> None:
    response = client.get("/bao-cao/plotly.min.js")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/javascript")
    head = b"".join(response.streaming_content)[:2000]
    assert b"plotly" in head.lower()


def test_report_job_is_built_and_served_only_to_its_requester(
    world: RWorld, client: Client, django_capture_on_commit_callbacks: Any
) -> None:
    login(client, world, "viewer")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/bao-cao/lap-bao-cao/", {"plan": 2024, "period": "2024-05", "format": "xlsx"})
    assert response.status_code == 302
    job = ReportJob.objects.get()
    assert (job.status, job.params) == ("done", {"plan": 2024, "period": "2024-05", "format": "xlsx"})
    download = client.get(f"/bao-cao/tai-ve/{job.pk}/")
    assert download.status_code == 200
    assert b"".join(download.streaming_content)[:2] == b"PK"
    assert 'filename="bao-cao-2024-2024-05.xlsx"' in download["Content-Disposition"]
    other = Client()
    login(other, world, "monitor")
    assert other.get(f"/bao-cao/tai-ve/{job.pk}/").status_code == 404
    agency = Client()
    login(agency, world, "agency_a")
    assert agency.get(f"/bao-cao/tai-ve/{job.pk}/").status_code == 403


def test_report_job_refuses_bad_input(world: RWorld, client: Client) -> None:
    login(client, world, "viewer")
    response = client.post(
        "/bao-cao/lap-bao-cao/", {"plan": 2024, "period": "2024-Q7", "format": "docx"}, follow=True
    )
    assert "không hợp lệ" in response.content.decode()
    response = client.post(
        "/bao-cao/lap-bao-cao/", {"plan": 2024, "period": "2024-05", "format": "pdf"}, follow=True
    )
    assert "không hỗ trợ" in response.content.decode()
    assert not ReportJob.objects.exists()


# --- verification pages -------------------------------------------------------------------------------


@pytest.fixture
def delivery(world: RWorld) -> Delivery:
    return Delivery.objects.get(url="https://baoa.vn/hd-1.html")


@pytest.mark.parametrize(
    ("who", "status"), [("officer", 200), ("agency_a", 200), ("viewer", 200), ("agency_b", 404)]
)
def test_verification_page_follows_commissioning_visibility(
    world: RWorld, client: Client, delivery: Delivery, who: str, status: int
) -> None:
    login(client, world, who)
    response = client.get(f"/bao-cao/kiem-tra/{delivery.pk}/")
    assert response.status_code == status
    if status == 200:
        assert "Kiểm tra tự động" in response.content.decode()


def test_other_agency_cannot_run_a_check(world: RWorld, client: Client, delivery: Delivery) -> None:
    login(client, world, "agency_b")
    assert client.post(f"/bao-cao/kiem-tra/{delivery.pk}/chay/").status_code == 404
    assert not DeliveryVerification.objects.exists()


def test_viewer_cannot_run_a_check(world: RWorld, client: Client, delivery: Delivery) -> None:
    login(client, world, "viewer")
    assert client.post(f"/bao-cao/kiem-tra/{delivery.pk}/chay/").status_code == 403
    assert not DeliveryVerification.objects.exists()


def test_officer_sees_suggestions_and_agency_does_not(world: RWorld, client: Client) -> None:
    found = article(world, "a", at(2024, 5, 12), area="1", topics=("1.1",))
    login(client, world, "officer")
    body = client.get("/bao-cao/kiem-tra/").content.decode()
    assert found.url in body
    assert "Ghi nhận là tác phẩm" in body
    agency = Client()
    login(agency, world, "agency_a")
    body = agency.get("/bao-cao/kiem-tra/").content.decode()
    assert found.url not in body
    assert "Tác phẩm 1" in body  # its own deliveries are listed


def test_officer_links_a_suggested_article_as_a_delivery(
    world: RWorld, client: Client, django_capture_on_commit_callbacks: Any
) -> None:
    found = article(world, "a", at(2024, 5, 12), area="1", topics=("1.1",))
    login(client, world, "officer")
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = client.post(
            "/bao-cao/kiem-tra/lien-ket/", {"item": world.items["econ"].pk, "article": found.pk}
        )
    delivery = Delivery.objects.get(url=found.url)
    assert response.status_code == 302 and response["Location"] == f"/bao-cao/kiem-tra/{delivery.pk}/"
    assert (delivery.contract_item_id, delivery.published_on) == (world.items["econ"].pk, D(2024, 5, 12))
    assert len(callbacks) == 1  # the automatic check is enqueued once the delivery is committed


def test_agency_of_another_contract_cannot_link(world: RWorld, client: Client) -> None:
    found = article(world, "a", at(2024, 5, 12), area="1", topics=("1.1",))
    login(client, world, "agency_b")
    response = client.post(
        "/bao-cao/kiem-tra/lien-ket/", {"item": world.items["econ"].pk, "article": found.pk}
    )
    assert response.status_code == 403
    assert not Delivery.objects.filter(url=found.url).exists()


def test_officer_decision_through_the_page(world: RWorld, client: Client, delivery: Delivery) -> None:
    from django.utils import timezone

    v = DeliveryVerification.objects.create(delivery=delivery, checked_at=timezone.now(), overall="unknown")
    login(client, world, "officer")
    url = f"/bao-cao/kiem-tra/xac-nhan/{v.pk}/"
    client.post(url, {"action": "override", "result": "fail", "note": ""})
    v.refresh_from_db()
    assert v.decision == "pending"
    client.post(
        url, {"action": "override", "result": "fail", "note": "Bài đăng lại, không phải tác phẩm mới."}
    )
    v.refresh_from_db()
    assert (v.decision, v.final) == ("overridden", "fail")


def test_dashboard_refuses_a_period_outside_the_plan_year(world: RWorld, client: Client) -> None:
    login(client, world, "viewer")
    response = client.get("/bao-cao/", {"plan": 2024, "period": "2025-01"})
    assert response.status_code == 422
    assert "không thuộc năm của kế hoạch (2024)" in response.content.decode()


def test_inbox_shows_pending_checks_to_the_rounds_officer(world: RWorld, delivery: Delivery) -> None:
    from django.utils import timezone

    from pressdesk.reports.inbox import items

    DeliveryVerification.objects.create(delivery=delivery, checked_at=timezone.now(), overall="fail")
    (item,) = items(world.users["officer"])
    assert (item.count, item.url, item.urgent) == (1, "/bao-cao/kiem-tra/", True)
    assert items(world.users["viewer"]) == []
    assert items(world.users["agency_a"]) == []


def test_api_returns_the_dashboard_tables(world: RWorld, client: Client) -> None:
    login(client, world, "monitor")
    data = client.get("/api/reports/coverage", Q).json()
    tables = {t["key"]: t for t in data["tables"]}
    assert (data["period"], data["as_of"]) == ("2024-05", "2024-05-31")
    assert tables["levels"]["rows"][0] == ["Báo chí Trung ương", 3, 0.4286]
    dashboard = client.get("/bao-cao/", Q).context["tables"]
    assert tables["contracts"]["rows"][0][6] == int(dashboard["contracts"].rows[0][6]) == 22_000_000
    bad = client.get("/api/reports/coverage", {"plan": 2024, "period": "2024-13"})
    assert bad.status_code == 422


@pytest.mark.parametrize(("who", "status"), [("agency_a", 403), ("body", 403), ("anonymous", 401)])
def test_api_refuses_non_readers(world: RWorld, client: Client, who: str, status: int) -> None:
    login(client, world, who)
    assert client.get("/api/reports/coverage", Q).status_code == status
