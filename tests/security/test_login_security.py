"""Login throttling, Argon2, two-factor login, cookies and security headers."""

from __future__ import annotations

import base64
import re
import subprocess
import sys
import time

import pyotp
import pytest
from django.test import Client
from django_otp.plugins.otp_totp.models import TOTPDevice

from pressdesk.accounts.models import Role
from tests.factories import PASSWORD, UserFactory


def _post_login(client: Client, username: str, password: str, path: str = "/dang-nhap/"):
    return client.post(path, {"username": username, "password": password})


# --- throttling -------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_five_wrong_passwords_lock_the_username_for_fifteen_minutes():
    user = UserFactory()
    for attempt in range(5):
        # From a different address each time: the username lock must not depend on the address.
        response = _post_login(Client(REMOTE_ADDR=f"10.0.0.{attempt + 1}"), user.username, "wrong-password")
        assert response.status_code in (200, 429)
    locked = _post_login(Client(REMOTE_ADDR="10.0.0.99"), user.username, PASSWORD)
    assert locked.status_code == 429
    text = locked.content.decode()
    assert "tạm khóa đăng nhập trong 15 phút" in text
    assert "_auth_user_id" not in locked.client.session


@pytest.mark.django_db
def test_five_failures_from_one_address_lock_that_address():
    other = UserFactory()
    for n in range(5):
        _post_login(Client(REMOTE_ADDR="10.9.9.9"), f"nobody{n}", "whatever-password")
    assert _post_login(Client(REMOTE_ADDR="10.9.9.9"), other.username, PASSWORD).status_code == 429
    # Another address still logs in.
    ok = _post_login(Client(REMOTE_ADDR="10.9.9.10"), other.username, PASSWORD)
    assert ok.status_code == 302


@pytest.mark.django_db
def test_fewer_failures_then_success_resets_the_count():
    user = UserFactory()
    client = Client(REMOTE_ADDR="10.1.1.1")
    for _ in range(4):
        assert _post_login(client, user.username, "wrong-password").status_code == 200
    assert _post_login(client, user.username, PASSWORD).status_code == 302
    client.logout()
    for _ in range(4):
        assert _post_login(client, user.username, "wrong-password").status_code == 200
    assert _post_login(client, user.username, PASSWORD).status_code == 302


@pytest.mark.django_db
def test_the_admin_login_is_throttled_too():
    admin = UserFactory(is_staff=True, is_superuser=True)
    for _ in range(5):
        _post_login(Client(REMOTE_ADDR="10.2.2.2"), admin.username, "wrong-password", "/quan-tri/login/")
    response = _post_login(Client(REMOTE_ADDR="10.2.2.3"), admin.username, PASSWORD, "/quan-tri/login/")
    assert response.status_code == 429


@pytest.mark.django_db
def test_test_client_login_and_authenticate_with_request_still_work():
    from django.contrib.auth import authenticate
    from django.test import RequestFactory

    user = UserFactory()
    assert Client().login(username=user.username, password=PASSWORD)
    request = RequestFactory().post("/dang-nhap/")
    assert authenticate(request=request, username=user.username, password=PASSWORD) == user


# --- password hashing -------------------------------------------------------------------------------


@pytest.mark.django_db
def test_passwords_are_hashed_with_argon2():
    user = UserFactory()
    assert user.password.startswith("argon2$argon2id$")
    assert user.check_password(PASSWORD)


# --- headers and cookies ----------------------------------------------------------------------------


@pytest.mark.django_db
def test_pages_send_security_headers_and_a_csp_without_inline_scripts():
    response = Client().get("/dang-nhap/")
    csp = response["Content-Security-Policy"]
    assert "script-src 'self'" in csp
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp
    assert "frame-ancestors 'none'" in csp and "object-src 'none'" in csp
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"


@pytest.mark.django_db
def test_pages_contain_no_inline_script_or_handler(client):
    user = UserFactory(is_staff=True, is_superuser=True)
    client.force_login(user)
    for path in ("/dang-nhap/", "/"):
        html = client.get(path).content.decode()
        assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html), path
        assert not re.search(r"\son[a-z]+\s*=", html), path


