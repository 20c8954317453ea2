"""Vietnamese for everyone whatever the browser says; English only when the user picks it."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.test import Client
from django.utils import translation

pytestmark = pytest.mark.django_db


def test_an_english_browser_still_gets_vietnamese() -> None:
    response = Client().get("/dang-nhap/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert response.status_code == 200
    assert response.headers["Content-Language"] == "vi"


def test_the_language_switcher_chooses_english_and_back() -> None:
    client = Client()
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/dang-nhap/"})
    assert response.status_code == 302
    assert client.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"
    assert client.get("/dang-nhap/").headers["Content-Language"] == "en"
    client.post("/i18n/setlang/", {"language": "vi", "next": "/dang-nhap/"})
    assert client.get("/dang-nhap/").headers["Content-Language"] == "vi"
    translation.activate(settings.LANGUAGE_CODE)
