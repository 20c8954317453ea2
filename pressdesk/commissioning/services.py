"""Writes of commissioning: one service per action.

Each service: lock the row, check the actor's role (scoped to the organisation the round names), check
the source state, change it, write a TransitionRecord, and send notifications only after commit.
Refusals raise before anything is written, so a refused action changes nothing.
"""

from __future__ import annotations

import contextlib
import contextvars
import datetime as dt
import hashlib
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any, TypeVar
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import UploadedFile
from django.core.mail import send_mail
from django.db import IntegrityError, models, transaction
from django.utils import timezone

from pressdesk.accounts.models import Membership, Organisation, Outlet, Role, User
from pressdesk.accounts.permissions import active_memberships, require_role
from pressdesk.commissioning import selectors
from pressdesk.commissioning.models import (
    DEFAULT_UNIT,
    Acceptance,
    AcceptanceLine,
    ApprovalPackage,
    Attachment,
    Contract,
    ContractAmendment,
    ContractItem,
    Delivery,
    OrderRound,
    Payment,
    ProductType,
    Proposal,
    ProposalItem,
    ReminderSent,
    Selection,
    Verdict,
)
from pressdesk.commissioning.signals import delivery_recorded
from pressdesk.core.audit import transition_record
from pressdesk.core.errors import NotFound, TransitionError, ValidationFailed
from pressdesk.core.uploads import store_private, validate_upload
from pressdesk.plans.models import ContentArea, KeyEvent, Plan, Topic

M = TypeVar("M", bound=models.Model)

# --- helpers ----------------------------------------------------------------------------------------


def _lock(model: type[M], pk: Any) -> M:
    try:
        return model._default_manager.select_for_update().get(pk=pk)
    except (model.DoesNotExist, ValueError, TypeError):  # type: ignore[attr-defined]
        raise NotFound("not_found", "Không tìm thấy đối tượng.") from None


def _record(
    subject: models.Model,
    actor: User,
    membership: Membership,
    action: str,
    old: str,
    new: str,
    *,
    note: str = "",
    document_number: str = "",
    data: dict[str, Any] | None = None,
) -> None:
    transition_record(
        subject=subject,
        actor=actor,
        action=action,
        old=old,
        new=new,
        role=membership.role,
        organisation=membership.organisation,
        note=note,
        document_number=document_number,
        data=data,
    )


def _emails(role: str, organisation: Organisation) -> list[str]:
    today = timezone.localdate()
    users = User.objects.filter(
        is_active=True,
        memberships__role=role,
        memberships__organisation=organisation,
    ).filter(
        models.Q(memberships__valid_to__isnull=True) | models.Q(memberships__valid_to__gte=today),
    )
    return sorted({u.email for u in users if u.email})


_muted: contextvars.ContextVar[bool] = contextvars.ContextVar("commissioning_mail_muted", default=False)


@contextlib.contextmanager
def notifications_muted() -> Iterator[None]:
    """No e-mail for changes made inside (the demonstration data is not news to anyone)."""
    token = _muted.set(True)
    try:
        yield
    finally:
        _muted.reset(token)


def _notify(recipients: list[str], subject: str, body: str) -> None:
    """E-mail after commit, so nobody hears about a change that was rolled back."""
    if not recipients or _muted.get():
        return
    transaction.on_commit(
        lambda: send_mail(f"[PressDesk] {subject}", body, settings.DEFAULT_FROM_EMAIL, recipients)
    )


def _require_note(note: str, what: str = "lý do") -> str:
    note = (note or "").strip()
    if not note:
        raise ValidationFailed("note.required", f"Cần ghi {what}.")
    return note


def _money(value: Any, field: str) -> Decimal:
    try:
        amount = Decimal(str(value))
    except (InvalidOperation, TypeError, ValueError):
        raise ValidationFailed("money.invalid", f"{field}: không phải số tiền hợp lệ.") from None
    if amount != amount.to_integral_value():
        raise ValidationFailed("money.fraction", f"{field}: số tiền tính bằng đồng, không có phần lẻ.")
    if amount < 0:
        raise ValidationFailed("money.negative", f"{field}: không được âm.")
    return amount


def _state(obj: Any, allowed: Sequence[str], message: str) -> str:
    if obj.status not in allowed:
        raise TransitionError(
            "state.invalid",
            f"{message} (trạng thái hiện tại: {obj.get_status_display()}).",
            status=obj.status,
        )
    return str(obj.status)


def _officer(actor: User, order_round: OrderRound) -> Membership:
    return require_role(actor, Role.COMMISSIONING_OFFICER, organisation=order_round.opened_by)


def _appraiser(actor: User, order_round: OrderRound) -> Membership:
    return require_role(actor, Role.APPRAISER, organisation=order_round.appraiser_org)


def _approver(actor: User, order_round: OrderRound) -> Membership:
    return require_role(actor, Role.APPROVER, organisation=order_round.approver_org)


def _agency_editor(actor: User, agency: Organisation) -> Membership:
    return require_role(actor, Role.AGENCY_EDITOR, organisation=agency)


# --- order rounds -----------------------------------------------------------------------------------


@transaction.atomic
def round_open(
    *,
    actor: User,
    plan: Plan,
    title: str,
    budget_ceiling: Decimal,
    proposal_deadline: dt.date,
    appraiser_org: Organisation,
    approver_org: Organisation,
    invited: list[Organisation],
) -> OrderRound:
    membership = require_role(actor, Role.COMMISSIONING_OFFICER)
    if not title.strip():
        raise ValidationFailed("round.title", "Cần nhập tên đợt đặt hàng.")
    ceiling = _money(budget_ceiling, "Trần kinh phí")
    not_press = [o.name for o in invited if not o.is_press]
    if not invited or not_press:
        raise ValidationFailed(
            "round.invited",
            "Cần mời ít nhất một cơ quan báo chí"
            + (f"; không phải cơ quan báo chí: {', '.join(not_press)}" if not_press else "")
            + ".",
        )
    order_round = OrderRound.objects.create(
        plan=plan,
        title=title.strip(),
        opened_by=membership.organisation,
        appraiser_org=appraiser_org,
        approver_org=approver_org,
        budget_ceiling=ceiling,
        proposal_deadline=proposal_deadline,
        created_by=actor,
    )
    order_round.invited.set(invited)
    _record(order_round, actor, membership, "round_open", "", OrderRound.Status.OPEN)
    for agency in invited:
        _notify(
            _emails(Role.AGENCY_EDITOR, agency),
            f"Mời đề xuất: {order_round.title}",
            f"Cơ quan được mời đề xuất đặt hàng, hạn nộp {proposal_deadline:%d/%m/%Y}.",
        )
    return order_round


@transaction.atomic
def round_close(*, actor: User, round_id: int, note: str = "") -> OrderRound:
    order_round = _lock(OrderRound, round_id)
    membership = _officer(actor, order_round)
    old = _state(order_round, [OrderRound.Status.OPEN], "Đợt đặt hàng không còn mở")
    order_round.status = OrderRound.Status.CLOSED
    order_round.save(update_fields=["status", "updated_at"])
    _record(order_round, actor, membership, "round_close", old, order_round.status, note=note)
    return order_round


