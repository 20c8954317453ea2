"""Forms of the commissioning pages: they parse and check input; the services decide."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from pressdesk.accounts.models import PRESS_KINDS, Organisation, OrgKind, Outlet
from pressdesk.commissioning.models import (
    ApprovalPackage,
    Attachment,
    Contract,
    ContractItem,
    OrderRound,
    Payment,
    ProductType,
    Proposal,
    ProposalItem,
    Verdict,
)
from pressdesk.plans.models import ContentArea, KeyEvent, Plan, Topic

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def money_field(label: Any, required: bool = True) -> forms.DecimalField:
    return forms.DecimalField(
        label=label, min_value=Decimal(0), decimal_places=0, max_digits=16, required=required
    )


def date_field(label: Any, required: bool = True) -> forms.DateField:
    return forms.DateField(label=label, widget=DATE, required=required)


class EndAfterStartMixin:
    start_field = "window_start"
    end_field = "window_end"

    def clean(self) -> dict[str, Any]:
        data: dict[str, Any] = super().clean()  # type: ignore[misc]
        start, end = data.get(self.start_field), data.get(self.end_field)
        if start and end and end < start:
            self.add_error(self.end_field, _("Ngày kết thúc phải sau ngày bắt đầu."))  # type: ignore[attr-defined]
        return data


class RoundOpenForm(forms.Form):
    plan = forms.ModelChoiceField(label=_("Kế hoạch"), queryset=Plan.objects.all())
    title = forms.CharField(label=_("Tên đợt đặt hàng"), max_length=255)
    budget_ceiling = money_field(_("Trần kinh phí (đồng)"))
    proposal_deadline = date_field(_("Hạn nộp đề xuất"))
    appraiser_org = forms.ModelChoiceField(
        label=_("Cơ quan thẩm định"), queryset=Organisation.objects.filter(kind=OrgKind.PROPAGANDA)
    )
    approver_org = forms.ModelChoiceField(
        label=_("Cơ quan phê duyệt"), queryset=Organisation.objects.filter(kind=OrgKind.PEOPLES_COMMITTEE)
    )
    invited = forms.ModelMultipleChoiceField(
        label=_("Cơ quan báo chí được mời"),
        queryset=Organisation.objects.filter(kind__in=PRESS_KINDS),
        widget=forms.CheckboxSelectMultiple,
    )


class NoteForm(forms.Form):
    note = forms.CharField(
        label=_("Ý kiến, ghi chú"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )


class RoundExtendForm(NoteForm):
    deadline = date_field(_("Hạn nộp đề xuất mới"))
    field_order = ["deadline", "note"]


class RequiredNoteForm(forms.Form):
    note = forms.CharField(label=_("Lý do, ý kiến (bắt buộc)"), widget=forms.Textarea(attrs={"rows": 2}))


class ProposalCreateForm(forms.Form):
    agency = forms.ModelChoiceField(label=_("Cơ quan báo chí"), queryset=Organisation.objects.none())
    title = forms.CharField(label=_("Tiêu đề đề xuất"), max_length=255)
    note = forms.CharField(label=_("Thuyết minh"), widget=forms.Textarea(attrs={"rows": 3}), required=False)

    def __init__(self, *args: Any, agencies: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["agency"]
        field.queryset = agencies if agencies is not None else Organisation.objects.none()  # type: ignore[attr-defined]
        # An editor usually works for one agency: preselect it rather than offer an empty choice.
        field.empty_label = None  # type: ignore[attr-defined]


class ItemForm(EndAfterStartMixin, forms.Form):
    area = forms.ModelChoiceField(label=_("Lĩnh vực"), queryset=ContentArea.objects.none())
    topic = forms.ModelChoiceField(label=_("Chủ đề"), queryset=Topic.objects.none(), required=False)
    event = forms.ModelChoiceField(
        label=_("Sự kiện trọng tâm"), queryset=KeyEvent.objects.none(), required=False
    )
    product_type = forms.ChoiceField(label=_("Loại sản phẩm"), choices=ProductType.choices)
    outlet = forms.ModelChoiceField(label=_("Ấn phẩm"), queryset=Outlet.objects.none())
    channel = forms.CharField(label=_("Chuyên mục, kênh"), max_length=255, required=False)
    quantity = forms.IntegerField(label=_("Số lượng"), min_value=1)
    unit = forms.CharField(
        label=_("Đơn vị tính (để trống: theo loại sản phẩm)"), max_length=32, required=False
    )
    unit_price = money_field(_("Đơn giá (đồng)"))
    window_start = date_field(_("Đăng từ ngày"))
    window_end = date_field(_("Đăng đến ngày"))

    def __init__(self, *args: Any, proposal: Proposal, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        plan = proposal.round.plan
        self.fields["area"].queryset = ContentArea.objects.filter(plan=plan)  # type: ignore[attr-defined]
        self.fields["topic"].queryset = Topic.objects.filter(area__plan=plan)  # type: ignore[attr-defined]
        self.fields["event"].queryset = KeyEvent.objects.filter(plan=plan)  # type: ignore[attr-defined]
        self.fields["outlet"].queryset = Outlet.objects.filter(agency=proposal.agency)  # type: ignore[attr-defined]

    @classmethod
    def initial_from(cls, item: ProposalItem) -> dict[str, Any]:
        return {
            f: getattr(item, f)
            for f in (
                "area",
                "topic",
                "event",
                "product_type",
                "outlet",
                "channel",
                "quantity",
                "unit",
                "unit_price",
                "window_start",
                "window_end",
            )
        }


class AppraiseForm(forms.Form):
    verdict = forms.ChoiceField(label=_("Kết quả"), choices=Verdict.choices)
    note = forms.CharField(label=_("Ý kiến"), widget=forms.Textarea(attrs={"rows": 2}), required=False)
    approved_quantity = forms.IntegerField(label=_("Số lượng được duyệt"), min_value=1, required=False)
    approved_unit_price = money_field(_("Đơn giá được duyệt"), required=False)


class SelectForm(forms.Form):
    agencies = forms.ModelMultipleChoiceField(
        label=_("Cơ quan báo chí được lựa chọn"),
        queryset=Organisation.objects.none(),
        widget=forms.CheckboxSelectMultiple,
    )
    note = forms.CharField(
        label=_("Lý do lựa chọn"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )

    def __init__(self, *args: Any, order_round: OrderRound, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        ids = order_round.proposals.filter(status=Proposal.Status.ENDORSED).values_list(
            "agency_id", flat=True
        )
        self.fields["agencies"].queryset = Organisation.objects.filter(pk__in=list(ids))  # type: ignore[attr-defined]


class ItemChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        from pressdesk.core.templatetags.pressdesk import format_vnd

        return f"#{obj.pk} {obj.proposal.agency} · {obj} · {format_vnd(obj.approved_amount)}"


class PackageCompileForm(forms.Form):
    title = forms.CharField(label=_("Tên hồ sơ trình phê duyệt"), max_length=255)
    items = ItemChoiceField(
        label=_("Các dòng đạt thẩm định"),
        queryset=ProposalItem.objects.none(),
        widget=forms.CheckboxSelectMultiple,
    )
    note = forms.CharField(label=_("Ghi chú"), widget=forms.Textarea(attrs={"rows": 2}), required=False)

    def __init__(self, *args: Any, order_round: OrderRound, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["items"].queryset = eligible_items(order_round)  # type: ignore[attr-defined]


def eligible_items(order_round: OrderRound) -> Any:
    selected = order_round.selections.values_list("agency_id", flat=True)
    return (
        ProposalItem.objects.filter(
            proposal__round=order_round,
            proposal__status=Proposal.Status.ENDORSED,
            proposal__agency_id__in=list(selected),
            verdict__in=[Verdict.ACCEPT, Verdict.ACCEPT_WITH_CHANGES],
            package__isnull=True,
        )
        .select_related("proposal__agency", "outlet")
        .order_by("proposal__agency__name", "pk")
    )


class DecisionForm(forms.Form):
    decision_number = forms.CharField(label=_("Số quyết định"), max_length=100)
    decision_date = date_field(_("Ngày quyết định"))
    note = forms.CharField(label=_("Ghi chú"), widget=forms.Textarea(attrs={"rows": 2}), required=False)


class ContractDraftForm(forms.Form):
    agency = forms.ModelChoiceField(label=_("Cơ quan báo chí"), queryset=Organisation.objects.none())
    number = forms.CharField(label=_("Số hợp đồng"), max_length=100)
    items = ItemChoiceField(
        label=_("Các dòng đã được phê duyệt"),
        queryset=ProposalItem.objects.none(),
        widget=forms.CheckboxSelectMultiple,
    )
    legal_basis = forms.CharField(
        label=_("Căn cứ pháp lý"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        initial="Nghị định số 32/2019/NĐ-CP ngày 10/4/2019 của Chính phủ",
    )
    period_start = date_field(_("Thực hiện từ ngày"))
    period_end = date_field(_("Thực hiện đến ngày"))
    advance_percent = forms.DecimalField(
        label=_("Tạm ứng (%)"), min_value=Decimal(0), max_value=Decimal(100), decimal_places=2, initial=0
    )
    instalments = forms.IntegerField(label=_("Số đợt thanh toán"), min_value=1, initial=1)
    acceptance_method = forms.CharField(
        label=_("Phương thức nghiệm thu"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )

    def __init__(self, *args: Any, package: ApprovalPackage, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        items = package.items.select_related("proposal__agency", "outlet")
        self.fields["items"].queryset = items  # type: ignore[attr-defined]
        agencies = items.values_list("proposal__agency_id", flat=True)
        self.fields["agency"].queryset = Organisation.objects.filter(pk__in=list(agencies))  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("period_start") and data.get("period_end") and data["period_end"] < data["period_start"]:
            self.add_error("period_end", _("Ngày kết thúc phải sau ngày bắt đầu."))
        return data


class ContractItemForm(EndAfterStartMixin, forms.Form):
    quantity = forms.IntegerField(label=_("Số lượng"), min_value=1)
    unit_price = money_field(_("Đơn giá (đồng)"))
    window_start = date_field(_("Đăng từ ngày"))
    window_end = date_field(_("Đăng đến ngày"))


class SignForm(forms.Form):
    signed_on = date_field(_("Ngày ký"))
    note = forms.CharField(label=_("Ghi chú"), widget=forms.Textarea(attrs={"rows": 2}), required=False)


class DeliveryForm(forms.Form):
    contract_item = forms.ModelChoiceField(label=_("Dòng hợp đồng"), queryset=ContractItem.objects.none())
    outlet = forms.ModelChoiceField(label=_("Ấn phẩm"), queryset=Outlet.objects.none())
    title = forms.CharField(label=_("Tiêu đề tác phẩm"), max_length=500)
    url = forms.URLField(
        label=_("Đường dẫn (báo điện tử)"), max_length=1000, required=False, assume_scheme="https"
    )
    print_issue = forms.CharField(label=_("Số báo (báo in)"), max_length=64, required=False)
    print_page = forms.CharField(label=_("Trang"), max_length=32, required=False)
    airtime = forms.CharField(label=_("Thời điểm phát sóng"), max_length=64, required=False)
    published_on = date_field(_("Ngày đăng, phát"))

    def __init__(self, *args: Any, contract: Contract, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["contract_item"].queryset = contract.items.select_related("outlet")  # type: ignore[attr-defined]
        self.fields["outlet"].queryset = Outlet.objects.filter(agency=contract.agency)  # type: ignore[attr-defined]


class AcceptanceForm(forms.Form):
    number = forms.CharField(label=_("Số biên bản"), max_length=100)
    period_start = date_field(_("Kỳ nghiệm thu từ"))
    period_end = date_field(_("đến"))
    note = forms.CharField(label=_("Ghi chú"), widget=forms.Textarea(attrs={"rows": 2}), required=False)

    def __init__(self, *args: Any, contract: Contract, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.item_rows = []
        for item in contract.items.select_related("outlet"):
            q, d, r = f"qty_{item.pk}", f"deduction_{item.pk}", f"reason_{item.pk}"
            self.fields[q] = forms.IntegerField(
                label=_("Số lượng nghiệm thu: %s") % item, min_value=0, initial=0
            )
            self.fields[d] = money_field(_("Giảm trừ (đồng)"), required=False)
            self.fields[r] = forms.CharField(label=_("Lý do giảm trừ"), max_length=500, required=False)
            self.item_rows.append((item, q, d, r))

    def lines(self) -> list[Any]:
        from pressdesk.commissioning.services import AcceptanceLineInput

        return [
            AcceptanceLineInput(
                item_id=item.pk,
                accepted_quantity=self.cleaned_data.get(q) or 0,
                deduction=self.cleaned_data.get(d) or Decimal(0),
                deduction_reason=self.cleaned_data.get(r) or "",
            )
            for item, q, d, r in self.item_rows
        ]


class PaymentForm(forms.Form):
    kind = forms.ChoiceField(label=_("Loại"), choices=Payment.Kind.choices)
    amount = money_field(_("Số tiền (đồng)"))
    paid_on = date_field(_("Ngày chi"))
    document_number = forms.CharField(label=_("Số chứng từ"), max_length=100, required=False)
    note = forms.CharField(label=_("Ghi chú"), required=False)


class SettleForm(forms.Form):
    document_number = forms.CharField(label=_("Số biên bản thanh lý"), max_length=100)
    note = forms.CharField(label=_("Ghi chú"), widget=forms.Textarea(attrs={"rows": 2}), required=False)


class TerminateForm(forms.Form):
    reason = forms.CharField(label=_("Lý do chấm dứt"), widget=forms.Textarea(attrs={"rows": 2}))


class AmendmentForm(forms.Form):
    description = forms.CharField(label=_("Nội dung sửa đổi"), widget=forms.Textarea(attrs={"rows": 2}))
    period_end = date_field(_("Thời hạn mới (nếu gia hạn)"), required=False)

    def __init__(self, *args: Any, contract: Contract, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.item_fields = []
        for item in contract.items.all():
            name = f"qty_{item.pk}"
            self.fields[name] = forms.IntegerField(
                label=_("Số lượng mới: %s (hiện %s)") % (item, item.quantity), min_value=1, required=False
            )
            self.item_fields.append((item, name))

    def quantities(self) -> dict[int, int]:
        return {
            item.pk: self.cleaned_data[name]
            for item, name in self.item_fields
            if self.cleaned_data.get(name) not in (None, item.quantity)
        }


class AttachmentForm(forms.Form):
    kind = forms.ChoiceField(label=_("Loại tài liệu"), choices=Attachment.Kind.choices)
    file = forms.FileField(label=_("Tệp (PDF, PNG, JPEG, DOCX, XLSX)"))


class ListFilterForm(forms.Form):
    round = forms.ModelChoiceField(label=_("Đợt"), queryset=OrderRound.objects.all(), required=False)
    agency = forms.ModelChoiceField(
        label=_("Cơ quan báo chí"), queryset=Organisation.objects.filter(kind__in=PRESS_KINDS), required=False
    )
    status = forms.CharField(label=_("Trạng thái"), required=False, max_length=32)
