"""Machine verification of deliveries against a local HTTP server (the only address the fetcher may
reach, through PRESSDESK_FETCH_ALLOW)."""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied

from pressdesk.commissioning.models import Delivery
from pressdesk.core.errors import TransitionError, ValidationFailed
from pressdesk.core.models import TransitionRecord
from pressdesk.monitoring.models import StoryCluster
from pressdesk.reports import services
from pressdesk.reports.models import DeliveryVerification
from tests.reports.factories import RWorld, article, at, user

D = dt.date
BODY = (
    "Sáng 2/5, tại Khu kinh tế Nghi Sơn, tỉnh Thanh Hóa, UBND tỉnh tổ chức lễ khởi công dự án cảng biển mới. "
    "Dự án có tổng vốn đầu tư hơn 2.000 tỷ đồng, góp phần đưa Nghi Sơn trở thành trung tâm công nghiệp lớn "
    "của khu vực Bắc Trung Bộ. Phát biểu tại buổi lễ, lãnh đạo tỉnh Thanh Hóa đề nghị chủ đầu tư bảo đảm "
    "tiến độ, chất lượng công trình và an toàn lao động. "
)


def page(title: str, published: str) -> bytes:
    return f"""<!DOCTYPE html><html lang="vi"><head><meta charset="utf-8"><title>{title}</title>
<meta property="og:type" content="article"><meta property="article:published_time" content="{published}">
</head><body><article><h1>{title}</h1><p>{BODY}</p><p>{BODY}</p><p>{BODY}</p></article></body></html>""".encode()


PAGES = {
    "/bai-tot.html": page("Khởi công cảng mới tại Nghi Sơn", "2024-05-02T08:00:00+07:00"),
    "/bai-muon.html": page("Bài đăng muộn về Nghi Sơn", "2024-07-01T08:00:00+07:00"),
    "/bai-theo-doi.html": page("Bài đã có trong dữ liệu theo dõi", "2024-05-03T08:00:00+07:00"),
}


class Handler(BaseHTTPRequestHandler):
    def do_GET(self) -> None:  # noqa: N802
        body = PAGES.get(self.path)
        self.send_response(200 if body else 404)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.end_headers()
        self.wfile.write(body or b"not found")

    def log_message(self, *args: Any) -> None:
        pass


@pytest.fixture
def server(settings: Any) -> Iterator[str]:
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    port = httpd.server_address[1]
    settings.PRESSDESK_FETCH_ALLOW = f"127.0.0.1:{port}"
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{port}"
    httpd.shutdown()
    httpd.server_close()


@pytest.fixture
def local_outlet(world: RWorld) -> RWorld:
    # The contracted outlet lives on the test server's address.
    world.outlets["a"].domains = ["127.0.0.1"]
    world.outlets["a"].save()
    return world


def deliver(w: RWorld, url: str, item: str = "econ") -> Delivery:
    return Delivery.objects.create(
        contract_item=w.items[item],
        outlet=w.outlets["a"],
        url=url,
        title="Tác phẩm kiểm tra",
        published_on=D(2024, 5, 2),
        recorded_by=w.users["agency_a"],
    )


def checks(v: DeliveryVerification) -> dict[str, tuple[str, str]]:
    return {c.code: (c.result, c.reason) for c in v.checks.all()}


def test_good_page_passes_the_machine_checks(local_outlet: RWorld, server: str) -> None:
    d = deliver(local_outlet, f"{server}/bai-tot.html")
    v = services.delivery_verify(delivery_id=d.pk)
    c = checks(v)
    assert c["exists"] == ("pass", "Trang tồn tại (HTTP 200).")
    assert c["outlet"][0] == "pass"
    assert c["window"][0] == "pass" and "02/05/2024" in c["window"][1]
    assert c["not_counted"][0] == "pass"
    if services._analyser(local_outlet.plan) is None:
        assert c["province"] == ("unknown", "Chưa xác định: chưa có bộ phân tích.")
        assert c["area_topic"][0] == "unknown"
        assert v.overall == "unknown"
    else:  # the real analyser: a page about Nghi Sơn economic zone in Thanh Hóa
        assert c["province"][0] == "pass"
        assert c["area_topic"][0] in ("pass", "fail")
    snap = v.snapshot
    assert snap is not None and snap.http_status == 200
    assert snap.title == "Khởi công cảng mới tại Nghi Sơn"
    assert "Nghi Sơn" in snap.text
    import hashlib

    assert snap.sha256 == hashlib.sha256(snap.text.encode()).hexdigest()
    assert TransitionRecord.objects.filter(action="delivery_verify", subject_id=v.pk).count() == 1