@transaction.atomic
def round_extend(*, actor: User, round_id: int, deadline: dt.date, note: str = "") -> OrderRound:
    """COMMISSIONING_OFFICER of the opening body moves the proposal deadline of an open round."""
    order_round = _lock(OrderRound, round_id)
    membership = _officer(actor, order_round)
    _state(order_round, [OrderRound.Status.OPEN], "Đợt đặt hàng không còn mở")
    if deadline < timezone.localdate():
        raise ValidationFailed("round.deadline", "Hạn nộp đề xuất mới phải từ hôm nay trở đi.")
    old = order_round.proposal_deadline
    order_round.proposal_deadline = deadline
    order_round.save(update_fields=["proposal_deadline", "updated_at"])
    _record(
        order_round,
        actor,
        membership,
        "round_extend",
        order_round.status,
        order_round.status,
        note=note,
        data={"from": old.isoformat(), "to": deadline.isoformat()},
    )
    for agency in order_round.invited.all():
        _notify(
            _emails(Role.AGENCY_EDITOR, agency),
            f"Gia hạn nộp đề xuất: {order_round.title}",
            f"Hạn nộp đề xuất được gia hạn đến {deadline:%d/%m/%Y}.",
        )
    return order_round


def _before_deadline(order_round: OrderRound) -> None:
    """New proposals are made and first sent only until the round's deadline (inclusive)."""
    if order_round.deadline_passed:
        raise ValidationFailed(
            "proposal.deadline",
            f"Đã quá hạn nộp đề xuất ({order_round.proposal_deadline:%d/%m/%Y}); "
            "liên hệ Sở Thông tin và Truyền thông nếu cần gia hạn.",
        )


# --- proposals --------------------------------------------------------------------------------------


@dataclass
class ItemInput:
    area: ContentArea
    product_type: str
    outlet: Outlet
    quantity: int
    unit_price: Decimal
    window_start: dt.date
    window_end: dt.date
    topic: Topic | None = None
    event: KeyEvent | None = None
    channel: str = ""
    unit: str = ""


def _validate_item(proposal: Proposal, data: ItemInput) -> dict[str, Any]:
    plan_id = proposal.round.plan_id
    errors: list[str] = []
    if data.area.plan_id != plan_id:
        errors.append("lĩnh vực không thuộc kế hoạch của đợt đặt hàng")
    if data.topic is not None and data.topic.area_id != data.area.pk:
        errors.append("chủ đề không thuộc lĩnh vực đã chọn")
    if data.event is not None and data.event.plan_id != plan_id:
        errors.append("sự kiện không thuộc kế hoạch")
    if data.product_type not in ProductType.values:
        errors.append("loại sản phẩm không hợp lệ")
    if data.outlet.agency_id != proposal.agency_id:
        errors.append("ấn phẩm không thuộc cơ quan báo chí đề xuất")
    if not isinstance(data.quantity, int) or data.quantity <= 0:
        errors.append("số lượng phải lớn hơn 0")
    if data.window_end < data.window_start:
        errors.append("ngày kết thúc đăng phải sau ngày bắt đầu")
    price = _money(data.unit_price, "Đơn giá")
    unit = (data.unit or "").strip() or DEFAULT_UNIT.get(ProductType(data.product_type), "")
    if data.product_type == ProductType.PROGRAMME and unit != "phút":
        errors.append("chương trình phát thanh, truyền hình tính theo phút")
    if errors:
        raise ValidationFailed("item.invalid", "Dòng đề xuất không hợp lệ: " + "; ".join(errors) + ".")
    return {
        "area": data.area,
        "topic": data.topic,
        "event": data.event,
        "product_type": data.product_type,
        "outlet": data.outlet,
        "channel": data.channel.strip(),
        "quantity": data.quantity,
        "unit": unit,
        "unit_price": price,
        "window_start": data.window_start,
        "window_end": data.window_end,
    }


def _editable_proposal(actor: User, proposal: Proposal) -> Membership:
    membership = _agency_editor(actor, proposal.agency)
    _state(
        proposal,
        [Proposal.Status.DRAFT, Proposal.Status.RETURNED],
        "Chỉ sửa được đề xuất nháp hoặc bị trả lại",
    )
    if proposal.round.status != OrderRound.Status.OPEN:
        raise TransitionError("round.closed", "Đợt đặt hàng đã đóng.")
    return membership


@transaction.atomic
def proposal_create(
    *, actor: User, round_id: int, agency: Organisation, title: str, note: str = ""
) -> Proposal:
    order_round = _lock(OrderRound, round_id)
    membership = _agency_editor(actor, agency)
    _state(order_round, [OrderRound.Status.OPEN], "Đợt đặt hàng đã đóng")
    if not order_round.invited.filter(pk=agency.pk).exists():
        raise PermissionDenied("not_invited")
    _before_deadline(order_round)
    if not title.strip():
        raise ValidationFailed("proposal.title", "Cần nhập tiêu đề đề xuất.")
    proposal = Proposal.objects.create(
        round=order_round, agency=agency, title=title.strip(), note=note, author=actor
    )
    _record(proposal, actor, membership, "proposal_create", "", proposal.status)
    return proposal


@transaction.atomic
def proposal_item_add(*, actor: User, proposal_id: int, data: ItemInput) -> ProposalItem:
    proposal = _lock(Proposal, proposal_id)
    membership = _editable_proposal(actor, proposal)
    item = ProposalItem.objects.create(proposal=proposal, **_validate_item(proposal, data))
    _record(proposal, actor, membership, "item_add", proposal.status, proposal.status, data={"item": item.pk})
    return item


@transaction.atomic
def proposal_item_update(*, actor: User, item_id: int, data: ItemInput) -> ProposalItem:
    proposal_id = ProposalItem.objects.filter(pk=item_id).values_list("proposal_id", flat=True).first()
    proposal = _lock(Proposal, proposal_id)
    item = _lock(ProposalItem, item_id)
    membership = _editable_proposal(actor, proposal)
    for field, value in _validate_item(proposal, data).items():
        setattr(item, field, value)
    # A changed line must be judged again.
    item.verdict, item.verdict_note = "", ""
    item.approved_quantity = item.approved_unit_price = None
    item.save()
    _record(
        proposal, actor, membership, "item_update", proposal.status, proposal.status, data={"item": item.pk}
    )
    return item


@transaction.atomic
def proposal_item_remove(*, actor: User, item_id: int) -> None:
    proposal_id = ProposalItem.objects.filter(pk=item_id).values_list("proposal_id", flat=True).first()
    proposal = _lock(Proposal, proposal_id)
    membership = _editable_proposal(actor, proposal)
    ProposalItem.objects.filter(pk=item_id, proposal=proposal).delete()
    _record(
        proposal, actor, membership, "item_remove", proposal.status, proposal.status, data={"item": item_id}
    )


@transaction.atomic
def proposal_submit(*, actor: User, proposal_id: int, note: str = "") -> Proposal:
    proposal = _lock(Proposal, proposal_id)
    membership = _editable_proposal(actor, proposal)
    if not proposal.items.exists():
        raise ValidationFailed("proposal.empty", "Đề xuất chưa có dòng nào.")
    if proposal.status == Proposal.Status.DRAFT:  # a proposal returned for changes may come back late
        _before_deadline(proposal.round)
    old = proposal.status
    proposal.status = Proposal.Status.SUBMITTED
    proposal.submitted_at = timezone.now()
    proposal.save(update_fields=["status", "submitted_at", "updated_at"])
    _record(proposal, actor, membership, "proposal_submit", old, proposal.status, note=note)
    _notify(
        _emails(Role.APPRAISER, proposal.round.appraiser_org),
        f"Đề xuất chờ thẩm định: {proposal.title}",
        f"{proposal.agency} đã gửi đề xuất “{proposal.title}”.",
    )
    return proposal


