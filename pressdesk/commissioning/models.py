"""Commissioning (đặt hàng): order rounds, proposals, appraisal, approval packages, contracts, deliveries,
acceptance and payments. Every state change goes through services.py and leaves a TransitionRecord.

Money is Decimal in whole đồng. Totals are computed from line items (selectors.py), never stored twice.
"""

from __future__ import annotations

import secrets
from decimal import Decimal

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from pressdesk.core.models import TimeStampedModel


class ProductType(models.TextChoices):
    NEWS = "news", _("Tin")
    ARTICLE = "article", _("Bài")
    REPORTAGE = "reportage", _("Phóng sự, ký sự")
    INTERVIEW = "interview", _("Bài phỏng vấn")
    SECTION = "section", _("Chuyên trang, chuyên mục")
    PHOTO = "photo", _("Ảnh")
    VIDEO = "video", _("Video, clip")
    INFOGRAPHIC = "infographic", _("Infographic, e-magazine")
    PROGRAMME = "programme", _("Chương trình phát thanh, truyền hình")


# The unit a product type is counted in; broadcast programmes are ordered by the minute.
DEFAULT_UNIT = {
    ProductType.NEWS: "tin",
    ProductType.ARTICLE: "bài",
    ProductType.REPORTAGE: "bài",
    ProductType.INTERVIEW: "bài",
    ProductType.SECTION: "kỳ",
    ProductType.PHOTO: "ảnh",
    ProductType.VIDEO: "clip",
    ProductType.INFOGRAPHIC: "sản phẩm",
    ProductType.PROGRAMME: "phút",
}


