"""Monitoring workspace: search index (PostgreSQL), saved searches, alert rules, alerts and answers."""

from __future__ import annotations

from django.conf import settings
from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.utils.translation import gettext_lazy as _


class ArticleSearch(models.Model):
    """PostgreSQL full-text row of one article: 'simple' tsvector over folded, unaccented text.

    On SQLite the FTS5 virtual table `watch_fts` plays this role (created by migration 0002).
    """

    article = models.OneToOneField(
        "monitoring.Article", on_delete=models.CASCADE, primary_key=True, related_name="search"
    )
    document = SearchVectorField(null=True)


class SavedSearch(models.Model):
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="saved_searches"
    )
    name = models.CharField(_("tên"), max_length=200)
    query = models.CharField(_("từ khóa"), max_length=500, blank=True)
    filters = models.JSONField(_("bộ lọc"), default=dict, blank=True)
    last_seen_at = models.DateTimeField(_("xem lần cuối"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("tìm kiếm đã lưu")
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["owner", "name"], name="watch_savedsearch_owner_name")]

    def __str__(self) -> str:
        return self.name


class AlertRule(models.Model):
    class Kind(models.TextChoices):
        NEGATIVE_TONE = "negative_tone_about_province", _("Sắc thái tiêu cực về tỉnh")
        FALSE_INFO = "false_info", _("Thông tin sai sự thật")
        SPIKE = "spike", _("Tăng đột biến lượng tin")
        KEYWORDS = "keywords", _("Danh sách từ khóa")

    class Severity(models.TextChoices):
        LOW = "low", _("Thấp")
        MEDIUM = "medium", _("Trung bình")
        HIGH = "high", _("Cao")
        CRITICAL = "critical", _("Khẩn cấp")

    name = models.CharField(_("tên"), max_length=200, unique=True)
    kind = models.CharField(_("loại"), max_length=40, choices=Kind.choices)
    severity = models.CharField(_("mức độ"), max_length=16, choices=Severity.choices, default=Severity.MEDIUM)
    enabled = models.BooleanField(_("đang bật"), default=True)
    deadline_hours = models.PositiveIntegerField(_("thời hạn trả lời (giờ)"), default=24)
    keywords = models.JSONField(_("từ khóa"), default=list, blank=True)
    place_code = models.CharField(_("mã địa bàn (đột biến)"), max_length=32, blank=True)
    topic = models.ForeignKey(
        "plans.Topic", on_delete=models.SET_NULL, null=True, blank=True, verbose_name=_("nhiệm vụ (đột biến)")
    )
    spike_k = models.FloatField(_("hệ số k (đột biến)"), default=3.0)
    spike_min_count = models.PositiveIntegerField(_("số tin tối thiểu (đột biến)"), default=5)

    class Meta:
        verbose_name = _("quy tắc cảnh báo")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Alert(models.Model):
    class Status(models.TextChoices):
        OPEN = "open", _("Mới")
        ASSIGNED = "assigned", _("Đã giao")
        ANSWERED = "answered", _("Đã trả lời")
        CLOSED = "closed", _("Đã đóng")
        ESCALATED = "escalated", _("Quá hạn, đã báo cáo")

    rule = models.ForeignKey(AlertRule, on_delete=models.PROTECT, related_name="alerts")
    cluster = models.ForeignKey(
        "monitoring.StoryCluster", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    article = models.ForeignKey(
        "monitoring.Article", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # The key that makes evaluation idempotent: one alert per rule and story (or lone article / spike day).
    key = models.CharField(max_length=100)
    title = models.CharField(_("tiêu đề"), max_length=1000)
    articles = models.ManyToManyField("monitoring.Article", through="AlertArticle", related_name="alerts")
    status = models.CharField(_("trạng thái"), max_length=16, choices=Status.choices, default=Status.OPEN)
    body = models.ForeignKey(
        "accounts.Organisation",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="alerts",
        verbose_name=_("cơ quan trả lời"),
    )
    severity = models.CharField(_("mức độ"), max_length=16, choices=AlertRule.Severity.choices)
    deadline = models.DateTimeField(_("hạn trả lời"))
    created_at = models.DateTimeField(auto_now_add=True)
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("cảnh báo")
        ordering = ["-created_at", "-id"]
        constraints = [models.UniqueConstraint(fields=["rule", "key"], name="watch_alert_rule_key")]

    def __str__(self) -> str:
        return self.title


class AlertArticle(models.Model):
    alert = models.ForeignKey(Alert, on_delete=models.CASCADE)
    article = models.ForeignKey("monitoring.Article", on_delete=models.CASCADE)
    added_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["alert", "article"], name="watch_alertarticle_unique")]


class EvaluatedArticle(models.Model):
    """Marks analysed articles the rules have already seen (the scheduled job picks up the rest)."""

    article = models.OneToOneField(
        "monitoring.Article", on_delete=models.CASCADE, primary_key=True, related_name="+"
    )
    evaluated_at = models.DateTimeField(auto_now_add=True)


class RoutingRule(models.Model):
    """Editable routing table: a place code → locality, or an area/topic → department."""

    place_code = models.CharField(_("mã địa bàn"), max_length=32, blank=True, db_index=True)
    area = models.ForeignKey(
        "plans.ContentArea", on_delete=models.CASCADE, null=True, blank=True, verbose_name=_("lĩnh vực")
    )
    topic = models.ForeignKey(
        "plans.Topic", on_delete=models.CASCADE, null=True, blank=True, verbose_name=_("nhiệm vụ")
    )
    body = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, verbose_name=_("cơ quan trả lời")
    )
    priority = models.IntegerField(_("ưu tiên"), default=0)

    class Meta:
        verbose_name = _("quy tắc phân công")
        ordering = ["-priority", "id"]

    def __str__(self) -> str:
        return f"{self.place_code or self.topic or self.area} → {self.body}"


class Response(models.Model):
    class Kind(models.TextChoices):
        REBUTTAL = "rebuttal", _("Đã đăng tin cải chính, phản bác")
        CORRECTION_REQUEST = (
            "correction_request",
            _("Đề nghị cơ quan báo chí cải chính (Điều 42 Luật Báo chí)"),
        )
        TAKEDOWN = "takedown", _("Đề nghị gỡ bỏ")
        REFERRAL = "referral", _("Chuyển cơ quan có thẩm quyền")
        NO_ACTION = "no_action", _("Không cần xử lý (nêu lý do)")

    alert = models.ForeignKey(Alert, on_delete=models.CASCADE, related_name="responses")
    body = models.ForeignKey("accounts.Organisation", on_delete=models.PROTECT)
    kind = models.CharField(_("hình thức"), max_length=32, choices=Kind.choices)
    text = models.TextField(_("nội dung"))
    link_url = models.URLField(_("liên kết bài trả lời"), max_length=1000, blank=True)
    press_release = models.ForeignKey(
        "infohub.PressRelease",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("thông cáo báo chí"),
    )
    responder = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT)
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["at", "id"]


class Notification(models.Model):
    class Kind(models.TextChoices):
        NEW = "new", _("Cảnh báo mới")
        ESCALATED = "escalated", _("Cảnh báo quá hạn")
        ANSWERED = "answered", _("Đã trả lời")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="watch_notifications"
    )
    alert = models.ForeignKey(Alert, on_delete=models.CASCADE, related_name="notifications")
    kind = models.CharField(max_length=16, choices=Kind.choices)
    created = models.DateTimeField(auto_now_add=True)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["alert", "user", "kind"], name="watch_notification_once")
        ]