@transaction.atomic
def proposal_withdraw(*, actor: User, proposal_id: int, note: str = "") -> Proposal:
    proposal = _lock(Proposal, proposal_id)
    membership = _agency_editor(actor, proposal.agency)
    old = _state(
        proposal,
        [Proposal.Status.DRAFT, Proposal.Status.SUBMITTED, Proposal.Status.RETURNED],
        "Không thể rút đề xuất đã có kết quả thẩm định",
    )
    proposal.status = Proposal.Status.WITHDRAWN
    proposal.save(update_fields=["status", "updated_at"])
    _record(proposal, actor, membership, "proposal_withdraw", old, proposal.status, note=note)
    return proposal


@transaction.atomic
def proposal_return(*, actor: User, proposal_id: int, note: str) -> Proposal:
    proposal = _lock(Proposal, proposal_id)
    membership = _appraiser(actor, proposal.round)
    old = _state(proposal, [Proposal.Status.SUBMITTED], "Chỉ trả lại được đề xuất đã gửi")
    note = _require_note(note, "ý kiến để cơ quan báo chí sửa")
    proposal.status = Proposal.Status.RETURNED
    proposal.save(update_fields=["status", "updated_at"])
    _record(proposal, actor, membership, "proposal_return", old, proposal.status, note=note)
    _notify(
        _emails(Role.AGENCY_EDITOR, proposal.agency),
        f"Đề xuất bị trả lại: {proposal.title}",
        f"Ý kiến thẩm định: {note}",
    )
    return proposal


@transaction.atomic
def item_appraise(
    *,
    actor: User,
    item_id: int,
    verdict: str,
    note: str = "",
    approved_quantity: int | None = None,
    approved_unit_price: Decimal | None = None,
) -> ProposalItem:
    proposal_id = ProposalItem.objects.filter(pk=item_id).values_list("proposal_id", flat=True).first()
    proposal = _lock(Proposal, proposal_id)
    item = _lock(ProposalItem, item_id)
    membership = _appraiser(actor, proposal.round)
    _state(proposal, [Proposal.Status.SUBMITTED], "Chỉ thẩm định được đề xuất đã gửi")
    if verdict not in Verdict.values:
        raise ValidationFailed("verdict.invalid", "Kết quả thẩm định không hợp lệ.")
    if verdict == Verdict.ACCEPT:
        approved_quantity = None
        approved_unit_price = None
    elif verdict == Verdict.REJECT:
        note = _require_note(note, "lý do không đạt")
        approved_quantity = None
        approved_unit_price = None
    else:
        note = _require_note(note, "nội dung điều chỉnh")
        if approved_quantity is None and approved_unit_price is None:
            raise ValidationFailed("verdict.changes", "Cần nhập số lượng hoặc đơn giá được duyệt.")
        if approved_quantity is not None and not 0 < approved_quantity <= item.quantity:
            raise ValidationFailed(
                "verdict.quantity", f"Số lượng được duyệt phải từ 1 đến {item.quantity} (số đề xuất)."
            )
        if approved_unit_price is not None:
            approved_unit_price = _money(approved_unit_price, "Đơn giá được duyệt")
            if approved_unit_price > item.unit_price:
                raise ValidationFailed(
                    "verdict.price", "Đơn giá được duyệt không được cao hơn đơn giá đề xuất."
                )
    item.verdict = verdict
    item.verdict_note = note
    item.approved_quantity = approved_quantity
    item.approved_unit_price = approved_unit_price
    item.save(update_fields=["verdict", "verdict_note", "approved_quantity", "approved_unit_price"])
    _record(
        proposal,
        actor,
        membership,
        "item_appraise",
        proposal.status,
        proposal.status,
        note=note,
        data={"item": item.pk, "verdict": verdict},
    )
    return item


@transaction.atomic
def proposal_endorse(*, actor: User, proposal_id: int, note: str = "") -> Proposal:
    proposal = _lock(Proposal, proposal_id)
    membership = _appraiser(actor, proposal.round)
    old = _state(proposal, [Proposal.Status.SUBMITTED], "Chỉ kết luận được đề xuất đã gửi")
    items = proposal.items.all()
    if items.filter(verdict="").exists():
        raise ValidationFailed("proposal.unjudged", "Còn dòng đề xuất chưa có kết quả thẩm định.")
    if not items.filter(verdict__in=[Verdict.ACCEPT, Verdict.ACCEPT_WITH_CHANGES]).exists():
        raise ValidationFailed(
            "proposal.none_accepted", "Không có dòng nào đạt: hãy kết luận “không đạt” thay vì “đạt”."
        )
    proposal.status = Proposal.Status.ENDORSED
    proposal.save(update_fields=["status", "updated_at"])
    _record(proposal, actor, membership, "proposal_endorse", old, proposal.status, note=note)
    _notify(
        _emails(Role.AGENCY_EDITOR, proposal.agency)
        + _emails(Role.COMMISSIONING_OFFICER, proposal.round.opened_by),
        f"Đề xuất đạt thẩm định: {proposal.title}",
        f"Đề xuất của {proposal.agency} đã được thẩm định đạt.",
    )
    return proposal


@transaction.atomic
def proposal_reject(*, actor: User, proposal_id: int, note: str) -> Proposal:
    proposal = _lock(Proposal, proposal_id)
    membership = _appraiser(actor, proposal.round)
    old = _state(proposal, [Proposal.Status.SUBMITTED], "Chỉ kết luận được đề xuất đã gửi")
    note = _require_note(note, "lý do không đạt")
    proposal.status = Proposal.Status.REJECTED
    proposal.save(update_fields=["status", "updated_at"])
    _record(proposal, actor, membership, "proposal_reject", old, proposal.status, note=note)
    _notify(
        _emails(Role.AGENCY_EDITOR, proposal.agency),
        f"Đề xuất không đạt: {proposal.title}",
        f"Lý do: {note}",
    )
    return proposal


@transaction.atomic
def agencies_select(
    *, actor: User, round_id: int, agencies: list[Organisation], note: str = ""
) -> list[Selection]:
    order_round = _lock(OrderRound, round_id)
    membership = _appraiser(actor, order_round)
    if not agencies:
        raise ValidationFailed("select.empty", "Cần chọn ít nhất một cơ quan báo chí.")
    endorsed = set(
        order_round.proposals.filter(status=Proposal.Status.ENDORSED).values_list("agency_id", flat=True)
    )
    missing = [a.name for a in agencies if a.pk not in endorsed]
    if missing:
        raise ValidationFailed(
            "select.not_endorsed", "Cơ quan chưa có đề xuất đạt thẩm định: " + ", ".join(missing) + "."
        )
    selections = []
    for agency in agencies:
        selection, created = Selection.objects.get_or_create(
            round=order_round, agency=agency, defaults={"selected_by": actor, "note": note}
        )
        selections.append(selection)
    _record(
        order_round,
        actor,
        membership,
        "agencies_select",
        order_round.status,
        order_round.status,
        note=note,
        data={"agencies": [a.pk for a in agencies]},
    )
    return selections


# --- approval packages ------------------------------------------------------------------------------


def _check_ceiling(order_round: OrderRound, package: ApprovalPackage | None, total: Decimal) -> None:
    committed = selectors.round_committed(order_round, exclude_package_id=package.pk if package else None)
    if committed + total > order_round.budget_ceiling:
        from pressdesk.core.templatetags.pressdesk import format_vnd

        raise ValidationFailed(
            "package.above_ceiling",
            f"Tổng giá trị {format_vnd(total)} cộng đã trình/duyệt {format_vnd(committed)} "
            f"vượt trần kinh phí {format_vnd(order_round.budget_ceiling)}.",
        )