class OrderRound(TimeStampedModel):
    """Đợt đặt hàng for a plan: who opens it, who appraises, who approves, the budget ceiling."""

    class Status(models.TextChoices):
        OPEN = "open", _("Đang nhận đề xuất")
        CLOSED = "closed", _("Đã đóng")

    plan = models.ForeignKey(
        "plans.Plan", on_delete=models.PROTECT, related_name="order_rounds", verbose_name=_("kế hoạch")
    )
    title = models.CharField(_("tên đợt đặt hàng"), max_length=255)
    opened_by = models.ForeignKey(
        "accounts.Organisation",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("cơ quan đặt hàng"),
    )
    appraiser_org = models.ForeignKey(
        "accounts.Organisation",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("cơ quan thẩm định"),
    )
    approver_org = models.ForeignKey(
        "accounts.Organisation",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("cơ quan phê duyệt"),
    )
    budget_ceiling = models.DecimalField(_("trần kinh phí"), max_digits=16, decimal_places=0)
    proposal_deadline = models.DateField(_("hạn nộp đề xuất"))
    status = models.CharField(_("trạng thái"), max_length=16, choices=Status.choices, default=Status.OPEN)
    invited = models.ManyToManyField(
        "accounts.Organisation", related_name="order_round_invitations", verbose_name=_("cơ quan được mời")
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("đợt đặt hàng")
        verbose_name_plural = _("đợt đặt hàng")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(condition=Q(budget_ceiling__gte=0), name="round_ceiling_nonnegative"),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def deadline_passed(self) -> bool:
        """New proposals are made and first sent until the deadline, inclusive (see services)."""
        return timezone.localdate() > self.proposal_deadline


class Proposal(TimeStampedModel):
    """Đề xuất of one press agency in a round."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Nháp")
        SUBMITTED = "submitted", _("Đã gửi")
        RETURNED = "returned", _("Trả lại để sửa")
        ENDORSED = "endorsed", _("Đã thẩm định đạt")
        REJECTED = "rejected", _("Không đạt")
        WITHDRAWN = "withdrawn", _("Đã rút")

    round = models.ForeignKey(
        OrderRound, on_delete=models.PROTECT, related_name="proposals", verbose_name=_("đợt đặt hàng")
    )
    agency = models.ForeignKey(
        "accounts.Organisation",
        on_delete=models.PROTECT,
        related_name="proposals",
        verbose_name=_("cơ quan báo chí"),
    )
    title = models.CharField(_("tiêu đề"), max_length=255)
    status = models.CharField(
        _("trạng thái"), max_length=16, choices=Status.choices, default=Status.DRAFT, db_index=True
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("người lập")
    )
    submitted_at = models.DateTimeField(_("gửi lúc"), null=True, blank=True)
    note = models.TextField(_("thuyết minh"), blank=True)

    class Meta:
        verbose_name = _("đề xuất")
        verbose_name_plural = _("đề xuất")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return self.title

    @property
    def editable(self) -> bool:
        return self.status in (self.Status.DRAFT, self.Status.RETURNED)


class Verdict(models.TextChoices):
    ACCEPT = "accept", _("Đạt")
    ACCEPT_WITH_CHANGES = "accept_with_changes", _("Đạt, có điều chỉnh")
    REJECT = "reject", _("Không đạt")


class ProposalItem(models.Model):
    """One line of a proposal; the appraiser's verdict and, if changed, the approved quantity and price."""

    proposal = models.ForeignKey(
        Proposal, on_delete=models.CASCADE, related_name="items", verbose_name=_("đề xuất")
    )
    area = models.ForeignKey(
        "plans.ContentArea", on_delete=models.PROTECT, related_name="+", verbose_name=_("lĩnh vực")
    )
    topic = models.ForeignKey(
        "plans.Topic",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("chủ đề"),
    )
    event = models.ForeignKey(
        "plans.KeyEvent",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("sự kiện trọng tâm"),
    )
    product_type = models.CharField(_("loại sản phẩm"), max_length=16, choices=ProductType.choices)
    outlet = models.ForeignKey(
        "accounts.Outlet", on_delete=models.PROTECT, related_name="+", verbose_name=_("ấn phẩm")
    )
    channel = models.CharField(_("chuyên mục, kênh"), max_length=255, blank=True)
    quantity = models.PositiveIntegerField(_("số lượng"))
    unit = models.CharField(_("đơn vị tính"), max_length=32)
    unit_price = models.DecimalField(_("đơn giá"), max_digits=14, decimal_places=0)
    window_start = models.DateField(_("đăng từ ngày"))
    window_end = models.DateField(_("đăng đến ngày"))
    verdict = models.CharField(_("kết quả thẩm định"), max_length=24, choices=Verdict.choices, blank=True)
    verdict_note = models.TextField(_("ý kiến thẩm định"), blank=True)
    approved_quantity = models.PositiveIntegerField(_("số lượng được duyệt"), null=True, blank=True)
    approved_unit_price = models.DecimalField(
        _("đơn giá được duyệt"), null=True, blank=True, max_digits=14, decimal_places=0
    )
    # One package at most: a line is compiled once; a returned package keeps its lines for resubmission.
    package = models.ForeignKey(
        "ApprovalPackage",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="items",
        verbose_name=_("hồ sơ phê duyệt"),
    )

    class Meta:
        verbose_name = _("dòng đề xuất")
        verbose_name_plural = _("dòng đề xuất")
        ordering = ["proposal_id", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(quantity__gt=0), name="proposalitem_quantity_positive"),
            models.CheckConstraint(condition=Q(unit_price__gte=0), name="proposalitem_price_nonnegative"),
            models.CheckConstraint(
                condition=Q(window_end__gte=F("window_start")), name="proposalitem_window_ordered"
            ),
            models.CheckConstraint(
                condition=Q(approved_quantity__isnull=True) | Q(approved_quantity__gt=0),
                name="proposalitem_approved_quantity_positive",
            ),
            models.CheckConstraint(
                condition=Q(approved_unit_price__isnull=True) | Q(approved_unit_price__gte=0),
                name="proposalitem_approved_price_nonnegative",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_product_type_display()} × {self.quantity} ({self.outlet})"

    @property
    def amount(self) -> Decimal:
        return Decimal(self.quantity) * self.unit_price

    @property
    def is_accepted(self) -> bool:
        return self.verdict in (Verdict.ACCEPT, Verdict.ACCEPT_WITH_CHANGES)

    @property
    def final_quantity(self) -> int:
        return self.approved_quantity if self.approved_quantity is not None else self.quantity

    @property
    def final_unit_price(self) -> Decimal:
        return self.approved_unit_price if self.approved_unit_price is not None else self.unit_price

    @property
    def approved_amount(self) -> Decimal:
        """What the appraisal accepted: zero for a rejected or unjudged line."""
        if not self.is_accepted:
            return Decimal(0)
        return Decimal(self.final_quantity) * self.final_unit_price


class Selection(models.Model):
    """The appraiser's choice of the agencies to sign with in a round (lựa chọn cơ quan báo chí)."""

    round = models.ForeignKey(OrderRound, on_delete=models.PROTECT, related_name="selections")
    agency = models.ForeignKey("accounts.Organisation", on_delete=models.PROTECT, related_name="+")
    selected_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    note = models.TextField(_("lý do lựa chọn"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("cơ quan được lựa chọn")
        verbose_name_plural = _("cơ quan được lựa chọn")
        constraints = [models.UniqueConstraint(fields=["round", "agency"], name="selection_unique_agency")]

    def __str__(self) -> str:
        return f"{self.round} · {self.agency}"


class ApprovalPackage(TimeStampedModel):
    """Hồ sơ trình phê duyệt: endorsed lines compiled by the commissioning officer for the chairman."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Đang lập")
        SUBMITTED = "submitted", _("Đã trình")
        APPROVED = "approved", _("Đã phê duyệt")
        RETURNED = "returned", _("Trả lại")

    round = models.ForeignKey(OrderRound, on_delete=models.PROTECT, related_name="packages")
    title = models.CharField(_("tên hồ sơ"), max_length=255)
    compiled_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    status = models.CharField(
        _("trạng thái"), max_length=16, choices=Status.choices, default=Status.DRAFT, db_index=True
    )
    decision_number = models.CharField(_("số quyết định"), max_length=100, blank=True)
    decision_date = models.DateField(_("ngày quyết định"), null=True, blank=True)
    note = models.TextField(_("ghi chú"), blank=True)

    class Meta:
        verbose_name = _("hồ sơ phê duyệt")
        verbose_name_plural = _("hồ sơ phê duyệt")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="approved") | (~Q(decision_number="") & Q(decision_date__isnull=False)),
                name="package_approved_has_decision",
            ),
        ]

    def __str__(self) -> str:
        return self.title


class Contract(TimeStampedModel):
    """Hợp đồng đặt hàng with one agency, drafted from approved lines of one package."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Dự thảo")
        SIGNED = "signed", _("Đã ký")
        IN_PROGRESS = "in_progress", _("Đang thực hiện")
        DELIVERED = "delivered", _("Đã hoàn thành đăng, phát")
        ACCEPTED = "accepted", _("Đã nghiệm thu")
        PAID = "paid", _("Đã thanh toán")
        SETTLED = "settled", _("Đã thanh lý")
        TERMINATED = "terminated", _("Chấm dứt")

    number = models.CharField(_("số hợp đồng"), max_length=100, unique=True)
    package = models.ForeignKey(ApprovalPackage, on_delete=models.PROTECT, related_name="contracts")
    agency = models.ForeignKey(
        "accounts.Organisation",
        on_delete=models.PROTECT,
        related_name="commissioning_contracts",
        verbose_name=_("cơ quan báo chí"),
    )
    legal_basis = models.TextField(_("căn cứ pháp lý"), blank=True)
    period_start = models.DateField(_("thực hiện từ"))
    period_end = models.DateField(_("thực hiện đến"))
    advance_percent = models.DecimalField(
        _("tạm ứng (%)"), max_digits=5, decimal_places=2, default=Decimal(0)
    )
    instalments = models.PositiveSmallIntegerField(_("số đợt thanh toán"), default=1)
    acceptance_method = models.TextField(_("phương thức nghiệm thu"), blank=True)
    status = models.CharField(
        _("trạng thái"), max_length=16, choices=Status.choices, default=Status.DRAFT, db_index=True
    )
    signed_on = models.DateField(_("ngày ký"), null=True, blank=True)
    termination_reason = models.TextField(_("lý do chấm dứt"), blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("hợp đồng")
        verbose_name_plural = _("hợp đồng")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(period_end__gte=F("period_start")), name="contract_period_ordered"
            ),
            models.CheckConstraint(
                condition=Q(advance_percent__gte=0) & Q(advance_percent__lte=100),
                name="contract_advance_percent_range",
            ),
            models.CheckConstraint(condition=Q(instalments__gte=1), name="contract_instalments_positive"),
            models.CheckConstraint(
                condition=~Q(status="terminated") | ~Q(termination_reason=""),
                name="contract_terminated_has_reason",
            ),
        ]

    def __str__(self) -> str:
        return self.number


class ContractItem(models.Model):
    """A line of a contract, copied from an approved proposal line (its source)."""

    contract = models.ForeignKey(Contract, on_delete=models.CASCADE, related_name="items")
    source = models.ForeignKey(
        ProposalItem, on_delete=models.PROTECT, related_name="contract_items", verbose_name=_("dòng đề xuất")
    )
    area = models.ForeignKey("plans.ContentArea", on_delete=models.PROTECT, related_name="+")
    topic = models.ForeignKey(
        "plans.Topic", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    event = models.ForeignKey(
        "plans.KeyEvent", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    product_type = models.CharField(_("loại sản phẩm"), max_length=16, choices=ProductType.choices)
    outlet = models.ForeignKey("accounts.Outlet", on_delete=models.PROTECT, related_name="+")
    channel = models.CharField(_("chuyên mục, kênh"), max_length=255, blank=True)
    quantity = models.PositiveIntegerField(_("số lượng"))
    unit = models.CharField(_("đơn vị tính"), max_length=32)
    unit_price = models.DecimalField(_("đơn giá"), max_digits=14, decimal_places=0)
    window_start = models.DateField(_("đăng từ ngày"))
    window_end = models.DateField(_("đăng đến ngày"))

    class Meta:
        verbose_name = _("dòng hợp đồng")
        verbose_name_plural = _("dòng hợp đồng")
        ordering = ["contract_id", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(quantity__gt=0), name="contractitem_quantity_positive"),
            models.CheckConstraint(condition=Q(unit_price__gte=0), name="contractitem_price_nonnegative"),
            models.CheckConstraint(
                condition=Q(window_end__gte=F("window_start")), name="contractitem_window_ordered"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_product_type_display()} × {self.quantity} ({self.outlet})"

    @property
    def amount(self) -> Decimal:
        return Decimal(self.quantity) * self.unit_price


class ContractAmendment(TimeStampedModel):
    """Phụ lục sửa đổi a signed contract; takes effect only once the approver approves it.

    `changes` = {"items": [{"item": id, "quantity": n, "window_end": "YYYY-MM-DD"}], "period_end": "..."}
    """

    class Status(models.TextChoices):
        PROPOSED = "proposed", _("Đề nghị")
        APPROVED = "approved", _("Đã phê duyệt")
        REJECTED = "rejected", _("Không phê duyệt")

    contract = models.ForeignKey(Contract, on_delete=models.PROTECT, related_name="amendments")
    number = models.PositiveSmallIntegerField(_("số phụ lục"))
    description = models.TextField(_("nội dung sửa đổi"))
    changes = models.JSONField(default=dict)
    status = models.CharField(_("trạng thái"), max_length=16, choices=Status.choices, default=Status.PROPOSED)
    proposed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    decision_number = models.CharField(_("số quyết định"), max_length=100, blank=True)
    decision_date = models.DateField(_("ngày quyết định"), null=True, blank=True)

    class Meta:
        verbose_name = _("phụ lục hợp đồng")
        verbose_name_plural = _("phụ lục hợp đồng")
        ordering = ["contract_id", "number"]
        constraints = [
            models.UniqueConstraint(fields=["contract", "number"], name="amendment_unique_number"),
        ]

    def __str__(self) -> str:
        return f"{self.contract} · PL{self.number}"


class Delivery(TimeStampedModel):
    """A published or broadcast work recorded against a contract line."""

    class Status(models.TextChoices):
        RECORDED = "recorded", _("Đã ghi nhận")
        ACCEPTED = "accepted", _("Đạt")
        REJECTED = "rejected", _("Không đạt")

    contract_item = models.ForeignKey(ContractItem, on_delete=models.PROTECT, related_name="deliveries")
    outlet = models.ForeignKey("accounts.Outlet", on_delete=models.PROTECT, related_name="+")
    url = models.URLField(_("đường dẫn"), max_length=1000, blank=True)
    print_issue = models.CharField(_("số báo"), max_length=64, blank=True)
    print_page = models.CharField(_("trang"), max_length=32, blank=True)
    airtime = models.CharField(_("thời điểm phát sóng"), max_length=64, blank=True)
    title = models.CharField(_("tiêu đề tác phẩm"), max_length=500)
    published_on = models.DateField(_("ngày đăng, phát"))
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    status = models.CharField(
        _("trạng thái"), max_length=16, choices=Status.choices, default=Status.RECORDED, db_index=True
    )
    decision_note = models.TextField(_("ý kiến"), blank=True)

    class Meta:
        verbose_name = _("tác phẩm đã đăng, phát")
        verbose_name_plural = _("tác phẩm đã đăng, phát")
        ordering = ["-published_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(url="") | ~Q(print_issue="") | ~Q(airtime=""), name="delivery_has_location"
            ),
            models.UniqueConstraint(
                fields=["contract_item", "url"], condition=~Q(url=""), name="delivery_unique_url"
            ),
        ]

    def __str__(self) -> str:
        return self.title


class Acceptance(TimeStampedModel):
    """Biên bản nghiệm thu for a period: accepted quantities per line, deductions with reasons."""

    contract = models.ForeignKey(Contract, on_delete=models.PROTECT, related_name="acceptances")
    number = models.CharField(_("số biên bản"), max_length=100)
    period_start = models.DateField(_("từ ngày"))
    period_end = models.DateField(_("đến ngày"))
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    note = models.TextField(_("ghi chú"), blank=True)

    class Meta:
        verbose_name = _("biên bản nghiệm thu")
        verbose_name_plural = _("biên bản nghiệm thu")
        ordering = ["contract_id", "period_start", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(period_end__gte=F("period_start")), name="acceptance_period_ordered"
            ),
        ]

    def __str__(self) -> str:
        return self.number


class AcceptanceLine(models.Model):
    acceptance = models.ForeignKey(Acceptance, on_delete=models.CASCADE, related_name="lines")
    contract_item = models.ForeignKey(ContractItem, on_delete=models.PROTECT, related_name="acceptance_lines")
    accepted_quantity = models.PositiveIntegerField(_("số lượng nghiệm thu"))
    deduction = models.DecimalField(_("giảm trừ"), default=Decimal(0), max_digits=16, decimal_places=0)
    deduction_reason = models.TextField(_("lý do giảm trừ"), blank=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(deduction__gte=0), name="acceptanceline_deduction_nonnegative"
            ),
            models.CheckConstraint(
                condition=Q(deduction=0) | ~Q(deduction_reason=""), name="acceptanceline_deduction_has_reason"
            ),
            models.UniqueConstraint(
                fields=["acceptance", "contract_item"], name="acceptanceline_unique_item"
            ),
        ]

    @property
    def gross(self) -> Decimal:
        return Decimal(self.accepted_quantity) * self.contract_item.unit_price

    @property
    def amount(self) -> Decimal:
        return self.gross - self.deduction