def _settings_in_subprocess(tmp_path, **env: str) -> dict[str, str]:
    code = (
        "import django; django.setup(); from django.conf import settings as s; "
        "print(s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, getattr(s, 'SECURE_HSTS_SECONDS', 0), "
        "s.STORAGES['staticfiles']['BACKEND'], s.STORAGES['default']['BACKEND'])"
    )
    base = {
        "PATH": "/usr/bin:/bin",
        "DJANGO_SETTINGS_MODULE": "pressdesk.settings",
        "PRESSDESK_DATA_DIR": str(tmp_path),
    }
    out = subprocess.run(
        [sys.executable, "-c", code], env={**base, **env}, capture_output=True, text=True, check=True
    ).stdout.split()
    return dict(zip(["session", "csrf", "hsts", "static", "media"], out, strict=True))


def test_cookies_are_secure_and_hsts_set_over_https(tmp_path):
    plain = _settings_in_subprocess(tmp_path)
    assert plain["session"] == plain["csrf"] == "False"
    assert plain["hsts"] == "0"
    assert plain["static"] == "django.contrib.staticfiles.storage.StaticFilesStorage"
    https = _settings_in_subprocess(tmp_path, HTTPS="true")
    assert https["session"] == https["csrf"] == "True"
    assert int(https["hsts"]) >= 31536000


def test_production_env_uses_secure_cookies_manifest_static_files_and_chosen_media_storage(tmp_path):
    prod = _settings_in_subprocess(
        tmp_path,
        PRESSDESK_ENV="production",
        PRESSDESK_MEDIA_STORAGE="django.core.files.storage.InMemoryStorage",
    )
    assert prod["session"] == prod["csrf"] == "True"
    assert prod["static"] == "whitenoise.storage.CompressedManifestStaticFilesStorage"
    assert prod["media"] == "django.core.files.storage.InMemoryStorage"


def test_collectstatic_with_the_compressed_manifest_storage(tmp_path):
    env = {
        "PATH": "/usr/bin:/bin",
        "DJANGO_SETTINGS_MODULE": "pressdesk.settings",
        "PRESSDESK_DATA_DIR": str(tmp_path),
        "PRESSDESK_ENV": "production",
        "PRESSDESK_STATIC_ROOT": str(tmp_path / "static"),
    }
    subprocess.run(
        [sys.executable, "-m", "pressdesk", "collectstatic", "--noinput", "-v0"], env=env, check=True
    )
    manifest = (tmp_path / "static" / "staticfiles.json").read_text()
    assert "pressdesk/pressdesk.css" in manifest
    assert list((tmp_path / "static" / "pressdesk").glob("pressdesk.*.css.gz"))


# --- two-factor login -------------------------------------------------------------------------------


def _code(secret: str, offset_steps: int = 0) -> str:
    return pyotp.TOTP(secret).at(time.time() + 30 * offset_steps)


def _enrol(client: Client) -> str:
    page = client.get("/tai-khoan/hai-buoc/")
    assert page.status_code == 200
    secret = re.search(r'id="otp-secret">([A-Z2-7]+)<', page.content.decode()).group(1)
    assert "otpauth://totp/" in page.content.decode()
    done = client.post("/tai-khoan/hai-buoc/", {"token": _code(secret), "action": "confirm"})
    assert "Đã bật xác thực hai bước" in done.content.decode()
    return secret


