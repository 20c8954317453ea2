"""Information hub: press releases, spokespersons, press inquiries, press events, collaborators,
resident reporters and body websites.

The legal frame is Nghị định 09/2017/NĐ-CP (spokespersons, information for the press) and the Press
Law 2016. Invariants that the database can hold are constraints here; workflows live in services.py.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from pressdesk.core.models import TimeStampedModel


class PressRelease(TimeStampedModel):
    """A press release (thông cáo báo chí) of one body: drafted, submitted, approved → published."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Dự thảo")
        SUBMITTED = "submitted", _("Chờ thủ trưởng duyệt")
        PUBLISHED = "published", _("Đã công bố")
        WITHDRAWN = "withdrawn", _("Đã thu hồi")

    body = models.ForeignKey(
        "accounts.Organisation",
        on_delete=models.PROTECT,
        related_name="press_releases",
        verbose_name=_("cơ quan"),
    )
    title = models.CharField(_("tiêu đề"), max_length=300)
    summary = models.TextField(_("tóm tắt"), blank=True)
    body_text = models.TextField(_("nội dung"))
    number = models.CharField(_("số"), max_length=64, blank=True)
    status = models.CharField(
        _("trạng thái"), max_length=16, choices=Status.choices, default=Status.DRAFT, db_index=True
    )
    drafted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("người soạn"),
    )
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("người duyệt"),
    )
    published_at = models.DateTimeField(_("công bố lúc"), null=True, blank=True, db_index=True)
    withdrawn_reason = models.TextField(_("lý do thu hồi"), blank=True)
    slug = models.SlugField(_("đường dẫn"), max_length=120, unique=True, allow_unicode=False)

    class Meta:
        ordering = ["-published_at", "-created_at"]
        verbose_name = _("thông cáo báo chí")
        verbose_name_plural = _("thông cáo báo chí")
        constraints = [
            # A published or withdrawn release always has its publication time and approver.
            models.CheckConstraint(
                condition=Q(status__in=["draft", "submitted"])
                | (Q(published_at__isnull=False) & Q(approved_by__isnull=False)),
                name="infohub_release_published_has_time_and_approver",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_public(self) -> bool:
        return self.status == self.Status.PUBLISHED


class PressReleaseAttachment(models.Model):
    release = models.ForeignKey(PressRelease, on_delete=models.CASCADE, related_name="attachments")
    file = models.CharField(_("tệp lưu trữ"), max_length=255)  # storage name under MEDIA_ROOT
    original_name = models.CharField(_("tên tệp"), max_length=255)
    kind = models.CharField(_("loại"), max_length=16)
    size = models.PositiveIntegerField(_("dung lượng"))
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["pk"]
        verbose_name = _("tệp đính kèm thông cáo")

    def __str__(self) -> str:
        return self.original_name


class Subscription(TimeStampedModel):
    """E-mail subscription to published releases: of one body, or of all bodies when body is empty.

    Anonymous subscribers confirm by a token sent to the address (double opt-in); a logged-in press user
    subscribes with the address of the account and is confirmed at once.
    """

    email = models.EmailField(_("thư điện tử"))
    body = models.ForeignKey(
        "accounts.Organisation",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("cơ quan"),
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    token = models.CharField(max_length=64, unique=True)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    unsubscribed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("đăng ký nhận thông cáo")
        constraints = [
            models.UniqueConstraint(fields=["email", "body"], name="infohub_subscription_unique_body"),
            models.UniqueConstraint(
                fields=["email"], condition=Q(body__isnull=True), name="infohub_subscription_unique_all"
            ),
        ]

    def __str__(self) -> str:
        return self.email


class ReleaseDelivery(models.Model):
    """One e-mail of one release to one address: the unique key makes sending at most once."""

    release = models.ForeignKey(PressRelease, on_delete=models.CASCADE, related_name="+")
    email = models.EmailField()
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["release", "email"], name="infohub_delivery_once"),
        ]


class SpokespersonAppointment(TimeStampedModel):
    """Who speaks for a body (Nghị định 09/2017/NĐ-CP, Art. 2): its head, spokesperson, authorised persons."""

    class Kind(models.TextChoices):
        HEAD = "head", _("Người đứng đầu")
        SPOKESPERSON = "spokesperson", _("Người phát ngôn")
        AUTHORISED = "authorised", _("Người được ủy quyền phát ngôn")

    body = models.ForeignKey(
        "accounts.Organisation",
        on_delete=models.PROTECT,
        related_name="spokesperson_appointments",
        verbose_name=_("cơ quan"),
    )
    person_name = models.CharField(_("họ và tên"), max_length=200)
    position = models.CharField(_("chức vụ"), max_length=200)
    kind = models.CharField(_("loại"), max_length=16, choices=Kind.choices)
    phone = models.CharField(_("điện thoại"), max_length=32, blank=True)
    email = models.EmailField(_("thư điện tử"), blank=True)
    decision_number = models.CharField(_("số quyết định"), max_length=64, blank=True)
    decision_date = models.DateField(_("ngày quyết định"), null=True, blank=True)
    valid_from = models.DateField(_("hiệu lực từ"))
    valid_to = models.DateField(_("hiệu lực đến"), null=True, blank=True)

    class Meta:
        ordering = ["body__name", "kind", "person_name"]
        verbose_name = _("người phát ngôn")
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True) | Q(valid_to__gte=models.F("valid_from")),
                name="infohub_spokesperson_valid_range",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person_name} ({self.get_kind_display()})"

    def valid_on(self, day: dt.date) -> bool:
        return self.valid_from <= day and (self.valid_to is None or self.valid_to >= day)