@transaction.atomic
def package_compile(
    *, actor: User, round_id: int, title: str, item_ids: list[int], note: str = ""
) -> ApprovalPackage:
    order_round = _lock(OrderRound, round_id)
    membership = _officer(actor, order_round)
    if not title.strip():
        raise ValidationFailed("package.title", "Cần nhập tên hồ sơ.")
    ids = sorted(set(item_ids))
    if not ids:
        raise ValidationFailed("package.empty", "Cần chọn ít nhất một dòng đã thẩm định đạt.")
    items = list(ProposalItem.objects.select_for_update().filter(pk__in=ids).select_related("proposal"))
    selected = set(order_round.selections.values_list("agency_id", flat=True))
    bad = [
        i.pk
        for i in items
        if i.proposal.round_id != order_round.pk
        or i.proposal.status != Proposal.Status.ENDORSED
        or not i.is_accepted
        or i.package_id is not None
        or i.proposal.agency_id not in selected
    ]
    if bad or len(items) != len(ids):
        raise ValidationFailed(
            "package.items",
            "Chỉ đưa vào hồ sơ các dòng đạt thẩm định của cơ quan được lựa chọn, chưa thuộc hồ sơ khác"
            + (f" (dòng không hợp lệ: {', '.join(map(str, bad))})" if bad else "")
            + ".",
        )
    total = sum((i.approved_amount for i in items), Decimal(0))
    _check_ceiling(order_round, None, total)
    package = ApprovalPackage.objects.create(
        round=order_round, title=title.strip(), compiled_by=actor, note=note
    )
    # Compare-and-swap: only lines still free are taken; a line taken meanwhile aborts the whole package.
    if ProposalItem.objects.filter(pk__in=ids, package__isnull=True).update(package=package) != len(ids):
        raise TransitionError(
            "package.items_taken", "Có dòng vừa được đưa vào hồ sơ khác; hãy tải lại trang."
        )
    _record(
        package,
        actor,
        membership,
        "package_compile",
        "",
        package.status,
        data={"items": ids, "total": str(total)},
    )
    return package


@transaction.atomic
def package_submit(*, actor: User, package_id: int, note: str = "") -> ApprovalPackage:
    package = _lock(ApprovalPackage, package_id)
    order_round = _lock(OrderRound, package.round_id)
    membership = _officer(actor, order_round)
    old = _state(package, [ApprovalPackage.Status.DRAFT], "Chỉ trình được hồ sơ đang lập")
    total = selectors.package_total(package)
    _check_ceiling(order_round, package, total)
    package.status = ApprovalPackage.Status.SUBMITTED
    package.save(update_fields=["status", "updated_at"])
    _record(
        package,
        actor,
        membership,
        "package_submit",
        old,
        package.status,
        note=note,
        data={"total": str(total)},
    )
    _notify(
        _emails(Role.APPROVER, order_round.approver_org),
        f"Hồ sơ chờ phê duyệt: {package.title}",
        f"Hồ sơ đặt hàng “{package.title}” đang chờ phê duyệt.",
    )
    return package


@transaction.atomic
def package_approve(
    *, actor: User, package_id: int, decision_number: str, decision_date: dt.date, note: str = ""
) -> ApprovalPackage:
    package = _lock(ApprovalPackage, package_id)
    order_round = _lock(OrderRound, package.round_id)
    membership = _approver(actor, order_round)
    old = _state(package, [ApprovalPackage.Status.SUBMITTED], "Chỉ phê duyệt được hồ sơ đã trình")
    decision_number = (decision_number or "").strip()
    if not decision_number or decision_date is None:
        raise ValidationFailed("package.decision", "Cần nhập số và ngày quyết định phê duyệt.")
    total = selectors.package_total(package)
    _check_ceiling(order_round, package, total)
    package.status = ApprovalPackage.Status.APPROVED
    package.decision_number = decision_number
    package.decision_date = decision_date
    package.save(update_fields=["status", "decision_number", "decision_date", "updated_at"])
    _record(
        package,
        actor,
        membership,
        "package_approve",
        old,
        package.status,
        note=note,
        document_number=decision_number,
        data={"total": str(total), "decision_date": decision_date.isoformat()},
    )
    _notify(
        _emails(Role.COMMISSIONING_OFFICER, order_round.opened_by),
        f"Hồ sơ đã được phê duyệt: {package.title}",
        f"Quyết định số {decision_number} ngày {decision_date:%d/%m/%Y}.",
    )
    return package


@transaction.atomic
def package_return(*, actor: User, package_id: int, note: str) -> ApprovalPackage:
    package = _lock(ApprovalPackage, package_id)
    membership = _approver(actor, package.round)
    old = _state(package, [ApprovalPackage.Status.SUBMITTED], "Chỉ trả lại được hồ sơ đã trình")
    note = _require_note(note, "lý do trả lại")
    ids = list(package.items.values_list("pk", flat=True))
    # The lines go back to the pool so a corrected package can be compiled; the record keeps the list.
    ProposalItem.objects.filter(pk__in=ids, package=package).update(package=None)
    package.status = ApprovalPackage.Status.RETURNED
    package.save(update_fields=["status", "updated_at"])
    _record(package, actor, membership, "package_return", old, package.status, note=note, data={"items": ids})
    _notify(
        _emails(Role.COMMISSIONING_OFFICER, package.round.opened_by),
        f"Hồ sơ bị trả lại: {package.title}",
        f"Lý do: {note}",
    )
    return package


# --- contracts --------------------------------------------------------------------------------------

LIVE_CONTRACT = [s for s in Contract.Status.values if s != Contract.Status.TERMINATED]


@transaction.atomic
def contract_draft(
    *,
    actor: User,
    package_id: int,
    agency: Organisation,
    number: str,
    item_ids: list[int],
    period_start: dt.date,
    period_end: dt.date,
    legal_basis: str = "",
    advance_percent: Decimal = Decimal(0),
    instalments: int = 1,
    acceptance_method: str = "",
) -> Contract:
    package = _lock(ApprovalPackage, package_id)
    membership = _officer(actor, package.round)
    if package.status != ApprovalPackage.Status.APPROVED:
        raise TransitionError("package.not_approved", "Chỉ lập hợp đồng từ hồ sơ đã được phê duyệt.")
    number = (number or "").strip()
    if not number:
        raise ValidationFailed("contract.number", "Cần nhập số hợp đồng.")
    if Contract.objects.filter(number=number).exists():
        raise ValidationFailed("contract.number_taken", f"Số hợp đồng {number} đã được dùng.")
    if period_end < period_start:
        raise ValidationFailed("contract.period", "Ngày kết thúc phải sau ngày bắt đầu thực hiện.")
    pct = Decimal(str(advance_percent))
    if not Decimal(0) <= pct <= Decimal(100):
        raise ValidationFailed("contract.advance", "Tỷ lệ tạm ứng phải từ 0 đến 100%.")
    if instalments < 1:
        raise ValidationFailed("contract.instalments", "Số đợt thanh toán ít nhất là 1.")
    ids = sorted(set(item_ids))
    items = list(ProposalItem.objects.select_for_update().filter(pk__in=ids).select_related("proposal"))
    taken = set(
        ContractItem.objects.filter(source_id__in=ids, contract__status__in=LIVE_CONTRACT).values_list(
            "source_id", flat=True
        )
    )
    bad = [
        i.pk
        for i in items
        if i.package_id != package.pk
        or i.proposal.agency_id != agency.pk
        or i.pk in taken
        or not i.is_accepted
    ]
    if not ids or bad or len(items) != len(ids):
        raise ValidationFailed(
            "contract.items",
            "Hợp đồng chỉ gồm các dòng đã được phê duyệt của cùng một cơ quan báo chí, chưa thuộc hợp đồng khác"
            + (f" (dòng không hợp lệ: {', '.join(map(str, bad))})" if bad else "")
            + ".",
        )
    contract = Contract.objects.create(
        number=number,
        package=package,
        agency=agency,
        legal_basis=legal_basis,
        period_start=period_start,
        period_end=period_end,
        advance_percent=pct,
        instalments=instalments,
        acceptance_method=acceptance_method,
        created_by=actor,
    )
    ContractItem.objects.bulk_create(
        ContractItem(
            contract=contract,
            source=i,
            area_id=i.area_id,
            topic_id=i.topic_id,
            event_id=i.event_id,
            product_type=i.product_type,
            outlet_id=i.outlet_id,
            channel=i.channel,
            quantity=i.final_quantity,
            unit=i.unit,
            unit_price=i.final_unit_price,
            window_start=i.window_start,
            window_end=i.window_end,
        )
        for i in items
    )
    _record(contract, actor, membership, "contract_draft", "", contract.status, data={"items": ids})
    return contract


