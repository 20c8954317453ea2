"""Pages of commissioning: thin views that look the object up for the user, parse a form, call one service.

Denials: anonymous → login page; an object the user may not see → 404; a role that may not act → 403.
A refused action re-renders the page with the message (422/409) and changes nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django import forms as djforms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Model
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from pressdesk.accounts.models import Role
from pressdesk.accounts.permissions import active_roles, has_role, organisations_with_role
from pressdesk.commissioning import forms as f
from pressdesk.commissioning import selectors, services
from pressdesk.commissioning.inbox import items as inbox_items
from pressdesk.commissioning.models import (
    Acceptance,
    ApprovalPackage,
    Attachment,
    Contract,
    ContractAmendment,
    Delivery,
    OrderRound,
    Proposal,
)
from pressdesk.core.audit import history_for
from pressdesk.core.errors import DomainError, NotFound


@dataclass
class Action:
    slug: str
    label: str
    form: djforms.Form
    danger: bool = False


def _actor(request: HttpRequest) -> Any:
    return request.user


def _fail(request: HttpRequest, exc: DomainError) -> int:
    if isinstance(exc, NotFound):
        raise Http404(exc.message)
    messages.error(request, exc.message)
    return exc.status_code


def _attachments(obj: Model) -> Any:
    from django.contrib.contenttypes.models import ContentType

    return Attachment.objects.filter(
        subject_type=ContentType.objects.get_for_model(obj), subject_id=obj.pk
    ).select_related("uploaded_by")


# --- index ------------------------------------------------------------------------------------------


@login_required
@require_safe
def index(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    filters = f.ListFilterForm(request.GET or None)
    proposals = selectors.proposals_for_user(user)
    contracts = selectors.contracts_for_user(user)
    packages = selectors.packages_for_user(user)
    rounds = selectors.rounds_for_user(user)
    if not active_roles(user):
        raise PermissionDenied
    if filters.is_valid():
        data = filters.cleaned_data
        if data.get("round"):
            proposals = proposals.filter(round=data["round"])
            contracts = contracts.filter(package__round=data["round"])
            packages = packages.filter(round=data["round"])
        if data.get("agency"):
            proposals = proposals.filter(agency=data["agency"])
            contracts = contracts.filter(agency=data["agency"])
        if data.get("status"):
            proposals = proposals.filter(status=data["status"])
            contracts = contracts.filter(status=data["status"])
            packages = packages.filter(status=data["status"])
    return render(
        request,
        "commissioning/index.html",
        {
            "inbox": inbox_items(user),
            "filters": filters,
            "rounds": rounds[:50],
            "proposals": proposals[:200],
            "packages": packages[:100],
            "contracts": contracts[:200],
            "reminders": selectors.reminders_for_user(user)[:50],
            "can_open_round": has_role(user, Role.COMMISSIONING_OFFICER),
            "statuses": sorted(
                {
                    *Proposal.Status.choices,
                    *ApprovalPackage.Status.choices,
                    *Contract.Status.choices,
                }
            ),
        },
    )


# --- rounds -----------------------------------------------------------------------------------------


@login_required
def round_open(request: HttpRequest) -> HttpResponse:
    if not has_role(request.user, Role.COMMISSIONING_OFFICER):
        raise PermissionDenied
    form = f.RoundOpenForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                r = services.round_open(actor=_actor(request), **form.cleaned_data)  # type: ignore[arg-type]
            except DomainError as exc:
                form.add_error(None, exc.message)
                status = exc.status_code
            else:
                messages.success(request, _("Đã mở đợt đặt hàng."))
                return redirect("commissioning:round", pk=r.pk)
        else:
            status = 422
    return render(
        request, "commissioning/form_page.html", {"form": form, "title": _("Mở đợt đặt hàng")}, status=status
    )


def _round_page(
    request: HttpRequest, r: OrderRound, status: int = 200, **bound: djforms.Form
) -> HttpResponse:
    user: Any = request.user
    agencies = organisations_with_role(user, Role.AGENCY_EDITOR).filter(pk__in=r.invited.all())
    actions: list[Action] = []
    if r.status == OrderRound.Status.OPEN and has_role(
        user, Role.COMMISSIONING_OFFICER, organisation=r.opened_by
    ):
        actions.append(
            Action(
                "extend",
                _("Gia hạn nộp đề xuất"),
                bound.get("extend") or f.RoundExtendForm(prefix="extend"),
            )
        )
        actions.append(
            Action("close", _("Đóng đợt đặt hàng"), bound.get("close") or f.NoteForm(prefix="close"), True)
        )
    if has_role(user, Role.APPRAISER, organisation=r.appraiser_org):
        actions.append(
            Action(
                "select",
                _("Lựa chọn cơ quan báo chí"),
                bound.get("select") or f.SelectForm(order_round=r, prefix="select"),
            )
        )
    if has_role(user, Role.COMMISSIONING_OFFICER, organisation=r.opened_by):
        actions.append(
            Action(
                "compile",
                _("Lập hồ sơ trình phê duyệt"),
                bound.get("compile") or f.PackageCompileForm(order_round=r, prefix="compile"),
            )
        )
    create_form = None
    if r.status == OrderRound.Status.OPEN and agencies.exists() and not r.deadline_passed:
        create_form = bound.get("create") or f.ProposalCreateForm(agencies=agencies, prefix="create")
    committed = selectors.round_committed(r)
    return render(
        request,
        "commissioning/round_detail.html",
        {
            "round": r,
            "proposals": selectors.proposals_for_user(user).filter(round=r),
            "packages": selectors.packages_for_user(user).filter(round=r),
            "selections": r.selections.select_related("agency"),
            "committed": committed,
            "remaining": r.budget_ceiling - committed,
            "actions": actions,
            "create_form": create_form,
            "history": history_for(r),
            "attachments": _attachments(r),
            "attach_form": f.AttachmentForm(),
            "attach_kind": "round",
        },
        status=status,
    )


@login_required
@require_safe
def round_detail(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        r = selectors.round_get_for_user(request.user, pk)
    except NotFound:
        raise Http404 from None
    return _round_page(request, r)


@login_required
@require_POST
def round_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    try:
        r = selectors.round_get_for_user(request.user, pk, write=True)
    except NotFound:
        raise Http404 from None
    user: Any = request.user
    form: djforms.Form
    call: Callable[[], Any]
    if action == "close":
        form = f.NoteForm(request.POST, prefix="close")
        call = lambda: services.round_close(actor=user, round_id=r.pk, note=form.cleaned_data["note"])  # noqa: E731
    elif action == "extend":
        form = f.RoundExtendForm(request.POST, prefix="extend")
        call = lambda: services.round_extend(  # noqa: E731
            actor=user, round_id=r.pk, deadline=form.cleaned_data["deadline"], note=form.cleaned_data["note"]
        )
    elif action == "select":
        form = f.SelectForm(request.POST, order_round=r, prefix="select")
        call = lambda: services.agencies_select(  # noqa: E731
            actor=user,
            round_id=r.pk,
            agencies=list(form.cleaned_data["agencies"]),
            note=form.cleaned_data["note"],
        )
    elif action == "compile":
        form = f.PackageCompileForm(request.POST, order_round=r, prefix="compile")

        def call() -> Any:
            pkg = services.package_compile(
                actor=user,
                round_id=r.pk,
                title=form.cleaned_data["title"],
                item_ids=[i.pk for i in form.cleaned_data["items"]],
                note=form.cleaned_data["note"],
            )
            return redirect("commissioning:package", pk=pkg.pk)

    elif action == "create":
        # Any invited agency parses; the service decides whether this user may write for it (403).
        form = f.ProposalCreateForm(request.POST, agencies=r.invited.all(), prefix="create")

        def call() -> Any:
            p = services.proposal_create(
                actor=user,
                round_id=r.pk,
                agency=form.cleaned_data["agency"],
                title=form.cleaned_data["title"],
                note=form.cleaned_data["note"],
            )
            return redirect("commissioning:proposal", pk=p.pk)

    else:
        raise Http404
    return _perform(
        request,
        form,
        call,
        lambda st: _round_page(request, r, st, **{action: form}),
        reverse("commissioning:round", args=[r.pk]),
    )


def _perform(
    request: HttpRequest,
    form: djforms.Form,
    call: Callable[[], Any],
    rerender: Callable[[int], HttpResponse],
    success_url: str,
) -> HttpResponse:
    """Validate, call the service, redirect on success; re-render with the message when refused."""
    if not form.is_valid():
        return rerender(422)
    try:
        result = call()
    except DomainError as exc:
        form.add_error(None, exc.message)
        return rerender(_fail(request, exc))
    messages.success(request, _("Đã thực hiện."))
    if isinstance(result, HttpResponse):
        return result
    return redirect(success_url)


# --- proposals --------------------------------------------------------------------------------------


def _proposal_page(
    request: HttpRequest, p: Proposal, status: int = 200, **bound: djforms.Form
) -> HttpResponse:
    user: Any = request.user
    r = p.round
    is_editor = has_role(user, Role.AGENCY_EDITOR, organisation=p.agency)
    is_appraiser = has_role(user, Role.APPRAISER, organisation=r.appraiser_org)
    actions: list[Action] = []
    if is_editor and p.editable and r.status == OrderRound.Status.OPEN:
        actions.append(Action("submit", _("Gửi đề xuất"), bound.get("submit") or f.NoteForm(prefix="submit")))
    if is_editor and p.status in (Proposal.Status.DRAFT, Proposal.Status.SUBMITTED, Proposal.Status.RETURNED):
        actions.append(
            Action("withdraw", _("Rút đề xuất"), bound.get("withdraw") or f.NoteForm(prefix="withdraw"), True)
        )
    if is_appraiser and p.status == Proposal.Status.SUBMITTED:
        actions += [
            Action("endorse", _("Kết luận: đạt"), bound.get("endorse") or f.NoteForm(prefix="endorse")),
            Action("return", _("Trả lại để sửa"), bound.get("return") or f.RequiredNoteForm(prefix="return")),
            Action(
                "reject",
                _("Kết luận: không đạt"),
                bound.get("reject") or f.RequiredNoteForm(prefix="reject"),
                True,
            ),
        ]
    items = list(p.items.select_related("area", "topic", "event", "outlet"))
    appraise_forms = {}
    if is_appraiser and p.status == Proposal.Status.SUBMITTED:
        for item in items:
            appraise_forms[item.pk] = bound.get(f"appraise_{item.pk}") or f.AppraiseForm(
                prefix=f"a{item.pk}",
                initial={
                    "verdict": item.verdict or "accept",
                    "note": item.verdict_note,
                    "approved_quantity": item.approved_quantity,
                    "approved_unit_price": item.approved_unit_price,
                },
            )
    add_form = None
    if is_editor and p.editable and r.status == OrderRound.Status.OPEN:
        add_form = bound.get("add") or f.ItemForm(proposal=p, prefix="add")
    return render(
        request,
        "commissioning/proposal_detail.html",
        {
            "proposal": p,
            "items": [(i, appraise_forms.get(i.pk)) for i in items],
            "total": selectors.proposal_total(p),
            "approved_total": selectors.items_approved_total(p.items.all()),
            "actions": actions,
            "add_form": add_form,
            "can_edit": add_form is not None,
            "history": history_for(p),
            "attachments": _attachments(p),
            "attach_form": f.AttachmentForm(),
            "attach_kind": "proposal",
        },
        status=status,
    )


@login_required
@require_safe
def proposal_detail(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        p = selectors.proposal_get_for_user(request.user, pk)
    except NotFound:
        raise Http404 from None
    return _proposal_page(request, p)


PROPOSAL_ACTIONS: dict[str, tuple[type[djforms.Form], Callable[..., Any]]] = {
    "submit": (
        f.NoteForm,
        lambda u, p, d: services.proposal_submit(actor=u, proposal_id=p.pk, note=d["note"]),
    ),
    "withdraw": (
        f.NoteForm,
        lambda u, p, d: services.proposal_withdraw(actor=u, proposal_id=p.pk, note=d["note"]),
    ),
    "return": (
        f.RequiredNoteForm,
        lambda u, p, d: services.proposal_return(actor=u, proposal_id=p.pk, note=d["note"]),
    ),
    "endorse": (
        f.NoteForm,
        lambda u, p, d: services.proposal_endorse(actor=u, proposal_id=p.pk, note=d["note"]),
    ),
    "reject": (
        f.RequiredNoteForm,
        lambda u, p, d: services.proposal_reject(actor=u, proposal_id=p.pk, note=d["note"]),
    ),
}


@login_required
@require_POST
def proposal_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    try:
        p = selectors.proposal_get_for_user(request.user, pk, write=True)
    except NotFound:
        raise Http404 from None
    user: Any = request.user
    form: djforms.Form
    if action in PROPOSAL_ACTIONS:
        form_class, fn = PROPOSAL_ACTIONS[action]
        form = form_class(request.POST, prefix=action)

        def call() -> Any:
            return fn(user, p, form.cleaned_data)

    elif action == "add":
        form = f.ItemForm(request.POST, proposal=p, prefix="add")

        def call() -> Any:
            return services.proposal_item_add(
                actor=user, proposal_id=p.pk, data=services.ItemInput(**form.cleaned_data)
            )

    else:
        raise Http404
    return _perform(
        request,
        form,
        lambda: (call(), None)[1],
        lambda st: _proposal_page(request, p, st, **{action: form}),
        reverse("commissioning:proposal", args=[p.pk]),
    )


@login_required
def proposal_item_edit(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        item = selectors.proposal_item_get_for_user(request.user, pk, write=request.method == "POST")
    except NotFound:
        raise Http404 from None
    p = item.proposal
    form = f.ItemForm(request.POST or None, proposal=p, initial=f.ItemForm.initial_from(item))
    if request.method == "POST":
        return _perform(
            request,
            form,
            lambda: (
                services.proposal_item_update(
                    actor=_actor(request),
                    item_id=item.pk,
                    data=services.ItemInput(**form.cleaned_data),
                )
                and None
            ),
            lambda st: render(
                request,
                "commissioning/form_page.html",
                {"form": form, "title": _("Sửa dòng đề xuất"), "back": p},
                status=st,
            ),
            reverse("commissioning:proposal", args=[p.pk]),
        )
    return render(
        request, "commissioning/form_page.html", {"form": form, "title": _("Sửa dòng đề xuất"), "back": p}
    )


@login_required
@require_POST
def proposal_item_remove(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        item = selectors.proposal_item_get_for_user(request.user, pk, write=True)
    except NotFound:
        raise Http404 from None
    p = item.proposal
    try:
        services.proposal_item_remove(actor=_actor(request), item_id=item.pk)  # type: ignore[arg-type]
    except DomainError as exc:
        return _proposal_page(request, p, _fail(request, exc))
    messages.success(request, _("Đã xóa dòng đề xuất."))
    return redirect("commissioning:proposal", pk=p.pk)


@login_required
@require_POST
def item_appraise(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        item = selectors.proposal_item_get_for_user(request.user, pk, write=True)
    except NotFound:
        raise Http404 from None
    p = item.proposal
    form = f.AppraiseForm(request.POST, prefix=f"a{item.pk}")
    return _perform(
        request,
        form,
        lambda: services.item_appraise(actor=_actor(request), item_id=item.pk, **form.cleaned_data) and None,  # type: ignore[arg-type]
        lambda st: _proposal_page(request, p, st, **{f"appraise_{item.pk}": form}),
        reverse("commissioning:proposal", args=[p.pk]) + f"#item-{item.pk}",
    )


# --- packages ---------------------------------------------------------------------------------------


def _package_page(
    request: HttpRequest, pkg: ApprovalPackage, status: int = 200, **bound: djforms.Form
) -> HttpResponse:
    user: Any = request.user
    r = pkg.round
    actions: list[Action] = []
    officer = has_role(user, Role.COMMISSIONING_OFFICER, organisation=r.opened_by)
    if officer and pkg.status == ApprovalPackage.Status.DRAFT:
        actions.append(
            Action("submit", _("Trình phê duyệt"), bound.get("submit") or f.NoteForm(prefix="submit"))
        )
    if (
        has_role(user, Role.APPROVER, organisation=r.approver_org)
        and pkg.status == ApprovalPackage.Status.SUBMITTED
    ):
        actions += [
            Action("approve", _("Phê duyệt"), bound.get("approve") or f.DecisionForm(prefix="approve")),
            Action("return", _("Trả lại"), bound.get("return") or f.RequiredNoteForm(prefix="return"), True),
        ]
    draft_form = None
    if officer and pkg.status == ApprovalPackage.Status.APPROVED:
        draft_form = bound.get("contract") or f.ContractDraftForm(package=pkg, prefix="contract")
    total = selectors.package_total(pkg)
    committed = selectors.round_committed(r, exclude_package_id=pkg.pk)
    return render(
        request,
        "commissioning/package_detail.html",
        {
            "package": pkg,
            "items": pkg.items.select_related("proposal__agency", "outlet", "area"),
            "total": total,
            "ceiling": r.budget_ceiling,
            "committed_other": committed,
            "above_ceiling": committed + total > r.budget_ceiling,
            "actions": actions,
            "draft_form": draft_form,
            "contracts": selectors.contracts_for_user(user).filter(package=pkg),
            "history": history_for(pkg),
            "attachments": _attachments(pkg),
            "attach_form": f.AttachmentForm(),
            "attach_kind": "package",
        },
        status=status,
    )


@login_required
@require_safe
def package_detail(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        pkg = selectors.package_get_for_user(request.user, pk)
    except NotFound:
        raise Http404 from None
    return _package_page(request, pkg)


@login_required
@require_POST
def package_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    try:
        pkg = selectors.package_get_for_user(request.user, pk, write=True)
    except NotFound:
        raise Http404 from None
    user: Any = request.user
    form: djforms.Form
    if action == "submit":
        form = f.NoteForm(request.POST, prefix=action)

        def call() -> Any:
            services.package_submit(actor=user, package_id=pkg.pk, note=form.cleaned_data["note"])  # type: ignore[arg-type]

    elif action == "approve":
        form = f.DecisionForm(request.POST, prefix=action)

        def call() -> Any:
            services.package_approve(actor=user, package_id=pkg.pk, **form.cleaned_data)  # type: ignore[arg-type]

    elif action == "return":
        form = f.RequiredNoteForm(request.POST, prefix=action)

        def call() -> Any:
            services.package_return(actor=user, package_id=pkg.pk, note=form.cleaned_data["note"])  # type: ignore[arg-type]

    elif action == "contract":
        form = f.ContractDraftForm(request.POST, package=pkg, prefix=action)

        def call() -> Any:
            data = dict(form.cleaned_data)
            items = data.pop("items")
            c = services.contract_draft(actor=user, package_id=pkg.pk, item_ids=[i.pk for i in items], **data)  # type: ignore[arg-type]
            return redirect("commissioning:contract", pk=c.pk)

    else:
        raise Http404
    return _perform(
        request,
        form,
        call,
        lambda st: _package_page(request, pkg, st, **{action: form}),
        reverse("commissioning:package", args=[pkg.pk]),
    )


# --- contracts --------------------------------------------------------------------------------------


def _contract_page(
    request: HttpRequest, c: Contract, status: int = 200, **bound: djforms.Form
) -> HttpResponse:
    user: Any = request.user
    r = c.package.round
    officer = has_role(user, Role.COMMISSIONING_OFFICER, organisation=r.opened_by)
    S = Contract.Status
    actions: list[Action] = []

    def add(slug: str, label: str, form: djforms.Form, danger: bool = False) -> None:
        actions.append(Action(slug, label, bound.get(slug) or form, danger))

    if officer:
        if c.status == S.DRAFT:
            add("sign", _("Ký hợp đồng"), f.SignForm(prefix="sign"))
        if c.status == S.SIGNED:
            add("start", _("Bắt đầu thực hiện"), f.NoteForm(prefix="start"))
        if c.status in (S.SIGNED, S.IN_PROGRESS, S.ACCEPTED, S.DELIVERED):
            add("pay", _("Ghi nhận thanh toán"), f.PaymentForm(prefix="pay"))
        if c.status in (S.IN_PROGRESS, S.DELIVERED):
            add("acceptance", _("Lập biên bản nghiệm thu"), f.AcceptanceForm(contract=c, prefix="acceptance"))
        if c.status == S.IN_PROGRESS:
            add("mark_delivered", _("Xác nhận đã đăng, phát đủ"), f.NoteForm(prefix="mark_delivered"))
        if c.status == S.DELIVERED:
            add("accept", _("Nghiệm thu hoàn thành hợp đồng"), f.NoteForm(prefix="accept"))
        if c.status == S.PAID:
            add("settle", _("Thanh lý hợp đồng"), f.SettleForm(prefix="settle"))
        if c.status in services.AMENDABLE:
            add("amend", _("Đề nghị phụ lục sửa đổi"), f.AmendmentForm(contract=c, prefix="amend"))
        if c.status in (S.DRAFT, S.SIGNED, S.IN_PROGRESS, S.DELIVERED):
            add("terminate", _("Chấm dứt hợp đồng"), f.TerminateForm(prefix="terminate"), True)
    delivery_form = None
    if c.status == S.IN_PROGRESS:
        try:
            services._delivery_membership(user, c)  # type: ignore[arg-type]
        except Exception:  # PermissionDenied: the form is simply not offered
            delivery_form = None
        else:
            delivery_form = bound.get("deliver") or f.DeliveryForm(contract=c, prefix="deliver")
    approver = has_role(user, Role.APPROVER, organisation=r.approver_org)
    return render(
        request,
        "commissioning/contract_detail.html",
        {
            "contract": c,
            "progress": selectors.contract_progress(c),
            "deliveries": Delivery.objects.filter(contract_item__contract=c).select_related(
                "outlet", "recorded_by"
            ),
            "acceptances": c.acceptances.prefetch_related("lines__contract_item"),
            "payments": c.payments.select_related("recorded_by"),
            "amendments": c.amendments.all(),
            "actions": actions,
            "officer": officer,
            "approver": approver,
            "decision_form": f.DecisionForm(prefix="amendment"),
            "reject_form": f.RequiredNoteForm(prefix="amendment_reject"),
            "delivery_form": delivery_form,
            "history": history_for(c),
            "attachments": _attachments(c),
            "attach_form": f.AttachmentForm(),
            "attach_kind": "contract",
        },
        status=status,
    )


@login_required
@require_safe
def contract_detail(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        c = selectors.contract_get_for_user(request.user, pk)
    except NotFound:
        raise Http404 from None
    return _contract_page(request, c)


def _contract_call(user: Any, c: Contract, action: str, form: djforms.Form) -> Callable[[], Any]:
    d = lambda: form.cleaned_data  # noqa: E731
    calls: dict[str, Callable[[], Any]] = {
        "sign": lambda: services.contract_sign(actor=user, contract_id=c.pk, **d()),
        "start": lambda: services.contract_start(actor=user, contract_id=c.pk, note=d()["note"]),
        "mark_delivered": lambda: services.contract_mark_delivered(
            actor=user, contract_id=c.pk, note=d()["note"]
        ),
        "accept": lambda: services.contract_accept(actor=user, contract_id=c.pk, note=d()["note"]),
        "settle": lambda: services.contract_settle(actor=user, contract_id=c.pk, **d()),
        "terminate": lambda: services.contract_terminate(actor=user, contract_id=c.pk, reason=d()["reason"]),
        "pay": lambda: services.payment_record(actor=user, contract_id=c.pk, **d()),
        "deliver": lambda: services.delivery_record(
            actor=user,
            contract_item_id=d()["contract_item"].pk,
            **{k: v for k, v in d().items() if k != "contract_item"},
        ),
        "acceptance": lambda: services.acceptance_record(
            actor=user,
            contract_id=c.pk,
            number=d()["number"],
            period_start=d()["period_start"],
            period_end=d()["period_end"],
            note=d()["note"],
            lines=form.lines(),  # type: ignore[attr-defined]
        ),
        "amend": lambda: services.amendment_propose(
            actor=user,
            contract_id=c.pk,
            description=d()["description"],
            period_end=d()["period_end"],
            quantities=form.quantities(),  # type: ignore[attr-defined]
        ),
    }
    return calls[action]


CONTRACT_FORMS: dict[str, Callable[[Contract], Any]] = {
    "sign": lambda c: f.SignForm,
    "start": lambda c: f.NoteForm,
    "mark_delivered": lambda c: f.NoteForm,
    "accept": lambda c: f.NoteForm,
    "settle": lambda c: f.SettleForm,
    "terminate": lambda c: f.TerminateForm,
    "pay": lambda c: f.PaymentForm,
    "deliver": lambda c: lambda *a, **k: f.DeliveryForm(*a, contract=c, **k),
    "acceptance": lambda c: lambda *a, **k: f.AcceptanceForm(*a, contract=c, **k),
    "amend": lambda c: lambda *a, **k: f.AmendmentForm(*a, contract=c, **k),
}


@login_required
@require_POST
def contract_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    try:
        c = selectors.contract_get_for_user(request.user, pk, write=True)
    except NotFound:
        raise Http404 from None
    if action not in CONTRACT_FORMS:
        raise Http404
    form = CONTRACT_FORMS[action](c)(request.POST, prefix=action)
    call = _contract_call(request.user, c, action, form)
    return _perform(
        request,
        form,
        lambda: (call(), None)[1],
        lambda st: _contract_page(request, c, st, **{action: form}),
        reverse("commissioning:contract", args=[c.pk]),
    )


@login_required
@require_POST
def delivery_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    try:
        d = selectors.delivery_get_for_user(request.user, pk, write=True)
    except NotFound:
        raise Http404 from None
    c = d.contract_item.contract
    if action not in ("accept", "reject"):
        raise Http404
    form = f.NoteForm(request.POST, prefix=f"d{d.pk}")
    fn = services.delivery_accept if action == "accept" else services.delivery_reject
    return _perform(
        request,
        form,
        lambda: fn(actor=_actor(request), delivery_id=d.pk, note=form.cleaned_data["note"]) and None,  # type: ignore[arg-type]
        lambda st: _contract_page(request, c, st),
        reverse("commissioning:contract", args=[c.pk]) + "#deliveries",
    )


@login_required
@require_POST
def amendment_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    am = ContractAmendment.objects.filter(pk=pk).first()
    if am is None:
        raise Http404
    try:
        c = selectors.contract_get_for_user(request.user, am.contract_id, write=True)
    except NotFound:
        raise Http404 from None
    form: djforms.Form
    if action == "approve":
        form = f.DecisionForm(request.POST, prefix="amendment")

        def call() -> Any:
            services.amendment_approve(actor=_actor(request), amendment_id=am.pk, **form.cleaned_data)  # type: ignore[arg-type]

    elif action == "reject":
        form = f.RequiredNoteForm(request.POST, prefix="amendment_reject")

        def call() -> Any:
            services.amendment_reject(
                actor=_actor(request), amendment_id=am.pk, note=form.cleaned_data["note"]
            )  # type: ignore[arg-type]

    else:
        raise Http404
    return _perform(
        request,
        form,
        call,
        lambda st: _contract_page(request, c, st),
        reverse("commissioning:contract", args=[c.pk]),
    )


@login_required
def contract_item_edit(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        item = selectors.contract_item_get_for_user(request.user, pk, write=request.method == "POST")
    except NotFound:
        raise Http404 from None
    c = item.contract
    form = f.ContractItemForm(
        request.POST or None,
        initial={k: getattr(item, k) for k in ("quantity", "unit_price", "window_start", "window_end")},
    )
    page = lambda st: render(  # noqa: E731
        request,
        "commissioning/form_page.html",
        {"form": form, "title": _("Sửa dòng hợp đồng"), "back": c},
        status=st,
    )
    if request.method == "POST":
        return _perform(
            request,
            form,
            lambda: (
                services.contract_item_update(actor=_actor(request), item_id=item.pk, **form.cleaned_data)
                and None
            ),  # type: ignore[arg-type]
            page,
            reverse("commissioning:contract", args=[c.pk]),
        )
    return page(200)


# --- attachments ------------------------------------------------------------------------------------

SUBJECT_LOOKUP: dict[str, Callable[..., Model]] = {
    "round": selectors.round_get_for_user,
    "proposal": selectors.proposal_get_for_user,
    "package": selectors.package_get_for_user,
    "contract": selectors.contract_get_for_user,
}


def _subject_for_user(user: Any, kind: str, pk: Any, write: bool = False) -> Model:
    if kind == "acceptance":
        acc = Acceptance.objects.filter(pk=pk).first()
        if acc is None:
            raise Http404
        selectors.contract_get_for_user(user, acc.contract_id, write=write)
        return acc
    if kind not in SUBJECT_LOOKUP:
        raise Http404
    return SUBJECT_LOOKUP[kind](user, pk, write=write)


@login_required
@require_POST
def attachment_upload(request: HttpRequest, kind: str, pk: int) -> HttpResponse:
    try:
        subject = _subject_for_user(request.user, kind, pk, write=True)
    except NotFound:
        raise Http404 from None
    back = subject.contract if isinstance(subject, Acceptance) else subject
    url = _detail_url(back)
    form = f.AttachmentForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, _("Chưa chọn tệp hoặc loại tài liệu."))
        return redirect(url)
    try:
        services.attachment_add(
            actor=_actor(request),
            subject=subject,
            upload=form.cleaned_data["file"],
            kind=form.cleaned_data["kind"],
        )
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect(url)
    messages.success(request, _("Đã đính kèm tài liệu."))
    return redirect(url)


def _detail_url(obj: Model) -> str:
    names: dict[type, str] = {
        OrderRound: "commissioning:round",
        Proposal: "commissioning:proposal",
        ApprovalPackage: "commissioning:package",
        Contract: "commissioning:contract",
    }
    return reverse(names[type(obj)], args=[obj.pk])


@login_required
@require_safe
def attachment_download(request: HttpRequest, pk: int) -> FileResponse:
    att = Attachment.objects.select_related("subject_type").filter(pk=pk).first()
    if att is None:
        raise Http404
    kind = {
        "orderround": "round",
        "proposal": "proposal",
        "approvalpackage": "package",
        "contract": "contract",
        "acceptance": "acceptance",
    }.get(att.subject_type.model)
    if kind is None:
        raise Http404
    try:
        _subject_for_user(request.user, kind, att.subject_id)
    except NotFound:
        raise Http404 from None
    response = FileResponse(
        att.file.open("rb"), as_attachment=True, filename=att.original_name, content_type=att.mime_type
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response