class PressInquiry(TimeStampedModel):
    """A question of a press agency or resident reporter to a body, with a deadline."""

    class Status(models.TextChoices):
        RECEIVED = "received", _("Đã tiếp nhận")
        ASSIGNED = "assigned", _("Đã giao xử lý")
        ANSWERED = "answered", _("Đã trả lời")
        DECLINED = "declined", _("Từ chối (có lý do)")
        CLOSED = "closed", _("Đã đóng")

    body = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="press_inquiries"
    )
    asked_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    asker_organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    subject = models.CharField(_("vấn đề"), max_length=300)
    question = models.TextField(_("nội dung yêu cầu"))
    status = models.CharField(
        _("trạng thái"), max_length=16, choices=Status.choices, default=Status.RECEIVED, db_index=True
    )
    received_at = models.DateTimeField(_("tiếp nhận lúc"))
    due_at = models.DateTimeField(_("hạn trả lời"))
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    answer = models.TextField(_("nội dung trả lời"), blank=True)
    decline_reason = models.TextField(_("lý do từ chối"), blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    answered_at = models.DateTimeField(_("trả lời lúc"), null=True, blank=True)
    late = models.BooleanField(_("trả lời muộn"), default=False)

    class Meta:
        ordering = ["-received_at"]
        verbose_name = _("yêu cầu cung cấp thông tin")

    def __str__(self) -> str:
        return self.subject


class PressEvent(TimeStampedModel):
    class Kind(models.TextChoices):
        CONFERENCE = "conference", _("Họp báo")
        BRIEFING = "briefing", _("Giao ban báo chí")

    kind = models.CharField(_("loại"), max_length=16, choices=Kind.choices)
    title = models.CharField(_("tên"), max_length=300)
    date = models.DateField(_("ngày"))
    bodies = models.ManyToManyField("accounts.Organisation", related_name="press_events")
    organiser = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="+", verbose_name=_("đơn vị tổ chức")
    )
    agenda = models.TextField(_("chương trình"), blank=True)
    minutes = models.TextField(_("biên bản"), blank=True)

    class Meta:
        ordering = ["-date"]
        verbose_name = _("sự kiện báo chí")

    def __str__(self) -> str:
        return self.title


class FollowUpTask(models.Model):
    event = models.ForeignKey(PressEvent, on_delete=models.CASCADE, related_name="tasks")
    text = models.TextField(_("nhiệm vụ"))
    owner = models.ForeignKey("accounts.Organisation", on_delete=models.PROTECT, related_name="+")
    due_date = models.DateField(_("hạn"), null=True, blank=True)
    done = models.BooleanField(_("đã xong"), default=False)
    done_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["due_date", "pk"]

    def __str__(self) -> str:
        return self.text[:80]


class Collaborator(TimeStampedModel):
    """A collaborator (cộng tác viên) of a provincial press agency."""

    class Status(models.TextChoices):
        ACTIVE = "active", _("Đang cộng tác")
        INACTIVE = "inactive", _("Ngừng cộng tác")

    agency = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="collaborators"
    )
    person_name = models.CharField(_("họ và tên"), max_length=200)
    beats = models.CharField(_("lĩnh vực"), max_length=300, blank=True)
    communes = models.TextField(_("xã, phường phụ trách"), blank=True)  # names or admin unit codes
    phone = models.CharField(_("điện thoại"), max_length=32, blank=True)
    email = models.EmailField(_("thư điện tử"), blank=True)
    status = models.CharField(_("trạng thái"), max_length=16, choices=Status.choices, default=Status.ACTIVE)

    class Meta:
        ordering = ["agency__name", "person_name"]
        constraints = [
            models.UniqueConstraint(fields=["agency", "person_name"], name="infohub_collaborator_unique"),
        ]

    def __str__(self) -> str:
        return self.person_name


class ResidentReporter(TimeStampedModel):
    """A resident reporter of central press (or a representative office's staff) working in the province."""

    office = models.ForeignKey("accounts.Organisation", on_delete=models.PROTECT, related_name="+")
    agency_name = models.CharField(_("cơ quan báo chí"), max_length=200)
    person_name = models.CharField(_("họ và tên"), max_length=200)
    press_card_number = models.CharField(_("số thẻ nhà báo"), max_length=32, blank=True)
    valid_from = models.DateField(_("hiệu lực từ"), null=True, blank=True)
    valid_to = models.DateField(_("hiệu lực đến"), null=True, blank=True)
    phone = models.CharField(_("điện thoại"), max_length=32, blank=True)
    email = models.EmailField(_("thư điện tử"), blank=True)

    class Meta:
        ordering = ["agency_name", "person_name"]
        constraints = [
            models.UniqueConstraint(fields=["office", "person_name"], name="infohub_resident_unique"),
        ]

    def __str__(self) -> str:
        return self.person_name


class BodyWebsite(TimeStampedModel):
    """The feed or sitemap of a body's website, checked daily for the date of its newest item."""

    class Status(models.TextChoices):
        UNKNOWN = "unknown", _("Chưa kiểm tra")
        FRESH = "fresh", _("Cập nhật")
        STALE = "stale", _("Lâu không cập nhật")
        ERROR = "error", _("Lỗi truy cập")

    body = models.OneToOneField(
        "accounts.Organisation", on_delete=models.CASCADE, related_name="website_feed"
    )
    url = models.URLField(_("địa chỉ RSS/Atom hoặc sitemap"), max_length=500)
    last_checked = models.DateTimeField(_("kiểm tra lúc"), null=True, blank=True)
    last_updated = models.DateTimeField(_("tin mới nhất"), null=True, blank=True)
    status = models.CharField(_("trạng thái"), max_length=16, choices=Status.choices, default=Status.UNKNOWN)
    error = models.CharField(_("lỗi"), max_length=300, blank=True)

    class Meta:
        ordering = ["body__name"]

    def __str__(self) -> str:
        return self.url
