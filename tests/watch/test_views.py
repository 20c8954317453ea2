"""Pages, API, command and social import: the permission matrix and the visible behaviour."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from pressdesk.accounts.models import OrgKind, Role
from pressdesk.monitoring.models import Article
from pressdesk.watch.models import Alert, AlertRule, SavedSearch
from pressdesk.watch.services import alerts_evaluate
from pressdesk.watch.social import social_import
from tests.factories import OrganisationFactory, OutletFactory
from tests.watch.factories import make_article

pytestmark = pytest.mark.django_db


@pytest.fixture
def setup(make_user):  # type: ignore[no-untyped-def]
    samson = OrganisationFactory(name="UBND TP Sầm Sơn", kind=OrgKind.LOCALITY, admin_unit_code="382")
    other = OrganisationFactory(name="UBND TX Nghi Sơn", kind=OrgKind.LOCALITY, admin_unit_code="394")
    AlertRule.objects.create(name="Tiêu cực", kind=AlertRule.Kind.NEGATIVE_TONE)
    outlet = OutletFactory(name="Báo Thanh Hóa")
    article = make_article(
        "Sầm Sơn: du khách bị chặt chém ở Thanh Hóa",
        "Thanh Hoá cần xử lý.",
        outlet=outlet,
        places=[("382", "Sầm Sơn")],
        tone="negative",
        about_province=True,
        analysed_at=timezone.now(),
    )
    (alert,) = alerts_evaluate([article.pk])
    return {
        "alert": alert,
        "article": article,
        "outlet": outlet,
        "monitor": make_user(Role.MONITOR),
        "officer": make_user(Role.BODY_OFFICER, samson),
        "other": make_user(Role.BODY_OFFICER, other),
        "viewer": make_user(Role.VIEWER),
    }


def test_anonymous_is_sent_to_login(client, setup) -> None:  # type: ignore[no-untyped-def]
    for url in [
        reverse("watch:index"),
        reverse("watch:alerts"),
        reverse("watch:alert", args=[setup["alert"].pk]),
    ]:
        response = client.get(url)
        assert response.status_code == 302 and "/dang-nhap/" in response["Location"]


@pytest.mark.parametrize(
    ("who", "status"), [("monitor", 200), ("officer", 200), ("viewer", 200), ("other", 404)]
)
def test_alert_page_matrix(client, setup, who, status) -> None:  # type: ignore[no-untyped-def]
    client.force_login(setup[who])
    assert client.get(reverse("watch:alert", args=[setup["alert"].pk])).status_code == status
    api = client.get(f"/api/watch/alerts/{setup['alert'].pk}")
    assert api.status_code == status


def test_viewer_cannot_answer_or_edit_rules(client, setup) -> None:  # type: ignore[no-untyped-def]
    client.force_login(setup["viewer"])
    url = reverse("watch:alert", args=[setup["alert"].pk])
    response = client.post(url, {"action": "answer", "kind": "rebuttal", "text": "x"})
    assert response.status_code == 404
    assert client.get(reverse("watch:rules")).status_code == 403
    client.force_login(setup["officer"])
    assert client.get(reverse("watch:rules")).status_code == 403
    assert setup["alert"].responses.count() == 0


def test_officer_answers_and_closes_through_pages(client, setup) -> None:  # type: ignore[no-untyped-def]
    client.force_login(setup["officer"])
    url = reverse("watch:alert", args=[setup["alert"].pk])
    assert b"answer-form" in client.get(url).content
    client.post(
        url,
        {
            "action": "answer",
            "kind": "rebuttal",
            "text": "Đã đăng tin phản bác.",
            "link_url": "https://x.vn/a",
        },
    )
    client.post(url, {"action": "close"})
    setup["alert"].refresh_from_db()
    assert setup["alert"].status == Alert.Status.CLOSED
    assert [a["id"] for a in client.get("/api/watch/alerts").json()] == [setup["alert"].pk]
    client.force_login(setup["other"])
    assert client.get("/api/watch/alerts").json() == []


def test_api_answer_by_other_body_is_404_and_bad_kind_is_422(client, setup) -> None:  # type: ignore[no-untyped-def]
    url = f"/api/watch/alerts/{setup['alert'].pk}/answer"
    client.force_login(setup["other"])
    assert (
        client.post(url, {"kind": "rebuttal", "text": "x"}, content_type="application/json").status_code
        == 404
    )
    client.force_login(setup["officer"])
    assert (
        client.post(url, {"kind": "bogus", "text": "x"}, content_type="application/json").status_code == 422
    )
    ok = client.post(url, {"kind": "no_action", "text": "Thông tin đúng."}, content_type="application/json")
    assert ok.status_code == 200 and ok.json()["status"] == "answered"


def test_search_page_without_diacritics_and_saved_search_counts(client, setup) -> None:  # type: ignore[no-untyped-def]
    client.force_login(setup["viewer"])
    response = client.get(reverse("watch:index"), {"q": "xu ly", "outlet": setup["outlet"].pk})
    assert "<mark>xử</mark> <mark>lý</mark>".encode() in response.content
    assert setup["article"].title.encode() in response.content
    assert client.get(reverse("watch:index"), {"date_from": "hôm qua"}).status_code == 200
    client.post(reverse("watch:index") + "?q=sam+son", {"name": "Sầm Sơn"})
    saved = SavedSearch.objects.get(owner=setup["viewer"])
    # Deterministic "since": the old article was fetched before the last visit, the new one after.
    Article.objects.filter(pk=setup["article"].pk).update(fetched_at=timezone.now() - dt.timedelta(days=2))
    SavedSearch.objects.filter(pk=saved.pk).update(last_seen_at=timezone.now() - dt.timedelta(days=1))
    make_article("Sầm Sơn đón khách")
    page = client.get(reverse("watch:index"))
    assert "1 kết quả mới" in page.content.decode()
    api = client.get("/api/watch/search", {"q": "thanh hoa"}).json()
    assert [r["id"] for r in api["results"]] == [setup["article"].pk]


def test_page_api_and_command_say_more_than_the_count_cap(client, setup, monkeypatch, capsys) -> None:  # type: ignore[no-untyped-def]
    from pressdesk.watch import search as search_module

    make_article("Thanh Hóa mưa lớn", "Mưa lớn ở Thanh Hóa.")
    monkeypatch.setattr(search_module, "COUNT_CAP", 1)
    client.force_login(setup["viewer"])
    page = client.get(reverse("watch:index"), {"q": "thanh hoa"}).content.decode()
    assert '<p class="muted" id="result-count">hơn 1 kết quả</p>' in page
    api = client.get("/api/watch/search", {"q": "thanh hoa"}).json()
    assert (api["total"], api["more"], len(api["results"])) == (1, True, 2)
    call_command("search", "thanh", "hoa")
    assert capsys.readouterr().out.startswith("hơn 1 kết quả\n")


def test_search_command_json(setup, capsys) -> None:  # type: ignore[no-untyped-def]
    call_command("search", "thanh", "hoa", "--json", "--tone", "negative", "--place", "382")
    data = json.loads(capsys.readouterr().out)
    assert [d["id"] for d in data] == [setup["article"].pk]
    assert set(data[0]) == {"id", "url", "title", "outlet", "published", "score"}


def test_social_import_json_and_csv_and_bad_file(tmp_path, setup) -> None:  # type: ignore[no-untyped-def]
    from pressdesk.core.errors import ValidationFailed

    posts = [
        {
            "url": "https://facebook.com/p/1?fbclid=x",
            "text": "Sầm Sơn mất điện",
            "published_at": "2024-05-01 08:00",
        }
    ]
    created, known = social_import(data=json.dumps(posts).encode(), filename="a.json", actor=setup["monitor"])
    assert len(created) == 1 and created[0].channel == Article.Channel.SOCIAL
    csv_data = "url,text\nhttps://facebook.com/p/1,lặp lại\nhttps://tiktok.com/v/2,Video Nghi Sơn\n".encode()
    created, known = social_import(data=csv_data, filename="b.csv", actor=setup["monitor"])
    assert (len(created), known) == (1, 1)
    with pytest.raises(ValidationFailed) as error:
        social_import(data=b"url,text\nftp://x,y\n", filename="c.csv", actor=setup["monitor"])
    assert "Dòng 1" in error.value.message
    with pytest.raises(Exception):  # noqa: B017,PT011 - PermissionDenied for non-monitors
        social_import(data=json.dumps(posts).encode(), filename="a.json", actor=setup["officer"])
    path = tmp_path / "p.json"
    path.write_text(json.dumps([{"url": "https://x.com/s/3", "text": "bài mới"}]))
    call_command("social", "import", str(path))
    assert Article.objects.filter(channel="social").count() == 3


def test_reported_post_is_searchable_and_report_form_works(client, setup) -> None:  # type: ignore[no-untyped-def]
    client.force_login(setup["officer"])
    client.post(
        reverse("watch:social"),
        {"url": "https://facebook.com/p/99", "text": "Tin đồn sai sự thật về Hoằng Hóa"},
    )
    article = Article.objects.get(channel="social")
    client.force_login(setup["monitor"])
    assert article.title.encode() in client.get(reverse("watch:index"), {"q": "hoang hoa"}).content