@transaction.atomic
def contract_item_update(
    *,
    actor: User,
    item_id: int,
    quantity: int,
    unit_price: Decimal,
    window_start: dt.date,
    window_end: dt.date,
) -> ContractItem:
    contract_id = ContractItem.objects.filter(pk=item_id).values_list("contract_id", flat=True).first()
    contract = _lock(Contract, contract_id)
    item = _lock(ContractItem, item_id)
    membership = _officer(actor, contract.package.round)
    _state(contract, [Contract.Status.DRAFT], "Chỉ sửa dòng của hợp đồng dự thảo; hợp đồng đã ký cần phụ lục")
    if quantity <= 0:
        raise ValidationFailed("item.quantity", "Số lượng phải lớn hơn 0.")
    if window_end < window_start:
        raise ValidationFailed("item.window", "Ngày kết thúc đăng phải sau ngày bắt đầu.")
    item.quantity = quantity
    item.unit_price = _money(unit_price, "Đơn giá")
    item.window_start, item.window_end = window_start, window_end
    item.save()
    _record(
        contract, actor, membership, "item_update", contract.status, contract.status, data={"item": item.pk}
    )
    return item


@transaction.atomic
def contract_sign(*, actor: User, contract_id: int, signed_on: dt.date, note: str = "") -> Contract:
    contract = _lock(Contract, contract_id)
    membership = _officer(actor, contract.package.round)
    old = _state(contract, [Contract.Status.DRAFT], "Chỉ ký được hợp đồng dự thảo")
    package = ApprovalPackage.objects.get(pk=contract.package_id)
    if package.status != ApprovalPackage.Status.APPROVED:
        raise TransitionError("package.not_approved", "Chưa có quyết định phê duyệt: không thể ký hợp đồng.")
    if package.decision_date and signed_on < package.decision_date:
        raise ValidationFailed(
            "contract.signed_before_decision", "Ngày ký không được trước ngày quyết định phê duyệt."
        )
    value = selectors.contract_value(contract)
    approved = selectors.contract_approved_value(contract)
    if not contract.items.exists():
        raise ValidationFailed("contract.empty", "Hợp đồng chưa có dòng nào.")
    if value > approved:
        from pressdesk.core.templatetags.pressdesk import format_vnd

        raise ValidationFailed(
            "contract.above_approved",
            f"Giá trị hợp đồng {format_vnd(value)} vượt giá trị được phê duyệt {format_vnd(approved)}.",
        )
    contract.status = Contract.Status.SIGNED
    contract.signed_on = signed_on
    contract.save(update_fields=["status", "signed_on", "updated_at"])
    _record(
        contract,
        actor,
        membership,
        "contract_sign",
        old,
        contract.status,
        note=note,
        document_number=contract.number,
        data={"value": str(value)},
    )
    _notify(
        _emails(Role.AGENCY_EDITOR, contract.agency),
        f"Hợp đồng đã ký: {contract.number}",
        f"Hợp đồng {contract.number} đã được ký ngày {signed_on:%d/%m/%Y}.",
    )
    return contract


@transaction.atomic
def contract_start(*, actor: User, contract_id: int, note: str = "") -> Contract:
    contract = _lock(Contract, contract_id)
    membership = _officer(actor, contract.package.round)
    old = _state(contract, [Contract.Status.SIGNED], "Chỉ bắt đầu thực hiện hợp đồng đã ký")
    contract.status = Contract.Status.IN_PROGRESS
    contract.save(update_fields=["status", "updated_at"])
    _record(contract, actor, membership, "contract_start", old, contract.status, note=note)
    return contract


def _delivery_membership(actor: User, contract: Contract) -> Membership:
    """The agency's editor, a resident reporter of the agency's representative office, or the officer."""
    allowed = (
        active_memberships(actor)
        .select_related("organisation")
        .filter(
            models.Q(role=Role.AGENCY_EDITOR, organisation=contract.agency)
            | models.Q(role=Role.RESIDENT_REPORTER, organisation__parent=contract.agency)
            | models.Q(role=Role.COMMISSIONING_OFFICER, organisation=contract.package.round.opened_by)
        )
    )
    membership = allowed.order_by("pk").first()
    if membership is None:
        raise PermissionDenied("role_required")
    return membership


@transaction.atomic
def delivery_record(
    *,
    actor: User,
    contract_item_id: int,
    outlet: Outlet,
    title: str,
    published_on: dt.date,
    url: str = "",
    print_issue: str = "",
    print_page: str = "",
    airtime: str = "",
) -> Delivery:
    contract_id = (
        ContractItem.objects.filter(pk=contract_item_id).values_list("contract_id", flat=True).first()
    )
    contract = _lock(Contract, contract_id)
    item = ContractItem.objects.get(pk=contract_item_id)
    membership = _delivery_membership(actor, contract)
    _state(contract, [Contract.Status.IN_PROGRESS], "Chỉ ghi nhận tác phẩm khi hợp đồng đang thực hiện")
    errors = []
    url, title = (url or "").strip(), (title or "").strip()
    if not title:
        errors.append("cần tiêu đề tác phẩm")
    if outlet.agency_id != contract.agency_id:
        errors.append("ấn phẩm không thuộc cơ quan báo chí của hợp đồng")
    if not (url or print_issue.strip() or airtime.strip()):
        errors.append("cần đường dẫn, hoặc số báo/trang, hoặc thời điểm phát sóng")
    if url:
        parts = urlsplit(url)
        host = (parts.hostname or "").lower()
        if parts.scheme not in ("http", "https") or not host:
            errors.append("đường dẫn không hợp lệ")
        elif outlet.domains and not any(host == d or host.endswith("." + d) for d in outlet.domains):
            errors.append(f"đường dẫn không thuộc tên miền của {outlet.name} ({', '.join(outlet.domains)})")
        elif Delivery.objects.filter(contract_item=item, url=url).exists():
            errors.append("tác phẩm này đã được ghi nhận")
    if published_on > timezone.localdate():
        errors.append("ngày đăng không được ở tương lai")
    if published_on < contract.period_start:
        errors.append("ngày đăng trước thời gian thực hiện hợp đồng")
    if errors:
        raise ValidationFailed("delivery.invalid", "Tác phẩm không hợp lệ: " + "; ".join(errors) + ".")
    delivery = Delivery.objects.create(
        contract_item=item,
        outlet=outlet,
        url=url,
        print_issue=print_issue.strip(),
        print_page=print_page.strip(),
        airtime=airtime.strip(),
        title=title,
        published_on=published_on,
        recorded_by=actor,
    )
    _record(
        contract,
        actor,
        membership,
        "delivery_record",
        contract.status,
        contract.status,
        note=title,
        data={"delivery": delivery.pk, "item": item.pk},
    )
    delivery_recorded.send(sender=Delivery, delivery=delivery, actor=actor, quiet=_muted.get())
    return delivery