class Payment(TimeStampedModel):
    class Kind(models.TextChoices):
        ADVANCE = "advance", _("Tạm ứng")
        INTERIM = "interim", _("Thanh toán đợt")
        FINAL = "final", _("Thanh toán lần cuối")

    contract = models.ForeignKey(Contract, on_delete=models.PROTECT, related_name="payments")
    kind = models.CharField(_("loại"), max_length=16, choices=Kind.choices)
    amount = models.DecimalField(_("số tiền"), max_digits=16, decimal_places=0)
    paid_on = models.DateField(_("ngày chi"))
    document_number = models.CharField(_("số chứng từ"), max_length=100, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("thanh toán")
        verbose_name_plural = _("thanh toán")
        ordering = ["contract_id", "paid_on", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="payment_amount_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.amount}"


def new_token() -> str:
    return secrets.token_hex(20)


def attachment_path(instance: Attachment, filename: str) -> str:
    # Random stored name: the original name is kept in the row, never trusted as a path.
    return f"commissioning/{instance.token}"


class Attachment(models.Model):
    """A scanned decision, signed contract or acceptance record attached to a commissioning object.

    Stored under MEDIA_ROOT (outside the web root) and served only by a view that checks permission.
    """

    class Kind(models.TextChoices):
        DECISION = "decision", _("Quyết định")
        CONTRACT = "contract", _("Hợp đồng đã ký")
        ACCEPTANCE = "acceptance", _("Biên bản nghiệm thu")
        OTHER = "other", _("Tài liệu khác")

    subject_type = models.ForeignKey(ContentType, on_delete=models.PROTECT)
    subject_id = models.PositiveBigIntegerField()
    subject = GenericForeignKey("subject_type", "subject_id")
    kind = models.CharField(_("loại tài liệu"), max_length=16, choices=Kind.choices, default=Kind.OTHER)
    token = models.CharField(max_length=64, unique=True, default=new_token, editable=False)
    file = models.FileField(upload_to=attachment_path, max_length=255)
    original_name = models.CharField(_("tên tệp"), max_length=255)
    size = models.PositiveBigIntegerField(_("dung lượng"))
    mime_type = models.CharField(max_length=100)
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("tài liệu đính kèm")
        verbose_name_plural = _("tài liệu đính kèm")
        ordering = ["created_at", "pk"]
        indexes = [models.Index(fields=["subject_type", "subject_id"])]

    def __str__(self) -> str:
        return self.original_name


class ReminderSent(models.Model):
    """One reminder e-mail per contract line, kind and day: the scheduler may run many times a day."""

    class Kind(models.TextChoices):
        DUE_SOON = "due_soon", _("Sắp hết hạn")
        OVERDUE = "overdue", _("Quá hạn")

    contract_item = models.ForeignKey(ContractItem, on_delete=models.CASCADE, related_name="reminders")
    kind = models.CharField(max_length=16, choices=Kind.choices)
    day = models.DateField()
    recipients = models.JSONField(default=list)
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["contract_item", "kind", "day"], name="reminder_once_a_day"),
        ]
