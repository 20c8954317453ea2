"""Sources, articles (each kept once), story clusters and the analysis results stored with them."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from pressdesk.core.models import TimeStampedModel


class Source(TimeStampedModel):
    """Where articles come from: an RSS/Atom feed, a (news) sitemap or a listing page of an outlet."""

    class Kind(models.TextChoices):
        FEED = "feed", _("RSS/Atom")
        SITEMAP = "sitemap", _("Sitemap")
        PAGE = "page", _("Trang danh sách")

    outlet = models.ForeignKey(
        "accounts.Outlet", on_delete=models.PROTECT, related_name="sources", verbose_name=_("ấn phẩm")
    )
    url = models.URLField(_("địa chỉ"), max_length=1000, unique=True)
    kind = models.CharField(_("loại"), max_length=16, choices=Kind.choices, default=Kind.FEED)
    active = models.BooleanField(_("đang thu thập"), default=True)
    poll_every_minutes = models.PositiveIntegerField(_("chu kỳ (phút)"), default=15)
    next_poll_at = models.DateTimeField(_("lần thu thập tới"), null=True, blank=True, db_index=True)
    last_polled_at = models.DateTimeField(_("lần thu thập gần nhất"), null=True, blank=True)
    last_ok_at = models.DateTimeField(_("lần thành công gần nhất"), null=True, blank=True)
    last_error_reason = models.CharField(_("lý do lỗi"), max_length=64, blank=True)
    last_error = models.TextField(_("chi tiết lỗi"), blank=True)
    consecutive_failures = models.PositiveIntegerField(default=0)
    etag = models.CharField(max_length=255, blank=True)
    last_modified = models.CharField(max_length=64, blank=True)

    class Meta:
        verbose_name = _("nguồn tin")
        verbose_name_plural = _("nguồn tin")
        ordering = ["outlet__name", "url"]

    def __str__(self) -> str:
        return self.url


class StoryCluster(models.Model):
    """Near-duplicate copies of one story (syndication with small edits), first publisher known."""

    created_at = models.DateTimeField(auto_now_add=True)
    first_article = models.ForeignKey(
        "Article",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("bài đầu tiên"),
    )
    size = models.PositiveIntegerField(_("số bài"), default=1)
    outlet_count = models.PositiveIntegerField(_("số ấn phẩm"), default=1)

    class Meta:
        verbose_name = _("cụm tin")
        verbose_name_plural = _("cụm tin")

    def __str__(self) -> str:
        return f"#{self.pk} ({self.size})"


class Article(models.Model):
    """A published article or social post, kept once per canonical URL."""

    class Channel(models.TextChoices):
        PRESS = "press", _("Báo chí")
        SOCIAL = "social", _("Mạng xã hội")

    class Tone(models.TextChoices):
        NEGATIVE = "negative", _("Tiêu cực")
        NEUTRAL = "neutral", _("Trung tính")
        POSITIVE = "positive", _("Tích cực")

    class Relevance(models.TextChoices):
        SUBJECT = "subject", _("Chủ đề chính là tỉnh")
        SUBSTANTIAL = "substantial", _("Nói nhiều về tỉnh")
        PASSING = "passing", _("Nhắc qua")
        NONE = "none", _("Không liên quan")

    canonical_url = models.CharField(_("địa chỉ chuẩn"), max_length=1000, unique=True)
    url = models.CharField(_("địa chỉ"), max_length=1000)
    channel = models.CharField(_("kênh"), max_length=16, choices=Channel.choices, default=Channel.PRESS)
    outlet = models.ForeignKey(
        "accounts.Outlet",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="articles",
        verbose_name=_("ấn phẩm"),
    )
    source = models.ForeignKey(
        Source, on_delete=models.SET_NULL, null=True, blank=True, related_name="articles"
    )
    title = models.CharField(_("tiêu đề"), max_length=1000)
    lead = models.TextField(_("sa pô"), blank=True)
    text = models.TextField(_("nội dung"), blank=True)
    author = models.CharField(_("tác giả"), max_length=255, blank=True)
    published_at = models.DateTimeField(_("thời gian đăng"), null=True, blank=True, db_index=True)
    fetched_at = models.DateTimeField(_("thời gian thu thập"), auto_now_add=True, db_index=True)
    content_hash = models.CharField(max_length=64, blank=True, db_index=True)
    cluster = models.ForeignKey(
        StoryCluster,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="articles",
        verbose_name=_("cụm tin"),
    )
    minhash = models.BinaryField(null=True, blank=True, editable=False)
    # Analysis (pressdesk.nlp); model_version says which rules/model made these values.
    analysed_at = models.DateTimeField(null=True, blank=True)
    model_version = models.CharField(max_length=64, blank=True)
    about_province = models.BooleanField(_("về tỉnh"), null=True, db_index=True)
    relevance = models.FloatField(_("mức liên quan"), null=True, blank=True)
    relevance_decision = models.CharField(
        _("mức độ"), max_length=16, choices=Relevance.choices, blank=True, db_index=True
    )
    tone = models.CharField(_("sắc thái"), max_length=16, choices=Tone.choices, blank=True, db_index=True)
    tone_score = models.FloatField(null=True, blank=True)
    false_info = models.BooleanField(_("thông tin sai sự thật"), default=False, db_index=True)

    class Meta:
        verbose_name = _("bài báo")
        verbose_name_plural = _("bài báo")
        ordering = ["-published_at", "-pk"]
        indexes = [models.Index(fields=["outlet", "published_at"])]

    def __str__(self) -> str:
        return self.title


class ArticlePlace(models.Model):
    """A place of the province found in an article (old district, new commune, landmark, body)."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="places")
    code = models.CharField(_("mã"), max_length=32, db_index=True)
    name = models.CharField(_("tên"), max_length=255)
    level = models.CharField(_("cấp"), max_length=32, blank=True)
    count = models.PositiveIntegerField(default=1)

    class Meta:
        verbose_name = _("địa danh trong bài")
        verbose_name_plural = _("địa danh trong bài")
        constraints = [models.UniqueConstraint(fields=["article", "code"], name="articleplace_unique")]