@pytest.mark.django_db
def test_an_approver_enrols_and_then_needs_a_code_after_the_password(make_user):
    approver = make_user(Role.APPROVER)
    client = Client()
    assert _post_login(client, approver.username, PASSWORD).status_code == 302
    secret = _enrol(client)

    client = Client()
    assert _post_login(client, approver.username, PASSWORD).status_code == 302
    blocked = client.get("/")
    assert blocked.status_code == 302
    assert blocked["Location"].startswith("/xac-thuc/?next=/")
    api = client.get("/api/schema/")
    assert api.status_code == 403 and api.json()["detail"]["code"] == "otp_required"
    wrong = client.post("/xac-thuc/", {"token": _code(secret, -20), "next": "/"})
    assert "Mã xác thực không đúng" in wrong.content.decode()
    assert client.get("/").status_code == 302
    # Right after a wrong code django-otp makes the next try wait; the page says so.
    throttled = client.post("/xac-thuc/", {"token": _code(secret, 1), "next": "/"})
    assert "vui lòng chờ vài giây" in throttled.content.decode()
    TOTPDevice.objects.get(user=approver).throttle_reset()
    ok = client.post("/xac-thuc/", {"token": _code(secret, 1), "next": "/"})
    assert ok.status_code == 302 and ok["Location"] == "/"
    assert client.get("/").status_code == 200


@pytest.mark.django_db
def test_the_code_step_refuses_an_outside_next_address(make_user):
    approver = make_user(Role.APPROVER)
    client = Client()
    client.force_login(approver)
    secret = _enrol(client)
    client = Client()
    client.force_login(approver)
    ok = client.post("/xac-thuc/", {"token": _code(secret, 1), "next": "https://evil.example/"})
    assert ok["Location"] == "/"


@pytest.mark.django_db
def test_other_roles_cannot_enrol_and_log_in_with_the_password_only(make_user):
    editor = make_user(Role.PLAN_EDITOR)
    client = Client()
    assert _post_login(client, editor.username, PASSWORD).status_code == 302
    assert client.get("/tai-khoan/hai-buoc/").status_code == 403
    assert client.get("/").status_code == 200


@pytest.mark.django_db
def test_an_administrator_can_remove_the_device_with_a_current_code():
    admin = UserFactory(is_staff=True, is_superuser=True)
    client = Client()
    client.force_login(admin)
    secret = _enrol(client)
    assert client.get("/quan-tri/").status_code == 200  # verified in this session by the enrolment
    removed = client.post("/tai-khoan/hai-buoc/", {"token": _code(secret, 1), "action": "remove"})
    assert "Đã tắt xác thực hai bước" in removed.content.decode()
    fresh = Client()
    fresh.force_login(admin)
    assert fresh.get("/quan-tri/").status_code == 200


@pytest.mark.django_db
def test_the_admin_is_closed_until_the_code_is_given():
    admin = UserFactory(is_staff=True, is_superuser=True)
    client = Client()
    client.force_login(admin)
    secret = _enrol(client)
    fresh = Client()
    fresh.force_login(admin)
    response = fresh.get("/quan-tri/")
    assert response.status_code == 302 and response["Location"].startswith("/xac-thuc/")
    assert base64.b32decode(secret + "=" * (-len(secret) % 8))  # a real base32 secret


@pytest.mark.django_db
def test_behind_the_proxy_the_address_nginx_appended_is_counted(settings):
    settings.PRESSDESK_BEHIND_PROXY = True
    user = UserFactory()
    for n in range(5):
        # The client forges the first entry each time; the proxy's entry (last) stays the same.
        Client(REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR=f"1.1.1.{n}, 198.51.100.7").post(
            "/dang-nhap/", {"username": f"ghost{n}", "password": "wrong-password"}
        )
    blocked = Client(REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="198.51.100.7")
    assert _post_login(blocked, user.username, PASSWORD).status_code == 429
    other = Client(REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="198.51.100.8")
    assert _post_login(other, user.username, PASSWORD).status_code == 302


@pytest.mark.django_db
def test_a_device_removed_elsewhere_does_not_trap_the_session(make_user):
    approver = make_user(Role.APPROVER)
    client = Client()
    client.force_login(approver)
    _enrol(client)
    fresh = Client()
    fresh.force_login(approver)
    assert fresh.get("/")["Location"].startswith("/xac-thuc/")
    TOTPDevice.objects.filter(user=approver).delete()  # e.g. by an administrator
    step = fresh.get("/xac-thuc/?next=/")
    assert step.status_code == 302 and step["Location"] == "/"
    assert fresh.get("/").status_code == 200
