"""Machine verification of deliveries (with the evidence kept) and report jobs."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class CheckResult(models.TextChoices):
    PASS = "pass", _("Đạt")
    FAIL = "fail", _("Không đạt")
    UNKNOWN = "unknown", _("Chưa xác định")


class Snapshot(models.Model):
    """What the page said when it was checked: kept even if the page later changes or disappears."""

    url = models.CharField(_("địa chỉ đã kiểm tra"), max_length=1000)
    final_url = models.CharField(_("địa chỉ cuối"), max_length=1000, blank=True)
    canonical_url = models.CharField(_("địa chỉ chuẩn"), max_length=1000, blank=True)
    http_status = models.PositiveSmallIntegerField(_("mã HTTP"), null=True, blank=True)
    fetched_at = models.DateTimeField(_("thời điểm tải"))
    title = models.CharField(_("tiêu đề"), max_length=1000, blank=True)
    text = models.TextField(_("nội dung trích xuất"), blank=True)
    published_at = models.DateTimeField(_("thời gian đăng (trên trang)"), null=True, blank=True)
    sha256 = models.CharField(_("mã băm SHA-256 của nội dung"), max_length=64, blank=True)
    error = models.CharField(_("lỗi"), max_length=64, blank=True)
    error_detail = models.TextField(_("chi tiết lỗi"), blank=True)

    class Meta:
        verbose_name = _("bản lưu trang")
        verbose_name_plural = _("bản lưu trang")

    def __str__(self) -> str:
        return self.title or self.url


class DeliveryVerification(models.Model):
    """One automatic check of a delivery; the commissioning officer confirms or overrides it."""

    class Decision(models.TextChoices):
        PENDING = "pending", _("Chờ cán bộ xác nhận")
        CONFIRMED = "confirmed", _("Cán bộ xác nhận kết quả máy")
        OVERRIDDEN = "overridden", _("Cán bộ điều chỉnh kết quả")

    delivery = models.ForeignKey(
        "commissioning.Delivery", on_delete=models.CASCADE, related_name="verifications"
    )
    checked_at = models.DateTimeField(_("kiểm tra lúc"), db_index=True)
    overall = models.CharField(_("kết quả máy"), max_length=8, choices=CheckResult.choices)
    snapshot = models.ForeignKey(
        Snapshot, on_delete=models.PROTECT, null=True, blank=True, related_name="verifications"
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decision = models.CharField(
        _("xác nhận"), max_length=12, choices=Decision.choices, default=Decision.PENDING
    )
    final = models.CharField(_("kết quả cuối"), max_length=8, choices=CheckResult.choices, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_note = models.TextField(_("ý kiến của cán bộ"), blank=True)

    class Meta:
        verbose_name = _("kiểm tra tác phẩm")
        verbose_name_plural = _("kiểm tra tác phẩm")
        ordering = ["-checked_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(decision="overridden") | ~models.Q(decision_note=""),
                name="verification_override_has_note",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.delivery_id} · {self.get_overall_display()}"


class DeliveryCheck(models.Model):
    class Code(models.TextChoices):
        EXISTS = "exists", _("Trang tồn tại")
        OUTLET = "outlet", _("Đúng ấn phẩm đặt hàng (tên miền)")
        WINDOW = "window", _("Ngày đăng trong thời gian đặt hàng")
        PROVINCE = "province", _("Nội dung về tỉnh")
        AREA_TOPIC = "area_topic", _("Đúng lĩnh vực, chủ đề đặt hàng")
        NOT_COUNTED = "not_counted", _("Chưa được tính")

    verification = models.ForeignKey(DeliveryVerification, on_delete=models.CASCADE, related_name="checks")
    order = models.PositiveSmallIntegerField(default=0)
    code = models.CharField(max_length=16, choices=Code.choices)
    result = models.CharField(max_length=8, choices=CheckResult.choices)
    reason = models.TextField(_("lý do"))

    class Meta:
        ordering = ["verification_id", "order"]
        constraints = [
            models.UniqueConstraint(fields=["verification", "code"], name="deliverycheck_unique_code"),
        ]


class ReportJob(models.Model):
    """A report built in the background; its file lives under MEDIA_ROOT and only the requester gets it."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("Đang chờ")
        RUNNING = "running", _("Đang lập")
        DONE = "done", _("Đã xong")
        FAILED = "failed", _("Lỗi")

    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    params = models.JSONField(default=dict)
    status = models.CharField(
        _("trạng thái"), max_length=8, choices=Status.choices, default=Status.QUEUED, db_index=True
    )
    file_path = models.CharField(_("tệp"), max_length=255, blank=True)
    error = models.TextField(_("lỗi"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("yêu cầu lập báo cáo")
        verbose_name_plural = _("yêu cầu lập báo cáo")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.params} · {self.status}"