class Mention(models.Model):
    """An article matched against a plan: its content area, topics and key events, with scores."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="mentions")
    plan = models.ForeignKey("plans.Plan", on_delete=models.CASCADE, related_name="mentions")
    area = models.ForeignKey(
        "plans.ContentArea", on_delete=models.SET_NULL, null=True, blank=True, related_name="mentions"
    )
    area_score = models.FloatField(null=True, blank=True)
    model_version = models.CharField(max_length=64, blank=True)
    topics = models.ManyToManyField(
        "plans.Topic", through="MentionTopic", related_name="mentions", blank=True
    )
    events = models.ManyToManyField(
        "plans.KeyEvent", through="MentionEvent", related_name="mentions", blank=True
    )

    class Meta:
        verbose_name = _("nhãn kế hoạch")
        verbose_name_plural = _("nhãn kế hoạch")
        constraints = [
            models.UniqueConstraint(fields=["article", "plan"], name="mention_unique_article_plan")
        ]


class MentionTopic(models.Model):
    mention = models.ForeignKey(Mention, on_delete=models.CASCADE)
    topic = models.ForeignKey("plans.Topic", on_delete=models.CASCADE)
    score = models.FloatField(default=0.0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["mention", "topic"], name="mentiontopic_unique")]


class MentionEvent(models.Model):
    mention = models.ForeignKey(Mention, on_delete=models.CASCADE)
    event = models.ForeignKey("plans.KeyEvent", on_delete=models.CASCADE)
    score = models.FloatField(default=0.0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["mention", "event"], name="mentionevent_unique")]


class ClusterBand(models.Model):
    """One LSH band hash of an article's MinHash signature.

    Candidates for near-duplicates are looked up by (band, hash) with an index, so any number of
    workers on any machines see the same LSH index (the database) without an in-memory copy.
    """

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="bands")
    band = models.PositiveSmallIntegerField()
    hash = models.BigIntegerField()
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        indexes = [models.Index(fields=["hash", "band"], name="clusterband_hash_band")]
        constraints = [
            models.UniqueConstraint(fields=["article", "band"], name="clusterband_unique_article_band")
        ]


class IngestRun(models.Model):
    """One polling run: counts and the named reasons of every skip and error."""

    source = models.ForeignKey(
        Source,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="runs",
        verbose_name=_("nguồn tin"),
        help_text=_("Trống khi lượt thu thập gồm nhiều nguồn."),
    )
    started_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    sources = models.PositiveIntegerField(default=0)
    fetched = models.PositiveIntegerField(default=0)
    new = models.PositiveIntegerField(default=0)
    duplicates = models.PositiveIntegerField(default=0)
    clustered = models.PositiveIntegerField(default=0)
    errors = models.JSONField(default=dict, blank=True)
    skips = models.JSONField(default=dict, blank=True)
    seconds = models.FloatField(default=0.0)

    class Meta:
        verbose_name = _("lượt thu thập")
        verbose_name_plural = _("lượt thu thập")
        ordering = ["-started_at"]