def _delivery_decide(actor: User, delivery_id: int, accept: bool, note: str) -> Delivery:
    contract_id = (
        Delivery.objects.filter(pk=delivery_id).values_list("contract_item__contract_id", flat=True).first()
    )
    contract = _lock(Contract, contract_id)
    delivery = _lock(Delivery, delivery_id)
    membership = _officer(actor, contract.package.round)
    _state(
        contract,
        [Contract.Status.IN_PROGRESS, Contract.Status.DELIVERED],
        "Chỉ đánh giá tác phẩm của hợp đồng đang thực hiện",
    )
    old = _state(delivery, [Delivery.Status.RECORDED], "Tác phẩm đã được đánh giá")
    if accept:
        item = delivery.contract_item
        done = item.deliveries.filter(status=Delivery.Status.ACCEPTED).count()
        if done >= item.quantity:
            raise ValidationFailed(
                "delivery.enough", f"Dòng hợp đồng đã đủ {item.quantity} {item.unit}: không nhận thêm."
            )
        delivery.status = Delivery.Status.ACCEPTED
    else:
        note = _require_note(note, "lý do không đạt")
        delivery.status = Delivery.Status.REJECTED
    delivery.decision_note = note
    delivery.save(update_fields=["status", "decision_note", "updated_at"])
    _record(
        contract,
        actor,
        membership,
        "delivery_accept" if accept else "delivery_reject",
        old,
        delivery.status,
        note=note,
        data={"delivery": delivery.pk},
    )
    return delivery


@transaction.atomic
def delivery_accept(*, actor: User, delivery_id: int, note: str = "") -> Delivery:
    return _delivery_decide(actor, delivery_id, True, note)


@transaction.atomic
def delivery_reject(*, actor: User, delivery_id: int, note: str) -> Delivery:
    return _delivery_decide(actor, delivery_id, False, note)


@dataclass
class AcceptanceLineInput:
    item_id: int
    accepted_quantity: int
    deduction: Decimal = Decimal(0)
    deduction_reason: str = ""


@transaction.atomic
def acceptance_record(
    *,
    actor: User,
    contract_id: int,
    number: str,
    period_start: dt.date,
    period_end: dt.date,
    lines: list[AcceptanceLineInput],
    note: str = "",
) -> Acceptance:
    contract = _lock(Contract, contract_id)
    membership = _officer(actor, contract.package.round)
    _state(
        contract,
        [Contract.Status.IN_PROGRESS, Contract.Status.DELIVERED],
        "Chỉ nghiệm thu hợp đồng đang thực hiện hoặc đã hoàn thành đăng, phát",
    )
    number = (number or "").strip()
    if not number:
        raise ValidationFailed("acceptance.number", "Cần nhập số biên bản nghiệm thu.")
    if period_end < period_start:
        raise ValidationFailed("acceptance.period", "Kỳ nghiệm thu: ngày kết thúc phải sau ngày bắt đầu.")
    items = {i.pk: i for i in contract.items.all()}
    already = selectors.accepted_quantity_by_item(contract)
    errors: list[str] = []
    clean: list[tuple[ContractItem, AcceptanceLineInput, Decimal]] = []
    seen: set[int] = set()
    for line in lines:
        item = items.get(line.item_id)
        if item is None or line.item_id in seen:
            errors.append(f"dòng {line.item_id} không thuộc hợp đồng hoặc bị lặp")
            continue
        seen.add(line.item_id)
        if line.accepted_quantity <= 0:
            continue
        done = already.get(item.pk, 0)
        delivered_ok = item.deliveries.filter(status=Delivery.Status.ACCEPTED).count()
        if done + line.accepted_quantity > item.quantity:
            errors.append(
                f"{item}: nghiệm thu {done + line.accepted_quantity} vượt số lượng đặt hàng {item.quantity}"
            )
        elif done + line.accepted_quantity > delivered_ok:
            errors.append(f"{item}: nghiệm thu vượt số tác phẩm đã được đánh giá đạt ({delivered_ok})")
        deduction = _money(line.deduction or 0, "Giảm trừ")
        if deduction > 0 and not line.deduction_reason.strip():
            errors.append(f"{item}: cần ghi lý do giảm trừ")
        if deduction > Decimal(line.accepted_quantity) * item.unit_price:
            errors.append(f"{item}: giảm trừ lớn hơn giá trị nghiệm thu")
        clean.append((item, line, deduction))
    if not clean and not errors:
        errors.append("cần ít nhất một dòng có số lượng nghiệm thu")
    if errors:
        raise ValidationFailed(
            "acceptance.invalid", "Biên bản nghiệm thu không hợp lệ: " + "; ".join(errors) + "."
        )
    acceptance = Acceptance.objects.create(
        contract=contract,
        number=number,
        period_start=period_start,
        period_end=period_end,
        recorded_by=actor,
        note=note,
    )
    AcceptanceLine.objects.bulk_create(
        AcceptanceLine(
            acceptance=acceptance,
            contract_item=item,
            accepted_quantity=line.accepted_quantity,
            deduction=deduction,
            deduction_reason=line.deduction_reason.strip(),
        )
        for item, line, deduction in clean
    )
    _record(
        contract,
        actor,
        membership,
        "acceptance_record",
        contract.status,
        contract.status,
        note=note,
        document_number=number,
        data={"acceptance": acceptance.pk},
    )
    return acceptance


@transaction.atomic
def contract_mark_delivered(*, actor: User, contract_id: int, note: str = "") -> Contract:
    contract = _lock(Contract, contract_id)
    membership = _officer(actor, contract.package.round)
    old = _state(contract, [Contract.Status.IN_PROGRESS], "Hợp đồng không ở trạng thái đang thực hiện")
    short = [
        f"{p.item} ({p.delivered_accepted}/{p.ordered})"
        for p in selectors.contract_progress(contract).items
        if p.delivered_accepted < p.ordered
    ]
    if short:
        raise ValidationFailed(
            "contract.not_delivered", "Chưa đủ tác phẩm đạt cho các dòng: " + "; ".join(short) + "."
        )
    contract.status = Contract.Status.DELIVERED
    contract.save(update_fields=["status", "updated_at"])
    _record(contract, actor, membership, "contract_mark_delivered", old, contract.status, note=note)
    return contract


@transaction.atomic
def contract_accept(*, actor: User, contract_id: int, note: str = "") -> Contract:
    contract = _lock(Contract, contract_id)
    membership = _officer(actor, contract.package.round)
    old = _state(contract, [Contract.Status.DELIVERED], "Chỉ nghiệm thu hoàn thành hợp đồng đã đăng, phát đủ")
    if not contract.acceptances.exists():
        raise ValidationFailed("contract.no_acceptance", "Chưa có biên bản nghiệm thu nào.")
    contract.status = Contract.Status.ACCEPTED
    contract.save(update_fields=["status", "updated_at"])
    value = selectors.contract_accepted_value(contract)
    _record(
        contract,
        actor,
        membership,
        "contract_accept",
        old,
        contract.status,
        note=note,
        data={"accepted": str(value)},
    )
    return contract