def test_snapshot_survives_the_page_disappearing(local_outlet: RWorld, server: str) -> None:
    d = deliver(local_outlet, f"{server}/bai-tot.html")
    first = services.delivery_verify(delivery_id=d.pk)
    saved = PAGES.pop("/bai-tot.html")
    try:
        second = services.delivery_verify(delivery_id=d.pk)
    finally:
        PAGES["/bai-tot.html"] = saved
    assert checks(second)["exists"] == ("fail", "Trang không tồn tại (HTTP 404).")
    assert second.overall == "fail"
    first.snapshot.refresh_from_db()
    assert "Nghi Sơn" in first.snapshot.text  # the evidence of the first check is kept


def test_missing_page_fails(local_outlet: RWorld, server: str) -> None:
    v = services.delivery_verify(delivery_id=deliver(local_outlet, f"{server}/mat.html").pk)
    c = checks(v)
    assert c["exists"][0] == "fail"
    assert c["window"][0] == "unknown"
    assert v.overall == "fail"


def test_publication_outside_the_window_fails(local_outlet: RWorld, server: str) -> None:
    v = services.delivery_verify(delivery_id=deliver(local_outlet, f"{server}/bai-muon.html").pk)
    result, reason = checks(v)["window"]
    assert result == "fail"
    assert reason.startswith(
        "Đăng ngày 01/07/2024 (kê khai 02/05/2024), ngoài thời gian 01/04/2024 – 15/05/2024"
    )
    assert v.overall == "fail"


def test_wrong_outlet_domain_fails(world: RWorld, server: str) -> None:
    v = services.delivery_verify(delivery_id=deliver(world, f"{server}/bai-tot.html").pk)
    result, reason = checks(v)["outlet"]
    assert result == "fail"
    assert "không thuộc Báo A điện tử (baoa.vn)" in reason


def test_monitored_article_gives_province_and_topic(local_outlet: RWorld, server: str) -> None:
    url = f"{server}/bai-theo-doi.html"
    article(local_outlet, "a", at(2024, 5, 3), area="1", topics=("1.1",), url=url)
    v = services.delivery_verify(delivery_id=deliver(local_outlet, url).pk)
    c = checks(v)
    assert c["province"][0] == "pass"
    assert c["area_topic"][0] == "pass"
    assert "lĩnh vực 1" in c["area_topic"][1]
    assert v.overall == "pass"


def test_monitored_article_of_another_area_fails(local_outlet: RWorld, server: str) -> None:
    url = f"{server}/bai-theo-doi.html"
    article(local_outlet, "a", at(2024, 5, 3), area="2", topics=("2.1",), url=url)
    c = checks(services.delivery_verify(delivery_id=deliver(local_outlet, url).pk))
    assert c["area_topic"] == ("fail", "Bài thuộc lĩnh vực 2, dòng hợp đồng đặt lĩnh vực 1. Kinh tế.")


def test_same_url_on_another_delivery_is_already_counted(local_outlet: RWorld, server: str) -> None:
    url = f"{server}/bai-tot.html"
    first = deliver(local_outlet, url, item="culture")
    second = deliver(local_outlet, url + "?utm_source=zalo")  # the same page, tracking parameter
    result, reason = checks(services.delivery_verify(delivery_id=second.pk))["not_counted"]
    assert result == "fail"
    assert f"#{first.pk}" in reason


def test_same_story_cluster_on_the_same_item_is_already_counted(local_outlet: RWorld, server: str) -> None:
    cluster = StoryCluster.objects.create(size=2)
    url = f"{server}/bai-theo-doi.html"
    article(local_outlet, "a", at(2024, 5, 3), area="1", topics=("1.1",), url=url, cluster=cluster)
    sibling = article(
        local_outlet, "a", at(2024, 5, 3, 10), area="1", url="https://baoa.vn/ban-sao.html", cluster=cluster
    )
    counted = deliver(local_outlet, sibling.url)
    result, reason = checks(services.delivery_verify(delivery_id=deliver(local_outlet, url).pk))[
        "not_counted"
    ]
    assert result == "fail"
    assert f"Cùng cụm tin #{cluster.pk}" in reason and f"#{counted.pk}" in reason


def test_refused_address_is_unknown_not_fetched(world: RWorld, settings: Any) -> None:
    settings.PRESSDESK_FETCH_ALLOW = ""
    d = deliver(world, "http://127.0.0.1:9/bai.html")
    v = services.delivery_verify(delivery_id=d.pk)
    assert checks(v)["exists"][0] == "unknown"
    assert v.snapshot.error == "refused_address"


def test_delivery_without_url_is_refused(world: RWorld) -> None:
    d = Delivery.objects.create(
        contract_item=world.items["econ"],
        outlet=world.outlets["a"],
        print_issue="số 12",
        title="Báo in",
        published_on=D(2024, 5, 2),
        recorded_by=world.users["agency_a"],
    )
    with pytest.raises(ValidationFailed, match="không có đường dẫn"):
        services.delivery_verify(delivery_id=d.pk)
    assert not DeliveryVerification.objects.exists()


# --- the officer's decision ---------------------------------------------------------------------------


def _verification(w: RWorld, overall: str) -> DeliveryVerification:
    d = deliver(w, "https://baoa.vn/x.html")
    from django.utils import timezone

    return DeliveryVerification.objects.create(delivery=d, checked_at=timezone.now(), overall=overall)


