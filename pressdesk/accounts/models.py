from __future__ import annotations

import datetime as dt

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from pressdesk.core.models import TimeStampedModel


class OrgKind(models.TextChoices):
    PROPAGANDA = "propaganda", _("Ban Tuyên giáo (cơ quan tuyên truyền)")
    INFORMATION = "information", _("Sở Thông tin và Truyền thông (hoặc cơ quan kế nhiệm)")
    PEOPLES_COMMITTEE = "peoples_committee", _("Ủy ban nhân dân")
    CENTRAL_PRESS = "central_press", _("Cơ quan báo chí Trung ương")
    PROVINCIAL_PRESS = "provincial_press", _("Cơ quan báo chí của tỉnh")
    DEPARTMENT = "department", _("Sở, ban, ngành")
    LOCALITY = "locality", _("Địa phương (huyện, xã, phường)")
    REPRESENTATIVE_OFFICE = "representative_office", _("Văn phòng đại diện, phóng viên thường trú")
    ASSOCIATION = "association", _("Hội, hiệp hội")
    OTHER = "other", _("Khác")


PRESS_KINDS = (OrgKind.CENTRAL_PRESS, OrgKind.PROVINCIAL_PRESS)


class Organisation(TimeStampedModel):
    """A body: department, locality, press agency... Bodies change: validity and a successor."""

    name = models.CharField(_("tên"), max_length=255)
    short_name = models.CharField(_("tên viết tắt"), max_length=64, blank=True)
    kind = models.CharField(_("loại"), max_length=32, choices=OrgKind.choices, db_index=True)
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        verbose_name=_("trực thuộc"),
    )
    successor = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="predecessors",
        verbose_name=_("cơ quan kế nhiệm"),
    )
    valid_from = models.DateField(_("hiệu lực từ"), null=True, blank=True)
    valid_to = models.DateField(_("hiệu lực đến"), null=True, blank=True)
    admin_unit_code = models.CharField(
        _("mã đơn vị hành chính"), max_length=16, blank=True, help_text=_("cho địa phương: mã huyện/xã")
    )
    website = models.URLField(_("trang thông tin điện tử"), blank=True)
    email = models.EmailField(_("thư điện tử"), blank=True)
    address = models.CharField(_("địa chỉ"), max_length=255, blank=True)

    class Meta:
        verbose_name = _("tổ chức")
        verbose_name_plural = _("tổ chức")
        ordering = ["kind", "name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True)
                | Q(valid_from__isnull=True)
                | Q(valid_to__gte=models.F("valid_from")),
                name="organisation_valid_range",
            ),
            models.UniqueConstraint(fields=["name", "valid_from"], name="organisation_unique_name_from"),
        ]

    def __str__(self) -> str:
        return self.name

    def is_valid_on(self, day: dt.date) -> bool:
        return (self.valid_from is None or self.valid_from <= day) and (
            self.valid_to is None or day <= self.valid_to
        )

    def current(self, day: dt.date | None = None) -> Organisation:
        """Follow successors until the body that exists on `day` (today by default)."""
        day = day or timezone.localdate()
        body: Organisation = self
        seen = {body.pk}
        while not body.is_valid_on(day) and body.successor_id and body.successor_id not in seen:
            body = body.successor  # type: ignore[assignment]
            seen.add(body.pk)
        return body

    @property
    def is_press(self) -> bool:
        return self.kind in PRESS_KINDS


class OutletKind(models.TextChoices):
    PRINT = "print", _("Báo in")
    ONLINE = "online", _("Báo điện tử")
    RADIO = "radio", _("Phát thanh")
    TV = "tv", _("Truyền hình")
    MAGAZINE = "magazine", _("Tạp chí")


class OutletLevel(models.TextChoices):
    CENTRAL = "central", _("Trung ương")
    PROVINCIAL = "provincial", _("Địa phương (tỉnh)")
    OTHER = "other", _("Khác")


class Outlet(TimeStampedModel):
    """A publication of a press agency (newspaper, site, channel)."""

    agency = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="outlets", verbose_name=_("cơ quan báo chí")
    )
    name = models.CharField(_("tên ấn phẩm"), max_length=255, unique=True)
    kind = models.CharField(
        _("loại hình"), max_length=16, choices=OutletKind.choices, default=OutletKind.ONLINE
    )
    level = models.CharField(_("cấp"), max_length=16, choices=OutletLevel.choices, default=OutletLevel.OTHER)
    domains = models.JSONField(
        _("tên miền"), default=list, blank=True, help_text=_('ví dụ: ["baothanhhoa.vn"]')
    )
    homepage = models.URLField(_("trang chủ"), blank=True)
    active = models.BooleanField(_("đang theo dõi"), default=True)

    class Meta:
        verbose_name = _("ấn phẩm báo chí")
        verbose_name_plural = _("ấn phẩm báo chí")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class User(AbstractUser):
    phone = models.CharField(_("điện thoại"), max_length=32, blank=True)
    position = models.CharField(_("chức vụ"), max_length=128, blank=True)

    class Meta(AbstractUser.Meta):
        verbose_name = _("người dùng")  # type: ignore[assignment]
        verbose_name_plural = _("người dùng")  # type: ignore[assignment]

    def __str__(self) -> str:
        return self.get_full_name() or self.username


class Role(models.TextChoices):
    PLAN_EDITOR = "plan_editor", _("Biên tập kế hoạch")
    APPRAISER = "appraiser", _("Thẩm định")
    COMMISSIONING_OFFICER = "commissioning_officer", _("Cán bộ đặt hàng")
    APPROVER = "approver", _("Phê duyệt (Chủ tịch UBND)")
    AGENCY_EDITOR = "agency_editor", _("Biên tập viên cơ quan báo chí")
    RESIDENT_REPORTER = "resident_reporter", _("Văn phòng đại diện, phóng viên thường trú")
    BODY_OFFICER = "body_officer", _("Cán bộ sở, ngành, địa phương")
    BODY_HEAD = "body_head", _("Thủ trưởng cơ quan")
    SPOKESPERSON = "spokesperson", _("Người phát ngôn")
    MONITOR = "monitor", _("Theo dõi báo chí")
    VIEWER = "viewer", _("Xem")
    ADMINISTRATOR = "administrator", _("Quản trị")


class Membership(TimeStampedModel):
    """A user's role in an organisation for a period. Permissions follow the role."""

    user = models.ForeignKey(
        User, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("người dùng")
    )
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="memberships", verbose_name=_("tổ chức")
    )
    role = models.CharField(_("vai trò"), max_length=32, choices=Role.choices)
    valid_from = models.DateField(_("hiệu lực từ"), null=True, blank=True)
    valid_to = models.DateField(_("hiệu lực đến"), null=True, blank=True)

    class Meta:
        verbose_name = _("vai trò của người dùng")
        verbose_name_plural = _("vai trò của người dùng")
        constraints = [
            models.UniqueConstraint(fields=["user", "organisation", "role"], name="membership_unique_role"),
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True)
                | Q(valid_from__isnull=True)
                | Q(valid_to__gte=models.F("valid_from")),
                name="membership_valid_range",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.get_role_display()} · {self.organisation}"


class ApiToken(models.Model):
    """An API key for scripts. Only its SHA-256 is stored; the key is shown once when issued."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(_("tên"), max_length=100, blank=True)
    key_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked = models.BooleanField(default=False)

    class Meta:
        verbose_name = _("khóa API")
        verbose_name_plural = _("khóa API")

    def __str__(self) -> str:
        return f"{self.user} · {self.name or self.key_hash[:8]}"