@transaction.atomic
def payment_record(
    *,
    actor: User,
    contract_id: int,
    kind: str,
    amount: Decimal,
    paid_on: dt.date,
    document_number: str = "",
    note: str = "",
) -> Payment:
    from pressdesk.core.templatetags.pressdesk import format_vnd

    contract = _lock(Contract, contract_id)
    membership = _officer(actor, contract.package.round)
    amount = _money(amount, "Số tiền")
    if amount <= 0:
        raise ValidationFailed("payment.amount", "Số tiền phải lớn hơn 0.")
    paid = selectors.contract_paid(contract)
    accepted = selectors.contract_accepted_value(contract)
    if kind == Payment.Kind.ADVANCE:
        _state(
            contract,
            [Contract.Status.SIGNED, Contract.Status.IN_PROGRESS],
            "Chỉ tạm ứng cho hợp đồng đã ký, đang thực hiện",
        )
        limit = (selectors.contract_value(contract) * contract.advance_percent / 100).quantize(Decimal(1))
        advanced = selectors.contract_paid(contract, kind=Payment.Kind.ADVANCE)
        if advanced + amount > limit:
            raise ValidationFailed(
                "payment.above_advance",
                f"Tạm ứng vượt mức {contract.advance_percent}% giá trị hợp đồng ({format_vnd(limit)}); "
                f"đã tạm ứng {format_vnd(advanced)}.",
            )
    elif kind in (Payment.Kind.INTERIM, Payment.Kind.FINAL):
        allowed = (
            [Contract.Status.ACCEPTED]
            if kind == Payment.Kind.FINAL
            else [Contract.Status.IN_PROGRESS, Contract.Status.DELIVERED, Contract.Status.ACCEPTED]
        )
        _state(contract, allowed, "Hợp đồng chưa ở trạng thái cho phép khoản thanh toán này")
        if amount > accepted - paid:
            raise ValidationFailed(
                "payment.above_accepted",
                f"Số tiền vượt giá trị đã nghiệm thu còn lại {format_vnd(max(accepted - paid, Decimal(0)))}.",
            )
        if kind == Payment.Kind.FINAL and amount != accepted - paid:
            raise ValidationFailed(
                "payment.final_amount",
                f"Thanh toán lần cuối phải bằng số còn lại: {format_vnd(accepted - paid)}.",
            )
    else:
        raise ValidationFailed("payment.kind", "Loại thanh toán không hợp lệ.")
    payment = Payment.objects.create(
        contract=contract,
        kind=kind,
        amount=amount,
        paid_on=paid_on,
        document_number=(document_number or "").strip(),
        recorded_by=actor,
    )
    old = contract.status
    if contract.status == Contract.Status.ACCEPTED and paid + amount == accepted:
        contract.status = Contract.Status.PAID
        contract.save(update_fields=["status", "updated_at"])
    _record(
        contract,
        actor,
        membership,
        "payment_record",
        old,
        contract.status,
        note=note,
        document_number=payment.document_number,
        data={"payment": payment.pk, "kind": kind, "amount": str(amount)},
    )
    return payment


@transaction.atomic
def contract_settle(*, actor: User, contract_id: int, document_number: str, note: str = "") -> Contract:
    contract = _lock(Contract, contract_id)
    membership = _officer(actor, contract.package.round)
    old = _state(contract, [Contract.Status.PAID], "Chỉ thanh lý hợp đồng đã thanh toán đủ")
    document_number = _require_note(document_number, "số biên bản thanh lý")
    contract.status = Contract.Status.SETTLED
    contract.save(update_fields=["status", "updated_at"])
    _record(
        contract,
        actor,
        membership,
        "contract_settle",
        old,
        contract.status,
        note=note,
        document_number=document_number,
    )
    return contract


@transaction.atomic
def contract_terminate(*, actor: User, contract_id: int, reason: str) -> Contract:
    contract = _lock(Contract, contract_id)
    membership = _officer(actor, contract.package.round)
    old = _state(
        contract,
        [
            Contract.Status.DRAFT,
            Contract.Status.SIGNED,
            Contract.Status.IN_PROGRESS,
            Contract.Status.DELIVERED,
        ],
        "Không thể chấm dứt hợp đồng ở trạng thái này",
    )
    reason = _require_note(reason, "lý do chấm dứt hợp đồng")
    contract.status = Contract.Status.TERMINATED
    contract.termination_reason = reason
    contract.save(update_fields=["status", "termination_reason", "updated_at"])
    _record(contract, actor, membership, "contract_terminate", old, contract.status, note=reason)
    return contract


# --- amendments -------------------------------------------------------------------------------------

AMENDABLE = [Contract.Status.SIGNED, Contract.Status.IN_PROGRESS, Contract.Status.DELIVERED]


def _amendment_check(contract: Contract, quantities: dict[int, int], period_end: dt.date | None) -> Decimal:
    """Validate the changes against the contract as it stands; returns the new value."""
    items = {i.pk: i for i in contract.items.all()}
    accepted = selectors.accepted_quantity_by_item(contract)
    errors = []
    value = Decimal(0)
    for pk, item in items.items():
        qty = quantities.get(pk, item.quantity)
        if qty <= 0:
            errors.append(f"{item}: số lượng phải lớn hơn 0")
        if qty < accepted.get(pk, 0):
            errors.append(f"{item}: không thể giảm dưới số đã nghiệm thu ({accepted.get(pk, 0)})")
        value += Decimal(qty) * item.unit_price
    unknown = set(quantities) - set(items)
    if unknown:
        errors.append("có dòng không thuộc hợp đồng")
    if period_end is not None and period_end < contract.period_start:
        errors.append("thời hạn mới trước ngày bắt đầu")
    approved = selectors.contract_approved_value(contract)
    if value > approved:
        errors.append("giá trị sau sửa đổi vượt giá trị được phê duyệt")
    if errors:
        raise ValidationFailed("amendment.invalid", "Phụ lục không hợp lệ: " + "; ".join(errors) + ".")
    return value


@transaction.atomic
def amendment_propose(
    *,
    actor: User,
    contract_id: int,
    description: str,
    quantities: dict[int, int] | None = None,
    period_end: dt.date | None = None,
) -> ContractAmendment:
    contract = _lock(Contract, contract_id)
    membership = _officer(actor, contract.package.round)
    _state(contract, AMENDABLE, "Chỉ sửa đổi hợp đồng đã ký, chưa nghiệm thu")
    description = _require_note(description, "nội dung sửa đổi")
    if contract.amendments.filter(status=ContractAmendment.Status.PROPOSED).exists():
        raise TransitionError("amendment.pending", "Đang có phụ lục chờ phê duyệt.")
    quantities = {int(k): int(v) for k, v in (quantities or {}).items()}
    if not quantities and period_end is None:
        raise ValidationFailed("amendment.empty", "Phụ lục chưa có thay đổi nào.")
    _amendment_check(contract, quantities, period_end)
    number = (contract.amendments.aggregate(n=models.Max("number"))["n"] or 0) + 1
    amendment = ContractAmendment.objects.create(
        contract=contract,
        number=number,
        description=description,
        changes={
            "quantities": {str(k): v for k, v in quantities.items()},
            "period_end": period_end.isoformat() if period_end else None,
        },
        proposed_by=actor,
    )
    _record(
        contract,
        actor,
        membership,
        "amendment_propose",
        contract.status,
        contract.status,
        note=description,
        data={"amendment": amendment.pk},
    )
    _notify(
        _emails(Role.APPROVER, contract.package.round.approver_org),
        f"Phụ lục hợp đồng chờ phê duyệt: {contract.number}",
        description,
    )
    return amendment


