from __future__ import annotations

import pytest
from django.db import DatabaseError, transaction
from django.template import Context, Template
from django.test import Client

from pressdesk.core.audit import history_for, transition_record
from pressdesk.core.models import TransitionRecord
from pressdesk.core.templatetags.pressdesk import format_vnd
from tests.factories import OrganisationFactory, UserFactory


@pytest.mark.parametrize(
    ("value", "expected"),
    [(0, "0 đ"), (1234567, "1.234.567 đ"), ("15000000.00", "15.000.000 đ"), (-2500, "-2.500 đ"), (None, "")],
)
def test_money_is_shown_in_dong_with_dot_separators(value, expected):
    assert format_vnd(value) == expected


def test_dates_render_day_month_year_in_vietnamese():
    import datetime as dt

    from django.utils import translation

    with translation.override("vi"):
        assert (
            Template("{{ d|date:'SHORT_DATE_FORMAT' }}").render(Context({"d": dt.date(2024, 5, 7)}))
            == "07/05/2024"
        )


@pytest.mark.django_db
def test_transition_records_cannot_be_updated():
    org = OrganisationFactory()
    record = transition_record(subject=org, actor=UserFactory(), action="test", old="a", new="b")
    with pytest.raises(DatabaseError), transaction.atomic():
        TransitionRecord.objects.filter(pk=record.pk).update(note="changed")
    record.refresh_from_db()
    assert record.note == ""
    assert list(history_for(org)) == [record]


@pytest.mark.django_db
def test_anonymous_visitor_is_sent_to_login():
    response = Client().get("/")
    assert response.status_code == 302
    assert response["Location"].startswith("/dang-nhap/")


@pytest.mark.django_db
def test_pages_are_in_vietnamese_by_default():
    response = Client().get("/dang-nhap/")
    assert response.status_code == 200
    assert 'lang="vi"' in response.content.decode()
    assert "Đăng nhập" in response.content.decode()


@pytest.mark.django_db
def test_openapi_schema_is_published():
    response = Client().get("/api/schema/")
    assert response.status_code == 200
    assert response.json()["info"]["title"] == "PressDesk API"


def test_secret_key_is_not_a_constant_in_code():
    from pathlib import Path

    source = (Path(__file__).resolve().parents[2] / "pressdesk" / "settings.py").read_text()
    assert 'SECRET_KEY = "' not in source and "SECRET_KEY = '" not in source


@pytest.mark.parametrize(
    ("role", "sources", "reports"),
    [("monitor", True, True), ("agency_editor", False, False), ("viewer", False, True)],
)
def test_menu_shows_the_sections_the_role_may_open(make_user, role, sources, reports):
    client = Client()
    client.force_login(make_user(role))
    html = client.get("/").content.decode()
    assert ('href="/theo-doi/nguon-tin/"' in html) is sources
    assert ('href="/bao-cao/"' in html) is reports
    assert 'href="/canh-bao/"' in html  # search and alerts are for every signed-in user
