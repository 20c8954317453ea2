"""English, the second language: the compiled catalog is complete and the switcher turns pages English.

PressDesk ignores the browser's Accept-Language on purpose (see ChosenLanguageMiddleware): English is
chosen with the language switcher, which posts to /i18n/setlang/ and sets the language cookie.
"""

from __future__ import annotations

import ast
import gettext
import re
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.test import Client
from django.utils import translation

from pressdesk.accounts.models import OrgKind, Role

pytestmark = pytest.mark.django_db

LOCALE_DIR = Path(settings.LOCALE_PATHS[0]) / "en" / "LC_MESSAGES"
PLACEHOLDER = re.compile(r"%\(\w+\)[sdf]|%[sd]")


@pytest.fixture(autouse=True)
def _back_to_vietnamese() -> Any:
    """A request leaves its language active in the thread: give later tests Vietnamese again."""
    yield
    translation.activate(settings.LANGUAGE_CODE)


def _english(client: Client) -> Client:
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/dang-nhap/"})
    assert response.status_code == 302
    return client


def _text(response: Any) -> str:
    assert response.status_code == 200
    return response.content.decode()


def test_login_page_is_english_after_choosing_english():
    html = _text(_english(Client()).get("/dang-nhap/"))
    assert '<html lang="en">' in html
    for english, vietnamese in [
        ("Username", "Tên đăng nhập"),
        ("Password", "Mật khẩu"),
        ("Log in", "Đăng nhập"),
    ]:
        assert english in html
        assert vietnamese not in html
    assert "Information and communication management system" in html


def test_login_page_is_vietnamese_by_default():
    html = _text(Client().get("/dang-nhap/"))
    assert '<html lang="vi">' in html
    assert "Tên đăng nhập" in html and "Mật khẩu" in html
    assert "Username" not in html and "Password" not in html


def test_browser_accept_language_alone_keeps_vietnamese():
    html = _text(Client().get("/dang-nhap/", HTTP_ACCEPT_LANGUAGE="en"))
    assert "Tên đăng nhập" in html and "Username" not in html


def test_signed_in_pages_in_english(make_user):
    user = make_user(Role.PLAN_EDITOR, kind=OrgKind.PROPAGANDA)
    client = Client()
    client.force_login(user)
    _english(client)

    home = _text(client.get("/"))
    assert "My roles" in home and "Vai trò của tôi" not in home
    assert "Plan editor" in home and "Biên tập kế hoạch" not in home
    assert "Log out" in home and "Đăng xuất" not in home

    plans = _text(client.get("/ke-hoach/"))
    assert "Communication plans" in plans
    assert "Kế hoạch thông tin, tuyên truyền" not in plans

    # and back to Vietnamese
    client.post("/i18n/setlang/", {"language": "vi", "next": "/"})
    assert "Vai trò của tôi" in _text(client.get("/"))


def _po_msgids(po: Path) -> set[str]:
    """The msgids of a .po file, read with a small parser (header included as "")."""
    msgids: set[str] = set()
    current: list[str] | None = None
    for line in po.read_text(encoding="utf-8").splitlines():
        if line.startswith("msgid "):
            current = [line[len("msgid ") :]]
        elif current is not None and line.startswith('"'):
            current.append(line)
        elif current is not None:
            msgids.add("".join(ast.literal_eval(part) for part in current))
            current = None
    return msgids


def test_english_catalog_is_complete_and_keeps_placeholders():
    with (LOCALE_DIR / "django.mo").open("rb") as fh:
        catalog = gettext.GNUTranslations(fh)._catalog  # type: ignore[attr-defined]
    assert catalog[""].startswith("Project-Id-Version") and "Language: en" in catalog[""]

    compiled = {key[0] if isinstance(key, tuple) else key for key in catalog}
    assert compiled == _po_msgids(LOCALE_DIR / "django.po"), "django.mo is out of date: run msgfmt"
    assert len(compiled) > 1000

    problems = []
    for key, msgstr in catalog.items():
        msgid = key[0] if isinstance(key, tuple) else key
        if not msgid:
            continue
        if not msgstr.strip():
            problems.append(f"untranslated: {msgid!r}")
        missing = [p for p in PLACEHOLDER.findall(msgid) if p not in msgstr]
        if missing:
            problems.append(f"{msgid!r} → {msgstr!r} lacks {missing}")
    assert not problems, "\n".join(problems)