@transaction.atomic
def amendment_approve(
    *, actor: User, amendment_id: int, decision_number: str, decision_date: dt.date, note: str = ""
) -> ContractAmendment:
    contract_id = (
        ContractAmendment.objects.filter(pk=amendment_id).values_list("contract_id", flat=True).first()
    )
    contract = _lock(Contract, contract_id)
    amendment = _lock(ContractAmendment, amendment_id)
    membership = _approver(actor, contract.package.round)
    old = _state(amendment, [ContractAmendment.Status.PROPOSED], "Phụ lục đã được xử lý")
    _state(contract, AMENDABLE, "Hợp đồng không còn ở trạng thái sửa đổi được")
    decision_number = _require_note(decision_number, "số quyết định")
    quantities = {int(k): int(v) for k, v in amendment.changes.get("quantities", {}).items()}
    period_end = amendment.changes.get("period_end")
    new_end = dt.date.fromisoformat(period_end) if period_end else None
    value = _amendment_check(contract, quantities, new_end)
    for pk, qty in quantities.items():
        ContractItem.objects.filter(pk=pk, contract=contract).update(quantity=qty)
    if new_end is not None:
        contract.period_end = new_end
        contract.save(update_fields=["period_end", "updated_at"])
    amendment.status = ContractAmendment.Status.APPROVED
    amendment.decision_number = decision_number
    amendment.decision_date = decision_date
    amendment.save(update_fields=["status", "decision_number", "decision_date", "updated_at"])
    _record(
        contract,
        actor,
        membership,
        "amendment_approve",
        old,
        amendment.status,
        note=note,
        document_number=decision_number,
        data={"amendment": amendment.pk, "value": str(value)},
    )
    return amendment


@transaction.atomic
def amendment_reject(*, actor: User, amendment_id: int, note: str) -> ContractAmendment:
    contract_id = (
        ContractAmendment.objects.filter(pk=amendment_id).values_list("contract_id", flat=True).first()
    )
    contract = _lock(Contract, contract_id)
    amendment = _lock(ContractAmendment, amendment_id)
    membership = _approver(actor, contract.package.round)
    old = _state(amendment, [ContractAmendment.Status.PROPOSED], "Phụ lục đã được xử lý")
    note = _require_note(note, "lý do không phê duyệt")
    amendment.status = ContractAmendment.Status.REJECTED
    amendment.save(update_fields=["status", "updated_at"])
    _record(
        contract,
        actor,
        membership,
        "amendment_reject",
        old,
        amendment.status,
        note=note,
        data={"amendment": amendment.pk},
    )
    return amendment


# --- attachments ------------------------------------------------------------------------------------

ATTACHMENT_KINDS = ("pdf", "png", "jpeg", "docx", "xlsx")
MIME_TYPES = {
    "pdf": "application/pdf",
    "png": "image/png",
    "jpeg": "image/jpeg",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def attachment_writers(subject: models.Model) -> list[models.Q]:
    """Who may attach to `subject`: memberships matching one of these."""
    if isinstance(subject, Proposal):
        return [models.Q(role=Role.AGENCY_EDITOR, organisation=subject.agency)]
    if isinstance(subject, OrderRound):
        return [models.Q(role=Role.COMMISSIONING_OFFICER, organisation=subject.opened_by)]
    if isinstance(subject, ApprovalPackage):
        return [
            models.Q(role=Role.COMMISSIONING_OFFICER, organisation=subject.round.opened_by),
            models.Q(role=Role.APPROVER, organisation=subject.round.approver_org),
        ]
    if isinstance(subject, Contract):
        return [
            models.Q(role=Role.COMMISSIONING_OFFICER, organisation=subject.package.round.opened_by),
            models.Q(role=Role.AGENCY_EDITOR, organisation=subject.agency),
        ]
    if isinstance(subject, Acceptance):
        return [
            models.Q(role=Role.COMMISSIONING_OFFICER, organisation=subject.contract.package.round.opened_by)
        ]
    return []


@transaction.atomic
def attachment_add(
    *, actor: User, subject: models.Model, upload: UploadedFile, kind: str = Attachment.Kind.OTHER
) -> Attachment:
    rules = attachment_writers(subject)
    query = models.Q(pk__in=[])
    for rule in rules:
        query |= rule
    membership = active_memberships(actor).select_related("organisation").filter(query).order_by("pk").first()
    if membership is None:
        raise PermissionDenied("role_required")
    if kind not in Attachment.Kind.values:
        raise ValidationFailed("attachment.kind", "Loại tài liệu không hợp lệ.")
    # Type by content and size limit come from the project-wide upload policy (core.uploads).
    kind_of_file = validate_upload(upload, allowed=ATTACHMENT_KINDS)
    digest = hashlib.sha256()
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    name = (upload.name or "tep").replace("/", "_").replace("\\", "_")[-200:]
    stored = store_private(upload, folder="commissioning", kind=kind_of_file)
    try:
        attachment = Attachment.objects.create(
            subject_type=ContentType.objects.get_for_model(subject),
            subject_id=subject.pk,
            kind=kind,
            file=stored,
            original_name=name,
            size=upload.size or 0,
            mime_type=MIME_TYPES[kind_of_file],
            sha256=digest.hexdigest(),
            uploaded_by=actor,
        )
    except IntegrityError:
        default_storage.delete(stored)
        raise
    transition_record(
        subject=subject,
        actor=actor,
        action="attachment_add",
        old=getattr(subject, "status", ""),
        new=getattr(subject, "status", ""),
        role=membership.role,
        organisation=membership.organisation,
        note=name,
        data={"attachment": attachment.pk, "sha256": attachment.sha256},
    )
    return attachment


# --- reminders --------------------------------------------------------------------------------------


def reminders_send(*, today: dt.date | None = None) -> int:
    """E-mail each due or overdue line once a day to the agency's editors and the commissioning officer.

    The ReminderSent row (unique per line, kind and day) is written before the mail is queued, so a
    second run the same day — or two schedulers at once — sends nothing more.
    """
    today = today or timezone.localdate()
    sent = 0
    for reminder in selectors.reminders_due(today=today):
        item = reminder.item
        contract = item.contract
        recipients = sorted(
            set(
                _emails(Role.AGENCY_EDITOR, contract.agency)
                + _emails(Role.COMMISSIONING_OFFICER, contract.package.round.opened_by)
            )
        )
        with transaction.atomic():
            try:
                with transaction.atomic():
                    ReminderSent.objects.create(
                        contract_item=item, kind=reminder.kind, day=today, recipients=recipients
                    )
            except IntegrityError:
                continue
            when = (
                f"đã quá hạn {-reminder.days_left} ngày"
                if reminder.kind == ReminderSent.Kind.OVERDUE
                else f"còn {reminder.days_left} ngày"
            )
            _notify(
                recipients,
                f"Đôn đốc hợp đồng {contract.number}: {item}",
                f"Hợp đồng {contract.number} ({contract.agency}), dòng “{item}”: đã đăng, phát {reminder.delivered}/"
                f"{item.quantity} {item.unit}, hạn {item.window_end:%d/%m/%Y} ({when}).",
            )
        sent += 1
    return sent
