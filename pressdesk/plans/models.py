from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from pressdesk.core.models import TimeStampedModel


class Plan(TimeStampedModel):
    """The annual communication plan (Kế hoạch thông tin, tuyên truyền)."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Dự thảo")
        ISSUED = "issued", _("Đã ban hành")
        CLOSED = "closed", _("Đã kết thúc")

    year = models.PositiveSmallIntegerField(_("năm"), unique=True)
    title = models.CharField(_("tên kế hoạch"), max_length=500)
    number = models.CharField(_("số, ký hiệu"), max_length=100, blank=True)
    issue_date = models.DateField(_("ngày ban hành"), null=True, blank=True)
    status = models.CharField(_("trạng thái"), max_length=16, choices=Status.choices, default=Status.ISSUED)
    preamble = models.TextField(_("căn cứ, mở đầu"), blank=True)
    legal_basis = models.JSONField(_("căn cứ pháp lý"), default=list, blank=True)
    purposes = models.JSONField(_("mục đích, yêu cầu"), default=list, blank=True)
    signers = models.JSONField(_("người ký"), default=list, blank=True)
    recipients = models.JSONField(_("nơi nhận"), default=list, blank=True)
    issuing_bodies = models.ManyToManyField(
        "accounts.Organisation", blank=True, related_name="issued_plans", verbose_name=_("cơ quan ban hành")
    )
    owner = models.ForeignKey(
        "accounts.Organisation",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="owned_plans",
        verbose_name=_("cơ quan chủ trì"),
    )
    source_name = models.CharField(_("tệp nguồn"), max_length=255, blank=True)
    source_sha256 = models.CharField(max_length=64, blank=True)

    class Meta:
        verbose_name = _("kế hoạch")
        verbose_name_plural = _("kế hoạch")
        ordering = ["-year"]

    def __str__(self) -> str:
        return f"{self.title} ({self.year})"


class ContentArea(models.Model):
    """One numbered area of section II (Lĩnh vực / nội dung truyền thông)."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="areas", verbose_name=_("kế hoạch"))
    number = models.PositiveSmallIntegerField(_("số thứ tự"))
    title = models.CharField(_("tên lĩnh vực"), max_length=500)
    keywords = models.JSONField(_("từ khóa"), default=list, blank=True)

    class Meta:
        verbose_name = _("lĩnh vực")
        verbose_name_plural = _("lĩnh vực")
        ordering = ["plan", "number"]
        constraints = [models.UniqueConstraint(fields=["plan", "number"], name="area_unique_number")]

    def __str__(self) -> str:
        return f"{self.number}. {self.title}"


class Topic(models.Model):
    """One bullet of an area: a theme the press should cover."""

    area = models.ForeignKey(
        ContentArea, on_delete=models.CASCADE, related_name="topics", verbose_name=_("lĩnh vực")
    )
    order = models.PositiveSmallIntegerField(_("thứ tự"))
    text = models.TextField(_("nội dung"))
    keywords = models.JSONField(
        _("từ khóa"),
        default=list,
        blank=True,
        help_text=_("từ khóa giúp nhận diện bài viết thuộc nội dung này"),
    )
    target_count = models.PositiveIntegerField(_("chỉ tiêu số tin, bài"), null=True, blank=True)

    class Meta:
        verbose_name = _("nội dung")
        verbose_name_plural = _("nội dung")
        ordering = ["area", "order"]
        constraints = [models.UniqueConstraint(fields=["area", "order"], name="topic_unique_order")]

    def __str__(self) -> str:
        short = self.text if len(self.text) <= 90 else self.text[:87] + "…"
        return f"{self.area.number}.{self.order} {short}"


class KeyEvent(models.Model):
    """A dated anniversary or event to cover (ngày lễ lớn, sự kiện, kỷ niệm)."""

    plan = models.ForeignKey(
        Plan, on_delete=models.CASCADE, related_name="events", verbose_name=_("kế hoạch")
    )
    area = models.ForeignKey(
        ContentArea,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="events",
        verbose_name=_("lĩnh vực"),
    )
    topic = models.ForeignKey(
        Topic,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="events",
        verbose_name=_("nội dung"),
    )
    order = models.PositiveSmallIntegerField(_("thứ tự"), default=0)
    title = models.CharField(_("tên sự kiện"), max_length=500)
    date = models.DateField(_("ngày"), null=True, blank=True)
    year = models.PositiveSmallIntegerField(_("năm"))
    since_year = models.PositiveSmallIntegerField(_("năm mốc"), null=True, blank=True)
    since_date = models.DateField(_("ngày mốc"), null=True, blank=True)
    window_before_days = models.PositiveSmallIntegerField(_("theo dõi trước (ngày)"), default=30)
    window_after_days = models.PositiveSmallIntegerField(_("theo dõi sau (ngày)"), default=15)
    keywords = models.JSONField(_("từ khóa"), default=list, blank=True)

    class Meta:
        verbose_name = _("sự kiện trọng tâm")
        verbose_name_plural = _("sự kiện trọng tâm")
        ordering = ["plan", "order"]

    def __str__(self) -> str:
        return self.title

    @property
    def window_start(self) -> dt.date:
        if self.date:
            return self.date - dt.timedelta(days=self.window_before_days)
        return dt.date(self.year, 1, 1)

    @property
    def window_end(self) -> dt.date:
        if self.date:
            return self.date + dt.timedelta(days=self.window_after_days)
        return dt.date(self.year, 12, 31)


class Responsibility(models.Model):
    """What one kind of body must do (section III, Tổ chức thực hiện)."""

    plan = models.ForeignKey(
        Plan, on_delete=models.CASCADE, related_name="responsibilities", verbose_name=_("kế hoạch")
    )
    order = models.PositiveSmallIntegerField(_("thứ tự"))
    body = models.CharField(_("cơ quan, đơn vị"), max_length=500)
    body_kind = models.CharField(_("loại cơ quan"), max_length=32, blank=True)
    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    tasks = models.JSONField(_("nhiệm vụ"), default=list, blank=True)

    class Meta:
        verbose_name = _("trách nhiệm")
        verbose_name_plural = _("tổ chức thực hiện")
        ordering = ["plan", "order"]
        constraints = [models.UniqueConstraint(fields=["plan", "order"], name="responsibility_unique_order")]

    def __str__(self) -> str:
        return self.body


class Orientation(TimeStampedModel):
    """An orientation note (định hướng thông tin) to the press during the year."""

    plan = models.ForeignKey(
        Plan, on_delete=models.CASCADE, related_name="orientations", verbose_name=_("kế hoạch")
    )
    number = models.CharField(_("số, ký hiệu"), max_length=100, blank=True)
    title = models.CharField(_("tiêu đề"), max_length=500)
    body = models.TextField(_("nội dung định hướng"))
    topics = models.ManyToManyField(
        Topic, blank=True, related_name="orientations", verbose_name=_("nội dung liên quan")
    )
    valid_from = models.DateField(_("hiệu lực từ"))
    valid_to = models.DateField(_("hiệu lực đến"), null=True, blank=True)
    issued_by = models.ForeignKey(
        "accounts.Organisation",
        on_delete=models.PROTECT,
        related_name="orientations",
        verbose_name=_("cơ quan ban hành"),
    )
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("định hướng thông tin")
        verbose_name_plural = _("định hướng thông tin")
        ordering = ["-valid_from", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True) | Q(valid_to__gte=models.F("valid_from")),
                name="orientation_valid_range",
            )
        ]

    def __str__(self) -> str:
        return self.title