def test_officer_confirms_a_machine_result(world: RWorld) -> None:
    v = _verification(world, "pass")
    v = services.verification_decide(actor=world.users["officer"], verification_id=v.pk, confirm=True)
    assert (v.decision, v.final) == ("confirmed", "pass")
    assert TransitionRecord.objects.filter(action="verification_confirm", subject_id=v.pk).exists()
    with pytest.raises(TransitionError):
        services.verification_decide(actor=world.users["officer"], verification_id=v.pk, confirm=True)


def test_override_needs_a_comment_and_a_result(world: RWorld) -> None:
    v = _verification(world, "unknown")
    with pytest.raises(ValidationFailed, match="điều chỉnh thành Đạt hoặc Không đạt"):
        services.verification_decide(actor=world.users["officer"], verification_id=v.pk, confirm=True)
    with pytest.raises(ValidationFailed, match="cần ghi ý kiến"):
        services.verification_decide(
            actor=world.users["officer"], verification_id=v.pk, confirm=False, result="pass"
        )
    v.refresh_from_db()
    assert v.decision == "pending"
    v = services.verification_decide(
        actor=world.users["officer"],
        verification_id=v.pk,
        confirm=False,
        result="pass",
        note="Đã đối chiếu bản in: đúng chủ đề.",
    )
    assert (v.decision, v.final, v.decision_note) == (
        "overridden",
        "pass",
        "Đã đối chiếu bản in: đúng chủ đề.",
    )


@pytest.mark.parametrize("who", ["agency_a", "viewer", "monitor", "other_officer"])
def test_only_the_rounds_officer_decides(world: RWorld, who: str) -> None:
    from pressdesk.accounts.models import Role
    from tests.factories import OrganisationFactory

    actor = (
        user("officer_x", Role.COMMISSIONING_OFFICER, OrganisationFactory())
        if who == "other_officer"
        else world.users[who]
    )
    v = _verification(world, "pass")
    with pytest.raises(PermissionDenied):
        services.verification_decide(actor=actor, verification_id=v.pk, confirm=True)
    v.refresh_from_db()
    assert v.decision == "pending"


class _StubAnalyser:
    """Stands in for pressdesk.nlp's Analyser with its documented output shape."""

    plans: list[dict[str, Any]] = []

    def __init__(self, plan: dict[str, Any]) -> None:
        self.plans.append(plan)

    def analyse(
        self, id: Any, title: str, text: str, url: Any = None, published: Any = None, *, lead: Any = None
    ):
        return {
            "about_province": "Thanh Hóa" in text,
            "area": 1,
            "topics": [{"area": 1, "order": 1, "score": 0.4}],
            "model_version": "stub-1",
        }


def test_analyser_output_is_mapped_to_the_items_area_and_topic(
    local_outlet: RWorld, server: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    services._ANALYSERS.clear()
    monkeypatch.setattr(services, "_analyser_class", lambda: _StubAnalyser)
    v = services.delivery_verify(delivery_id=deliver(local_outlet, f"{server}/bai-tot.html").pk)
    c = checks(v)
    assert c["province"] == ("pass", "Nội dung về tỉnh theo bộ phân tích stub-1.")
    assert c["area_topic"][0] == "pass"
    assert v.overall == "pass"
    plan = _StubAnalyser.plans[-1]
    assert [a["number"] for a in plan["areas"]] == [1, 2]
    assert plan["events"][0]["date"] == "2024-05-07"
    services._ANALYSERS.clear()


def test_recording_a_delivery_with_a_url_checks_it_after_commit(
    local_outlet: RWorld, server: str, django_capture_on_commit_callbacks: Any
) -> None:
    from pressdesk.commissioning import services as commissioning

    w = local_outlet
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        d = commissioning.delivery_record(
            actor=w.users["agency_a"],
            contract_item_id=w.items["econ"].pk,
            outlet=w.outlets["a"],
            title="Khởi công cảng mới tại Nghi Sơn",
            published_on=D(2024, 5, 2),
            url=f"{server}/bai-tot.html",
        )
        assert not DeliveryVerification.objects.filter(delivery=d).exists()  # not before commit
    assert len(callbacks) == 1
    v = DeliveryVerification.objects.get(delivery=d)
    assert checks(v)["exists"][0] == "pass"
    assert v.requested_by == w.users["agency_a"]


def test_recording_a_print_delivery_queues_no_check(
    world: RWorld, django_capture_on_commit_callbacks: Any
) -> None:
    from pressdesk.commissioning import services as commissioning

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        commissioning.delivery_record(
            actor=world.users["agency_a"],
            contract_item_id=world.items["econ"].pk,
            outlet=world.outlets["a"],
            title="Bài trên báo in",
            published_on=D(2024, 5, 2),
            print_issue="Số 123",
            print_page="5",
        )
    assert callbacks == []
